// Rtts built from the engine's real canonical types: a module goes through
// wat_to_wasm, decode_module and rt::TypeRegistry, and the Rtt displays must
// agree with the registry's subtype relation on every pair of types.
//
// Built by gc/CMakeLists.txt (it links the engine, unlike test_gc).
#include "engine/runtime/type_registry.h"

#include <gtest/gtest.h>

#include "engine/decode/decoder.h"
#include "engine/text/wat.h"
#include "gc/cast.h"
#include "gc/heap.h"
#include "gc/rtt.h"

namespace wasmrun::gc {
namespace {

constexpr const char* kModule = R"((module
  (rec (type $node (sub (struct (field (mut (ref null $node))) (field i8) (field (mut i64))))))
  (type $a (sub (struct (field i32))))
  (type $b (sub $a (struct (field i32) (field (ref null $a)))))
  (type $c (sub final $b (struct (field i32) (field (ref null $a)) (field v128))))
  (type $f (func (param i32)))
  (type $funcs (array (mut (ref null $f))))
  (type $as (array (mut (ref null $a))))
  (type $a_again (sub (struct (field i32))))
  (rec (type $p (sub (struct))) (type $q (sub $p (struct (field (ref null $q))))))
  (type $r (sub $q (struct (field (ref null $q)) (field externref))))
))";

struct Loaded {
  rt::TypeRegistry types;
  std::vector<uint32_t> ids;
  RttRegistry registry;
  std::vector<const Rtt*> rtts;
};

void load(Loaded& l) {
  auto bytes = wat_to_wasm(kModule);
  ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
  auto m = decode_module(std::move(*bytes));
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  l.ids = l.types.intern_module(**m);
  l.rtts =
      l.registry.resolve(l.ids, [&](uint32_t id) -> const SubType& { return l.types.type(id); });
}

TEST(GcEngineTypes, DisplaysAgreeWithTheTypeRegistry) {
  Loaded l;
  ASSERT_NO_FATAL_FAILURE(load(l));
  ASSERT_EQ(l.rtts.size(), 11u);
  for (size_t i = 0; i < l.rtts.size(); ++i) {
    for (size_t j = 0; j < l.rtts.size(); ++j) {
      EXPECT_EQ(rtt_is_subtype(l.rtts[i], l.rtts[j]), l.types.is_subtype(l.ids[i], l.ids[j]))
          << "type " << i << " <: type " << j;
    }
  }
  EXPECT_EQ(l.rtts[1], l.rtts[7]) << "equivalent types share one Rtt";
  EXPECT_EQ(l.rtts[10]->depth, 2u);
}

TEST(GcEngineTypes, LayoutAndTracingFromCanonicalTypes) {
  Loaded l;
  ASSERT_NO_FATAL_FAILURE(load(l));
  const Rtt* node = l.rtts[0];
  ASSERT_EQ(node->fields.size(), 3u);
  EXPECT_TRUE(node->fields[0].traced);
  EXPECT_EQ(node->fields[1].storage, Storage::I8);
  EXPECT_EQ(node->fields[2].offset, 32u);
  const Rtt* c = l.rtts[3];
  EXPECT_EQ(c->fields[1].offset, l.rtts[2]->fields[1].offset);
  EXPECT_EQ(c->align, 16u);
  EXPECT_FALSE(l.rtts[5]->elem_traced) << "funcref elements are store-owned";
  EXPECT_TRUE(l.rtts[6]->elem_traced);
  EXPECT_EQ(l.rtts[10]->num_ref_offsets, 2u) << "a (ref null $q) and an externref";

  Heap heap;
  HandleScope scope(heap);
  const Ref obj = scope.make(heap.try_alloc_struct(*c)).get();
  EXPECT_TRUE(ref_test_concrete(obj, l.rtts[1], false));
  EXPECT_TRUE(ref_test_concrete(obj, l.rtts[7], false)) << "$a_again is $a";
  EXPECT_FALSE(ref_test_concrete(obj, l.rtts[0], false));
}

}  // namespace
}  // namespace wasmrun::gc
