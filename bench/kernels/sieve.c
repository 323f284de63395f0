// Sieve of Eratosthenes over a 1 MB byte array, repeated n times: byte loads
// and stores with a strided inner loop.
#include "kernel.h"

#define SIZE (1 << 20)
static u8 flags[SIZE];

static i32 sieve(i32 limit) {
  for (i32 i = 0; i < limit; i++) flags[i] = 1;
  flags[0] = flags[1] = 0;
  for (i32 i = 2; i * i < limit; i++)
    if (flags[i])
      for (i32 j = i * i; j < limit; j += i) flags[j] = 0;
  i32 count = 0;
  for (i32 i = 0; i < limit; i++) count += flags[i];
  return count;
}

int run(int n) {
  u32 h = 2166136261u;
  // The limit varies per round so that no compiler can hoist the sieve out of the loop.
  for (i32 r = 0; r < n; r++) h = mix(h, (u32)sieve(SIZE - (r & 15)));
  return (i32)h;
}
