// Bulk array operations (gc/array_ops.h) on real heap arrays.
#include "gc/array_ops.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "gc/heap.h"
#include "type_builder.h"

namespace wasmrun::gc {
namespace {

using testing::TypeBuilder;

class GcArrayOps : public ::testing::Test {
 protected:
  TypeBuilder tb_;
  const Rtt* i8_ = tb_.rtt(tb_.add_array(TypeBuilder::field(ValType::i8())));
  const Rtt* i16_ = tb_.rtt(tb_.add_array(TypeBuilder::field(ValType::i16())));
  const Rtt* i32_ = tb_.rtt(tb_.add_array(TypeBuilder::field(ValType::i32())));
  const Rtt* v128_ = tb_.rtt(tb_.add_array(TypeBuilder::field(ValType::v128())));
  const Rtt* refs_ = tb_.rtt(tb_.add_array(TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any))));
  Heap heap_;
  HandleScope scope_{heap_};

  Object* make(const Rtt* rtt, uint32_t length) {
    Object* a = heap_.try_alloc_array(*rtt, length);
    scope_.make(a);
    return a;
  }
  static std::vector<uint32_t> i32s(Object* a) {
    std::vector<uint32_t> out;
    for (uint32_t i = 0; i < a->length; ++i) {
      out.push_back(static_cast<uint32_t>(load_scalar(a->element(i), Storage::I32)));
    }
    return out;
  }
};

TEST_F(GcArrayOps, RangeCheckDoesNotWrap) {
  EXPECT_TRUE(array_range_ok(10, 0, 10));
  EXPECT_TRUE(array_range_ok(10, 10, 0));
  EXPECT_FALSE(array_range_ok(10, 11, 0));
  EXPECT_FALSE(array_range_ok(10, 9, 2));
  EXPECT_FALSE(array_range_ok(10, 0xffffffffu, 2)) << "index + count wraps in 32 bits";
  EXPECT_FALSE(array_range_ok(0xffffffffu, 1, 0xffffffffu));
}

TEST_F(GcArrayOps, FillWritesOnlyTheRangeAndTruncatesPackedValues) {
  Object* a = make(i32_, 6);
  array_fill_slot(a, 1, 0xabcd1234, 3);
  EXPECT_EQ(i32s(a), (std::vector<uint32_t>{0, 0xabcd1234, 0xabcd1234, 0xabcd1234, 0, 0}));
  Object* b = make(i8_, 5);
  array_fill_slot(b, 2, 0x1ff, 2);
  EXPECT_EQ(load_packed(b->element(1), Storage::I8, false), 0u);
  EXPECT_EQ(load_packed(b->element(2), Storage::I8, true), 0xffffffffu);
  EXPECT_EQ(load_packed(b->element(3), Storage::I8, false), 0xffu);
  EXPECT_EQ(load_packed(b->element(4), Storage::I8, false), 0u);
  Object* h = make(i16_, 3);
  array_fill_slot(h, 0, 0x12345, 3);
  EXPECT_EQ(load_packed(h->element(2), Storage::I16, false), 0x2345u);
}

TEST_F(GcArrayOps, FillV128) {
  Object* a = make(v128_, 3);
  uint8_t v[16];
  std::iota(v, v + 16, 1);
  array_fill(a, 1, v, 2);
  EXPECT_EQ(std::memcmp(a->element(1), v, 16), 0);
  EXPECT_EQ(std::memcmp(a->element(2), v, 16), 0);
  EXPECT_EQ(a->element(0)[15], 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a->element(0)) % 16, 0u);
}

TEST_F(GcArrayOps, CopyBetweenArraysAndWithinOneOverlapping) {
  Object* a = make(i32_, 8);
  for (uint32_t i = 0; i < 8; ++i) store_scalar(a->element(i), Storage::I32, i + 1);
  array_copy(a, 2, a, 0, 5);  // forward overlap
  EXPECT_EQ(i32s(a), (std::vector<uint32_t>{1, 2, 1, 2, 3, 4, 5, 8}));
  array_copy(a, 0, a, 3, 5);  // backward overlap
  EXPECT_EQ(i32s(a), (std::vector<uint32_t>{2, 3, 4, 5, 8, 4, 5, 8}));
  Object* b = make(i32_, 3);
  array_copy(b, 1, a, 6, 2);
  EXPECT_EQ(i32s(b), (std::vector<uint32_t>{0, 5, 8}));
}

TEST_F(GcArrayOps, InitFromDataBytesIsLittleEndian) {
  Object* a = make(i16_, 4);
  const uint8_t data[] = {0x01, 0x02, 0x03, 0x04, 0xff, 0xff};
  array_init_bytes(a, 1, data, 3);
  EXPECT_EQ(load_packed(a->element(0), Storage::I16, false), 0u);
  EXPECT_EQ(load_packed(a->element(1), Storage::I16, false), 0x0201u);
  EXPECT_EQ(load_packed(a->element(2), Storage::I16, false), 0x0403u);
  EXPECT_EQ(load_packed(a->element(3), Storage::I16, true), 0xffffffffu);
}

TEST_F(GcArrayOps, RefElementsCopiedInAreTracedByTheCollector) {
  Object* a = make(refs_, 4);
  std::vector<Ref> elems;
  {
    HandleScope inner(heap_);
    for (int i = 0; i < 3; ++i) elems.push_back(inner.make(heap_.try_alloc_array(*i8_, 100)).get());
    elems.push_back(make_i31(4));
    array_init_refs(a, 0, elems.data(), 4);
  }
  const uint64_t before = heap_.stats().used_objects;
  heap_.collect();
  EXPECT_EQ(heap_.stats().used_objects, before) << "reachable through the ref array";
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(heap_.owns(read_ref(a->element(i))));
  EXPECT_EQ(read_ref(a->element(3)), make_i31(4));
  array_fill_slot(a, 0, kNullRef, 2);
  heap_.collect();
  EXPECT_EQ(heap_.stats().used_objects, before - 2);
}

}  // namespace
}  // namespace wasmrun::gc
