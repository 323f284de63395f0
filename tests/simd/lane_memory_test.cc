// Splat, extract/replace lane, shuffle and swizzle, and the memory helpers the
// interpreter calls for the v128 loads and stores.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "test_helpers.h"

namespace wasmrun::simd {
namespace {

using namespace test;

TEST(SimdLane, SplatTruncatesToLaneWidth) {
  EXPECT_EQ(i8x16_splat(0x1FF),
            U8({255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255}));
  EXPECT_EQ(i16x8_splat(0xABCD1234u),
            U16({0x1234, 0x1234, 0x1234, 0x1234, 0x1234, 0x1234, 0x1234, 0x1234}));
  EXPECT_EQ(i32x4_splat(0x80000000u), U32({0x80000000, 0x80000000, 0x80000000, 0x80000000}));
  EXPECT_EQ(i64x2_splat(0x0123456789ABCDEFull),
            U64({0x0123456789ABCDEFull, 0x0123456789ABCDEFull}));
  // Float splats take raw bits: a signaling NaN must not be quieted.
  EXPECT_EQ(f32x4_splat(0x7FA00001u), U32({0x7FA00001u, 0x7FA00001u, 0x7FA00001u, 0x7FA00001u}));
  EXPECT_EQ(f64x2_splat(0x7FF0000000000001ull),
            U64({0x7FF0000000000001ull, 0x7FF0000000000001ull}));
}

TEST(SimdLane, ExtractSignAndZeroExtends) {
  V128 v = U8({0x80, 0x7F, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFE});
  EXPECT_EQ(i8x16_extract_lane_s(v, 0), 0xFFFFFF80u);
  EXPECT_EQ(i8x16_extract_lane_u(v, 0), 0x80u);
  EXPECT_EQ(i8x16_extract_lane_s(v, 1), 0x7Fu);
  EXPECT_EQ(i8x16_extract_lane_s(v, 15), 0xFFFFFFFEu);
  EXPECT_EQ(i8x16_extract_lane_u(v, 15), 0xFEu);
  V128 h = U16({0x8000, 0x7FFF, 0, 0, 0, 0, 0, 0xFFFF});
  EXPECT_EQ(i16x8_extract_lane_s(h, 0), 0xFFFF8000u);
  EXPECT_EQ(i16x8_extract_lane_u(h, 0), 0x8000u);
  EXPECT_EQ(i16x8_extract_lane_s(h, 1), 0x7FFFu);
  EXPECT_EQ(i16x8_extract_lane_s(h, 7), 0xFFFFFFFFu);
  EXPECT_EQ(i16x8_extract_lane_u(h, 7), 0xFFFFu);
  V128 w = U32({1, 2, 3, 0x7FC00001u});
  EXPECT_EQ(i32x4_extract_lane(w, 3), 0x7FC00001u);
  EXPECT_EQ(f32x4_extract_lane(U32({0, 0, 0x7F800001u, 0}), 2), 0x7F800001u);  // sNaN kept
  V128 d = U64({0xFFF0000000000001ull, 42});
  EXPECT_EQ(i64x2_extract_lane(d, 1), 42u);
  EXPECT_EQ(f64x2_extract_lane(d, 0), 0xFFF0000000000001ull);
}

TEST(SimdLane, ReplaceTouchesOneLane) {
  V128 base = U32({0x11111111, 0x22222222, 0x33333333, 0x44444444});
  EXPECT_EQ(i8x16_replace_lane(base, 5, 0xFFFFFFAB),
            U32({0x11111111, 0x2222AB22, 0x33333333, 0x44444444}));
  EXPECT_EQ(i16x8_replace_lane(base, 7, 0x12345678),
            U32({0x11111111, 0x22222222, 0x33333333, 0x56784444}));
  EXPECT_EQ(i32x4_replace_lane(base, 0, 7), U32({7, 0x22222222, 0x33333333, 0x44444444}));
  EXPECT_EQ(f32x4_replace_lane(base, 2, 0x7F800001u),
            U32({0x11111111, 0x22222222, 0x7F800001u, 0x44444444}));
  EXPECT_EQ(i64x2_replace_lane(base, 1, 0xAABBCCDDEEFF0011ull),
            U64({0x2222222211111111ull, 0xAABBCCDDEEFF0011ull}));
  EXPECT_EQ(f64x2_replace_lane(base, 0, 0x7FF0000000000001ull),
            U64({0x7FF0000000000001ull, 0x4444444433333333ull}));
}

TEST(SimdLane, LaneIndexIsMaskedNotOutOfBounds) {
  // The validator rejects bad lane indices; the library masks them so that a
  // caller bug cannot read or write outside the vector.
  V128 v = U8({10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25});
  EXPECT_EQ(i8x16_extract_lane_u(v, 16 + 3), 13u);
  EXPECT_EQ(i64x2_extract_lane(v, 3), i64x2_extract_lane(v, 1));
  EXPECT_EQ(i32x4_replace_lane(v, 4, 0), i32x4_replace_lane(v, 0, 0));
}

TEST(SimdLane, Swizzle) {
  V128 a = U8({0, 11, 22, 33, 44, 55, 66, 77, 88, 99, 110, 121, 132, 143, 154, 165});
  // Indices 16 and above, including ones with the top bit set, select 0.
  V128 idx = U8({15, 0, 1, 16, 255, 128, 17, 3, 3, 3, 3, 3, 3, 3, 3, 14});
  V128 want = U8({165, 0, 11, 0, 0, 0, 0, 33, 33, 33, 33, 33, 33, 33, 33, 154});
  EXPECT_EQ(i8x16_swizzle(a, idx), want);
}

TEST(SimdLane, ShuffleSelectsFromBothOperands) {
  V128 a = U8({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
  V128 b = U8({100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115});
  const uint8_t lanes_rev[16] = {31, 30, 29, 28, 27, 26, 25, 24, 7, 6, 5, 4, 3, 2, 1, 0};
  EXPECT_EQ(i8x16_shuffle(a, b, lanes_rev),
            U8({115, 114, 113, 112, 111, 110, 109, 108, 7, 6, 5, 4, 3, 2, 1, 0}));
  const uint8_t interleave[16] = {0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23};
  EXPECT_EQ(i8x16_shuffle(a, b, interleave),
            U8({0, 100, 1, 101, 2, 102, 3, 103, 4, 104, 5, 105, 6, 106, 7, 107}));
  const uint8_t splat_b0[16] = {16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16};
  EXPECT_EQ(i8x16_shuffle(a, b, splat_b0), i8x16_splat(100));
}

// Memory helpers are called with unaligned pointers into linear memory.
class SimdMemory : public ::testing::Test {
 protected:
  void SetUp() override {
    for (size_t i = 0; i < mem.size(); ++i) mem[i] = static_cast<uint8_t>(0x80 + i);
  }
  std::vector<uint8_t> mem = std::vector<uint8_t>(64);
  uint8_t* p = mem.data() + 3;  // deliberately misaligned
};

TEST_F(SimdMemory, FullLoadStore) {
  V128 v = load(p);
  EXPECT_EQ(v, U8({0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F,
                   0x90, 0x91, 0x92}));
  store(i8x16_splat(7), p + 1);
  EXPECT_EQ(mem[3], 0x83);
  for (int i = 4; i < 20; ++i) EXPECT_EQ(mem[i], 7) << i;
  EXPECT_EQ(mem[20], 0x94);
}

TEST_F(SimdMemory, ExtendingLoads) {
  // Bytes at p: 83 84 85 86 87 88 89 8A.
  EXPECT_EQ(load8x8_s(p), I16({-125, -124, -123, -122, -121, -120, -119, -118}));
  EXPECT_EQ(load8x8_u(p), I16({0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A}));
  EXPECT_EQ(load16x4_s(p),
            I32({int16_t(0x8483), int16_t(0x8685), int16_t(0x8887), int16_t(0x8A89)}));
  EXPECT_EQ(load16x4_u(p), I32({0x8483, 0x8685, 0x8887, 0x8A89}));
  EXPECT_EQ(load32x2_s(p), I64({int32_t(0x86858483), int32_t(0x8A898887)}));
  EXPECT_EQ(load32x2_u(p), I64({0x86858483ll, 0x8A898887ll}));
}

TEST_F(SimdMemory, SplatAndZeroLoads) {
  EXPECT_EQ(load8_splat(p), i8x16_splat(0x83));
  EXPECT_EQ(load16_splat(p), i16x8_splat(0x8483));
  EXPECT_EQ(load32_splat(p), i32x4_splat(0x86858483u));
  EXPECT_EQ(load64_splat(p), i64x2_splat(0x8A89888786858483ull));
  EXPECT_EQ(load32_zero(p), U32({0x86858483u, 0, 0, 0}));
  EXPECT_EQ(load64_zero(p), U64({0x8A89888786858483ull, 0}));
}

TEST_F(SimdMemory, LaneLoadsReplaceOneLane) {
  V128 base = i8x16_splat(0xEE);
  EXPECT_EQ(load_lane8(base, p, 15), i8x16_replace_lane(base, 15, 0x83));
  EXPECT_EQ(load_lane16(base, p, 3), i16x8_replace_lane(base, 3, 0x8483));
  EXPECT_EQ(load_lane32(base, p, 1), i32x4_replace_lane(base, 1, 0x86858483u));
  EXPECT_EQ(load_lane64(base, p, 1), i64x2_replace_lane(base, 1, 0x8A89888786858483ull));
}

TEST_F(SimdMemory, LaneStoresWriteOnlyTheirBytes) {
  V128 v = U8({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
  std::vector<uint8_t> before = mem;
  store_lane8(v, p, 9);
  store_lane16(v, p + 1, 7);  // bytes 14, 15
  store_lane32(v, p + 3, 2);  // bytes 8..11
  store_lane64(v, p + 7, 0);  // bytes 0..7
  std::vector<uint8_t> want = before;
  const uint8_t written[] = {9, 14, 15, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7};
  std::memcpy(want.data() + 3, written, sizeof(written));
  EXPECT_EQ(mem, want);
}

TEST(SimdMemoryBytes, AccessWidths) {
  EXPECT_EQ(kLoadBytes_load, 16u);
  EXPECT_EQ(kLoadBytes_load8x8_s, 8u);
  EXPECT_EQ(kLoadBytes_load16x4_u, 8u);
  EXPECT_EQ(kLoadBytes_load8_splat, 1u);
  EXPECT_EQ(kLoadBytes_load16_splat, 2u);
  EXPECT_EQ(kLoadBytes_load32_splat, 4u);
  EXPECT_EQ(kLoadBytes_load64_splat, 8u);
  EXPECT_EQ(kLoadBytes_load32_zero, 4u);
  EXPECT_EQ(kLoadBytes_load64_zero, 8u);
}

}  // namespace
}  // namespace wasmrun::simd
