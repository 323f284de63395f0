// path_open: opens a file or directory beneath a directory fd.
//
// Rights: the new fd gets the requested rights, limited to what the directory
// may hand down (its inheriting rights) and to what makes sense for the kind of
// object opened. The host file is opened for writing only when write rights
// survive that limit, so a read-only preopen can never yield a writable host fd.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/path_common.h"
#include "wasi/preview1.h"

namespace wasmrun::wasi {

Errno path_open(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint32_t dirflags, Ptr path,
                uint32_t path_len, uint32_t oflags_in, uint64_t rights_base,
                uint64_t rights_inheriting, uint32_t fdflags_in, Ptr fd_out) {
  if ((oflags_in & ~uint32_t{oflags::kAll}) || (fdflags_in & ~uint32_t{fdflags::kAll})) {
    return Errno::Inval;
  }
  if ((oflags_in & oflags::kCreat) && (oflags_in & oflags::kDirectory)) return Errno::Inval;
  uint64_t need = rights::kPathOpen;
  if (oflags_in & oflags::kCreat) need |= rights::kPathCreateFile;
  if (oflags_in & oflags::kTrunc) need |= rights::kPathFilestatSetSize;
  FdEntry* dir;
  if (Errno e = get_dir(ctx, fd, need, dir); e != Errno::Success) return e;
  std::string p;
  if (Errno e = mem.read_string(path, path_len, p); e != Errno::Success) return e;
  if (!mem.in_bounds(fd_out, 4)) return Errno::Fault;

  uint64_t base = rights_base & dir->rights_inheriting;
  uint64_t inheriting = rights_inheriting & dir->rights_inheriting;

  int flags = 0;
  if (oflags_in & oflags::kCreat) flags |= O_CREAT;
  if (oflags_in & oflags::kExcl) flags |= O_EXCL;
  if (oflags_in & oflags::kTrunc) flags |= O_TRUNC;
  if (oflags_in & oflags::kDirectory) flags |= O_DIRECTORY;
  if (fdflags_in & fdflags::kAppend) flags |= O_APPEND;
  if (fdflags_in & fdflags::kDsync) flags |= O_DSYNC;
  if (fdflags_in & fdflags::kNonblock) flags |= O_NONBLOCK;
  if (fdflags_in & fdflags::kRsync) flags |= O_RSYNC;
  if (fdflags_in & fdflags::kSync) flags |= O_SYNC;

  // As in POSIX, a directory cannot be opened for writing: O_DIRECTORY with a
  // write right is EISDIR (wasi-testsuite path_open_preopen expects exactly that).
  bool want_read = base & (rights::kFdRead | rights::kFdReaddir);
  bool want_write = base & (rights::kFdWrite | rights::kFdAllocate | rights::kFdFilestatSetSize);
  if (!want_write) {
    flags |= O_RDONLY;
  } else {
    flags |= want_read ? O_RDWR : O_WRONLY;
  }

  bool follow = dirflags & kLookupSymlinkFollow;
  UniqueFd host;
  Errno err = open_beneath(ctx.resolve_mode(), dir->host.get(), p, flags, 0666, follow, host);
  if (err != Errno::Success) return err;

  struct stat st;
  if (fstat(host.get(), &st) != 0) return last_host_errno();
  auto entry = std::make_unique<FdEntry>();
  entry->type = filetype_from_mode(st.st_mode);
  entry->rights_base =
      base & (entry->type == FileType::Directory ? rights::kDirectory : rights::kFile);
  entry->rights_inheriting = inheriting;
  entry->readonly = dir->readonly;
  entry->sticky_fdflags = fdflags_in & fdflags::kRsync;
  entry->host = std::move(host);
  uint32_t new_fd;
  if (Errno e = ctx.fds().insert(std::move(entry), new_fd); e != Errno::Success) return e;
  return mem.store<uint32_t>(fd_out, new_fd);
}

}  // namespace wasmrun::wasi
