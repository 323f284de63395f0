// fd_filestat_get, fd_filestat_set_size, fd_filestat_set_times.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/host_io.h"
#include "wasi/preview1.h"

namespace wasmrun::wasi {

Errno fd_filestat_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr stat_out) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdFilestatGet, e); err != Errno::Success) return err;
  struct stat st;
  if (fstat(e->host.get(), &st) != 0) return last_host_errno();
  return store_filestat(mem, stat_out, st);
}

Errno fd_filestat_set_size(WasiCtx& ctx, const GuestMemory&, uint32_t fd, uint64_t size) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdFilestatSetSize, e); err != Errno::Success) {
    return err;
  }
  if (static_cast<int64_t>(size) < 0) return Errno::Inval;
  return ftruncate(e->host.get(), static_cast<off_t>(size)) == 0 ? Errno::Success
                                                                 : last_host_errno();
}

Errno fd_filestat_set_times(WasiCtx& ctx, const GuestMemory&, uint32_t fd, uint64_t atim,
                            uint64_t mtim, uint32_t fst_flags) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdFilestatSetTimes, e); err != Errno::Success) {
    return err;
  }
  timespec ts[2];
  if (Errno err = timespecs_from_wasi(atim, mtim, fst_flags, ts); err != Errno::Success) {
    return err;
  }
  return futimens(e->host.get(), ts) == 0 ? Errno::Success : last_host_errno();
}

}  // namespace wasmrun::wasi
