// memcpy/memmove/memset-heavy loops over a 256 KB buffer with varying sizes and
// alignments (memory.copy / memory.fill in wasm, built with -mbulk-memory).
#include "kernel.h"

#define LEN (256 * 1024)
static u8 buf[LEN];
static u8 dst[LEN];

int run(int n) {
  u32 seed = 777;
  for (i32 i = 0; i < LEN; i++) buf[i] = (u8)xorshift32(&seed);
  __builtin_memset(dst, 0, LEN);
  u32 h = 2166136261u;
  for (i32 r = 0; r < n; r++) {
    u32 x = xorshift32(&seed);
    u32 size = 1024 + (x & 0xffff);  // 1 KB .. 65 KB
    u32 from = (x >> 16) & 0x7fff;   // any alignment
    u32 to = (xorshift32(&seed) & 0x1ffff);
    __builtin_memcpy(dst + to, buf + from, size);
    __builtin_memmove(buf + from + 3, buf + from, size);  // overlapping copy
    __builtin_memset(dst + (to ^ 0x100), (i32)(r & 0xff), size / 2);
    // Small copies too: the per-call overhead matters as much as bandwidth.
    for (i32 k = 0; k < 16; k++) __builtin_memcpy(dst + 64 * k, buf + to + 7 * k, 24);
    h = mix(h, dst[to + size / 3]);
    h = mix(h, buf[from + size / 2]);
  }
  for (i32 i = 0; i < LEN; i += 251) h = mix(h, (u32)dst[i] + buf[i]);
  return (i32)h;
}
