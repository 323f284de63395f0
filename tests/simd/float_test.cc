// Floating-point lane semantics: NaN propagation and canonical NaNs, min/max
// zero ordering, pmin/pmax, rounding to integral values, conversions and the
// saturating truncations.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "test_helpers.h"

namespace wasmrun::simd {
namespace {

using namespace test;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr double kInfD = std::numeric_limits<double>::infinity();
const uint32_t kSNaN32 = 0x7FA00001u;               // signaling, payload 0x200001
const uint32_t kNegNaN32 = 0xFFC00000u;             // canonical, negative
const uint64_t kSNaN64 = 0x7FF4000000000001ull;     // signaling
const uint64_t kPayload64 = 0xFFF8000000000ABCull;  // quiet, negative, non-canonical

uint32_t lane32(V128 v, int i) { return lanes<uint32_t>(v)[i]; }
uint64_t lane64(V128 v, int i) { return lanes<uint64_t>(v)[i]; }

TEST(SimdFloat, ArithmeticNaNsAreQuiet) {
  V128 nan_in = U32({kSNaN32, kCanon32, 0x7F800000u, 0});
  // Not 1.0: with a constant 1.0 operand, LLVM may fold x * 1 to x and so
  // return a signaling NaN unchanged. Interpreter operands are never constants.
  V128 one = F32({3, 3, 0, 0});
  for (V128 r : {f32x4_add(nan_in, one), f32x4_sub(one, nan_in), f32x4_mul(nan_in, one),
                 f32x4_div(one, nan_in)}) {
    // A NaN operand gives an arithmetic NaN; a canonical operand a canonical one.
    EXPECT_TRUE(is_arithmetic32(lane32(r, 0))) << std::hex << lane32(r, 0);
    EXPECT_TRUE(is_canonical32(lane32(r, 1))) << std::hex << lane32(r, 1);
  }
  // New NaNs (inf * 0, 0 / 0, inf - inf, sqrt(-1)) are canonical.
  EXPECT_TRUE(is_canonical32(lane32(f32x4_mul(nan_in, one), 2)));
  EXPECT_TRUE(is_canonical32(lane32(f32x4_div(F32({0}), F32({0})), 0)));
  EXPECT_TRUE(is_canonical32(lane32(f32x4_sub(F32({kInf}), F32({kInf})), 0)));
  EXPECT_TRUE(is_canonical32(lane32(f32x4_sqrt(F32({-1})), 0)));
  EXPECT_TRUE(is_canonical64(lane64(f64x2_sqrt(F64({-1})), 0)));
  EXPECT_TRUE(is_arithmetic64(lane64(f64x2_add(U64({kSNaN64}), F64({1})), 0)));
  EXPECT_TRUE(is_arithmetic64(lane64(f64x2_sqrt(U64({kSNaN64})), 0)));
}

TEST(SimdFloat, BasicArithmeticIsIEEE) {
  EXPECT_EQ(f32x4_add(F32({0.1f, 3e38f, -0.0f, 1}), F32({0.2f, 3e38f, 0.0f, -1})),
            F32({0.1f + 0.2f, kInf, 0.0f, 0.0f}));
  EXPECT_EQ(f32x4_div(F32({1, -1, 1, 0x1p-149f}), F32({0.0f, 0.0f, -0.0f, 2})),
            F32({kInf, -kInf, -kInf, 0.0f}));  // the last one rounds to even (zero)
  EXPECT_EQ(f64x2_mul(F64({0x1p-1074, 3}), F64({0.5, 1.0 / 3})), F64({0.0, 1.0}));
  EXPECT_EQ(f64x2_sqrt(F64({2, -0.0})), F64({std::sqrt(2.0), -0.0}));
  EXPECT_EQ(f32x4_sqrt(F32({4, kInf, 0x1p-148f, 0})), F32({2, kInf, 0x1p-74f, 0}));
}

TEST(SimdFloat, AbsNegOnlyTouchTheSign) {
  // Bitwise: NaN payloads, signaling NaNs included, pass through unchanged.
  EXPECT_EQ(f32x4_abs(U32({kNegNaN32, kSNaN32 | 0x80000000u, bits(-0.0f), bits(-kInf)})),
            U32({kCanon32, kSNaN32, 0, bits(kInf)}));
  EXPECT_EQ(f32x4_neg(U32({kSNaN32, 0, bits(1.0f), kNegNaN32})),
            U32({kSNaN32 | 0x80000000u, 0x80000000u, bits(-1.0f), kCanon32}));
  EXPECT_EQ(f64x2_abs(U64({kPayload64, bits(-2.5)})), U64({kPayload64 & ~(1ull << 63), bits(2.5)}));
  EXPECT_EQ(f64x2_neg(U64({kSNaN64, bits(0.0)})), U64({kSNaN64 | (1ull << 63), bits(-0.0)}));
}

TEST(SimdFloat, MinMaxZerosAndNaNs) {
  // -0 is smaller than +0, in either operand order.
  EXPECT_EQ(f32x4_min(F32({-0.0f, 0.0f, 1, -kInf}), F32({0.0f, -0.0f, 2, 5})),
            F32({-0.0f, -0.0f, 1, -kInf}));
  EXPECT_EQ(f32x4_max(F32({-0.0f, 0.0f, 1, -kInf}), F32({0.0f, -0.0f, 2, 5})),
            F32({0.0f, 0.0f, 2, 5}));
  EXPECT_EQ(f64x2_min(F64({-0.0, 0.0}), F64({0.0, -0.0})), F64({-0.0, -0.0}));
  EXPECT_EQ(f64x2_max(F64({-0.0, 0.0}), F64({0.0, -0.0})), F64({0.0, 0.0}));
  // A NaN operand, in either position, gives a NaN: canonical stays canonical,
  // anything else comes out quiet with its payload (our documented choice).
  V128 r = f32x4_min(U32({kCanon32, 0, kSNaN32, kNegNaN32}), U32({0, kCanon32, bits(1.0f), 0}));
  EXPECT_TRUE(is_canonical32(lane32(r, 0)));
  EXPECT_TRUE(is_canonical32(lane32(r, 1)));
  EXPECT_EQ(lane32(r, 2), kSNaN32 | 0x00400000u);
  EXPECT_EQ(lane32(r, 3), kNegNaN32);
  V128 m = f64x2_max(U64({bits(kInfD), kSNaN64}), U64({kPayload64, bits(-kInfD)}));
  EXPECT_EQ(lane64(m, 0), kPayload64);
  EXPECT_EQ(lane64(m, 1), kSNaN64 | (1ull << 51));
}

TEST(SimdFloat, PminPmaxAreSelects) {
  // pmin(a, b) = b < a ? b : a: a NaN never compares, so the first operand wins,
  // bit for bit (no quieting), and zeros of either sign keep the first operand.
  V128 a = U32({kSNaN32, bits(1.0f), bits(-0.0f), bits(0.0f)});
  V128 b = U32({bits(1.0f), kSNaN32, bits(0.0f), bits(-0.0f)});
  EXPECT_EQ(f32x4_pmin(a, b), a);
  EXPECT_EQ(f32x4_pmax(a, b), a);
  EXPECT_EQ(f32x4_pmin(F32({1, 3, -kInf}), F32({2, 2, 0})), F32({1, 2, -kInf}));
  EXPECT_EQ(f32x4_pmax(F32({1, 3, -kInf}), F32({2, 2, 0})), F32({2, 3, 0}));
  EXPECT_EQ(f64x2_pmin(U64({kPayload64, bits(2.0)}), F64({1, 1})), U64({kPayload64, bits(1.0)}));
  EXPECT_EQ(f64x2_pmax(F64({-0.0, 1}), F64({0.0, kInfD})), F64({-0.0, kInfD}));
}

TEST(SimdFloat, Comparisons) {
  V128 a = U32({kCanon32, bits(-0.0f), bits(1.0f), bits(-kInf)});
  V128 b = U32({kCanon32, bits(0.0f), bits(2.0f), bits(-kInf)});
  EXPECT_EQ(f32x4_eq(a, b), U32({0, ~0u, 0, ~0u}));  // NaN != NaN, -0 == +0
  EXPECT_EQ(f32x4_ne(a, b), U32({~0u, 0, ~0u, 0}));
  EXPECT_EQ(f32x4_lt(a, b), U32({0, 0, ~0u, 0}));
  EXPECT_EQ(f32x4_le(a, b), U32({0, ~0u, ~0u, ~0u}));
  EXPECT_EQ(f32x4_gt(b, a), f32x4_lt(a, b));
  EXPECT_EQ(f32x4_ge(a, b), U32({0, ~0u, 0, ~0u}));
  V128 c = U64({kSNaN64, bits(1.0)}), d = F64({1, 1});
  EXPECT_EQ(f64x2_eq(c, d), U64({0, ~0ull}));
  EXPECT_EQ(f64x2_ne(c, d), U64({~0ull, 0}));
  EXPECT_EQ(f64x2_lt(c, d), U64({0, 0}));
  EXPECT_EQ(f64x2_le(c, d), U64({0, ~0ull}));
  EXPECT_EQ(f64x2_gt(c, d), U64({0, 0}));
  EXPECT_EQ(f64x2_ge(c, d), U64({0, ~0ull}));
}

TEST(SimdFloat, RoundingF32) {
  V128 x = F32({-0.5f, 0.5f, -1.5f, 2.5f});
  EXPECT_EQ(f32x4_ceil(x), F32({-0.0f, 1, -1, 3}));
  EXPECT_EQ(f32x4_floor(x), F32({-1, 0, -2, 2}));
  EXPECT_EQ(f32x4_trunc(x), F32({-0.0f, 0, -1, 2}));
  EXPECT_EQ(f32x4_nearest(x), F32({-0.0f, 0, -2, 2}));  // ties to even
  // Around 2^23 every float is already an integer; just below, halves exist.
  V128 y = F32({8388607.5f, -8388607.5f, 8388609.0f, 0x1p-149f});
  EXPECT_EQ(f32x4_nearest(y), F32({8388608.0f, -8388608.0f, 8388609.0f, 0.0f}));
  EXPECT_EQ(f32x4_ceil(y), F32({8388608.0f, -8388607.0f, 8388609.0f, 1.0f}));
  EXPECT_EQ(f32x4_floor(y), F32({8388607.0f, -8388608.0f, 8388609.0f, 0.0f}));
  EXPECT_EQ(f32x4_trunc(F32({-0x1p-149f, 3.99f, -kInf, 1e30f})), F32({-0.0f, 3.0f, -kInf, 1e30f}));
  EXPECT_EQ(f32x4_nearest(F32({-0.0f, 0.49999997f, 3.5f, -4.5f})), F32({-0.0f, 0.0f, 4.0f, -4.0f}));
  // NaNs come out quiet (canonical stays canonical).
  V128 n = U32({kSNaN32, kCanon32, kNegNaN32, 0});
  for (V128 r : {f32x4_ceil(n), f32x4_floor(n), f32x4_trunc(n), f32x4_nearest(n)}) {
    EXPECT_EQ(lane32(r, 0), kSNaN32 | 0x00400000u);
    EXPECT_EQ(lane32(r, 1), kCanon32);
    EXPECT_EQ(lane32(r, 2), kNegNaN32);
  }
}

TEST(SimdFloat, RoundingF64) {
  V128 x = F64({-2.5, 4503599627370495.5});
  EXPECT_EQ(f64x2_nearest(x), F64({-2.0, 4503599627370496.0}));
  EXPECT_EQ(f64x2_floor(x), F64({-3.0, 4503599627370495.0}));
  EXPECT_EQ(f64x2_ceil(x), F64({-2.0, 4503599627370496.0}));
  EXPECT_EQ(f64x2_trunc(x), F64({-2.0, 4503599627370495.0}));
  EXPECT_EQ(f64x2_ceil(F64({-0.75, 0x1p-1074})), F64({-0.0, 1.0}));
  EXPECT_EQ(f64x2_floor(F64({-0x1p-1074, 0.75})), F64({-1.0, 0.0}));
  EXPECT_EQ(f64x2_nearest(F64({-0.5, 1e300})), F64({-0.0, 1e300}));
  EXPECT_EQ(f64x2_trunc(F64({kInfD, -kInfD})), F64({kInfD, -kInfD}));
  V128 n = U64({kSNaN64, kCanon64});
  for (V128 r : {f64x2_ceil(n), f64x2_floor(n), f64x2_trunc(n), f64x2_nearest(n)}) {
    EXPECT_EQ(lane64(r, 0), kSNaN64 | (1ull << 51));
    EXPECT_EQ(lane64(r, 1), kCanon64);
  }
}

TEST(SimdFloat, TruncSatF32) {
  EXPECT_EQ(i32x4_trunc_sat_f32x4_s(
                U32({kCanon32, bits(2147483648.0f), bits(-2147483904.0f), bits(-2147483648.0f)})),
            I32({0, INT32_MAX, INT32_MIN, INT32_MIN}));
  EXPECT_EQ(i32x4_trunc_sat_f32x4_s(F32({-1.9f, 1.9f, kInf, -kInf})),
            I32({-1, 1, INT32_MAX, INT32_MIN}));
  EXPECT_EQ(i32x4_trunc_sat_f32x4_s(F32({2147483520.0f, -0.0f, 0x1p-149f})),
            I32({2147483520, 0, 0}));
  EXPECT_EQ(i32x4_trunc_sat_f32x4_u(F32({-0.9f, -1.0f, 4294967296.0f, 4294967040.0f})),
            U32({0, 0, 0xFFFFFFFF, 4294967040u}));
  EXPECT_EQ(i32x4_trunc_sat_f32x4_u(U32({kNegNaN32, kSNaN32, bits(kInf), bits(-kInf)})),
            U32({0, 0, 0xFFFFFFFF, 0}));
}

TEST(SimdFloat, TruncSatF64ZeroesHighLanes) {
  EXPECT_EQ(i32x4_trunc_sat_f64x2_s_zero(F64({2147483647.9, -2147483648.9})),
            I32({INT32_MAX, INT32_MIN, 0, 0}));
  EXPECT_EQ(i32x4_trunc_sat_f64x2_s_zero(F64({2147483648.0, -2147483649.0})),
            I32({INT32_MAX, INT32_MIN, 0, 0}));
  EXPECT_EQ(i32x4_trunc_sat_f64x2_s_zero(U64({kSNaN64, bits(-7.5)})), I32({0, -7, 0, 0}));
  EXPECT_EQ(i32x4_trunc_sat_f64x2_u_zero(F64({4294967295.9, 4294967296.0})),
            U32({0xFFFFFFFF, 0xFFFFFFFF, 0, 0}));
  EXPECT_EQ(i32x4_trunc_sat_f64x2_u_zero(F64({-0.99, -kInfD})), U32({0, 0, 0, 0}));
  EXPECT_EQ(i32x4_trunc_sat_f64x2_u_zero(U64({kCanon64, bits(1e9)})), U32({0, 1000000000, 0, 0}));
}

TEST(SimdFloat, IntToFloatConversions) {
  // Round to nearest, ties to even.
  EXPECT_EQ(f32x4_convert_i32x4_s(I32({16777217, -16777219, INT32_MIN, INT32_MAX})),
            F32({16777216.0f, -16777220.0f, -2147483648.0f, 2147483648.0f}));
  EXPECT_EQ(f32x4_convert_i32x4_u(U32({0xFFFFFFFF, 0x80000080, 0x80000081, 16777217})),
            F32({4294967296.0f, 2147483648.0f, 2147483904.0f, 16777216.0f}));
  EXPECT_EQ(f64x2_convert_low_i32x4_s(I32({INT32_MIN, -1, 99, 99})), F64({-2147483648.0, -1.0}));
  EXPECT_EQ(f64x2_convert_low_i32x4_u(U32({0xFFFFFFFF, 0x80000000, 5, 5})),
            F64({4294967295.0, 2147483648.0}));
}

TEST(SimdFloat, DemotePromote) {
  EXPECT_EQ(f32x4_demote_f64x2_zero(F64({1e300, 0x1p-150})), F32({kInf, 0.0f, 0.0f, 0.0f}));
  // 1 + 2^-24 is a tie between 1 and 1 + 2^-23: to even gives 1.
  EXPECT_EQ(f32x4_demote_f64x2_zero(F64({1.0 + 0x1p-24, -(1.0 + 0x1.8p-23)})),
            F32({1.0f, -(1.0f + 0x1p-22f), 0.0f, 0.0f}));
  V128 d = f32x4_demote_f64x2_zero(U64({kCanon64 | (1ull << 63), kSNaN64}));
  EXPECT_EQ(lane32(d, 0), kNegNaN32);  // canonical stays canonical, sign kept
  EXPECT_TRUE(is_arithmetic32(lane32(d, 1)));
  EXPECT_EQ(lane32(d, 2), 0u);
  EXPECT_EQ(lane32(d, 3), 0u);
  EXPECT_EQ(f64x2_promote_low_f32x4(F32({0x1p-149f, -kInf, 5, 5})), F64({0x1p-149, -kInfD}));
  V128 p = f64x2_promote_low_f32x4(U32({kCanon32, kSNaN32}));
  EXPECT_EQ(lane64(p, 0), kCanon64);
  EXPECT_EQ(lane64(p, 1), 0x7FFC000000000000ull | (1ull << 29));  // quieted, payload kept
}

}  // namespace
}  // namespace wasmrun::simd
