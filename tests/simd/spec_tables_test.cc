// Checks the rows transcribed from the spec scripts (spec_tables_data.cc)
// against the semantics library, dispatching by Op through the X-macro lists:
// the same way the interpreter's generated handlers reach these functions.
#include "spec_tables.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace wasmrun::simd::testing {
namespace {

using Fn = V128 (*)(const SpecRow&);

const std::map<Op, Fn>& dispatch() {
  static const std::map<Op, Fn> table = {
#define UN(id) {Op::id, [](const SpecRow& r) { return id(r.in.at(0).v); }},
#define BIN(id) {Op::id, [](const SpecRow& r) { return id(r.in.at(0).v, r.in.at(1).v); }},
#define TER(id) \
  {Op::id, [](const SpecRow& r) { return id(r.in.at(0).v, r.in.at(1).v, r.in.at(2).v); }},
#define SH(id) {Op::id, [](const SpecRow& r) { return id(r.in.at(0).v, r.scalar); }},
      WASMRUN_SIMD_UNARY(UN) WASMRUN_SIMD_BINARY(BIN) WASMRUN_SIMD_TERNARY(TER)
          WASMRUN_SIMD_SHIFT(SH)
#undef UN
#undef BIN
#undef TER
#undef SH
  };
  return table;
}

std::string hex(V128 v) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 16; ++i) {
    s += d[v.b[i] >> 4];
    s += d[v.b[i] & 15];
    if (i % 4 == 3 && i != 15) s += '_';
  }
  return s;
}

TEST(SpecTables, EveryRowHolds) {
  const auto& rows = spec_rows();
  ASSERT_GE(rows.size(), 400u);
  std::set<Op> ops;
  for (const SpecRow& r : rows) {
    auto it = dispatch().find(r.op);
    ASSERT_NE(it, dispatch().end()) << r.where;
    V128 got = it->second(r);
    EXPECT_TRUE(r.expect.accepts(got)) << r.where << ": " << op_info(r.op).mnemonic << " got "
                                       << hex(got) << " expected " << hex(r.expect.v);
    ops.insert(r.op);
  }
  // The sample spans integer, float, conversion and shift families.
  EXPECT_GE(ops.size(), 40u);
}

}  // namespace
}  // namespace wasmrun::simd::testing
