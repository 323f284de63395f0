// Integer lane semantics: wrapping and saturating arithmetic, shifts, narrowing,
// widening, dot products, comparisons and the lane tests. Edge cases are the
// lane bounds, where the spec's definitions differ from naive C++.
#include <gtest/gtest.h>

#include "test_helpers.h"

namespace wasmrun::simd {
namespace {

using namespace test;

TEST(SimdInt, WrappingAddSubMul) {
  EXPECT_EQ(i8x16_add(I8({127, -128, -1}), I8({1, -1, 1})), I8({-128, 127, 0}));
  EXPECT_EQ(i8x16_sub(I8({-128, 0}), I8({1, 1})), I8({127, -1}));
  EXPECT_EQ(i16x8_add(I16({32767}), I16({1})), I16({-32768}));
  EXPECT_EQ(i16x8_sub(I16({-32768}), I16({1})), I16({32767}));
  // 16-bit products must wrap, not overflow int after promotion.
  EXPECT_EQ(i16x8_mul(U16({65535, 256, 0x8000}), U16({65535, 256, 2})), U16({1, 0, 0}));
  EXPECT_EQ(i32x4_mul(U32({0xFFFFFFFF, 0x10000}), U32({0xFFFFFFFF, 0x10000})), U32({1, 0}));
  EXPECT_EQ(i32x4_add(I32({INT32_MAX, INT32_MIN}), I32({1, -1})), I32({INT32_MIN, INT32_MAX}));
  EXPECT_EQ(i64x2_mul(U64({0x100000000ull, 3}), U64({0x100000000ull, 0xAAAAAAAAAAAAAAABull})),
            U64({0, 1}));
  EXPECT_EQ(i64x2_sub(I64({INT64_MIN, 0}), I64({1, 1})), I64({INT64_MAX, -1}));
}

TEST(SimdInt, NegAbsWrapAtMinimum) {
  EXPECT_EQ(i8x16_neg(I8({-128, 1, 0})), I8({-128, -1, 0}));
  EXPECT_EQ(i8x16_abs(I8({-128, -1, 127})), I8({-128, 1, 127}));
  EXPECT_EQ(i16x8_abs(I16({-32768, -5})), I16({-32768, 5}));
  EXPECT_EQ(i32x4_abs(I32({INT32_MIN, -7, 7, 0})), I32({INT32_MIN, 7, 7, 0}));
  EXPECT_EQ(i32x4_neg(I32({INT32_MIN, 1})), I32({INT32_MIN, -1}));
  EXPECT_EQ(i64x2_abs(I64({INT64_MIN, -3})), I64({INT64_MIN, 3}));
  EXPECT_EQ(i64x2_neg(I64({INT64_MIN, 3})), I64({INT64_MIN, -3}));
}

TEST(SimdInt, SaturatingArithmetic) {
  EXPECT_EQ(i8x16_add_sat_s(I8({127, -128, 100, -100}), I8({1, -1, 27, -28})),
            I8({127, -128, 127, -128}));
  EXPECT_EQ(i8x16_add_sat_u(U8({255, 200, 1}), U8({1, 100, 1})), U8({255, 255, 2}));
  EXPECT_EQ(i8x16_sub_sat_s(I8({-128, 127, 0}), I8({1, -1, -128})), I8({-128, 127, 127}));
  EXPECT_EQ(i8x16_sub_sat_u(U8({0, 5, 255}), U8({1, 10, 0})), U8({0, 0, 255}));
  EXPECT_EQ(i16x8_add_sat_s(I16({32767, -32768, 1}), I16({1, -1, 1})), I16({32767, -32768, 2}));
  EXPECT_EQ(i16x8_add_sat_u(U16({65535, 65000}), U16({1, 1000})), U16({65535, 65535}));
  EXPECT_EQ(i16x8_sub_sat_s(I16({-32768, 32767}), I16({1, -1})), I16({-32768, 32767}));
  EXPECT_EQ(i16x8_sub_sat_u(U16({0, 1000}), U16({1, 999})), U16({0, 1}));
}

TEST(SimdInt, MinMaxSignedness) {
  // 0x80 is -128 signed and 128 unsigned.
  EXPECT_EQ(i8x16_min_s(U8({0x80, 1}), U8({1, 0xFF})), U8({0x80, 0xFF}));
  EXPECT_EQ(i8x16_min_u(U8({0x80, 1}), U8({1, 0xFF})), U8({1, 1}));
  EXPECT_EQ(i8x16_max_s(U8({0x80, 1}), U8({1, 0xFF})), U8({1, 1}));
  EXPECT_EQ(i8x16_max_u(U8({0x80, 1}), U8({1, 0xFF})), U8({0x80, 0xFF}));
  EXPECT_EQ(i16x8_min_s(U16({0x8000}), U16({0x7FFF})), U16({0x8000}));
  EXPECT_EQ(i16x8_max_u(U16({0x8000}), U16({0x7FFF})), U16({0x8000}));
  EXPECT_EQ(i32x4_min_u(U32({0xFFFFFFFF, 0}), U32({1, 0xFFFFFFFF})), U32({1, 0}));
  EXPECT_EQ(i32x4_max_s(U32({0xFFFFFFFF, 0}), U32({1, 0x80000000})), U32({1, 0}));
}

TEST(SimdInt, AverageRoundsUp) {
  EXPECT_EQ(i8x16_avgr_u(U8({255, 0, 1, 254}), U8({255, 1, 2, 255})), U8({255, 1, 2, 255}));
  EXPECT_EQ(i16x8_avgr_u(U16({65535, 0, 3}), U16({65535, 1, 4})), U16({65535, 1, 4}));
}

TEST(SimdInt, Popcnt) {
  EXPECT_EQ(i8x16_popcnt(U8({0, 0xFF, 0x55, 0x80, 0x01, 0x7F})), U8({0, 8, 4, 1, 1, 7}));
}

TEST(SimdInt, Q15MulrSat) {
  // (a * b + 0x4000) >> 15, saturated; the only overflow is -32768 * -32768.
  EXPECT_EQ(i16x8_q15mulr_sat_s(I16({-32768, 16384, 1, -1, 32767, -32768, 0, 16383}),
                                I16({-32768, 16384, 16384, 16384, 32767, 32767, 5, 1})),
            I16({32767, 8192, 1, 0, 32766, -32767, 0, 0}));
}

TEST(SimdInt, ShiftCountIsModuloLaneWidth) {
  V128 b = I8({1, -128, 64, -1});
  EXPECT_EQ(i8x16_shl(b, 8), b);
  EXPECT_EQ(i8x16_shl(b, 9), I8({2, 0, -128, -2}));
  EXPECT_EQ(i8x16_shr_s(b, 7), I8({0, -1, 0, -1}));
  EXPECT_EQ(i8x16_shr_u(b, 7), I8({0, 1, 0, 1}));
  EXPECT_EQ(i8x16_shr_u(b, 0xFFFFFFFFu), I8({0, 1, 0, 1}));  // 0xFFFFFFFF % 8 == 7
  V128 h = I16({-32768, 1});
  EXPECT_EQ(i16x8_shr_s(h, 15), I16({-1, 0}));
  EXPECT_EQ(i16x8_shr_s(h, 16), h);
  EXPECT_EQ(i16x8_shl(h, 17), I16({0, 2}));
  EXPECT_EQ(i16x8_shr_u(h, 31), I16({1, 0}));
  V128 w = I32({INT32_MIN, 1, -1, 0x40000000});
  EXPECT_EQ(i32x4_shr_s(w, 31), I32({-1, 0, -1, 0}));
  EXPECT_EQ(i32x4_shr_u(w, 32), w);
  EXPECT_EQ(i32x4_shl(w, 33), I32({0, 2, -2, INT32_MIN}));
  V128 d = I64({INT64_MIN, 1});
  EXPECT_EQ(i64x2_shr_s(d, 63), I64({-1, 0}));
  EXPECT_EQ(i64x2_shr_u(d, 63), I64({1, 0}));
  EXPECT_EQ(i64x2_shl(d, 64), d);
  EXPECT_EQ(i64x2_shl(d, 65), I64({0, 2}));
}

TEST(SimdInt, NarrowSaturates) {
  EXPECT_EQ(i8x16_narrow_i16x8_s(I16({300, -300, 127, -128, 128, -129, 0, -1}),
                                 I16({1, 2, 3, 4, 5, 6, 7, 32767})),
            I8({127, -128, 127, -128, 127, -128, 0, -1, 1, 2, 3, 4, 5, 6, 7, 127}));
  // Unsigned narrowing reads signed input: negatives go to 0.
  EXPECT_EQ(i8x16_narrow_i16x8_u(I16({-1, 256, 255, 0, -32768, 32767, 128, 1}), I16({})),
            U8({0, 255, 255, 0, 0, 255, 128, 1}));
  EXPECT_EQ(i16x8_narrow_i32x4_s(I32({70000, -70000, 32767, -32768}), I32({-1, 0, 1, 40000})),
            I16({32767, -32768, 32767, -32768, -1, 0, 1, 32767}));
  EXPECT_EQ(i16x8_narrow_i32x4_u(I32({-5, 70000, 65535, 65536}), I32({1})),
            U16({0, 65535, 65535, 65535, 1, 0, 0, 0}));
}

TEST(SimdInt, Extend) {
  V128 b = I8({-1, 2, -128, 127, 0, 0, 0, 0, 5, -6, 0, 0, 0, 0, 0, -1});
  EXPECT_EQ(i16x8_extend_low_i8x16_s(b), I16({-1, 2, -128, 127}));
  EXPECT_EQ(i16x8_extend_low_i8x16_u(b), I16({255, 2, 128, 127}));
  EXPECT_EQ(i16x8_extend_high_i8x16_s(b), I16({5, -6, 0, 0, 0, 0, 0, -1}));
  EXPECT_EQ(i16x8_extend_high_i8x16_u(b), I16({5, 250, 0, 0, 0, 0, 0, 255}));
  V128 h = I16({-1, -32768, 0, 0, 7, 0, 0, -2});
  EXPECT_EQ(i32x4_extend_low_i16x8_s(h), I32({-1, -32768, 0, 0}));
  EXPECT_EQ(i32x4_extend_low_i16x8_u(h), I32({65535, 32768, 0, 0}));
  EXPECT_EQ(i32x4_extend_high_i16x8_s(h), I32({7, 0, 0, -2}));
  EXPECT_EQ(i32x4_extend_high_i16x8_u(h), I32({7, 0, 0, 65534}));
  V128 w = I32({-1, INT32_MIN, 3, -4});
  EXPECT_EQ(i64x2_extend_low_i32x4_s(w), I64({-1, INT32_MIN}));
  EXPECT_EQ(i64x2_extend_low_i32x4_u(w), I64({0xFFFFFFFFll, 0x80000000ll}));
  EXPECT_EQ(i64x2_extend_high_i32x4_s(w), I64({3, -4}));
  EXPECT_EQ(i64x2_extend_high_i32x4_u(w), I64({3, 0xFFFFFFFCll}));
}

TEST(SimdInt, ExtMulFitsWideLane) {
  V128 a = I8({-128, 127, -1, 0, 0, 0, 0, 0, -128, 2, 0, 0, 0, 0, 0, 0});
  V128 b = I8({-128, 127, 1, 0, 0, 0, 0, 0, 127, 3, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(i16x8_extmul_low_i8x16_s(a, b), I16({16384, 16129, -1}));
  EXPECT_EQ(i16x8_extmul_low_i8x16_u(a, b), U16({16384, 16129, 255}));
  EXPECT_EQ(i16x8_extmul_high_i8x16_s(a, b), I16({-16256, 6}));
  EXPECT_EQ(i16x8_extmul_high_i8x16_u(a, b), U16({16256, 6}));
  EXPECT_EQ(i16x8_extmul_low_i8x16_u(U8({255}), U8({255})), U16({65025}));
  EXPECT_EQ(i32x4_extmul_low_i16x8_s(I16({-32768, 32767}), I16({-32768, -32768})),
            I32({1073741824, -1073709056}));
  EXPECT_EQ(i32x4_extmul_high_i16x8_u(U16({0, 0, 0, 0, 65535}), U16({0, 0, 0, 0, 65535})),
            U32({0xFFFE0001u}));
  EXPECT_EQ(i64x2_extmul_low_i32x4_s(I32({INT32_MIN, -1}), I32({INT32_MIN, INT32_MAX})),
            I64({4611686018427387904ll, -2147483647ll}));
  EXPECT_EQ(i64x2_extmul_high_i32x4_u(U32({0, 0, 0xFFFFFFFF, 2}), U32({0, 0, 0xFFFFFFFF, 3})),
            U64({0xFFFFFFFE00000001ull, 6}));
  EXPECT_EQ(i64x2_extmul_low_i32x4_u(U32({0xFFFFFFFF}), U32({1})), U64({0xFFFFFFFFull}));
  EXPECT_EQ(i64x2_extmul_high_i32x4_s(I32({0, 0, -3, 4}), I32({0, 0, 5, -6})), I64({-15, -24}));
}

TEST(SimdInt, DotProductWraps) {
  EXPECT_EQ(i32x4_dot_i16x8_s(I16({1, 2, 3, 4, -32768, -32768, 32767, 32767}),
                              I16({5, 6, -7, 8, -32768, -32768, 32767, 32767})),
            // The third lane is 2^31, which wraps to INT32_MIN.
            I32({17, 11, INT32_MIN, 2147352578}));
}

TEST(SimdInt, ExtAddPairwise) {
  EXPECT_EQ(i16x8_extadd_pairwise_i8x16_s(I8({-128, -128, 127, 127, -1, 1, 5, 6})),
            I16({-256, 254, 0, 11}));
  EXPECT_EQ(i16x8_extadd_pairwise_i8x16_u(U8({255, 255, 128, 1})), U16({510, 129}));
  EXPECT_EQ(i32x4_extadd_pairwise_i16x8_s(I16({-32768, -32768, 32767, 32767, -1, 0})),
            I32({-65536, 65534, -1, 0}));
  EXPECT_EQ(i32x4_extadd_pairwise_i16x8_u(U16({65535, 65535, 1, 2})), U32({131070, 3}));
}

TEST(SimdInt, Comparisons) {
  V128 a = U8({0x80, 0x7F, 5, 5});
  V128 b = U8({0x7F, 0x80, 5, 6});
  EXPECT_EQ(i8x16_eq(a, b), U8({0, 0, 0xFF, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(i8x16_lt_s(a, b), U8({0xFF, 0, 0, 0xFF}));
  EXPECT_EQ(i8x16_lt_u(a, b), U8({0, 0xFF, 0, 0xFF}));
  EXPECT_EQ(i8x16_ge_u(a, b), v128_not(i8x16_lt_u(a, b)));
  EXPECT_EQ(i8x16_gt_s(a, b), i8x16_lt_s(b, a));
  EXPECT_EQ(i8x16_le_s(a, b), v128_not(i8x16_gt_s(a, b)));
  V128 h = U16({0x8000, 1}), k = U16({1, 0x8000});
  EXPECT_EQ(i16x8_gt_u(h, k), U16({0xFFFF, 0}));
  EXPECT_EQ(i16x8_gt_s(h, k), U16({0, 0xFFFF}));
  EXPECT_EQ(i16x8_ne(h, k), U16({0xFFFF, 0xFFFF}));
  V128 w = U32({0xFFFFFFFF, 0, 7, 7}), x = U32({0, 0xFFFFFFFF, 7, 8});
  EXPECT_EQ(i32x4_le_s(w, x), U32({0xFFFFFFFF, 0, 0xFFFFFFFF, 0xFFFFFFFF}));
  EXPECT_EQ(i32x4_le_u(w, x), U32({0, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}));
  // i64x2 comparisons are signed only.
  V128 d = I64({-1, INT64_MAX}), e = I64({0, INT64_MIN});
  EXPECT_EQ(i64x2_lt_s(d, e), U64({~0ull, 0}));
  EXPECT_EQ(i64x2_ge_s(d, e), U64({0, ~0ull}));
  EXPECT_EQ(i64x2_eq(d, d), U64({~0ull, ~0ull}));
  EXPECT_EQ(i64x2_ne(d, e), U64({~0ull, ~0ull}));
}

TEST(SimdInt, TestsAndBitmasks) {
  EXPECT_EQ(v128_any_true(V128{}), 0);
  EXPECT_EQ(v128_any_true(U64({0, 1ull << 63})), 1);
  EXPECT_EQ(i8x16_all_true(I8({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})), 1);
  EXPECT_EQ(i8x16_all_true(I8({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0})), 0);
  // A lane is true when any of its bits is set, not just the low byte.
  EXPECT_EQ(i16x8_all_true(U16({0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x8000})), 1);
  EXPECT_EQ(i32x4_all_true(U32({0x10000, 1, 1, 0})), 0);
  EXPECT_EQ(i64x2_all_true(U64({1ull << 40, 1})), 1);
  EXPECT_EQ(i64x2_all_true(U64({1ull << 40, 0})), 0);
  EXPECT_EQ(i8x16_bitmask(U8({0x80, 0, 0xFF, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80})),
            0x8005);
  EXPECT_EQ(i16x8_bitmask(U16({0x8000, 0x7FFF, 0, 0, 0, 0, 0, 0xFFFF})), 0x81);
  EXPECT_EQ(i32x4_bitmask(U32({0, 0x80000000, 0x7FFFFFFF, 0xFFFFFFFF})), 0xA);
  EXPECT_EQ(i64x2_bitmask(U64({1ull << 63, 1})), 1);
  EXPECT_EQ(i8x16_bitmask(I8({-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1})),
            0xFFFF);
}

TEST(SimdInt, Bitwise) {
  V128 a = U32({0xF0F0F0F0, 0xFFFFFFFF, 0, 0x12345678});
  V128 b = U32({0xFF00FF00, 0x0000FFFF, 0xFFFFFFFF, 0x0F0F0F0F});
  EXPECT_EQ(v128_and(a, b), U32({0xF000F000, 0x0000FFFF, 0, 0x02040608}));
  EXPECT_EQ(v128_or(a, b), U32({0xFFF0FFF0, 0xFFFFFFFF, 0xFFFFFFFF, 0x1F3F5F7F}));
  EXPECT_EQ(v128_xor(a, b), U32({0x0FF00FF0, 0xFFFF0000, 0xFFFFFFFF, 0x1D3B5977}));
  EXPECT_EQ(v128_andnot(a, b), U32({0x00F000F0, 0xFFFF0000, 0, 0x10305070}));
  EXPECT_EQ(v128_not(a), U32({0x0F0F0F0F, 0, 0xFFFFFFFF, 0xEDCBA987}));
  // bitselect takes bits of the first operand where the mask is 1.
  EXPECT_EQ(v128_bitselect(a, b, U32({0xFFFF0000, 0, 0xFFFFFFFF, 0x0F0F0F0F})),
            U32({0xF0F0FF00, 0x0000FFFF, 0, 0x02040608}));
}

}  // namespace
}  // namespace wasmrun::simd
