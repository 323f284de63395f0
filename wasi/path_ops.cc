// path_* functions other than path_open: each resolves its path(s) in the
// sandbox (path_common.h) and then makes one *at() call on a single component.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "wasi/host_io.h"
#include "wasi/path_common.h"
#include "wasi/preview1.h"

namespace wasmrun::wasi {
namespace {

Errno check(int rc) { return rc == 0 ? Errno::Success : last_host_errno(); }

LastComponent lookup_mode(uint32_t flags) {
  return (flags & kLookupSymlinkFollow) ? LastComponent::Follow : LastComponent::NoFollow;
}

// fstatat on a PathTarget: a name, or the O_PATH fd itself.
int stat_target(const PathTarget& t, struct stat& st) {
  if (t.name.empty()) return fstatat(t.dir.get(), "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
  return fstatat(t.dir.get(), t.name.c_str(), &st, AT_SYMLINK_NOFOLLOW);
}

}  // namespace

Errno path_create_directory(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr path,
                            uint32_t path_len) {
  PathTarget t;
  if (Errno e = resolve_guest_path(ctx, mem, fd, rights::kPathCreateDirectory, path, path_len,
                                   LastComponent::Entry, t);
      e != Errno::Success) {
    return e;
  }
  return check(mkdirat(t.dir.get(), t.name.c_str(), 0777));
}

Errno path_filestat_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint32_t flags, Ptr path,
                        uint32_t path_len, Ptr stat_out) {
  PathTarget t;
  if (Errno e = resolve_guest_path(ctx, mem, fd, rights::kPathFilestatGet, path, path_len,
                                   lookup_mode(flags), t);
      e != Errno::Success) {
    return e;
  }
  struct stat st;
  if (stat_target(t, st) != 0) return last_host_errno();
  return store_filestat(mem, stat_out, st);
}

Errno path_filestat_set_times(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint32_t flags,
                              Ptr path, uint32_t path_len, uint64_t atim, uint64_t mtim,
                              uint32_t fst_flags) {
  timespec ts[2];
  if (Errno e = timespecs_from_wasi(atim, mtim, fst_flags, ts); e != Errno::Success) return e;
  PathTarget t;
  if (Errno e = resolve_guest_path(ctx, mem, fd, rights::kPathFilestatSetTimes, path, path_len,
                                   lookup_mode(flags), t);
      e != Errno::Success) {
    return e;
  }
  if (t.name.empty()) return check(utimensat(t.dir.get(), "", ts, AT_EMPTY_PATH));
  return check(utimensat(t.dir.get(), t.name.c_str(), ts, AT_SYMLINK_NOFOLLOW));
}

Errno path_link(WasiCtx& ctx, const GuestMemory& mem, uint32_t old_fd, uint32_t old_flags,
                Ptr old_path, uint32_t old_path_len, uint32_t new_fd, Ptr new_path,
                uint32_t new_path_len) {
  // Following a symlink would make the link's target depend on a path the
  // kernel resolves outside the sandbox's control; wasi-testsuite expects Inval.
  if (old_flags & kLookupSymlinkFollow) return Errno::Inval;
  FdEntry* dir;
  if (Errno e = get_dir(ctx, old_fd, rights::kPathLinkSource, dir); e != Errno::Success) return e;
  std::string old_p;
  if (Errno e = mem.read_string(old_path, old_path_len, old_p); e != Errno::Success) return e;
  // linkat() follows a source that ends in '/', so such a source is resolved
  // here; it can only name a directory, and directories cannot be hard-linked.
  if (!old_p.empty() && old_p.back() == '/') {
    UniqueFd f;
    Errno e =
        open_beneath(ctx.resolve_mode(), dir->host.get(), old_p, O_PATH | O_DIRECTORY, 0, true, f);
    return e == Errno::Success ? Errno::Perm : e;
  }
  PathTarget src, dst;
  if (Errno e = resolve_at(ctx.resolve_mode(), dir->host.get(), old_p, LastComponent::Entry, src);
      e != Errno::Success) {
    return e;
  }
  if (Errno e = resolve_guest_path(ctx, mem, new_fd, rights::kPathLinkTarget, new_path,
                                   new_path_len, LastComponent::Entry, dst);
      e != Errno::Success) {
    return e;
  }
  return check(linkat(src.dir.get(), src.name.c_str(), dst.dir.get(), dst.name.c_str(), 0));
}

Errno path_readlink(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr path, uint32_t path_len,
                    Ptr buf, uint32_t buf_len, Ptr bufused_out) {
  PathTarget t;
  if (Errno e = resolve_guest_path(ctx, mem, fd, rights::kPathReadlink, path, path_len,
                                   LastComponent::NoFollow, t);
      e != Errno::Success) {
    return e;
  }
  uint8_t* out = mem.range(buf, buf_len);
  if (!out || !mem.in_bounds(bufused_out, 4)) return Errno::Fault;
  std::string target(4096, '\0');
  ssize_t n = readlinkat(t.dir.get(), t.name.c_str(), target.data(), target.size());
  if (n < 0) return last_host_errno();
  // Like readlink(2), a target longer than the buffer is truncated.
  uint32_t copy = static_cast<uint32_t>(std::min<ssize_t>(n, buf_len));
  std::memcpy(out, target.data(), copy);
  return mem.store<uint32_t>(bufused_out, copy);
}

Errno path_remove_directory(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr path,
                            uint32_t path_len) {
  PathTarget t;
  if (Errno e = resolve_guest_path(ctx, mem, fd, rights::kPathRemoveDirectory, path, path_len,
                                   LastComponent::Entry, t);
      e != Errno::Success) {
    return e;
  }
  return check(unlinkat(t.dir.get(), t.name.c_str(), AT_REMOVEDIR));
}

Errno path_rename(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr old_path,
                  uint32_t old_path_len, uint32_t new_fd, Ptr new_path, uint32_t new_path_len) {
  PathTarget src, dst;
  if (Errno e = resolve_guest_path(ctx, mem, fd, rights::kPathRenameSource, old_path, old_path_len,
                                   LastComponent::Entry, src);
      e != Errno::Success) {
    return e;
  }
  if (Errno e = resolve_guest_path(ctx, mem, new_fd, rights::kPathRenameTarget, new_path,
                                   new_path_len, LastComponent::Entry, dst);
      e != Errno::Success) {
    return e;
  }
  return check(renameat(src.dir.get(), src.name.c_str(), dst.dir.get(), dst.name.c_str()));
}

Errno path_symlink(WasiCtx& ctx, const GuestMemory& mem, Ptr old_path, uint32_t old_path_len,
                   uint32_t fd, Ptr new_path, uint32_t new_path_len) {
  std::string target;
  if (Errno e = mem.read_string(old_path, old_path_len, target); e != Errno::Success) return e;
  if (target.find('\0') != std::string::npos) return Errno::IlSeq;
  // An absolute target could never be followed inside the sandbox; refusing it
  // here also keeps the guest from planting links for other host programs.
  if (!target.empty() && target[0] == '/') return kEscapeErrno;
  PathTarget t;
  if (Errno e = resolve_guest_path(ctx, mem, fd, rights::kPathSymlink, new_path, new_path_len,
                                   LastComponent::Entry, t);
      e != Errno::Success) {
    return e;
  }
  return check(symlinkat(target.c_str(), t.dir.get(), t.name.c_str()));
}

Errno path_unlink_file(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr path,
                       uint32_t path_len) {
  PathTarget t;
  if (Errno e = resolve_guest_path(ctx, mem, fd, rights::kPathUnlinkFile, path, path_len,
                                   LastComponent::Entry, t);
      e != Errno::Success) {
    return e;
  }
  return check(unlinkat(t.dir.get(), t.name.c_str(), 0));
}

}  // namespace wasmrun::wasi
