// Interpreter behaviour: numerics and traps, control flow, calls, tail calls,
// stack exhaustion, memory, tables, references and SIMD, through the public API.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "wasmrun/wasmrun.h"
#include "wat_fixture.h"

using namespace wasmrun::api;

namespace {

using wasmrun::test::Fixture;

TEST(Interp, IntegerArithmeticAndTraps) {
  Fixture f(R"((module
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
    (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
    (func (export "rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
    (func (export "clz64") (param i64) (result i64) (i64.clz (local.get 0)))
    (func (export "ext8") (param i32) (result i32) (i32.extend8_s (local.get 0)))))");
  EXPECT_EQ(f.i32("add", {Value::i32(2), Value::i32(40)}), 42);
  EXPECT_EQ(f.i32("add", {Value::i32(INT32_MAX), Value::i32(1)}), INT32_MIN);
  EXPECT_EQ(f.i32("div_s", {Value::i32(-7), Value::i32(2)}), -3);
  EXPECT_EQ(f.trap("div_s", {Value::i32(1), Value::i32(0)}), "integer divide by zero");
  EXPECT_EQ(f.trap("div_s", {Value::i32(INT32_MIN), Value::i32(-1)}), "integer overflow");
  EXPECT_EQ(f.i32("rem_s", {Value::i32(INT32_MIN), Value::i32(-1)}), 0);
  EXPECT_EQ(f.i32("rem_s", {Value::i32(-7), Value::i32(2)}), -1);
  EXPECT_EQ(f.i64("div_u64", {Value::i64(-1), Value::i64(2)}), INT64_MAX);
  EXPECT_EQ(f.i32("rotl", {Value::i32(0x80000001), Value::i32(33)}), 3);
  EXPECT_EQ(f.i64("clz64", {Value::i64(1)}), 63);
  EXPECT_EQ(f.i32("ext8", {Value::i32(0x80)}), -128);
}

TEST(Interp, FloatSemantics) {
  Fixture f(R"((module
    (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
    (func (export "max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
    (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
    (func (export "copysign") (param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1)))
    (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
    (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
    (func (export "trunc_u") (param f32) (result i32) (i32.trunc_f32_u (local.get 0)))
    (func (export "sat") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))))");
  auto r = f.call("min", {Value::f32(-0.0f), Value::f32(0.0f)});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::signbit((*r)[0].f32()));
  r = f.call("min", {Value::f32(1.0f), Value::f32(std::nanf(""))});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::isnan((*r)[0].f32()));
  r = f.call("max", {Value::f64(-0.0), Value::f64(0.0)});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(std::signbit((*r)[0].f64()));
  r = f.call("nearest", {Value::f64(2.5)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].f64(), 2.0);
  r = f.call("nearest", {Value::f64(-3.5)});
  EXPECT_EQ((*r)[0].f64(), -4.0);
  // copysign and neg are bit operations: a NaN payload survives.
  r = f.call("copysign", {Value::f32_bits(0x7fa00001), Value::f32(-1.0f)});
  EXPECT_EQ((*r)[0].f32_bits(), 0xffa00001u);
  r = f.call("neg", {Value::f32_bits(0x7fa00001)});
  EXPECT_EQ((*r)[0].f32_bits(), 0xffa00001u);
  EXPECT_EQ(f.i32("trunc", {Value::f64(-2147483648.9)}), INT32_MIN);
  EXPECT_EQ(f.trap("trunc", {Value::f64(2147483648.0)}), "integer overflow");
  EXPECT_EQ(f.trap("trunc", {Value::f64(std::nan(""))}), "invalid conversion to integer");
  EXPECT_EQ(f.i32("trunc_u", {Value::f32(-0.9f)}), 0);
  EXPECT_EQ(f.trap("trunc_u", {Value::f32(-1.0f)}), "integer overflow");
  EXPECT_EQ(f.i32("sat", {Value::f64(1e100)}), INT32_MAX);
  EXPECT_EQ(f.i32("sat", {Value::f64(std::nan(""))}), 0);
}

TEST(Interp, BlocksLoopsAndBranches) {
  Fixture f(R"((module
    (func (export "sum") (param $n i32) (result i32) (local $acc i32)
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (i32.add (local.get $acc) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (local.get $acc))
    (func (export "switch") (param i32) (result i32)
      (block $d (result i32)
        (block $c (result i32)
          (block $b (result i32)
            (block $a (result i32)
              (i32.const 100) (local.get 0) (br_table $a $b $c $d))
            (i32.add (i32.const 1)) (return))
          (i32.add (i32.const 2)) (return))
        (i32.add (i32.const 3)) (return)))
    (func (export "if") (param i32) (result i32)
      (if (result i32) (local.get 0) (then (i32.const 7)) (else (i32.const 9))))
    (func (export "multi") (result i32 i64 i32)
      (i32.const 1) (i64.const 2) (i32.const 3))
    (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
    (func (export "block_params") (result i32)
      (i32.const 5) (i32.const 6)
      (block (param i32 i32) (result i32) (i32.sub)))
    (func (export "tee_stack") (param i32) (result i32)
      ;; local.get folded into the stack must survive a later local.set of that local
      (local.get 0) (local.set 0 (i32.const 99)) (local.get 0) (i32.sub))))");
  EXPECT_EQ(f.i32("sum", {Value::i32(100)}), 5050);
  EXPECT_EQ(f.i32("switch", {Value::i32(0)}), 101);
  EXPECT_EQ(f.i32("switch", {Value::i32(1)}), 102);
  EXPECT_EQ(f.i32("switch", {Value::i32(2)}), 103);
  EXPECT_EQ(f.i32("switch", {Value::i32(3)}), 100);
  EXPECT_EQ(f.i32("switch", {Value::i32(1000)}), 100);
  EXPECT_EQ(f.i32("if", {Value::i32(1)}), 7);
  EXPECT_EQ(f.i32("if", {Value::i32(0)}), 9);
  auto r = f.call("multi");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].i32(), 1);
  EXPECT_EQ((*r)[1].i64(), 2);
  EXPECT_EQ((*r)[2].i32(), 3);
  r = f.call("swap", {Value::i32(1), Value::i32(2)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].i32(), 2);
  EXPECT_EQ((*r)[1].i32(), 1);
  EXPECT_EQ(f.i32("block_params"), -1);
  EXPECT_EQ(f.i32("tee_stack", {Value::i32(5)}), 5 - 99);
}

TEST(Interp, LoweringPeepholesRespectLabels) {
  // The constant that `end` writes into the block result must not be retargeted
  // into the local: the branch path arrives after it.
  Fixture f(R"((module
    (func (export "f") (param i32) (result i32) (local i32)
      (block (result i32)
        (br_if 0 (i32.const 7) (local.get 0))
        (drop)
        (i32.const -1))
      (local.set 1)
      (local.get 1))
    (func (export "cmp") (param i32 i32) (result i32)
      (if (result i32) (i32.lt_s (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 2))))
    (func (export "cmp_imm") (param i64) (result i32)
      (block (br_if 0 (i64.ge_u (local.get 0) (i64.const 10))) (return (i32.const 1)))
      (i32.const 0))
    (func (export "imm_left") (param i32) (result i32)
      (i32.sub (i32.const 10) (local.get 0)))
    (func (export "imm_comm") (param i32) (result i32)
      (i32.add (i32.const 10) (local.get 0)))))");
  EXPECT_EQ(f.i32("f", {Value::i32(1)}), 7);
  EXPECT_EQ(f.i32("f", {Value::i32(0)}), -1);
  EXPECT_EQ(f.i32("cmp", {Value::i32(-1), Value::i32(0)}), 1);
  EXPECT_EQ(f.i32("cmp", {Value::i32(0), Value::i32(-1)}), 2);
  EXPECT_EQ(f.i32("cmp_imm", {Value::i64(9)}), 1);
  EXPECT_EQ(f.i32("cmp_imm", {Value::i64(-1)}), 0);
  EXPECT_EQ(f.i32("imm_left", {Value::i32(3)}), 7);
  EXPECT_EQ(f.i32("imm_comm", {Value::i32(3)}), 13);
}

TEST(Interp, CallsRecursionAndExhaustion) {
  Fixture f(R"((module
    (func $fac (export "fac") (param i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
        (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
    (func $runaway (export "runaway") (call $runaway))
    (func $count (export "count") (param i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
        (else (return_call $count (i64.sub (local.get 0) (i64.const 1))))))
    (func $even (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
        (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
    (func $odd (export "odd") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (return_call $even (i32.sub (local.get 0) (i32.const 1))))))))");
  EXPECT_EQ(f.i64("fac", {Value::i64(20)}), 2432902008176640000LL);
  auto r = f.call("runaway");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
  EXPECT_EQ(r.error().message, "call stack exhausted");
  // Tail calls run in constant stack space: a million of them must not exhaust it.
  EXPECT_EQ(f.i64("count", {Value::i64(1000000)}), 0);
  EXPECT_EQ(f.i32("odd", {Value::i32(1000001)}), 1);
  // The interpreter is usable again after a trap.
  EXPECT_EQ(f.i64("fac", {Value::i64(5)}), 120);
}

TEST(Interp, MemoryAccessAndBounds) {
  Fixture f(R"((module
    (memory (export "mem") 1 3)
    (data (i32.const 8) "\01\02\03\04")
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "load8_s") (param i32) (result i32) (i32.load8_s offset=1 (local.get 0)))
    (func (export "store") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "size") (result i32) (memory.size))
    (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
    (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))))");
  EXPECT_EQ(f.i32("load", {Value::i32(8)}), 0x04030201);
  EXPECT_EQ(f.i32("load8_s", {Value::i32(-1 + 1)}), 0);
  EXPECT_EQ(f.trap("load", {Value::i32(65533)}), "out of bounds memory access");
  EXPECT_EQ(f.trap("load", {Value::i32(-1)}), "out of bounds memory access");
  ASSERT_TRUE(f.call("store", {Value::i32(65528), Value::i64(-2)}).ok());
  EXPECT_EQ(f.i32("load", {Value::i32(65528)}), -2);
  EXPECT_EQ(f.i32("grow", {Value::i32(1)}), 1);
  EXPECT_EQ(f.i32("size"), 2);
  EXPECT_EQ(f.i32("load", {Value::i32(65536 + 100)}), 0);
  EXPECT_EQ(f.i32("grow", {Value::i32(5)}), -1);
  ASSERT_TRUE(f.call("fill", {Value::i32(100), Value::i32(0xAB), Value::i32(4)}).ok());
  EXPECT_EQ(static_cast<uint32_t>(f.i32("load", {Value::i32(100)})), 0xABABABABu);
  ASSERT_TRUE(f.call("copy", {Value::i32(200), Value::i32(8), Value::i32(4)}).ok());
  EXPECT_EQ(f.i32("load", {Value::i32(200)}), 0x04030201);
  EXPECT_EQ(f.trap("fill", {Value::i32(131070), Value::i32(0), Value::i32(3)}),
            "out of bounds memory access");
}

TEST(Interp, TablesAndIndirectCalls) {
  Fixture f(R"((module
    (type $ii (func (param i32) (result i32)))
    (type $v (func))
    (table $t 4 funcref)
    (elem (table $t) (i32.const 0) func $inc $dec $nop)
    (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
    (func $dec (type $ii) (i32.sub (local.get 0) (i32.const 1)))
    (func $nop (type $v))
    (func (export "call") (param i32 i32) (result i32)
      (call_indirect $t (type $ii) (local.get 1) (local.get 0)))
    (func (export "size") (result i32) (table.size $t))
    (func (export "grow") (result i32) (table.grow $t (ref.null func) (i32.const 2)))
    (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
    (func (export "call_ref") (param i32) (result i32)
      (call_ref $ii (local.get 0) (ref.func $inc)))
    (func (export "call_null") (param i32) (result i32)
      (call_ref $ii (local.get 0) (ref.null $ii)))))");
  EXPECT_EQ(f.i32("call", {Value::i32(0), Value::i32(10)}), 11);
  EXPECT_EQ(f.i32("call", {Value::i32(1), Value::i32(10)}), 9);
  EXPECT_EQ(f.trap("call", {Value::i32(2), Value::i32(10)}), "indirect call type mismatch");
  EXPECT_EQ(f.trap("call", {Value::i32(3), Value::i32(10)}), "uninitialized element 3");
  EXPECT_EQ(f.trap("call", {Value::i32(4), Value::i32(10)}), "undefined element");
  EXPECT_EQ(f.i32("size"), 4);
  EXPECT_EQ(f.i32("grow"), 4);
  EXPECT_EQ(f.i32("size"), 6);
  EXPECT_EQ(f.i32("is_null", {Value::i32(0)}), 0);
  EXPECT_EQ(f.i32("is_null", {Value::i32(5)}), 1);
  EXPECT_EQ(f.trap("is_null", {Value::i32(6)}), "out of bounds table access");
  EXPECT_EQ(f.i32("call_ref", {Value::i32(41)}), 42);
  EXPECT_EQ(f.trap("call_null", {Value::i32(1)}), "null function reference");
}

TEST(Interp, GlobalsAndSelect) {
  Fixture f(R"((module
    (global $g (export "g") (mut i64) (i64.const 5))
    (global $c i32 (i32.add (i32.const 40) (i32.const 2)))
    (func (export "bump") (result i64)
      (global.set $g (i64.add (global.get $g) (i64.const 1))) (global.get $g))
    (func (export "c") (result i32) (global.get $c))
    (func (export "sel") (param i32) (result i32)
      (select (i32.const 10) (i32.const 20) (local.get 0)))))");
  EXPECT_EQ(f.i64("bump"), 6);
  EXPECT_EQ(f.i64("bump"), 7);
  auto g = f.inst.global("g");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->get().i64(), 7);
  ASSERT_TRUE(g->set(Value::i64(100)).ok());
  EXPECT_EQ(f.i64("bump"), 101);
  EXPECT_EQ(f.i32("c"), 42);
  EXPECT_EQ(f.i32("sel", {Value::i32(1)}), 10);
  EXPECT_EQ(f.i32("sel", {Value::i32(0)}), 20);
}

TEST(Interp, Simd) {
  Fixture f(R"((module
    (memory 1)
    (func (export "add") (param i32 i32) (result i32)
      (i32x4.extract_lane 2 (i32x4.add (i32x4.splat (local.get 0)) (i32x4.splat (local.get 1)))))
    (func (export "shuffle") (result i32)
      (i8x16.extract_lane_u 0
        (i8x16.shuffle 16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
          (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
          (v128.const i8x16 99 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))))
    (func (export "mem") (param i64) (result i64)
      (v128.store (i32.const 16) (i64x2.splat (local.get 0)))
      (i64x2.extract_lane 1 (v128.load (i32.const 16))))))");
  EXPECT_EQ(f.i32("add", {Value::i32(3), Value::i32(4)}), 7);
  EXPECT_EQ(f.i32("shuffle"), 99);
  EXPECT_EQ(f.i64("mem", {Value::i64(-77)}), -77);
}

TEST(Interp, Memory64AndMultiMemory) {
  Fixture f(R"((module
    (memory $a i64 1 4)
    (memory $b 1)
    (func (export "store64") (param i64 i32) (i32.store $a (local.get 0) (local.get 1)))
    (func (export "load64") (param i64) (result i32) (i32.load $a (local.get 0)))
    (func (export "grow64") (param i64) (result i64) (memory.grow $a (local.get 0)))
    (func (export "copy_ab") (param i32 i64 i32)
      (memory.copy $b $a (local.get 0) (local.get 1) (local.get 2)))
    (func (export "load_b") (param i32) (result i32) (i32.load $b offset=4 (local.get 0)))))");
  ASSERT_TRUE(f.call("store64", {Value::i64(65532), Value::i32(1234)}).ok());
  EXPECT_EQ(f.i32("load64", {Value::i64(65532)}), 1234);
  // A 64-bit address beyond 4 GiB is out of bounds, not wrapped.
  EXPECT_EQ(f.trap("load64", {Value::i64(int64_t{1} << 32)}), "out of bounds memory access");
  EXPECT_EQ(f.trap("load64", {Value::i64(-1)}), "out of bounds memory access");
  EXPECT_EQ(f.i64("grow64", {Value::i64(1)}), 1);
  EXPECT_EQ(f.i64("grow64", {Value::i64(10)}), -1);
  ASSERT_TRUE(f.call("copy_ab", {Value::i32(4), Value::i64(65532), Value::i32(4)}).ok());
  EXPECT_EQ(f.i32("load_b", {Value::i32(0)}), 1234);
  // Address + offset does not wrap around 2^32.
  EXPECT_EQ(f.trap("load_b", {Value::i32(-4)}), "out of bounds memory access");
  EXPECT_EQ(f.trap("load_b", {Value::i32(65532)}), "out of bounds memory access");
}

TEST(Interp, BulkTablesAndSegments) {
  Fixture f(R"((module
    (table $t 5 funcref)
    (func $a (result i32) (i32.const 1))
    (func $b (result i32) (i32.const 2))
    (elem $e func $a $b)
    (memory 1)
    (data $d "xyz")
    (func (export "init") (param i32) (table.init $t $e (local.get 0) (i32.const 0) (i32.const 2)))
    (func (export "drop") (elem.drop $e))
    (func (export "call") (param i32) (result i32) (call_indirect $t (result i32) (local.get 0)))
    (func (export "copy") (table.copy $t $t (i32.const 3) (i32.const 0) (i32.const 2)))
    (func (export "minit") (param i32) (memory.init $d (local.get 0) (i32.const 1) (i32.const 2)))
    (func (export "mdrop") (data.drop $d))
    (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))))");
  ASSERT_TRUE(f.call("init", {Value::i32(0)}).ok());
  EXPECT_EQ(f.i32("call", {Value::i32(1)}), 2);
  EXPECT_EQ(f.trap("init", {Value::i32(4)}), "out of bounds table access");
  ASSERT_TRUE(f.call("copy").ok());
  EXPECT_EQ(f.i32("call", {Value::i32(3)}), 1);
  EXPECT_EQ(f.i32("call", {Value::i32(4)}), 2);
  ASSERT_TRUE(f.call("drop").ok());
  // After elem.drop the segment is empty: a zero-length init still works, others trap.
  EXPECT_EQ(f.trap("init", {Value::i32(0)}), "out of bounds table access");
  ASSERT_TRUE(f.call("minit", {Value::i32(10)}).ok());
  EXPECT_EQ(f.i32("byte", {Value::i32(10)}), 'y');
  EXPECT_EQ(f.i32("byte", {Value::i32(11)}), 'z');
  ASSERT_TRUE(f.call("mdrop").ok());
  EXPECT_EQ(f.trap("minit", {Value::i32(10)}), "out of bounds memory access");
}

TEST(Interp, TrapBacktraceNamesFunctions) {
  Fixture f(R"((module
    (func $inner (unreachable))
    (func $outer (export "outer") (call $inner))))");
  auto r = f.call("outer");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().message, "unreachable");
  ASSERT_TRUE(r.error().trap);
  const auto& bt = r.error().trap->backtrace;
  ASSERT_EQ(bt.size(), 2u);
  EXPECT_EQ(bt[0].func_index, 0u);
  EXPECT_EQ(bt[0].func_name, "inner");
  EXPECT_EQ(bt[1].func_index, 1u);
  EXPECT_EQ(bt[1].func_name, "outer");
  EXPECT_GT(bt[0].offset, 0u);
}

}  // namespace
