// Reader and InstrReader: LEB128 limits, names, and instruction immediates.
#include "engine/decode/reader.h"

#include <gtest/gtest.h>

#include <vector>

#include "engine/decode/instr_reader.h"

namespace wasmrun {
namespace {

Reader reader(const std::vector<uint8_t>& b) { return Reader(b.data(), b.data() + b.size()); }

TEST(Reader, U32Values) {
  std::vector<uint8_t> b = {0x00, 0x7F, 0x80, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  Reader r = reader(b);
  EXPECT_EQ(r.u32(), 0u);
  EXPECT_EQ(r.u32(), 127u);
  EXPECT_EQ(r.u32(), 128u);
  EXPECT_EQ(r.u32(), 0xFFFFFFFFu);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
}

TEST(Reader, U32TooLong) {
  std::vector<uint8_t> b = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  Reader r = reader(b);
  r.u32();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "integer representation too long");
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
}

TEST(Reader, U32TooLarge) {
  std::vector<uint8_t> b = {0x80, 0x80, 0x80, 0x80, 0x10};
  Reader r = reader(b);
  r.u32();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "integer too large");
}

TEST(Reader, S32SignBits) {
  // -1 in five bytes with correct sign extension is fine; a cleared sign copy is not.
  std::vector<uint8_t> ok = {0xFF, 0xFF, 0xFF, 0xFF, 0x7F};
  Reader r = reader(ok);
  EXPECT_EQ(r.s32(), -1);
  EXPECT_TRUE(r.ok());
  std::vector<uint8_t> bad = {0xFF, 0xFF, 0xFF, 0xFF, 0x4F};
  Reader r2 = reader(bad);
  r2.s32();
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().message, "integer too large");
  std::vector<uint8_t> pos = {0x80, 0x80, 0x80, 0x80, 0x70};
  Reader r3 = reader(pos);
  r3.s32();
  EXPECT_FALSE(r3.ok());
}

TEST(Reader, S64AndU64) {
  std::vector<uint8_t> b = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F,
                            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  Reader r = reader(b);
  EXPECT_EQ(r.s64(), INT64_MIN);
  EXPECT_EQ(r.u64(), UINT64_MAX);
  EXPECT_TRUE(r.ok());
  std::vector<uint8_t> bad = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
  Reader r2 = reader(bad);
  r2.u64();
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().message, "integer too large");
}

TEST(Reader, S33) {
  std::vector<uint8_t> b = {0x40, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  Reader r = reader(b);
  EXPECT_EQ(r.s33(), -64);
  EXPECT_EQ(r.s33(), -1);
  EXPECT_EQ(r.s33(), 0xFFFFFFFFll);
  EXPECT_TRUE(r.ok());
}

TEST(Reader, UnexpectedEndHasOffset) {
  std::vector<uint8_t> b = {0x80, 0x80};
  Reader r(b.data(), b.data() + b.size(), 100);
  r.u32();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unexpected end"), std::string::npos);
  EXPECT_EQ(r.error().offset, 100u);
}

TEST(Reader, Names) {
  std::vector<uint8_t> good = {0x03, 'a', 0xC3, 0xA9};
  Reader r = reader(good);
  EXPECT_EQ(r.name(), "a\xC3\xA9");
  std::vector<uint8_t> overlong = {0x02, 0xC0, 0x80};
  Reader r2 = reader(overlong);
  r2.name();
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().message, "malformed UTF-8 encoding");
  std::vector<uint8_t> surrogate = {0x03, 0xED, 0xA0, 0x80};
  Reader r3 = reader(surrogate);
  r3.name();
  EXPECT_FALSE(r3.ok());
  std::vector<uint8_t> longlen = {0x05, 'a'};
  Reader r4 = reader(longlen);
  r4.name();
  ASSERT_FALSE(r4.ok());
  EXPECT_EQ(r4.error().message, "length out of bounds");
}

TEST(InstrReader, MemargWithMemoryIndex) {
  // i32.load flags=0x42 (align 2, memory index follows) mem=3 offset=2^40
  std::vector<uint8_t> b = {0x28, 0x42, 0x03, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20};
  Reader r = reader(b);
  Features f;
  InstrReader ir(r, f);
  Instr in;
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Op::i32_load);
  EXPECT_EQ(in.align, 2u);
  EXPECT_EQ(in.mem, 3u);
  EXPECT_EQ(in.mem_offset, uint64_t{1} << 40);
}

TEST(InstrReader, PrefixedAndImmediates) {
  std::vector<uint8_t> b = {
      0xFC, 0x0A, 0x01, 0x02,        // memory.copy 1 2
      0x0E, 0x02, 0x00, 0x01, 0x02,  // br_table 0 1 default 2
      0x41, 0x7F,                    // i32.const -1
      0xFD, 0x0C, 1,    2,    3,    4,    5,    6,    7,
      8,    9,    10,   11,   12,   13,   14,   15,   16,  // v128.const
      0xFB, 0x18, 0x03, 0x00, 0x6E, 0x01,              // br_on_cast flags=3 label 0 any -> type 1
      0x1F, 0x40, 0x02, 0x00, 0x05, 0x01, 0x02, 0x00,  // try_table (catch 5 1) (catch_all 0)
      0xD0, 0x70,                                      // ref.null func
      0x02, 0x64, 0x03,                                // block (result (ref 3))
      0xFD, 0x80, 0x02,                                // i8x16.relaxed_swizzle (0x100)
  };
  Reader r = reader(b);
  Features f;
  InstrReader ir(r, f);
  Instr in;
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Op::memory_copy);
  EXPECT_EQ(in.index, 1u);
  EXPECT_EQ(in.index2, 2u);
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Op::br_table);
  EXPECT_EQ(in.labels, (std::vector<uint32_t>{0, 1, 2}));
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Op::i32_const);
  EXPECT_EQ(static_cast<int64_t>(in.value), -1);
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Op::v128_const);
  EXPECT_EQ(in.v128[15], 16);
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Op::br_on_cast);
  EXPECT_EQ(in.flags, 3);
  EXPECT_TRUE(in.heap1 == HeapType::abstract(AbsHeap::Any));
  EXPECT_TRUE(in.heap2 == HeapType::type_index(1));
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Op::try_table);
  ASSERT_EQ(in.catches.size(), 2u);
  EXPECT_EQ(in.catches[0].tag, 5u);
  EXPECT_EQ(in.catches[0].label, 1u);
  EXPECT_EQ(in.catches[1].kind, CatchClause::Kind::CatchAll);
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Op::ref_null);
  EXPECT_TRUE(in.heap1 == HeapType::abstract(AbsHeap::Func));
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Op::block);
  EXPECT_EQ(in.block.kind, BlockType::Kind::Value);
  EXPECT_TRUE(in.block.value == ValType::ref(HeapType::type_index(3), false));
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Op::i8x16_relaxed_swizzle);
  EXPECT_TRUE(r.at_end());
}

TEST(InstrReader, IllegalOpcode) {
  std::vector<uint8_t> b = {0xF3};
  Reader r = reader(b);
  Features f;
  InstrReader ir(r, f);
  Instr in;
  EXPECT_FALSE(ir.next(in));
  EXPECT_EQ(r.error().message, "illegal opcode f3");
  EXPECT_EQ(r.error().offset, 0u);
}

}  // namespace
}  // namespace wasmrun

namespace wasmrun {
namespace {

TEST(Types, TextNames) {
  EXPECT_EQ(to_string(ValType::i32()), "i32");
  EXPECT_EQ(to_string(ValType::funcref()), "funcref");
  EXPECT_EQ(to_string(ValType::ref(HeapType::abstract(AbsHeap::None), true)), "nullref");
  EXPECT_EQ(to_string(ValType::ref(HeapType::abstract(AbsHeap::Eq), false)), "(ref eq)");
  EXPECT_EQ(to_string(ValType::ref(HeapType::type_index(3), true)), "(ref null 3)");
  EXPECT_STREQ(extern_kind_name(ExternKind::Tag), "tag");
}

}  // namespace
}  // namespace wasmrun
