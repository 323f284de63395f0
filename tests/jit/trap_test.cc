// Traps out of baseline code carry the same backtrace as the interpreter's:
// every wasm frame, also across the C++ frames of the lazy stub and host calls,
// and the bytecode offset of the access that hit a guard page.
#include <gtest/gtest.h>

#include "tests/interp/wat_fixture.h"

namespace wasmrun::test {
namespace {

std::vector<TrapFrame> backtrace_of(Fixture& f, const char* name, std::vector<Value> args) {
  auto r = f.call(name, std::move(args));
  EXPECT_FALSE(r.ok());
  if (r.ok() || !r.error().trap) return {};
  return r.error().trap->backtrace;
}

class JitTraps : public ::testing::TestWithParam<Tier> {};
INSTANTIATE_TEST_SUITE_P(Tiers, JitTraps, ::testing::Values(Tier::Interpreter, Tier::Baseline),
                         [](const auto& info) {
                           return info.param == Tier::Interpreter ? "Interpreter" : "Baseline";
                         });

// $inner is compiled by the lazy stub on its first call, so on that call its
// return address is in C++; the backtrace must still reach $outer and $top.
TEST_P(JitTraps, BacktraceCrossesTheLazyStub) {
  Fixture f(R"((module
    (func $inner (param i32) (if (local.get 0) (then (unreachable))))
    (func $outer (param i32) (call $inner (local.get 0)))
    (func $top (export "top") (param i32) (call $outer (local.get 0)))))",
            GetParam());
  for (int round = 0; round < 2; ++round) {  // first call: lazy stub; second: direct
    auto bt = backtrace_of(f, "top", {Value::i32(1)});
    ASSERT_EQ(bt.size(), 3u) << "round " << round;
    EXPECT_EQ(bt[0].func_name, "inner");
    EXPECT_EQ(bt[1].func_name, "outer");
    EXPECT_EQ(bt[2].func_name, "top");
    EXPECT_LT(bt[0].offset, bt[1].offset);  // bodies in function order
    EXPECT_LT(bt[1].offset, bt[2].offset);
  }
}

// Across a host function: wasm -> host -> wasm, trap in the innermost.
TEST_P(JitTraps, BacktraceCrossesAHostCall) {
  EngineConfig cfg = tier_config(GetParam());
  Engine engine(cfg);
  Store store(engine);
  Linker linker(engine);
  std::optional<Instance> inst;
  ASSERT_TRUE(linker
                  .func("host", "reenter",
                        [&](Caller&) -> Status {
                          auto r = inst->func("boom")->call({});
                          if (!r.ok()) return r.error();
                          return {};
                        })
                  .ok());
  auto m = Module::compile(engine, R"((module
    (import "host" "reenter" (func $reenter))
    (func $boom (export "boom") (unreachable))
    (func $mid (call $reenter))
    (func $top (export "top") (call $mid))))");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  auto i = linker.instantiate(store, *m);
  ASSERT_TRUE(i.ok()) << i.error().to_string();
  inst = *i;
  auto r = inst->func("top")->call({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "unreachable");
  ASSERT_TRUE(r.error().trap);
  const auto& bt = r.error().trap->backtrace;
  ASSERT_EQ(bt.size(), 3u);
  EXPECT_EQ(bt[0].func_name, "boom");
  EXPECT_EQ(bt[1].func_name, "mid");
  EXPECT_EQ(bt[2].func_name, "top");
}

// A guard-page fault reports the faulting access's offset, the same as the
// interpreter's explicit check, also when the function made calls before it.
TEST_P(JitTraps, GuardPageFaultReportsTheAccessOffset) {
  Fixture f(R"((module (memory 1)
    (func $nop)
    (func (export "load") (param i32) (result i32)
      (call $nop)
      (drop (i32.load offset=4 (i32.const 0)))
      (call $nop)
      (i32.load offset=8 (local.get 0)))
    (func (export "store") (param i32)
      (call $nop)
      (i64.store (local.get 0) (i64.const 7)))))",
            GetParam());
  Fixture ref(R"((module (memory 1)
    (func $nop)
    (func (export "load") (param i32) (result i32)
      (call $nop)
      (drop (i32.load offset=4 (i32.const 0)))
      (call $nop)
      (unreachable (local.get 0)) (nop) (nop))  ;; as long as the i32.load
    (func (export "store") (param i32)
      (call $nop)
      (unreachable (local.get 0) (i64.const 7)))))",
              Tier::Interpreter);
  for (const char* name : {"load", "store"}) {
    auto bt = backtrace_of(f, name, {Value::i32(65536)});
    auto want = backtrace_of(ref, name, {Value::i32(0)});
    ASSERT_EQ(bt.size(), 1u) << name;
    ASSERT_EQ(want.size(), 1u) << name;
    // Same bytes up to the access, so the access and the unreachable share an offset.
    EXPECT_EQ(bt[0].offset, want[0].offset) << name;
  }
  EXPECT_EQ(f.trap("load", {Value::i32(65536)}), "out of bounds memory access");
}

}  // namespace
}  // namespace wasmrun::test
