// The FunctionInfo side tables, exactly as validated_module.h documents them:
// blocks in bytecode order with else/end offsets, operand types of drop and
// untyped select, stack and control depth, call sites and expanded locals.
#include <gtest/gtest.h>

#include "engine/validate/validator.h"
#include "tests/validate/module_builder.h"

namespace wasmrun {
namespace {

using namespace testing;

// Offset of the first body byte after the locals of the only function.
size_t code_start(const Bytes& module, size_t code_len) { return module.size() - code_len; }

TEST(SideTables, BlocksElseEndAndOperandTypes) {
  ModuleBuilder b;
  b.types = {func_type({{I32}}, {{I64}})};
  Bytes code = {
      0x02, 0x40,              // 0: block
      0x20, 0x00,              // 2:   local.get 0
      0x04, 0x7E,              // 4:   if (result i64)
      0x42, 0x01,              // 6:     i64.const 1
      0x05,                    // 8:   else
      0x42, 0x02,              // 9:     i64.const 2
      0x0B,                    // 11:  end
      0x1A,                    // 12:  drop (i64)
      0x0B,                    // 13: end
      0x43, 0,    0,    0, 0,  // 14: f32.const 0
      0x43, 0,    0,    0, 0,  // 19: f32.const 0
      0x20, 0x00,              // 24: local.get 0
      0x1B,                    // 26: select (f32)
      0x1A,                    // 27: drop (f32)
      0x03, 0x40, 0x0B,        // 28: loop end
      0x42, 0x00,              // 31: i64.const 0
      0x0F,                    // 33: return
      0x1A,                    // 34: drop in unreachable code: bot
      0x42, 0x00,              // 35
      0x0B,                    // 37: end
  };
  b.func(0, code, {0x01, 0x02, F64});  // two f64 locals
  Bytes mod = b.build();
  size_t base = code_start(mod, code.size());
  auto r = load_module(mod);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const FunctionInfo& fi = (*r)->functions.at(0);

  ASSERT_EQ(fi.locals.size(), 3u);
  EXPECT_EQ(fi.locals[0], ValType::i32());
  EXPECT_EQ(fi.locals[2], ValType::f64());

  ASSERT_EQ(fi.blocks.size(), 3u);
  EXPECT_EQ(fi.blocks[0].start, base + 0);
  EXPECT_EQ(fi.blocks[0].else_pc, 0u);
  EXPECT_EQ(fi.blocks[0].end_pc, base + 13);
  EXPECT_EQ(fi.blocks[1].start, base + 4);
  EXPECT_EQ(fi.blocks[1].else_pc, base + 8);
  EXPECT_EQ(fi.blocks[1].end_pc, base + 11);
  EXPECT_EQ(fi.blocks[2].start, base + 28);
  EXPECT_EQ(fi.blocks[2].end_pc, base + 30);

  ASSERT_EQ(fi.operand_types.size(), 4u);
  EXPECT_EQ(fi.operand_types[0], ValType::i64());
  EXPECT_EQ(fi.operand_types[1], ValType::f32());  // select
  EXPECT_EQ(fi.operand_types[2], ValType::f32());  // drop of the select result
  EXPECT_EQ(fi.operand_types[3].kind, ValKind::Bot);

  EXPECT_EQ(fi.max_stack_height, 3u);   // f32 f32 i32 before select
  EXPECT_EQ(fi.max_control_depth, 3u);  // function, block, if
  EXPECT_TRUE(fi.call_sites.empty());
}

TEST(SideTables, CallSitesAndTryCatch) {
  ModuleBuilder b;
  b.types = {func_type({}, {})};
  b.tags = {{0x00, 0x00}};
  b.tables = {{FUNCREF, 0x00, 0x01}};
  Bytes code = {
      0x10, 0x00,        // 0: call 0
      0x06, 0x40,        // 2: try
      0x41, 0x00,        // 4:   i32.const 0
      0x11, 0x00, 0x00,  // 6:   call_indirect type 0 table 0
      0x07, 0x00,        // 9: catch 0
      0x19,              // 11: catch_all
      0x0B,              // 12: end
      0x12, 0x00,        // 13: return_call 0
      0x0B,              // 15: end
  };
  b.func(0, code);
  Bytes mod = b.build();
  size_t base = code_start(mod, code.size());
  auto r = load_module(mod);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const FunctionInfo& fi = (*r)->functions.at(0);
  EXPECT_EQ(fi.call_sites,
            (std::vector<uint32_t>{uint32_t(base), uint32_t(base + 6), uint32_t(base + 13)}));
  ASSERT_EQ(fi.blocks.size(), 1u);
  EXPECT_EQ(fi.blocks[0].else_pc, base + 9);  // the first catch
  EXPECT_EQ(fi.blocks[0].end_pc, base + 12);
}

// Safepoints are recorded per function (the validator reuses its buffers
// across functions): `first` indexes the function's own safepoint_refs, which
// list the operand stack positions that may hold GC objects (not i32, not
// funcref) before the instruction pops its operands.
TEST(SideTables, SafepointsPerFunction) {
  ModuleBuilder b;
  b.types = {func_type({{EXTERNREF}}, {}), func_type({}, {})};
  Bytes code0 = {
      0x20, 0x00,  // 0: local.get 0
      0x20, 0x00,  // 2: local.get 0
      0x10, 0x00,  // 4: call 0: [externref externref]
      0x1A,        // 6: drop
      0x0B,        // 7: end
  };
  Bytes code2 = {
      0x41, 0x07,  // 0: i32.const 7
      0xD0, 0x70,  // 2: ref.null func
      0xD0, 0x6F,  // 4: ref.null extern
      0x10, 0x00,  // 6: call 0: [i32 funcref externref]
      0x1A,        // 8: drop
      0x1A,        // 9: drop
      0x10, 0x01,  // 10: call 1: []
      0x0B,        // 12: end
  };
  b.func(0, code0);
  b.func(1, {0x0B});
  b.func(1, code2);
  Bytes mod = b.build();
  size_t base2 = code_start(mod, code2.size());
  auto r = load_module(mod);
  ASSERT_TRUE(r.ok()) << r.error().to_string();

  const FunctionInfo& f0 = (*r)->functions.at(0);
  ASSERT_EQ(f0.safepoints.size(), 1u);
  ASSERT_EQ(f0.call_sites.size(), 1u);
  EXPECT_EQ(f0.safepoints[0].offset, f0.call_sites[0]);
  EXPECT_EQ(f0.safepoints[0].height, 2u);
  EXPECT_EQ(f0.safepoints[0].first, 0u);
  EXPECT_EQ(f0.safepoints[0].count, 2u);
  EXPECT_EQ(f0.safepoint_refs, (std::vector<uint32_t>{0, 1}));

  const FunctionInfo& f1 = (*r)->functions.at(1);
  EXPECT_TRUE(f1.safepoints.empty());
  EXPECT_TRUE(f1.safepoint_refs.empty());

  const FunctionInfo& f2 = (*r)->functions.at(2);
  ASSERT_EQ(f2.safepoints.size(), 2u);
  EXPECT_EQ(f2.safepoints[0].offset, base2 + 6);
  EXPECT_EQ(f2.safepoints[0].height, 3u);
  EXPECT_EQ(f2.safepoints[0].first, 0u);
  EXPECT_EQ(f2.safepoints[0].count, 1u);
  EXPECT_EQ(f2.safepoints[1].offset, base2 + 10);
  EXPECT_EQ(f2.safepoints[1].height, 0u);
  EXPECT_EQ(f2.safepoints[1].first, 1u);
  EXPECT_EQ(f2.safepoints[1].count, 0u);
  EXPECT_EQ(f2.safepoint_refs, (std::vector<uint32_t>{2}));
  EXPECT_EQ(f2.call_sites, (std::vector<uint32_t>{uint32_t(base2 + 6), uint32_t(base2 + 10)}));
  EXPECT_EQ(f2.operand_types, (std::vector<ValType>{ValType::funcref(), ValType::i32()}));
}

TEST(SideTables, DeclaredFunctions) {
  ModuleBuilder b;
  b.types = {func_type({}, {})};
  b.func(0, {0x0B});
  b.func(0, {0x0B});
  b.func(0, {0x0B});
  b.exports = {cat({leb(1), {'f'}, {0x00, 0x02}})};
  b.elems = {{0x03, 0x00, 0x01, 0x00}};  // declarative: function 0
  auto r = load_module(b.build());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)->declared_funcs, (std::vector<bool>{true, false, true}));
}

}  // namespace
}  // namespace wasmrun
