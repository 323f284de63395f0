// Differential test: every instruction of the optimised library against the
// scalar reference model (reference_simd.h) on many inputs, bit for bit. The
// inputs mix random bits with the values where SIMD implementations usually go
// wrong (NaNs of every kind, signed zeros, infinities, rounding ties, the
// bounds of every integer width and of the float-to-int conversions).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <type_traits>

#include "reference_simd.h"
#include "test_helpers.h"

namespace wasmrun::simd {
namespace {

class Inputs {
 public:
  explicit Inputs(uint64_t seed) : rng_(seed) {}

  V128 next() {
    V128 v;
    switch (rng_() % 4) {
      case 0: fill_random(v); break;
      case 1: fill<uint32_t>(v, kSpecial32, std::size(kSpecial32)); break;
      case 2: fill<uint64_t>(v, kSpecial64, std::size(kSpecial64)); break;
      default: fill<uint8_t>(v, kSpecial8, std::size(kSpecial8)); break;
    }
    return v;
  }

  uint32_t count() {
    static const uint32_t kCounts[] = {0,  1,  7,  8,  9,  15, 16,        17,
                                       31, 32, 33, 63, 64, 65, 0xFFFFFFFF};
    return rng_() % 2 ? kCounts[rng_() % std::size(kCounts)] : static_cast<uint32_t>(rng_());
  }

  uint64_t bits() { return rng_(); }

 private:
  void fill_random(V128& v) {
    uint64_t w[2] = {rng_(), rng_()};
    std::memcpy(v.b, w, 16);
  }

  // Each lane is a special value or, now and then, random bits.
  template <class T, size_t N>
  void fill(V128& v, const T (&specials)[N], size_t) {
    for (size_t i = 0; i < 16 / sizeof(T); ++i) {
      T x = rng_() % 5 == 0 ? static_cast<T>(rng_()) : specials[rng_() % N];
      std::memcpy(v.b + i * sizeof(T), &x, sizeof(T));
    }
  }

  static constexpr uint8_t kSpecial8[] = {0,    1,    2,    5,    0x0F, 0x10, 0x11, 0x1F, 0x7F,
                                          0x80, 0x81, 0x8F, 0xFE, 0xFF, 0x40, 0x3F, 0xC0};
  static constexpr uint32_t kSpecial32[] = {
      0x00000000, 0x80000000, 0x3F800000, 0xBF800000,  // +-0, +-1
      0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000,  // +-inf, canonical NaNs
      0x7FA00001, 0xFF800001, 0x7FFFFFFF, 0x7FC00123,  // signaling and payload NaNs
      0x3F000000, 0xBF000000, 0x3FC00000, 0x40200000,  // 0.5, -0.5, 1.5, 2.5
      0xC0200000, 0x4AFFFFFF, 0x4B000000, 0xCAFFFFFF,  // -2.5, 2^23 - 0.5, 2^23
      0x4EFFFFFF, 0x4F000000, 0xCF000000, 0xCF000001,  // around +-2^31
      0x4F7FFFFF, 0x4F800000, 0x00000001, 0x80000001,  // around 2^32, denormals
      0x007FFFFF, 0x7F7FFFFF, 0xFF7FFFFF, 0x0000FFFF,  // max denormal, max float
      0x7FFF8000, 0x00007FFF, 0xFFFF0000, 0x8000FFFF,  // 16-bit lane bounds
  };
  static constexpr uint64_t kSpecial64[] = {
      0x0000000000000000, 0x8000000000000000, 0x3FF0000000000000, 0xBFF0000000000000,
      0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000, 0xFFF8000000000000,
      0x7FF4000000000001, 0xFFF0000000000001, 0x7FF80000DEADBEEF, 0x3FE0000000000000,
      0xBFE0000000000000, 0x3FF8000000000000, 0x4004000000000000, 0xC004000000000000,
      0x432FFFFFFFFFFFFF, 0x4330000000000000, 0x41DFFFFFFFC00000, 0x41E0000000000000,
      0xC1E0000000000000, 0xC1E0000000200000, 0x41EFFFFFFFE00000, 0x41F0000000000000,
      0x0000000000000001, 0x7FEFFFFFFFFFFFFF, 0x47EFFFFFE0000000, 0x36A0000000000000,
      0x7FFFFFFFFFFFFFFF, 0x8000000000000001, 0x00000000FFFFFFFF, 0xFFFFFFFF00000000,
  };

  std::mt19937_64 rng_;
};

using namespace test;

constexpr int kIterations = 4000;

// For arithmetic whose NaN results come from the hardware (add, sub, mul, div,
// sqrt, madd), which NaN operand propagates depends on the operand order the
// compiler picked, and the spec allows any. There a NaN lane is checked by the
// spec's rule instead of bit for bit: if every NaN among the operand lanes is
// canonical (or there is none: a new NaN), the result must be canonical,
// otherwise any arithmetic NaN. All other results must match exactly.
int hardware_nan_width(const char* op) {
  std::string s = op;
  bool arith = false;
  for (const char* k : {"_add", "_sub", "_mul", "_div", "_sqrt", "madd"}) {
    arith |= s.find(k) != std::string::npos;
  }
  if (!arith || s.find("sat") != std::string::npos) return 0;
  if (s.rfind("f32x4", 0) == 0) return 4;
  if (s.rfind("f64x2", 0) == 0) return 8;
  return 0;
}

template <class T>
bool same(const char* op, const T& got, const T& want, std::initializer_list<V128> inputs) {
  if constexpr (std::is_same_v<T, V128>) {
    int w = hardware_nan_width(op);
    if (w == 0) return got == want;
    auto is_nan = [w](uint64_t x) {
      return w == 4 ? (x & 0x7FFFFFFFu) > 0x7F800000u : (x & ~(1ull << 63)) > 0x7FF0000000000000ull;
    };
    auto canonical = [w](uint64_t x) {
      return w == 4 ? is_canonical32(uint32_t(x)) : is_canonical64(x);
    };
    auto arithmetic = [w](uint64_t x) {
      return w == 4 ? is_arithmetic32(uint32_t(x)) : is_arithmetic64(x);
    };
    for (int i = 0; i < 16; i += w) {
      uint64_t g = 0, r = 0;
      std::memcpy(&g, got.b + i, w);
      std::memcpy(&r, want.b + i, w);
      if (g == r) continue;
      if (!is_nan(g) || !is_nan(r)) return false;
      bool all_canonical = true;
      for (const V128& in : inputs) {
        uint64_t x = 0;
        std::memcpy(&x, in.b + i, w);
        if (is_nan(x) && !canonical(x)) all_canonical = false;
      }
      if (all_canonical ? !canonical(g) : !arithmetic(g)) return false;
    }
    return true;
  } else {
    return got == want;
  }
}

// A failing case prints the instruction and both results.
#define CHECK_SAME(op, got, want, inputs, ...)                                         \
  do {                                                                                 \
    auto g_ = (got);                                                                   \
    auto w_ = (want);                                                                  \
    if (!same(#op, g_, w_, inputs)) {                                                  \
      ADD_FAILURE() << #op << ": " << ::testing::PrintToString(g_) << " vs reference " \
                    << ::testing::PrintToString(w_) << " " << __VA_ARGS__;             \
      return;                                                                          \
    }                                                                                  \
  } while (0)

#define DIFF_UN(id)                                                             \
  TEST(SimdDifferential, id) {                                                  \
    Inputs in(__LINE__);                                                        \
    for (int i = 0; i < kIterations; ++i) {                                     \
      V128 a = in.next();                                                       \
      CHECK_SAME(id, id(a), simd_ref::id(a), {a}, ::testing::PrintToString(a)); \
    }                                                                           \
  }
#define DIFF_BIN(id)                                                                    \
  TEST(SimdDifferential, id) {                                                          \
    Inputs in(__LINE__);                                                                \
    for (int i = 0; i < kIterations; ++i) {                                             \
      V128 a = in.next(), b = in.next();                                                \
      CHECK_SAME(id, id(a, b), simd_ref::id(a, b), (std::initializer_list<V128>{a, b}), \
                 ::testing::PrintToString(a) << ::testing::PrintToString(b));           \
    }                                                                                   \
  }
#define DIFF_TER(id)                                                                             \
  TEST(SimdDifferential, id) {                                                                   \
    Inputs in(__LINE__);                                                                         \
    for (int i = 0; i < kIterations; ++i) {                                                      \
      V128 a = in.next(), b = in.next(), c = in.next();                                          \
      CHECK_SAME(id, id(a, b, c), simd_ref::id(a, b, c), (std::initializer_list<V128>{a, b, c}), \
                 ::testing::PrintToString(a)                                                     \
                     << ::testing::PrintToString(b) << ::testing::PrintToString(c));             \
    }                                                                                            \
  }
#define DIFF_SH(id)                                                                        \
  TEST(SimdDifferential, id) {                                                             \
    Inputs in(__LINE__);                                                                   \
    for (int i = 0; i < kIterations; ++i) {                                                \
      V128 a = in.next();                                                                  \
      uint32_t n = in.count();                                                             \
      CHECK_SAME(id, id(a, n), simd_ref::id(a, n), {a}, ::testing::PrintToString(a) << n); \
    }                                                                                      \
  }
#define DIFF_TE(id)                                                             \
  TEST(SimdDifferential, id) {                                                  \
    Inputs in(__LINE__);                                                        \
    for (int i = 0; i < kIterations; ++i) {                                     \
      V128 a = in.next();                                                       \
      CHECK_SAME(id, id(a), simd_ref::id(a), {a}, ::testing::PrintToString(a)); \
    }                                                                           \
  }
#define DIFF_S32(id)                                 \
  TEST(SimdDifferential, id) {                       \
    Inputs in(__LINE__);                             \
    for (int i = 0; i < 200; ++i) {                  \
      uint32_t x = static_cast<uint32_t>(in.bits()); \
      CHECK_SAME(id, id(x), simd_ref::id(x), {}, x); \
    }                                                \
  }
#define DIFF_S64(id)                                 \
  TEST(SimdDifferential, id) {                       \
    Inputs in(__LINE__);                             \
    for (int i = 0; i < 200; ++i) {                  \
      uint64_t x = in.bits();                        \
      CHECK_SAME(id, id(x), simd_ref::id(x), {}, x); \
    }                                                \
  }
#define DIFF_EXTRACT(id)                                                                          \
  TEST(SimdDifferential, id) {                                                                    \
    Inputs in(__LINE__);                                                                          \
    for (int i = 0; i < 200; ++i) {                                                               \
      V128 a = in.next();                                                                         \
      for (uint8_t l = 0; l < 16; ++l) CHECK_SAME(id, id(a, l), simd_ref::id(a, l), {a}, int(l)); \
    }                                                                                             \
  }
#define DIFF_REPLACE(id)                                                 \
  TEST(SimdDifferential, id) {                                           \
    Inputs in(__LINE__);                                                 \
    for (int i = 0; i < 200; ++i) {                                      \
      V128 a = in.next();                                                \
      uint64_t x = in.bits();                                            \
      for (uint8_t l = 0; l < 16; ++l)                                   \
        CHECK_SAME(id, id(a, l, x), simd_ref::id(a, l, x), {a}, int(l)); \
    }                                                                    \
  }

WASMRUN_SIMD_UNARY(DIFF_UN)
WASMRUN_SIMD_BINARY(DIFF_BIN)
WASMRUN_SIMD_TERNARY(DIFF_TER)
WASMRUN_SIMD_SHIFT(DIFF_SH)
WASMRUN_SIMD_TEST(DIFF_TE)
WASMRUN_SIMD_SPLAT32(DIFF_S32)
WASMRUN_SIMD_SPLAT64(DIFF_S64)
WASMRUN_SIMD_EXTRACT32(DIFF_EXTRACT)
WASMRUN_SIMD_EXTRACT64(DIFF_EXTRACT)
WASMRUN_SIMD_REPLACE32(DIFF_REPLACE)
WASMRUN_SIMD_REPLACE64(DIFF_REPLACE)

TEST(SimdDifferential, i8x16_shuffle) {
  Inputs in(__LINE__);
  for (int i = 0; i < kIterations; ++i) {
    V128 a = in.next(), b = in.next();
    uint8_t lanes[16];
    for (auto& l : lanes) l = static_cast<uint8_t>(in.bits() % 32);
    CHECK_SAME(i8x16_shuffle, i8x16_shuffle(a, b, lanes), simd_ref::i8x16_shuffle(a, b, lanes),
               (std::initializer_list<V128>{a, b}), "");
  }
}

}  // namespace
}  // namespace wasmrun::simd
