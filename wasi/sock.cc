// sock_accept, sock_recv, sock_send, sock_shutdown on sockets the embedder
// handed to the guest (WasiConfig::listen_sockets) or accepted from them.
// preview1 has no way to create or connect sockets.
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/host_io.h"
#include "wasi/preview1.h"

namespace wasmrun::wasi {
namespace {

bool is_socket(FileType t) { return t == FileType::SocketStream || t == FileType::SocketDgram; }

// The socket entry for `fd` with `required` rights: BadF, NotSock or NotCapable.
Errno get_socket(WasiCtx& ctx, uint32_t fd, uint64_t required, FdEntry*& out) {
  FdEntry* e = ctx.fds().find(fd);
  if (!e) return Errno::BadF;
  if (!is_socket(e->type)) return Errno::NotSock;
  if ((e->rights_base & required) != required) return Errno::NotCapable;
  out = e;
  return Errno::Success;
}

}  // namespace

Errno sock_accept(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint32_t flags, Ptr fd_out) {
  FdEntry* e;
  if (Errno err = get_socket(ctx, fd, rights::kSockAccept, e); err != Errno::Success) return err;
  if (flags & ~uint32_t{fdflags::kNonblock}) return Errno::Inval;
  if (!mem.in_bounds(fd_out, 4)) return Errno::Fault;
  int s;
  do {
    s = accept4(e->host.get(), nullptr, nullptr,
                SOCK_CLOEXEC | ((flags & fdflags::kNonblock) ? SOCK_NONBLOCK : 0));
  } while (s < 0 && errno == EINTR);
  if (s < 0) return last_host_errno();
  auto entry = std::make_unique<FdEntry>();
  entry->host.reset(s);
  entry->type = e->type;
  entry->rights_base = e->rights_inheriting;
  entry->rights_inheriting = e->rights_inheriting;
  uint32_t new_fd;
  if (Errno err = ctx.fds().insert(std::move(entry), new_fd); err != Errno::Success) return err;
  return mem.store<uint32_t>(fd_out, new_fd);
}

Errno sock_recv(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr ri_data,
                uint32_t ri_data_len, uint32_t ri_flags, Ptr ro_datalen_out, Ptr ro_flags_out) {
  FdEntry* e;
  if (Errno err = get_socket(ctx, fd, rights::kFdRead, e); err != Errno::Success) return err;
  if (ri_flags & ~uint32_t{kRecvPeek | kRecvWaitall}) return Errno::Inval;
  std::vector<iovec> v;
  if (Errno err = gather_iovecs(mem, ri_data, ri_data_len, v); err != Errno::Success) return err;
  if (!mem.in_bounds(ro_datalen_out, 4) || !mem.in_bounds(ro_flags_out, 2)) return Errno::Fault;
  msghdr msg{};
  msg.msg_iov = v.data();
  msg.msg_iovlen = v.size();
  int f = ((ri_flags & kRecvPeek) ? MSG_PEEK : 0) | ((ri_flags & kRecvWaitall) ? MSG_WAITALL : 0);
  ssize_t n;
  do {
    n = recvmsg(e->host.get(), &msg, f);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return last_host_errno();
  mem.store<uint32_t>(ro_datalen_out, static_cast<uint32_t>(n));
  return mem.store<uint16_t>(ro_flags_out, (msg.msg_flags & MSG_TRUNC) ? kRecvDataTruncated : 0);
}

Errno sock_send(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr si_data,
                uint32_t si_data_len, uint32_t si_flags, Ptr so_datalen_out) {
  FdEntry* e;
  if (Errno err = get_socket(ctx, fd, rights::kFdWrite, e); err != Errno::Success) return err;
  if (si_flags != 0) return Errno::Inval;  // siflags has no defined bits
  std::vector<iovec> v;
  if (Errno err = gather_iovecs(mem, si_data, si_data_len, v); err != Errno::Success) return err;
  if (!mem.in_bounds(so_datalen_out, 4)) return Errno::Fault;
  msghdr msg{};
  msg.msg_iov = v.data();
  msg.msg_iovlen = v.size();
  ssize_t n;
  do {
    // MSG_NOSIGNAL: a closed peer is EPIPE for the guest, not SIGPIPE for the host.
    n = sendmsg(e->host.get(), &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return last_host_errno();
  return mem.store<uint32_t>(so_datalen_out, static_cast<uint32_t>(n));
}

Errno sock_shutdown(WasiCtx& ctx, uint32_t fd, uint32_t how) {
  FdEntry* e;
  if (Errno err = get_socket(ctx, fd, rights::kSockShutdown, e); err != Errno::Success) return err;
  int h;
  switch (how) {
    case kShutRd: h = SHUT_RD; break;
    case kShutWr: h = SHUT_WR; break;
    case kShutRd | kShutWr: h = SHUT_RDWR; break;
    default: return Errno::Inval;
  }
  return shutdown(e->host.get(), h) == 0 ? Errno::Success : last_host_errno();
}

}  // namespace wasmrun::wasi
