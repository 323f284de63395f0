// Helpers shared by the fd and path functions: guest iovec arrays, the filestat
// struct, and the fstflags-to-timespec rule.
#pragma once

#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

#include <vector>

#include "wasi/guest_memory.h"

namespace wasmrun::wasi {

/// Reads `count` guest iovecs at `iovs` into host iovecs pointing into guest
/// memory; every buffer is bounds-checked. More than IOV_MAX entries are cut to
/// IOV_MAX, which the caller reports as a short transfer.
Errno gather_iovecs(const GuestMemory& mem, uint32_t iovs, uint32_t count, std::vector<iovec>& out);

/// Writes the witx `filestat` for host `st` at `ptr`.
Errno store_filestat(const GuestMemory& mem, uint32_t ptr, const struct stat& st);

/// The two timespecs utimensat wants for WASI (atim, mtim, fst_flags): *_NOW
/// means now, the plain flag means the given time, neither means unchanged.
/// Setting both the time and NOW for one timestamp is Inval, as are unknown bits.
Errno timespecs_from_wasi(uint64_t atim, uint64_t mtim, uint32_t fst_flags, timespec out[2]);

}  // namespace wasmrun::wasi
