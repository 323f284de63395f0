// Hand-written binary modules for the 3.0 features wabt's wast2json cannot
// encode: GC types and instructions, typed function references, local
// initialization, rec-group canonicalization, exceptions, tail calls, threads,
// memory64, multi-memory and constant expressions.
#include <gtest/gtest.h>

#include "engine/validate/validator.h"
#include "tests/validate/module_builder.h"

namespace wasmrun {
namespace {

using namespace testing;

Result<std::shared_ptr<const ValidatedModule>> load(const ModuleBuilder& b) {
  return load_module(b.build());
}

void expect_valid(const ModuleBuilder& b) {
  auto r = load(b);
  EXPECT_TRUE(r.ok()) << r.error().to_string();
}

void expect_invalid(const ModuleBuilder& b, const std::string& text) {
  auto r = load(b);
  ASSERT_FALSE(r.ok()) << "expected \"" << text << "\"";
  EXPECT_EQ(r.error().kind, ErrorKind::Invalid) << r.error().to_string();
  EXPECT_NE(r.error().message.find(text), std::string::npos) << r.error().to_string();
}

const Bytes kVoid = func_type({}, {});
const Bytes kToI32 = func_type({}, {{I32}});

// ---------------------------------------------------------------------------
// GC: structs, arrays, packed fields

ModuleBuilder struct_module(const Bytes& code) {
  ModuleBuilder b;
  b.types = {struct_type({field({I32}, true), field({0x78}, false)}), kToI32};
  b.func(1, code);
  return b;
}

TEST(Gc, StructNewDefaultAndPackedGet) {
  // struct.new_default 0; struct.get_s 0 1
  expect_valid(struct_module({0xFB, 0x01, 0x00, 0xFB, 0x03, 0x00, 0x01, 0x0B}));
}

TEST(Gc, PackedFieldNeedsSignedness) {
  // struct.get (not _s/_u) on an i8 field
  expect_invalid(struct_module({0xFB, 0x01, 0x00, 0xFB, 0x02, 0x00, 0x01, 0x0B}), "type mismatch");
}

TEST(Gc, ImmutableFieldAndUnknownField) {
  // struct.set 0 1 on the immutable field
  expect_invalid(
      struct_module({0xFB, 0x01, 0x00, 0x41, 0x01, 0xFB, 0x05, 0x00, 0x01, 0x41, 0x00, 0x0B}),
      "immutable field");
  expect_invalid(struct_module({0xFB, 0x01, 0x00, 0xFB, 0x02, 0x00, 0x07, 0x0B}), "unknown field");
}

TEST(Gc, ArrayOps) {
  ModuleBuilder b;
  b.types = {array_type(field({I32}, true)), kToI32};
  // array.new_default 0 (len 3); array.len
  b.func(1, {0x41, 0x03, 0xFB, 0x07, 0x00, 0xFB, 0x0F, 0x0B});
  expect_valid(b);

  ModuleBuilder imm;
  imm.types = {array_type(field({I32}, false)), kVoid};
  // array.set on an immutable array
  imm.func(1, {0x41, 0x01, 0xFB, 0x07, 0x00, 0x41, 0x00, 0x41, 0x05, 0xFB, 0x0E, 0x00, 0x0B});
  expect_invalid(imm, "immutable array");
}

TEST(Gc, I31AndCasts) {
  ModuleBuilder b;
  b.types = {struct_type({}), func_type({}, {{I32}})};
  // ref.i31 (i32.const 5); ref.test (ref i31) -> i32
  b.func(1, {0x41, 0x05, 0xFB, 0x1C, 0xFB, 0x14, 0x6C, 0x0B});
  expect_valid(b);

  ModuleBuilder bad;
  bad.types = {struct_type({}), func_type({}, {{I32}})};
  // ref.null extern; ref.test struct: different hierarchies
  bad.func(1, {0xD0, 0x6F, 0xFB, 0x14, 0x6B, 0x0B});
  expect_invalid(bad, "type mismatch");
}

TEST(Gc, BrOnCastTypesTheBranchAndFallthrough) {
  ModuleBuilder b;
  b.types = {struct_type({}), func_type({{ANYREF}}, {{ref_abs(0x6B, false)}})};
  // block (result (ref struct)) local.get 0; br_on_cast 0 anyref -> (ref struct); drop;
  // unreachable end
  b.func(1, cat({{0x02},
                 ref_abs(0x6B, false),
                 {0x20, 0x00, 0xFB, 0x18, 0x01, 0x00, 0x6E, 0x6B, 0x1A, 0x00, 0x0B, 0x0B}}));
  expect_valid(b);

  ModuleBuilder bad = b;
  bad.codes.clear();
  bad.funcs.clear();
  // Same, but the target (eq) is not a subtype of the label type (ref struct).
  bad.func(1, cat({{0x02},
                   ref_abs(0x6B, false),
                   {0x20, 0x00, 0xFB, 0x18, 0x01, 0x00, 0x6E, 0x6D, 0x1A, 0x00, 0x0B, 0x0B}}));
  expect_invalid(bad, "type mismatch");
}

// ---------------------------------------------------------------------------
// Type section: rec groups, canonical ids, declared subtyping

TEST(Types, IdenticalRecGroupsShareCanonicalIds) {
  ModuleBuilder b;
  Bytes self_ref = struct_type({field(ref_null(0), false)});  // (rec (struct (ref null 0)))
  Bytes self_ref2 = struct_type({field(ref_null(1), false)});
  b.types = {rec({self_ref}), rec({self_ref2}), rec({kVoid, kVoid})};
  auto r = load(b);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const auto& c = (*r)->canonical_type;
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0], c[1]);  // same shape, self-reference relative to the group
  EXPECT_NE(c[2], c[3]);  // same structure, different positions in one group
  EXPECT_NE(c[0], c[2]);
}

TEST(Types, FinalSupertypeIsRejected) {
  ModuleBuilder b;
  b.types = {sub(std::nullopt, true, struct_type({})), sub(0, false, struct_type({}))};
  expect_invalid(b, "sub type");
}

TEST(Types, SubtypeMustMatchStructurally) {
  ModuleBuilder ok;
  ok.types = {sub(std::nullopt, false, struct_type({field({I32}, false)})),
              sub(0, false, struct_type({field({I32}, false), field({I64}, true)}))};
  expect_valid(ok);
  ModuleBuilder bad;
  bad.types = {sub(std::nullopt, false, struct_type({field({I32}, false)})),
               sub(0, false, struct_type({field({I64}, false)}))};
  expect_invalid(bad, "sub type");
}

TEST(Types, ForwardReferenceOutsideGroupIsUnknown) {
  ModuleBuilder b;
  b.types = {struct_type({field(ref_null(1), false)}), struct_type({})};
  expect_invalid(b, "unknown type");
}

TEST(Types, DeclaredSubtypeFlowsIntoSupertypeParameter) {
  ModuleBuilder b;
  b.types = {sub(std::nullopt, false, struct_type({})), sub(0, false, struct_type({})),
             func_type({ref(0)}, {}), kVoid};
  // func 0 (type 2) takes (ref 0); func 1 calls it with struct.new_default 1.
  b.func(2, {0x0B});
  b.func(3, {0xFB, 0x01, 0x01, 0x10, 0x00, 0x0B});
  expect_valid(b);
}

// ---------------------------------------------------------------------------
// Typed function references and local initialization

TEST(FuncRefs, CallRefAndDeclaration) {
  ModuleBuilder b;
  b.types = {kToI32};
  b.func(0, {0x41, 0x07, 0x0B});
  // ref.func 0; call_ref 0
  b.func(0, {0xD2, 0x00, 0x14, 0x00, 0x0B});
  expect_invalid(b, "undeclared function reference");
  // A declarative element segment declares function 0.
  b.elems = {{0x03, 0x00, 0x01, 0x00}};
  expect_valid(b);
}

TEST(FuncRefs, NullableRefNeedsAsNonNullForNonNullableParam) {
  ModuleBuilder b;
  b.types = {kVoid, func_type({ref(0)}, {}), func_type({ref_null(0)}, {})};
  b.func(1, {0x0B});
  // local.get 0 (ref null 0); call 0 expecting (ref 0)
  b.func(2, {0x20, 0x00, 0x10, 0x00, 0x0B});
  expect_invalid(b, "type mismatch");
  b.codes.back() = {0x00, 0x20, 0x00, 0xD4, 0x10, 0x00, 0x0B};  // ref.as_non_null first
  expect_valid(b);
}

TEST(FuncRefs, BrOnNull) {
  ModuleBuilder b;
  b.types = {kVoid, func_type({ref_null(0)}, {ref(0)})};
  // block; local.get 0; br_on_null 0; return; end; unreachable
  b.func(1, {0x02, 0x40, 0x20, 0x00, 0xD5, 0x00, 0x0F, 0x0B, 0x00, 0x0B});
  expect_valid(b);
}

TEST(FuncRefs, UninitializedLocal) {
  ModuleBuilder b;
  b.types = {kVoid, func_type({ref(0)}, {})};
  Bytes locals = cat({{0x01, 0x01}, ref(0)});  // one local of type (ref 0)
  b.func(1, {0x20, 0x01, 0x1A, 0x0B}, locals);
  expect_invalid(b, "uninitialized local");
  // Set from the parameter first: fine.
  b.codes.back() = cat({locals, {0x20, 0x00, 0x21, 0x01, 0x20, 0x01, 0x1A, 0x0B}});
  expect_valid(b);
  // Set inside a block only: uninitialized again after its end.
  b.codes.back() =
      cat({locals, {0x02, 0x40, 0x20, 0x00, 0x21, 0x01, 0x0B, 0x20, 0x01, 0x1A, 0x0B}});
  expect_invalid(b, "uninitialized local");
}

// ---------------------------------------------------------------------------
// Exceptions

TEST(Exceptions, TagMustHaveNoResults) {
  ModuleBuilder b;
  b.types = {kToI32};
  b.tags = {{0x00, 0x00}};
  expect_invalid(b, "non-empty tag result type");
}

TEST(Exceptions, TryTableCatchLabelTypes) {
  ModuleBuilder b;
  b.types = {func_type({{I32}}, {}), func_type({}, {{I32}})};
  b.tags = {{0x00, 0x00}};
  // block (result i32) try_table (catch 0 0) i32.const 1 throw 0 end unreachable end
  b.func(1, {0x02, 0x7F, 0x1F, 0x40, 0x01, 0x00, 0x00, 0x00, 0x41, 0x01, 0x08, 0x00, 0x0B, 0x00,
             0x0B, 0x0B});
  expect_valid(b);
  // catch_ref delivers (i32 exnref): the i32 label does not match.
  b.codes.back() = {0x00, 0x02, 0x7F, 0x1F, 0x40, 0x01, 0x01, 0x00, 0x00,
                    0x41, 0x01, 0x08, 0x00, 0x0B, 0x00, 0x0B, 0x0B};
  expect_invalid(b, "type mismatch");
}

TEST(Exceptions, LegacyTryCatchRethrowDelegate) {
  ModuleBuilder b;
  b.types = {kVoid};
  b.tags = {{0x00, 0x00}};
  // try catch 0 rethrow 0 end
  b.func(0, {0x06, 0x40, 0x07, 0x00, 0x09, 0x00, 0x0B, 0x0B});
  // block try delegate 0 end
  b.func(0, {0x02, 0x40, 0x06, 0x40, 0x18, 0x00, 0x0B, 0x0B});
  expect_valid(b);
  ModuleBuilder bad;
  bad.types = {kVoid};
  // block rethrow 0 end: the label is not a catch
  bad.func(0, {0x02, 0x40, 0x09, 0x00, 0x0B, 0x0B});
  expect_invalid(bad, "invalid rethrow label");
}

TEST(Exceptions, ThrowRefNeedsExnref) {
  ModuleBuilder b;
  b.types = {func_type({{EXNREF}}, {}), func_type({{I32}}, {})};
  b.func(0, {0x20, 0x00, 0x0A, 0x0B});
  b.func(1, {0x20, 0x00, 0x0A, 0x0B});
  expect_invalid(b, "type mismatch");
  b.funcs.pop_back();
  b.codes.pop_back();
  expect_valid(b);
}

// ---------------------------------------------------------------------------
// Tail calls, threads, memory64, multi-memory

TEST(TailCalls, ResultsMustMatchCaller) {
  ModuleBuilder b;
  b.types = {kToI32, func_type({}, {{I64}})};
  b.func(0, {0x41, 0x00, 0x0B});
  b.func(0, {0x12, 0x00, 0x0B});  // return_call 0: i32 -> i32, fine
  b.func(1, {0x12, 0x00, 0x0B});  // i32 result where i64 is returned
  expect_invalid(b, "type mismatch");
}

TEST(Threads, AtomicsNeedNaturalAlignmentAndSharedNeedsMax) {
  ModuleBuilder b;
  b.types = {kToI32};
  b.memories = {{0x03, 0x01, 0x01}};                      // shared, min 1, max 1
  b.func(0, {0x41, 0x00, 0xFE, 0x10, 0x02, 0x00, 0x0B});  // i32.atomic.load align=2
  expect_valid(b);
  b.codes.back() = {0x00, 0x41, 0x00, 0xFE, 0x10, 0x01, 0x00, 0x0B};  // align=1
  expect_invalid(b, "alignment must be equal to natural");
  ModuleBuilder s;
  s.memories = {{0x02, 0x01}};  // shared without maximum
  expect_invalid(s, "shared memory must have maximum");
}

TEST(Memory64, AddressesAreI64) {
  ModuleBuilder b;
  b.types = {kToI32};
  b.memories = {{0x04, 0x01}};
  b.func(0, {0x42, 0x00, 0x28, 0x02, 0x00, 0x0B});  // i64.const 0; i32.load
  expect_valid(b);
  b.codes.back() = {0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x0B};  // i32 address
  expect_invalid(b, "type mismatch");
}

TEST(MultiMemory, MemoryIndexInMemarg) {
  ModuleBuilder b;
  b.types = {kToI32};
  b.memories = {{0x00, 0x01}, {0x00, 0x01}};
  b.func(0, {0x41, 0x00, 0x28, 0x42, 0x01, 0x00, 0x0B});  // i32.load memory 1
  expect_valid(b);
  b.codes.back() = {0x00, 0x41, 0x00, 0x28, 0x42, 0x02, 0x00, 0x0B};
  expect_invalid(b, "unknown memory 2");
}

TEST(Simd, LaneIndicesAndAlignment) {
  ModuleBuilder b;
  b.types = {kToI32};
  b.memories = {{0x00, 0x01}};
  Bytes v0 = cat({{0xFD, 0x0C}, Bytes(16, 0)});    // v128.const 0
  b.func(0, cat({v0, {0xFD, 0x15, 0x0F, 0x0B}}));  // i8x16.extract_lane_s 15
  expect_valid(b);
  b.codes.back() = cat({{0x00}, v0, {0xFD, 0x15, 0x10, 0x0B}});  // lane 16
  expect_invalid(b, "invalid lane index");
  b.codes.back() = cat({{0x00}, v0, {0xFD, 0x1B, 0x04, 0x0B}});  // i32x4.extract_lane 4
  expect_invalid(b, "invalid lane index");
  Bytes shuffle = cat({{0x00}, v0, v0, {0xFD, 0x0D}, Bytes(15, 0), {32}, {0xFD, 0x1B, 0x00, 0x0B}});
  b.codes.back() = shuffle;
  expect_invalid(b, "invalid lane index");
  // v128.load with alignment 2^5 > 16 bytes, then v128.any_true.
  b.codes.back() = {0x00, 0x41, 0x00, 0xFD, 0x00, 0x05, 0x00, 0xFD, 0x53, 0x0B};
  expect_invalid(b, "alignment must not be larger than natural");
  b.codes.back() = {0x00, 0x41, 0x00, 0xFD, 0x00, 0x04, 0x00, 0xFD, 0x53, 0x0B};
  expect_valid(b);
}

TEST(BulkMemory, DataCountRules) {
  ModuleBuilder b;
  b.types = {kVoid};
  b.memories = {{0x00, 0x01}};
  // memory.init 0 0 with a data section but no data count section: malformed.
  b.func(0, {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B});
  b.datas = {{0x01, 0x00}};
  auto r = load(b);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
  EXPECT_EQ(r.error().message, "data count section required");
  b.data_count = 1;
  expect_valid(b);
  // data.drop 1 with one segment.
  b.codes.back() = {0x00, 0xFC, 0x09, 0x01, 0x0B};
  expect_invalid(b, "unknown data segment 1");
}

// ---------------------------------------------------------------------------
// Constant expressions

TEST(ConstExpr, ExtendedAndGcConstants) {
  ModuleBuilder b;
  b.types = {struct_type({field({I32}, false)})};
  b.globals = {
      {I32, 0x00, 0x41, 0x02, 0x41, 0x03, 0x6C, 0x0B},            // i32.mul 2 3
      cat({ref(0), {0x00, 0x23, 0x00, 0xFB, 0x00, 0x00, 0x0B}}),  // struct.new 0 (global 0)
  };
  expect_valid(b);
}

TEST(ConstExpr, MutableGlobalAndNonConstantOps) {
  ModuleBuilder b;
  b.imports = {cat({leb(1), {'m'}, leb(1), {'g'}, {0x03, I32, 0x01}})};  // mutable import
  b.globals = {{I32, 0x00, 0x23, 0x00, 0x0B}};
  expect_invalid(b, "constant expression required");
  ModuleBuilder c;
  c.globals = {{I32, 0x00, 0x41, 0x01, 0x45, 0x0B}};  // i32.eqz is not constant
  expect_invalid(c, "constant expression required");
  ModuleBuilder later;
  later.globals = {{I32, 0x00, 0x23, 0x01, 0x0B}, {I32, 0x00, 0x41, 0x00, 0x0B}};
  expect_invalid(later, "unknown global 1");
}

// ---------------------------------------------------------------------------
// Error offsets

TEST(Errors, OffsetPointsAtTheInstruction) {
  ModuleBuilder b;
  b.types = {kVoid};
  b.func(0, {0x01, 0x01, 0x6A, 0x0B});  // nop nop i32.add
  auto bytes = b.build();
  auto r = load_module(bytes);
  ASSERT_FALSE(r.ok());
  ASSERT_LT(r.error().offset, bytes.size());
  EXPECT_EQ(bytes[r.error().offset], 0x6A);
  EXPECT_NE(r.error().message.find("type mismatch"), std::string::npos);
}

TEST(Errors, BodyEncodingErrorsAreMalformed) {
  ModuleBuilder b;
  b.types = {kVoid};
  b.func(0, {0xFF, 0x0B});
  auto r = load(b);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
  EXPECT_EQ(r.error().message, "illegal opcode ff");
}

// ---------------------------------------------------------------------------
// Disabled features

std::string load_with(const ModuleBuilder& b, const Features& f) {
  auto r = load_module(b.build(), f);
  return r.ok() ? "OK" : r.error().message;
}

TEST(FeatureGates, DisabledFeaturesAreRejected) {
  ModuleBuilder tail;
  tail.types = {kVoid};
  tail.func(0, {0x12, 0x00, 0x0B});  // return_call 0
  Features f;
  EXPECT_EQ(load_with(tail, f), "OK");
  f.tail_call = false;
  EXPECT_EQ(load_with(tail, f), "illegal opcode 12");

  ModuleBuilder mem64;
  mem64.memories = {{0x04, 0x01}};
  Features g;
  EXPECT_EQ(load_with(mem64, g), "OK");
  g.memory64 = false;
  EXPECT_EQ(load_with(mem64, g), "malformed limits flags");

  ModuleBuilder multi;
  multi.types = {kToI32};
  multi.memories = {{0x00, 0x01}};
  multi.func(0, {0x41, 0x00, 0x28, 0x42, 0x00, 0x00, 0x0B});  // explicit memory index 0
  Features h;
  EXPECT_EQ(load_with(multi, h), "OK");
  h.multi_memory = false;
  EXPECT_EQ(load_with(multi, h), "malformed memop flags");

  ModuleBuilder two;
  two.memories = {{0x00, 0x01}, {0x00, 0x01}};
  EXPECT_EQ(load_with(two, Features{}), "OK");
  EXPECT_EQ(load_with(two, h), "multiple memories");

  ModuleBuilder ext;
  ext.globals = {{I32, 0x00, 0x41, 0x02, 0x41, 0x03, 0x6A, 0x0B}};  // i32.add
  Features e;
  EXPECT_EQ(load_with(ext, e), "OK");
  e.extended_const = false;
  EXPECT_EQ(load_with(ext, e), "constant expression required");

  ModuleBuilder legacy;
  legacy.types = {kVoid};
  legacy.func(0, {0x06, 0x40, 0x0B, 0x0B});  // try end
  Features l;
  l.legacy_exceptions = false;
  EXPECT_EQ(load_with(legacy, l), "illegal opcode 06");
}

}  // namespace
}  // namespace wasmrun
