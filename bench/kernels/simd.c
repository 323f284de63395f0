// A SIMD-friendly integer kernel written with generic vector types (i32x4 in
// wasm with -msimd128, SSE2 natively): a per-lane hash over 16 K-element arrays,
// n passes, reduced to a checksum. Integer lanes keep the result exact.
#include "kernel.h"

typedef i32 v4i __attribute__((vector_size(16)));
typedef u32 v4u __attribute__((vector_size(16)));

#define LEN 16384
static v4u a[LEN / 4], b[LEN / 4];

int run(int n) {
  u32 seed = 31337;
  for (i32 i = 0; i < LEN / 4; i++) {
    for (i32 l = 0; l < 4; l++) {
      a[i][l] = xorshift32(&seed);
      b[i][l] = xorshift32(&seed);
    }
  }
  v4u acc = {0, 0, 0, 0};
  for (i32 r = 0; r < n; r++) {
    v4u k = {(u32)r, (u32)r * 3u, (u32)r * 5u, (u32)r * 7u};
    for (i32 i = 0; i < LEN / 4; i++) {
      v4u x = a[i] * 0x9e3779b1u + (b[i] ^ k);
      x ^= x >> 15;
      v4u m = (v4u)((v4i)x > (v4i)b[i]);  // lane mask: compares and selects
      x = (x & m) | ((x + b[i]) & ~m);
      a[i] = x;
      acc += x;
    }
  }
  u32 h = 2166136261u;
  for (i32 l = 0; l < 4; l++) h = mix(h, acc[l]);
  for (i32 i = 0; i < LEN / 4; i += 97) h = mix(h, a[i][0] ^ a[i][3]);
  return (i32)h;
}
