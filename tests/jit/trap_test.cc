// Traps out of baseline code carry the same backtrace as the interpreter's:
// every wasm frame, also across the C++ frames of the lazy stub and host calls
// and across interpreted functions (either tier trapping, innermost first), and
// the bytecode offset of the access that hit a guard page.
#include <gtest/gtest.h>

#include <bit>
#include <optional>
#include <string>

#include "jit/baseline/baseline.h"
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

// $a -> $b -> $c -> $d, trap in $d, each call direct or through a host function
// that calls the next function's export (wasm -> host -> wasm). Under the
// baseline tier, every subset of the four functions runs interpreted
// (interpret_for_testing), so interpreter frames sit inside, between and around
// runs of JIT frames, and the trap happens in either tier. The backtrace
// (innermost first, names and offsets) is the pure interpreter's every time.
std::string chain_module(uint32_t hops) {
  // Bit i of `hops`: the i-th call (a->b, b->c, c->d) goes through $hop.
  std::string m = R"((module
    (import "host" "hop" (func $hop (param i32 i32) (result i32))))";
  const std::string names[] = {"a", "b", "c", "d"};
  for (int i = 0; i < 3; ++i) {
    std::string call = hops & (1u << i)
                           ? "(call $hop (i32.const " + std::to_string(i + 1) + ") (local.get 0))"
                           : "(call $" + names[i + 1] + " (local.get 0))";
    m += "\n    (func $" + names[i] + " (export \"" + names[i] +
         "\") (param i32) (result i32) (i32.add " + call + " (i32.const 1)))";
  }
  m += R"(
    (func $d (export "d") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))
)";
  return m;
}

std::vector<TrapFrame> chain_backtrace(uint32_t hops, Tier tier, uint32_t interpreted, bool eager) {
  Engine engine(tier_config(tier));
  Store store(engine);
  Linker linker(engine);
  std::optional<Instance> inst;
  EXPECT_TRUE(linker
                  .func("host", "hop",
                        [&](Caller&, int32_t which, int32_t x) -> Result<int32_t> {
                          static const char* names[] = {"a", "b", "c", "d"};
                          auto r = inst->func(names[which])->call({Value::i32(x)});
                          if (!r.ok()) return std::move(r).error();
                          return (*r)[0].i32();
                        })
                  .ok());
  auto m = Module::compile(engine, chain_module(hops));
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().to_string());
  if (!m.ok()) return {};
  auto i = linker.instantiate(store, *m);
  EXPECT_TRUE(i.ok()) << (i.ok() ? "" : i.error().to_string());
  if (!i.ok()) return {};
  inst = *i;
  if (tier == Tier::Baseline) {
    const char* names[] = {"a", "b", "c", "d"};
    for (uint32_t f = 0; f < 4; ++f)
      if (interpreted & (1u << f)) jit::interpret_for_testing(inst->func(names[f])->get());
    if (eager)
      EXPECT_EQ(jit::compile_all_for_testing(inst->get()),
                static_cast<uint32_t>(std::popcount(interpreted)));
  }
  auto r = inst->func("a")->call({Value::i32(0)});
  EXPECT_FALSE(r.ok());
  if (r.ok() || !r.error().trap) return {};
  EXPECT_EQ(r.error().message, "integer divide by zero");
  return r.error().trap->backtrace;
}

std::string describe(const std::vector<TrapFrame>& bt) {
  std::string s;
  for (const TrapFrame& f : bt) s += f.func_name + "@" + std::to_string(f.offset) + " ";
  return s;
}

TEST(JitTrapsMixed, BacktracesAcrossInterpretedFramesMatchTheInterpreter) {
  for (uint32_t hops = 0; hops < 8; ++hops) {
    std::vector<TrapFrame> want = chain_backtrace(hops, Tier::Interpreter, 0, false);
    ASSERT_EQ(want.size(), 4u) << describe(want);
    EXPECT_EQ(describe(want).substr(0, 2), "d@");
    for (uint32_t interpreted = 0; interpreted < 16; ++interpreted)
      for (bool eager : {true, false}) {
        std::vector<TrapFrame> bt = chain_backtrace(hops, Tier::Baseline, interpreted, eager);
        EXPECT_EQ(describe(bt), describe(want))
            << "hops " << hops << " interpreted " << interpreted << " eager " << eager;
        for (size_t k = 0; k < bt.size() && k < want.size(); ++k)
          EXPECT_EQ(bt[k].func_index, want[k].func_index);
      }
  }
}

}  // namespace
}  // namespace wasmrun::test
