// Wasm GC under the baseline JIT: every GC instruction compiles (no function
// falls back to the interpreter), gives the interpreter's results and traps,
// and references held only in JIT frames survive collections.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/runtime/objects.h"
#include "jit/baseline/baseline.h"
#include "wasmrun/wasmrun.h"

using namespace wasmrun::api;

namespace {

struct TierRun {
  Engine engine;
  Store store{engine};
  Instance inst;
  uint32_t fallbacks = 0;

  static EngineConfig config(Tier t) {
    EngineConfig c;
    c.tier = t;
    return c;
  }
  TierRun(std::string_view wat, Tier tier) : engine(config(tier)) {
    auto m = Module::compile(
        engine, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(wat.data()), wat.size()));
    if (!m.ok()) ADD_FAILURE() << "compile: " << m.error().to_string();
    if (!m.ok()) return;
    Linker l(engine);
    auto i = l.instantiate(store, *m);
    if (!i.ok()) ADD_FAILURE() << "instantiate: " << i.error().to_string();
    if (!i.ok()) return;
    inst = *i;
    if (tier == Tier::Baseline) fallbacks = wasmrun::jit::compile_all_for_testing(inst.get());
  }
  /// The call's results, or its error message, as text.
  std::string call(std::string_view name, std::vector<Value> args) {
    auto f = inst.func(name);
    if (!f) return "no export";
    auto r = f->call(args);
    if (!r.ok()) return "trap: " + r.error().message;
    std::string out;
    for (const Value& v : *r) out += v.to_string() + " ";
    return out;
  }
  wasmrun::gc::HeapStats heap_stats() { return inst.get()->store->gc_heap().stats(); }
};

/// Runs each (export, args) call under the interpreter and the baseline tier and
/// expects the same results or the same trap; every function must compile.
/// Returns the number of collections in the baseline run.
uint64_t differential(std::string_view wat,
                      const std::vector<std::pair<std::string, std::vector<Value>>>& calls) {
  TierRun interp(wat, Tier::Interpreter);
  TierRun jit(wat, Tier::Baseline);
  EXPECT_EQ(jit.fallbacks, 0u) << "functions left to the interpreter (WASMRUN_JIT_LOG=1 says why)";
  for (const auto& [name, args] : calls) {
    std::string want = interp.call(name, args);
    EXPECT_EQ(jit.call(name, args), want) << name;
  }
  return jit.inst.get() ? jit.heap_stats().collections : 0;
}

std::string read_program(const char* name) {
  std::ifstream in(std::string(WASMRUN_SOURCE_DIR) + "/tests/gc_programs/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Baseline, GcStructsFieldsAndPackedStorage) {
  differential(R"((module
    (type $s (struct (field $a (mut i8)) (field $b (mut i16)) (field $c (mut i32))
                     (field $d (mut i64)) (field $e (mut f32)) (field $f (mut f64))
                     (field $g (mut v128)) (field $h (mut (ref null $s)))))
    (global $keep (mut (ref null $s)) (ref.null $s))
    (func $mk (param $x i32) (result (ref $s))
      (struct.new $s (local.get $x) (local.get $x) (local.get $x)
        (i64.extend_i32_s (local.get $x)) (f32.convert_i32_s (local.get $x))
        (f64.convert_i32_s (local.get $x)) (i32x4.splat (local.get $x)) (ref.null $s)))
    (func (export "packed") (param $x i32) (result i32 i32 i32 i32 i32)
      (local $o (ref null $s))
      (local.set $o (call $mk (local.get $x)))
      (struct.get_s $s $a (local.get $o)) (struct.get_u $s $a (local.get $o))
      (struct.get_s $s $b (local.get $o)) (struct.get_u $s $b (local.get $o))
      (struct.get $s $c (local.get $o)))
    (func (export "wide") (param $x i32) (result i64 f32 f64 i32)
      (local $o (ref null $s))
      (local.set $o (call $mk (local.get $x)))
      (struct.get $s $d (local.get $o)) (struct.get $s $e (local.get $o))
      (struct.get $s $f (local.get $o)) (i32x4.extract_lane 3 (struct.get $s $g (local.get $o))))
    (func (export "set") (param $x i32) (result i32 i32 i64 f64 i32)
      (local $o (ref null $s))
      (local.set $o (struct.new_default $s))
      (struct.set $s $a (local.get $o) (local.get $x))
      (struct.set $s $b (local.get $o) (i32.const 0x12345))
      (struct.set $s $d (local.get $o) (i64.const -5))
      (struct.set $s $f (local.get $o) (f64.const 2.5))
      (struct.set $s $g (local.get $o) (i32x4.splat (i32.const 9)))
      (struct.set $s $h (local.get $o) (call $mk (i32.const 77)))
      (global.set $keep (local.get $o))
      (struct.get_u $s $a (global.get $keep)) (struct.get_s $s $b (local.get $o))
      (struct.get $s $d (local.get $o)) (struct.get $s $f (local.get $o))
      (struct.get $s $c (struct.get $s $h (local.get $o))))
    (func (export "null_get") (result i32) (struct.get $s $c (ref.null $s)))
    (func (export "null_set") (struct.set $s $c (ref.null $s) (i32.const 1)))))",
               {{"packed", {Value::i32(-3)}},
                {"packed", {Value::i32(0x1ff80)}},
                {"wide", {Value::i32(-123456)}},
                {"set", {Value::i32(200)}},
                {"null_get", {}},
                {"null_set", {}}});
}

TEST(Baseline, GcArraysAndBulkOperations) {
  differential(R"((module
    (type $b (array (mut i8)))
    (type $w (array (mut i64)))
    (type $v (array (mut v128)))
    (type $r (array (mut (ref null $b))))
    (data $d "\01\02\03\04\05\06\07\08\ff\fe")
    (elem $e (ref null $b) (item (array.new_default $b (i32.const 3))) (item (ref.null $b)))
    (func (export "bytes") (param $i i32) (result i32 i32 i32)
      (local $a (ref null $b))
      (local.set $a (array.new_data $b $d (i32.const 2) (i32.const 8)))
      (array.get_s $b (local.get $a) (local.get $i))
      (array.get_u $b (local.get $a) (local.get $i))
      (array.len (local.get $a)))
    (func (export "wide") (param $n i32) (param $i i32) (result i64 i32)
      (local $a (ref null $w))
      (local.set $a (array.new $w (i64.const 7) (local.get $n)))
      (array.set $w (local.get $a) (i32.const 0) (i64.const -1))
      (array.fill $w (local.get $a) (i32.const 1) (i64.const 40) (i32.const 2))
      (array.copy $w $w (local.get $a) (i32.const 3) (local.get $a) (i32.const 0) (i32.const 2))
      (i64.add (array.get $w (local.get $a) (local.get $i))
               (array.get $w (array.new_fixed $w 3 (i64.const 1) (i64.const 2) (i64.const 3))
                             (i32.const 2)))
      (array.len (local.get $a)))
    (func (export "vec") (param $i i32) (result i32)
      (local $a (ref null $v))
      (local.set $a (array.new_default $v (i32.const 4)))
      (array.set $v (local.get $a) (i32.const 2) (i32x4.splat (i32.const 5)))
      (array.fill $v (local.get $a) (i32.const 0) (i32x4.splat (i32.const 3)) (i32.const 1))
      (i32.add (i32x4.extract_lane 1 (array.get $v (local.get $a) (local.get $i)))
               (i32x4.extract_lane 0 (array.get $v (array.new_fixed $v 2 (i32x4.splat (i32.const 100))
                  (i32x4.splat (i32.const 200))) (i32.const 1)))))
    (func (export "refs") (param $i i32) (result i32)
      (local $a (ref null $r))
      (local.set $a (array.new_elem $r $e (i32.const 0) (i32.const 2)))
      (array.init_elem $r $e (local.get $a) (i32.const 1) (i32.const 0) (i32.const 1))
      (array.len (ref.as_non_null (array.get $r (local.get $a) (local.get $i)))))
    (func (export "init_data") (param $s i32) (result i32)
      (local $a (ref null $b))
      (local.set $a (array.new_default $b (i32.const 4)))
      (array.init_data $b $d (local.get $a) (i32.const 1) (local.get $s) (i32.const 3))
      (array.get_u $b (local.get $a) (i32.const 3)))
    (func (export "null_len") (result i32) (array.len (ref.null $b)))
    (func (export "null_fill") (array.fill $w (ref.null $w) (i32.const 0) (i64.const 0) (i32.const 0)))))",
               {{"bytes", {Value::i32(6)}},
                {"bytes", {Value::i32(7)}},
                {"bytes", {Value::i32(8)}},
                {"wide", {Value::i32(5), Value::i32(4)}},
                {"wide", {Value::i32(5), Value::i32(5)}},
                {"wide", {Value::i32(3), Value::i32(0)}},
                {"wide", {Value::i32(-1), Value::i32(0)}},
                {"vec", {Value::i32(0)}},
                {"vec", {Value::i32(2)}},
                {"vec", {Value::i32(4)}},
                {"refs", {Value::i32(0)}},
                {"refs", {Value::i32(1)}},
                {"init_data", {Value::i32(0)}},
                {"init_data", {Value::i32(7)}},
                {"init_data", {Value::i32(8)}},
                {"null_len", {}},
                {"null_fill", {}}});
}

TEST(Baseline, GcI31CastsAndBranches) {
  differential(R"((module
    (type $a (sub (struct (field i32))))
    (type $b (sub $a (struct (field i32) (field i32))))
    (type $c (sub $b (struct (field i32) (field i32))))
    (type $f (func (result i32)))
    (type $arr (array i8))
    (global $objs (mut (ref null $arr)) (ref.null $arr))
    (table $t 8 anyref)
    (func $one (type $f) (i32.const 1))
    (elem declare func $one)
    (func $fill
      (table.set $t (i32.const 0) (ref.null any))
      (table.set $t (i32.const 1) (ref.i31 (i32.const -7)))
      (table.set $t (i32.const 2) (struct.new $a (i32.const 1)))
      (table.set $t (i32.const 3) (struct.new $b (i32.const 1) (i32.const 2)))
      (table.set $t (i32.const 4) (struct.new $c (i32.const 1) (i32.const 2)))
      (table.set $t (i32.const 5) (array.new_default $arr (i32.const 1)))
      (table.set $t (i32.const 6) (any.convert_extern (extern.convert_any (ref.i31 (i32.const 5))))))
    (func (export "i31") (param $x i32) (result i32 i32 i32)
      (i31.get_s (ref.i31 (local.get $x))) (i31.get_u (ref.i31 (local.get $x)))
      (i31.get_u (ref.i31 (i32.const -1))))
    (func (export "i31_null") (result i32) (i31.get_s (ref.null i31)))
    (func (export "tests") (param $i i32) (result i32)
      (local $r anyref)
      (call $fill)
      (local.set $r (table.get $t (local.get $i)))
      (i32.or (i32.or (i32.or (ref.test anyref (local.get $r))
                              (i32.shl (ref.test eqref (local.get $r)) (i32.const 1)))
                      (i32.or (i32.shl (ref.test i31ref (local.get $r)) (i32.const 2))
                              (i32.shl (ref.test structref (local.get $r)) (i32.const 3))))
              (i32.or (i32.or (i32.shl (ref.test arrayref (local.get $r)) (i32.const 4))
                              (i32.shl (ref.test (ref $a) (local.get $r)) (i32.const 5)))
                      (i32.or (i32.shl (ref.test (ref $b) (local.get $r)) (i32.const 6))
                              (i32.or (i32.shl (ref.test (ref null $c) (local.get $r)) (i32.const 7))
                                      (i32.shl (ref.test nullref (local.get $r)) (i32.const 8)))))))
    (func (export "cast") (param $i i32) (result i32)
      (call $fill)
      (struct.get $a 0 (ref.cast (ref $a) (table.get $t (local.get $i)))))
    (func (export "cast_null") (param $i i32) (result i32)
      (call $fill)
      (ref.is_null (ref.cast (ref null $b) (table.get $t (local.get $i)))))
    (func (export "br") (param $i i32) (result i32)
      (call $fill)
      (block $is_b (result (ref $b))
        (block $not_struct (result anyref)
          (drop (br_on_cast $is_b anyref (ref $b) (table.get $t (local.get $i))))
          (br_on_cast_fail $not_struct anyref (ref struct) (table.get $t (local.get $i)))
          (return (i32.const 100)))
        (return (i32.add (ref.test i31ref) (i32.const 200))))
      (struct.get $b 1))
    (func (export "eq") (param $i i32) (param $j i32) (result i32)
      (call $fill)
      (ref.eq (ref.cast eqref (table.get $t (local.get $i)))
              (ref.cast eqref (table.get $t (local.get $j)))))
    (func (export "funcs") (param $k i32) (result i32)
      (local $f funcref)
      (if (local.get $k) (then (local.set $f (ref.func $one))))
      (i32.add (ref.test (ref $f) (local.get $f))
               (i32.shl (ref.test (ref null $f) (local.get $f)) (i32.const 1))))
    (func (export "func_cast") (param $k i32) (result i32)
      (local $f funcref)
      (if (local.get $k) (then (local.set $f (ref.func $one))))
      (call_ref $f (ref.cast (ref $f) (local.get $f))))))",
               {{"i31", {Value::i32(0x40000000)}},
                {"i31", {Value::i32(-5)}},
                {"i31", {Value::i32(0x3fffffff)}},
                {"i31_null", {}},
                {"tests", {Value::i32(0)}},
                {"tests", {Value::i32(1)}},
                {"tests", {Value::i32(2)}},
                {"tests", {Value::i32(3)}},
                {"tests", {Value::i32(4)}},
                {"tests", {Value::i32(5)}},
                {"tests", {Value::i32(6)}},
                {"cast", {Value::i32(2)}},
                {"cast", {Value::i32(4)}},
                {"cast", {Value::i32(1)}},
                {"cast", {Value::i32(0)}},
                {"cast_null", {Value::i32(0)}},
                {"cast_null", {Value::i32(3)}},
                {"cast_null", {Value::i32(2)}},
                {"br", {Value::i32(0)}},
                {"br", {Value::i32(1)}},
                {"br", {Value::i32(2)}},
                {"br", {Value::i32(3)}},
                {"br", {Value::i32(4)}},
                {"br", {Value::i32(5)}},
                {"eq", {Value::i32(1), Value::i32(6)}},
                {"eq", {Value::i32(2), Value::i32(2)}},
                {"eq", {Value::i32(2), Value::i32(3)}},
                {"eq", {Value::i32(0), Value::i32(0)}},
                {"funcs", {Value::i32(0)}},
                {"funcs", {Value::i32(1)}},
                {"func_cast", {Value::i32(1)}},
                {"func_cast", {Value::i32(0)}}});
}

// A missing root in a JIT frame shows up here: objects held only in a local and
// on the operand stack of compiled functions while those functions allocate
// hundreds of MiB of same-sized garbage (so freed cells are reused with other
// contents); their fields are read afterwards.
TEST(Baseline, GcReferencesInJitFramesSurviveCollections) {
  TierRun r(R"((module
    (type $node (struct (field $v i32) (field $next (ref null $node))))
    (type $junk (array (mut i64)))
    ;; Allocates `n` nodes and arrays of garbage holding -1 everywhere.
    (func $churn (param $n i32) (result i32)
      (local $g (ref null $node))
      (loop $l
        (local.set $g (struct.new $node (i32.const -1) (local.get $g)))
        (if (i32.eqz (i32.and (local.get $n) (i32.const 15)))
          (then (local.set $g (ref.null $node))))
        (drop (array.new $junk (i64.const -1) (i32.const 64)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (i32.const 0))
    (func $sum (param $l (ref null $node)) (result i32)
      (local $s i32)
      (block $done
        (loop $walk
          (br_if $done (ref.is_null (local.get $l)))
          (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $l))))
          (local.set $l (struct.get $node $next (local.get $l)))
          (br $walk)))
      (local.get $s))
    (func $pair (param $a (ref $node)) (param $z i32) (param $b (ref $node)) (result i32)
      (i32.add (call $sum (local.get $a)) (call $sum (local.get $b))))
    (func (export "run") (param $len i32) (param $churn i32) (result i32)
      (local $list (ref null $node)) (local $i i32)
      ;; A list held only by a local, built while garbage piles up.
      (loop $build
        (local.set $list (struct.new $node (local.get $i) (local.get $list)))
        (drop (call $churn (i32.const 100)))
        (br_if $build (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                (local.get $len))))
      ;; The first argument is a fresh list that lives only on the operand stack
      ;; while $churn allocates.
      (call $pair
        (struct.new $node (i32.const 1000) (struct.new $node (i32.const 2000) (ref.null $node)))
        (call $churn (local.get $churn))
        (ref.as_non_null (local.get $list))))))",
            Tier::Baseline);
  ASSERT_EQ(r.fallbacks, 0u);
  const int len = 200;
  int want = 3000 + len * (len - 1) / 2;
  for (int round = 0; round < 5; ++round)
    EXPECT_EQ(r.call("run", {Value::i32(len), Value::i32(200000)}),
              "i32:" + std::to_string(want) + " ")
        << "round " << round;
  EXPECT_GT(r.heap_stats().collections, 20u);
}

void gc_roots_across_frames(bool interpreted) {
  SCOPED_TRACE(interpreted ? "interpreted" : "compiled");
  EngineConfig config;
  config.tier = Tier::Baseline;
  Engine engine(config);
  Store store(engine);
  Linker linker(engine);
  Instance inst;
  wasmrun::FuncType t;
  t.params = {wasmrun::ValType::i32()};
  t.results = {wasmrun::ValType::i32()};
  ASSERT_TRUE(linker
                  .func("env", "reenter", t,
                        [&](Caller&, std::span<const Value> args, std::span<Value> res) {
                          auto r = inst.func("churn")->call({args[0]});
                          if (!r.ok()) return wasmrun::Status(r.error());
                          res[0] = (*r)[0];
                          return wasmrun::Status{};
                        })
                  .ok());
  auto m = Module::compile(engine, R"((module
    (import "env" "reenter" (func $reenter (param i32) (result i32)))
    (type $node (struct (field $v i32) (field $next (ref null $node))))
    (type $junk (array (mut i64)))
    (func $churn (export "churn") (param $n i32) (result i32)
      (local $g (ref null $node))
      (loop $l
        (local.set $g (struct.new $node (i32.const -1) (local.get $g)))
        (if (i32.eqz (i32.and (local.get $n) (i32.const 15)))
          (then (local.set $g (ref.null $node))))
        (drop (array.new $junk (i64.const -1) (i32.const 64)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (i32.const 0))
    (func $sum (param $l (ref null $node)) (result i32)
      (local $s i32)
      (block $done
        (loop $walk
          (br_if $done (ref.is_null (local.get $l)))
          (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $l))))
          (local.set $l (struct.get $node $next (local.get $l)))
          (br $walk)))
      (local.get $s))
    (func $sum2 (param $l (ref null $node)) (param $z i32) (result i32)
      (i32.add (call $sum (local.get $l)) (local.get $z)))
    (func $wide (param i32 i32 i32 i32 i32 i32) (result i32) (call $churn (local.get 0)))
    (func $interp (param $n i32) (result i32)
      (return_call $wide (local.get $n) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
                         (i32.const 0)))
    (func (export "run") (param $n i32) (result i32)
      (local $l (ref null $node))
      (local.set $l (struct.new $node (i32.const 5) (struct.new $node (i32.const 6) (ref.null $node))))
      (i32.add
        (i32.add
          (call $sum2 (struct.new $node (i32.const 7) (ref.null $node)) (call $reenter (local.get $n)))
          (call $sum2 (struct.new $node (i32.const 8) (ref.null $node)) (call $interp (local.get $n))))
        (call $sum (local.get $l))))))");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  auto i = linker.instantiate(store, *m);
  ASSERT_TRUE(i.ok()) << i.error().to_string();
  inst = *i;
  if (interpreted) wasmrun::jit::interpret_for_testing(inst.get()->funcs[5]);  // $interp
  EXPECT_EQ(wasmrun::jit::compile_all_for_testing(inst.get()), interpreted ? 1u : 0u);
  for (int round = 0; round < 3; ++round) {
    auto r = inst.func("run")->call({Value::i32(100000)});
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ((*r)[0].i32(), 7 + 8 + 11) << "round " << round;
  }
  EXPECT_GT(inst.get()->store->gc_heap().stats().collections, 10u);
}

// References in JIT frames stay roots while the collection happens further in:
// in a nested entry into generated code (JIT -> host -> JIT, which allocates),
// and past a tail call that does not fit its frame ($interp: through the
// tail-call adapter when compiled; also run in the interpreter).
TEST(Baseline, GcRootsAcrossHostAndInterpreterFrames) {
  for (bool interpreted : {false, true}) gc_roots_across_frames(interpreted);
}

// The GC stress programs of tests/gc_programs (at smaller sizes, still many
// collections each) under both tiers.
TEST(Baseline, GcProgramsMatchTheInterpreter) {
  EXPECT_GE(differential(read_program("binary_trees.wat"), {{"run", {Value::i32(14)}}}), 5u);
  EXPECT_GE(differential(read_program("list_of_arrays.wat"),
                         {{"run", {Value::i32(20), Value::i32(2000), Value::i32(256)}}}),
            5u);
  EXPECT_GE(differential(read_program("hashmap.wat"),
                         {{"run", {Value::i32(1000000), Value::i32(65536), Value::i32(4096)}},
                          {"checksum", {}}}),
            1u);
  EXPECT_GE(differential(read_program("cycles.wat"), {{"run", {Value::i32(2000), Value::i32(64)}},
                                                      {"verify", {Value::i32(64)}}}),
            5u);
}

}  // namespace
