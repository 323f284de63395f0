// fd_readdir: directory entries with cookies.
//
// A cookie is the position after an entry in a snapshot of the directory taken
// when the guest starts reading at cookie 0. Positions in a snapshot stay valid
// however the guest pages through it (wasi-libc re-reads from a saved cookie
// whenever its buffer fills), which host telldir() offsets would also give but
// without a way to bound them. Each entry is a 24-byte dirent followed by its
// name; the last one may be cut short, which tells the guest its buffer was full.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "wasi/preview1.h"

namespace wasmrun::wasi {
namespace {

FileType dirent_type(int dirfd, const dirent* d) {
  switch (d->d_type) {
    case DT_REG: return FileType::RegularFile;
    case DT_DIR: return FileType::Directory;
    case DT_LNK: return FileType::SymbolicLink;
    case DT_CHR: return FileType::CharacterDevice;
    case DT_BLK: return FileType::BlockDevice;
    case DT_SOCK: return FileType::SocketStream;
    case DT_FIFO: return FileType::Unknown;
    default: break;
  }
  // Some file systems do not fill d_type.
  struct stat st;
  if (fstatat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return FileType::Unknown;
  return filetype_from_mode(st.st_mode);
}

Errno snapshot(int fd, std::vector<DirEntry>& out) {
  int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return last_host_errno();
  DIR* dir = fdopendir(dfd);
  if (!dir) {
    close(dfd);
    return last_host_errno();
  }
  out.clear();
  errno = 0;
  while (dirent* d = readdir(dir)) {
    out.push_back(DirEntry{d->d_name, d->d_ino, dirent_type(dfd, d)});
  }
  Errno result = errno ? last_host_errno() : Errno::Success;
  closedir(dir);
  return result;
}

}  // namespace

Errno fd_readdir(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr buf, uint32_t buf_len,
                 uint64_t cookie, Ptr bufused_out) {
  FdEntry* e;
  if (Errno err = ctx.fds().get(fd, rights::kFdReaddir, e); err != Errno::Success) return err;
  if (e->type != FileType::Directory) return Errno::NotDir;
  uint8_t* out = mem.range(buf, buf_len);
  if (!out || !mem.in_bounds(bufused_out, 4)) return Errno::Fault;
  if (cookie == 0 || !e->listing_valid) {
    if (Errno err = snapshot(e->host.get(), e->listing); err != Errno::Success) return err;
    e->listing_valid = true;
  }
  uint32_t used = 0;
  for (uint64_t i = cookie; i < e->listing.size() && used < buf_len; ++i) {
    const DirEntry& d = e->listing[i];
    uint8_t head[layout::kDirentSize] = {};
    GuestMemory h{head, sizeof(head)};
    h.store<uint64_t>(0, i + 1);
    h.store<uint64_t>(8, d.ino);
    h.store<uint32_t>(16, static_cast<uint32_t>(d.name.size()));
    h.store<uint8_t>(20, static_cast<uint8_t>(d.type));
    uint32_t n = std::min<uint32_t>(sizeof(head), buf_len - used);
    std::memcpy(out + used, head, n);
    used += n;
    n = static_cast<uint32_t>(std::min<uint64_t>(d.name.size(), buf_len - used));
    std::memcpy(out + used, d.name.data(), n);
    used += n;
  }
  return mem.store<uint32_t>(bufused_out, used);
}

}  // namespace wasmrun::wasi
