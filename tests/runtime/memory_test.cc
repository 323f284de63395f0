// Linear memory: reservation, growth within limits, failure as -1, observers.
#include "engine/runtime/memory.h"

#include <gtest/gtest.h>

#include "engine/runtime/table.h"
#include "engine/runtime/vmcontext.h"

namespace wasmrun::rt {
namespace {

MemoryType mem(uint64_t min, std::optional<uint64_t> max, bool is64 = false, bool shared = false) {
  MemoryType t;
  t.limits.min = min;
  t.limits.max = max;
  t.limits.address64 = is64;
  t.limits.shared = shared;
  return t;
}

TEST(Memory, InitZeroedAndWritable) {
  MemoryInst m;
  ASSERT_TRUE(m.init(mem(2, std::nullopt)));
  EXPECT_EQ(m.size, 2 * kPageSize);
  EXPECT_EQ(m.pages(), 2u);
  EXPECT_EQ(m.base[0], 0);
  EXPECT_EQ(m.base[2 * kPageSize - 1], 0);
  m.base[2 * kPageSize - 1] = 7;
  EXPECT_EQ(m.base[2 * kPageSize - 1], 7);
  // A 32-bit memory reserves 4 GiB + guard so the base never moves.
  EXPECT_GE(m.reserved, uint64_t{8} << 30);
}

TEST(Memory, GrowKeepsBaseAndContents) {
  MemoryInst m;
  ASSERT_TRUE(m.init(mem(1, 10)));
  uint8_t* base = m.base;
  m.base[5] = 42;
  EXPECT_EQ(m.grow(3), 1);
  EXPECT_EQ(m.pages(), 4u);
  EXPECT_EQ(m.base, base);
  EXPECT_EQ(m.base[5], 42);
  m.base[4 * kPageSize - 1] = 1;  // the new pages are writable
  EXPECT_EQ(m.grow(0), 4);
}

TEST(Memory, GrowBeyondMaxFails) {
  MemoryInst m;
  ASSERT_TRUE(m.init(mem(1, 2)));
  EXPECT_EQ(m.grow(2), -1);
  EXPECT_EQ(m.pages(), 1u);
  EXPECT_EQ(m.grow(1), 1);
  EXPECT_EQ(m.grow(1), -1);
  // 32-bit memories cap at 65536 pages regardless of a missing max.
  MemoryInst u;
  ASSERT_TRUE(u.init(mem(0, std::nullopt)));
  EXPECT_EQ(u.grow(65537), -1);
  EXPECT_EQ(u.grow(uint64_t{1} << 40), -1);
}

TEST(Memory, Memory64GrowsPastInitialReservation) {
  MemoryInst m;
  ASSERT_TRUE(m.init(mem(1, std::nullopt, true)));
  m.base[0] = 9;
  EXPECT_EQ(m.grow(16), 1);
  EXPECT_EQ(m.base[0], 9);
  EXPECT_EQ(m.pages(), 17u);
}

TEST(Memory, ObserversSeeGrowth) {
  MemoryInst m;
  ASSERT_TRUE(m.init(mem(1, 5)));
  VMContext ctx;
  m.observers.push_back(&ctx);
  EXPECT_EQ(m.grow(2), 1);
  EXPECT_EQ(ctx.memory0_base, m.base);
  EXPECT_EQ(ctx.memory0_size, 3 * kPageSize);
}

TEST(Table, InitGrowAndLimits) {
  TableType t;
  t.limits.min = 3;
  t.limits.max = 5;
  TableInst tab;
  ASSERT_TRUE(tab.init(t, 0));
  EXPECT_EQ(tab.size, 3u);
  EXPECT_EQ(tab.grow(2, 77), 3);
  EXPECT_EQ(tab.size, 5u);
  EXPECT_EQ(tab.data[4], 77u);
  EXPECT_EQ(tab.data[0], 0u);
  EXPECT_EQ(tab.grow(1, 0), -1);
  EXPECT_EQ(tab.grow(0, 0), 5);
}

}  // namespace
}  // namespace wasmrun::rt
