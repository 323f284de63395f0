// Regression tests for bugs found in the baseline tier by the differential fuzzer
// (fuzz_diff_test.cc) and the sanitizer runs, one test per bug.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "jit/baseline/baseline.h"
#include "jit/baseline/traps.h"
#include "wasmrun/wasmrun.h"

using namespace wasmrun::api;

namespace {

// UBSan's -fsanitize=function reads the 8 bytes before the target of every
// indirect call made from C++ (baseline_invoke calling a function's entry). The
// first function compiled used to start at the arena's first byte, right after
// an unmapped page: a SEGV in baseline_invoke in every ASan+UBSan run. Each test
// runs in its own process under ctest, so this is the process's first allocation.
TEST(BaselineRegression, CodeIsPrecededByReadableArenaBytes) {
  for (int i = 0; i < 3; ++i) {
    auto* code = static_cast<uint8_t*>(wasmrun::jit::alloc_code(16));
    ASSERT_NE(code, nullptr);
    EXPECT_TRUE(wasmrun::jit::in_jit_code(reinterpret_cast<uintptr_t>(code) - 8));
  }
}

// min/max with two NaN operands returned `a + b`, and in the ASan+UBSan build the
// compiler swapped that commutative add in the interpreter's f32.max/f64.max
// handlers: the interpreter kept the second NaN, the JIT's helper the first. Both
// tiers now give the first NaN operand, quieted, in every build.
TEST(BaselineRegression, MinMaxOfTwoNaNsKeepsTheFirstQuieted) {
  const char* wat = R"((module
    (func (export "f32.min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
    (func (export "f32.max") (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
    (func (export "f64.min") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
    (func (export "f64.max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))))";
  for (Tier tier : {Tier::Interpreter, Tier::Baseline}) {
    EngineConfig cfg;
    cfg.tier = tier;
    Engine engine(cfg);
    Store store(engine);
    Linker linker(engine);
    auto m = Module::compile(engine, wat);
    ASSERT_TRUE(m.ok());
    auto inst = linker.instantiate(store, *m);
    ASSERT_TRUE(inst.ok());
    if (tier == Tier::Baseline) EXPECT_EQ(wasmrun::jit::compile_all_for_testing(inst->get()), 0u);
    for (const char* op : {"f32.min", "f32.max"}) {
      // Signalling NaN first, quiet NaN second, and the other way round.
      auto r = inst->func(op)->call({Value::f32_bits(0x7fa00001), Value::f32_bits(0xffc00002)});
      ASSERT_TRUE(r.ok());
      EXPECT_EQ((*r)[0].f32_bits(), 0x7fe00001u) << op;
      r = inst->func(op)->call({Value::f32_bits(0xffc00002), Value::f32_bits(0x7fa00001)});
      ASSERT_TRUE(r.ok());
      EXPECT_EQ((*r)[0].f32_bits(), 0xffc00002u) << op;
      r = inst->func(op)->call({Value::f32_bits(0x3f800000), Value::f32_bits(0x7fa00001)});
      ASSERT_TRUE(r.ok());
      EXPECT_EQ((*r)[0].f32_bits(), 0x7fe00001u) << op;
    }
    for (const char* op : {"f64.min", "f64.max"}) {
      auto r = inst->func(op)->call(
          {Value::f64_bits(0x7ff4000000000001ull), Value::f64_bits(0xfff8000000000002ull)});
      ASSERT_TRUE(r.ok());
      EXPECT_EQ((*r)[0].f64_bits(), 0x7ffc000000000001ull) << op;
      r = inst->func(op)->call(
          {Value::f64_bits(0xfff8000000000002ull), Value::f64_bits(0x7ff4000000000001ull)});
      ASSERT_TRUE(r.ok());
      EXPECT_EQ((*r)[0].f64_bits(), 0xfff8000000000002ull) << op;
    }
  }
}

// `return_call` read the top of the value stack (which only the indirect forms
// use) even when the stack was empty: a heap-buffer-overflow in the compiler
// that ASan caught on a fuzzer module.
TEST(BaselineRegression, ReturnCallWithAnEmptyValueStack) {
  EngineConfig cfg;
  cfg.tier = Tier::Baseline;
  Engine engine(cfg);
  Store store(engine);
  Linker linker(engine);
  auto m = Module::compile(engine, R"((module
    (func $seven (result i32) (i32.const 7))
    (func (export "f") (result i32) (return_call $seven))))");
  ASSERT_TRUE(m.ok());
  auto inst = linker.instantiate(store, *m);
  ASSERT_TRUE(inst.ok());
  EXPECT_EQ(wasmrun::jit::compile_all_for_testing(inst->get()), 0u);
  auto r = inst->func("f")->call({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].i32(), 7);
}

// The interpreter fuses `f32/f64.mul` into a following add (superinstructions);
// the compiler commuted the fused handler's `c + a*b`, so with NaNs on both sides
// the interpreter kept the product's payload where the JIT's addss (and the
// unfused interpreter) keep the first operand's. Found by FuzzDiff's arguments.
TEST(BaselineRegression, FusedMulAddKeepsWasmOperandOrderForNaNs) {
  const char* wat = R"((module
    (func (export "add_mul32") (param f32 f32 f32) (result f32)
      (f32.add (local.get 2) (f32.mul (local.get 0) (local.get 1))))
    (func (export "mul_add32") (param f32 f32 f32) (result f32)
      (f32.add (f32.mul (local.get 0) (local.get 1)) (local.get 2)))
    (func (export "add_mul64") (param f64 f64 f64) (result f64)
      (f64.add (local.get 2) (f64.mul (local.get 0) (local.get 1))))
    (func (export "mul_add64") (param f64 f64 f64) (result f64)
      (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2)))))";
  const uint32_t n1 = 0x7fa00001, n2 = 0xffc00002, n3 = 0x7f800003;  // n1, n3 signalling; n2 quiet
  const uint64_t d1 = 0x7ff4000000000001ull, d2 = 0xfff8000000000002ull, d3 = 0x7ff0000000000003ull;
  for (Tier tier : {Tier::Interpreter, Tier::Baseline}) {
    EngineConfig cfg;
    cfg.tier = tier;
    Engine engine(cfg);
    Store store(engine);
    Linker linker(engine);
    auto m = Module::compile(engine, wat);
    ASSERT_TRUE(m.ok());
    auto inst = linker.instantiate(store, *m);
    ASSERT_TRUE(inst.ok());
    if (tier == Tier::Baseline) EXPECT_EQ(wasmrun::jit::compile_all_for_testing(inst->get()), 0u);
    auto f32 = [&](const char* name, uint32_t a, uint32_t b, uint32_t c) {
      auto r = inst->func(name)->call({Value::f32_bits(a), Value::f32_bits(b), Value::f32_bits(c)});
      EXPECT_TRUE(r.ok());
      return r.ok() ? (*r)[0].f32_bits() : 0u;
    };
    auto f64 = [&](const char* name, uint64_t a, uint64_t b, uint64_t c) {
      auto r = inst->func(name)->call({Value::f64_bits(a), Value::f64_bits(b), Value::f64_bits(c)});
      EXPECT_TRUE(r.ok());
      return r.ok() ? (*r)[0].f64_bits() : 0ull;
    };
    // Product a*b is the quieted first NaN of (a, b); the add keeps the first of
    // its own two operands in wasm order.
    EXPECT_EQ(f32("add_mul32", n1, n2, n3), 0x7fc00003u);
    EXPECT_EQ(f32("add_mul32", n2, n1, 0x3f800000), n2);
    EXPECT_EQ(f32("mul_add32", n1, n2, n3), 0x7fe00001u);
    EXPECT_EQ(f32("mul_add32", 0x3f800000, n1, n2), 0x7fe00001u);
    EXPECT_EQ(f64("add_mul64", d1, d2, d3), 0x7ff8000000000003ull);
    EXPECT_EQ(f64("mul_add64", d1, d2, d3), 0x7ffc000000000001ull);
    EXPECT_EQ(f64("mul_add64", d2, d1, d3), d2);
  }
}

}  // namespace
