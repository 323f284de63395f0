// Internal: GNU vector-extension types used to implement engine/interp/simd.h.
//
// Why vector extensions instead of loops over lanes: a V128 passed by value
// lives in two 64-bit registers, and clang splits a memcpy'd lane array into
// integer pieces before the loop vectoriser sees it, so plain loops compiled to
// 60-230 scalar instructions per operation. Vector types keep the value in one
// SIMD register: `a + b` on u8 lanes is one paddb on x86 and one add on NEON,
// with no target-specific code. Both clang and GCC implement them.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

#include "engine/interp/simd.h"

#if !defined(__GNUC__)
#error "engine/interp/simd.h needs GNU vector extensions (clang or GCC)"
#endif

namespace wasmrun::simd::detail {

// 16-byte vectors, one per lane type.
typedef int8_t vi8 __attribute__((vector_size(16)));
typedef uint8_t vu8 __attribute__((vector_size(16)));
typedef int16_t vi16 __attribute__((vector_size(16)));
typedef uint16_t vu16 __attribute__((vector_size(16)));
typedef int32_t vi32 __attribute__((vector_size(16)));
typedef uint32_t vu32 __attribute__((vector_size(16)));
typedef int64_t vi64 __attribute__((vector_size(16)));
typedef uint64_t vu64 __attribute__((vector_size(16)));
typedef float vf32 __attribute__((vector_size(16)));
typedef double vf64 __attribute__((vector_size(16)));

// Half vectors (8 bytes): the low or high half of a V128 before widening.
typedef int8_t hi8 __attribute__((vector_size(8)));
typedef uint8_t hu8 __attribute__((vector_size(8)));
typedef int16_t hi16 __attribute__((vector_size(8)));
typedef uint16_t hu16 __attribute__((vector_size(8)));
typedef int32_t hi32 __attribute__((vector_size(8)));
typedef uint32_t hu32 __attribute__((vector_size(8)));
typedef float hf32 __attribute__((vector_size(8)));

// Double vectors (32 bytes): 16 or 8 lanes widened, for exact intermediate
// results that are then saturated back (the compiler turns these into
// packsswb, pavgb, pmulhrsw-like sequences).
typedef int16_t wi16 __attribute__((vector_size(32)));
typedef uint16_t wu16 __attribute__((vector_size(32)));
typedef int32_t wi32 __attribute__((vector_size(32)));

/// The lane type of a vector type.
template <class V>
using Elem = std::remove_reference_t<decltype(std::declval<V&>()[0])>;

/// V128 <-> vector, by memcpy (a register move once inlined).
template <class V>
inline V ld(V128 a) {
  V r;
  std::memcpy(&r, a.b, 16);
  return r;
}
template <class V>
inline V128 st(V x) {
  static_assert(sizeof(V) == 16);
  V128 r;
  std::memcpy(r.b, &x, 16);
  return r;
}

/// Reinterprets the bits of a vector as another vector type of the same size.
template <class To, class From>
inline To as(From x) {
  static_assert(sizeof(To) == sizeof(From));
  return (To)x;
}

/// Lane-wise select on integer vectors: a where the mask lane is all ones,
/// else b. `m` is a comparison result (lanes 0 or -1) of the same lane width.
template <class V, class M>
inline V sel(M m, V a, V b) {
  V mv = (V)m;
  return (mv & a) | (~mv & b);
}

/// A vector with every lane equal to x.
template <class V, class T>
inline V splat(T x) {
  V r = {};
  using E = std::remove_reference_t<decltype(r[0])>;
  return r + static_cast<E>(x);
}

}  // namespace wasmrun::simd::detail
