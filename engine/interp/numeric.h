// Scalar numeric semantics with the spec's exact rules (NaN propagation, signed
// zeros, trapping conversions), shared by the interpreter's handlers.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace wasmrun::interp::num {

/// The result of min/max with a NaN operand: the first NaN operand, quieted (an
/// arithmetic NaN, canonical when that operand is). Chosen in source rather than
/// left to `a + b`, whose operands the compiler may swap (it did, in sanitizer
/// builds): every tier and every build must give the same bits.
template <class F>
inline F quiet_first_nan(F a, F b) {
  using U = std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t>;
  U bits = std::bit_cast<U>(std::isnan(a) ? a : b);
  return std::bit_cast<F>(static_cast<U>(bits | (U{1} << (std::numeric_limits<F>::digits - 2))));
}

/// `a + b` and `a * b` with a NaN operand giving the first NaN operand, quieted:
/// x86's rule for addss/mulss in wasm operand order, which the baseline JIT
/// emits. The compiler may commute a C++ `+` or `*` (it did in the fused mul/add
/// handlers), so handlers that need the order say it explicitly.
template <class F>
inline F add_ordered(F a, F b) {
  F r = a + b;
  if (std::isnan(r) && (std::isnan(a) || std::isnan(b))) [[unlikely]]
    return quiet_first_nan(a, b);
  return r;
}

template <class F>
inline F mul_ordered(F a, F b) {
  F r = a * b;
  if (std::isnan(r) && (std::isnan(a) || std::isnan(b))) [[unlikely]]
    return quiet_first_nan(a, b);
  return r;
}

template <class F>
inline F fmin(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return quiet_first_nan(a, b);
  if (a == b) return std::signbit(a) ? a : b;  // min(-0, +0) = -0
  return a < b ? a : b;
}

template <class F>
inline F fmax(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return quiet_first_nan(a, b);
  if (a == b) return std::signbit(a) ? b : a;  // max(-0, +0) = +0
  return a > b ? a : b;
}

inline float fnearest(float a) { return std::nearbyint(a); }
inline double fnearest(double a) { return std::nearbyint(a); }

inline uint32_t f32_bits(float f) { return std::bit_cast<uint32_t>(f); }
inline uint64_t f64_bits(double f) { return std::bit_cast<uint64_t>(f); }
inline float f32_from(uint32_t b) { return std::bit_cast<float>(b); }
inline double f64_from(uint64_t b) { return std::bit_cast<double>(b); }

/// 0 = ok, 1 = NaN (invalid conversion), 2 = out of range (integer overflow).
/// Range checks use exact bounds: the float must truncate into the target range.
template <class I, class F>
inline int trunc_check(F f) {
  if (std::isnan(f)) return 1;
  F t = std::trunc(f);
  if constexpr (std::is_signed_v<I>) {
    // -2^(N-1) and 2^(N-1) are exact in F.
    constexpr F lo = static_cast<F>(std::numeric_limits<I>::min());
    constexpr F hi = -lo;
    if (t < lo || t >= hi) return 2;
  } else {
    constexpr F hi = static_cast<F>(std::numeric_limits<I>::max() / 2 + 1) * F(2);
    if (t <= F(-1) || t >= hi) return 2;
  }
  return 0;
}

template <class I, class F>
inline I trunc_sat(F f) {
  if (std::isnan(f)) return 0;
  if constexpr (std::is_signed_v<I>) {
    constexpr F lo = static_cast<F>(std::numeric_limits<I>::min());
    constexpr F hi = -lo;
    if (f < lo) return std::numeric_limits<I>::min();
    if (f >= hi) return std::numeric_limits<I>::max();
  } else {
    constexpr F hi = static_cast<F>(std::numeric_limits<I>::max() / 2 + 1) * F(2);
    if (f <= F(-1)) return 0;
    if (f >= hi) return std::numeric_limits<I>::max();
  }
  return static_cast<I>(f);
}

template <class T>
inline T rotl(T a, T b) {
  return std::rotl(a, static_cast<int>(b & (sizeof(T) * 8 - 1)));
}
template <class T>
inline T rotr(T a, T b) {
  return std::rotr(a, static_cast<int>(b & (sizeof(T) * 8 - 1)));
}

}  // namespace wasmrun::interp::num
