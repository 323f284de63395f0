// fd functions that manage descriptors rather than move data: close, renumber,
// fdstat, prestat, advise, allocate, sync.
#include <fcntl.h>
#include <unistd.h>

#include "wasi/preview1.h"

namespace wasmrun::wasi {

Errno fd_close(WasiCtx& ctx, const GuestMemory&, uint32_t fd) { return ctx.fds().close(fd); }

Errno fd_renumber(WasiCtx& ctx, const GuestMemory&, uint32_t fd, uint32_t to) {
  return ctx.fds().renumber(fd, to);
}

Errno fd_fdstat_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr stat_out) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, 0, e); err != Errno::Success) return err;
  uint8_t* p = mem.range(stat_out, layout::kFdstatSize);
  if (!p) return Errno::Fault;
  uint16_t flags = e->sticky_fdflags;
  int fl = fcntl(e->host.get(), F_GETFL);
  if (fl >= 0) {
    if (fl & O_APPEND) flags |= fdflags::kAppend;
    if (fl & O_NONBLOCK) flags |= fdflags::kNonblock;
    if ((fl & O_SYNC) == O_SYNC) {
      flags |= fdflags::kSync;
    } else if (fl & O_DSYNC) {
      flags |= fdflags::kDsync;
    }
  }
  std::memset(p, 0, layout::kFdstatSize);
  GuestMemory view{p, layout::kFdstatSize};
  view.store<uint8_t>(0, static_cast<uint8_t>(e->type));
  view.store<uint16_t>(2, flags);
  view.store<uint64_t>(8, e->rights_base);
  view.store<uint64_t>(16, e->rights_inheriting);
  return Errno::Success;
}

Errno fd_fdstat_set_flags(WasiCtx& ctx, const GuestMemory&, uint32_t fd, uint32_t flags) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdFdstatSetFlags, e); err != Errno::Success) {
    return err;
  }
  if (flags & ~uint32_t{fdflags::kAll}) return Errno::Inval;
  // Linux cannot change the sync flags of an open file (F_SETFL ignores them),
  // so asking for them is refused instead of silently dropped.
  if (flags & (fdflags::kDsync | fdflags::kRsync | fdflags::kSync)) return Errno::NotSup;
  int fl = fcntl(e->host.get(), F_GETFL);
  if (fl < 0) return last_host_errno();
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & fdflags::kAppend) fl |= O_APPEND;
  if (flags & fdflags::kNonblock) fl |= O_NONBLOCK;
  if (fcntl(e->host.get(), F_SETFL, fl) != 0) return last_host_errno();
  return Errno::Success;
}

Errno fd_fdstat_set_rights(WasiCtx& ctx, const GuestMemory&, uint32_t fd, uint64_t base,
                           uint64_t inheriting) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, 0, e); err != Errno::Success) return err;
  // Rights can only be dropped, never regained.
  if ((base & ~e->rights_base) || (inheriting & ~e->rights_inheriting)) return Errno::NotCapable;
  e->rights_base = base;
  e->rights_inheriting = inheriting;
  return Errno::Success;
}

Errno fd_prestat_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr prestat_out) {
  FdEntry* e = ctx.fds().find(fd);
  // wasi-libc scans fds from 3 up and stops at the first BADF, so every fd that
  // is not a preopen (open or not) answers BADF.
  if (!e || !e->is_preopen) return Errno::BadF;
  uint8_t* p = mem.range(prestat_out, layout::kPrestatSize);
  if (!p) return Errno::Fault;
  std::memset(p, 0, layout::kPrestatSize);
  GuestMemory view{p, layout::kPrestatSize};
  view.store<uint8_t>(0, 0);  // preopentype::dir
  view.store<uint32_t>(4, static_cast<uint32_t>(e->preopen_name.size()));
  return Errno::Success;
}

Errno fd_prestat_dir_name(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr path,
                          uint32_t path_len) {
  FdEntry* e = ctx.fds().find(fd);
  if (!e || !e->is_preopen) return Errno::BadF;
  if (path_len < e->preopen_name.size()) return Errno::NameTooLong;
  return mem.write_bytes(path, e->preopen_name.data(), e->preopen_name.size());
}

Errno fd_advise(WasiCtx& ctx, const GuestMemory&, uint32_t fd, uint64_t offset, uint64_t len,
                uint32_t advice) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdAdvise, e); err != Errno::Success) return err;
  int host;
  switch (static_cast<Advice>(advice)) {
    case Advice::Normal: host = POSIX_FADV_NORMAL; break;
    case Advice::Sequential: host = POSIX_FADV_SEQUENTIAL; break;
    case Advice::Random: host = POSIX_FADV_RANDOM; break;
    case Advice::WillNeed: host = POSIX_FADV_WILLNEED; break;
    case Advice::DontNeed: host = POSIX_FADV_DONTNEED; break;
    case Advice::NoReuse: host = POSIX_FADV_NOREUSE; break;
    default: return Errno::Inval;
  }
  if (static_cast<int64_t>(offset) < 0 || static_cast<int64_t>(len) < 0) return Errno::Inval;
  int rc = posix_fadvise(e->host.get(), static_cast<off_t>(offset), static_cast<off_t>(len), host);
  return errno_from_host(rc);
}

Errno fd_allocate(WasiCtx& ctx, const GuestMemory&, uint32_t fd, uint64_t offset, uint64_t len) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdAllocate, e); err != Errno::Success) return err;
  if (static_cast<int64_t>(offset) < 0 || static_cast<int64_t>(len) <= 0) return Errno::Inval;
  if (offset + len < offset || offset + len > static_cast<uint64_t>(INT64_MAX)) return Errno::FBig;
  int rc = posix_fallocate(e->host.get(), static_cast<off_t>(offset), static_cast<off_t>(len));
  return errno_from_host(rc);
}

Errno fd_datasync(WasiCtx& ctx, const GuestMemory&, uint32_t fd) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdDatasync, e); err != Errno::Success) return err;
  return fdatasync(e->host.get()) == 0 ? Errno::Success : last_host_errno();
}

Errno fd_sync(WasiCtx& ctx, const GuestMemory&, uint32_t fd) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdSync, e); err != Errno::Success) return err;
  return fsync(e->host.get()) == 0 ? Errno::Success : last_host_errno();
}

}  // namespace wasmrun::wasi
