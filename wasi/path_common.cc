#include "wasi/path_common.h"

namespace wasmrun::wasi {

Errno get_dir(WasiCtx& ctx, uint32_t fd, uint64_t required, FdEntry*& out) {
  FdEntry* e = ctx.fds().find(fd);
  if (!e) return Errno::BadF;
  if (e->type != FileType::Directory) return Errno::NotDir;
  if ((e->rights_base & required) != required) return Errno::NotCapable;
  out = e;
  return Errno::Success;
}

Errno resolve_guest_path(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint64_t required,
                         uint32_t path, uint32_t path_len, LastComponent last, PathTarget& out) {
  FdEntry* dir;
  if (Errno e = get_dir(ctx, fd, required, dir); e != Errno::Success) return e;
  std::string p;
  if (Errno e = mem.read_string(path, path_len, p); e != Errno::Success) return e;
  return resolve_at(ctx.resolve_mode(), dir->host.get(), p, last, out);
}

}  // namespace wasmrun::wasi
