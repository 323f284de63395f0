// decode_module: section framing and ordering, the cross-section length rules,
// and the contents of each section kind as the Module exposes them.
#include "engine/decode/decoder.h"

#include <gtest/gtest.h>

#include "tests/validate/module_builder.h"

namespace wasmrun {
namespace {

using namespace testing;

Bytes header() { return {0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}; }

std::string decode_error(const Bytes& b) {
  auto r = decode_module(b);
  if (r.ok()) return "OK";
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
  return r.error().message;
}

TEST(Decoder, HeaderErrors) {
  EXPECT_NE(decode_error({0x00, 'a', 's'}).find("unexpected end"), std::string::npos);
  EXPECT_EQ(decode_error({0x00, 'a', 's', 'n', 1, 0, 0, 0}), "magic header not detected");
  EXPECT_EQ(decode_error({0x00, 'a', 's', 'm', 2, 0, 0, 0}), "unknown binary version");
  EXPECT_EQ(decode_error(header()), "OK");
}

TEST(Decoder, SectionIdsAndOrder) {
  EXPECT_EQ(decode_error(cat({header(), {0x0E, 0x01, 0x00}})), "malformed section id");
  // Function section before type section.
  EXPECT_EQ(decode_error(cat({header(), {0x03, 0x01, 0x00, 0x01, 0x01, 0x00}})),
            "unexpected content after last section");
  // Tag (13) goes between memory (5) and global (6); data count (12) before code.
  EXPECT_EQ(decode_error(cat({header(),
                              {0x05, 0x01, 0x00, 0x0D, 0x01, 0x00, 0x06, 0x01, 0x00, 0x0C, 0x01,
                               0x00, 0x0A, 0x01, 0x00}})),
            "OK");
  // Custom sections go anywhere.
  EXPECT_EQ(
      decode_error(cat({header(), {0x00, 0x02, 0x01, 'x', 0x01, 0x01, 0x00, 0x00, 0x01, 0x00}})),
      "OK");
}

TEST(Decoder, SizeAndLengthRules) {
  EXPECT_EQ(decode_error(cat({header(), {0x01, 0x05, 0x00}})), "length out of bounds");
  EXPECT_EQ(decode_error(cat({header(), {0x01, 0x02, 0x00, 0x00}})), "section size mismatch");
  // Function section says one function, no code section.
  EXPECT_EQ(
      decode_error(cat({header(), {0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00}})),
      "function and code section have inconsistent lengths");
  // Data count 1, no data section.
  EXPECT_EQ(decode_error(cat({header(), {0x0C, 0x01, 0x01}})),
            "data count and data section have inconsistent lengths");
}

TEST(Decoder, MalformedEncodings) {
  EXPECT_EQ(decode_error(cat({header(), {0x05, 0x02, 0x01, 0x08}})), "malformed limits flags");
  EXPECT_EQ(decode_error(cat({header(), {0x02, 0x05, 0x01, 0x00, 0x00, 0x05, 0x00}})),
            "malformed import kind");
  EXPECT_EQ(decode_error(cat({header(), {0x06, 0x06, 0x01, 0x7F, 0x02, 0x41, 0x00, 0x0B}})),
            "malformed mutability");
  EXPECT_EQ(decode_error(cat({header(), {0x04, 0x04, 0x01, 0x7F, 0x00, 0x00}})),
            "malformed reference type");
  // Local count adding up to more than 2^32 - 1.
  ModuleBuilder b;
  b.types = {func_type({}, {})};
  b.func(0, {0x0B}, cat({{0x02}, leb(0xFFFFFFFF), {I32}, leb(2), {I32}}));
  EXPECT_EQ(decode_error(b.build()), "too many locals");
}

TEST(Decoder, SectionContents) {
  ModuleBuilder b;
  b.types = {rec({sub(std::nullopt, false, struct_type({field({0x78}, true)})),
                  sub(0, true, struct_type({field({0x78}, true), field({I64}, false)}))}),
             func_type({{I32}}, {{I64}})};
  b.imports = {cat({leb(1), {'m'}, leb(1), {'t'}, {0x04, 0x00, 0x01}})};  // tag import? type 1
  b.memories = {{0x07, 0x01, 0x02}};  // shared, 64-bit, min 1, max 2
  b.tables = {cat({{0x40, 0x00}, {FUNCREF, 0x00, 0x03}, {0xD0, 0x70, 0x0B}})};
  b.func(1, {0x42, 0x00, 0x0B}, {0x01, 0x03, F32});
  b.exports = {cat({leb(1), {'f'}, {0x00, 0x00}})};
  b.elems = {{0x05, FUNCREF, 0x01, 0xD2, 0x00, 0x0B},
             {0x02, 0x00, 0x41, 0x00, 0x0B, 0x00, 0x01, 0x00}};
  b.data_count = 2;
  b.datas = {{0x01, 0x02, 'h', 'i'}, {0x02, 0x00, 0x42, 0x00, 0x0B, 0x00}};
  auto r = decode_module(b.build());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const Module& m = **r;
  ASSERT_EQ(m.types.size(), 3u);
  ASSERT_EQ(m.rec_groups.size(), 2u);
  EXPECT_EQ(m.rec_groups[0].count, 2u);
  EXPECT_FALSE(m.types[0].final);
  EXPECT_EQ(m.types[1].super, std::optional<uint32_t>(0));
  EXPECT_EQ(m.types[1].comp.struct_.fields[0].type.kind, ValKind::I8);
  EXPECT_EQ(m.num_imported_tags, 1u);
  ASSERT_EQ(m.memories.size(), 1u);
  EXPECT_TRUE(m.memories[0].limits.shared);
  EXPECT_TRUE(m.memories[0].limits.address64);
  EXPECT_EQ(m.memories[0].limits.max, std::optional<uint64_t>(2));
  ASSERT_EQ(m.defined_tables.size(), 1u);
  EXPECT_TRUE(m.defined_tables[0].init.has_value());
  ASSERT_EQ(m.bodies.size(), 1u);
  EXPECT_EQ(m.bodies[0].num_locals, 3u);
  ASSERT_EQ(m.elems.size(), 2u);
  EXPECT_EQ(m.elems[0].mode, ElemSegment::Mode::Passive);
  EXPECT_TRUE(m.elems[0].uses_exprs);
  EXPECT_EQ(m.elems[1].mode, ElemSegment::Mode::Active);
  EXPECT_EQ(m.elems[1].func_indices, (std::vector<uint32_t>{0}));
  ASSERT_EQ(m.datas.size(), 2u);
  EXPECT_EQ(m.datas[0].init.size, 2u);
  EXPECT_EQ(m.bytes[m.datas[0].init.offset], 'h');
  EXPECT_EQ(m.datas[1].mode, DataSegment::Mode::Active);
}

TEST(Decoder, NameSectionIsLenient) {
  Bytes names = cat({leb(4),
                     {'n', 'a', 'm', 'e'},
                     // module name "m", function 0 named "f"
                     {0x00, 0x02, 0x01, 'm', 0x01, 0x04, 0x01, 0x00, 0x01, 'f'},
                     // a broken subsection: size runs past the end
                     {0x02, 0x7F}});
  Bytes mod = cat({header(), {0x00}, leb(names.size()), names});
  auto r = decode_module(mod);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)->names.module, std::optional<std::string>("m"));
  EXPECT_EQ((*r)->names.functions.at(0), "f");
  ASSERT_EQ((*r)->customs.size(), 1u);
  EXPECT_EQ((*r)->customs[0].name, "name");
}

}  // namespace
}  // namespace wasmrun
