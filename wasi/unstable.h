// wasi_unstable: the older snapshot that pre-2020 toolchains import. It has the
// same functions as wasi_snapshot_preview1 and differs only in three places,
// which these adapters translate before and after calling the preview1 core:
//  - `whence` is ordered cur = 0, end = 1, set = 2;
//  - `filestat` has a u32 nlink at offset 20 (56 bytes in all);
//  - a clock `subscription` carries an extra u64 `identifier` before clock_id
//    (56 bytes per subscription instead of 48).
#pragma once

#include "wasi/preview1.h"

namespace wasmrun::wasi::unstable {

inline constexpr uint32_t kFilestatSize = 56;
inline constexpr uint32_t kSubscriptionSize = 56;

Errno fd_seek(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint64_t offset, uint32_t whence,
              Ptr newoffset_out);
Errno fd_filestat_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr stat_out);
Errno path_filestat_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint32_t flags, Ptr path,
                        uint32_t path_len, Ptr stat_out);
Errno poll_oneoff(WasiCtx& ctx, const GuestMemory& mem, Ptr in, Ptr out, uint32_t nsubscriptions,
                  Ptr nevents_out);

}  // namespace wasmrun::wasi::unstable
