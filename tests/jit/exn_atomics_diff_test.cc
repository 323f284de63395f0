// Exceptions and atomics under the baseline tier, compared with the interpreter
// (the reference semantics) on the same modules, host functions and inputs, and
// checked to be compiled (zero interpreter fallbacks) where the tier claims it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
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

/// One module instantiated in an interpreter store and a baseline store, with the
/// same host functions (`setup` defines them in each linker).
struct Diff {
  struct Side {
    Engine engine;
    Store store{engine};
    Linker linker{engine};
    Instance inst;
    explicit Side(Tier t) : engine(config(t)) {}
    static EngineConfig config(Tier t) {
      EngineConfig c;
      c.tier = t;
      return c;
    }
  };
  Side interp{Tier::Interpreter}, jit{Tier::Baseline};
  uint32_t fallbacks = ~0u;

  /// `interpreted`: function indices the baseline side leaves to the interpreter.
  Diff(std::string_view wat, const std::function<void(Side&)>& setup = {},
       const std::vector<uint32_t>& interpreted = {}) {
    for (Side* s : {&interp, &jit}) {
      if (setup) setup(*s);
      auto m = Module::compile(s->engine, wat);
      if (!m.ok()) ADD_FAILURE() << "compile: " << m.error().to_string();
      if (!m.ok()) return;
      auto i = s->linker.instantiate(s->store, *m);
      if (!i.ok()) ADD_FAILURE() << "instantiate: " << i.error().to_string();
      if (!i.ok()) return;
      s->inst = *i;
    }
    for (uint32_t f : interpreted) wasmrun::jit::interpret_for_testing(jit.inst.get()->funcs[f]);
    fallbacks = wasmrun::jit::compile_all_for_testing(jit.inst.get());
  }
  /// Calls `name` in both tiers and expects the same outcome; returns it.
  std::string same(std::string_view name, std::vector<Value> args = {}) {
    auto fi = interp.inst.func(name);
    auto fj = jit.inst.func(name);
    if (!fi || !fj) {
      ADD_FAILURE() << "no export " << name;
      return "";
    }
    std::string a = outcome(fi->call(args)), b = outcome(fj->call(args));
    EXPECT_EQ(a, b) << name;
    return b;
  }
};

std::string ok_i32(int32_t v) { return std::to_string(static_cast<uint32_t>(v)) + ":0 "; }

// ---------------------------------------------------------------- atomics

// Every 0xFE instruction at every width, on memory 0 (inline code), on a second
// memory and on a memory64 (helpers), with in-range, misaligned and
// out-of-bounds addresses.
constexpr const char* kAtomics = R"((module
  (memory $m0 1 1 shared)
  (memory $m1 1 2)
  (memory $m64 i64 1 1)
  (func (export "rmw") (param $addr i32) (param $v i64) (param $w i64) (result i64)
    (local $acc i64)
    (i64.store (i32.const 64) (i64.const 0x8877665544332211))
    (i64.store (i32.const 72) (i64.const 0xfedcba9876543210))
    (local.set $acc (i64.atomic.rmw.add (local.get $addr) (local.get $v)))
    (local.set $acc (i64.add (local.get $acc) (i64.atomic.rmw8.sub_u offset=1 (local.get $addr) (local.get $v))))
    (local.set $acc (i64.xor (local.get $acc) (i64.atomic.rmw16.and_u offset=2 (local.get $addr) (local.get $w))))
    (local.set $acc (i64.add (local.get $acc) (i64.atomic.rmw32.or_u offset=4 (local.get $addr) (local.get $w))))
    (local.set $acc (i64.add (local.get $acc) (i64.atomic.rmw.xor offset=8 (local.get $addr) (local.get $w))))
    (local.set $acc (i64.add (local.get $acc) (i64.atomic.rmw8.xchg_u offset=3 (local.get $addr) (local.get $v))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.atomic.rmw.add offset=4 (local.get $addr) (i32.wrap_i64 (local.get $v))))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.atomic.rmw16.sub_u offset=6 (local.get $addr) (i32.wrap_i64 (local.get $w))))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.atomic.rmw8.and_u offset=7 (local.get $addr) (i32.wrap_i64 (local.get $w))))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.atomic.rmw.or offset=12 (local.get $addr) (i32.wrap_i64 (local.get $v))))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.atomic.rmw16.xor_u offset=10 (local.get $addr) (i32.wrap_i64 (local.get $v))))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.atomic.rmw.xchg offset=8 (local.get $addr) (i32.wrap_i64 (local.get $w))))))
    (local.set $acc (i64.add (local.get $acc) (i64.atomic.rmw16.add_u offset=14 (local.get $addr) (local.get $w))))
    (local.set $acc (i64.add (local.get $acc) (i64.atomic.rmw32.xchg_u offset=12 (local.get $addr) (local.get $v))))
    (i64.add (local.get $acc) (i64.add (i64.load (i32.const 64)) (i64.load (i32.const 72)))))
  (func (export "cmpxchg") (param $addr i32) (param $e i64) (param $r i64) (result i64)
    (i64.store (i32.const 64) (i64.const 0x0000000100000001))
    (i64.add
      (i64.add (i64.atomic.rmw.cmpxchg (local.get $addr) (local.get $e) (local.get $r))
               (i64.atomic.rmw8.cmpxchg_u (local.get $addr) (local.get $e) (local.get $r)))
      (i64.add (i64.atomic.rmw16.cmpxchg_u (local.get $addr) (local.get $e) (local.get $r))
               (i64.add (i64.atomic.rmw32.cmpxchg_u offset=4 (local.get $addr) (local.get $e) (local.get $r))
                        (i64.extend_i32_u (i32.atomic.rmw.cmpxchg (local.get $addr)
                          (i32.wrap_i64 (local.get $e)) (i32.wrap_i64 (local.get $r))))))))
  (func (export "cmpxchg8") (param $addr i32) (param $e i32) (param $r i32) (result i32)
    (i32.store (i32.const 64) (i32.const 0x01020304))
    (i32.add (i32.atomic.rmw8.cmpxchg_u (local.get $addr) (local.get $e) (local.get $r))
             (i32.mul (i32.const 256) (i32.atomic.rmw16.cmpxchg_u offset=2 (local.get $addr) (local.get $e) (local.get $r)))))
  (func (export "loads") (param $addr i32) (result i64)
    (i64.store (i32.const 64) (i64.const 0x8877665544332211))
    (i64.atomic.store32 offset=8 (local.get $addr) (i64.const 0x123456789))
    (i64.atomic.store16 offset=12 (local.get $addr) (i64.const 0xabcdef))
    (i64.atomic.store8 offset=14 (local.get $addr) (i64.const 0x1ff))
    (i32.atomic.store8 offset=15 (local.get $addr) (i32.const 0x2ee))
    (i32.atomic.store16 offset=16 (local.get $addr) (i32.const 0x3dddd))
    (i32.atomic.store offset=20 (local.get $addr) (i32.const -7))
    (i64.atomic.store offset=24 (local.get $addr) (i64.const -9))
    (i64.add
      (i64.add (i64.atomic.load (local.get $addr)) (i64.atomic.load8_u offset=1 (local.get $addr)))
      (i64.add
        (i64.add (i64.atomic.load16_u offset=2 (local.get $addr)) (i64.atomic.load32_u offset=4 (local.get $addr)))
        (i64.add
          (i64.extend_i32_u (i32.add (i32.atomic.load offset=8 (local.get $addr))
                                     (i32.atomic.load8_u offset=15 (local.get $addr))))
          (i64.add (i64.extend_i32_u (i32.atomic.load16_u offset=12 (local.get $addr)))
                   (i64.atomic.load offset=24 (local.get $addr)))))))
  (func (export "other_memories") (param $addr i32) (param $a64 i64) (result i64)
    (atomic.fence)
    (drop (i32.atomic.rmw.add $m1 (local.get $addr) (i32.const 5)))
    (drop (i64.atomic.rmw8.or_u $m64 (local.get $a64) (i64.const 0x80)))
    (i64.atomic.store32 $m64 offset=8 (local.get $a64) (i64.const 0x1234))
    (i64.add
      (i64.extend_i32_u (i32.atomic.load $m1 (local.get $addr)))
      (i64.add (i64.atomic.load $m64 (local.get $a64))
               (i64.atomic.rmw.cmpxchg $m64 offset=8 (local.get $a64) (i64.const 0x1234) (i64.const 7)))))
  (func (export "wait_notify") (param $addr i32) (result i32)
    (i32.add
      (i32.add (memory.atomic.notify (local.get $addr) (i32.const 2))
               (i32.mul (i32.const 10) (memory.atomic.wait32 (local.get $addr) (i32.const 99) (i64.const 0))))
      (i32.mul (i32.const 100) (memory.atomic.wait64 (local.get $addr) (i64.const 0) (i64.const 1000)))))
  ;; Constant addresses: alignment and bounds decided at compile time.
  (func (export "const_addr") (param $k i32) (result i64)
    (if (i32.eq (local.get $k) (i32.const 1)) (then (drop (i32.atomic.load (i32.const 2)))))
    (if (i32.eq (local.get $k) (i32.const 2))
      (then (drop (i64.atomic.rmw.add offset=65532 (i32.const 0) (i64.const 1)))))
    (if (i32.eq (local.get $k) (i32.const 3))
      (then (drop (i32.atomic.rmw16.add_u (i32.const 65536) (i32.const 1)))))
    (if (i32.eq (local.get $k) (i32.const 4)) (then (i32.atomic.store16 (i32.const 3) (i32.const 1))))
    (i64.add (i64.atomic.rmw.add (i32.const 128) (i64.const 5))
             (i64.extend_i32_u (i32.atomic.rmw8.add_u offset=3 (i32.const 128) (i32.const 1)))))
  (func (export "wait_unshared") (param $addr i32) (result i32)
    (memory.atomic.wait32 $m1 (local.get $addr) (i32.const 0) (i64.const 0)))
))";

TEST(Baseline, AtomicsAllWidthsCompiledAndMatchTheInterpreter) {
  Diff d(kAtomics);
  EXPECT_EQ(d.fallbacks, 0u);
  for (int32_t addr : {64, 0, 65528, 65536, 65540, -8, 66, 65, 96}) {
    for (int64_t v : {int64_t{1}, int64_t{-1}, int64_t{0x1234567890}}) {
      d.same("rmw", {Value::i32(addr), Value::i64(v), Value::i64(~v)});
      d.same("cmpxchg", {Value::i32(addr), Value::i64(v), Value::i64(v * 3)});
      d.same("cmpxchg", {Value::i32(addr), Value::i64(0x0000000100000001), Value::i64(v)});
    }
    d.same("cmpxchg", {Value::i32(addr), Value::i64(0x100000001), Value::i64(5)});
    d.same("cmpxchg8", {Value::i32(addr), Value::i32(0x104), Value::i32(0x77)});
    d.same("cmpxchg8", {Value::i32(addr), Value::i32(0x4), Value::i32(0x77)});
    d.same("loads", {Value::i32(addr)});
    d.same("other_memories", {Value::i32(addr), Value::i64(addr)});
    d.same("wait_notify", {Value::i32(addr)});
    d.same("wait_unshared", {Value::i32(addr)});
  }
  for (int32_t k = 0; k <= 4; ++k) d.same("const_addr", {Value::i32(k)});
  EXPECT_NE(d.same("const_addr", {Value::i32(2)}).find("out of bounds"), std::string::npos);
  EXPECT_NE(d.same("const_addr", {Value::i32(4)}).find("unaligned atomic"), std::string::npos);
  // Sanity: the inline paths really produced values and traps.
  EXPECT_EQ(d.same("cmpxchg8", {Value::i32(64), Value::i32(0x104), Value::i32(0x77)}),
            ok_i32(4 + 256 * 0x0102));
  EXPECT_NE(d.same("loads", {Value::i32(66)}).find("unaligned atomic"), std::string::npos);
  EXPECT_NE(d.same("loads", {Value::i32(65535)}).find("out of bounds"), std::string::npos);
}

// Several OS threads, each with its own store and baseline-compiled instance of
// one module, hammer a shared memory: lost updates would show in the totals.
TEST(Baseline, AtomicsFromManyThreadsUnderTheBaselineTier) {
  EngineConfig cfg;
  cfg.tier = Tier::Baseline;
  Engine engine(cfg);
  Store home(engine);
  auto mem = Memory::create(home, wasmrun::MemoryType{{1, 1, true}});
  ASSERT_TRUE(mem.ok()) << mem.error().to_string();
  auto mod = Module::compile(engine, R"((module
    (import "env" "mem" (memory 1 1 shared))
    (func $lock
      (loop $spin
        (br_if $spin (i32.atomic.rmw.cmpxchg (i32.const 16) (i32.const 0) (i32.const 1)))))
    (func (export "work") (param $n i32)
      (loop $l
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (drop (i64.atomic.rmw.sub (i32.const 8) (i64.const 3)))
        (drop (i32.atomic.rmw16.add_u (i32.const 24) (i32.const 1)))
        (drop (i32.atomic.rmw8.xor_u (i32.const 28) (i32.const 1)))
        (call $lock)
        (i32.store (i32.const 20) (i32.add (i32.load (i32.const 20)) (i32.const 1)))
        (i32.atomic.store (i32.const 16) (i32.const 0))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ))");
  ASSERT_TRUE(mod.ok()) << mod.error().to_string();
  constexpr int kThreads = 4, kIters = 20000;
  std::atomic<int> fallbacks{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      Store s(engine);
      Linker l(engine);
      if (!l.define("env", "mem", Extern::of(*mem)).ok()) return void(++failures);
      auto inst = l.instantiate(s, *mod);
      if (!inst.ok()) return void(++failures);
      fallbacks += static_cast<int>(wasmrun::jit::compile_all_for_testing(inst->get()));
      if (!inst->func("work")->call({Value::i32(kIters)}).ok()) ++failures;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(fallbacks.load(), 0);
  const uint8_t* p = mem->data();
  uint32_t c32, plain;
  int64_t c64;
  uint16_t c16;
  std::memcpy(&c32, p, 4);
  std::memcpy(&c64, p + 8, 8);
  std::memcpy(&plain, p + 20, 4);
  std::memcpy(&c16, p + 24, 2);
  EXPECT_EQ(c32, uint32_t{kThreads * kIters});
  EXPECT_EQ(c64, -3 * int64_t{kThreads} * kIters);
  EXPECT_EQ(plain, uint32_t{kThreads * kIters});
  EXPECT_EQ(c16, uint16_t(kThreads * kIters));
  EXPECT_EQ(p[28], (kThreads * kIters) % 2);
}

// ---------------------------------------------------------------- exceptions

constexpr const char* kExceptions = R"((module
  (import "env" "tag" (tag $h (param i32)))
  (import "env" "reenter" (func $reenter (param i32)))
  (import "env" "host_throw" (func $host_throw (param i32)))
  (tag $e (param i32))
  (tag $f (param i64 f64))
  (tag $v (param v128 i32))
  (tag $empty)
  (func $thrower (export "thrower") (param i32)
    (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $e (i32.const 11))))
    (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $f (i64.const -5) (f64.const 2.5))))
    (if (i32.eq (local.get 0) (i32.const 3)) (then (throw $v (v128.const i32x4 1 2 3 4) (i32.const 9))))
    (if (i32.eq (local.get 0) (i32.const 4)) (then (throw $empty)))
    (if (i32.eq (local.get 0) (i32.const 5)) (then (throw $h (i32.const 55))))
    (if (i32.eq (local.get 0) (i32.const 6)) (then (unreachable))))
  (func $deep (param i32) (param i32)
    (if (i32.eqz (local.get 0)) (then (call $thrower (local.get 1)) (return)))
    (call $deep (i32.sub (local.get 0) (i32.const 1)) (local.get 1)))
  ;; Nested try_tables: which handler sees which tag, payloads of several types.
  (func (export "nested") (param $k i32) (param $depth i32) (result i64)
    (local $x f64)
    (local.set $x (f64.const 1.25))
    (block $outer (result i32)
      (block $ff (result i64 f64)
        (block $vv (result v128 i32)
          (block $all
            (try_table (catch $e $outer) (catch $empty $all)
              (try_table (catch $f $ff) (catch $v $vv)
                (call $deep (local.get $depth) (local.get $k))))
            (return (i64.const 100)))
          (return (i64.const 200)))
        (drop) (i32x4.extract_lane 2) (i32.const 1000) (i32.add) (i64.extend_i32_u)
        (return))
      (drop)
      (return (i64.add (i64.trunc_f64_s (f64.mul (f64.const 10) (local.get $x))))))
    (i64.extend_i32_s))
  ;; catch_ref / catch_all_ref, exnrefs kept in locals and rethrown later.
  (func (export "refs") (param $k i32) (result i32)
    (local $r exnref)
    (block $h (result i32 exnref)
      (try_table (catch_ref $e $h)
        (block $any (result exnref)
          (try_table (catch_all_ref $any) (call $thrower (local.get $k)))
          (return (i32.const -1)))
        (local.set $r)
        (throw_ref (local.get $r)))
      (return (i32.const -2)))
    (local.set $r)
    (i32.add (i32.const 1000)))
  (func (export "null_throw_ref") (throw_ref (ref.null exn)))
  (func (export "uncaught") (param $k i32) (call $thrower (local.get $k)))
  ;; A trap is not an exception: catch_all does not see it.
  (func (export "trap_not_caught") (result i32)
    (block $h (try_table (catch_all $h) (call $thrower (i32.const 6))))
    (i32.const 7))
  ;; Legacy try/catch/catch_all, rethrow from nested handlers, delegate.
  (func (export "legacy") (param $k i32) (result i32)
    (local $acc i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $thrower (local.get $k)) (i32.const 1))
          (catch $e
            (local.set $acc (i32.add (local.get $acc) (i32.const 10)))
            (try
              (do (throw $empty))
              (catch $empty (local.set $acc (i32.add (local.get $acc) (i32.const 20))))
              (catch_all (local.set $acc (i32.const -100))))
            (drop)
            (rethrow 0))
          (catch_all (i32.const 3))))
      (catch $e (drop) (i32.add (i32.const 500) (local.get $acc)))
      (catch $f (drop) (i32.wrap_i64) (i32.const 1000) (i32.add)))
    (i32.const 100000)
    (i32.add))
  (func (export "delegate") (param $k i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do
            (try (result i32)
              (do (call $thrower (local.get $k)) (i32.const 1))
              (delegate 1)))
          (catch $e (drop) (i32.const 2))))
      (catch $e (drop) (i32.const 3))
      (catch_all (i32.const 4))))
  (func (export "delegate_out") (param $k i32) (result i32)
    (try (result i32)
      (do (call $thrower (local.get $k)) (i32.const 1))
      (delegate 0)))
  ;; A catch branching to the function's label returns the payload.
  (func (export "to_func") (param $k i32) (result i32)
    (try_table (catch $e 0) (call $thrower (local.get $k)))
    (i32.const 77))
  ;; try_table with parameters.
  (func (export "params") (param $k i32) (result i32)
    (block $h (result i32)
      (i32.const 40) (i32.const 2)
      (try_table (param i32 i32) (result i32) (catch $e $h)
        (i32.add) (call $thrower (local.get $k))))
    (i32.const 1) (i32.add))
  ;; Pinned locals (GP and XMM) survive handlers in a hot loop.
  (func (export "loop") (param $n i32) (result f64)
    (local $i i32) (local $s f64) (local $c i64)
    (loop $l
      (block $h (result i32)
        (try_table (catch $e $h)
          (call $thrower (i32.and (local.get $i) (i32.const 1))))
        (i32.const 3))
      (i64.extend_i32_u) (local.get $c) (i64.add) (local.set $c)
      (local.set $s (f64.add (local.get $s) (f64.convert_i32_u (local.get $i))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (f64.add (local.get $s) (f64.convert_i64_u (local.get $c))))
  ;; Through the host: wasm -> host -> wasm throws -> host returns the error.
  (func (export "via_host") (param $k i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (catch $h $h) (call $reenter (local.get $k)))
      (i32.const -1)))
  (func (export "host_throws") (param $k i32) (result i32)
    (block $h (result i32)
      (try_table (catch $h $h) (call $host_throw (local.get $k)))
      (i32.const -1)))
  ;; A tail call leaves the handler: the caller's caller catches.
  (func $tail (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (return_call $tail_target (local.get 0)))
      (i32.const -1))
    (i32.const 1000) (i32.add))
  (func $tail_target (param i32) (result i32) (call $thrower (local.get 0)) (i32.const 5))
  (func (export "tail") (param $k i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (drop (call $tail (local.get $k))))
      (i32.const -1)))
))";

void define_host(Diff::Side& s) {
  Tag tag = Tag::create(s.store, wasmrun::FuncType{{wasmrun::ValType::i32()}, {}});
  ASSERT_TRUE(s.linker.define("env", "tag", Extern::of(tag)).ok());
  ASSERT_TRUE(s.linker
                  .func("env", "reenter",
                        [](Caller& c, int32_t x) -> Status {
                          auto f = c.instance().func("thrower");
                          if (!f) return host_trap("no thrower");
                          auto r = f->call({Value::i32(x)});
                          if (!r.ok()) return std::move(r).error();
                          return {};
                        })
                  .ok());
  ASSERT_TRUE(s.linker
                  .func("env", "host_throw", wasmrun::FuncType{{wasmrun::ValType::i32()}, {}},
                        [tag](Caller& c, std::span<const Value> args, std::span<Value>) -> Status {
                          if (args[0].i32() == 0) return {};
                          Value v = Value::i32(args[0].i32() * 2);
                          return Exception::error(c.store(), tag, std::span<const Value>(&v, 1));
                        })
                  .ok());
}

TEST(Baseline, ExceptionsCompiledAndMatchTheInterpreter) {
  Diff d(kExceptions, define_host);
  EXPECT_EQ(d.fallbacks, 0u);
  for (int32_t k = 0; k <= 6; ++k) {
    for (int32_t depth : {0, 1, 50}) d.same("nested", {Value::i32(k), Value::i32(depth)});
    d.same("refs", {Value::i32(k)});
    d.same("uncaught", {Value::i32(k)});
    d.same("legacy", {Value::i32(k)});
    d.same("delegate", {Value::i32(k)});
    d.same("delegate_out", {Value::i32(k)});
    d.same("to_func", {Value::i32(k)});
    d.same("params", {Value::i32(k)});
    d.same("via_host", {Value::i32(k)});
    d.same("host_throws", {Value::i32(k)});
    d.same("tail", {Value::i32(k)});
  }
  d.same("null_throw_ref");
  d.same("loop", {Value::i32(1000)});
  // Spot checks that the comparisons above compare something.
  EXPECT_EQ(d.same("nested", {Value::i32(1), Value::i32(50)}), "11:0 ");
  EXPECT_EQ(d.same("nested", {Value::i32(2), Value::i32(3)}),
            std::to_string(uint64_t(-5 + 12)) + ":0 ");
  EXPECT_EQ(d.same("nested", {Value::i32(3), Value::i32(3)}), "1003:0 ");
  EXPECT_EQ(d.same("legacy", {Value::i32(1)}), ok_i32(100530));
  EXPECT_EQ(d.same("delegate", {Value::i32(1)}), ok_i32(3));
  EXPECT_EQ(d.same("to_func", {Value::i32(1)}), ok_i32(11));
  EXPECT_EQ(d.same("params", {Value::i32(1)}), ok_i32(12));
  EXPECT_EQ(d.same("params", {Value::i32(0)}), ok_i32(43));
  EXPECT_EQ(d.same("via_host", {Value::i32(5)}), ok_i32(55));
  EXPECT_EQ(d.same("host_throws", {Value::i32(21)}), ok_i32(42));
  EXPECT_EQ(d.same("tail", {Value::i32(1)}), ok_i32(11));
  EXPECT_NE(d.same("trap_not_caught").find("unreachable"), std::string::npos);
  EXPECT_NE(d.same("uncaught", {Value::i32(2)}).find("error"), std::string::npos);
}

// Exceptions crossing into and out of functions the baseline tier leaves to the
// interpreter (interpret_for_testing), both ways:
// compiled code catches what an interpreted callee throws, and an interpreted
// frame catches what compiled code throws through a host function (the
// interpreter runs its own callees; compiled code is reached through the host).
TEST(Baseline, ExceptionsCrossInterpreterFrames) {
  auto setup = [](Diff::Side& s) {
    ASSERT_TRUE(s.linker
                    .func("env", "reenter",
                          [](Caller& c, int32_t x) -> Status {
                            auto f = c.instance().func("jit_thrower");
                            if (!f) return host_trap("no jit_thrower");
                            auto r = f->call({Value::i32(x)});
                            if (!r.ok()) return std::move(r).error();
                            return {};
                          })
                    .ok());
  };
  Diff d(R"((module
    (import "env" "reenter" (func $reenter (param i32)))
    (tag $e (param i32))
    (func $wide (param i32 i32 i32 i32) (result i32)
      (if (local.get 0) (then (throw $e (i32.add (local.get 0) (local.get 3)))))
      (local.get 1))
    ;; Interpreted (interpret_for_testing).
    (func $interp (param $k i32) (result i32)
      (block $h (result i32)
        (try_table (catch $e $h) (call $reenter (local.get $k)))
        (return_call $wide (i32.sub (local.get $k) (i32.const 1)) (i32.const 8) (i32.const 0) (i32.const 3)))
      (i32.const 100) (i32.add))
    (func (export "jit_thrower") (param i32)
      (if (i32.ge_u (local.get 0) (i32.const 10)) (then (throw $e (local.get 0)))))
    (func (export "run") (param $k i32) (result i32)
      (try (result i32)
        (do (call $interp (local.get $k)))
        (catch $e (i32.add (i32.const 5000)))))
  ))",
         setup, {2});
  EXPECT_EQ(d.fallbacks, 1u);  // $interp
  for (int32_t k : {0, 1, 2, 5, 10, 12}) d.same("run", {Value::i32(k)});
  EXPECT_EQ(d.same("run", {Value::i32(0)}), ok_i32(5002));
  EXPECT_EQ(d.same("run", {Value::i32(1)}), ok_i32(8));
  EXPECT_EQ(d.same("run", {Value::i32(3)}), ok_i32(5005));
  EXPECT_EQ(d.same("run", {Value::i32(12)}), ok_i32(112));
}

// GC references as exception payloads in compiled code: caught into a local of
// a JIT frame, or kept by a legacy catch for rethrow, across 128 MiB of
// allocation churn.
TEST(Baseline, ExceptionsWithGcPayloadsSurviveCollections) {
  Diff d(R"((module
    (type $s (struct (field i32) (field (ref null $s))))
    (type $a (array (mut i8)))
    (tag $t (param (ref null $s)))
    (func $churn
      (local $i i32)
      (loop $l
        (drop (array.new_default $a (i32.const 4096)))
        (drop (struct.new $s (i32.const 0) (ref.null $s)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 16384)))))
    (func $make (result (ref null $s))
      (struct.new $s (i32.const 41) (struct.new $s (i32.const 1) (ref.null $s))))
    (func $sum (param $k (ref null $s)) (result i32)
      (i32.add (struct.get $s 0 (local.get $k))
               (struct.get $s 0 (struct.get $s 1 (local.get $k)))))
    (func (export "hold") (result i32)
      (local $k (ref null $s))
      (block $h (result (ref null $s))
        (try_table (catch $t $h) (throw $t (call $make)))
        (unreachable))
      (local.set $k)
      (call $churn)
      (call $churn)
      (call $sum (local.get $k)))
    (func (export "legacy") (result i32)
      (try (result i32)
        (do
          (try (result i32)
            (do (throw $t (call $make)))
            (catch $t (drop) (call $churn) (call $churn) (rethrow 0))))
        (catch $t (call $sum))))
  ))");
  EXPECT_EQ(d.fallbacks, 0u);
  EXPECT_EQ(d.same("hold"), ok_i32(42));
  EXPECT_EQ(d.same("legacy"), ok_i32(42));
}

}  // namespace
