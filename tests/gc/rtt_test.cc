// Runtime type descriptors: field layout, tracing info and supertype displays.
#include "gc/rtt.h"

#include <gtest/gtest.h>

#include <vector>

#include "gc/object.h"
#include "type_builder.h"

namespace wasmrun::gc {
namespace {

using testing::TypeBuilder;

TEST(GcRtt, StructFieldsAreNaturallyAlignedInDeclarationOrder) {
  TypeBuilder tb;
  const uint32_t id = tb.add_struct({
      TypeBuilder::field(ValType::i8()),                       // 16
      TypeBuilder::field(ValType::i32()),                      // 20
      TypeBuilder::field(ValType::i16()),                      // 24
      TypeBuilder::field(ValType::i64()),                      // 32
      TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any)),  // 40
      TypeBuilder::field(ValType::f32()),                      // 48
      TypeBuilder::field(ValType::v128()),                     // 64
  });
  const Rtt* rtt = tb.rtt(id);
  ASSERT_EQ(rtt->kind, RttKind::Struct);
  std::vector<uint32_t> offsets;
  for (const FieldLayout& f : rtt->fields) offsets.push_back(f.offset);
  EXPECT_EQ(offsets, (std::vector<uint32_t>{16, 20, 24, 32, 40, 48, 64}));
  EXPECT_EQ(rtt->instance_size, 80u);
  EXPECT_EQ(rtt->align, 16u);
  EXPECT_EQ(rtt->fields[0].storage, Storage::I8);
  EXPECT_EQ(rtt->fields[2].storage, Storage::I16);
  EXPECT_EQ(rtt->fields[6].storage, Storage::V128);
  ASSERT_EQ(rtt->num_ref_offsets, 1u);
  EXPECT_EQ(rtt->ref_offsets[0], 40u);
}

TEST(GcRtt, EmptyStructIsJustAHeader) {
  TypeBuilder tb;
  const Rtt* rtt = tb.rtt(tb.add_struct({}));
  EXPECT_EQ(rtt->instance_size, kHeaderSize);
  EXPECT_EQ(rtt->num_ref_offsets, 0u);
  EXPECT_EQ(rtt->align, 8u);
}

TEST(GcRtt, SubtypeKeepsInheritedFieldOffsets) {
  TypeBuilder tb;
  const uint32_t base = tb.add_struct(
      {TypeBuilder::field(ValType::i8()), TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Eq))});
  const uint32_t sub = tb.add_struct(
      {TypeBuilder::field(ValType::i8()), TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Eq)),
       TypeBuilder::field(ValType::i16()),
       TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Struct))},
      base);
  const Rtt* b = tb.rtt(base);
  const Rtt* s = tb.rtt(sub);
  for (size_t i = 0; i < b->fields.size(); ++i) EXPECT_EQ(b->fields[i].offset, s->fields[i].offset);
  EXPECT_EQ(s->fields[2].offset, 32u);
  EXPECT_EQ(s->fields[3].offset, 40u);
  EXPECT_EQ(s->num_ref_offsets, 2u);
}

TEST(GcRtt, OnlyAnyAndExternHierarchyReferencesAreTraced) {
  TypeBuilder tb;
  const uint32_t func = tb.add_func();
  const uint32_t inner = tb.add_struct({});
  const uint32_t id = tb.add_struct({
      TypeBuilder::field(ValType::funcref()),                    // not traced
      TypeBuilder::field(ValType::externref()),                  // traced
      TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any)),    // traced
      TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::I31)),    // never a pointer
      TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::None)),   // only null
      TypeBuilder::field(TypeBuilder::ref_to(func)),             // store-owned FuncInst
      TypeBuilder::field(TypeBuilder::ref_to(inner)),            // traced
      TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Exn)),    // runtime-owned
      TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Array)),  // traced
      TypeBuilder::field(ValType::i64()),
  });
  const Rtt* rtt = tb.rtt(id);
  std::vector<bool> traced;
  for (const FieldLayout& f : rtt->fields) traced.push_back(f.traced);
  EXPECT_EQ(traced,
            (std::vector<bool>{false, true, true, false, false, false, true, false, true, false}));
  EXPECT_EQ(rtt->num_ref_offsets, 4u);
}

TEST(GcRtt, ArrayElementLayout) {
  TypeBuilder tb;
  const Rtt* bytes = tb.rtt(tb.add_array(TypeBuilder::field(ValType::i8())));
  EXPECT_EQ(bytes->kind, RttKind::Array);
  EXPECT_EQ(bytes->elem_size, 1u);
  EXPECT_EQ(bytes->elem_storage, Storage::I8);
  EXPECT_FALSE(bytes->elem_traced);
  EXPECT_EQ(bytes->instance_size, kArrayDataOffset);

  const Rtt* refs = tb.rtt(tb.add_array(TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any))));
  EXPECT_EQ(refs->elem_size, 8u);
  EXPECT_TRUE(refs->elem_traced);

  const Rtt* vecs = tb.rtt(tb.add_array(TypeBuilder::field(ValType::v128())));
  EXPECT_EQ(vecs->elem_size, 16u);
  EXPECT_EQ(vecs->align, 16u);
}

TEST(GcRtt, RegistryReturnsOneRttPerCanonicalId) {
  TypeBuilder tb;
  const uint32_t id = tb.add_struct({});
  EXPECT_EQ(tb.rtt(id), tb.rtt(id));
  EXPECT_EQ(tb.rtt(id)->canonical_id, id);
}

TEST(GcRtt, DisplaysAnswerSubtypingInDeepHierarchies) {
  // A chain of 200 types, each extending the previous with one field, plus a
  // sibling branch at depth 5 and at depth 150.
  TypeBuilder tb;
  std::vector<uint32_t> chain;
  std::vector<FieldType> fields;
  for (int i = 0; i < 200; ++i) {
    fields.push_back(TypeBuilder::field(ValType::i32()));
    chain.push_back(tb.add_struct(
        fields, chain.empty() ? std::nullopt : std::optional<uint32_t>(chain.back())));
  }
  const uint32_t sib5 = tb.add_struct({}, chain[4]);
  const uint32_t sib150 = tb.add_struct({}, chain[149]);

  for (int i = 0; i < 200; i += 7) {
    const Rtt* a = tb.rtt(chain[i]);
    EXPECT_EQ(a->depth, static_cast<uint32_t>(i));
    for (int j = 0; j < 200; j += 3) {
      const Rtt* b = tb.rtt(chain[j]);
      EXPECT_EQ(rtt_is_subtype(a, b), i >= j) << i << " <: " << j;
    }
  }
  const Rtt* s5 = tb.rtt(sib5);
  const Rtt* s150 = tb.rtt(sib150);
  EXPECT_TRUE(rtt_is_subtype(s5, tb.rtt(chain[4])));
  EXPECT_TRUE(rtt_is_subtype(s5, tb.rtt(chain[0])));
  EXPECT_FALSE(rtt_is_subtype(s5, tb.rtt(chain[5])));
  EXPECT_FALSE(rtt_is_subtype(tb.rtt(chain[5]), s5));
  EXPECT_TRUE(rtt_is_subtype(s150, tb.rtt(chain[149])));
  EXPECT_TRUE(rtt_is_subtype(s150, tb.rtt(chain[100])));
  EXPECT_FALSE(rtt_is_subtype(s150, tb.rtt(chain[150])));
  EXPECT_FALSE(rtt_is_subtype(s150, s5));
  EXPECT_FALSE(rtt_is_subtype(s5, s150));
}

TEST(GcRtt, UnrelatedRootsAreNotSubtypes) {
  TypeBuilder tb;
  const Rtt* a = tb.rtt(tb.add_struct({}));
  const Rtt* b = tb.rtt(tb.add_struct({}));
  const Rtt* arr = tb.rtt(tb.add_array(TypeBuilder::field(ValType::i8())));
  EXPECT_FALSE(rtt_is_subtype(a, b));
  EXPECT_FALSE(rtt_is_subtype(b, a));
  EXPECT_FALSE(rtt_is_subtype(arr, a));
  EXPECT_TRUE(rtt_is_subtype(a, a));
}

TEST(GcRtt, FuncTypesGetDisplaysToo) {
  TypeBuilder tb;
  const uint32_t f = tb.add_func();
  const Rtt* rtt = tb.rtt(f);
  EXPECT_EQ(rtt->kind, RttKind::Func);
  EXPECT_TRUE(rtt_is_subtype(rtt, rtt));
}

}  // namespace
}  // namespace wasmrun::gc

namespace wasmrun::gc {
namespace {

TEST(GcRtt, ResolveMapsTypeIndicesThroughCanonicalIds) {
  testing::TypeBuilder tb;
  const uint32_t s = tb.add_struct({});
  const uint32_t a = tb.add_array(testing::TypeBuilder::field(ValType::i8()));
  // A module whose type indices 0 and 2 are the same canonical struct type.
  const std::vector<const Rtt*> rtts = tb.resolve({s, a, s});
  ASSERT_EQ(rtts.size(), 3u);
  EXPECT_EQ(rtts[0], tb.rtt(s));
  EXPECT_EQ(rtts[1], tb.rtt(a));
  EXPECT_EQ(rtts[0], rtts[2]);
  EXPECT_EQ(rtts[1]->kind, RttKind::Array);
}

}  // namespace
}  // namespace wasmrun::gc
