// The SIMD instructions of engine/interp/simd.h (included from there; see that
// header for the conventions and docs/simd.md for the semantics chosen).
//
// Every function is written once with GNU vector extensions (simd_vec.h), which
// compile to SSE2 on any x86-64 and to NEON on AArch64. A few instructions that
// SSE2 cannot express well have an intrinsic path behind the matching feature
// macro (__SSE2__, __SSSE3__, __SSE4_1__); tests/simd/differential_test.cc
// checks all of them against a scalar model.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "engine/interp/simd.h"
#include "engine/interp/simd_vec.h"

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#if !defined(__has_builtin)
#define __has_builtin(x) 0
#endif

namespace wasmrun::simd {

// ============================================================================
// Splat, extract, replace
// ============================================================================

inline V128 i8x16_splat(uint32_t x) { return detail::st(detail::splat<detail::vu8>(x)); }
inline V128 i16x8_splat(uint32_t x) { return detail::st(detail::splat<detail::vu16>(x)); }
inline V128 i32x4_splat(uint32_t x) { return detail::st(detail::splat<detail::vu32>(x)); }
inline V128 i64x2_splat(uint64_t x) { return detail::st(detail::splat<detail::vu64>(x)); }
inline V128 f32x4_splat(uint32_t bits) { return i32x4_splat(bits); }
inline V128 f64x2_splat(uint64_t bits) { return i64x2_splat(bits); }

inline uint32_t i8x16_extract_lane_s(V128 v, uint8_t lane) {
  return static_cast<uint32_t>(static_cast<int32_t>(get_lane<int8_t>(v, lane)));
}
inline uint32_t i8x16_extract_lane_u(V128 v, uint8_t lane) { return get_lane<uint8_t>(v, lane); }
inline uint32_t i16x8_extract_lane_s(V128 v, uint8_t lane) {
  return static_cast<uint32_t>(static_cast<int32_t>(get_lane<int16_t>(v, lane)));
}
inline uint32_t i16x8_extract_lane_u(V128 v, uint8_t lane) { return get_lane<uint16_t>(v, lane); }
inline uint32_t i32x4_extract_lane(V128 v, uint8_t lane) { return get_lane<uint32_t>(v, lane); }
inline uint64_t i64x2_extract_lane(V128 v, uint8_t lane) { return get_lane<uint64_t>(v, lane); }
inline uint32_t f32x4_extract_lane(V128 v, uint8_t lane) { return get_lane<uint32_t>(v, lane); }
inline uint64_t f64x2_extract_lane(V128 v, uint8_t lane) { return get_lane<uint64_t>(v, lane); }

inline V128 i8x16_replace_lane(V128 v, uint8_t lane, uint32_t bits) {
  set_lane<uint8_t>(v, lane, static_cast<uint8_t>(bits));
  return v;
}
inline V128 i16x8_replace_lane(V128 v, uint8_t lane, uint32_t bits) {
  set_lane<uint16_t>(v, lane, static_cast<uint16_t>(bits));
  return v;
}
inline V128 i32x4_replace_lane(V128 v, uint8_t lane, uint32_t bits) {
  set_lane<uint32_t>(v, lane, bits);
  return v;
}
inline V128 i64x2_replace_lane(V128 v, uint8_t lane, uint64_t bits) {
  set_lane<uint64_t>(v, lane, bits);
  return v;
}
inline V128 f32x4_replace_lane(V128 v, uint8_t lane, uint32_t bits) {
  return i32x4_replace_lane(v, lane, bits);
}
inline V128 f64x2_replace_lane(V128 v, uint8_t lane, uint64_t bits) {
  return i64x2_replace_lane(v, lane, bits);
}

// ============================================================================
// Bitwise and whole-vector tests
// ============================================================================

inline V128 v128_not(V128 a) { return detail::st(~detail::ld<detail::vu64>(a)); }
inline V128 v128_and(V128 a, V128 b) {
  return detail::st(detail::ld<detail::vu64>(a) & detail::ld<detail::vu64>(b));
}
/// a & ~b
inline V128 v128_andnot(V128 a, V128 b) {
  return detail::st(detail::ld<detail::vu64>(a) & ~detail::ld<detail::vu64>(b));
}
inline V128 v128_or(V128 a, V128 b) {
  return detail::st(detail::ld<detail::vu64>(a) | detail::ld<detail::vu64>(b));
}
inline V128 v128_xor(V128 a, V128 b) {
  return detail::st(detail::ld<detail::vu64>(a) ^ detail::ld<detail::vu64>(b));
}
/// Bits of `a` where `c` is 1, bits of `b` where `c` is 0.
inline V128 v128_bitselect(V128 a, V128 b, V128 c) {
  using detail::ld;
  using detail::vu64;
  return detail::st(detail::sel(ld<vu64>(c), ld<vu64>(a), ld<vu64>(b)));
}
inline int32_t v128_any_true(V128 a) {
  detail::vu64 x = detail::ld<detail::vu64>(a);
  return (x[0] | x[1]) != 0;
}

namespace detail {
// All lanes nonzero: no lane compares equal to zero.
template <class V>
inline int32_t all_true(V128 a) {
  vu64 z = as<vu64>(ld<V>(a) == 0);
  return (z[0] | z[1]) == 0;
}
}  // namespace detail

inline int32_t i8x16_all_true(V128 a) { return detail::all_true<detail::vu8>(a); }
inline int32_t i16x8_all_true(V128 a) { return detail::all_true<detail::vu16>(a); }
inline int32_t i32x4_all_true(V128 a) { return detail::all_true<detail::vu32>(a); }
inline int32_t i64x2_all_true(V128 a) { return detail::all_true<detail::vu64>(a); }

// Bitmasks: bit i is the top bit of lane i. SSE2 has movemask instructions for
// 8-, 32- and 64-bit lanes; 16-bit lanes are first packed to bytes.
inline int32_t i8x16_bitmask(V128 a) {
#if defined(__SSE2__)
  return _mm_movemask_epi8(detail::ld<__m128i>(a));
#else
  auto x = lanes<int8_t>(a);
  uint32_t r = 0;
  for (size_t i = 0; i < 16; ++i) r |= uint32_t(x[i] < 0) << i;
  return static_cast<int32_t>(r);
#endif
}
inline int32_t i16x8_bitmask(V128 a) {
#if defined(__SSE2__)
  __m128i x = detail::ld<__m128i>(a);
  return _mm_movemask_epi8(_mm_packs_epi16(x, _mm_setzero_si128()));
#else
  auto x = lanes<int16_t>(a);
  uint32_t r = 0;
  for (size_t i = 0; i < 8; ++i) r |= uint32_t(x[i] < 0) << i;
  return static_cast<int32_t>(r);
#endif
}
inline int32_t i32x4_bitmask(V128 a) {
#if defined(__SSE2__)
  return _mm_movemask_ps(detail::ld<__m128>(a));
#else
  auto x = lanes<int32_t>(a);
  uint32_t r = 0;
  for (size_t i = 0; i < 4; ++i) r |= uint32_t(x[i] < 0) << i;
  return static_cast<int32_t>(r);
#endif
}
inline int32_t i64x2_bitmask(V128 a) {
  auto x = lanes<uint64_t>(a);
  return static_cast<int32_t>((x[0] >> 63) | ((x[1] >> 63) << 1));
}

// ============================================================================
// Shuffles
// ============================================================================

/// Lane i of the result is a[b[i]], or 0 when b[i] >= 16.
inline V128 i8x16_swizzle(V128 a, V128 b) {
#if defined(__SSSE3__)
  // pshufb zeroes a lane when the index has its top bit set and otherwise
  // uses the low four bits; a saturating add of 0x70 maps 16..255 to >= 0x80
  // and leaves the low four bits of 0..15 alone.
  __m128i idx = _mm_adds_epu8(detail::ld<__m128i>(b), _mm_set1_epi8(0x70));
  return detail::st(_mm_shuffle_epi8(detail::ld<__m128i>(a), idx));
#else
  V128 r;
  for (size_t i = 0; i < 16; ++i) r.b[i] = b.b[i] < 16 ? a.b[b.b[i]] : 0;
  return r;
#endif
}

/// Lane i of the result is byte lanes[i] (mod 32) of the concatenation a:b.
inline V128 i8x16_shuffle(V128 a, V128 b, const uint8_t lanes[16]) {
#if defined(__SSSE3__)
  __m128i idx =
      _mm_and_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(lanes)), _mm_set1_epi8(31));
  // Indices 0..15 select from a (16..31 + 0x70 saturate past 0x80: zero);
  // indices 16..31 minus 16 select from b (0..15 minus 16 wrap to >= 0xF0: zero).
  __m128i from_a =
      _mm_shuffle_epi8(detail::ld<__m128i>(a), _mm_adds_epu8(idx, _mm_set1_epi8(0x70)));
  __m128i from_b = _mm_shuffle_epi8(detail::ld<__m128i>(b), _mm_sub_epi8(idx, _mm_set1_epi8(16)));
  return detail::st(_mm_or_si128(from_a, from_b));
#else
  uint8_t both[32];
  std::memcpy(both, a.b, 16);
  std::memcpy(both + 16, b.b, 16);
  V128 r;
  for (size_t i = 0; i < 16; ++i) r.b[i] = both[lanes[i] & 31];
  return r;
#endif
}

// ============================================================================
// Integer arithmetic
// ============================================================================

namespace detail {

template <class V>
inline V128 add(V128 a, V128 b) {
  return st(ld<V>(a) + ld<V>(b));
}
template <class V>
inline V128 sub(V128 a, V128 b) {
  return st(ld<V>(a) - ld<V>(b));
}
template <class V>
inline V128 mul(V128 a, V128 b) {
  return st(ld<V>(a) * ld<V>(b));  // unsigned lanes: wrapping
}
template <class V>
inline V128 neg(V128 a) {
  return st(V{} - ld<V>(a));  // unsigned lanes: wrapping
}
// |x| with wrapping at the minimum: (x ^ s) - s with s = x >> (bits - 1).
template <class S, class U>
inline V128 abs(V128 a) {
  S x = ld<S>(a);
  U s = (U)(x >> (sizeof(Elem<S>) * 8 - 1));
  return st(((U)x ^ s) - s);
}
template <class V>
inline V128 min(V128 a, V128 b) {
  V x = ld<V>(a), y = ld<V>(b);
  return st(sel(x < y, x, y));
}
template <class V>
inline V128 max(V128 a, V128 b) {
  V x = ld<V>(a), y = ld<V>(b);
  return st(sel(x > y, x, y));
}
// Clamps the lanes of a wide (32-byte) vector. A macro, not a function: a
// 32-byte vector argument would have a different ABI with and without AVX,
// which clang rightly warns about for inline functions shared across files.
#define WASMRUN_SIMD_CLAMP(x, lo, hi) ((x) < (lo) ? (lo) : (x) > (hi) ? (hi) : (x))

// Saturating add/sub through lanes of twice the width (exact), clamped back.
// Narrow is the 16-lane or 8-lane input type, Wide its widened twin.
template <class Narrow, class Wide, bool kAdd>
inline V128 addsub_sat(V128 a, V128 b) {
#if __has_builtin(__builtin_elementwise_add_sat) && __has_builtin(__builtin_elementwise_sub_sat)
  // One paddsb/paddusb/psubsw/... on x86, one qadd/qsub on NEON.
  if constexpr (kAdd) {
    return st(__builtin_elementwise_add_sat(ld<Narrow>(a), ld<Narrow>(b)));
  } else {
    return st(__builtin_elementwise_sub_sat(ld<Narrow>(a), ld<Narrow>(b)));
  }
#else
  using T = Elem<Narrow>;
  Wide x = __builtin_convertvector(ld<Narrow>(a), Wide);
  Wide y = __builtin_convertvector(ld<Narrow>(b), Wide);
  Wide r = kAdd ? x + y : x - y;
  r = WASMRUN_SIMD_CLAMP(r, Elem<Wide>(std::numeric_limits<T>::min()),
                         Elem<Wide>(std::numeric_limits<T>::max()));
  return st(__builtin_convertvector(r, Narrow));
#endif
}
template <class V, class Wide>
inline V128 avgr(V128 a, V128 b) {
  Wide x = __builtin_convertvector(ld<V>(a), Wide);
  Wide y = __builtin_convertvector(ld<V>(b), Wide);
  return st(__builtin_convertvector((x + y + 1) >> 1, V));
}
template <class U>
inline V128 shl(V128 a, uint32_t n) {
  return st(ld<U>(a) << (n & (sizeof(Elem<U>) * 8 - 1)));
}
template <class S>
inline V128 shr(V128 a, uint32_t n) {  // arithmetic for signed S, logical for unsigned
  return st(ld<S>(a) >> (n & (sizeof(Elem<S>) * 8 - 1)));
}
}  // namespace detail

// --- i8x16 -------------------------------------------------------------------
inline V128 i8x16_abs(V128 a) { return detail::abs<detail::vi8, detail::vu8>(a); }
inline V128 i8x16_neg(V128 a) { return detail::neg<detail::vu8>(a); }
inline V128 i8x16_popcnt(V128 a) {
  using detail::vu8;
  vu8 x = detail::ld<vu8>(a);
#if __has_builtin(__builtin_elementwise_popcount)
  return detail::st(__builtin_elementwise_popcount(x));
#else
  // Bit-sliced count, all in byte lanes.
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return detail::st((vu8)((x + (x >> 4)) & 0x0F));
#endif
}
inline V128 i8x16_shl(V128 a, uint32_t n) { return detail::shl<detail::vu8>(a, n); }
inline V128 i8x16_shr_s(V128 a, uint32_t n) { return detail::shr<detail::vi8>(a, n); }
inline V128 i8x16_shr_u(V128 a, uint32_t n) { return detail::shr<detail::vu8>(a, n); }
inline V128 i8x16_add(V128 a, V128 b) { return detail::add<detail::vu8>(a, b); }
inline V128 i8x16_sub(V128 a, V128 b) { return detail::sub<detail::vu8>(a, b); }
inline V128 i8x16_add_sat_s(V128 a, V128 b) {
  return detail::addsub_sat<detail::vi8, detail::wi16, true>(a, b);
}
inline V128 i8x16_add_sat_u(V128 a, V128 b) {
  return detail::addsub_sat<detail::vu8, detail::wi16, true>(a, b);
}
inline V128 i8x16_sub_sat_s(V128 a, V128 b) {
  return detail::addsub_sat<detail::vi8, detail::wi16, false>(a, b);
}
inline V128 i8x16_sub_sat_u(V128 a, V128 b) {
  return detail::addsub_sat<detail::vu8, detail::wi16, false>(a, b);
}
inline V128 i8x16_min_s(V128 a, V128 b) { return detail::min<detail::vi8>(a, b); }
inline V128 i8x16_min_u(V128 a, V128 b) { return detail::min<detail::vu8>(a, b); }
inline V128 i8x16_max_s(V128 a, V128 b) { return detail::max<detail::vi8>(a, b); }
inline V128 i8x16_max_u(V128 a, V128 b) { return detail::max<detail::vu8>(a, b); }
inline V128 i8x16_avgr_u(V128 a, V128 b) { return detail::avgr<detail::vu8, detail::wu16>(a, b); }

// --- i16x8 -------------------------------------------------------------------
inline V128 i16x8_abs(V128 a) { return detail::abs<detail::vi16, detail::vu16>(a); }
inline V128 i16x8_neg(V128 a) { return detail::neg<detail::vu16>(a); }
inline V128 i16x8_shl(V128 a, uint32_t n) { return detail::shl<detail::vu16>(a, n); }
inline V128 i16x8_shr_s(V128 a, uint32_t n) { return detail::shr<detail::vi16>(a, n); }
inline V128 i16x8_shr_u(V128 a, uint32_t n) { return detail::shr<detail::vu16>(a, n); }
inline V128 i16x8_add(V128 a, V128 b) { return detail::add<detail::vu16>(a, b); }
inline V128 i16x8_sub(V128 a, V128 b) { return detail::sub<detail::vu16>(a, b); }
inline V128 i16x8_mul(V128 a, V128 b) { return detail::mul<detail::vu16>(a, b); }
inline V128 i16x8_add_sat_s(V128 a, V128 b) {
  return detail::addsub_sat<detail::vi16, detail::wi32, true>(a, b);
}
inline V128 i16x8_add_sat_u(V128 a, V128 b) {
  return detail::addsub_sat<detail::vu16, detail::wi32, true>(a, b);
}
inline V128 i16x8_sub_sat_s(V128 a, V128 b) {
  return detail::addsub_sat<detail::vi16, detail::wi32, false>(a, b);
}
inline V128 i16x8_sub_sat_u(V128 a, V128 b) {
  return detail::addsub_sat<detail::vu16, detail::wi32, false>(a, b);
}
inline V128 i16x8_min_s(V128 a, V128 b) { return detail::min<detail::vi16>(a, b); }
inline V128 i16x8_min_u(V128 a, V128 b) { return detail::min<detail::vu16>(a, b); }
inline V128 i16x8_max_s(V128 a, V128 b) { return detail::max<detail::vi16>(a, b); }
inline V128 i16x8_max_u(V128 a, V128 b) { return detail::max<detail::vu16>(a, b); }
inline V128 i16x8_avgr_u(V128 a, V128 b) { return detail::avgr<detail::vu16, detail::wi32>(a, b); }
/// Q15 rounding multiply: (a * b + 2^14) >> 15, saturated. Only
/// -32768 * -32768 leaves the i16 range.
inline V128 i16x8_q15mulr_sat_s(V128 a, V128 b) {
#if defined(__SSSE3__)
  // pmulhrsw computes exactly (a * b + 2^14) >> 15 but wraps the one
  // overflowing case to 0x8000; flip those lanes to 0x7FFF.
  __m128i r = _mm_mulhrs_epi16(detail::ld<__m128i>(a), detail::ld<__m128i>(b));
  return detail::st(_mm_xor_si128(r, _mm_cmpeq_epi16(r, _mm_set1_epi16(INT16_MIN))));
#else
  using namespace detail;
  wi32 x = __builtin_convertvector(ld<vi16>(a), wi32);
  wi32 y = __builtin_convertvector(ld<vi16>(b), wi32);
  wi32 r = (x * y + 0x4000) >> 15;  // |x * y| <= 2^30: no overflow
  r = WASMRUN_SIMD_CLAMP(r, -32768, 32767);
  return st(__builtin_convertvector(r, vi16));
#endif
}

// --- i32x4 / i64x2 -------------------------------------------------------------
inline V128 i32x4_abs(V128 a) { return detail::abs<detail::vi32, detail::vu32>(a); }
inline V128 i32x4_neg(V128 a) { return detail::neg<detail::vu32>(a); }
inline V128 i32x4_shl(V128 a, uint32_t n) { return detail::shl<detail::vu32>(a, n); }
inline V128 i32x4_shr_s(V128 a, uint32_t n) { return detail::shr<detail::vi32>(a, n); }
inline V128 i32x4_shr_u(V128 a, uint32_t n) { return detail::shr<detail::vu32>(a, n); }
inline V128 i32x4_add(V128 a, V128 b) { return detail::add<detail::vu32>(a, b); }
inline V128 i32x4_sub(V128 a, V128 b) { return detail::sub<detail::vu32>(a, b); }
inline V128 i32x4_mul(V128 a, V128 b) { return detail::mul<detail::vu32>(a, b); }
inline V128 i32x4_min_s(V128 a, V128 b) { return detail::min<detail::vi32>(a, b); }
inline V128 i32x4_min_u(V128 a, V128 b) { return detail::min<detail::vu32>(a, b); }
inline V128 i32x4_max_s(V128 a, V128 b) { return detail::max<detail::vi32>(a, b); }
inline V128 i32x4_max_u(V128 a, V128 b) { return detail::max<detail::vu32>(a, b); }

inline V128 i64x2_abs(V128 a) { return detail::abs<detail::vi64, detail::vu64>(a); }
inline V128 i64x2_neg(V128 a) { return detail::neg<detail::vu64>(a); }
inline V128 i64x2_shl(V128 a, uint32_t n) { return detail::shl<detail::vu64>(a, n); }
inline V128 i64x2_shr_s(V128 a, uint32_t n) { return detail::shr<detail::vi64>(a, n); }
inline V128 i64x2_shr_u(V128 a, uint32_t n) { return detail::shr<detail::vu64>(a, n); }
inline V128 i64x2_add(V128 a, V128 b) { return detail::add<detail::vu64>(a, b); }
inline V128 i64x2_sub(V128 a, V128 b) { return detail::sub<detail::vu64>(a, b); }
inline V128 i64x2_mul(V128 a, V128 b) { return detail::mul<detail::vu64>(a, b); }

// --- Narrowing, widening, pairwise ---------------------------------------------

namespace detail {
// Saturates the signed lanes of a then b into lanes half as wide.
template <class Narrow, class In, class Wide, class T>
inline V128 narrow(V128 a, V128 b, T lo, T hi) {
  Wide w;
  if constexpr (sizeof(Elem<In>) == 2) {
    w = __builtin_shufflevector(ld<In>(a), ld<In>(b), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                                14, 15);
  } else {
    w = __builtin_shufflevector(ld<In>(a), ld<In>(b), 0, 1, 2, 3, 4, 5, 6, 7);
  }
  w = WASMRUN_SIMD_CLAMP(w, Elem<Wide>(lo), Elem<Wide>(hi));
  return st(__builtin_convertvector(w, Narrow));
}
}  // namespace detail

inline V128 i8x16_narrow_i16x8_s(V128 a, V128 b) {
  return detail::narrow<detail::vi8, detail::vi16, detail::wi16>(a, b, -128, 127);
}
inline V128 i8x16_narrow_i16x8_u(V128 a, V128 b) {
  return detail::narrow<detail::vu8, detail::vi16, detail::wi16>(a, b, 0, 255);
}
inline V128 i16x8_narrow_i32x4_s(V128 a, V128 b) {
  return detail::narrow<detail::vi16, detail::vi32, detail::wi32>(a, b, -32768, 32767);
}
inline V128 i16x8_narrow_i32x4_u(V128 a, V128 b) {
  return detail::narrow<detail::vu16, detail::vi32, detail::wi32>(a, b, 0, 65535);
}

// Widening takes the low or high half of the lanes. The half is picked with
// __builtin_shufflevector, whose indices must be constants, hence the macros.
#define WASMRUN_SIMD_LO8 0, 1, 2, 3, 4, 5, 6, 7
#define WASMRUN_SIMD_HI8 8, 9, 10, 11, 12, 13, 14, 15
#define WASMRUN_SIMD_LO4 0, 1, 2, 3
#define WASMRUN_SIMD_HI4 4, 5, 6, 7
#define WASMRUN_SIMD_LO2 0, 1
#define WASMRUN_SIMD_HI2 2, 3
#define WASMRUN_SIMD_HALF(V, x, ...) \
  __builtin_shufflevector(detail::ld<detail::V>(x), detail::ld<detail::V>(x), __VA_ARGS__)
#define WASMRUN_SIMD_EXTEND(name, In, Out, ...)                                       \
  inline V128 name(V128 a) {                                                          \
    return detail::st(                                                                \
        __builtin_convertvector(WASMRUN_SIMD_HALF(In, a, __VA_ARGS__), detail::Out)); \
  }
WASMRUN_SIMD_EXTEND(i16x8_extend_low_i8x16_s, vi8, vi16, WASMRUN_SIMD_LO8)
WASMRUN_SIMD_EXTEND(i16x8_extend_high_i8x16_s, vi8, vi16, WASMRUN_SIMD_HI8)
WASMRUN_SIMD_EXTEND(i16x8_extend_low_i8x16_u, vu8, vu16, WASMRUN_SIMD_LO8)
WASMRUN_SIMD_EXTEND(i16x8_extend_high_i8x16_u, vu8, vu16, WASMRUN_SIMD_HI8)
WASMRUN_SIMD_EXTEND(i32x4_extend_low_i16x8_s, vi16, vi32, WASMRUN_SIMD_LO4)
WASMRUN_SIMD_EXTEND(i32x4_extend_high_i16x8_s, vi16, vi32, WASMRUN_SIMD_HI4)
WASMRUN_SIMD_EXTEND(i32x4_extend_low_i16x8_u, vu16, vu32, WASMRUN_SIMD_LO4)
WASMRUN_SIMD_EXTEND(i32x4_extend_high_i16x8_u, vu16, vu32, WASMRUN_SIMD_HI4)
WASMRUN_SIMD_EXTEND(i64x2_extend_low_i32x4_s, vi32, vi64, WASMRUN_SIMD_LO2)
WASMRUN_SIMD_EXTEND(i64x2_extend_high_i32x4_s, vi32, vi64, WASMRUN_SIMD_HI2)
WASMRUN_SIMD_EXTEND(i64x2_extend_low_i32x4_u, vu32, vu64, WASMRUN_SIMD_LO2)
WASMRUN_SIMD_EXTEND(i64x2_extend_high_i32x4_u, vu32, vu64, WASMRUN_SIMD_HI2)
#undef WASMRUN_SIMD_EXTEND

// Extended multiply: both halves widened, multiplied in unsigned wide lanes
// (the exact product fits, so the wrap never happens but cannot be UB).
#define WASMRUN_SIMD_EXTMUL(name, In, Out, OutU, ...)                                              \
  inline V128 name(V128 a, V128 b) {                                                               \
    detail::OutU x = (detail::OutU) __builtin_convertvector(WASMRUN_SIMD_HALF(In, a, __VA_ARGS__), \
                                                            detail::Out);                          \
    detail::OutU y = (detail::OutU) __builtin_convertvector(WASMRUN_SIMD_HALF(In, b, __VA_ARGS__), \
                                                            detail::Out);                          \
    return detail::st(x * y);                                                                      \
  }
WASMRUN_SIMD_EXTMUL(i16x8_extmul_low_i8x16_s, vi8, vi16, vu16, WASMRUN_SIMD_LO8)
WASMRUN_SIMD_EXTMUL(i16x8_extmul_high_i8x16_s, vi8, vi16, vu16, WASMRUN_SIMD_HI8)
WASMRUN_SIMD_EXTMUL(i16x8_extmul_low_i8x16_u, vu8, vu16, vu16, WASMRUN_SIMD_LO8)
WASMRUN_SIMD_EXTMUL(i16x8_extmul_high_i8x16_u, vu8, vu16, vu16, WASMRUN_SIMD_HI8)
WASMRUN_SIMD_EXTMUL(i32x4_extmul_low_i16x8_s, vi16, vi32, vu32, WASMRUN_SIMD_LO4)
WASMRUN_SIMD_EXTMUL(i32x4_extmul_high_i16x8_s, vi16, vi32, vu32, WASMRUN_SIMD_HI4)
WASMRUN_SIMD_EXTMUL(i32x4_extmul_low_i16x8_u, vu16, vu32, vu32, WASMRUN_SIMD_LO4)
WASMRUN_SIMD_EXTMUL(i32x4_extmul_high_i16x8_u, vu16, vu32, vu32, WASMRUN_SIMD_HI4)
WASMRUN_SIMD_EXTMUL(i64x2_extmul_low_i32x4_s, vi32, vi64, vu64, WASMRUN_SIMD_LO2)
WASMRUN_SIMD_EXTMUL(i64x2_extmul_high_i32x4_s, vi32, vi64, vu64, WASMRUN_SIMD_HI2)
WASMRUN_SIMD_EXTMUL(i64x2_extmul_low_i32x4_u, vu32, vu64, vu64, WASMRUN_SIMD_LO2)
WASMRUN_SIMD_EXTMUL(i64x2_extmul_high_i32x4_u, vu32, vu64, vu64, WASMRUN_SIMD_HI2)
#undef WASMRUN_SIMD_EXTMUL

#define WASMRUN_SIMD_EVEN8 0, 2, 4, 6, 8, 10, 12, 14
#define WASMRUN_SIMD_ODD8 1, 3, 5, 7, 9, 11, 13, 15
#define WASMRUN_SIMD_EVEN4 0, 2, 4, 6
#define WASMRUN_SIMD_ODD4 1, 3, 5, 7

// Pairwise sums of adjacent lanes, widened (never overflows the wide lane).
inline V128 i16x8_extadd_pairwise_i8x16_s(V128 a) {
  using detail::vi16;
  return detail::st(__builtin_convertvector(WASMRUN_SIMD_HALF(vi8, a, WASMRUN_SIMD_EVEN8), vi16) +
                    __builtin_convertvector(WASMRUN_SIMD_HALF(vi8, a, WASMRUN_SIMD_ODD8), vi16));
}
inline V128 i16x8_extadd_pairwise_i8x16_u(V128 a) {
  using detail::vu16;
  return detail::st(__builtin_convertvector(WASMRUN_SIMD_HALF(vu8, a, WASMRUN_SIMD_EVEN8), vu16) +
                    __builtin_convertvector(WASMRUN_SIMD_HALF(vu8, a, WASMRUN_SIMD_ODD8), vu16));
}
inline V128 i32x4_extadd_pairwise_i16x8_s(V128 a) {
  using detail::vi32;
  return detail::st(__builtin_convertvector(WASMRUN_SIMD_HALF(vi16, a, WASMRUN_SIMD_EVEN4), vi32) +
                    __builtin_convertvector(WASMRUN_SIMD_HALF(vi16, a, WASMRUN_SIMD_ODD4), vi32));
}
inline V128 i32x4_extadd_pairwise_i16x8_u(V128 a) {
  using detail::vu32;
  return detail::st(__builtin_convertvector(WASMRUN_SIMD_HALF(vu16, a, WASMRUN_SIMD_EVEN4), vu32) +
                    __builtin_convertvector(WASMRUN_SIMD_HALF(vu16, a, WASMRUN_SIMD_ODD4), vu32));
}

/// Sum of adjacent i16 products, wrapping (only 2 * (-32768)^2 wraps).
inline V128 i32x4_dot_i16x8_s(V128 a, V128 b) {
#if defined(__SSE2__)
  return detail::st(_mm_madd_epi16(detail::ld<__m128i>(a), detail::ld<__m128i>(b)));
#else
  using detail::vi32;
  using detail::vu32;
  vu32 ae = (vu32) __builtin_convertvector(WASMRUN_SIMD_HALF(vi16, a, WASMRUN_SIMD_EVEN4), vi32);
  vu32 ao = (vu32) __builtin_convertvector(WASMRUN_SIMD_HALF(vi16, a, WASMRUN_SIMD_ODD4), vi32);
  vu32 be = (vu32) __builtin_convertvector(WASMRUN_SIMD_HALF(vi16, b, WASMRUN_SIMD_EVEN4), vi32);
  vu32 bo = (vu32) __builtin_convertvector(WASMRUN_SIMD_HALF(vi16, b, WASMRUN_SIMD_ODD4), vi32);
  return detail::st(ae * be + ao * bo);
#endif
}

// --- Integer comparisons -------------------------------------------------------
#define WASMRUN_SIMD_CMP(name, V, U, op)                                                  \
  inline V128 name(V128 a, V128 b) {                                                      \
    return detail::st((detail::U)(detail::ld<detail::V>(a) op detail::ld<detail::V>(b))); \
  }
#define WASMRUN_SIMD_ICMP(shape, S, U)     \
  WASMRUN_SIMD_CMP(shape##_eq, U, U, ==)   \
  WASMRUN_SIMD_CMP(shape##_ne, U, U, !=)   \
  WASMRUN_SIMD_CMP(shape##_lt_s, S, U, <)  \
  WASMRUN_SIMD_CMP(shape##_gt_s, S, U, >)  \
  WASMRUN_SIMD_CMP(shape##_le_s, S, U, <=) \
  WASMRUN_SIMD_CMP(shape##_ge_s, S, U, >=)
#define WASMRUN_SIMD_ICMP_U(shape, U)      \
  WASMRUN_SIMD_CMP(shape##_lt_u, U, U, <)  \
  WASMRUN_SIMD_CMP(shape##_gt_u, U, U, >)  \
  WASMRUN_SIMD_CMP(shape##_le_u, U, U, <=) \
  WASMRUN_SIMD_CMP(shape##_ge_u, U, U, >=)
WASMRUN_SIMD_ICMP(i8x16, vi8, vu8)
WASMRUN_SIMD_ICMP_U(i8x16, vu8)
WASMRUN_SIMD_ICMP(i16x8, vi16, vu16)
WASMRUN_SIMD_ICMP_U(i16x8, vu16)
WASMRUN_SIMD_ICMP(i32x4, vi32, vu32)
WASMRUN_SIMD_ICMP_U(i32x4, vu32)
WASMRUN_SIMD_ICMP(i64x2, vi64, vu64)  // i64x2 has no unsigned comparisons
#undef WASMRUN_SIMD_ICMP
#undef WASMRUN_SIMD_ICMP_U

// ============================================================================
// Floating point
// ============================================================================

namespace detail {

// Per-width constants and types for the float templates below.
template <class VF>
struct FloatVec;
template <>
struct FloatVec<vf32> {
  using VU = vu32;
  using VS = vi32;
  static constexpr uint32_t kSign = 0x80000000u;
  static constexpr uint32_t kQuiet = 0x00400000u;
  static constexpr float kIntegral = 8388608.0f;  // 2^23: every float at or above is an integer
};
template <>
struct FloatVec<vf64> {
  using VU = vu64;
  using VS = vi64;
  static constexpr uint64_t kSign = 0x8000000000000000ull;
  static constexpr uint64_t kQuiet = 0x0008000000000000ull;
  static constexpr double kIntegral = 4503599627370496.0;  // 2^52
};

// NaN lanes of x (as bits) with the quiet bit set: the spec's rule for a NaN
// operand (canonical in, canonical out; otherwise an arithmetic NaN).
template <class VF>
inline typename FloatVec<VF>::VU quieted(VF x) {
  using VU = typename FloatVec<VF>::VU;
  return as<VU>(x) | ((VU)(x != x) & FloatVec<VF>::kQuiet);
}

// min/max without branches. Order: ordinary compare, then equal operands (only
// +0/-0 differ: OR of the bits prefers -0, AND prefers +0), then NaNs, the
// first operand's NaN winning.
template <class VF, bool kMin>
inline V128 fminmax(V128 a, V128 b) {
  using VU = typename FloatVec<VF>::VU;
  VF x = ld<VF>(a), y = ld<VF>(b);
  VU xb = as<VU>(x), yb = as<VU>(y);
  VU r = sel(kMin ? x < y : x > y, xb, yb);
  r = sel(x == y, kMin ? (xb | yb) : (xb & yb), r);
  r = sel(y != y, quieted(y), r);
  r = sel(x != x, quieted(x), r);
  return st(r);
}

// Rounding to integral values without libm and without float-to-int
// conversions (which SSE2 lacks for 64-bit lanes). For |x| < 2^mantissa,
// (|x| + 2^m) - 2^m rounds |x| to an integer in the default ties-to-even mode;
// larger magnitudes, infinities and NaNs are already "integral" and pass
// through (NaNs quieted). The sign is put back with a bit OR, which also
// keeps -0 for negative inputs that round to zero.
enum class Round { kNearest, kTrunc, kFloor, kCeil };

template <class VF, Round kMode>
inline V128 fround(V128 a) {
  using F = FloatVec<VF>;
  using VU = typename F::VU;
  VF x = ld<VF>(a);
  VU sign = as<VU>(x) & F::kSign;
  VF ax = as<VF>(as<VU>(x) & ~F::kSign);
  VF big = splat<VF>(F::kIntegral);
  VF one = splat<VF>(1);
  VF r = (ax + big) - big;  // nearest integer to |x|
  if constexpr (kMode != Round::kNearest) {
    r = as<VF>(sel(r > ax, as<VU>(r - one), as<VU>(r)));  // truncated |x|
  }
  VF t = as<VF>(as<VU>(r) | sign);  // nearest or trunc, signed
  if constexpr (kMode == Round::kFloor) t = as<VF>(sel(t > x, as<VU>(t - one), as<VU>(t)));
  if constexpr (kMode == Round::kCeil) t = as<VF>(sel(t < x, as<VU>(t + one), as<VU>(t)));
  // Lanes with |x| >= 2^m, infinities and NaNs (the compare is false) keep x.
  return st(sel(ax < big, as<VU>(t), quieted(x)));
}

}  // namespace detail

#if defined(__SSE4_1__)
// roundps/roundpd round in the requested mode and return a quieted NaN for a
// NaN input, exactly the spec's behaviour. _MM_FROUND_NO_EXC keeps the
// precision exception quiet (it would only set a flag anyway).
#define WASMRUN_SIMD_ROUND(name, VF, mode, intrinsic, mm)                      \
  inline V128 name(V128 a) {                                                   \
    return detail::st(intrinsic(detail::ld<mm>(a), mode | _MM_FROUND_NO_EXC)); \
  }
WASMRUN_SIMD_ROUND(f32x4_ceil, vf32, _MM_FROUND_TO_POS_INF, _mm_round_ps, __m128)
WASMRUN_SIMD_ROUND(f32x4_floor, vf32, _MM_FROUND_TO_NEG_INF, _mm_round_ps, __m128)
WASMRUN_SIMD_ROUND(f32x4_trunc, vf32, _MM_FROUND_TO_ZERO, _mm_round_ps, __m128)
WASMRUN_SIMD_ROUND(f32x4_nearest, vf32, _MM_FROUND_TO_NEAREST_INT, _mm_round_ps, __m128)
WASMRUN_SIMD_ROUND(f64x2_ceil, vf64, _MM_FROUND_TO_POS_INF, _mm_round_pd, __m128d)
WASMRUN_SIMD_ROUND(f64x2_floor, vf64, _MM_FROUND_TO_NEG_INF, _mm_round_pd, __m128d)
WASMRUN_SIMD_ROUND(f64x2_trunc, vf64, _MM_FROUND_TO_ZERO, _mm_round_pd, __m128d)
WASMRUN_SIMD_ROUND(f64x2_nearest, vf64, _MM_FROUND_TO_NEAREST_INT, _mm_round_pd, __m128d)
#undef WASMRUN_SIMD_ROUND
#else
inline V128 f32x4_ceil(V128 a) { return detail::fround<detail::vf32, detail::Round::kCeil>(a); }
inline V128 f32x4_floor(V128 a) { return detail::fround<detail::vf32, detail::Round::kFloor>(a); }
inline V128 f32x4_trunc(V128 a) { return detail::fround<detail::vf32, detail::Round::kTrunc>(a); }
inline V128 f32x4_nearest(V128 a) {
  return detail::fround<detail::vf32, detail::Round::kNearest>(a);
}
inline V128 f64x2_ceil(V128 a) { return detail::fround<detail::vf64, detail::Round::kCeil>(a); }
inline V128 f64x2_floor(V128 a) { return detail::fround<detail::vf64, detail::Round::kFloor>(a); }
inline V128 f64x2_trunc(V128 a) { return detail::fround<detail::vf64, detail::Round::kTrunc>(a); }
inline V128 f64x2_nearest(V128 a) {
  return detail::fround<detail::vf64, detail::Round::kNearest>(a);
}
#endif

namespace detail {
template <class VF>
inline VF vsqrt(VF x) {
#if __has_builtin(__builtin_elementwise_sqrt)
  return __builtin_elementwise_sqrt(x);
#elif defined(__SSE2__)
  if constexpr (sizeof(x[0]) == 4) {
    return (VF)_mm_sqrt_ps((__m128)x);
  } else {
    return (VF)_mm_sqrt_pd((__m128d)x);
  }
#else
  for (size_t i = 0; i < sizeof(VF) / sizeof(x[0]); ++i) x[i] = std::sqrt(x[i]);
  return x;
#endif
}
}  // namespace detail

// Hardware add/sub/mul/div/sqrt already follow IEEE 754 and the spec's NaN
// rules: a NaN operand comes out quieted, a new NaN is the (canonical) default.
#define WASMRUN_SIMD_FLOAT(shape, VF, VU)                                                        \
  inline V128 shape##_add(V128 a, V128 b) {                                                      \
    return detail::st(detail::ld<detail::VF>(a) + detail::ld<detail::VF>(b));                    \
  }                                                                                              \
  inline V128 shape##_sub(V128 a, V128 b) {                                                      \
    return detail::st(detail::ld<detail::VF>(a) - detail::ld<detail::VF>(b));                    \
  }                                                                                              \
  inline V128 shape##_mul(V128 a, V128 b) {                                                      \
    return detail::st(detail::ld<detail::VF>(a) * detail::ld<detail::VF>(b));                    \
  }                                                                                              \
  inline V128 shape##_div(V128 a, V128 b) {                                                      \
    return detail::st(detail::ld<detail::VF>(a) / detail::ld<detail::VF>(b));                    \
  }                                                                                              \
  inline V128 shape##_sqrt(V128 a) {                                                             \
    return detail::st(detail::vsqrt(detail::ld<detail::VF>(a)));                                 \
  }                                                                                              \
  inline V128 shape##_min(V128 a, V128 b) { return detail::fminmax<detail::VF, true>(a, b); }    \
  inline V128 shape##_max(V128 a, V128 b) { return detail::fminmax<detail::VF, false>(a, b); }   \
  /* pmin/pmax are selects: NaNs and zeros pass through bit for bit. */                          \
  inline V128 shape##_pmin(V128 a, V128 b) {                                                     \
    detail::VF x = detail::ld<detail::VF>(a), y = detail::ld<detail::VF>(b);                     \
    return detail::st(detail::sel(y < x, detail::as<detail::VU>(y), detail::as<detail::VU>(x))); \
  }                                                                                              \
  inline V128 shape##_pmax(V128 a, V128 b) {                                                     \
    detail::VF x = detail::ld<detail::VF>(a), y = detail::ld<detail::VF>(b);                     \
    return detail::st(detail::sel(x < y, detail::as<detail::VU>(y), detail::as<detail::VU>(x))); \
  }                                                                                              \
  inline V128 shape##_abs(V128 a) {                                                              \
    return detail::st(detail::ld<detail::VU>(a) & ~detail::FloatVec<detail::VF>::kSign);         \
  }                                                                                              \
  inline V128 shape##_neg(V128 a) {                                                              \
    return detail::st(detail::ld<detail::VU>(a) ^ detail::FloatVec<detail::VF>::kSign);          \
  }                                                                                              \
  WASMRUN_SIMD_CMP(shape##_eq, VF, VU, ==)                                                       \
  WASMRUN_SIMD_CMP(shape##_ne, VF, VU, !=)                                                       \
  WASMRUN_SIMD_CMP(shape##_lt, VF, VU, <)                                                        \
  WASMRUN_SIMD_CMP(shape##_gt, VF, VU, >)                                                        \
  WASMRUN_SIMD_CMP(shape##_le, VF, VU, <=)                                                       \
  WASMRUN_SIMD_CMP(shape##_ge, VF, VU, >=)
WASMRUN_SIMD_FLOAT(f32x4, vf32, vu32)
WASMRUN_SIMD_FLOAT(f64x2, vf64, vu64)
#undef WASMRUN_SIMD_FLOAT
#undef WASMRUN_SIMD_CMP

// --- Conversions -------------------------------------------------------------

// trunc_sat: NaN -> 0, out of range -> the nearest bound. The input is clamped
// into the exactly convertible range first: converting an out-of-range float
// is undefined in C++ (and poison in LLVM), not the saturation we need.
inline V128 i32x4_trunc_sat_f32x4_s(V128 a) {
#if defined(__SSE2__)
  // cvttps2dq gives 0x80000000 for NaN and out-of-range lanes, which is right
  // for large negative inputs; flip it to 0x7FFFFFFF where x >= 2^31 and
  // clear it where x is NaN.
  __m128 x = detail::ld<__m128>(a);
  __m128i r = _mm_cvttps_epi32(x);
  r = _mm_xor_si128(r, _mm_castps_si128(_mm_cmpge_ps(x, _mm_set1_ps(2147483648.0f))));
  return detail::st(_mm_and_si128(r, _mm_castps_si128(_mm_cmpord_ps(x, x))));
#else
  using namespace detail;
  vf32 x = ld<vf32>(a);
  vf32 c = as<vf32>(sel(x < -2147483648.0f, as<vu32>(splat<vf32>(-2147483648.0f)), as<vu32>(x)));
  c = as<vf32>(sel(x > 2147483520.0f, as<vu32>(splat<vf32>(2147483520.0f)), as<vu32>(c)));
  c = as<vf32>(sel(x != x, vu32{}, as<vu32>(c)));
  vi32 r = __builtin_convertvector(c, vi32);
  return st(sel(x >= 2147483648.0f, splat<vi32>(INT32_MAX), r));
#endif
}
inline V128 i32x4_trunc_sat_f32x4_u(V128 a) {
  using namespace detail;
  vf32 x = ld<vf32>(a);
  vf32 c = as<vf32>(sel(x > 0.0f, as<vu32>(x), vu32{}));  // NaN and negatives -> 0
  c = as<vf32>(sel(x > 4294967040.0f, as<vu32>(splat<vf32>(4294967040.0f)), as<vu32>(c)));
  vu32 r = __builtin_convertvector(c, vu32);
  return st(sel(x >= 4294967296.0f, splat<vu32>(UINT32_MAX), r));
}
inline V128 i32x4_trunc_sat_f64x2_s_zero(V128 a) {
  using namespace detail;
  vf64 x = ld<vf64>(a);
  // Every value in [-2^31, 2^31 - 1] truncates correctly once clamped there.
  vf64 c = as<vf64>(sel(x < -2147483648.0, as<vu64>(splat<vf64>(-2147483648.0)), as<vu64>(x)));
  c = as<vf64>(sel(x > 2147483647.0, as<vu64>(splat<vf64>(2147483647.0)), as<vu64>(c)));
  c = as<vf64>(sel(x != x, vu64{}, as<vu64>(c)));
  hi32 r = __builtin_convertvector(c, hi32);
  return st(__builtin_shufflevector(r, hi32{}, 0, 1, 2, 3));
}
inline V128 i32x4_trunc_sat_f64x2_u_zero(V128 a) {
  using namespace detail;
  vf64 x = ld<vf64>(a);
  vf64 c = as<vf64>(sel(x > 0.0, as<vu64>(x), vu64{}));
  c = as<vf64>(sel(x > 4294967295.0, as<vu64>(splat<vf64>(4294967295.0)), as<vu64>(c)));
  hu32 r = __builtin_convertvector(c, hu32);
  return st(__builtin_shufflevector(r, hu32{}, 0, 1, 2, 3));
}
/// Round to nearest, ties to even.
inline V128 f32x4_convert_i32x4_s(V128 a) {
  return detail::st(__builtin_convertvector(detail::ld<detail::vi32>(a), detail::vf32));
}
inline V128 f32x4_convert_i32x4_u(V128 a) {
  return detail::st(__builtin_convertvector(detail::ld<detail::vu32>(a), detail::vf32));
}
/// Exact.
inline V128 f64x2_convert_low_i32x4_s(V128 a) {
  return detail::st(
      __builtin_convertvector(WASMRUN_SIMD_HALF(vi32, a, WASMRUN_SIMD_LO2), detail::vf64));
}
inline V128 f64x2_convert_low_i32x4_u(V128 a) {
  return detail::st(
      __builtin_convertvector(WASMRUN_SIMD_HALF(vu32, a, WASMRUN_SIMD_LO2), detail::vf64));
}

// NaNs are converted by hand so the result does not depend on the FPU: the sign
// and the top payload bits are kept and the quiet bit is set, which maps the
// canonical NaN to the canonical NaN and any other NaN to an arithmetic NaN.
inline V128 f32x4_demote_f64x2_zero(V128 a) {
  using namespace detail;
  vf64 x = ld<vf64>(a);
  vu64 u = as<vu64>(x);
  vu64 nan = ((u >> 32) & 0x80000000u) | 0x7FC00000u | ((u & 0x000FFFFFFFFFFFFFull) >> 29);
  hi32 is_nan = __builtin_convertvector((vi64)(x != x), hi32);
  hu32 r =
      sel(is_nan, __builtin_convertvector(nan, hu32), as<hu32>(__builtin_convertvector(x, hf32)));
  return st(__builtin_shufflevector(r, hu32{}, 0, 1, 2, 3));
}
inline V128 f64x2_promote_low_f32x4(V128 a) {
  using namespace detail;
  hf32 x = WASMRUN_SIMD_HALF(vf32, a, WASMRUN_SIMD_LO2);
  vf64 d = __builtin_convertvector(x, vf64);
  vu64 u = __builtin_convertvector(as<hu32>(x), vu64);
  vu64 nan = ((u & 0x80000000u) << 32) | 0x7FF8000000000000ull | ((u & 0x007FFFFFu) << 29);
  return st(sel(d != d, nan, as<vu64>(d)));
}

// ============================================================================
// Relaxed SIMD. Each picks one behaviour the spec allows (docs/simd.md).
// ============================================================================

/// Same as swizzle: out-of-range indices give 0.
inline V128 i8x16_relaxed_swizzle(V128 a, V128 b) { return i8x16_swizzle(a, b); }
/// Same as the saturating truncations: NaN gives 0, out of range saturates.
inline V128 i32x4_relaxed_trunc_f32x4_s(V128 a) { return i32x4_trunc_sat_f32x4_s(a); }
inline V128 i32x4_relaxed_trunc_f32x4_u(V128 a) { return i32x4_trunc_sat_f32x4_u(a); }
inline V128 i32x4_relaxed_trunc_f64x2_s_zero(V128 a) { return i32x4_trunc_sat_f64x2_s_zero(a); }
inline V128 i32x4_relaxed_trunc_f64x2_u_zero(V128 a) { return i32x4_trunc_sat_f64x2_u_zero(a); }

namespace detail {
// Unfused multiply-add: two roundings. Fusing would need an FMA unit or a slow
// libm call. Contraction is switched off so the compiler cannot fuse them
// behind our back (GCC does not contract in ISO mode, which the build uses).
template <class VF>
inline V128 madd(V128 a, V128 b, V128 c, bool negate) {
#if defined(__clang__)
#pragma clang fp contract(off)
#endif
  VF x = ld<VF>(a);
  if (negate) x = -x;
  VF p = x * ld<VF>(b);
  return st(p + ld<VF>(c));
}
}  // namespace detail

/// a * b + c, rounded twice (never fused).
inline V128 f32x4_relaxed_madd(V128 a, V128 b, V128 c) {
  return detail::madd<detail::vf32>(a, b, c, false);
}
/// -(a * b) + c, rounded twice (never fused).
inline V128 f32x4_relaxed_nmadd(V128 a, V128 b, V128 c) {
  return detail::madd<detail::vf32>(a, b, c, true);
}
inline V128 f64x2_relaxed_madd(V128 a, V128 b, V128 c) {
  return detail::madd<detail::vf64>(a, b, c, false);
}
inline V128 f64x2_relaxed_nmadd(V128 a, V128 b, V128 c) {
  return detail::madd<detail::vf64>(a, b, c, true);
}

/// Laneselect is bitselect for every lane width (the spec allows it for any mask).
inline V128 i8x16_relaxed_laneselect(V128 a, V128 b, V128 c) { return v128_bitselect(a, b, c); }
inline V128 i16x8_relaxed_laneselect(V128 a, V128 b, V128 c) { return v128_bitselect(a, b, c); }
inline V128 i32x4_relaxed_laneselect(V128 a, V128 b, V128 c) { return v128_bitselect(a, b, c); }
inline V128 i64x2_relaxed_laneselect(V128 a, V128 b, V128 c) { return v128_bitselect(a, b, c); }

/// Relaxed min/max are the strict min/max (NaN propagating, -0 < +0).
inline V128 f32x4_relaxed_min(V128 a, V128 b) { return f32x4_min(a, b); }
inline V128 f32x4_relaxed_max(V128 a, V128 b) { return f32x4_max(a, b); }
inline V128 f64x2_relaxed_min(V128 a, V128 b) { return f64x2_min(a, b); }
inline V128 f64x2_relaxed_max(V128 a, V128 b) { return f64x2_max(a, b); }

/// Same as q15mulr_sat_s: -32768 * -32768 saturates to 32767.
inline V128 i16x8_relaxed_q15mulr_s(V128 a, V128 b) { return i16x8_q15mulr_sat_s(a, b); }

/// Both operands are signed; each i16 lane is the saturated sum of two adjacent
/// products. Only (-128 * -128) * 2 = 32768 leaves the range (to 32767).
inline V128 i16x8_relaxed_dot_i8x16_i7x16_s(V128 a, V128 b) {
  using namespace detail;
  vi16 ae = __builtin_convertvector(WASMRUN_SIMD_HALF(vi8, a, WASMRUN_SIMD_EVEN8), vi16);
  vi16 ao = __builtin_convertvector(WASMRUN_SIMD_HALF(vi8, a, WASMRUN_SIMD_ODD8), vi16);
  vi16 be = __builtin_convertvector(WASMRUN_SIMD_HALF(vi8, b, WASMRUN_SIMD_EVEN8), vi16);
  vi16 bo = __builtin_convertvector(WASMRUN_SIMD_HALF(vi8, b, WASMRUN_SIMD_ODD8), vi16);
  // Each product is at most 2^14 in magnitude, so the i16 products are exact;
  // only their sum can overflow, and it saturates.
  vi16 pe = ae * be, po = ao * bo;
#if __has_builtin(__builtin_elementwise_add_sat)
  return st(__builtin_elementwise_add_sat(pe, po));
#else
  vi32 lo = __builtin_convertvector(__builtin_shufflevector(pe, pe, 0, 1, 2, 3), vi32) +
            __builtin_convertvector(__builtin_shufflevector(po, po, 0, 1, 2, 3), vi32);
  vi32 hi = __builtin_convertvector(__builtin_shufflevector(pe, pe, 4, 5, 6, 7), vi32) +
            __builtin_convertvector(__builtin_shufflevector(po, po, 4, 5, 6, 7), vi32);
  return i16x8_narrow_i32x4_s(st(lo), st(hi));
#endif
}

/// relaxed_dot_i8x16_i7x16_s, pairwise-widened to i32, plus c (wrapping).
inline V128 i32x4_relaxed_dot_i8x16_i7x16_add_s(V128 a, V128 b, V128 c) {
  return i32x4_add(i32x4_extadd_pairwise_i16x8_s(i16x8_relaxed_dot_i8x16_i7x16_s(a, b)), c);
}

#undef WASMRUN_SIMD_HALF
#undef WASMRUN_SIMD_CLAMP
#undef WASMRUN_SIMD_LO8
#undef WASMRUN_SIMD_HI8
#undef WASMRUN_SIMD_LO4
#undef WASMRUN_SIMD_HI4
#undef WASMRUN_SIMD_LO2
#undef WASMRUN_SIMD_HI2
#undef WASMRUN_SIMD_EVEN8
#undef WASMRUN_SIMD_ODD8
#undef WASMRUN_SIMD_EVEN4
#undef WASMRUN_SIMD_ODD4

}  // namespace wasmrun::simd
