// ref.test semantics on real heap objects (gc/cast.h).
#include "gc/cast.h"

#include <gtest/gtest.h>

#include "gc/heap.h"
#include "type_builder.h"

namespace wasmrun::gc {
namespace {

using testing::TypeBuilder;

TEST(GcCast, AbstractTestsFollowTheTagBitsAndKind) {
  TypeBuilder tb;
  const Rtt* st = tb.rtt(tb.add_struct({}));
  const Rtt* at = tb.rtt(tb.add_array(TypeBuilder::field(ValType::i8())));
  Heap heap;
  HandleScope scope(heap);
  const Ref s = scope.make(heap.try_alloc_struct(*st)).get();
  const Ref a = scope.make(heap.try_alloc_array(*at, 0)).get();
  const Ref i = make_i31(7);
  const Ref h = any_convert_extern(make_host(1));  // (ref.host 1)

  struct Row {
    AbsHeap target;
    bool s, a, i, h;
  };
  const Row rows[] = {
      {AbsHeap::Any, true, true, true, true},      {AbsHeap::Eq, true, true, true, false},
      {AbsHeap::I31, false, false, true, false},   {AbsHeap::Struct, true, false, false, false},
      {AbsHeap::Array, false, true, false, false}, {AbsHeap::None, false, false, false, false},
  };
  for (const Row& r : rows) {
    const std::string name = to_string(HeapType::abstract(r.target));
    EXPECT_EQ(ref_test_abstract(s, r.target, false), r.s) << name;
    EXPECT_EQ(ref_test_abstract(a, r.target, false), r.a) << name;
    EXPECT_EQ(ref_test_abstract(i, r.target, false), r.i) << name;
    EXPECT_EQ(ref_test_abstract(h, r.target, false), r.h) << name;
    EXPECT_FALSE(ref_test_abstract(kNullRef, r.target, false)) << name;
    EXPECT_TRUE(ref_test_abstract(kNullRef, r.target, true)) << name;
  }
  // The extern hierarchy: externalized objects and host refs are all `extern`.
  for (Ref r : {s, a, i, h}) {
    EXPECT_TRUE(ref_test_abstract(extern_convert_any(r), AbsHeap::Extern, false));
    EXPECT_FALSE(ref_test_abstract(extern_convert_any(r), AbsHeap::NoExtern, false));
  }
}

TEST(GcCast, ConcreteTestsUseTheDisplay) {
  TypeBuilder tb;
  const uint32_t a = tb.add_struct({TypeBuilder::field(ValType::i32())});
  const uint32_t b = tb.add_struct({TypeBuilder::field(ValType::i32())}, a);
  const uint32_t c = tb.add_struct({TypeBuilder::field(ValType::i32())}, b);
  const uint32_t other = tb.add_struct({TypeBuilder::field(ValType::i32())});
  const uint32_t arr = tb.add_array(TypeBuilder::field(ValType::i32()));
  Heap heap;
  HandleScope scope(heap);
  const Ref ob = scope.make(heap.try_alloc_struct(*tb.rtt(b))).get();
  const Ref oc = scope.make(heap.try_alloc_struct(*tb.rtt(c))).get();
  const Ref oarr = scope.make(heap.try_alloc_array(*tb.rtt(arr), 4)).get();

  EXPECT_TRUE(ref_test_concrete(ob, tb.rtt(a), false));
  EXPECT_TRUE(ref_test_concrete(ob, tb.rtt(b), false));
  EXPECT_FALSE(ref_test_concrete(ob, tb.rtt(c), false)) << "a supertype is not a subtype";
  EXPECT_TRUE(ref_test_concrete(oc, tb.rtt(a), false));
  EXPECT_FALSE(ref_test_concrete(oc, tb.rtt(other), false));
  EXPECT_FALSE(ref_test_concrete(oarr, tb.rtt(a), false));
  EXPECT_TRUE(ref_test_concrete(oarr, tb.rtt(arr), false));
  EXPECT_FALSE(ref_test_concrete(make_i31(1), tb.rtt(a), false));
  EXPECT_FALSE(ref_test_concrete(make_host(8), tb.rtt(a), true));
  EXPECT_FALSE(ref_test_concrete(kNullRef, tb.rtt(a), false));
  EXPECT_TRUE(ref_test_concrete(kNullRef, tb.rtt(a), true));
}

}  // namespace
}  // namespace wasmrun::gc
