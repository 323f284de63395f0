// Exception packages in the GC heap (RttOptions::exceptions_in_heap).
#include <gtest/gtest.h>

#include <vector>

#include "gc/construct.h"
#include "gc/heap.h"
#include "type_builder.h"

namespace wasmrun::gc {
namespace {

using testing::TypeBuilder;

TEST(GcExceptions, PackageLayoutIsRuntimeWordsThenParameterSlots) {
  TypeBuilder tb(RttOptions{.exceptions_in_heap = true});
  const uint32_t tag =
      tb.add_func({ValType::i32(), TypeBuilder::abs_ref(AbsHeap::Any),
                   TypeBuilder::abs_ref(AbsHeap::Exn), ValType::funcref(), ValType::v128()});
  const Rtt* rtt = tb.exception_rtt(tag);
  ASSERT_EQ(rtt->kind, RttKind::Struct);
  EXPECT_EQ(rtt->canonical_id, kNoCanonicalId);
  std::vector<uint32_t> offsets;
  std::vector<bool> traced;
  for (const FieldLayout& f : rtt->fields) {
    offsets.push_back(f.offset);
    traced.push_back(f.traced);
    EXPECT_FALSE(f.mut);
  }
  // Three runtime words (tag identity first), then one 8-byte slot per
  // parameter (two for the v128, not 16-aligned: payloads are copied as slots).
  EXPECT_EQ(offsets, (std::vector<uint32_t>{16, 24, 32, 40, 48, 56, 64, 72}));
  EXPECT_EQ(kExceptionPayloadOffset, 40u);
  EXPECT_EQ(traced, (std::vector<bool>{false, false, false, false, true, true, false, false}));
  EXPECT_EQ(rtt->instance_size, 88u);
  EXPECT_EQ(rtt->align, 8u);
  EXPECT_EQ(tb.exception_rtt(tag), rtt) << "one Rtt per tag type";
  EXPECT_TRUE(rtt_is_subtype(rtt, rtt));
}

TEST(GcExceptions, ExnrefTracingFollowsTheOption) {
  TypeBuilder off;
  TypeBuilder on(RttOptions{.exceptions_in_heap = true});
  for (TypeBuilder* tb : {&off, &on}) {
    const Rtt* s =
        tb->rtt(tb->add_struct({TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Exn))}));
    const Rtt* a = tb->rtt(tb->add_array(TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Exn))));
    EXPECT_EQ(s->fields[0].traced, tb == &on);
    EXPECT_EQ(a->elem_traced, tb == &on);
  }
}

TEST(GcExceptions, PackagesLiveAsLongAsAnExnrefReachesThem) {
  TypeBuilder tb(RttOptions{.exceptions_in_heap = true});
  const uint32_t tag =
      tb.add_func({TypeBuilder::abs_ref(AbsHeap::Any), TypeBuilder::abs_ref(AbsHeap::Exn)});
  const Rtt* pkg = tb.exception_rtt(tag);
  const Rtt* payload = tb.rtt(tb.add_struct({TypeBuilder::field(ValType::i64())}));
  Heap heap;
  // The pending-exception slot of a VMContext, visited as a root.
  uint64_t pending = kNullRef;
  heap.add_root_enumerator([&](RootVisitor& visit) { visit(&pending); });
  {
    // throw $tag (struct.new $payload) (inner exnref): the operands are rooted
    // while the package is allocated, as an interpreter frame would keep them.
    HandleScope scope(heap);
    Handle inner_payload = scope.make(heap.try_alloc_struct(*payload));
    uint64_t inner_ops[5] = {0xA11CE, 0, 0, inner_payload.get(), kNullRef};
    Handle inner = scope.make(new_struct(heap, *pkg, inner_ops));
    Handle outer_payload = scope.make(heap.try_alloc_struct(*payload));
    uint64_t outer_ops[5] = {0xB0B, 0, 0, outer_payload.get(), inner.get()};
    pending = from_object(new_struct(heap, *pkg, outer_ops));
  }
  for (int i = 0; i < 100; ++i) ASSERT_NE(heap.try_alloc_struct(*payload), nullptr);
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 4u) << "two packages and their payloads";
  uint64_t out[1];
  struct_get(as_object(pending), 0, false, out);
  EXPECT_EQ(out[0], 0xB0Bu);
  struct_get(as_object(pending), 4, false, out);
  ASSERT_TRUE(heap.owns(out[0]));
  struct_get(as_object(out[0]), 0, false, out);
  EXPECT_EQ(out[0], 0xA11CEu);
  pending = kNullRef;  // caught and dropped
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 0u);
}

}  // namespace
}  // namespace wasmrun::gc
