// Module-level errors point at the entry they are about: the offsets recorded by
// the decoder (entry_offset, Module::*_offsets) reach the validator's errors.
// Expected offsets are found by locating the entry's bytes in the built module.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/decode/decoder.h"
#include "engine/validate/validator.h"
#include "tests/validate/module_builder.h"

namespace wasmrun {
namespace {

using namespace testing;

// Offset of the nth (0-based) occurrence of `pat` in `b`.
size_t find(const Bytes& b, const Bytes& pat, int nth = 0) {
  auto it = b.begin();
  for (;;) {
    it = std::search(it, b.end(), pat.begin(), pat.end());
    if (it == b.end()) return Error::kNoOffset;
    if (nth-- == 0) return static_cast<size_t>(it - b.begin());
    ++it;
  }
}

Error load_error(const Bytes& bytes, const Features& f = {}) {
  auto r = load_module(bytes, f);
  EXPECT_FALSE(r.ok());
  return r.ok() ? Error(ErrorKind::Invalid, "(accepted)") : r.error();
}

const Bytes kVoid = func_type({}, {});

TEST(EntryOffsets, DuplicateExportNamesTheSecondExport) {
  ModuleBuilder b;
  b.types = {kVoid};
  b.func(0, {0x0B});
  b.exports = {{0x01, 'x', 0x00, 0x00}, {0x01, 'x', 0x00, 0x00}};
  Bytes m = b.build();
  Error e = load_error(m);
  EXPECT_EQ(e.message, "duplicate export name");
  EXPECT_EQ(e.offset, find(m, {0x01, 'x', 0x00, 0x00}, 1));
}

TEST(EntryOffsets, UnknownExportIndex) {
  ModuleBuilder b;
  b.exports = {{0x01, 'g', 0x03, 0x04}};
  Bytes m = b.build();
  Error e = load_error(m);
  EXPECT_EQ(e.message, "unknown global 4");
  EXPECT_EQ(e.offset, find(m, {0x01, 'g', 0x03, 0x04}));
}

TEST(EntryOffsets, FunctionSectionTypeIndex) {
  ModuleBuilder b;
  b.types = {kVoid};
  b.func(0, {0x0B});
  b.func(5, {0x0B});
  Bytes m = b.build();
  Error e = load_error(m);
  EXPECT_EQ(e.message, "unknown type 5");
  // Function section: id, size, count 2, type 0, type 5.
  EXPECT_EQ(e.offset, find(m, {0x03, 0x03, 0x02, 0x00, 0x05}) + 4);
}

TEST(EntryOffsets, MemoryLimitsAndMultipleMemories) {
  ModuleBuilder b;
  b.memories = {cat({{0x00}, leb(70000)})};
  Bytes m = b.build();
  Error e = load_error(m);
  EXPECT_NE(e.message.find("memory size must be at most"), std::string::npos);
  EXPECT_EQ(e.offset, find(m, cat({{0x00}, leb(70000)})));

  // Without multi-memory, the second memory (here a defined one after an
  // imported one) is the offending entry.
  ModuleBuilder two;
  two.imports = {{0x01, 'm', 0x01, 'm', 0x02, 0x00, 0x01}};
  two.memories = {{0x00, 0x02}};
  Bytes m2 = two.build();
  Features f;
  f.multi_memory = false;
  Error e2 = load_error(m2, f);
  EXPECT_EQ(e2.message, "multiple memories");
  EXPECT_EQ(e2.offset, find(m2, {0x05, 0x03, 0x01, 0x00, 0x02}) + 3);
}

TEST(EntryOffsets, ImportTypeIndex) {
  ModuleBuilder b;
  b.imports = {{0x01, 'm', 0x01, 'f', 0x00, 0x09}};
  Bytes m = b.build();
  Error e = load_error(m);
  EXPECT_EQ(e.message, "unknown type 9");
  EXPECT_EQ(e.offset, find(m, {0x01, 'm', 0x01, 'f', 0x00, 0x09}));
}

TEST(EntryOffsets, StartFunction) {
  ModuleBuilder b;
  b.types = {func_type({{I32}}, {})};
  b.func(0, {0x0B});
  b.start = 0;
  Bytes m = b.build();
  Error e = load_error(m);
  EXPECT_EQ(e.message, "start function");
  EXPECT_EQ(e.offset, find(m, {0x08, 0x01, 0x00}) + 2);
}

TEST(EntryOffsets, ElemFunctionIndexAndTable) {
  ModuleBuilder b;
  b.types = {kVoid};
  b.func(0, {0x0B});
  b.tables = {{FUNCREF, 0x00, 0x02}};
  // Active, table 0, offset (i32.const 0), functions [0, 0, 7].
  b.elems = {{0x00, 0x41, 0x00, 0x0B, 0x03, 0x00, 0x00, 0x07}};
  Bytes m = b.build();
  Error e = load_error(m);
  EXPECT_EQ(e.message, "unknown function 7");
  EXPECT_EQ(e.offset, find(m, {0x00, 0x41, 0x00, 0x0B, 0x03, 0x00, 0x00, 0x07}) + 7);

  // Explicit table index 3 (flags 2) with no such table: the segment's entry.
  ModuleBuilder t;
  t.types = {kVoid};
  t.func(0, {0x0B});
  t.elems = {{0x02, 0x03, 0x41, 0x00, 0x0B, 0x00, 0x01, 0x00}};
  Bytes mt = t.build();
  Error et = load_error(mt);
  EXPECT_EQ(et.message, "unknown table 3");
  EXPECT_EQ(et.offset, find(mt, {0x02, 0x03, 0x41, 0x00, 0x0B}));
}

TEST(EntryOffsets, DataMemoryIndex) {
  ModuleBuilder b;
  b.datas = {{0x02, 0x01, 0x41, 0x00, 0x0B, 0x00}};
  Bytes m = b.build();
  Error e = load_error(m);
  EXPECT_EQ(e.message, "unknown memory 1");
  EXPECT_EQ(e.offset, find(m, {0x02, 0x01, 0x41, 0x00, 0x0B, 0x00}));
}

TEST(EntryOffsets, SubtypeOfFinalType) {
  ModuleBuilder b;
  b.types = {sub(std::nullopt, true, kVoid), sub(0, false, kVoid)};
  Bytes m = b.build();
  Error e = load_error(m);
  EXPECT_EQ(e.message, "sub type 1 does not match super type 0");
  EXPECT_EQ(e.offset, find(m, sub(0, false, kVoid)));
}

TEST(EntryOffsets, GlobalAndTableTypes) {
  ModuleBuilder g;
  g.globals = {cat({ref_null(4), {0x00, 0xD0, 0x71, 0x0B}})};
  Bytes mg = g.build();
  Error eg = load_error(mg);
  EXPECT_EQ(eg.message, "unknown type 4");
  EXPECT_EQ(eg.offset, find(mg, ref_null(4)));

  // A non-nullable table needs an initializer.
  ModuleBuilder t;
  t.tables = {cat({ref_abs(0x70, false), {0x00, 0x01}})};
  Bytes mt = t.build();
  Error et = load_error(mt);
  EXPECT_NE(et.message.find("table without initializer"), std::string::npos);
  EXPECT_EQ(et.offset, find(mt, cat({ref_abs(0x70, false), {0x00, 0x01}})));
}

TEST(EntryOffsets, CrossSectionLengthsPointAtTheSection) {
  ModuleBuilder b;
  b.data_count = 2;
  b.datas = {{0x01, 0x00}};
  Bytes m = b.build();
  auto r = decode_module(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "data count and data section have inconsistent lengths");
  EXPECT_EQ(r.error().offset, find(m, {0x0B, 0x03, 0x01, 0x01, 0x00}));
}

// A Module assembled in code has no recorded offsets: errors say so rather than
// pointing at an arbitrary byte.
TEST(EntryOffsets, ModuleBuiltInCodeHasNoOffsets) {
  auto m = std::make_shared<Module>();
  m->exports.push_back(Export{"f", ExternKind::Func, 3});
  auto r = validate_module(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "unknown function 3");
  EXPECT_EQ(r.error().offset, Error::kNoOffset);
}

}  // namespace
}  // namespace wasmrun
