// Small builders for the hand-written SIMD unit tests.
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <initializer_list>
#include <ostream>

#include "engine/interp/simd.h"

namespace wasmrun::simd {

// gtest prints V128 values as lanes of 32-bit hex words, lane 0 first.
inline void PrintTo(const V128& v, std::ostream* os) {
  auto w = lanes<uint32_t>(v);
  *os << std::hex << "[" << w[0] << " " << w[1] << " " << w[2] << " " << w[3] << "]" << std::dec;
}

namespace test {

/// A vector from lane values (converted to T); missing lanes are zero.
template <class T, class L>
V128 make(std::initializer_list<L> l) {
  std::array<T, kLanes<T>> a{};
  size_t i = 0;
  for (L x : l) a[i++] = static_cast<T>(x);
  return from_lanes(a);
}

inline V128 I8(std::initializer_list<long long> l) { return make<int8_t>(l); }
inline V128 U8(std::initializer_list<long long> l) { return make<uint8_t>(l); }
inline V128 I16(std::initializer_list<long long> l) { return make<int16_t>(l); }
inline V128 U16(std::initializer_list<long long> l) { return make<uint16_t>(l); }
inline V128 I32(std::initializer_list<long long> l) { return make<int32_t>(l); }
inline V128 U32(std::initializer_list<unsigned long long> l) { return make<uint32_t>(l); }
inline V128 I64(std::initializer_list<long long> l) { return make<int64_t>(l); }
inline V128 U64(std::initializer_list<unsigned long long> l) { return make<uint64_t>(l); }
inline V128 F32(std::initializer_list<float> l) { return make<float>(l); }
inline V128 F64(std::initializer_list<double> l) { return make<double>(l); }

inline uint32_t bits(float f) { return std::bit_cast<uint32_t>(f); }
inline uint64_t bits(double d) { return std::bit_cast<uint64_t>(d); }
inline float f32_from(uint32_t b) { return std::bit_cast<float>(b); }
inline double f64_from(uint64_t b) { return std::bit_cast<double>(b); }

inline constexpr uint32_t kCanon32 = 0x7FC00000u;
inline constexpr uint64_t kCanon64 = 0x7FF8000000000000ull;

inline bool is_canonical32(uint32_t b) { return (b & 0x7FFFFFFFu) == kCanon32; }
inline bool is_arithmetic32(uint32_t b) { return (b & kCanon32) == kCanon32; }
inline bool is_canonical64(uint64_t b) { return (b & 0x7FFFFFFFFFFFFFFFull) == kCanon64; }
inline bool is_arithmetic64(uint64_t b) { return (b & kCanon64) == kCanon64; }

}  // namespace test
}  // namespace wasmrun::simd
