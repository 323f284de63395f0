// Baseline JIT behaviour on small WAT modules, through the public API with
// EngineConfig::tier = Baseline. Each test also checks that the functions were
// compiled (not silently run by the interpreter) where the tier claims support.
#include "jit/baseline/baseline.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <thread>

#include "engine/runtime/objects.h"
#include "wasmrun/trap.h"
#include "wasmrun/wasmrun.h"

using namespace wasmrun::api;

namespace {

EngineConfig baseline_config() {
  EngineConfig c;
  c.tier = Tier::Baseline;
  return c;
}

struct Fixture {
  Engine engine{baseline_config()};
  Store store{engine};
  Linker linker{engine};
  Instance inst;
  uint32_t fallbacks = 0;

  explicit Fixture(std::string_view wat, bool compile_now = true) {
    auto m = Module::compile(engine, wat);
    if (!m.ok()) ADD_FAILURE() << "compile: " << m.error().to_string();
    if (!m.ok()) return;
    auto i = linker.instantiate(store, *m);
    if (!i.ok()) ADD_FAILURE() << "instantiate: " << i.error().to_string();
    if (!i.ok()) return;
    inst = *i;
    if (compile_now) fallbacks = wasmrun::jit::compile_all_for_testing(inst.get());
  }
  Result<std::vector<Value>> call(std::string_view name, std::vector<Value> args = {}) {
    auto f = inst.func(name);
    if (!f) return wasmrun::Error(ErrorKind::Usage, "no export");
    return f->call(args);
  }
  int32_t i32(std::string_view name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() && !r->empty() ? (*r)[0].i32() : -12345;
  }
  int64_t i64(std::string_view name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() && !r->empty() ? (*r)[0].i64() : -12345;
  }
  double f64(std::string_view name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() && !r->empty() ? (*r)[0].f64() : -12345;
  }
  std::string trap(std::string_view name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    if (r.ok()) return "no trap";
    return r.error().message;
  }
};

// Which tier runs a function: compiled code is installed in FuncInst::jit_entry
// at its first call, by every tier but the interpreter (Optimizing and Auto run
// the baseline until the LLVM tier exists; Baseline is the default).
TEST(Baseline, EveryTierButTheInterpreterCompilesAtTheFirstCall) {
  for (Tier t : {Tier::Interpreter, Tier::Baseline, Tier::Optimizing, Tier::Auto}) {
    EngineConfig cfg;
    if (t != Tier::Baseline) cfg.tier = t;  // Baseline: the default
    Engine engine(cfg);
    Store store(engine);
    Linker linker(engine);
    auto m = Module::compile(engine, R"((module
      (func (export "sq") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
      (func (export "unused"))))");
    ASSERT_TRUE(m.ok()) << m.error().to_string();
    auto i = linker.instantiate(store, *m);
    ASSERT_TRUE(i.ok()) << i.error().to_string();
    auto r = i->func("sq")->call<int32_t(int32_t)>(12);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(*r, 144);
    bool jit = t != Tier::Interpreter;
    EXPECT_EQ(i->get()->funcs[0]->jit_entry != nullptr, jit) << static_cast<int>(t);
    EXPECT_EQ(i->get()->funcs[1]->jit_entry, nullptr) << "compiled before its first call";
  }
}

TEST(Baseline, IntegerArithmeticAndTraps) {
  Fixture f(R"((module
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "addk") (param i32) (result i32) (i32.add (local.get 0) (i32.const -7)))
    (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
    (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
    (func (export "div_s64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
    (func (export "rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
    (func (export "shr_s") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
    (func (export "clz64") (param i64) (result i64) (i64.clz (local.get 0)))
    (func (export "ext8") (param i32) (result i32) (i32.extend8_s (local.get 0)))
    (func (export "wrap") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
    (func (export "extu") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
    (func (export "exts") (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
    (func (export "lt_u") (param i32 i32) (result i32) (i32.lt_u (local.get 0) (local.get 1)))
    (func (export "ge_s64") (param i64 i64) (result i32) (i64.ge_s (local.get 0) (local.get 1)))))");
  EXPECT_EQ(f.fallbacks, 0u);
  EXPECT_EQ(f.i32("add", {Value::i32(2), Value::i32(40)}), 42);
  EXPECT_EQ(f.i32("addk", {Value::i32(2)}), -5);
  EXPECT_EQ(f.i32("div_s", {Value::i32(-7), Value::i32(2)}), -3);
  EXPECT_EQ(f.i32("rem_s", {Value::i32(-7), Value::i32(2)}), -1);
  EXPECT_EQ(f.i32("rem_s", {Value::i32(INT32_MIN), Value::i32(-1)}), 0);
  EXPECT_EQ(f.trap("div_s", {Value::i32(1), Value::i32(0)}), "integer divide by zero");
  EXPECT_EQ(f.trap("div_s", {Value::i32(INT32_MIN), Value::i32(-1)}), "integer overflow");
  EXPECT_EQ(f.trap("div_s64", {Value::i64(INT64_MIN), Value::i64(-1)}), "integer overflow");
  EXPECT_EQ(f.i64("div_u64", {Value::i64(-1), Value::i64(2)}), INT64_MAX);
  EXPECT_EQ(f.i32("rotl", {Value::i32(0x80000001), Value::i32(33)}), 3);
  EXPECT_EQ(f.i32("shr_s", {Value::i32(-16), Value::i32(2)}), -4);
  EXPECT_EQ(f.i64("clz64", {Value::i64(1)}), 63);
  EXPECT_EQ(f.i32("ext8", {Value::i32(0x80)}), -128);
  EXPECT_EQ(f.i32("wrap", {Value::i64(0x1234567800000009)}), 9);
  EXPECT_EQ(f.i64("extu", {Value::i32(-1)}), 0xFFFFFFFFll);
  EXPECT_EQ(f.i64("exts", {Value::i32(-1)}), -1);
  EXPECT_EQ(f.i32("lt_u", {Value::i32(-1), Value::i32(1)}), 0);
  EXPECT_EQ(f.i32("ge_s64", {Value::i64(-1), Value::i64(-1)}), 1);
}

TEST(Baseline, LoopsBranchesAndCalls) {
  Fixture f(R"((module
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
        (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func (export "sum") (param i32) (result i64) (local i64)
      (block $done
        (loop $l
          (br_if $done (i32.eqz (local.get 0)))
          (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br $l)))
      (local.get 1))
    (func (export "switch") (param i32) (result i32)
      (block $c (block $b (block $a
        (br_table $a $b $c (local.get 0)))
        (return (i32.const 10)))
        (return (i32.const 11)))
      (i32.const 12))
    (func (export "multi") (param i32) (result i32 i32)
      (block (result i32 i32) (local.get 0) (i32.const 5) (br_if 0 (local.get 0)) (drop) (drop)
        (i32.const 1) (i32.const 2)))
    (func (export "sel") (param i32 i32 i32) (result i32)
      (select (local.get 0) (local.get 1) (i32.gt_s (local.get 2) (i32.const 0))))))");
  EXPECT_EQ(f.fallbacks, 0u);
  EXPECT_EQ(f.i32("fib", {Value::i32(20)}), 6765);
  EXPECT_EQ(f.i64("sum", {Value::i32(100000)}), 5000050000ll);
  EXPECT_EQ(f.i32("switch", {Value::i32(0)}), 10);
  EXPECT_EQ(f.i32("switch", {Value::i32(1)}), 11);
  EXPECT_EQ(f.i32("switch", {Value::i32(2)}), 12);
  EXPECT_EQ(f.i32("switch", {Value::i32(99)}), 12);
  auto r = f.call("multi", {Value::i32(7)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].i32(), 7);
  EXPECT_EQ((*r)[1].i32(), 5);
  r = f.call("multi", {Value::i32(0)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].i32(), 1);
  EXPECT_EQ((*r)[1].i32(), 2);
  EXPECT_EQ(f.i32("sel", {Value::i32(1), Value::i32(2), Value::i32(1)}), 1);
  EXPECT_EQ(f.i32("sel", {Value::i32(1), Value::i32(2), Value::i32(0)}), 2);
}

TEST(Baseline, FloatsMatchTheInterpreter) {
  Fixture f(R"((module
    (func (export "hyp") (param f64 f64) (result f64)
      (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.mul (local.get 1) (local.get 1)))))
    (func (export "lt") (param f64 f64) (result i32) (f64.lt (local.get 0) (local.get 1)))
    (func (export "eq") (param f64 f64) (result i32) (f64.eq (local.get 0) (local.get 1)))
    (func (export "ne") (param f64 f64) (result i32) (f64.ne (local.get 0) (local.get 1)))
    (func (export "neg") (param f64) (result f64) (f64.neg (local.get 0)))
    (func (export "min") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
    (func (export "conv") (param i32) (result f64) (f64.convert_i32_u (local.get 0)))
    (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))))");
  EXPECT_EQ(f.fallbacks, 0u);
  EXPECT_EQ(f.f64("hyp", {Value::f64(3), Value::f64(4)}), 5.0);
  double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(f.i32("lt", {Value::f64(1), Value::f64(2)}), 1);
  EXPECT_EQ(f.i32("lt", {Value::f64(nan), Value::f64(2)}), 0);
  EXPECT_EQ(f.i32("eq", {Value::f64(nan), Value::f64(nan)}), 0);
  EXPECT_EQ(f.i32("ne", {Value::f64(nan), Value::f64(nan)}), 1);
  EXPECT_EQ(f.i32("eq", {Value::f64(2), Value::f64(2)}), 1);
  EXPECT_TRUE(std::signbit(f.f64("neg", {Value::f64(0.0)})));
  EXPECT_TRUE(std::signbit(f.f64("min", {Value::f64(0.0), Value::f64(-0.0)})));
  EXPECT_EQ(f.f64("conv", {Value::i32(-1)}), 4294967295.0);
  EXPECT_EQ(f.i32("trunc", {Value::f64(-3.9)}), -3);
  EXPECT_EQ(f.trap("trunc", {Value::f64(nan)}), "invalid conversion to integer");
  EXPECT_EQ(f.trap("trunc", {Value::f64(3e9)}), "integer overflow");
}

TEST(Baseline, MemoryGuardPagesTrap) {
  Fixture f(R"((module (memory 1)
    (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "load_off") (param i32) (result i32) (i32.load offset=0xFFFFFFF0 (local.get 0)))
    (func (export "load8") (param i32) (result i32) (i32.load8_s (local.get 0)))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))))");
  EXPECT_EQ(f.fallbacks, 0u);
  ASSERT_TRUE(f.call("store", {Value::i32(100), Value::i32(-2)}).ok());
  EXPECT_EQ(f.i32("load", {Value::i32(100)}), -2);
  EXPECT_EQ(f.i32("load8", {Value::i32(100)}), -2);
  EXPECT_EQ(f.trap("load", {Value::i32(65533)}), "out of bounds memory access");
  EXPECT_EQ(f.trap("load", {Value::i32(-1)}), "out of bounds memory access");
  EXPECT_EQ(f.trap("load_off", {Value::i32(-1)}), "out of bounds memory access");
  EXPECT_EQ(f.trap("store", {Value::i32(65536), Value::i32(1)}), "out of bounds memory access");
  EXPECT_EQ(f.i32("grow", {Value::i32(1)}), 1);
  EXPECT_EQ(f.i32("load", {Value::i32(65536)}), 0);  // the grown page is accessible
  EXPECT_EQ(f.trap("fill", {Value::i32(131000), Value::i32(1), Value::i32(1000)}),
            "out of bounds memory access");
  // A trap does not poison the instance: the next call works.
  EXPECT_EQ(f.i32("load", {Value::i32(100)}), -2);
}

TEST(Baseline, StackExhaustionAndBacktrace) {
  Fixture f(R"((module
    (func $inf (export "inf") (param i32) (result i32) (call $inf (i32.add (local.get 0) (i32.const 1))))
    (func $inner (unreachable))
    (func $outer (export "outer") (call $inner))))");
  EXPECT_EQ(f.fallbacks, 0u);
  auto r = f.call("inf", {Value::i32(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
  EXPECT_EQ(r.error().message, "call stack exhausted");
  r = f.call("outer");
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.error().trap);
  ASSERT_EQ(r.error().trap->backtrace.size(), 2u);
  EXPECT_EQ(r.error().trap->backtrace[0].func_index, 1u);
  EXPECT_EQ(r.error().trap->backtrace[1].func_index, 2u);
}

TEST(Baseline, IndirectCallsTablesAndReferences) {
  Fixture f(R"((module
    (type $ii (func (param i32) (result i32)))
    (table 3 funcref)
    (elem (i32.const 0) $double $inc)
    (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
    (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
    (func $other (param i64))
    (elem declare func $other)
    (func (export "ind") (param i32 i32) (result i32)
      (call_indirect (type $ii) (local.get 1) (local.get 0)))
    (func (export "isnull") (param i32) (result i32) (ref.is_null (table.get (local.get 0))))
    (func (export "set_other") (table.set (i32.const 2) (ref.func $other)))
    (func (export "ref") (param i32) (result i32) (call_ref $ii (local.get 0) (ref.func $inc)))
    (func (export "size") (result i32) (table.size))))");
  EXPECT_EQ(f.fallbacks, 0u);
  EXPECT_EQ(f.i32("ind", {Value::i32(0), Value::i32(21)}), 42);
  EXPECT_EQ(f.i32("ind", {Value::i32(1), Value::i32(41)}), 42);
  EXPECT_EQ(f.trap("ind", {Value::i32(2), Value::i32(1)}), "uninitialized element 2");
  EXPECT_EQ(f.trap("ind", {Value::i32(3), Value::i32(1)}), "undefined element");
  ASSERT_TRUE(f.call("set_other").ok());
  EXPECT_EQ(f.trap("ind", {Value::i32(2), Value::i32(1)}), "indirect call type mismatch");
  EXPECT_EQ(f.i32("isnull", {Value::i32(0)}), 0);
  EXPECT_EQ(f.i32("ref", {Value::i32(9)}), 10);
  EXPECT_EQ(f.i32("size"), 3);
}

TEST(Baseline, GlobalsAndHostCalls) {
  Engine engine{baseline_config()};
  Store store{engine};
  Linker linker{engine};
  int64_t seen = 0;
  wasmrun::FuncType t;
  t.params = {wasmrun::ValType::i64()};
  t.results = {wasmrun::ValType::i64()};
  ASSERT_TRUE(linker
                  .func("env", "twice", t,
                        [&](Caller&, std::span<const Value> args, std::span<Value> res) {
                          seen = args[0].i64();
                          res[0] = Value::i64(args[0].i64() * 2);
                          return wasmrun::Status{};
                        })
                  .ok());
  auto m = Module::compile(engine, R"((module
    (import "env" "twice" (func $twice (param i64) (result i64)))
    (global $g (mut i64) (i64.const 5))
    (func (export "run") (result i64)
      (global.set $g (call $twice (global.get $g)))
      (global.get $g))))");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  auto inst = linker.instantiate(store, *m);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  auto r = inst->func("run")->call({});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)[0].i64(), 10);
  EXPECT_EQ(seen, 5);
}

TEST(Baseline, SimdThroughHelpers) {
  Fixture f(R"((module (memory 1)
    (func (export "dot") (result i32)
      (v128.store (i32.const 0) (i32x4.add (v128.const i32x4 1 2 3 4) (i32x4.splat (i32.const 10))))
      (i32x4.extract_lane 3 (v128.load (i32.const 0))))
    (func (export "shuf") (result i32)
      (i8x16.extract_lane_u 0 (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0
        (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15) (v128.const i64x2 0 0))))))");
  EXPECT_EQ(f.fallbacks, 0u);
  EXPECT_EQ(f.i32("dot"), 14);
  EXPECT_EQ(f.i32("shuf"), 15);
}

TEST(Baseline, TailCallsRunInConstantStack) {
  // Ten million self tail calls would exhaust any native stack without real tail calls.
  Fixture f(R"((module
    (type $t (func (param i32 i32) (result i32)))
    (table funcref (elem $count))
    (func $count (param i32 i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (local.get 1))
        (else (return_call $count (i32.sub (local.get 0) (i32.const 1)) (i32.add (local.get 1) (i32.const 1))))))
    (func $count_ind (param i32 i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (local.get 1))
        (else (return_call_indirect (type $t) (local.get 0) (local.get 1) (i32.const 0)))))
    (func (export "run") (param i32) (result i32) (i32.add (call $count (local.get 0) (i32.const 0)) (i32.const 1)))
    (func (export "run_ind") (param i32) (result i32) (call $count_ind (local.get 0) (i32.const 7)))))");
  EXPECT_EQ(f.fallbacks, 0u);
  EXPECT_EQ(f.i32("run", {Value::i32(10000000)}), 10000001);
  EXPECT_EQ(f.i32("run_ind", {Value::i32(5)}), 12);  // $count(5, 7)
}

// Recursive calls go straight to the function's own code: each instance of a
// module (sharing that code) must still recurse in its own instance, also when
// another instance calls it through an import.
TEST(Baseline, RecursionStaysInItsInstance) {
  Engine engine(baseline_config());
  Store store(engine);
  Linker linker(engine);
  auto m = Module::compile(engine, R"((module
    (global $base (mut i32) (i32.const 0))
    (func (export "set") (param i32) (global.set $base (local.get 0)))
    (func $sum (export "sum") (param $n i32) (result i32)
      (if (result i32) (i32.eqz (local.get $n)) (then (global.get $base))
        (else (i32.add (local.get $n) (call $sum (i32.sub (local.get $n) (i32.const 1)))))))))");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  auto a = linker.instantiate(store, *m);
  auto b = linker.instantiate(store, *m);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(linker.define_instance("a", *a).ok());
  auto user = Module::compile(engine, R"((module
    (import "a" "sum" (func $sum (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) (i32.add (call $sum (local.get 0)) (i32.const 1)))))");
  ASSERT_TRUE(user.ok()) << user.error().to_string();
  auto u = linker.instantiate(store, *user);
  ASSERT_TRUE(u.ok()) << u.error().to_string();
  ASSERT_TRUE(a->func("set")->call({Value::i32(1000)}).ok());
  ASSERT_TRUE(b->func("set")->call({Value::i32(2000)}).ok());
  EXPECT_EQ(wasmrun::jit::compile_all_for_testing(a->get()), 0u);
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ((*a->func("sum")->call({Value::i32(10)}))[0].i32(), 1055);
    EXPECT_EQ((*b->func("sum")->call({Value::i32(10)}))[0].i32(), 2055);
    EXPECT_EQ((*u->func("run")->call({Value::i32(10)}))[0].i32(), 1056);
  }
}

// Memory 0's base stays in r14 across calls (reloaded after calls only for a
// memory64): callers access the pages their callees grew, the accesses past
// the new end still trap.
TEST(Baseline, MemoryAccessesAfterCalleesGrow) {
  Fixture f32(R"((module (memory 1)
    (func $grow (result i32) (memory.grow (i32.const 200)))
    (func $deep (param $n i32) (result i32)
      (if (result i32) (i32.eqz (local.get $n)) (then (call $grow))
        (else (call $deep (i32.sub (local.get $n) (i32.const 1))))))
    (func (export "run") (result i32)
      (local $addr i32)
      (local.set $addr (i32.add (i32.mul (call $deep (i32.const 5)) (i32.const 65536)) (i32.const 100)))
      (i32.store (local.get $addr) (i32.const 12345))
      (i32.add (i32.load (local.get $addr)) (i32.mul (memory.size) (i32.const 1000000))))
    (func (export "past_end") (result i32)
      (i32.load (i32.mul (memory.size) (i32.const 65536))))))");
  EXPECT_EQ(f32.fallbacks, 0u);
  EXPECT_EQ(f32.i32("run"), 12345 + 201 * 1000000);
  EXPECT_EQ(f32.i32("run"), 12345 + 401 * 1000000);
  EXPECT_EQ(f32.trap("past_end"), "out of bounds memory access");
  Fixture f64(R"((module (memory i64 1)
    (func $grow (result i64) (memory.grow (i64.const 200)))
    (func $deep (param $n i32) (result i64)
      (if (result i64) (i32.eqz (local.get $n)) (then (call $grow))
        (else (call $deep (i32.sub (local.get $n) (i32.const 1))))))
    (func (export "run") (result i64)
      (local $addr i64)
      (local.set $addr (i64.add (i64.mul (call $deep (i32.const 5)) (i64.const 65536)) (i64.const 100)))
      (i64.store (local.get $addr) (i64.const 12345))
      (i64.add (i64.load (local.get $addr)) (i64.mul (memory.size) (i64.const 1000000))))))");
  EXPECT_EQ(f64.fallbacks, 0u);
  EXPECT_EQ(f64.i64("run"), 12345 + 201 * 1000000ll);
  EXPECT_EQ(f64.i64("run"), 12345 + 401 * 1000000ll);
}

TEST(Baseline, LazyCompilationAndInterpreterFallback) {
  // Compiled eagerly, lazily at the first call, or with one function left to
  // the interpreter (as when the compiler declines one): compiled code calls the
  // interpreted function, which runs its callees itself.
  const char* wat = R"((module
    (func $wide (param i32 i32 i32 i32) (result i32)
      (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3))))
    (func $narrow (param i32) (result i32)
      (return_call $wide (local.get 0) (i32.const 1) (i32.const 2) (i32.const 3)))
    (func (export "run") (param i32) (result i32) (i32.mul (call $narrow (local.get 0)) (i32.const 2)))))";
  Fixture eager(wat);
  EXPECT_EQ(eager.fallbacks, 0u);
  EXPECT_EQ(eager.i32("run", {Value::i32(4)}), 20);
  Fixture lazy(wat, /*compile_now=*/false);
  EXPECT_EQ(lazy.i32("run", {Value::i32(4)}), 20);
  Fixture mixed(wat, /*compile_now=*/false);
  wasmrun::jit::interpret_for_testing(mixed.inst.get()->funcs[1]);
  EXPECT_EQ(wasmrun::jit::compile_all_for_testing(mixed.inst.get()), 1u);
  EXPECT_EQ(mixed.i32("run", {Value::i32(4)}), 20);
}

}  // namespace

namespace {

// NaN payloads must match the interpreter bit for bit, including which operand's
// payload wins when both are NaN (x86 keeps the first source's).
TEST(Baseline, NaNPayloadsMatchTheInterpreter) {
  std::string wat = "(module\n";
  const char* ops[] = {"add", "sub", "mul", "div", "min", "max"};
  for (const char* t : {"f32", "f64"})
    for (const char* op : ops)
      wat += std::string("(func (export \"") + t + "." + op + "\") (param " + t + " " + t +
             ") (result " + t + ") (" + t + "." + op + " (local.get 0) (local.get 1)))\n";
  for (const char* t : {"f32x4", "f64x2"})
    for (const char* op : ops)
      wat += std::string("(func (export \"") + t + "." + op +
             "\") (param v128 v128) (result v128) (" + t + "." + op +
             " (local.get 0) (local.get 1)))\n";
  wat += ")";
  EngineConfig interp_cfg;
  interp_cfg.tier = Tier::Interpreter;
  Engine interp_engine(interp_cfg);
  Store interp_store(interp_engine);
  Linker interp_linker(interp_engine);
  auto im = Module::compile(interp_engine, wat);
  ASSERT_TRUE(im.ok()) << im.error().to_string();
  auto interp = interp_linker.instantiate(interp_store, *im);
  ASSERT_TRUE(interp.ok());
  Fixture jit(wat);
  EXPECT_EQ(jit.fallbacks, 0u);
  uint32_t f32s[] = {0x7fc00001u, 0xffa00002u, 0x3f800000u, 0x7f800000u};
  uint64_t f64s[] = {0x7ff8000000000003ull, 0xfff4000000000004ull, 0x3ff0000000000000ull,
                     0x7ff0000000000000ull};
  auto same = [&](const std::string& name, std::vector<Value> args) {
    auto a = interp->func(name)->call(args);
    auto b = jit.call(name, args);
    ASSERT_TRUE(a.ok() && b.ok()) << name;
    uint64_t ra[2] = {0, 0}, rb[2] = {0, 0};
    (*a)[0].to_raw(ra);
    (*b)[0].to_raw(rb);
    EXPECT_EQ(ra[0], rb[0]) << name;
    EXPECT_EQ(ra[1], rb[1]) << name;
  };
  // Indices, not range-for copies: the f64 operand is the f32 one's partner.
  for (const char* op : ops)
    for (size_t i = 0; i < std::size(f32s); ++i)
      for (size_t j = 0; j < std::size(f32s); ++j) {
        uint32_t x = f32s[i], y = f32s[j];
        same(std::string("f32.") + op,
             {Value::f32(std::bit_cast<float>(x)), Value::f32(std::bit_cast<float>(y))});
        same(std::string("f64.") + op, {Value::f64(std::bit_cast<double>(f64s[i])),
                                        Value::f64(std::bit_cast<double>(f64s[j]))});
        uint64_t vx[2] = {uint64_t{x} | uint64_t{y} << 32, f64s[i]};
        uint64_t vy[2] = {uint64_t{y} | uint64_t{x} << 32, f64s[j]};
        same(std::string("f32x4.") + op, {Value::from_raw(wasmrun::ValType::v128(), vx),
                                          Value::from_raw(wasmrun::ValType::v128(), vy)});
        same(std::string("f64x2.") + op, {Value::from_raw(wasmrun::ValType::v128(), vx),
                                          Value::from_raw(wasmrun::ValType::v128(), vy)});
      }
}

}  // namespace

namespace {

// Modules with GC-heap references compile too (tests/jit/gc_test.cc covers the
// GC instructions and roots in JIT frames).
TEST(Baseline, GcModulesCompile) {
  Fixture f(R"((module
    (type $p (struct (field i32) (field i32)))
    (func (export "sum") (param i32 i32) (result i32) (local (ref $p))
      (local.set 2 (struct.new $p (local.get 0) (local.get 1)))
      (i32.add (struct.get $p 0 (local.get 2)) (struct.get $p 1 (local.get 2))))
    (func (export "plain") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))))");
  EXPECT_EQ(f.fallbacks, 0u);
  EXPECT_EQ(f.i32("sum", {Value::i32(40), Value::i32(2)}), 42);
  EXPECT_EQ(f.i32("plain", {Value::i32(5)}), 15);
}

}  // namespace

namespace {

// The stack limit is per thread: compiled code runs, and exhausts its stack
// cleanly, on a thread other than the one that compiled it.
TEST(Baseline, OtherThreadsGetTheirOwnStackLimit) {
  Fixture f(R"((module
    (func $inf (export "inf") (param i32) (result i32) (call $inf (i32.add (local.get 0) (i32.const 1))))
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))))");
  ASSERT_EQ(f.fallbacks, 0u);
  EXPECT_EQ(f.trap("inf", {Value::i32(0)}), "call stack exhausted");
  int32_t fib = 0;
  std::string trap;
  std::thread t([&] {
    fib = f.i32("fib", {Value::i32(15)});
    trap = f.trap("inf", {Value::i32(0)});
  });
  t.join();
  EXPECT_EQ(fib, 610);
  EXPECT_EQ(trap, "call stack exhausted");
}

}  // namespace
