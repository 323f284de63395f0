// WasiCtx construction: stdio, preopened directories, listening sockets.
#include "wasi/ctx.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace wasmrun::wasi {

FileType filetype_from_mode(uint32_t m) noexcept {
  switch (m & S_IFMT) {
    case S_IFREG: return FileType::RegularFile;
    case S_IFDIR: return FileType::Directory;
    case S_IFLNK: return FileType::SymbolicLink;
    case S_IFCHR: return FileType::CharacterDevice;
    case S_IFBLK: return FileType::BlockDevice;
    case S_IFSOCK: return FileType::SocketStream;
    default: return FileType::Unknown;
  }
}

Result<PreopenDir> parse_dir_spec(const std::string& spec) {
  PreopenDir d;
  size_t sep = spec.find("::");
  if (sep == std::string::npos) {
    d.host_path = d.guest_path = spec;
  } else {
    d.host_path = spec.substr(0, sep);
    d.guest_path = spec.substr(sep + 2);
    static constexpr std::string_view kRo = ":readonly";
    if (d.guest_path.size() >= kRo.size() &&
        d.guest_path.compare(d.guest_path.size() - kRo.size(), kRo.size(), kRo) == 0) {
      d.readonly = true;
      d.guest_path.resize(d.guest_path.size() - kRo.size());
    }
  }
  if (d.host_path.empty() || d.guest_path.empty()) {
    return Error(ErrorKind::Usage,
                 "bad --dir value '" + spec + "' (want HOST[::GUEST[:readonly]])");
  }
  return d;
}

namespace {

// A socket's WASI type (stream or datagram).
FileType socket_type(int fd) {
  int type = 0;
  socklen_t len = sizeof(type);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM) {
    return FileType::SocketDgram;
  }
  return FileType::SocketStream;
}

}  // namespace

Result<std::unique_ptr<WasiCtx>> WasiCtx::create(const WasiConfig& config) {
  std::unique_ptr<WasiCtx> ctx(new WasiCtx());
  ctx->args_ = config.args;
  ctx->env_ = config.env;
  ctx->resolve_mode_ = config.resolve_mode;
  // WASMRUN_WASI_RESOLVER=components|openat2 overrides Auto, so the fallback
  // resolver can be forced from the CLI (and tested) on any kernel.
  if (ctx->resolve_mode_ == ResolveMode::Auto) {
    if (const char* r = std::getenv("WASMRUN_WASI_RESOLVER")) {
      std::string_view v(r);
      if (v == "components") ctx->resolve_mode_ = ResolveMode::Components;
      if (v == "openat2") ctx->resolve_mode_ = ResolveMode::Openat2;
    }
  }

  const int stdio[3] = {config.stdin_fd, config.stdout_fd, config.stderr_fd};
  for (uint32_t i = 0; i < 3; ++i) {
    int fd = fcntl(stdio[i], F_DUPFD_CLOEXEC, 0);
    if (fd < 0) continue;  // a closed host stdio stays closed for the guest
    auto e = std::make_unique<FdEntry>();
    e->host.reset(fd);
    struct stat st;
    e->type = fstat(fd, &st) == 0 ? filetype_from_mode(st.st_mode) : FileType::Unknown;
    if (e->type == FileType::SocketStream) e->type = socket_type(fd);
    e->rights_base = rights::kFile & ~(rights::kFdAllocate);
    if (e->type == FileType::CharacterDevice) {
      // A tty cannot seek; isatty() in wasi-libc keys on these rights being absent.
      e->rights_base &= ~(rights::kFdSeek | rights::kFdTell);
    }
    e->rights_inheriting = 0;
    ctx->fds_.insert_at(i, std::move(e));
  }

  uint32_t next = 3;
  for (const PreopenDir& p : config.preopens) {
    int fd = open(p.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      return Error(ErrorKind::Io, "cannot open directory '" + p.host_path +
                                      "' for --dir: " + std::strerror(errno));
    }
    auto e = std::make_unique<FdEntry>();
    e->host.reset(fd);
    e->type = FileType::Directory;
    e->is_preopen = true;
    e->preopen_name = p.guest_path;
    e->readonly = p.readonly;
    e->rights_base = rights::kDirectory;
    e->rights_inheriting = rights::kAll;
    if (p.readonly) {
      e->rights_base &= ~rights::kMutating;
      e->rights_inheriting &= ~rights::kMutating;
    }
    ctx->fds_.insert_at(next++, std::move(e));
  }

  for (int s : config.listen_sockets) {
    int fd = fcntl(s, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
      return Error(ErrorKind::Io,
                   std::string("cannot use listening socket: ") + std::strerror(errno));
    }
    auto e = std::make_unique<FdEntry>();
    e->host.reset(fd);
    e->type = socket_type(fd);
    e->rights_base = rights::kSocket;
    e->rights_inheriting = rights::kSocket & ~rights::kSockAccept;
    ctx->fds_.insert_at(next++, std::move(e));
  }
  return ctx;
}

}  // namespace wasmrun::wasi
