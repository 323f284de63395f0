// The baseline tier's inline SIMD expansions (jit/baseline/compile_simd.inc)
// against the interpreter, bit for bit, at edge values: saturation bounds,
// shuffle and swizzle indices (>= 16 included), narrowing limits, every lane
// index, NaN payloads for the float ops that are inline, and memory forms at
// the end of memory. Each operation runs with its operands in registers and in
// home slots (a multi-value block leaves them there), which are different code
// paths with AVX. ctest also runs these tests at every lower ISA level
// (WASMRUN_JIT_ISA, tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "jit/baseline/baseline.h"
#include "jit/baseline/isa.h"
#include "wasmrun/trap.h"
#include "wasmrun/wasmrun.h"

using namespace wasmrun::api;

namespace {

EngineConfig config(Tier t) {
  EngineConfig c;
  c.tier = t;
  return c;
}

/// One module instantiated in the interpreter and in the baseline tier.
struct Both {
  Engine ie{config(Tier::Interpreter)}, je{config(Tier::Baseline)};
  Store is{ie}, js{je};
  Linker il{ie}, jl{je};
  Instance ii, ji;
  uint32_t fallbacks = 0;
  uint64_t calls = 0;

  explicit Both(const std::string& wat) {
    auto im = Module::compile(ie, wat);
    auto jm = Module::compile(je, wat);
    if (!im.ok() || !jm.ok()) {
      ADD_FAILURE() << "compile: " << (im.ok() ? jm.error() : im.error()).to_string();
      return;
    }
    auto a = il.instantiate(is, *im);
    auto b = jl.instantiate(js, *jm);
    if (!a.ok() || !b.ok()) {
      ADD_FAILURE() << "instantiate failed";
      return;
    }
    ii = *a;
    ji = *b;
    fallbacks = wasmrun::jit::compile_all_for_testing(ji.get());
  }

  /// Calls `name` in both tiers; results (raw bits) or trap messages must agree.
  void same(const std::string& name, const std::vector<Value>& args, const std::string& what) {
    ++calls;
    auto a = ii.func(name)->call(args);
    auto b = ji.func(name)->call(args);
    ASSERT_EQ(a.ok(), b.ok()) << name << " " << what << ": "
                              << (a.ok() ? b.error().to_string() : a.error().to_string());
    if (!a.ok()) {
      EXPECT_EQ(a.error().message, b.error().message) << name << " " << what;
      // A guard-page fault reports the faulting access's offset, as the
      // interpreter's bounds check does.
      const auto& ta = a.error().trap;
      const auto& tb = b.error().trap;
      ASSERT_TRUE(ta && tb) << name << " " << what;
      ASSERT_FALSE(ta->backtrace.empty() || tb->backtrace.empty()) << name << " " << what;
      EXPECT_EQ(ta->backtrace[0].offset, tb->backtrace[0].offset) << name << " " << what;
      return;
    }
    ASSERT_EQ(a->size(), b->size());
    for (size_t i = 0; i < a->size(); ++i) {
      uint64_t ra[2] = {0, 0}, rb[2] = {0, 0};
      (*a)[i].to_raw(ra);
      (*b)[i].to_raw(rb);
      EXPECT_EQ(ra[0], rb[0]) << name << " " << what << " result " << i;
      EXPECT_EQ(ra[1], rb[1]) << name << " " << what << " result " << i;
    }
  }
};

V128 bytes(std::initializer_list<int> b) {
  V128 v{};
  size_t i = 0;
  for (int x : b) v.bytes[i++] = static_cast<uint8_t>(x);
  return v;
}
template <class T>
V128 lanes(std::initializer_list<T> l) {
  V128 v{};
  size_t i = 0;
  for (T x : l) std::memcpy(v.bytes + sizeof(T) * i++, &x, sizeof(T));
  return v;
}
template <class T>
V128 splat(T x) {
  V128 v{};
  for (size_t i = 0; i < 16; i += sizeof(T)) std::memcpy(v.bytes + i, &x, sizeof(T));
  return v;
}

/// Edge vectors: lane bounds of every width, swizzle indices around 16 and
/// with the top bit set, float specials (NaNs with payloads, zeros, infinities).
std::vector<V128> corpus() {
  std::vector<V128> c = {
      splat<uint8_t>(0),
      splat<uint8_t>(0xFF),
      splat<uint8_t>(0x80),
      splat<uint8_t>(0x7F),
      bytes({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}),
      bytes({15, 16, 17, 31, 32, 0x70, 0x7F, 0x80, 0x8F, 0xF0, 0xFF, 1, 0x0F, 0x10, 0x11, 0xEF}),
      lanes<uint16_t>({0x8000, 0x7FFF, 0xFFFF, 0x0001, 0x0080, 0x00FF, 0xFF80, 0x0100}),
      lanes<uint16_t>({0x8000, 0x8000, 0x7FFF, 0x8001, 0xFFFF, 0, 0x4000, 0xC000}),
      lanes<uint32_t>({0x80000000u, 0x7FFFFFFFu, 0xFFFFFFFFu, 0x00010000u}),
      lanes<uint32_t>({0x0000FFFFu, 0xFFFF8000u, 0x00007FFFu, 0x00008000u}),
      lanes<uint64_t>({0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull}),
      lanes<uint64_t>({0xFFFFFFFFFFFFFFFFull, 1}),
      // f32: quiet NaN with payload, signalling NaN, -0, +inf; then 1, -1, -inf, 2.
      lanes<uint32_t>({0x7FC00001u, 0xFFA00002u, 0x80000000u, 0x7F800000u}),
      lanes<uint32_t>({0x3F800000u, 0xBF800000u, 0xFF800000u, 0x40000000u}),
      // f64: NaN with payload, signalling NaN; then -0, 4.
      lanes<uint64_t>({0x7FF8000000000003ull, 0xFFF4000000000004ull}),
      lanes<uint64_t>({0x8000000000000000ull, 0x4010000000000000ull}),
      // The same NaNs in other lanes, so two different NaNs meet: +0, -inf.
      lanes<uint32_t>({0xFFA00002u, 0x7FC00001u, 0x00000000u, 0xFF800000u}),
      lanes<uint64_t>({0xFFF4000000000004ull, 0x7FF8000000000003ull}),
  };
  uint64_t s = 0x9E3779B97F4A7C15ull;  // a few fixed pseudo-random vectors
  for (int i = 0; i < 4; ++i) {
    V128 v{};
    for (uint8_t& b : v.bytes) {
      s ^= s << 13, s ^= s >> 7, s ^= s << 17;
      b = static_cast<uint8_t>(s);
    }
    c.push_back(v);
  }
  return c;
}

std::string hex(const V128& v) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (uint8_t b : v.bytes) s += {d[b >> 4], d[b & 15]};
  return s;
}

// Every (v128, v128) -> v128 instruction with an inline expansion at some level.
const char* kBinaryOps[] = {
    "v128.and", "v128.or", "v128.xor", "v128.andnot", "i8x16.add", "i8x16.sub", "i8x16.add_sat_s",
    "i8x16.add_sat_u", "i8x16.sub_sat_s", "i8x16.sub_sat_u", "i8x16.min_s", "i8x16.min_u",
    "i8x16.max_s", "i8x16.max_u", "i8x16.avgr_u", "i8x16.narrow_i16x8_s", "i8x16.narrow_i16x8_u",
    "i16x8.add", "i16x8.sub", "i16x8.mul", "i16x8.add_sat_s", "i16x8.add_sat_u", "i16x8.sub_sat_s",
    "i16x8.sub_sat_u", "i16x8.min_s", "i16x8.min_u", "i16x8.max_s", "i16x8.max_u", "i16x8.avgr_u",
    "i16x8.narrow_i32x4_s", "i16x8.narrow_i32x4_u", "i16x8.q15mulr_sat_s",
    "i16x8.relaxed_q15mulr_s", "i32x4.add", "i32x4.sub", "i32x4.mul", "i32x4.min_s", "i32x4.min_u",
    "i32x4.max_s", "i32x4.max_u", "i32x4.dot_i16x8_s", "i64x2.add", "i64x2.sub", "f32x4.sub",
    "f32x4.div", "f64x2.sub", "f64x2.div", "f32x4.min", "f32x4.max", "f64x2.min", "f64x2.max",
    "f32x4.relaxed_min", "f32x4.relaxed_max", "f64x2.relaxed_min", "f64x2.relaxed_max",
    "f32x4.pmin", "f32x4.pmax", "f64x2.pmin", "f64x2.pmax", "i8x16.swizzle",
    "i8x16.relaxed_swizzle",
    // compares
    "i8x16.eq", "i8x16.ne", "i8x16.lt_s", "i8x16.lt_u", "i8x16.gt_s", "i8x16.gt_u", "i8x16.le_s",
    "i8x16.le_u", "i8x16.ge_s", "i8x16.ge_u", "i16x8.eq", "i16x8.ne", "i16x8.lt_s", "i16x8.lt_u",
    "i16x8.gt_s", "i16x8.gt_u", "i16x8.le_s", "i16x8.le_u", "i16x8.ge_s", "i16x8.ge_u", "i32x4.eq",
    "i32x4.ne", "i32x4.lt_s", "i32x4.lt_u", "i32x4.gt_s", "i32x4.gt_u", "i32x4.le_s", "i32x4.le_u",
    "i32x4.ge_s", "i32x4.ge_u", "i64x2.eq", "i64x2.ne", "i64x2.lt_s", "i64x2.gt_s", "i64x2.le_s",
    "i64x2.ge_s", "f32x4.eq", "f32x4.ne", "f32x4.lt", "f32x4.gt", "f32x4.le", "f32x4.ge",
    "f64x2.eq", "f64x2.ne", "f64x2.lt", "f64x2.gt", "f64x2.le", "f64x2.ge"};

const char* kUnaryOps[] = {"v128.not",
                           "i8x16.abs",
                           "i16x8.abs",
                           "i32x4.abs",
                           "i64x2.abs",
                           "i8x16.neg",
                           "i16x8.neg",
                           "i32x4.neg",
                           "i64x2.neg",
                           "f32x4.abs",
                           "f32x4.neg",
                           "f64x2.abs",
                           "f64x2.neg",
                           "f32x4.sqrt",
                           "f64x2.sqrt",
                           "i16x8.extend_low_i8x16_s",
                           "i16x8.extend_high_i8x16_s",
                           "i16x8.extend_low_i8x16_u",
                           "i16x8.extend_high_i8x16_u",
                           "i32x4.extend_low_i16x8_s",
                           "i32x4.extend_high_i16x8_s",
                           "i32x4.extend_low_i16x8_u",
                           "i32x4.extend_high_i16x8_u",
                           "i64x2.extend_low_i32x4_s",
                           "i64x2.extend_high_i32x4_s",
                           "i64x2.extend_low_i32x4_u",
                           "i64x2.extend_high_i32x4_u",
                           "i8x16.popcnt",
                           "i16x8.extadd_pairwise_i8x16_s",
                           "i16x8.extadd_pairwise_i8x16_u",
                           "i32x4.extadd_pairwise_i16x8_s",
                           "i32x4.extadd_pairwise_i16x8_u",
                           "f32x4.convert_i32x4_s",
                           "f64x2.convert_low_i32x4_s"};

const char* kTestOps[] = {"v128.any_true",  "i8x16.all_true", "i16x8.all_true",
                          "i32x4.all_true", "i64x2.all_true", "i8x16.bitmask",
                          "i16x8.bitmask",  "i32x4.bitmask",  "i64x2.bitmask"};

const char* kTernaryOps[] = {"v128.bitselect", "i8x16.relaxed_laneselect",
                             "i16x8.relaxed_laneselect", "i32x4.relaxed_laneselect",
                             "i64x2.relaxed_laneselect"};

Value v(const V128& x) { return Value::v128(x); }

TEST(SimdInline, BinaryOpsAndComparesMatchTheInterpreter) {
  std::string wat = "(module\n";
  for (const char* op : kBinaryOps) {
    // Operands in registers, and in home slots (left there by the block).
    wat += std::string("(func (export \"r ") + op + "\") (param v128 v128) (result v128) (" + op +
           " (local.get 0) (local.get 1)))\n";
    wat += std::string("(func (export \"m ") + op + "\") (param v128 v128) (result v128) (" + op +
           " (block (result v128 v128) (local.get 0) (local.get 1))))\n";
    // One operand a constant, the other spilled.
    wat += std::string("(func (export \"k ") + op + "\") (param v128) (result v128) (" + op +
           " (block (result v128) (local.get 0)) (v128.const i32x4 0x80007fff 0x10 0xffffff00 "
           "0x7f80ff01)))\n";
  }
  wat += ")";
  Both t(wat);
  EXPECT_EQ(t.fallbacks, 0u);
  std::vector<V128> c = corpus();
  for (const char* op : kBinaryOps)
    for (const V128& x : c) {
      t.same(std::string("k ") + op, {v(x)}, hex(x));
      for (const V128& y : c) {
        t.same(std::string("r ") + op, {v(x), v(y)}, hex(x) + " " + hex(y));
        t.same(std::string("m ") + op, {v(x), v(y)}, hex(x) + " " + hex(y));
      }
    }
  EXPECT_GT(t.calls, 10000u);
}

TEST(SimdInline, UnaryTernaryAndTestsMatchTheInterpreter) {
  std::string wat = "(module\n";
  for (const char* op : kUnaryOps) {
    wat += std::string("(func (export \"") + op + "\") (param v128) (result v128) (" + op +
           " (local.get 0)))\n";
    wat += std::string("(func (export \"m ") + op + "\") (param v128) (result v128) (" + op +
           " (block (result v128) (local.get 0))))\n";
  }
  for (const char* op : kTestOps) {
    wat += std::string("(func (export \"") + op + "\") (param v128) (result i32) (" + op +
           " (local.get 0)))\n";
    // Used as a branch condition (the flags are consumed directly).
    wat += std::string("(func (export \"br ") + op + "\") (param v128) (result i32) (if (result " +
           "i32) (" + op + " (local.get 0)) (then (i32.const 7)) (else (i32.const 9))))\n";
  }
  for (const char* op : kTernaryOps) {
    wat += std::string("(func (export \"") + op + "\") (param v128 v128 v128) (result v128) (" +
           op + " (local.get 0) (local.get 1) (local.get 2)))\n";
    wat += std::string("(func (export \"m ") + op + "\") (param v128 v128 v128) (result v128) (" +
           op + " (block (result v128 v128 v128) (local.get 0) (local.get 1) (local.get 2))))\n";
  }
  wat += ")";
  Both t(wat);
  EXPECT_EQ(t.fallbacks, 0u);
  std::vector<V128> c = corpus();
  // all_true needs vectors without zero lanes at each width to say 1.
  c.push_back(splat<uint8_t>(1));
  c.push_back(splat<uint16_t>(0x0100));
  c.push_back(lanes<uint32_t>({0x00010000u, 1, 0x80000000u, 0x100}));
  for (const V128& x : c) {
    for (const char* op : kUnaryOps) {
      t.same(op, {v(x)}, hex(x));
      t.same(std::string("m ") + op, {v(x)}, hex(x));
    }
    for (const char* op : kTestOps) {
      t.same(op, {v(x)}, hex(x));
      t.same(std::string("br ") + op, {v(x)}, hex(x));
    }
    for (const char* op : kTernaryOps)
      for (const V128& y : c) {
        const V128& z = c[(&y - c.data() + 5) % c.size()];
        t.same(op, {v(x), v(y), v(z)}, hex(x) + " " + hex(y) + " " + hex(z));
        t.same(std::string("m ") + op, {v(x), v(y), v(z)}, hex(x) + " " + hex(y));
      }
  }
}

TEST(SimdInline, ShiftsMatchTheInterpreter) {
  const char* ops[] = {"i8x16.shl",   "i8x16.shr_s", "i8x16.shr_u", "i16x8.shl",
                       "i16x8.shr_s", "i16x8.shr_u", "i32x4.shl",   "i32x4.shr_s",
                       "i32x4.shr_u", "i64x2.shl",   "i64x2.shr_s", "i64x2.shr_u"};
  int counts[] = {0, 1, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, -1};
  std::string wat = "(module\n";
  for (const char* op : ops) {
    wat += std::string("(func (export \"") + op + "\") (param v128 i32) (result v128) (" + op +
           " (local.get 0) (local.get 1)))\n";
    for (int k : counts)
      wat += std::string("(func (export \"") + op + " " + std::to_string(k) +
             "\") (param v128) (result v128) (" + op + " (local.get 0) (i32.const " +
             std::to_string(k) + ")))\n";
  }
  wat += ")";
  Both t(wat);
  EXPECT_EQ(t.fallbacks, 0u);
  for (const V128& x : corpus())
    for (const char* op : ops)
      for (int k : counts) {
        t.same(op, {v(x), Value::i32(k)}, hex(x) + " by " + std::to_string(k));
        t.same(std::string(op) + " " + std::to_string(k), {v(x)}, hex(x));
      }
}

TEST(SimdInline, ShufflesMatchTheInterpreter) {
  const char* patterns[] = {
      "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",            // a
      "16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31",  // b
      "15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0",            // a reversed
      "0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23",          // interleave
      "31 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31",  // broadcast b's top lane
      "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
      "3 30 7 16 15 0 31 8 19 22 1 2 27 14 13 24",  // mixed
  };
  std::string wat = "(module\n";
  int i = 0;
  for (const char* p : patterns) {
    wat += "(func (export \"s" + std::to_string(i) +
           "\") (param v128 v128) (result v128) (i8x16.shuffle " + p +
           " (local.get 0) (local.get 1)))\n";
    wat += "(func (export \"m" + std::to_string(i++) +
           "\") (param v128 v128) (result v128) (i8x16.shuffle " + p +
           " (block (result v128 v128) (local.get 0) (local.get 1))))\n";
  }
  wat += ")";
  Both t(wat);
  EXPECT_EQ(t.fallbacks, 0u);
  std::vector<V128> c = corpus();
  for (int k = 0; k < i; ++k)
    for (const V128& x : c)
      for (const V128& y : c) {
        t.same("s" + std::to_string(k), {v(x), v(y)}, hex(x) + " " + hex(y));
        t.same("m" + std::to_string(k), {v(x), v(y)}, hex(x) + " " + hex(y));
      }
}

TEST(SimdInline, LanesAndSplatsMatchTheInterpreter) {
  struct Shape {
    const char* name;
    int lanes;
    const char* scalar;
    const char* extract[2];
  };
  Shape shapes[] = {{"i8x16", 16, "i32", {"extract_lane_s", "extract_lane_u"}},
                    {"i16x8", 8, "i32", {"extract_lane_s", "extract_lane_u"}},
                    {"i32x4", 4, "i32", {"extract_lane", nullptr}},
                    {"i64x2", 2, "i64", {"extract_lane", nullptr}},
                    {"f32x4", 4, "f32", {"extract_lane", nullptr}},
                    {"f64x2", 2, "f64", {"extract_lane", nullptr}}};
  std::string wat = "(module\n";
  for (const Shape& s : shapes) {
    std::string n = s.name;
    wat += "(func (export \"" + n + ".splat\") (param " + s.scalar + ") (result v128) (" + n +
           ".splat (local.get 0)))\n";
    wat += "(func (export \"m " + n + ".splat\") (param " + s.scalar + ") (result v128) (" + n +
           ".splat (block (result " + s.scalar + ") (local.get 0))))\n";
    for (int l = 0; l < s.lanes; ++l) {
      std::string L = std::to_string(l);
      for (const char* e : s.extract)
        if (e)
          wat += "(func (export \"" + n + "." + e + " " + L + "\") (param v128) (result " +
                 s.scalar + ") (" + n + "." + e + " " + L + " (local.get 0)))\n";
      wat += "(func (export \"" + n + ".replace_lane " + L + "\") (param v128 " + s.scalar +
             ") (result v128) (" + n + ".replace_lane " + L + " (local.get 0) (local.get 1)))\n";
    }
  }
  wat += ")";
  Both t(wat);
  EXPECT_EQ(t.fallbacks, 0u);
  std::vector<V128> c = corpus();
  auto scalars = [](const char* type) -> std::vector<Value> {
    std::string ty = type;
    if (ty == "i32")
      return {Value::i32(0),    Value::i32(-1),         Value::i32(0x80),
              Value::i32(0x7F), Value::i32(0x12348765), Value::i32(INT32_MIN)};
    if (ty == "i64")
      return {Value::i64(0), Value::i64(-1), Value::i64(INT64_MIN),
              Value::i64(0x123456789ABCDEFll)};
    if (ty == "f32")
      return {Value::f32_bits(0x7FC00001u), Value::f32_bits(0xFFA00002u),
              Value::f32_bits(0x80000000u), Value::f32_bits(0x3F800000u)};
    return {Value::f64_bits(0x7FF8000000000003ull), Value::f64_bits(0xFFF4000000000004ull),
            Value::f64_bits(0x8000000000000000ull), Value::f64_bits(0x3FF0000000000000ull)};
  };
  for (const Shape& s : shapes) {
    std::string n = s.name;
    for (const Value& k : scalars(s.scalar)) {
      t.same(n + ".splat", {k}, "");
      t.same("m " + n + ".splat", {k}, "");
    }
    for (int l = 0; l < s.lanes; ++l) {
      std::string L = std::to_string(l);
      for (const V128& x : c) {
        for (const char* e : s.extract)
          if (e) t.same(n + "." + e + " " + L, {v(x)}, hex(x));
        for (const Value& k : scalars(s.scalar))
          t.same(n + ".replace_lane " + L, {v(x), k}, hex(x));
      }
    }
  }
}

TEST(SimdInline, MemoryFormsMatchTheInterpreterAndTrapAtTheEnd) {
  const char* loads[] = {"v128.load8x8_s",    "v128.load8x8_u",    "v128.load16x4_s",
                         "v128.load16x4_u",   "v128.load32x2_s",   "v128.load32x2_u",
                         "v128.load8_splat",  "v128.load16_splat", "v128.load32_splat",
                         "v128.load64_splat", "v128.load32_zero",  "v128.load64_zero"};
  std::string wat =
      "(module (memory 1)\n"
      "(data (i32.const 0) \"\\80\\7f\\ff\\01\\00\\80\\fe\\7f\\12\\34\\56\\78\\9a\\bc\\de\\f0"
      "\\81\\82\\83\\84\\85\\86\\87\\88\\89\\8a\\8b\\8c\\8d\\8e\\8f\\90\")\n"
      "(data (i32.const 65520) "
      "\"\\01\\02\\03\\04\\05\\06\\07\\08\\f9\\fa\\fb\\fc\\fd\\fe\\ff\\80\")\n"
      "(func (export \"peek\") (param i32) (result v128) (v128.load (local.get 0)))\n";
  for (const char* op : loads) {
    wat += std::string("(func (export \"") + op + "\") (param i32) (result v128) (" + op +
           " (local.get 0)))\n";
    wat += std::string("(func (export \"") + op + " off\") (param i32) (result v128) (" + op +
           " offset=3 (local.get 0)))\n";
  }
  const char* lane_ops[] = {"8", "16", "32", "64"};
  for (const char* w : lane_ops) {
    int n = 128 / std::atoi(w);
    for (int l = 0; l < n; ++l) {
      std::string L = std::to_string(l);
      wat += std::string("(func (export \"load") + w + "_lane " + L +
             "\") (param i32 v128) (result v128) (v128.load" + w + "_lane offset=1 " + L +
             " (local.get 0) (local.get 1)))\n";
      wat += std::string("(func (export \"store") + w + "_lane " + L +
             "\") (param i32 v128) (v128.store" + w + "_lane offset=1 " + L +
             " (local.get 0) (local.get 1)))\n";
    }
  }
  wat += ")";
  Both t(wat);
  EXPECT_EQ(t.fallbacks, 0u);
  // In bounds, unaligned, and across the end of memory (65536 bytes).
  int32_t addrs[] = {0, 1, 5, 13, 65520, 65528, 65529, 65532, 65533, 65534, 65535, 65536, -1};
  for (const char* op : loads)
    for (int32_t a : addrs) {
      t.same(op, {Value::i32(a)}, std::to_string(a));
      t.same(std::string(op) + " off", {Value::i32(a)}, std::to_string(a));
    }
  V128 x = bytes({0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC,
                  0xAD, 0xAE, 0xAF});
  for (const char* w : lane_ops) {
    int n = 128 / std::atoi(w);
    for (int l = 0; l < n; ++l)
      for (int32_t a : addrs) {
        std::string L = std::to_string(l), what = std::to_string(a);
        t.same(std::string("load") + w + "_lane " + L, {Value::i32(a), v(x)}, what);
        t.same(std::string("store") + w + "_lane " + L, {Value::i32(a), v(x)}, what);
        // The store touched exactly the same bytes in both tiers.
        for (int32_t p : {0, 16, 65520})
          t.same("peek", {Value::i32(p)}, std::string("after store") + w + " " + what);
      }
  }
}

// v128 locals used in loops live in xmm8..xmm13 for the whole function: they
// must survive calls (which clobber every XMM register), helper calls, caught
// exceptions and the interpreter's frames in between, and a v128 parameter is
// loaded into its register by the prologue.
TEST(SimdInline, PinnedV128LocalsSurviveCallsHelpersAndExceptions) {
  std::string wat = R"((module
    (tag $t (param v128))
    ;; Pins its own v128 locals (a loop uses them), so its prologue and body
    ;; overwrite xmm8..xmm13 under the caller.
    (func $clobber (param v128) (result v128) (local $k v128) (local $m v128) (local $j i32)
      (loop $l
        (local.set $k (i32x4.add (local.get $k) (local.get 0)))
        (local.set $m (v128.xor (local.get $m) (local.get $k)))
        (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 2))))
      (f32x4.add (local.get $m) (i32x4.splat (i32.const 0x3f800000))))
    (func $thrower (param v128 i32)
      (if (i32.and (local.get 1) (i32.const 1)) (then (throw $t (local.get 0)))))
    (func (export "run") (param $p v128) (param $n i32) (result v128)
      (local $a v128) (local $b v128) (local $c v128) (local $f f64) (local $i i32)
      (local.set $a (v128.const i32x4 1 2 3 4))
      (local.set $c (local.get $p))
      (loop $l
        (local.set $b (call $clobber (local.get $a)))              ;; a call
        (local.set $a (i32x4.add (local.get $a) (local.get $p)))
        (local.set $c (f32x4.mul (local.get $c) (local.get $b)))   ;; a helper
        (local.set $f (f64.add (local.get $f) (f64.const 1.5)))
        (local.set $b
          (block $h (result v128)
            (try_table (catch $t $h)
              (call $thrower (local.get $a) (local.get $i)))
            (local.get $b)))
        (local.set $a (i8x16.add_sat_u (local.get $a) (local.get $b)))
        (local.set $c (v128.xor (local.get $c) (local.get $p)))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (i64x2.replace_lane 1
        (v128.xor (local.get $a) (v128.xor (local.get $b) (local.get $c)))
        (i64.trunc_f64_s (local.get $f))))
    (func (export "rec") (param $p v128) (param $d i32) (result v128)
      (local $x v128) (local $y v128) (local $i i32)
      (loop $l
        (local.set $x (i16x8.add (local.get $x) (local.get $p)))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 3))))
      (if (local.get $d)
        (then (local.set $y (call 3 (local.get $x) (i32.sub (local.get $d) (i32.const 1))))))
      (v128.xor (local.get $x) (local.get $y))))
  )";
  Both t(wat);
  EXPECT_EQ(t.fallbacks, 0u);
  for (const V128& x : corpus())
    for (int n : {1, 2, 7, 100}) {
      t.same("run", {v(x), Value::i32(n)}, hex(x) + " n=" + std::to_string(n));
      t.same("rec", {v(x), Value::i32(n)}, hex(x) + " d=" + std::to_string(n));
    }
}

TEST(SimdInline, IsaLevelsParseAndNeverExceedTheHost) {
  using namespace wasmrun::jit;
  for (Isa l : {Isa::Sse2, Isa::Sse41, Isa::Avx, Isa::Avx2}) {
    auto p = parse_isa(isa_name(l));
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(*p, l);
  }
  EXPECT_FALSE(parse_isa("avx512").has_value());
  EXPECT_FALSE(parse_isa("").has_value());
  EXPECT_FALSE(parse_isa("SSE2").has_value());
  IsaInfo host = host_isa();
  IsaInfo old_cpu;  // an SSE2-only CPU refuses everything above
  auto r = lower_isa(old_cpu, Isa::Avx2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, wasmrun::ErrorKind::Usage);
  EXPECT_NE(r.error().message.find("at most sse2"), std::string::npos) << r.error().message;
  auto same = lower_isa(host, host.level);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->level, host.level);
  auto low = lower_isa(host, Isa::Sse2);
  ASSERT_TRUE(low.ok());
  EXPECT_EQ(low->level, Isa::Sse2);
  EXPECT_FALSE(low->sse42);
  // The level in use: the host's, or exactly what WASMRUN_JIT_ISA asks for.
  const auto& used = jit_isa();
  ASSERT_TRUE(used.ok()) << used.error().message;
  if (const char* env = std::getenv("WASMRUN_JIT_ISA"))
    EXPECT_STREQ(isa_name(used->level), env);
  else
    EXPECT_EQ(used->level, host.level);
}

}  // namespace
