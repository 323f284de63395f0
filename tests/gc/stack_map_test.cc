// Safepoint reference maps (gc/stack_map.h) and precise frame visiting.
#include "gc/stack_map.h"

#include <gtest/gtest.h>

#include <vector>

#include "type_builder.h"

namespace wasmrun::gc {
namespace {

using testing::TypeBuilder;

TEST(GcStackMap, RecordsAndLooksUpSafepoints) {
  StackMap::Builder b(130);  // three bitmap words
  const std::vector<uint32_t> s1 = {0, 5, 64, 129};
  const std::vector<uint32_t> s2 = {3};
  b.add(10, s1);
  b.add(20, s2);
  b.add(35, s1);  // same shape as position 10
  b.add(40, {});
  const StackMap m = b.finish();
  EXPECT_EQ(m.num_safepoints(), 4u);
  EXPECT_EQ(m.num_bitmaps(), 3u) << "identical safepoints share a bitmap";
  EXPECT_EQ(m.ref_slots(10), s1);
  EXPECT_EQ(m.ref_slots(20), s2);
  EXPECT_EQ(m.ref_slots(35), s1);
  EXPECT_TRUE(m.ref_slots(40).empty());
  EXPECT_TRUE(m.has(40));
  EXPECT_FALSE(m.has(11));
  EXPECT_FALSE(m.has(0));
  EXPECT_FALSE(m.has(41));
}

TEST(GcStackMap, VisitFrameRootsExactlyTheMappedSlots) {
  TypeBuilder tb;
  const Rtt* st = tb.rtt(tb.add_struct({TypeBuilder::field(ValType::i64())}));
  Heap heap;
  // A frame of 6 slots: slots 1 and 4 are references at safepoint 7. Slot 2
  // holds an object address as an i64 (e.g. a value that happens to look like
  // one): a precise map must not keep that object alive.
  std::vector<uint64_t> frame(6, 0);
  frame[1] = from_object(heap.try_alloc_struct(*st));
  frame[2] = from_object(heap.try_alloc_struct(*st));
  frame[4] = make_i31(3);
  frame[5] = from_object(heap.try_alloc_struct(*st));
  StackMap::Builder b(6);
  const std::vector<uint32_t> refs = {1, 4, 5};
  b.add(7, refs);
  const StackMap map = b.finish();
  uint32_t pc = 7;
  heap.add_root_enumerator(
      [&](RootVisitor& visit) { EXPECT_TRUE(map.visit_frame(pc, frame.data(), visit)); });
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 2u);
  EXPECT_TRUE(heap.owns(frame[1]));
  EXPECT_TRUE(heap.owns(frame[5]));
  EXPECT_FALSE(heap.owns(frame[2]));
}

}  // namespace
}  // namespace wasmrun::gc
