// struct.new / array.new* and field access in operand-slot form (gc/construct.h).
#include "gc/construct.h"

#include <gtest/gtest.h>

#include <cstring>

#include "type_builder.h"

namespace wasmrun::gc {
namespace {

using testing::TypeBuilder;

TEST(GcConstruct, StructNewTakesOneSlotPerFieldAndTwoPerV128) {
  TypeBuilder tb;
  const Rtt* rtt = tb.rtt(tb.add_struct(
      {TypeBuilder::field(ValType::i8()), TypeBuilder::field(ValType::v128()),
       TypeBuilder::field(ValType::f64()), TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Eq)),
       TypeBuilder::field(ValType::i16())}));
  Heap heap;
  // Operands as an interpreter frame holds them; rooted for the allocation.
  uint64_t operands[6] = {0xfffffff0,                              // i8 -16, as an i32 slot
                          0x1111111122222222, 0x3333333344444444,  // v128
                          0x400921fb54442d18,                      // f64 pi
                          make_i31(77),       0xffff8001};
  heap.add_root_enumerator([&](RootVisitor& visit) { visit(&operands[4]); });
  Object* o = new_struct(heap, *rtt, operands);
  ASSERT_NE(o, nullptr);
  uint64_t out[2] = {};
  struct_get(o, 0, true, out);
  EXPECT_EQ(out[0], 0xfffffff0u);
  struct_get(o, 0, false, out);
  EXPECT_EQ(out[0], 0xf0u);
  struct_get(o, 1, false, out);
  EXPECT_EQ(out[0], 0x1111111122222222u);
  EXPECT_EQ(out[1], 0x3333333344444444u);
  struct_get(o, 2, false, out);
  EXPECT_EQ(out[0], 0x400921fb54442d18u);
  struct_get(o, 3, false, out);
  EXPECT_EQ(out[0], make_i31(77));
  struct_get(o, 4, true, out);
  EXPECT_EQ(out[0], 0xffff8001u);
  const uint64_t nv[1] = {5};
  struct_set(o, 4, nv);
  struct_get(o, 4, false, out);
  EXPECT_EQ(out[0], 5u);
}

TEST(GcConstruct, ArrayNewFillsFixesAndReadsBytes) {
  TypeBuilder tb;
  const Rtt* i32s = tb.rtt(tb.add_array(TypeBuilder::field(ValType::i32())));
  const Rtt* v128s = tb.rtt(tb.add_array(TypeBuilder::field(ValType::v128())));
  const Rtt* i8s = tb.rtt(tb.add_array(TypeBuilder::field(ValType::i8())));
  Heap heap;
  HandleScope scope(heap);

  const uint64_t seven = 7;
  Object* filled = scope.make(new_array_filled(heap, *i32s, 1000, &seven)).object();
  uint64_t out[2];
  for (uint32_t i = 0; i < 1000; i += 111) {
    array_get(filled, i, false, out);
    EXPECT_EQ(out[0], 7u);
  }

  const uint64_t vals[6] = {1, 2, 3, 4, 5, 6};
  Object* fixed = scope.make(new_array_fixed(heap, *v128s, 3, vals)).object();
  ASSERT_EQ(fixed->length, 3u);
  array_get(fixed, 2, false, out);
  EXPECT_EQ(out[0], 5u);
  EXPECT_EQ(out[1], 6u);
  const uint64_t nv[2] = {9, 10};
  array_set(fixed, 0, nv);
  array_get(fixed, 0, false, out);
  EXPECT_EQ(out[1], 10u);

  const uint8_t data[] = {'h', 'i', 0x80};
  Object* bytes = scope.make(new_array_from_bytes(heap, *i8s, 3, data)).object();
  array_get(bytes, 1, false, out);
  EXPECT_EQ(out[0], static_cast<uint64_t>('i'));
  array_get(bytes, 2, true, out);
  EXPECT_EQ(out[0], 0xffffff80u);
}

TEST(GcConstruct, OperandsAreReadAfterAnAllocationThatCollects) {
  // The referent of a struct.new operand survives a collection triggered by
  // that very allocation, as long as the operand slot is a root.
  TypeBuilder tb;
  const Rtt* leaf = tb.rtt(tb.add_array(TypeBuilder::field(ValType::i8())));
  const Rtt* box = tb.rtt(tb.add_struct({TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any))}));
  HeapConfig config;
  config.initial_gc_threshold = 1 << 20;
  Heap heap(config);
  uint64_t frame[1] = {0};
  heap.add_root_enumerator([&](RootVisitor& visit) { visit(&frame[0]); });
  for (int i = 0; i < 20000; ++i) {
    frame[0] = from_object(heap.try_alloc_array(*leaf, 200));
    Object* b = new_struct(heap, *box, frame);
    ASSERT_NE(b, nullptr);
    ASSERT_TRUE(heap.owns(read_ref(b->field(0))));
  }
  EXPECT_GT(heap.stats().collections, 0u);
}

}  // namespace
}  // namespace wasmrun::gc
