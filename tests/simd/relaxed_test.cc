// Relaxed SIMD: each instruction has one fixed behaviour among those the spec
// allows (docs/simd.md). These tests pin the choice, so a change to it (which
// would make tiers disagree) is deliberate, and check that the inputs on which
// implementations differ get an allowed answer.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "test_helpers.h"

namespace wasmrun::simd {
namespace {

using namespace test;

constexpr float kInf = std::numeric_limits<float>::infinity();

TEST(SimdRelaxed, SwizzleOutOfRangeIsZero) {
  V128 a = U8({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  V128 idx = U8({0, 15, 16, 0x80, 0xFF, 0x8F, 31, 5, 0, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(i8x16_relaxed_swizzle(a, idx), U8({1, 16, 0, 0, 0, 0, 0, 6, 1, 1, 1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(i8x16_relaxed_swizzle(a, idx), i8x16_swizzle(a, idx));
}

TEST(SimdRelaxed, TruncSaturates) {
  // Allowed: saturation or INT_MIN (x86 cvttps2dq) for NaN/out of range; we saturate.
  V128 f = U32({0x7FC00000u, bits(-kInf), bits(kInf), bits(3e9f)});
  EXPECT_EQ(i32x4_relaxed_trunc_f32x4_s(f), I32({0, INT32_MIN, INT32_MAX, INT32_MAX}));
  EXPECT_EQ(i32x4_relaxed_trunc_f32x4_u(f), U32({0, 0, 0xFFFFFFFF, 3000000000u}));
  EXPECT_EQ(i32x4_relaxed_trunc_f32x4_s(F32({-1.5f, 1.5f, -0.0f, 123456.7f})),
            I32({-1, 1, 0, 123456}));
  EXPECT_EQ(i32x4_relaxed_trunc_f32x4_u(F32({-1.5f, 1.5f, 4294967296.0f, 0.99f})),
            U32({0, 1, 0xFFFFFFFF, 0}));
  V128 d = U64({0x7FF8000000000000ull, bits(-3e9)});
  EXPECT_EQ(i32x4_relaxed_trunc_f64x2_s_zero(d), I32({0, INT32_MIN, 0, 0}));
  EXPECT_EQ(i32x4_relaxed_trunc_f64x2_u_zero(d), U32({0, 0, 0, 0}));
  EXPECT_EQ(i32x4_relaxed_trunc_f64x2_u_zero(F64({4294967295.5, 7.9})), U32({0xFFFFFFFF, 7, 0, 0}));
  EXPECT_EQ(i32x4_relaxed_trunc_f64x2_s_zero(F64({-2147483648.5, 2147483647.5})),
            I32({INT32_MIN, INT32_MAX, 0, 0}));
}

TEST(SimdRelaxed, MaddIsUnfused) {
  // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: the product rounds (tie to even) to
  // 1 + 2^-11, so adding -(1 + 2^-11) gives 0 unfused but 2^-24 fused.
  const float x = 1.0f + 0x1p-12f;
  const float c = -(1.0f + 0x1p-11f);
  EXPECT_EQ(f32x4_relaxed_madd(F32({x, 2, 0.5f, -1}), F32({x, 3, 4, kInf}), F32({c, 1, -2, 1})),
            F32({0.0f, 7, 0, -kInf}));
  EXPECT_EQ(f32x4_relaxed_nmadd(F32({x, 2, 0.5f, 1}), F32({x, 3, 4, kInf}), F32({-c, 1, 2, 1})),
            F32({0.0f, -5, 0, -kInf}));
  const double y = 1.0 + 0x1p-27;
  const double e = -(1.0 + 0x1p-26);
  EXPECT_EQ(f64x2_relaxed_madd(F64({y, 1.5}), F64({y, 2}), F64({e, 0.25})), F64({0.0, 3.25}));
  EXPECT_EQ(f64x2_relaxed_nmadd(F64({y, 1.5}), F64({y, 2}), F64({-e, 0.25})), F64({0.0, -2.75}));
  // The product overflows to inf before the addend is seen, so inf + -inf is
  // a (canonical) NaN; fused, the result would be -inf.
  V128 o = f32x4_relaxed_madd(F32({3e38f}), F32({10}), F32({-kInf}));
  EXPECT_TRUE(is_canonical32(lanes<uint32_t>(o)[0]));
  // NaN inputs give NaNs.
  V128 n = f64x2_relaxed_madd(U64({0x7FF4000000000000ull, 0}), F64({1, 0}), F64({1, 0}));
  EXPECT_TRUE(is_arithmetic64(lanes<uint64_t>(n)[0]));
}

TEST(SimdRelaxed, LaneselectIsBitselect) {
  // With a non-uniform mask, implementations may pick bitwise or by top bit;
  // ours is bitwise for every lane width.
  V128 a = i8x16_splat(0xAA), b = i8x16_splat(0x55);
  V128 m = U8({0xFF, 0x00, 0x0F, 0x80, 0x7F, 0xF0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  V128 want = U8({0xAA, 0x55, 0x5A, 0xD5, 0x2A, 0xA5, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
                  0x55, 0x55, 0x55});
  EXPECT_EQ(i8x16_relaxed_laneselect(a, b, m), want);
  EXPECT_EQ(i16x8_relaxed_laneselect(a, b, m), want);
  EXPECT_EQ(i32x4_relaxed_laneselect(a, b, m), want);
  EXPECT_EQ(i64x2_relaxed_laneselect(a, b, m), want);
}

TEST(SimdRelaxed, MinMaxAreStrict) {
  // Allowed: the strict result or either operand for NaN / mixed-sign zeros.
  V128 a = U32({0x7FC00000u, bits(-0.0f), bits(0.0f), bits(1.0f)});
  V128 b = U32({bits(1.0f), bits(0.0f), bits(-0.0f), 0x7FC00000u});
  EXPECT_EQ(f32x4_relaxed_min(a, b), f32x4_min(a, b));
  EXPECT_EQ(f32x4_relaxed_max(a, b), f32x4_max(a, b));
  EXPECT_EQ(f32x4_relaxed_min(a, b), U32({0x7FC00000u, bits(-0.0f), bits(-0.0f), 0x7FC00000u}));
  EXPECT_EQ(f32x4_relaxed_max(a, b), U32({0x7FC00000u, 0, 0, 0x7FC00000u}));
  V128 c = F64({-0.0, 2}), d = F64({0.0, -3});
  EXPECT_EQ(f64x2_relaxed_min(c, d), F64({-0.0, -3}));
  EXPECT_EQ(f64x2_relaxed_max(c, d), F64({0.0, 2}));
}

TEST(SimdRelaxed, Q15MulrSaturates) {
  // Allowed for -32768 * -32768: 32767 or -32768 (pmulhrsw); we saturate.
  EXPECT_EQ(
      i16x8_relaxed_q15mulr_s(I16({-32768, 16384, -32768, 1}), I16({-32768, 16384, 32767, 1})),
      I16({32767, 8192, -32767, 0}));
}

TEST(SimdRelaxed, DotTreatsSecondOperandAsSigned) {
  EXPECT_EQ(
      i16x8_relaxed_dot_i8x16_i7x16_s(I8({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}),
                                      I8({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})),
      I16({1, 13, 41, 85, 145, 221, 313, 421}));
  // Second operand outside i7: signed (-127), giving 32512.
  EXPECT_EQ(i16x8_relaxed_dot_i8x16_i7x16_s(I8({-128, -128, 127, 127}), I8({-127, -127, 127, 127})),
            I16({32512, 32258}));
  // (-128 * -128) * 2 = 32768 saturates in the i16 intermediate.
  EXPECT_EQ(i16x8_relaxed_dot_i8x16_i7x16_s(I8({-128, -128}), I8({-128, -128})), I16({32767}));
  EXPECT_EQ(i32x4_relaxed_dot_i8x16_i7x16_add_s(
                I8({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}),
                I8({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}), I32({0, 1, 2, 3})),
            I32({14, 127, 368, 737}));
  EXPECT_EQ(i32x4_relaxed_dot_i8x16_i7x16_add_s(I8({-128, -128, -128, -128}),
                                                I8({-127, -127, -127, -127}), I32({1, 2, 3, 4})),
            I32({65025, 2, 3, 4}));
  // The accumulator add wraps.
  EXPECT_EQ(
      i32x4_relaxed_dot_i8x16_i7x16_add_s(I8({1, 0, 0, 0}), I8({1, 0, 0, 0}), I32({INT32_MAX})),
      I32({INT32_MIN}));
}

}  // namespace
}  // namespace wasmrun::simd
