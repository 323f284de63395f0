// Engine-wide type canonicalization across modules.
#include "engine/runtime/type_registry.h"

#include <gtest/gtest.h>

namespace wasmrun::rt {
namespace {

SubType func(std::vector<ValType> params, std::vector<ValType> results) {
  SubType s;
  s.comp.kind = CompositeType::Kind::Func;
  s.comp.func.params = std::move(params);
  s.comp.func.results = std::move(results);
  return s;
}

Module module_with(std::vector<SubType> types, std::vector<RecGroup> groups) {
  Module m;
  m.types = std::move(types);
  m.rec_groups = std::move(groups);
  return m;
}

TEST(TypeRegistry, SameStructureSameIdAcrossModules) {
  TypeRegistry reg;
  Module a =
      module_with({func({ValType::i32()}, {ValType::i32()}), func({}, {})}, {{0, 1}, {1, 1}});
  Module b =
      module_with({func({}, {}), func({ValType::i32()}, {ValType::i32()})}, {{0, 1}, {1, 1}});
  auto ia = reg.intern_module(a);
  auto ib = reg.intern_module(b);
  EXPECT_EQ(ia[0], ib[1]);
  EXPECT_EQ(ia[1], ib[0]);
  EXPECT_NE(ia[0], ia[1]);
  // A host function type with the same signature gets the same id.
  FuncType ft{{ValType::i32()}, {ValType::i32()}};
  EXPECT_EQ(reg.intern_func_type(ft), ia[0]);
}

TEST(TypeRegistry, RecGroupsAreDistinctFromSingletons) {
  TypeRegistry reg;
  // (rec (type (func))) (type (func)) differ from a group of two funcs.
  Module single = module_with({func({}, {})}, {{0, 1}});
  Module pair = module_with({func({}, {}), func({}, {})}, {{0, 2}});
  auto s = reg.intern_module(single);
  auto p = reg.intern_module(pair);
  EXPECT_NE(s[0], p[0]);
  EXPECT_NE(p[0], p[1]);
}

TEST(TypeRegistry, ReferencesToEarlierGroupsCanonicalize) {
  TypeRegistry reg;
  ValType ref0 = ValType::ref(HeapType::type_index(0), true);
  ValType ref1 = ValType::ref(HeapType::type_index(1), true);
  // Module a: type 0 = [] -> [], type 1 = [(ref null 0)] -> []
  Module a = module_with({func({}, {}), func({ref0}, {})}, {{0, 1}, {1, 1}});
  // Module b: type 0 = [i32] -> [], type 1 = [] -> [], type 2 = [(ref null 1)] -> []
  Module b = module_with({func({ValType::i32()}, {}), func({}, {}), func({ref1}, {})},
                         {{0, 1}, {1, 1}, {2, 1}});
  auto ia = reg.intern_module(a);
  auto ib = reg.intern_module(b);
  EXPECT_EQ(ia[1], ib[2]);
}

TEST(TypeRegistry, DeclaredSupertypes) {
  TypeRegistry reg;
  SubType base = func({}, {});
  base.final = false;
  SubType derived = func({}, {});
  derived.super = 0;
  Module m = module_with({base, derived}, {{0, 1}, {1, 1}});
  auto ids = reg.intern_module(m);
  EXPECT_TRUE(reg.is_subtype(ids[1], ids[0]));
  EXPECT_FALSE(reg.is_subtype(ids[0], ids[1]));
  EXPECT_TRUE(
      reg.val_subtype(ValType::ref(HeapType::type_index(ids[1]), false), ValType::funcref()));
  EXPECT_FALSE(reg.val_subtype(ValType::funcref(), ValType::externref()));
  EXPECT_TRUE(reg.val_subtype(ValType::ref(HeapType::abstract(AbsHeap::NoFunc), true),
                              ValType::ref(HeapType::type_index(ids[0]), true)));
}

}  // namespace
}  // namespace wasmrun::rt
