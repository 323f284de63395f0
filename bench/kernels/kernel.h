// Shared by every benchmark kernel. The kernels are built twice: for wasm32 with
// no libc at all (-nostdlib), and natively for the reference column, so this
// header may only use compiler builtins, never a libc header.
#pragma once

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT32_TYPE__ i32;
typedef __INT64_TYPE__ i64;

// Every kernel defines `int run(int n)`: the work scales with n and the result
// is a checksum that the harness compares against a known value, so a runner
// that computes the wrong thing fails instead of looking fast.
int run(int n);

// xorshift32: a tiny PRNG with identical results everywhere (no libc rand()).
static inline u32 xorshift32(u32* state) {
  u32 x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

// Mixes a value into a running checksum; FNV-1a style so that order matters.
static inline u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }
