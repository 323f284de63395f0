// A plain scalar model of the SIMD semantics, lane by lane: the first version
// of engine/interp/simd.h, kept as an independent reference. The differential
// test compares the optimised library against it on many inputs, so the fast
// paths (vector extensions, SSE) cannot drift from these simple definitions.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "engine/interp/simd.h"

namespace wasmrun::simd_ref {

using simd::from_lanes;
using simd::get_lane;
using simd::kLanes;
using simd::lanes;
using simd::set_lane;
using simd::V128;

namespace detail {

// Unsigned/signed integer of the same width as T (float lanes included).
template <size_t N>
struct IntOfSize;
template <>
struct IntOfSize<1> {
  using U = uint8_t;
  using S = int8_t;
};
template <>
struct IntOfSize<2> {
  using U = uint16_t;
  using S = int16_t;
};
template <>
struct IntOfSize<4> {
  using U = uint32_t;
  using S = int32_t;
};
template <>
struct IntOfSize<8> {
  using U = uint64_t;
  using S = int64_t;
};
template <class T>
using UInt = typename IntOfSize<sizeof(T)>::U;
template <class T>
using SInt = typename IntOfSize<sizeof(T)>::S;

// Lane-wise maps. Plain loops over std::array: clang -O2 turns them into SSE2.
template <class T, class F>
inline V128 map1(V128 a, F f) {
  auto x = lanes<T>(a);
  std::array<T, kLanes<T>> r;
  for (size_t i = 0; i < kLanes<T>; ++i) r[i] = static_cast<T>(f(x[i]));
  return from_lanes(r);
}

template <class T, class F>
inline V128 map2(V128 a, V128 b, F f) {
  auto x = lanes<T>(a);
  auto y = lanes<T>(b);
  std::array<T, kLanes<T>> r;
  for (size_t i = 0; i < kLanes<T>; ++i) r[i] = static_cast<T>(f(x[i], y[i]));
  return from_lanes(r);
}

// Compare: each result lane is all ones if f holds, else zero.
template <class T, class F>
inline V128 cmp2(V128 a, V128 b, F f) {
  auto x = lanes<T>(a);
  auto y = lanes<T>(b);
  std::array<UInt<T>, kLanes<T>> r;
  for (size_t i = 0; i < kLanes<T>; ++i) r[i] = f(x[i], y[i]) ? UInt<T>(~UInt<T>(0)) : UInt<T>(0);
  return from_lanes(r);
}

// Wrapping multiply: small unsigned types promote to int, whose overflow is UB,
// so multiply in at least 32-bit unsigned arithmetic.
template <class U>
inline U wrap_mul(U a, U b) {
  using W = std::conditional_t<(sizeof(U) < 4), uint32_t, U>;
  return static_cast<U>(W(a) * W(b));
}

template <class To, class From>
inline To saturate(From x) {
  if (x < From(std::numeric_limits<To>::min())) return std::numeric_limits<To>::min();
  if (x > From(std::numeric_limits<To>::max())) return std::numeric_limits<To>::max();
  return static_cast<To>(x);
}

// --- Float helpers -----------------------------------------------------------

template <class F>
struct FloatBits;
template <>
struct FloatBits<float> {
  using U = uint32_t;
  static constexpr U kSign = 0x80000000u;
  static constexpr U kQuiet = 0x00400000u;
  // 2^mantissa_bits: every float at or above this magnitude is an integer.
  static constexpr float kIntegral = 8388608.0f;  // 2^23
};
template <>
struct FloatBits<double> {
  using U = uint64_t;
  static constexpr U kSign = 0x8000000000000000ull;
  static constexpr U kQuiet = 0x0008000000000000ull;
  static constexpr double kIntegral = 4503599627370496.0;  // 2^52
};

// A NaN operand comes out quiet with its payload and sign kept. This satisfies
// the spec's rule for NaN propagation: a canonical input gives a canonical
// output and any other NaN gives an arithmetic NaN.
template <class F>
inline F quiet(F x) {
  using B = FloatBits<F>;
  return std::bit_cast<F>(typename B::U(std::bit_cast<typename B::U>(x) | B::kQuiet));
}

template <class F>
inline F fmin(F a, F b) {
  if (a != a) return quiet(a);
  if (b != b) return quiet(b);
  if (a == b) {
    // Only +0/-0 compare equal with different bits; min prefers -0.
    using U = typename FloatBits<F>::U;
    return std::bit_cast<F>(U(std::bit_cast<U>(a) | std::bit_cast<U>(b)));
  }
  return a < b ? a : b;
}

template <class F>
inline F fmax(F a, F b) {
  if (a != a) return quiet(a);
  if (b != b) return quiet(b);
  if (a == b) {
    // max prefers +0.
    using U = typename FloatBits<F>::U;
    return std::bit_cast<F>(U(std::bit_cast<U>(a) & std::bit_cast<U>(b)));
  }
  return a > b ? a : b;
}

// Rounding to integral values without libm calls (which clang cannot vectorize
// and which do not promise to quiet signaling NaNs). Values with magnitude at
// least 2^mantissa are already integers; infinities pass through unchanged.
template <class F>
inline F ftrunc(F x) {
  if (!(std::fabs(x) < FloatBits<F>::kIntegral)) return x != x ? quiet(x) : x;
  using S = std::conditional_t<sizeof(F) == 4, int32_t, int64_t>;
  return std::copysign(static_cast<F>(static_cast<S>(x)), x);
}

template <class F>
inline F ffloor(F x) {
  F t = ftrunc(x);
  return t > x ? t - F(1) : t;
}

template <class F>
inline F fceil(F x) {
  F t = ftrunc(x);
  return t < x ? t + F(1) : t;
}

// Round half to even: adding and subtracting 2^mantissa rounds in the default
// rounding mode, which is ties-to-even. copysign restores the sign of results
// that round to zero (nearest(-0.4) is -0).
template <class F>
inline F fnearest(F x) {
  F ax = std::fabs(x);
  if (!(ax < FloatBits<F>::kIntegral)) return x != x ? quiet(x) : x;
  F r = (ax + FloatBits<F>::kIntegral) - FloatBits<F>::kIntegral;
  return std::copysign(r, x);
}

// trunc_sat: NaN -> 0, out of range -> the nearest bound.
inline int32_t trunc_sat_s32(double x) {
  if (x != x) return 0;
  if (x >= 2147483648.0) return std::numeric_limits<int32_t>::max();
  if (x < -2147483648.0) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(x);
}

inline uint32_t trunc_sat_u32(double x) {
  if (!(x > -1.0)) return 0;  // NaN, and everything that truncates below 0
  if (x >= 4294967296.0) return std::numeric_limits<uint32_t>::max();
  return static_cast<uint32_t>(x);
}

// Float lanes as raw bits for sign manipulation.
template <class F, class G>
inline V128 fbits1(V128 a, G g) {
  return map1<UInt<F>>(a, g);
}

}  // namespace detail

// ============================================================================
// Splat, extract, replace
// ============================================================================

inline V128 i8x16_splat(uint32_t x) {
  V128 v;
  std::memset(v.b, static_cast<uint8_t>(x), 16);
  return v;
}
inline V128 i16x8_splat(uint32_t x) {
  std::array<uint16_t, 8> l;
  l.fill(static_cast<uint16_t>(x));
  return from_lanes(l);
}
inline V128 i32x4_splat(uint32_t x) {
  std::array<uint32_t, 4> l;
  l.fill(x);
  return from_lanes(l);
}
inline V128 i64x2_splat(uint64_t x) {
  std::array<uint64_t, 2> l;
  l.fill(x);
  return from_lanes(l);
}
inline V128 f32x4_splat(uint32_t bits) { return simd_ref::i32x4_splat(bits); }
inline V128 f64x2_splat(uint64_t bits) { return simd_ref::i64x2_splat(bits); }

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
  return simd_ref::i32x4_replace_lane(v, lane, bits);
}
inline V128 f64x2_replace_lane(V128 v, uint8_t lane, uint64_t bits) {
  return simd_ref::i64x2_replace_lane(v, lane, bits);
}

// ============================================================================
// Bitwise
// ============================================================================

inline V128 v128_not(V128 a) {
  return detail::map1<uint64_t>(a, [](uint64_t x) { return ~x; });
}
inline V128 v128_and(V128 a, V128 b) {
  return detail::map2<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x & y; });
}
inline V128 v128_andnot(V128 a, V128 b) {
  return detail::map2<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x & ~y; });
}
inline V128 v128_or(V128 a, V128 b) {
  return detail::map2<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x | y; });
}
inline V128 v128_xor(V128 a, V128 b) {
  return detail::map2<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x ^ y; });
}
/// Bits of `a` where `c` is 1, bits of `b` where `c` is 0.
inline V128 v128_bitselect(V128 a, V128 b, V128 c) {
  auto x = lanes<uint64_t>(a), y = lanes<uint64_t>(b), m = lanes<uint64_t>(c);
  std::array<uint64_t, 2> r;
  for (size_t i = 0; i < 2; ++i) r[i] = (x[i] & m[i]) | (y[i] & ~m[i]);
  return from_lanes(r);
}
inline int32_t v128_any_true(V128 a) {
  auto x = lanes<uint64_t>(a);
  return (x[0] | x[1]) != 0;
}

// ============================================================================
// Shuffles
// ============================================================================

/// Lane i of the result is byte lanes[i] of the 32-byte concatenation a:b.
inline V128 i8x16_shuffle(V128 a, V128 b, const uint8_t lanes[16]) {
  uint8_t both[32];
  std::memcpy(both, a.b, 16);
  std::memcpy(both + 16, b.b, 16);
  V128 r;
  for (size_t i = 0; i < 16; ++i) r.b[i] = both[lanes[i] & 31];
  return r;
}

/// Lane i of the result is a[b[i]], or 0 when b[i] >= 16.
inline V128 i8x16_swizzle(V128 a, V128 b) {
  V128 r;
  for (size_t i = 0; i < 16; ++i) r.b[i] = b.b[i] < 16 ? a.b[b.b[i]] : 0;
  return r;
}

// ============================================================================
// Integer lane arithmetic, generic over the lane type.
// ============================================================================

namespace detail {

template <class U>
inline V128 iadd(V128 a, V128 b) {
  return map2<U>(a, b, [](U x, U y) { return U(x + y); });
}
template <class U>
inline V128 isub(V128 a, V128 b) {
  return map2<U>(a, b, [](U x, U y) { return U(x - y); });
}
template <class U>
inline V128 imul(V128 a, V128 b) {
  return map2<U>(a, b, [](U x, U y) { return wrap_mul(x, y); });
}
template <class U>
inline V128 ineg(V128 a) {
  return map1<U>(a, [](U x) { return U(U(0) - x); });
}
template <class S>
inline V128 iabs(V128 a) {
  using U = UInt<S>;
  return map1<U>(a, [](U x) { return static_cast<S>(x) < 0 ? U(U(0) - x) : x; });
}
template <class T>
inline V128 imin(V128 a, V128 b) {
  return map2<T>(a, b, [](T x, T y) { return x < y ? x : y; });
}
template <class T>
inline V128 imax(V128 a, V128 b) {
  return map2<T>(a, b, [](T x, T y) { return x > y ? x : y; });
}
// Saturating add/sub: compute in int32 (lanes are 8 or 16 bits) and clamp.
template <class T>
inline V128 iadd_sat(V128 a, V128 b) {
  return map2<T>(a, b, [](T x, T y) { return saturate<T>(int32_t(x) + int32_t(y)); });
}
template <class T>
inline V128 isub_sat(V128 a, V128 b) {
  return map2<T>(a, b, [](T x, T y) { return saturate<T>(int32_t(x) - int32_t(y)); });
}
template <class U>
inline V128 iavgr(V128 a, V128 b) {
  return map2<U>(a, b, [](U x, U y) { return U((uint32_t(x) + uint32_t(y) + 1) >> 1); });
}
template <class U>
inline V128 ishl(V128 a, uint32_t n) {
  const unsigned s = n & (sizeof(U) * 8 - 1);
  return map1<U>(a, [s](U x) { return U(x << s); });
}
template <class S>
inline V128 ishr_s(V128 a, uint32_t n) {
  const unsigned s = n & (sizeof(S) * 8 - 1);
  return map1<S>(a, [s](S x) { return S(x >> s); });  // arithmetic shift (C++20)
}
template <class U>
inline V128 ishr_u(V128 a, uint32_t n) {
  const unsigned s = n & (sizeof(U) * 8 - 1);
  return map1<U>(a, [s](U x) { return U(x >> s); });
}
template <class S>
inline int32_t all_true(V128 a) {
  auto x = lanes<S>(a);
  bool r = true;
  for (S v : x) r &= v != 0;
  return r;
}
template <class S>
inline int32_t bitmask(V128 a) {
  auto x = lanes<S>(a);
  uint32_t r = 0;
  for (size_t i = 0; i < kLanes<S>; ++i) r |= uint32_t(x[i] < 0) << i;
  return static_cast<int32_t>(r);
}

// Widen half of `a` (lanes [off, off + N/2)) from Narrow to Wide.
template <class Wide, class Narrow, size_t Off>
inline V128 extend(V128 a) {
  auto x = lanes<Narrow>(a);
  std::array<Wide, kLanes<Wide>> r;
  for (size_t i = 0; i < kLanes<Wide>; ++i) r[i] = static_cast<Wide>(x[Off + i]);
  return from_lanes(r);
}

// Product of the widened halves; Wide is unsigned for _u and the product fits.
template <class Wide, class Narrow, size_t Off>
inline V128 extmul(V128 a, V128 b) {
  auto x = lanes<Narrow>(a), y = lanes<Narrow>(b);
  std::array<Wide, kLanes<Wide>> r;
  for (size_t i = 0; i < kLanes<Wide>; ++i) {
    // The exact product fits in Wide; multiply in unsigned arithmetic of at
    // least 32 bits so that the C++ expression itself cannot overflow.
    r[i] = static_cast<Wide>(wrap_mul(UInt<Wide>(static_cast<Wide>(x[Off + i])),
                                      UInt<Wide>(static_cast<Wide>(y[Off + i]))));
  }
  return from_lanes(r);
}

template <class Wide, class Narrow>
inline V128 extadd_pairwise(V128 a) {
  auto x = lanes<Narrow>(a);
  std::array<Wide, kLanes<Wide>> r;
  for (size_t i = 0; i < kLanes<Wide>; ++i) r[i] = Wide(Wide(x[2 * i]) + Wide(x[2 * i + 1]));
  return from_lanes(r);
}

// Narrow two vectors of signed Wide lanes into saturated Narrow lanes, a first.
template <class Narrow, class Wide>
inline V128 narrow(V128 a, V128 b) {
  auto x = lanes<Wide>(a), y = lanes<Wide>(b);
  std::array<Narrow, kLanes<Narrow>> r;
  constexpr size_t h = kLanes<Wide>;
  for (size_t i = 0; i < h; ++i) {
    r[i] = saturate<Narrow>(x[i]);
    r[h + i] = saturate<Narrow>(y[i]);
  }
  return from_lanes(r);
}

}  // namespace detail

// --- i8x16 -------------------------------------------------------------------
inline V128 i8x16_abs(V128 a) { return detail::iabs<int8_t>(a); }
inline V128 i8x16_neg(V128 a) { return detail::ineg<uint8_t>(a); }
inline V128 i8x16_popcnt(V128 a) {
  return detail::map1<uint8_t>(a, [](uint8_t x) { return std::popcount(x); });
}
inline int32_t i8x16_all_true(V128 a) { return detail::all_true<int8_t>(a); }
inline int32_t i8x16_bitmask(V128 a) { return detail::bitmask<int8_t>(a); }
inline V128 i8x16_narrow_i16x8_s(V128 a, V128 b) { return detail::narrow<int8_t, int16_t>(a, b); }
inline V128 i8x16_narrow_i16x8_u(V128 a, V128 b) { return detail::narrow<uint8_t, int16_t>(a, b); }
inline V128 i8x16_shl(V128 a, uint32_t n) { return detail::ishl<uint8_t>(a, n); }
inline V128 i8x16_shr_s(V128 a, uint32_t n) { return detail::ishr_s<int8_t>(a, n); }
inline V128 i8x16_shr_u(V128 a, uint32_t n) { return detail::ishr_u<uint8_t>(a, n); }
inline V128 i8x16_add(V128 a, V128 b) { return detail::iadd<uint8_t>(a, b); }
inline V128 i8x16_add_sat_s(V128 a, V128 b) { return detail::iadd_sat<int8_t>(a, b); }
inline V128 i8x16_add_sat_u(V128 a, V128 b) { return detail::iadd_sat<uint8_t>(a, b); }
inline V128 i8x16_sub(V128 a, V128 b) { return detail::isub<uint8_t>(a, b); }
inline V128 i8x16_sub_sat_s(V128 a, V128 b) { return detail::isub_sat<int8_t>(a, b); }
inline V128 i8x16_sub_sat_u(V128 a, V128 b) { return detail::isub_sat<uint8_t>(a, b); }
inline V128 i8x16_min_s(V128 a, V128 b) { return detail::imin<int8_t>(a, b); }
inline V128 i8x16_min_u(V128 a, V128 b) { return detail::imin<uint8_t>(a, b); }
inline V128 i8x16_max_s(V128 a, V128 b) { return detail::imax<int8_t>(a, b); }
inline V128 i8x16_max_u(V128 a, V128 b) { return detail::imax<uint8_t>(a, b); }
inline V128 i8x16_avgr_u(V128 a, V128 b) { return detail::iavgr<uint8_t>(a, b); }

// --- i16x8 -------------------------------------------------------------------
inline V128 i16x8_abs(V128 a) { return detail::iabs<int16_t>(a); }
inline V128 i16x8_neg(V128 a) { return detail::ineg<uint16_t>(a); }
inline int32_t i16x8_all_true(V128 a) { return detail::all_true<int16_t>(a); }
inline int32_t i16x8_bitmask(V128 a) { return detail::bitmask<int16_t>(a); }
inline V128 i16x8_narrow_i32x4_s(V128 a, V128 b) { return detail::narrow<int16_t, int32_t>(a, b); }
inline V128 i16x8_narrow_i32x4_u(V128 a, V128 b) { return detail::narrow<uint16_t, int32_t>(a, b); }
inline V128 i16x8_extend_low_i8x16_s(V128 a) { return detail::extend<int16_t, int8_t, 0>(a); }
inline V128 i16x8_extend_high_i8x16_s(V128 a) { return detail::extend<int16_t, int8_t, 8>(a); }
inline V128 i16x8_extend_low_i8x16_u(V128 a) { return detail::extend<uint16_t, uint8_t, 0>(a); }
inline V128 i16x8_extend_high_i8x16_u(V128 a) { return detail::extend<uint16_t, uint8_t, 8>(a); }
inline V128 i16x8_shl(V128 a, uint32_t n) { return detail::ishl<uint16_t>(a, n); }
inline V128 i16x8_shr_s(V128 a, uint32_t n) { return detail::ishr_s<int16_t>(a, n); }
inline V128 i16x8_shr_u(V128 a, uint32_t n) { return detail::ishr_u<uint16_t>(a, n); }
inline V128 i16x8_add(V128 a, V128 b) { return detail::iadd<uint16_t>(a, b); }
inline V128 i16x8_add_sat_s(V128 a, V128 b) { return detail::iadd_sat<int16_t>(a, b); }
inline V128 i16x8_add_sat_u(V128 a, V128 b) { return detail::iadd_sat<uint16_t>(a, b); }
inline V128 i16x8_sub(V128 a, V128 b) { return detail::isub<uint16_t>(a, b); }
inline V128 i16x8_sub_sat_s(V128 a, V128 b) { return detail::isub_sat<int16_t>(a, b); }
inline V128 i16x8_sub_sat_u(V128 a, V128 b) { return detail::isub_sat<uint16_t>(a, b); }
inline V128 i16x8_mul(V128 a, V128 b) { return detail::imul<uint16_t>(a, b); }
inline V128 i16x8_min_s(V128 a, V128 b) { return detail::imin<int16_t>(a, b); }
inline V128 i16x8_min_u(V128 a, V128 b) { return detail::imin<uint16_t>(a, b); }
inline V128 i16x8_max_s(V128 a, V128 b) { return detail::imax<int16_t>(a, b); }
inline V128 i16x8_max_u(V128 a, V128 b) { return detail::imax<uint16_t>(a, b); }
inline V128 i16x8_avgr_u(V128 a, V128 b) { return detail::iavgr<uint16_t>(a, b); }
/// Q15 rounding multiply: (a * b + 2^14) >> 15, saturated. Only
/// -32768 * -32768 leaves the i16 range.
inline V128 i16x8_q15mulr_sat_s(V128 a, V128 b) {
  return detail::map2<int16_t>(a, b, [](int16_t x, int16_t y) {
    return detail::saturate<int16_t>((int32_t(x) * int32_t(y) + 0x4000) >> 15);
  });
}
inline V128 i16x8_extmul_low_i8x16_s(V128 a, V128 b) {
  return detail::extmul<int16_t, int8_t, 0>(a, b);
}
inline V128 i16x8_extmul_high_i8x16_s(V128 a, V128 b) {
  return detail::extmul<int16_t, int8_t, 8>(a, b);
}
inline V128 i16x8_extmul_low_i8x16_u(V128 a, V128 b) {
  return detail::extmul<uint16_t, uint8_t, 0>(a, b);
}
inline V128 i16x8_extmul_high_i8x16_u(V128 a, V128 b) {
  return detail::extmul<uint16_t, uint8_t, 8>(a, b);
}
inline V128 i16x8_extadd_pairwise_i8x16_s(V128 a) {
  return detail::extadd_pairwise<int16_t, int8_t>(a);
}
inline V128 i16x8_extadd_pairwise_i8x16_u(V128 a) {
  return detail::extadd_pairwise<uint16_t, uint8_t>(a);
}

// --- i32x4 -------------------------------------------------------------------
inline V128 i32x4_abs(V128 a) { return detail::iabs<int32_t>(a); }
inline V128 i32x4_neg(V128 a) { return detail::ineg<uint32_t>(a); }
inline int32_t i32x4_all_true(V128 a) { return detail::all_true<int32_t>(a); }
inline int32_t i32x4_bitmask(V128 a) { return detail::bitmask<int32_t>(a); }
inline V128 i32x4_extend_low_i16x8_s(V128 a) { return detail::extend<int32_t, int16_t, 0>(a); }
inline V128 i32x4_extend_high_i16x8_s(V128 a) { return detail::extend<int32_t, int16_t, 4>(a); }
inline V128 i32x4_extend_low_i16x8_u(V128 a) { return detail::extend<uint32_t, uint16_t, 0>(a); }
inline V128 i32x4_extend_high_i16x8_u(V128 a) { return detail::extend<uint32_t, uint16_t, 4>(a); }
inline V128 i32x4_shl(V128 a, uint32_t n) { return detail::ishl<uint32_t>(a, n); }
inline V128 i32x4_shr_s(V128 a, uint32_t n) { return detail::ishr_s<int32_t>(a, n); }
inline V128 i32x4_shr_u(V128 a, uint32_t n) { return detail::ishr_u<uint32_t>(a, n); }
inline V128 i32x4_add(V128 a, V128 b) { return detail::iadd<uint32_t>(a, b); }
inline V128 i32x4_sub(V128 a, V128 b) { return detail::isub<uint32_t>(a, b); }
inline V128 i32x4_mul(V128 a, V128 b) { return detail::imul<uint32_t>(a, b); }
inline V128 i32x4_min_s(V128 a, V128 b) { return detail::imin<int32_t>(a, b); }
inline V128 i32x4_min_u(V128 a, V128 b) { return detail::imin<uint32_t>(a, b); }
inline V128 i32x4_max_s(V128 a, V128 b) { return detail::imax<int32_t>(a, b); }
inline V128 i32x4_max_u(V128 a, V128 b) { return detail::imax<uint32_t>(a, b); }
/// Sum of adjacent i16 products, wrapping (only 2 * (-32768)^2 wraps).
inline V128 i32x4_dot_i16x8_s(V128 a, V128 b) {
  auto x = lanes<int16_t>(a), y = lanes<int16_t>(b);
  std::array<uint32_t, 4> r;
  for (size_t i = 0; i < 4; ++i) {
    r[i] = uint32_t(int32_t(x[2 * i]) * y[2 * i]) + uint32_t(int32_t(x[2 * i + 1]) * y[2 * i + 1]);
  }
  return from_lanes(r);
}
inline V128 i32x4_extmul_low_i16x8_s(V128 a, V128 b) {
  return detail::extmul<int32_t, int16_t, 0>(a, b);
}
inline V128 i32x4_extmul_high_i16x8_s(V128 a, V128 b) {
  return detail::extmul<int32_t, int16_t, 4>(a, b);
}
inline V128 i32x4_extmul_low_i16x8_u(V128 a, V128 b) {
  return detail::extmul<uint32_t, uint16_t, 0>(a, b);
}
inline V128 i32x4_extmul_high_i16x8_u(V128 a, V128 b) {
  return detail::extmul<uint32_t, uint16_t, 4>(a, b);
}
inline V128 i32x4_extadd_pairwise_i16x8_s(V128 a) {
  return detail::extadd_pairwise<int32_t, int16_t>(a);
}
inline V128 i32x4_extadd_pairwise_i16x8_u(V128 a) {
  return detail::extadd_pairwise<uint32_t, uint16_t>(a);
}

// --- i64x2 -------------------------------------------------------------------
inline V128 i64x2_abs(V128 a) { return detail::iabs<int64_t>(a); }
inline V128 i64x2_neg(V128 a) { return detail::ineg<uint64_t>(a); }
inline int32_t i64x2_all_true(V128 a) { return detail::all_true<int64_t>(a); }
inline int32_t i64x2_bitmask(V128 a) { return detail::bitmask<int64_t>(a); }
inline V128 i64x2_extend_low_i32x4_s(V128 a) { return detail::extend<int64_t, int32_t, 0>(a); }
inline V128 i64x2_extend_high_i32x4_s(V128 a) { return detail::extend<int64_t, int32_t, 2>(a); }
inline V128 i64x2_extend_low_i32x4_u(V128 a) { return detail::extend<uint64_t, uint32_t, 0>(a); }
inline V128 i64x2_extend_high_i32x4_u(V128 a) { return detail::extend<uint64_t, uint32_t, 2>(a); }
inline V128 i64x2_shl(V128 a, uint32_t n) { return detail::ishl<uint64_t>(a, n); }
inline V128 i64x2_shr_s(V128 a, uint32_t n) { return detail::ishr_s<int64_t>(a, n); }
inline V128 i64x2_shr_u(V128 a, uint32_t n) { return detail::ishr_u<uint64_t>(a, n); }
inline V128 i64x2_add(V128 a, V128 b) { return detail::iadd<uint64_t>(a, b); }
inline V128 i64x2_sub(V128 a, V128 b) { return detail::isub<uint64_t>(a, b); }
inline V128 i64x2_mul(V128 a, V128 b) { return detail::imul<uint64_t>(a, b); }
inline V128 i64x2_extmul_low_i32x4_s(V128 a, V128 b) {
  return detail::extmul<int64_t, int32_t, 0>(a, b);
}
inline V128 i64x2_extmul_high_i32x4_s(V128 a, V128 b) {
  return detail::extmul<int64_t, int32_t, 2>(a, b);
}
inline V128 i64x2_extmul_low_i32x4_u(V128 a, V128 b) {
  return detail::extmul<uint64_t, uint32_t, 0>(a, b);
}
inline V128 i64x2_extmul_high_i32x4_u(V128 a, V128 b) {
  return detail::extmul<uint64_t, uint32_t, 2>(a, b);
}

// --- Integer comparisons -----------------------------------------------------
#define WASMRUN_SIMD_DEFINE_ICMP(shape, T_s, T_u)                        \
  inline V128 shape##_eq(V128 a, V128 b) {                               \
    return detail::cmp2<T_u>(a, b, [](T_u x, T_u y) { return x == y; }); \
  }                                                                      \
  inline V128 shape##_ne(V128 a, V128 b) {                               \
    return detail::cmp2<T_u>(a, b, [](T_u x, T_u y) { return x != y; }); \
  }                                                                      \
  inline V128 shape##_lt_s(V128 a, V128 b) {                             \
    return detail::cmp2<T_s>(a, b, [](T_s x, T_s y) { return x < y; });  \
  }                                                                      \
  inline V128 shape##_gt_s(V128 a, V128 b) {                             \
    return detail::cmp2<T_s>(a, b, [](T_s x, T_s y) { return x > y; });  \
  }                                                                      \
  inline V128 shape##_le_s(V128 a, V128 b) {                             \
    return detail::cmp2<T_s>(a, b, [](T_s x, T_s y) { return x <= y; }); \
  }                                                                      \
  inline V128 shape##_ge_s(V128 a, V128 b) {                             \
    return detail::cmp2<T_s>(a, b, [](T_s x, T_s y) { return x >= y; }); \
  }
#define WASMRUN_SIMD_DEFINE_ICMP_U(shape, T_u)                           \
  inline V128 shape##_lt_u(V128 a, V128 b) {                             \
    return detail::cmp2<T_u>(a, b, [](T_u x, T_u y) { return x < y; });  \
  }                                                                      \
  inline V128 shape##_gt_u(V128 a, V128 b) {                             \
    return detail::cmp2<T_u>(a, b, [](T_u x, T_u y) { return x > y; });  \
  }                                                                      \
  inline V128 shape##_le_u(V128 a, V128 b) {                             \
    return detail::cmp2<T_u>(a, b, [](T_u x, T_u y) { return x <= y; }); \
  }                                                                      \
  inline V128 shape##_ge_u(V128 a, V128 b) {                             \
    return detail::cmp2<T_u>(a, b, [](T_u x, T_u y) { return x >= y; }); \
  }
WASMRUN_SIMD_DEFINE_ICMP(i8x16, int8_t, uint8_t)
WASMRUN_SIMD_DEFINE_ICMP_U(i8x16, uint8_t)
WASMRUN_SIMD_DEFINE_ICMP(i16x8, int16_t, uint16_t)
WASMRUN_SIMD_DEFINE_ICMP_U(i16x8, uint16_t)
WASMRUN_SIMD_DEFINE_ICMP(i32x4, int32_t, uint32_t)
WASMRUN_SIMD_DEFINE_ICMP_U(i32x4, uint32_t)
WASMRUN_SIMD_DEFINE_ICMP(i64x2, int64_t, uint64_t)  // i64x2 has no unsigned compares
#undef WASMRUN_SIMD_DEFINE_ICMP
#undef WASMRUN_SIMD_DEFINE_ICMP_U

// ============================================================================
// Floating point
// ============================================================================

#define WASMRUN_SIMD_DEFINE_FLOAT(shape, F)                                             \
  inline V128 shape##_eq(V128 a, V128 b) {                                              \
    return detail::cmp2<F>(a, b, [](F x, F y) { return x == y; });                      \
  }                                                                                     \
  inline V128 shape##_ne(V128 a, V128 b) {                                              \
    return detail::cmp2<F>(a, b, [](F x, F y) { return x != y; });                      \
  }                                                                                     \
  inline V128 shape##_lt(V128 a, V128 b) {                                              \
    return detail::cmp2<F>(a, b, [](F x, F y) { return x < y; });                       \
  }                                                                                     \
  inline V128 shape##_gt(V128 a, V128 b) {                                              \
    return detail::cmp2<F>(a, b, [](F x, F y) { return x > y; });                       \
  }                                                                                     \
  inline V128 shape##_le(V128 a, V128 b) {                                              \
    return detail::cmp2<F>(a, b, [](F x, F y) { return x <= y; });                      \
  }                                                                                     \
  inline V128 shape##_ge(V128 a, V128 b) {                                              \
    return detail::cmp2<F>(a, b, [](F x, F y) { return x >= y; });                      \
  }                                                                                     \
  /* Hardware add/sub/mul/div/sqrt already follow IEEE 754 and the spec's NaN rules: */ \
  /* a NaN operand comes out quieted, a new NaN is the (canonical) default NaN. */      \
  inline V128 shape##_add(V128 a, V128 b) {                                             \
    return detail::map2<F>(a, b, [](F x, F y) { return x + y; });                       \
  }                                                                                     \
  inline V128 shape##_sub(V128 a, V128 b) {                                             \
    return detail::map2<F>(a, b, [](F x, F y) { return x - y; });                       \
  }                                                                                     \
  inline V128 shape##_mul(V128 a, V128 b) {                                             \
    return detail::map2<F>(a, b, [](F x, F y) { return x * y; });                       \
  }                                                                                     \
  inline V128 shape##_div(V128 a, V128 b) {                                             \
    return detail::map2<F>(a, b, [](F x, F y) { return x / y; });                       \
  }                                                                                     \
  inline V128 shape##_sqrt(V128 a) {                                                    \
    return detail::map1<F>(a, [](F x) { return std::sqrt(x); });                        \
  }                                                                                     \
  inline V128 shape##_min(V128 a, V128 b) {                                             \
    return detail::map2<F>(a, b, [](F x, F y) { return detail::fmin(x, y); });          \
  }                                                                                     \
  inline V128 shape##_max(V128 a, V128 b) {                                             \
    return detail::map2<F>(a, b, [](F x, F y) { return detail::fmax(x, y); });          \
  }                                                                                     \
  /* pmin/pmax are defined as selects, so NaNs and zeros pass through unchanged. */     \
  inline V128 shape##_pmin(V128 a, V128 b) {                                            \
    return detail::map2<F>(a, b, [](F x, F y) { return y < x ? y : x; });               \
  }                                                                                     \
  inline V128 shape##_pmax(V128 a, V128 b) {                                            \
    return detail::map2<F>(a, b, [](F x, F y) { return x < y ? y : x; });               \
  }                                                                                     \
  inline V128 shape##_abs(V128 a) {                                                     \
    using U = detail::UInt<F>;                                                          \
    return detail::map1<U>(a, [](U x) { return U(x & ~detail::FloatBits<F>::kSign); }); \
  }                                                                                     \
  inline V128 shape##_neg(V128 a) {                                                     \
    using U = detail::UInt<F>;                                                          \
    return detail::map1<U>(a, [](U x) { return U(x ^ detail::FloatBits<F>::kSign); });  \
  }                                                                                     \
  inline V128 shape##_ceil(V128 a) { return detail::map1<F>(a, detail::fceil<F>); }     \
  inline V128 shape##_floor(V128 a) { return detail::map1<F>(a, detail::ffloor<F>); }   \
  inline V128 shape##_trunc(V128 a) { return detail::map1<F>(a, detail::ftrunc<F>); }   \
  inline V128 shape##_nearest(V128 a) { return detail::map1<F>(a, detail::fnearest<F>); }
WASMRUN_SIMD_DEFINE_FLOAT(f32x4, float)
WASMRUN_SIMD_DEFINE_FLOAT(f64x2, double)
#undef WASMRUN_SIMD_DEFINE_FLOAT

// --- Conversions -------------------------------------------------------------

inline V128 i32x4_trunc_sat_f32x4_s(V128 a) {
  auto x = lanes<float>(a);
  std::array<int32_t, 4> r;
  for (size_t i = 0; i < 4; ++i) r[i] = detail::trunc_sat_s32(x[i]);  // exact widening
  return from_lanes(r);
}
inline V128 i32x4_trunc_sat_f32x4_u(V128 a) {
  auto x = lanes<float>(a);
  std::array<uint32_t, 4> r;
  for (size_t i = 0; i < 4; ++i) r[i] = detail::trunc_sat_u32(x[i]);
  return from_lanes(r);
}
inline V128 i32x4_trunc_sat_f64x2_s_zero(V128 a) {
  auto x = lanes<double>(a);
  std::array<int32_t, 4> r = {detail::trunc_sat_s32(x[0]), detail::trunc_sat_s32(x[1]), 0, 0};
  return from_lanes(r);
}
inline V128 i32x4_trunc_sat_f64x2_u_zero(V128 a) {
  auto x = lanes<double>(a);
  std::array<uint32_t, 4> r = {detail::trunc_sat_u32(x[0]), detail::trunc_sat_u32(x[1]), 0, 0};
  return from_lanes(r);
}
inline V128 f32x4_convert_i32x4_s(V128 a) {
  auto x = lanes<int32_t>(a);
  std::array<float, 4> r;
  for (size_t i = 0; i < 4; ++i) r[i] = static_cast<float>(x[i]);  // round to nearest even
  return from_lanes(r);
}
inline V128 f32x4_convert_i32x4_u(V128 a) {
  auto x = lanes<uint32_t>(a);
  std::array<float, 4> r;
  for (size_t i = 0; i < 4; ++i) r[i] = static_cast<float>(x[i]);
  return from_lanes(r);
}
inline V128 f64x2_convert_low_i32x4_s(V128 a) {
  auto x = lanes<int32_t>(a);
  return from_lanes(std::array<double, 2>{double(x[0]), double(x[1])});
}
inline V128 f64x2_convert_low_i32x4_u(V128 a) {
  auto x = lanes<uint32_t>(a);
  return from_lanes(std::array<double, 2>{double(x[0]), double(x[1])});
}

namespace detail {
// NaNs are converted by hand so the result does not depend on the FPU: the sign
// and the top payload bits are kept and the quiet bit is set, which maps the
// canonical NaN to the canonical NaN and any other NaN to an arithmetic NaN.
inline float demote(double d) {
  if (d != d) {
    uint64_t u = std::bit_cast<uint64_t>(d);
    uint32_t sign = uint32_t(u >> 32) & 0x80000000u;
    uint32_t payload = uint32_t((u & 0x000FFFFFFFFFFFFFull) >> 29);
    return std::bit_cast<float>(sign | 0x7FC00000u | payload);
  }
  return static_cast<float>(d);
}
inline double promote(float f) {
  if (f != f) {
    uint32_t u = std::bit_cast<uint32_t>(f);
    uint64_t sign = uint64_t(u & 0x80000000u) << 32;
    uint64_t payload = uint64_t(u & 0x007FFFFFu) << 29;
    return std::bit_cast<double>(sign | 0x7FF8000000000000ull | payload);
  }
  return static_cast<double>(f);
}
}  // namespace detail

inline V128 f32x4_demote_f64x2_zero(V128 a) {
  auto x = lanes<double>(a);
  return from_lanes(std::array<float, 4>{detail::demote(x[0]), detail::demote(x[1]), 0.0f, 0.0f});
}
inline V128 f64x2_promote_low_f32x4(V128 a) {
  auto x = lanes<float>(a);
  return from_lanes(std::array<double, 2>{detail::promote(x[0]), detail::promote(x[1])});
}

// ============================================================================
// Relaxed SIMD. Each picks one behaviour the spec allows (docs/simd.md).
// ============================================================================

/// Same as swizzle: out-of-range indices give 0.
inline V128 i8x16_relaxed_swizzle(V128 a, V128 b) { return simd_ref::i8x16_swizzle(a, b); }
/// Same as the saturating truncations: NaN gives 0, out of range saturates.
inline V128 i32x4_relaxed_trunc_f32x4_s(V128 a) { return simd_ref::i32x4_trunc_sat_f32x4_s(a); }
inline V128 i32x4_relaxed_trunc_f32x4_u(V128 a) { return simd_ref::i32x4_trunc_sat_f32x4_u(a); }
inline V128 i32x4_relaxed_trunc_f64x2_s_zero(V128 a) {
  return simd_ref::i32x4_trunc_sat_f64x2_s_zero(a);
}
inline V128 i32x4_relaxed_trunc_f64x2_u_zero(V128 a) {
  return simd_ref::i32x4_trunc_sat_f64x2_u_zero(a);
}

namespace detail {
// Unfused multiply-add: two roundings. Fusing would need an FMA unit or a slow
// libm call. Contraction is switched off so the compiler cannot fuse them
// behind our back (GCC does not contract in ISO mode, which the build uses).
template <class F>
inline F madd_unfused(F a, F b, F c) {
#if defined(__clang__)
#pragma clang fp contract(off)
#endif
  F p = a * b;
  return p + c;
}
}  // namespace detail

/// a * b + c, rounded twice (never fused).
inline V128 f32x4_relaxed_madd(V128 a, V128 b, V128 c) {
  auto x = lanes<float>(a), y = lanes<float>(b), z = lanes<float>(c);
  std::array<float, 4> r;
  for (size_t i = 0; i < 4; ++i) r[i] = detail::madd_unfused(x[i], y[i], z[i]);
  return from_lanes(r);
}
/// -(a * b) + c, rounded twice (never fused).
inline V128 f32x4_relaxed_nmadd(V128 a, V128 b, V128 c) {
  auto x = lanes<float>(a), y = lanes<float>(b), z = lanes<float>(c);
  std::array<float, 4> r;
  for (size_t i = 0; i < 4; ++i) r[i] = detail::madd_unfused(-x[i], y[i], z[i]);
  return from_lanes(r);
}
inline V128 f64x2_relaxed_madd(V128 a, V128 b, V128 c) {
  auto x = lanes<double>(a), y = lanes<double>(b), z = lanes<double>(c);
  std::array<double, 2> r;
  for (size_t i = 0; i < 2; ++i) r[i] = detail::madd_unfused(x[i], y[i], z[i]);
  return from_lanes(r);
}
inline V128 f64x2_relaxed_nmadd(V128 a, V128 b, V128 c) {
  auto x = lanes<double>(a), y = lanes<double>(b), z = lanes<double>(c);
  std::array<double, 2> r;
  for (size_t i = 0; i < 2; ++i) r[i] = detail::madd_unfused(-x[i], y[i], z[i]);
  return from_lanes(r);
}

/// Laneselect is bitselect for every lane width (the spec allows it for any mask).
inline V128 i8x16_relaxed_laneselect(V128 a, V128 b, V128 c) {
  return simd_ref::v128_bitselect(a, b, c);
}
inline V128 i16x8_relaxed_laneselect(V128 a, V128 b, V128 c) {
  return simd_ref::v128_bitselect(a, b, c);
}
inline V128 i32x4_relaxed_laneselect(V128 a, V128 b, V128 c) {
  return simd_ref::v128_bitselect(a, b, c);
}
inline V128 i64x2_relaxed_laneselect(V128 a, V128 b, V128 c) {
  return simd_ref::v128_bitselect(a, b, c);
}

/// Relaxed min/max are the strict min/max (NaN propagating, -0 < +0).
inline V128 f32x4_relaxed_min(V128 a, V128 b) { return simd_ref::f32x4_min(a, b); }
inline V128 f32x4_relaxed_max(V128 a, V128 b) { return simd_ref::f32x4_max(a, b); }
inline V128 f64x2_relaxed_min(V128 a, V128 b) { return simd_ref::f64x2_min(a, b); }
inline V128 f64x2_relaxed_max(V128 a, V128 b) { return simd_ref::f64x2_max(a, b); }

/// Same as q15mulr_sat_s: -32768 * -32768 saturates to 32767.
inline V128 i16x8_relaxed_q15mulr_s(V128 a, V128 b) { return simd_ref::i16x8_q15mulr_sat_s(a, b); }

/// Both operands are signed; each i16 lane is the saturated sum of two adjacent
/// products. Only (-128 * -128) * 2 = 32768 leaves the range (to 32767).
inline V128 i16x8_relaxed_dot_i8x16_i7x16_s(V128 a, V128 b) {
  auto x = lanes<int8_t>(a), y = lanes<int8_t>(b);
  std::array<int16_t, 8> r;
  for (size_t i = 0; i < 8; ++i) {
    int32_t s = int32_t(x[2 * i]) * y[2 * i] + int32_t(x[2 * i + 1]) * y[2 * i + 1];
    r[i] = detail::saturate<int16_t>(s);
  }
  return from_lanes(r);
}

/// relaxed_dot_i8x16_i7x16_s, then pairwise-widened to i32 and added to c
/// (wrapping).
inline V128 i32x4_relaxed_dot_i8x16_i7x16_add_s(V128 a, V128 b, V128 c) {
  auto d = lanes<int16_t>(simd_ref::i16x8_relaxed_dot_i8x16_i7x16_s(a, b));
  auto z = lanes<uint32_t>(c);
  std::array<uint32_t, 4> r;
  for (size_t i = 0; i < 4; ++i) r[i] = uint32_t(int32_t(d[2 * i]) + int32_t(d[2 * i + 1])) + z[i];
  return from_lanes(r);
}

}  // namespace wasmrun::simd_ref
