// The interpreter's superinstructions (docs/interpreter.md) must behave exactly
// like the instruction sequences they replace, at the edges too: 32-bit address
// wrap-around, shift counts masked to 5 bits, branches on a wrapped result,
// traps reported at the access.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>

#include "wasmrun/wasmrun.h"
#include "wat_fixture.h"

using namespace wasmrun::api;

namespace {

using wasmrun::test::Fixture;

TEST(InterpSuperinstr, AddressAddendWrapsBeforeTheOffset) {
  Fixture f(R"((module (memory 1)
    (data (i32.const 0) "\01\02\03\04\05\06\07\08")
    (func (export "ld") (param i32) (result i32)
      (i32.load (i32.add (local.get 0) (i32.const 16))))
    (func (export "ld_sub") (param i32) (result i32)
      (i32.load8_u offset=2 (i32.sub (local.get 0) (i32.const 16))))
    (func (export "ld_off") (param i32) (result i32)
      (i32.load offset=65536 (i32.add (local.get 0) (i32.const 16))))
    (func (export "st") (param i32 i32)
      (i32.store16 offset=1 (i32.add (local.get 0) (i32.const -8)) (local.get 1)))
    (func (export "st_const") (param i32)
      (i64.store (i32.add (local.get 0) (i32.const 8)) (i64.const -1)))))");
  // (-16 + 16) wraps to 0: a 32-bit i32.add, not a 33-bit effective address.
  EXPECT_EQ(f.i32("ld", {Value::i32(-16)}), 0x04030201);
  EXPECT_EQ(f.i32("ld", {Value::i32(-14)}), 0x06050403);
  EXPECT_EQ(f.trap("ld", {Value::i32(65536 - 16 - 3)}), "out of bounds memory access");
  EXPECT_EQ(f.i32("ld", {Value::i32(65536 - 16 - 4)}), 0);
  EXPECT_EQ(f.i32("ld_sub", {Value::i32(16)}), 3);
  // (14 - 16) wraps to 2^32 - 2; the offset then carries past 2^32.
  EXPECT_EQ(f.trap("ld_sub", {Value::i32(14)}), "out of bounds memory access");
  // The offset is added after the wrap and does not wrap itself.
  EXPECT_EQ(f.trap("ld_off", {Value::i32(-16)}), "out of bounds memory access");
  ASSERT_TRUE(f.call("st", {Value::i32(8), Value::i32(0x0A0B)}).ok());
  EXPECT_EQ(f.i32("ld", {Value::i32(-16)}), 0x040A0B01);
  EXPECT_EQ(f.trap("st", {Value::i32(7), Value::i32(0x0C0D)}), "out of bounds memory access");
  EXPECT_EQ(f.trap("st", {Value::i32(65536 + 8 - 2), Value::i32(0)}),
            "out of bounds memory access");
  ASSERT_TRUE(f.call("st_const", {Value::i32(-8)}).ok());
  EXPECT_EQ(f.i32("ld", {Value::i32(-16)}), -1);
  EXPECT_EQ(f.trap("st_const", {Value::i32(65536 - 8 - 7)}), "out of bounds memory access");
}

TEST(InterpSuperinstr, FusedAccessTrapsAtTheAccess) {
  // Two modules with the same bytes up to the load / the unreachable: the fused
  // add+load must report the load's bytecode offset, not the add's.
  Fixture fused(R"((module (memory 1)
    (func (export "f") (param i32) (result i32)
      (local.get 0) (i32.const 4) (i32.add) (i32.load))))");
  Fixture plain(R"((module (memory 1)
    (func (export "f") (param i32) (result i32)
      (local.get 0) (i32.const 4) (i32.add) (unreachable))))");
  auto a = fused.call("f", {Value::i32(65536)});
  auto b = plain.call("f", {Value::i32(0)});
  ASSERT_FALSE(a.ok());
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(a.error().message, "out of bounds memory access");
  ASSERT_TRUE(a.error().trap && b.error().trap);
  ASSERT_EQ(a.error().trap->backtrace.size(), 1u);
  ASSERT_EQ(b.error().trap->backtrace.size(), 1u);
  EXPECT_EQ(a.error().trap->backtrace[0].offset, b.error().trap->backtrace[0].offset);
}

TEST(InterpSuperinstr, AddAndBranch) {
  Fixture f(R"((module
    (func (export "sum") (param i32) (result i32) (local i32)
      (block $done
        (br_if $done (i32.eqz (local.get 0)))
        (loop $l
          (local.set 1 (i32.add (local.get 1) (local.get 0)))
          (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
      (local.get 1))
    (func (export "if_add") (param i32) (result i32)
      (if (result i32) (i32.add (local.get 0) (i32.const 1))
        (then (i32.const 10)) (else (i32.const 20))))
    (func (export "br_out") (param i32) (result i32)
      (block (result i32)
        (drop (br_if 0 (i32.const 7) (i32.add (local.get 0) (i32.const -5))))
        (i32.const 8)))
    (func (export "count") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br_if $l (i32.add (local.get 0) (local.get 1))))
      (local.get 1))))");
  EXPECT_EQ(f.i32("sum", {Value::i32(0)}), 0);
  EXPECT_EQ(f.i32("sum", {Value::i32(10)}), 55);
  EXPECT_EQ(f.i32("if_add", {Value::i32(-1)}), 20);  // -1 + 1 wraps to 0
  EXPECT_EQ(f.i32("if_add", {Value::i32(0x7fffffff)}), 10);
  EXPECT_EQ(f.i32("br_out", {Value::i32(5)}), 8);
  EXPECT_EQ(f.i32("br_out", {Value::i32(6)}), 7);
  EXPECT_EQ(f.i32("count", {Value::i32(-3)}), 3);
}

TEST(InterpSuperinstr, ShiftAndAdd) {
  Fixture f(R"((module
    (func (export "a") (param i32 i32) (result i32)
      (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2))))
    (func (export "b") (param i32 i32) (result i32)
      (i32.add (i32.shl (local.get 1) (i32.const 33)) (local.get 0)))
    (func (export "c") (param i32) (result i32)
      (i32.add (i32.shl (local.get 0) (i32.const 31)) (i32.const 5)))))");
  EXPECT_EQ(f.i32("a", {Value::i32(100), Value::i32(3)}), 112);
  EXPECT_EQ(f.i32("a", {Value::i32(1), Value::i32(0x40000001)}), 5);  // wraps
  EXPECT_EQ(f.i32("b", {Value::i32(1), Value::i32(7)}), 15);          // 33 & 31 = 1
  EXPECT_EQ(f.i32("c", {Value::i32(3)}), static_cast<int32_t>(0x80000005u));
}

TEST(InterpSuperinstr, ShiftAndXor) {
  Fixture f(R"((module
    (func (export "xs") (param i32) (result i32)
      (local.set 0 (i32.xor (local.get 0) (i32.shl (local.get 0) (i32.const 13))))
      (local.set 0 (i32.xor (i32.shr_u (local.get 0) (i32.const 49)) (local.get 0)))
      (i32.xor (local.get 0) (i32.shl (local.get 0) (i32.const 5))))
    (func (export "as") (param i32 i32) (result i32)
      (i32.add (local.get 0) (i32.shr_u (local.get 1) (i32.const 4))))))");
  uint32_t x = 777;
  x ^= x << 13;
  x ^= x >> 17;  // 49 & 31
  x ^= x << 5;
  EXPECT_EQ(f.i32("xs", {Value::i32(777)}), static_cast<int32_t>(x));
  EXPECT_EQ(f.i32("as", {Value::i32(1), Value::i32(-1)}), 0x10000000);
}

TEST(InterpSuperinstr, ResultComputedIntoTheLabelSlot) {
  Fixture f(R"((module
    (func (export "ret") (param i32 i32) (result i32)
      (return (i32.mul (local.get 1) (local.get 0))))
    (func (export "blk") (param i32 i32) (result i32)
      (i32.add (i32.const 1)
        (block (result i32) (br 0 (i32.sub (local.get 0) (local.get 1))))))
    (func (export "loopset") (param i32) (result i32) (local i32 i32)
      (block $done
        (loop $l
          (local.set 2 (i32.add (local.get 2) (local.get 1)))
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
          (local.set 0 (local.get 0))
          (br $l)))
      (local.get 2))))");
  EXPECT_EQ(f.i32("ret", {Value::i32(6), Value::i32(7)}), 42);
  EXPECT_EQ(f.i32("blk", {Value::i32(10), Value::i32(3)}), 8);
  EXPECT_EQ(f.i32("loopset", {Value::i32(5)}), 10);
}

TEST(InterpSuperinstr, CompareAndBranchWithNaN) {
  Fixture f(R"((module
    (func (export "lt_br") (param f64 f64) (result i32)
      (block $b (br_if $b (f64.lt (local.get 0) (local.get 1))) (return (i32.const 0)))
      (i32.const 1))
    (func (export "not_lt_if") (param f64 f64) (result i32)
      (if (result i32) (i32.eqz (f64.lt (local.get 0) (local.get 1)))
        (then (i32.const 1)) (else (i32.const 0))))
    (func (export "ge_if") (param f32 f32) (result i32)
      (if (result i32) (f32.ge (local.get 0) (local.get 1))
        (then (i32.const 1)) (else (i32.const 0))))
    (func (export "not_ne_br") (param f32 f32) (result i32)
      (block $b (br_if $b (i32.eqz (f32.ne (local.get 0) (local.get 1))))
        (return (i32.const 0)))
      (i32.const 1))
    (func (export "not_lt_s_if") (param i32 i32) (result i32)
      (if (result i32) (i32.eqz (i32.lt_s (local.get 0) (local.get 1)))
        (then (i32.const 1)) (else (i32.const 0))))
    (func (export "eqz_value") (param f64 f64) (result i32)
      (i32.eqz (f64.gt (local.get 0) (local.get 1))))))");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const float nanf = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(f.i32("lt_br", {Value::f64(1), Value::f64(2)}), 1);
  EXPECT_EQ(f.i32("lt_br", {Value::f64(2), Value::f64(1)}), 0);
  EXPECT_EQ(f.i32("lt_br", {Value::f64(nan), Value::f64(1)}), 0);
  EXPECT_EQ(f.i32("not_lt_if", {Value::f64(1), Value::f64(2)}), 0);
  EXPECT_EQ(f.i32("not_lt_if", {Value::f64(2), Value::f64(2)}), 1);
  EXPECT_EQ(f.i32("not_lt_if", {Value::f64(1), Value::f64(nan)}), 1);  // not (a >= b)
  EXPECT_EQ(f.i32("ge_if", {Value::f32(2), Value::f32(2)}), 1);
  EXPECT_EQ(f.i32("ge_if", {Value::f32(nanf), Value::f32(2)}), 0);
  EXPECT_EQ(f.i32("not_ne_br", {Value::f32(3), Value::f32(3)}), 1);
  EXPECT_EQ(f.i32("not_ne_br", {Value::f32(nanf), Value::f32(nanf)}), 0);
  EXPECT_EQ(f.i32("not_lt_s_if", {Value::i32(-1), Value::i32(0)}), 0);
  EXPECT_EQ(f.i32("not_lt_s_if", {Value::i32(0), Value::i32(-1)}), 1);
  EXPECT_EQ(f.i32("eqz_value", {Value::f64(nan), Value::f64(0)}), 1);
  EXPECT_EQ(f.i32("eqz_value", {Value::f64(1), Value::f64(0)}), 0);
}

TEST(InterpSuperinstr, FloatMulAddRoundsTwice) {
  Fixture f(R"((module
    (func (export "ma") (param f64 f64 f64) (result f64)
      (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
    (func (export "am") (param f64 f64 f64) (result f64)
      (f64.add (local.get 2) (f64.mul (local.get 0) (local.get 1))))
    (func (export "ms") (param f64 f64 f64) (result f64)
      (f64.sub (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
    (func (export "sm") (param f32 f32 f32) (result f32)
      (f32.sub (local.get 2) (f32.mul (local.get 0) (local.get 1))))))");
  auto f64 = [&](std::string_view n, double a, double b, double c) {
    auto r = f.call(n, {Value::f64(a), Value::f64(b), Value::f64(c)});
    EXPECT_TRUE(r.ok());
    return r.ok() ? (*r)[0].f64() : 0.0;
  };
  // 0.1 * 10 rounds to exactly 1.0; with an FMA, 0.1*10 - 1 would be 2^-54.
  volatile double a = 0.1, b = 10, c = 1;
  double p = a * b;
  EXPECT_EQ(f64("ms", 0.1, 10, 1), p - c);
  EXPECT_EQ(f64("ms", 0.1, 10, 1), 0.0);
  EXPECT_EQ(f64("ma", 0.1, 10, -1), 0.0);
  EXPECT_EQ(f64("am", 0.1, 10, -1), 0.0);
  EXPECT_EQ(f64("am", 3, 4, 5), 17.0);
  auto r = f.call("sm", {Value::f32(2), Value::f32(3), Value::f32(10)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].f32(), 4.0f);
}

TEST(InterpSuperinstr, SmallMemoryCopyAndFillOverlap) {
  Fixture f(R"((module (memory 1)
    (func (export "init") (local i32)
      (loop $l
        (i32.store8 (local.get 0) (local.get 0))
        (br_if $l (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1)))
                            (i32.const 128)))))
    (func (export "copy") (param i32 i32 i32)
      (memory.copy (local.get 0) (local.get 1) (local.get 2)))
    (func (export "fill") (param i32 i32 i32)
      (memory.fill (local.get 0) (local.get 1) (local.get 2)))
    (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))))");
  auto check = [&](const uint8_t* want, const char* what, int n, int off) {
    for (int i = 0; i < 128; ++i)
      ASSERT_EQ(f.i32("byte", {Value::i32(i)}), want[i]) << what << " n=" << n << " off=" << off;
  };
  // Destinations and sources stay inside the 128 bytes checked: kBase + 40 + 40 <= 128.
  constexpr int kBase = 40;
  for (int n = 0; n <= 40; ++n) {
    for (int off : {-9, -5, -1, 1, 3, 8, 17, 40}) {
      uint8_t want[128];
      for (int i = 0; i < 128; ++i) want[i] = static_cast<uint8_t>(i);
      ASSERT_TRUE(f.call("init").ok());
      std::memmove(want + kBase + off, want + kBase, n);
      ASSERT_TRUE(f.call("copy", {Value::i32(kBase + off), Value::i32(kBase), Value::i32(n)}).ok());
      check(want, "copy", n, off);
      std::memset(want + kBase + off, 0xA5, n);
      ASSERT_TRUE(f.call("fill", {Value::i32(kBase + off), Value::i32(0x7A5), Value::i32(n)}).ok());
      check(want, "fill", n, off);
    }
  }
  EXPECT_EQ(f.trap("copy", {Value::i32(65536 - 8), Value::i32(0), Value::i32(9)}),
            "out of bounds memory access");
  EXPECT_EQ(f.trap("copy", {Value::i32(0), Value::i32(65536 - 8), Value::i32(9)}),
            "out of bounds memory access");
  EXPECT_EQ(f.trap("copy", {Value::i32(0), Value::i32(-1), Value::i32(1)}),
            "out of bounds memory access");
  EXPECT_TRUE(f.call("copy", {Value::i32(65536), Value::i32(65536), Value::i32(0)}).ok());
  EXPECT_EQ(f.trap("fill", {Value::i32(65536 - 8), Value::i32(0), Value::i32(9)}),
            "out of bounds memory access");
  EXPECT_EQ(f.trap("fill", {Value::i32(65537), Value::i32(0), Value::i32(0)}),
            "out of bounds memory access");
}

}  // namespace
