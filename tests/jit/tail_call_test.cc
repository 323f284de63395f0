// Tail calls under the baseline tier whose callee's parameters do not fit the
// caller's args_and_results array: they compile (no interpreter fallback), run
// in constant native stack through the tail-call adapter (frame.h), and agree
// with the interpreter for every form (return_call, return_call_indirect,
// return_call_ref), every kind of callee (compiled, interpreted, host, another
// instance's), exceptions, traps and GC references.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "engine/runtime/objects.h"
#include "jit/baseline/baseline.h"
#include "tests/jit/outcome.h"
#include "wasmrun/trap.h"
#include "wasmrun/wasmrun.h"

using namespace wasmrun::api;
using wasmrun::ErrorKind;
using wasmrun::Status;

namespace {

using wasmrun::test::outcome;

std::string i32s(std::initializer_list<int32_t> vs) {
  std::string s;
  for (int32_t v : vs) s += std::to_string(static_cast<uint32_t>(v)) + ":0 ";
  return s;
}

struct Options {
  bool eager = true;  ///< compile every function before the first call
  /// Function indices the baseline side runs in the interpreter.
  std::vector<uint32_t> interpreted;
  std::function<void(Linker&)> setup;  ///< host functions, in both linkers
};

/// One module under one tier.
struct TierRun {
  Engine engine;
  Store store{engine};
  Linker linker{engine};
  Instance inst;
  uint32_t fallbacks = 0;

  static EngineConfig config(Tier t) {
    EngineConfig c;
    c.tier = t;
    return c;
  }
  TierRun(std::string_view wat, Tier tier, const Options& o) : engine(config(tier)) {
    if (o.setup) o.setup(linker);
    auto m = Module::compile(engine, wat);
    if (!m.ok()) ADD_FAILURE() << "compile: " << m.error().to_string();
    if (!m.ok()) return;
    auto i = linker.instantiate(store, *m);
    if (!i.ok()) ADD_FAILURE() << "instantiate: " << i.error().to_string();
    if (!i.ok()) return;
    inst = *i;
    if (tier != Tier::Baseline) return;
    for (uint32_t f : o.interpreted) wasmrun::jit::interpret_for_testing(inst.get()->funcs[f]);
    if (o.eager) fallbacks = wasmrun::jit::compile_all_for_testing(inst.get());
  }
  std::string call(std::string_view name, std::vector<Value> args = {}) {
    auto f = inst.func(name);
    if (!f) return "no export";
    return outcome(f->call(args));
  }
};

/// The module in the interpreter and in the baseline tier.
struct Both {
  TierRun interp, jit;
  explicit Both(std::string_view wat, const Options& o = {})
      : interp(wat, Tier::Interpreter, o), jit(wat, Tier::Baseline, o) {}
  /// Calls `name` in both tiers, expects the same outcome and returns it.
  std::string same(std::string_view name, std::vector<Value> args = {}) {
    std::string a = interp.call(name, args), b = jit.call(name, args);
    EXPECT_EQ(a, b) << name;
    return b;
  }
};

/// Functions $w<N> (N i32 parameters, result sum of (i+1)*p_i) and, per N,
/// narrow callers (param $x i32) (result i32) passing x, x+1, .. to $w<N> with
/// each tail-call form.
std::string wide_module(const std::vector<int>& ns) {
  std::string types, funcs, elems, callers;
  for (size_t slot = 0; slot < ns.size(); ++slot) {
    int n = ns[slot];
    std::string sn = std::to_string(n);
    types += "(type $t" + sn + " (func (param";
    for (int i = 0; i < n; ++i) types += " i32";
    types += ") (result i32)))\n";
    funcs += "(func $w" + sn + " (type $t" + sn + ") (local.get 0)";
    for (int i = 1; i < n; ++i)
      funcs += " (local.get " + std::to_string(i) + ") (i32.const " + std::to_string(i + 1) +
               ") (i32.mul) (i32.add)";
    funcs += ")\n";
    elems += " $w" + sn;
    std::string args;
    for (int i = 0; i < n; ++i)
      args += " (i32.add (local.get 0) (i32.const " + std::to_string(i) + "))";
    callers += "(func (export \"direct" + sn + "\") (param i32) (result i32) (return_call $w" + sn +
               args + "))\n";
    callers += "(func (export \"indirect" + sn + "\") (param i32) (result i32) " +
               "(return_call_indirect (type $t" + sn + ")" + args + " (i32.const " +
               std::to_string(slot) + ")))\n";
    callers += "(func (export \"ref" + sn + "\") (param i32) (result i32) (return_call_ref $t" +
               sn + args + " (ref.func $w" + sn + ")))\n";
  }
  return "(module\n" + types + funcs + "(table funcref (elem" + elems + "))\n" + callers + R"(
    ;; Mixed parameter kinds (v128 takes two slots), from a function with one.
    (func $mixed (param $a i64) (param $b f64) (param $c i32) (param $d v128) (param $e f32)
                 (param $f i64) (param $g i32) (result i64)
      (i64.add (local.get $a) (i64.trunc_f64_s (local.get $b)))
      (i64.add (i64.extend_i32_s (local.get $c)))
      (i64.add (i64x2.extract_lane 1 (local.get $d)))
      (i64.add (i64.trunc_f32_s (local.get $e)))
      (i64.add (local.get $f))
      (i64.add (i64.extend_i32_u (local.get $g))))
    (func (export "mixed") (param $x i32) (result i64)
      (return_call $mixed (i64.extend_i32_s (local.get $x)) (f64.const 2.5) (i32.const 3)
        (v128.const i64x2 1 40) (f32.const 5.75) (i64.const 600) (i32.const 7000)))
    ;; Three results make room for three parameters (those fit), not five.
    (func $mr5 (param i32 i32 i32 i32 i32) (result i32 i32 i32)
      (local.get 4) (local.get 0) (i32.add (local.get 1) (local.get 3)))
    (func $mr3 (param i32 i32 i32) (result i32 i32 i32)
      (return_call $mr5 (local.get 2) (local.get 1) (local.get 0) (i32.const 10) (i32.const 20)))
    (func (export "multi") (param $x i32) (result i32 i32 i32)
      (return_call $mr3 (local.get $x) (i32.const 2) (i32.const 3)))
    (func (export "multi_in_caller") (param $x i32) (result i32)
      (call $mr3 (local.get $x) (i32.const 2) (i32.const 3))
      (i32.mul (i32.const 1000)) (i32.add) (i32.mul (i32.const 1000)) (i32.add)))
  )";
}

int32_t wide_sum(int n, int32_t x) {
  int32_t s = 0;
  for (int i = 0; i < n; ++i) s += (i + 1) * (x + i);
  return s;
}

TEST(TailCalls, WideCalleesCompileForEveryForm) {
  const std::vector<int> ns = {2, 3, 4, 5, 8, 13, 21, 40};
  std::string wat = wide_module(ns);
  for (bool eager : {true, false}) {
    Options o;
    o.eager = eager;
    Both b(wat, o);
    if (eager) EXPECT_EQ(b.jit.fallbacks, 0u);
    for (int n : ns) {
      std::string sn = std::to_string(n);
      for (int32_t x : {0, 7, -3}) {
        std::string want = i32s({wide_sum(n, x)});
        EXPECT_EQ(b.same("direct" + sn, {Value::i32(x)}), want) << n;
        EXPECT_EQ(b.same("indirect" + sn, {Value::i32(x)}), want) << n;
        EXPECT_EQ(b.same("ref" + sn, {Value::i32(x)}), want) << n;
      }
    }
    EXPECT_EQ(b.same("mixed", {Value::i32(-50)}), std::to_string(7650 - 50) + ":0 ");
    // $mr5(3, 2, x, 10, 20) = (20, 3, 12).
    EXPECT_EQ(b.same("multi", {Value::i32(9)}), i32s({20, 3, 12}));
    EXPECT_EQ(b.same("multi_in_caller", {Value::i32(9)}), i32s({20 + 3 * 1000 + 12 * 1000000}));
  }
}

// f(n, acc) -> g(n, acc, 1, 2, 3) -> f(n - 1, acc + 1): every f -> g call does
// not fit f's array. A million rounds exhaust the native stack unless the
// chain runs in constant space. One pair per tail-call form, plus a compiled
// caller that adds to the result.
constexpr const char* kChains = R"((module
  (type $tf (func (param i32 i32) (result i32)))
  (type $tg (func (param i32 i32 i32 i32 i32) (result i32)))
  (table $tab 6 funcref)
  (elem (i32.const 0) $f $g $fi $gi $fr $gr)
  (func $f (type $tf)
    (if (i32.eqz (local.get 0)) (then (return (local.get 1))))
    (return_call $g (local.get 0) (local.get 1) (i32.const 1) (i32.const 2) (i32.const 3)))
  (func $g (type $tg)
    (return_call $f (i32.sub (local.get 0) (i32.const 1))
      (i32.sub (i32.add (local.get 1) (i32.add (local.get 2) (i32.add (local.get 3) (local.get 4))))
               (i32.const 5))))
  (func $fi (type $tf)
    (if (i32.eqz (local.get 0)) (then (return (local.get 1))))
    (return_call_indirect $tab (type $tg) (local.get 0) (local.get 1) (i32.const 1) (i32.const 2)
      (i32.const 3) (i32.const 3)))
  (func $gi (type $tg)
    (return_call_indirect $tab (type $tf) (i32.sub (local.get 0) (i32.const 1))
      (i32.sub (i32.add (local.get 1) (i32.add (local.get 2) (i32.add (local.get 3) (local.get 4))))
               (i32.const 5))
      (i32.const 2)))
  (func $fr (type $tf)
    (if (i32.eqz (local.get 0)) (then (return (local.get 1))))
    (return_call_ref $tg (local.get 0) (local.get 1) (i32.const 1) (i32.const 2) (i32.const 3)
      (ref.func $gr)))
  (func $gr (type $tg)
    (return_call_ref $tf (i32.sub (local.get 0) (i32.const 1))
      (i32.sub (i32.add (local.get 1) (i32.add (local.get 2) (i32.add (local.get 3) (local.get 4))))
               (i32.const 5))
      (ref.func $fr)))
  (func (export "f") (param i32 i32) (result i32) (return_call $f (local.get 0) (local.get 1)))
  (func (export "fi") (param i32 i32) (result i32) (return_call $fi (local.get 0) (local.get 1)))
  (func (export "fr") (param i32 i32) (result i32) (return_call $fr (local.get 0) (local.get 1)))
  (func (export "in_caller") (param $n i32) (result i32)
    (i32.add (call $f (local.get $n) (i32.const 0))
             (i32.mul (call $fi (local.get $n) (i32.const 0)) (i32.const 3))))
))";

TEST(TailCalls, MillionRoundChainsRunInConstantStack) {
  for (bool eager : {true, false}) {
    Options o;
    o.eager = eager;
    TierRun r(kChains, Tier::Baseline, o);
    if (eager) EXPECT_EQ(r.fallbacks, 0u);
    for (const char* name : {"f", "fi", "fr"}) {
      EXPECT_EQ(r.call(name, {Value::i32(1000000), Value::i32(5)}), i32s({1000005})) << name;
      EXPECT_EQ(r.call(name, {Value::i32(0), Value::i32(5)}), i32s({5})) << name;
      EXPECT_EQ(r.call(name, {Value::i32(1), Value::i32(5)}), i32s({6})) << name;
    }
    EXPECT_EQ(r.call("in_caller", {Value::i32(1000000)}), i32s({4000000}));
  }
  // Against the interpreter, on shorter chains.
  Both b(kChains);
  for (const char* name : {"f", "fi", "fr"}) b.same(name, {Value::i32(1000), Value::i32(-9)});
  b.same("in_caller", {Value::i32(777)});
}

// The chain with an interpreted half: compiled f reaches the interpreted g
// through the adapter; the interpreter runs its own callees from there. And the
// other way round: an interpreted f tail-calls g inside the interpreter, and a
// compiled caller gets the result.
TEST(TailCalls, InterpretedCallees) {
  for (uint32_t interpreted : {1u, 0u, 3u, 5u}) {
    Options o;
    o.interpreted = {interpreted};
    Both b(kChains, o);
    EXPECT_EQ(b.jit.fallbacks, 1u);
    for (const char* name : {"f", "fi", "fr"}) {
      EXPECT_EQ(b.same(name, {Value::i32(100000), Value::i32(1)}), i32s({100001})) << name;
      EXPECT_EQ(b.same(name, {Value::i32(3), Value::i32(1)}), i32s({4})) << name;
    }
    EXPECT_EQ(b.same("in_caller", {Value::i32(1000)}), i32s({4000}));
  }
}

// Wide tail calls to a host function and to another instance's functions. The
// host function sees the tail-calling instance as its caller. The cross-instance
// chain: A's $g (wide, exported) tail-calls through A's table, where B placed
// its $f, which tail-calls A's $g again.
TEST(TailCalls, HostAndCrossInstanceCallees) {
  Options o;
  o.setup = [](Linker& l) {
    ASSERT_TRUE(l.func("env", "host5",
                       [](Caller& c, int32_t a, int32_t b, int32_t d, int32_t e,
                          int32_t f) -> wasmrun::Result<int32_t> {
                         // The caller is the instance that made the tail call.
                         if (!c.instance().func("probe")) return host_trap("no caller instance");
                         return a * 10000 + b * 1000 + d * 100 + e * 10 + f;
                       })
                    .ok());
  };
  const char* wat = R"((module
    (import "env" "host5" (func $host5 (param i32 i32 i32 i32 i32) (result i32)))
    (type $t5 (func (param i32 i32 i32 i32 i32) (result i32)))
    (table 1 funcref) (elem (i32.const 0) $host5)
    (func (export "probe"))
    (func (export "direct") (param $x i32) (result i32)
      (return_call $host5 (local.get $x) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5)))
    (func (export "indirect") (param $x i32) (result i32)
      (return_call_indirect (type $t5) (local.get $x) (i32.const 2) (i32.const 3) (i32.const 4)
        (i32.const 5) (i32.const 0)))
    (func (export "ref") (param $x i32) (result i32)
      (return_call_ref $t5 (local.get $x) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5)
        (ref.func $host5)))
    (func $narrow_to_host (param $x i32) (result i32)
      (return_call $host5 (local.get $x) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
    (func (export "in_caller") (param $x i32) (result i32)
      (i32.sub (call $narrow_to_host (local.get $x)) (i32.const 1)))
  ))";
  for (bool eager : {true, false}) {
    o.eager = eager;
    Both b(wat, o);
    if (eager) EXPECT_EQ(b.jit.fallbacks, 0u);
    EXPECT_EQ(b.same("direct", {Value::i32(1)}), i32s({12345}));
    EXPECT_EQ(b.same("indirect", {Value::i32(6)}), i32s({62345}));
    EXPECT_EQ(b.same("ref", {Value::i32(7)}), i32s({72345}));
    EXPECT_EQ(b.same("in_caller", {Value::i32(3)}), i32s({29999}));
  }

  // Two instances of two modules under the baseline tier.
  Engine engine(TierRun::config(Tier::Baseline));
  Store store(engine);
  Linker linker(engine);
  auto ma = Module::compile(engine, R"((module
    (type $tf (func (param i32 i32) (result i32)))
    (table (export "tab") 1 funcref)
    (func (export "g") (param $n i32) (param $acc i32) (param i32) (param i32) (param i32) (result i32)
      (return_call_indirect (type $tf) (i32.sub (local.get $n) (i32.const 1))
        (i32.add (local.get $acc) (i32.add (local.get 2) (i32.add (local.get 3) (local.get 4))))
        (i32.const 0)))))");
  ASSERT_TRUE(ma.ok()) << ma.error().to_string();
  auto a = linker.instantiate(store, *ma);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  ASSERT_TRUE(linker.define_instance("a", *a).ok());
  auto mb = Module::compile(engine, R"((module
    (import "a" "tab" (table 1 funcref))
    (import "a" "g" (func $g (param i32 i32 i32 i32 i32) (result i32)))
    (elem (i32.const 0) $f)
    (func $f (param $n i32) (param $acc i32) (result i32)
      (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
      (return_call $g (local.get $n) (local.get $acc) (i32.const 1) (i32.const 0) (i32.const 1)))
    (func (export "run") (param $n i32) (result i32)
      (i32.add (call $f (local.get $n) (i32.const 0)) (i32.const 1)))))");
  ASSERT_TRUE(mb.ok()) << mb.error().to_string();
  auto bi = linker.instantiate(store, *mb);
  ASSERT_TRUE(bi.ok()) << bi.error().to_string();
  EXPECT_EQ(wasmrun::jit::compile_all_for_testing(a->get()), 0u);
  EXPECT_EQ(wasmrun::jit::compile_all_for_testing(bi->get()), 0u);
  auto r = bi->func("run")->call({Value::i32(1000000)});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)[0].i32(), 2000001);
}

// Exceptions thrown at the end of a chain of wide tail calls (by compiled code,
// an interpreted function or a host function) reach the handler of the chain's
// original caller, not the handler around a tail call (that frame is gone).
TEST(TailCalls, ExceptionsReachTheOriginalCaller) {
  const char* wat = R"((module
    (import "env" "host_throw" (func $host_throw (param i32 i32 i32 i32) (result i32)))
    (tag $e (export "e") (param i32))
    (func (export "jit_thrower") (param i32) (throw $e (local.get 0)))
    (func $f (param $n i32) (param $acc i32) (result i32)
      (if (i32.eqz (local.get $n)) (then (throw $e (local.get $acc))))
      (block $h (result i32)
        ;; Not caught here: the tail call leaves this frame.
        (try_table (catch $e $h)
          (return_call $g (local.get $n) (local.get $acc) (i32.const 1) (i32.const 2) (i32.const 3)))
        (unreachable))
      (i32.add (i32.const -1000)))
    (func $g (param i32 i32 i32 i32 i32) (result i32)
      (return_call $f (i32.sub (local.get 0) (i32.const 1))
        (i32.sub (i32.add (local.get 1) (i32.add (local.get 2) (i32.add (local.get 3) (local.get 4))))
                 (i32.const 5))))
    (func $wide_thrower (param i32 i32 i32 i32) (result i32)
      (throw $e (i32.add (local.get 0) (local.get 3))))
    (func $to_interp (param $x i32) (result i32)
      (return_call $wide_thrower (local.get $x) (i32.const 0) (i32.const 0) (i32.const 7)))
    (func $to_host (param $x i32) (result i32)
      (return_call $host_throw (local.get $x) (i32.const 0) (i32.const 0) (i32.const 9)))
    (func (export "run") (param $which i32) (param $n i32) (result i32)
      (block $h (result i32)
        (try_table (catch $e $h)
          (if (i32.eqz (local.get $which)) (then (return (call $f (local.get $n) (i32.const 100)))))
          (if (i32.eq (local.get $which) (i32.const 1)) (then (return (call $to_interp (local.get $n)))))
          (return (call $to_host (local.get $n))))
        (unreachable))
      (i32.add (i32.const 1000000)))
    (func (export "legacy") (param $n i32) (result i32)
      (try (result i32)
        (do (call $f (local.get $n) (i32.const 0)))
        (catch $e (i32.add (i32.const 2000000)))))
    (func (export "uncaught") (param $n i32) (result i32) (call $f (local.get $n) (i32.const 5)))
  ))";
  Options o;
  o.interpreted = {4};  // $wide_thrower
  o.setup = [](Linker& l) {
    ASSERT_TRUE(
        l.func("env", "host_throw",
               [](Caller& c, int32_t a, int32_t, int32_t, int32_t d) -> wasmrun::Result<int32_t> {
                 // Throws $e by calling compiled code that throws.
                 auto f = c.instance().func("jit_thrower");
                 if (!f) return host_trap("no jit_thrower");
                 auto r = f->call({Value::i32(a + d)});
                 if (!r.ok()) return std::move(r).error();
                 return 0;
               })
            .ok());
  };
  for (bool eager : {true, false}) {
    o.eager = eager;
    Both b(wat, o);
    if (eager) EXPECT_EQ(b.jit.fallbacks, 1u);
    EXPECT_EQ(b.same("run", {Value::i32(0), Value::i32(100000)}), i32s({1100100}));
    EXPECT_EQ(b.same("run", {Value::i32(0), Value::i32(0)}), i32s({1000100}));
    EXPECT_EQ(b.same("run", {Value::i32(1), Value::i32(5)}), i32s({1000012}));
    EXPECT_EQ(b.same("run", {Value::i32(2), Value::i32(5)}), i32s({1000014}));
    EXPECT_EQ(b.same("legacy", {Value::i32(30)}), i32s({2000030}));
    std::string u = b.same("uncaught", {Value::i32(12)});
    EXPECT_NE(u.find("error"), std::string::npos);
    EXPECT_NE(u.find(" 17"), std::string::npos) << u;  // the payload
  }
}

// A trap at the end of a wide tail call: the backtrace skips the frame that
// tail-called (as for tail calls that fit) and goes on in its caller, also when
// the lazy stub compiled the functions on the way. Unbounded recursion through
// wide tail calls ends in "call stack exhausted".
TEST(TailCalls, TrapsAndBacktraces) {
  const char* wat = R"((module
    (func $wide (param i32 i32 i32 i32) (result i32) (unreachable))
    (func $narrow (param i32) (result i32)
      (return_call $wide (local.get 0) (i32.const 1) (i32.const 2) (i32.const 3)))
    (func (export "outer") (result i32) (i32.add (call $narrow (i32.const 1)) (i32.const 1)))
    (func $rec (param $n i32) (result i32)
      (i32.add (call $hop (local.get $n)) (i32.const 1)))
    (func $hop (param $n i32) (result i32)
      (return_call $rec5 (local.get $n) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
    (func $rec5 (param i32 i32 i32 i32 i32) (result i32) (return_call $rec (local.get 0)))
    (func (export "rec") (param i32) (result i32) (call $rec (local.get 0)))
  ))";
  for (bool eager : {true, false}) {
    Options o;
    o.eager = eager;
    TierRun r(wat, Tier::Baseline, o);
    if (eager) EXPECT_EQ(r.fallbacks, 0u);
    for (int round = 0; round < 2; ++round) {
      auto res = r.inst.func("outer")->call({});
      ASSERT_FALSE(res.ok());
      EXPECT_EQ(res.error().message, "unreachable");
      ASSERT_TRUE(res.error().trap);
      const auto& bt = res.error().trap->backtrace;
      ASSERT_EQ(bt.size(), 2u) << "eager " << eager << " round " << round;
      EXPECT_EQ(bt[0].func_index, 0u);
      EXPECT_EQ(bt[1].func_index, 2u);
    }
    auto res = r.inst.func("rec")->call({Value::i32(0)});
    ASSERT_FALSE(res.ok());
    EXPECT_EQ(res.error().kind, ErrorKind::Exhaustion);
    EXPECT_EQ(res.error().message, "call stack exhausted");
    // The instance still works after the traps.
    EXPECT_EQ(r.call("outer").substr(0, 5), "error");
  }
}

// GC references as parameters of wide tail calls while collections run inside
// the chain: the list built along the chain lives only in the arguments (the
// adapter's array, then the callee's frame). $g is also run interpreted.
TEST(TailCalls, GcReferencesSurviveCollectionsInTheChain) {
  const char* wat = R"((module
    (type $node (struct (field $v i32) (field $next (ref null $node))))
    (type $junk (array (mut i64)))
    (func $churn (param $n i32)
      (loop $l
        (drop (array.new $junk (i64.const -1) (i32.const 64)))
        (drop (struct.new $node (i32.const -1) (ref.null $node)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (func $sum (param $l (ref null $node)) (result i32)
      (local $s i32)
      (block $done
        (loop $walk
          (br_if $done (ref.is_null (local.get $l)))
          (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $l))))
          (local.set $l (struct.get $node $next (local.get $l)))
          (br $walk)))
      (local.get $s))
    (func $f (param $l (ref null $node)) (param $n i32) (result i32)
      (if (i32.eqz (local.get $n)) (then (return (call $sum (local.get $l)))))
      (return_call $g (struct.new $node (local.get $n) (local.get $l)) (local.get $n)
        (i32.const 0) (array.new $junk (i64.const 3) (i32.const 2)) (i32.const 0)))
    (func $g (param $l (ref null $node)) (param $n i32) (param i32) (param $j (ref $junk))
             (param i32) (result i32)
      (call $churn (i32.const 40))
      (return_call $f
        (struct.new $node (i32.wrap_i64 (array.get $junk (local.get $j) (i32.const 1))) (local.get $l))
        (i32.sub (local.get $n) (i32.const 1))))
    (func (export "run") (param $n i32) (result i32)
      (call $f (ref.null $node) (local.get $n)))
  ))";
  // n rounds: sum of 1..n plus 3 per round.
  auto want = [](int32_t n) { return i32s({n * (n + 1) / 2 + 3 * n}); };
  for (bool interpreted_g : {false, true}) {
    Options o;
    if (interpreted_g) o.interpreted = {3};
    TierRun r(wat, Tier::Baseline, o);
    EXPECT_EQ(r.fallbacks, interpreted_g ? 1u : 0u);
    for (int round = 0; round < 3; ++round)
      EXPECT_EQ(r.call("run", {Value::i32(3000)}), want(3000)) << "round " << round;
    EXPECT_GT(r.inst.get()->store->gc_heap().stats().collections, 5u);
  }
  Both b(wat);
  EXPECT_EQ(b.same("run", {Value::i32(200)}), want(200));
}

}  // namespace

// A wide tail call to a HOST function passes it a GC reference that lives
// nowhere but in the tail-call adapter's array until the host trampoline roots
// it as an api::Value: the frame that made it is gone. The host collects,
// churns the heap (reusing freed cells) and returns the reference; the caller
// reads its field. Without the adapter's array as a root (frame_roots.cc) and
// with unrooted host arguments (as run_host once gave) the field reads -1.
TEST(TailCalls, GcReferenceOnlyInTheAdaptersArraySurvivesAHostCollection) {
  const char* wat = R"((module
    (type $node (struct (field $v i32) (field $next (ref null $node))))
    (import "env" "keep" (func $keep (param anyref i32 i32 i32 i32) (result anyref)))
    (func (export "churn")
      (local $n i32)
      (local.set $n (i32.const 4000))
      (loop $l
        (drop (struct.new $node (i32.const -1) (ref.null $node)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (func $narrow (param $x i32) (result anyref)
      (return_call $keep (struct.new $node (local.get $x) (ref.null $node))
        (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4)))
    (func (export "run") (param $x i32) (result i32)
      (struct.get $node $v (ref.cast (ref $node) (call $narrow (local.get $x)))))
  ))";
  Options o;
  o.setup = [](Linker& l) {
    const ValType anyref = ValType::ref(wasmrun::HeapType::abstract(wasmrun::AbsHeap::Any), true);
    FuncType t{{anyref, ValType::i32(), ValType::i32(), ValType::i32(), ValType::i32()}, {anyref}};
    ASSERT_TRUE(
        l.func("env", "keep", t,
               [](Caller& c, std::span<const Value> args, std::span<Value> results) -> Status {
                 if (!args[0].is_struct_ref()) return host_trap("no struct argument");
                 c.store().collect_garbage();
                 auto churn = c.instance().func("churn");
                 if (!churn) return host_trap("no churn");
                 auto r = churn->call({});
                 if (!r.ok()) return std::move(r).error();
                 results[0] = args[0];
                 return {};
               })
            .ok());
  };
  for (bool eager : {true, false}) {
    o.eager = eager;
    Both b(wat, o);
    if (eager) EXPECT_EQ(b.jit.fallbacks, 0u);
    for (int32_t x : {42, 7, 123456})
      EXPECT_EQ(b.same("run", {Value::i32(x)}), i32s({x})) << "eager " << eager;
    EXPECT_GE(b.jit.store.gc_stats().collections, 3u);
  }
}
