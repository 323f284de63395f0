// Moving bytes: fd_read, fd_write, fd_pread, fd_pwrite, and the file position
// (fd_seek, fd_tell).
#include <sys/uio.h>
#include <unistd.h>

#include "wasi/host_io.h"
#include "wasi/preview1.h"

namespace wasmrun::wasi {
namespace {

// Runs `op` (readv/writev-like) over the guest's iovecs, retrying on EINTR,
// and stores the byte count at `count_out`.
template <class Op>
Errno transfer(const GuestMemory& mem, Ptr iovs, uint32_t iovs_len, Ptr count_out, Op op) {
  std::vector<iovec> v;
  if (Errno e = gather_iovecs(mem, iovs, iovs_len, v); e != Errno::Success) return e;
  if (!mem.in_bounds(count_out, 4)) return Errno::Fault;
  ssize_t n;
  do {
    n = op(v.data(), static_cast<int>(v.size()));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return last_host_errno();
  return mem.store<uint32_t>(count_out, static_cast<uint32_t>(n));
}

}  // namespace

Errno fd_read(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr iovs, uint32_t iovs_len,
              Ptr nread_out) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdRead, e); err != Errno::Success) return err;
  int h = e->host.get();
  return transfer(mem, iovs, iovs_len, nread_out,
                  [h](const iovec* v, int n) { return readv(h, v, n); });
}

Errno fd_write(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr iovs, uint32_t iovs_len,
               Ptr nwritten_out) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdWrite, e); err != Errno::Success) return err;
  int h = e->host.get();
  return transfer(mem, iovs, iovs_len, nwritten_out,
                  [h](const iovec* v, int n) { return writev(h, v, n); });
}

Errno fd_pread(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr iovs, uint32_t iovs_len,
               uint64_t offset, Ptr nread_out) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdRead | rights::kFdSeek, e); err != Errno::Success) {
    return err;
  }
  if (static_cast<int64_t>(offset) < 0) return Errno::Inval;
  int h = e->host.get();
  return transfer(mem, iovs, iovs_len, nread_out, [h, offset](const iovec* v, int n) {
    return preadv(h, v, n, static_cast<off_t>(offset));
  });
}

Errno fd_pwrite(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr iovs, uint32_t iovs_len,
                uint64_t offset, Ptr nwritten_out) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdWrite | rights::kFdSeek, e); err != Errno::Success) {
    return err;
  }
  if (static_cast<int64_t>(offset) < 0) return Errno::Inval;
  int h = e->host.get();
  return transfer(mem, iovs, iovs_len, nwritten_out, [h, offset](const iovec* v, int n) {
    return pwritev(h, v, n, static_cast<off_t>(offset));
  });
}

Errno fd_seek(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint64_t offset, uint32_t whence,
              Ptr newoffset_out) {
  // Asking for the current position needs only the TELL right.
  uint64_t need = (offset == 0 && whence == static_cast<uint32_t>(Whence::Cur)) ? rights::kFdTell
                                                                                : rights::kFdSeek;
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, need, e); err != Errno::Success) return err;
  int w;
  switch (static_cast<Whence>(whence)) {
    case Whence::Set: w = SEEK_SET; break;
    case Whence::Cur: w = SEEK_CUR; break;
    case Whence::End: w = SEEK_END; break;
    default: return Errno::Inval;
  }
  if (!mem.in_bounds(newoffset_out, 8)) return Errno::Fault;
  off_t pos = lseek(e->host.get(), static_cast<off_t>(offset), w);
  if (pos < 0) return last_host_errno();
  return mem.store<uint64_t>(newoffset_out, static_cast<uint64_t>(pos));
}

Errno fd_tell(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr offset_out) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdTell, e); err != Errno::Success) return err;
  if (!mem.in_bounds(offset_out, 8)) return Errno::Fault;
  off_t pos = lseek(e->host.get(), 0, SEEK_CUR);
  if (pos < 0) return last_host_errno();
  return mem.store<uint64_t>(offset_out, static_cast<uint64_t>(pos));
}

}  // namespace wasmrun::wasi
