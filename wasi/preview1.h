// The functions of wasi_snapshot_preview1, one C++ function per import.
//
// Each takes the context, a view of the guest's memory and the raw wasm
// parameters (u32 for i32, u64 for i64; pointers are u32 offsets into the
// memory) and returns the WASI errno that the import returns. Out-of-bounds
// pointers give Errno::Fault; nothing here can touch host memory outside the
// view or a host file outside the guest's preopens. proc_exit only records the
// request in the context: unwinding the guest is the binding layer's job.
#pragma once

#include <cstdint>

#include "wasi/abi.h"
#include "wasi/ctx.h"
#include "wasi/guest_memory.h"

namespace wasmrun::wasi {

using Ptr = uint32_t;

// Arguments and environment (args_env.cc).
Errno args_get(WasiCtx& ctx, const GuestMemory& mem, Ptr argv, Ptr argv_buf);
Errno args_sizes_get(WasiCtx& ctx, const GuestMemory& mem, Ptr argc_out, Ptr buf_size_out);
Errno environ_get(WasiCtx& ctx, const GuestMemory& mem, Ptr environ, Ptr environ_buf);
Errno environ_sizes_get(WasiCtx& ctx, const GuestMemory& mem, Ptr count_out, Ptr buf_size_out);

// Clocks and randomness (clock.cc, random.cc).
Errno clock_res_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t clock_id, Ptr res_out);
Errno clock_time_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t clock_id, uint64_t precision,
                     Ptr time_out);
Errno random_get(WasiCtx& ctx, const GuestMemory& mem, Ptr buf, uint32_t len);

// File descriptors (fd_ops.cc, fd_io.cc, fd_filestat.cc, fd_readdir.cc).
Errno fd_advise(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint64_t offset, uint64_t len,
                uint32_t advice);
Errno fd_allocate(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint64_t offset, uint64_t len);
Errno fd_close(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd);
Errno fd_datasync(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd);
Errno fd_fdstat_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr stat_out);
Errno fd_fdstat_set_flags(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint32_t flags);
Errno fd_fdstat_set_rights(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint64_t base,
                           uint64_t inheriting);
Errno fd_filestat_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr stat_out);
Errno fd_filestat_set_size(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint64_t size);
Errno fd_filestat_set_times(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint64_t atim,
                            uint64_t mtim, uint32_t fst_flags);
Errno fd_pread(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr iovs, uint32_t iovs_len,
               uint64_t offset, Ptr nread_out);
Errno fd_prestat_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr prestat_out);
Errno fd_prestat_dir_name(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr path,
                          uint32_t path_len);
Errno fd_pwrite(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr iovs, uint32_t iovs_len,
                uint64_t offset, Ptr nwritten_out);
Errno fd_read(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr iovs, uint32_t iovs_len,
              Ptr nread_out);
Errno fd_readdir(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr buf, uint32_t buf_len,
                 uint64_t cookie, Ptr bufused_out);
Errno fd_renumber(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint32_t to);
Errno fd_seek(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint64_t offset, uint32_t whence,
              Ptr newoffset_out);
Errno fd_sync(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd);
Errno fd_tell(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr offset_out);
Errno fd_write(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr iovs, uint32_t iovs_len,
               Ptr nwritten_out);

// Paths (path_ops.cc, path_open.cc).
Errno path_create_directory(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr path,
                            uint32_t path_len);
Errno path_filestat_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint32_t flags, Ptr path,
                        uint32_t path_len, Ptr stat_out);
Errno path_filestat_set_times(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint32_t flags,
                              Ptr path, uint32_t path_len, uint64_t atim, uint64_t mtim,
                              uint32_t fst_flags);
Errno path_link(WasiCtx& ctx, const GuestMemory& mem, uint32_t old_fd, uint32_t old_flags,
                Ptr old_path, uint32_t old_path_len, uint32_t new_fd, Ptr new_path,
                uint32_t new_path_len);
Errno path_open(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint32_t dirflags, Ptr path,
                uint32_t path_len, uint32_t oflags, uint64_t rights_base,
                uint64_t rights_inheriting, uint32_t fdflags, Ptr fd_out);
Errno path_readlink(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr path, uint32_t path_len,
                    Ptr buf, uint32_t buf_len, Ptr bufused_out);
Errno path_remove_directory(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr path,
                            uint32_t path_len);
Errno path_rename(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr old_path,
                  uint32_t old_path_len, uint32_t new_fd, Ptr new_path, uint32_t new_path_len);
Errno path_symlink(WasiCtx& ctx, const GuestMemory& mem, Ptr old_path, uint32_t old_path_len,
                   uint32_t fd, Ptr new_path, uint32_t new_path_len);
Errno path_unlink_file(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr path,
                       uint32_t path_len);

// Polling (poll.cc).
Errno poll_oneoff(WasiCtx& ctx, const GuestMemory& mem, Ptr in, Ptr out, uint32_t nsubscriptions,
                  Ptr nevents_out);

// Process (proc.cc).
/// Records exit status `code`; the caller must then stop running the guest.
void proc_exit(WasiCtx& ctx, uint32_t code);
/// Delivers signal `sig` to the guest: a signal whose default action ends a
/// process requests exit with status 128 + sig (as a shell reports it); one
/// whose default is to be ignored does nothing.
Errno proc_raise(WasiCtx& ctx, uint32_t sig);
Errno sched_yield(WasiCtx& ctx);

// Sockets (sock.cc).
Errno sock_accept(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint32_t flags, Ptr fd_out);
Errno sock_recv(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr ri_data,
                uint32_t ri_data_len, uint32_t ri_flags, Ptr ro_datalen_out, Ptr ro_flags_out);
Errno sock_send(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr si_data,
                uint32_t si_data_len, uint32_t si_flags, Ptr so_datalen_out);
Errno sock_shutdown(WasiCtx& ctx, uint32_t fd, uint32_t how);

}  // namespace wasmrun::wasi
