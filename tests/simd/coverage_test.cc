// Every non-memory 0xFD opcode (except v128.const and i8x16.shuffle, which the
// interpreter handles itself because of their immediates) must appear in exactly
// one of the X-macro lists of engine/interp/simd.h, and every memory opcode in
// exactly one of the memory lists. This keeps the interpreter's generated
// handlers complete when opcodes.def grows.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "engine/interp/simd.h"
#include "engine/opcodes.h"

namespace wasmrun::simd {
namespace {

bool is_memory_imm(Imm imm) { return imm == Imm::Memarg || imm == Imm::MemargLane; }

std::map<Op, int> count_lists() {
  std::map<Op, int> seen;
#define X(ident) ++seen[Op::ident];
  WASMRUN_SIMD_UNARY(X)
  WASMRUN_SIMD_BINARY(X)
  WASMRUN_SIMD_TERNARY(X)
  WASMRUN_SIMD_SHIFT(X)
  WASMRUN_SIMD_TEST(X)
  WASMRUN_SIMD_SPLAT32(X)
  WASMRUN_SIMD_SPLAT64(X)
  WASMRUN_SIMD_EXTRACT32(X)
  WASMRUN_SIMD_EXTRACT64(X)
  WASMRUN_SIMD_REPLACE32(X)
  WASMRUN_SIMD_REPLACE64(X)
#undef X
  return seen;
}

TEST(SimdCoverage, EveryNonMemoryOpcodeInExactlyOneList) {
  std::map<Op, int> seen = count_lists();
  int expected = 0;
  for (unsigned i = 0; i < kNumOps; ++i) {
    const OpInfo& info = kOpInfo[i];
    Op op = static_cast<Op>(i);
    if (info.prefix != 0xFD || is_memory_imm(info.imm)) continue;
    if (op == Op::v128_const || op == Op::i8x16_shuffle) {
      EXPECT_EQ(seen.count(op), 0u) << info.mnemonic;
      continue;
    }
    ++expected;
    EXPECT_EQ(seen[op], 1) << info.mnemonic << " must be in exactly one list";
  }
  // No list names a non-SIMD or memory opcode.
  for (auto [op, n] : seen) {
    const OpInfo& info = op_info(op);
    EXPECT_EQ(info.prefix, 0xFD) << info.mnemonic;
    EXPECT_FALSE(is_memory_imm(info.imm)) << info.mnemonic;
  }
  EXPECT_EQ(static_cast<int>(seen.size()), expected);
}

// The list shapes agree with the signature strings of opcodes.def.
TEST(SimdCoverage, ListsMatchSignatures) {
  auto check = [](Op op, const char* sig, const char* list) {
    EXPECT_STREQ(op_info(op).sig, sig) << op_info(op).mnemonic << " in " << list;
  };
#define UN(ident) check(Op::ident, "v:v", "UNARY");
#define BIN(ident) check(Op::ident, "vv:v", "BINARY");
#define TER(ident) check(Op::ident, "vvv:v", "TERNARY");
#define SH(ident) check(Op::ident, "vi:v", "SHIFT");
#define TE(ident) check(Op::ident, "v:i", "TEST");
  WASMRUN_SIMD_UNARY(UN)
  WASMRUN_SIMD_BINARY(BIN)
  WASMRUN_SIMD_TERNARY(TER)
  WASMRUN_SIMD_SHIFT(SH)
  WASMRUN_SIMD_TEST(TE)
#undef UN
#undef BIN
#undef TER
#undef SH
#undef TE
  auto check_any = [](Op op, std::initializer_list<const char*> sigs, const char* list) {
    bool ok = false;
    for (const char* s : sigs) ok |= std::string(op_info(op).sig) == s;
    EXPECT_TRUE(ok) << op_info(op).mnemonic << " in " << list;
  };
#define S32(ident) check_any(Op::ident, {"i:v", "f:v"}, "SPLAT32");
#define S64(ident) check_any(Op::ident, {"I:v", "F:v"}, "SPLAT64");
#define E32(ident) check_any(Op::ident, {"v:i", "v:f"}, "EXTRACT32");
#define E64(ident) check_any(Op::ident, {"v:I", "v:F"}, "EXTRACT64");
#define R32(ident) check_any(Op::ident, {"vi:v", "vf:v"}, "REPLACE32");
#define R64(ident) check_any(Op::ident, {"vI:v", "vF:v"}, "REPLACE64");
  WASMRUN_SIMD_SPLAT32(S32)
  WASMRUN_SIMD_SPLAT64(S64)
  WASMRUN_SIMD_EXTRACT32(E32)
  WASMRUN_SIMD_EXTRACT64(E64)
  WASMRUN_SIMD_REPLACE32(R32)
  WASMRUN_SIMD_REPLACE64(R64)
#undef S32
#undef S64
#undef E32
#undef E64
#undef R32
#undef R64
}

// The memory lists cover every memory 0xFD opcode except v128.store (a plain
// 16-byte store, helper simd::store) exactly once.
TEST(SimdCoverage, MemoryListsCoverMemoryOpcodes) {
  std::map<Op, int> seen;
#define L(ident, helper) ++seen[Op::ident];
#define LL(ident, helper, bytes) ++seen[Op::ident];
  WASMRUN_SIMD_LOAD(L)
  WASMRUN_SIMD_LOAD_LANE(LL)
  WASMRUN_SIMD_STORE_LANE(LL)
#undef L
#undef LL
  for (unsigned i = 0; i < kNumOps; ++i) {
    const OpInfo& info = kOpInfo[i];
    Op op = static_cast<Op>(i);
    if (info.prefix != 0xFD || !is_memory_imm(info.imm) || op == Op::v128_store) continue;
    EXPECT_EQ(seen[op], 1) << info.mnemonic;
  }
  EXPECT_EQ(seen.count(Op::v128_store), 0u);
}

// Every list entry names a callable function of the documented shape; this
// fails to compile if a name or a signature drifts.
TEST(SimdCoverage, FunctionShapes) {
  V128 v{};
  int n = 0;
#define UN(ident)      \
  {                    \
    V128 r = ident(v); \
    (void)r;           \
    ++n;               \
  }
#define BIN(ident)        \
  {                       \
    V128 r = ident(v, v); \
    (void)r;              \
    ++n;                  \
  }
#define TER(ident)           \
  {                          \
    V128 r = ident(v, v, v); \
    (void)r;                 \
    ++n;                     \
  }
#define SH(ident)                   \
  {                                 \
    V128 r = ident(v, uint32_t{1}); \
    (void)r;                        \
    ++n;                            \
  }
#define TE(ident)         \
  {                       \
    int32_t r = ident(v); \
    (void)r;              \
    ++n;                  \
  }
#define S32(ident)               \
  {                              \
    V128 r = ident(uint32_t{1}); \
    (void)r;                     \
    ++n;                         \
  }
#define S64(ident)               \
  {                              \
    V128 r = ident(uint64_t{1}); \
    (void)r;                     \
    ++n;                         \
  }
#define E32(ident)                     \
  {                                    \
    uint32_t r = ident(v, uint8_t{0}); \
    (void)r;                           \
    ++n;                               \
  }
#define E64(ident)                     \
  {                                    \
    uint64_t r = ident(v, uint8_t{0}); \
    (void)r;                           \
    ++n;                               \
  }
#define R32(ident)                              \
  {                                             \
    V128 r = ident(v, uint8_t{0}, uint32_t{1}); \
    (void)r;                                    \
    ++n;                                        \
  }
#define R64(ident)                              \
  {                                             \
    V128 r = ident(v, uint8_t{0}, uint64_t{1}); \
    (void)r;                                    \
    ++n;                                        \
  }
  WASMRUN_SIMD_UNARY(UN)
  WASMRUN_SIMD_BINARY(BIN)
  WASMRUN_SIMD_TERNARY(TER)
  WASMRUN_SIMD_SHIFT(SH)
  WASMRUN_SIMD_TEST(TE)
  WASMRUN_SIMD_SPLAT32(S32)
  WASMRUN_SIMD_SPLAT64(S64)
  WASMRUN_SIMD_EXTRACT32(E32)
  WASMRUN_SIMD_EXTRACT64(E64)
  WASMRUN_SIMD_REPLACE32(R32)
  WASMRUN_SIMD_REPLACE64(R64)
  uint8_t mem[16] = {};
#define L(ident, helper)                      \
  {                                           \
    static_assert(kLoadBytes_##helper <= 16); \
    V128 r = helper(mem);                     \
    (void)r;                                  \
    ++n;                                      \
  }
#define LL(ident, helper, bytes)         \
  {                                      \
    V128 r = helper(v, mem, uint8_t{0}); \
    (void)r;                             \
    ++n;                                 \
  }
#define SL(ident, helper, bytes) \
  {                              \
    helper(v, mem, uint8_t{0});  \
    ++n;                         \
  }
  WASMRUN_SIMD_LOAD(L)
  WASMRUN_SIMD_LOAD_LANE(LL)
  WASMRUN_SIMD_STORE_LANE(SL)
  EXPECT_EQ(n, static_cast<int>(count_lists().size()) + 13 + 4 + 4);
}

}  // namespace
}  // namespace wasmrun::simd
