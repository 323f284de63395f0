// The first steps every path_* function shares: find the directory fd, check
// its rights, read the path out of guest memory and resolve it in the sandbox.
#pragma once

#include <string>

#include "wasi/ctx.h"
#include "wasi/guest_memory.h"

namespace wasmrun::wasi {

/// Looks up directory fd `fd` holding `required` rights: BadF if not open,
/// NotDir if not a directory, NotCapable if a right is missing.
Errno get_dir(WasiCtx& ctx, uint32_t fd, uint64_t required, FdEntry*& out);

/// get_dir, then reads the guest path and resolves it with resolve_at.
Errno resolve_guest_path(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint64_t required,
                         uint32_t path, uint32_t path_len, LastComponent last, PathTarget& out);

}  // namespace wasmrun::wasi
