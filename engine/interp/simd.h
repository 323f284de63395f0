// SIMD-128 and relaxed-SIMD semantics: one inline function per non-memory 0xFD
// opcode, named exactly like its Op ident in engine/opcodes.def, plus helpers for
// the memory forms. The interpreter calls these from its SIMD handlers and the JIT
// tiers use them as the reference semantics, so every function here follows the
// spec exactly; NaN results always have the class the spec requires (canonical
// or arithmetic), see docs/simd.md.
//
// Conventions:
//   * V128 is 16 bytes in wasm (little-endian) lane order.
//   * Scalars cross the boundary as raw bits: f32 as uint32_t, f64 as uint64_t,
//     i64 as uint64_t, i32 as uint32_t. This keeps NaN payloads intact.
//   * Lane indices are masked to the lane count. The validator guarantees they
//     are in range; the mask only keeps a bad caller from reading out of bounds.
//   * Relaxed instructions have one fixed behaviour, documented in docs/simd.md.
//
// The instructions live in simd_ops.h (included at the end of this header) and
// are written with GNU vector extensions (simd_vec.h), so they compile to SIMD
// code on any target; a few use x86 intrinsics when the compiler targets
// SSE2/SSSE3/SSE4.1, each with a portable twin. Performance notes and the
// relaxed-SIMD choices: docs/simd.md.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

static_assert(std::endian::native == std::endian::little,
              "wasmrun::simd assumes a little-endian host: V128 bytes are wasm lane order");

namespace wasmrun::simd {

/// A 128-bit vector value: byte i is byte i of the wasm v128 (lane 0 first).
struct alignas(16) V128 {
  uint8_t b[16];

  friend bool operator==(const V128& x, const V128& y) { return std::memcmp(x.b, y.b, 16) == 0; }
};

/// Number of lanes of type T in a V128.
template <class T>
inline constexpr size_t kLanes = 16 / sizeof(T);

/// The lanes of `v` viewed as T (memcpy, so no aliasing UB).
template <class T>
inline std::array<T, kLanes<T>> lanes(V128 v) {
  std::array<T, kLanes<T>> r;
  std::memcpy(r.data(), v.b, 16);
  return r;
}

/// Builds a V128 from an array of lanes.
template <class T, size_t N>
inline V128 from_lanes(const std::array<T, N>& l) {
  static_assert(sizeof(T) * N == 16);
  V128 v;
  std::memcpy(v.b, l.data(), 16);
  return v;
}

/// Reads lane `i` of `v` as T.
template <class T>
inline T get_lane(V128 v, unsigned i) {
  T x;
  std::memcpy(&x, v.b + (i % kLanes<T>)*sizeof(T), sizeof(T));
  return x;
}

/// Writes lane `i` of `v` as T.
template <class T>
inline void set_lane(V128& v, unsigned i, T x) {
  std::memcpy(v.b + (i % kLanes<T>)*sizeof(T), &x, sizeof(T));
}

// ============================================================================
// X-macro lists. Each X(ident) names an Op in engine/opcodes.def and the
// function of the same name here. Every non-memory 0xFD opcode except
// v128.const and i8x16.shuffle is in exactly one list (tests/simd checks this).
// ============================================================================

/// v128 -> v128
#define WASMRUN_SIMD_UNARY(X)         \
  X(v128_not)                         \
  X(f32x4_demote_f64x2_zero)          \
  X(f64x2_promote_low_f32x4)          \
  X(i8x16_abs)                        \
  X(i8x16_neg)                        \
  X(i8x16_popcnt)                     \
  X(f32x4_ceil)                       \
  X(f32x4_floor)                      \
  X(f32x4_trunc)                      \
  X(f32x4_nearest)                    \
  X(f64x2_ceil)                       \
  X(f64x2_floor)                      \
  X(f64x2_trunc)                      \
  X(f64x2_nearest)                    \
  X(i16x8_extadd_pairwise_i8x16_s)    \
  X(i16x8_extadd_pairwise_i8x16_u)    \
  X(i32x4_extadd_pairwise_i16x8_s)    \
  X(i32x4_extadd_pairwise_i16x8_u)    \
  X(i16x8_abs)                        \
  X(i16x8_neg)                        \
  X(i16x8_extend_low_i8x16_s)         \
  X(i16x8_extend_high_i8x16_s)        \
  X(i16x8_extend_low_i8x16_u)         \
  X(i16x8_extend_high_i8x16_u)        \
  X(i32x4_abs)                        \
  X(i32x4_neg)                        \
  X(i32x4_extend_low_i16x8_s)         \
  X(i32x4_extend_high_i16x8_s)        \
  X(i32x4_extend_low_i16x8_u)         \
  X(i32x4_extend_high_i16x8_u)        \
  X(i64x2_abs)                        \
  X(i64x2_neg)                        \
  X(i64x2_extend_low_i32x4_s)         \
  X(i64x2_extend_high_i32x4_s)        \
  X(i64x2_extend_low_i32x4_u)         \
  X(i64x2_extend_high_i32x4_u)        \
  X(f32x4_abs)                        \
  X(f32x4_neg)                        \
  X(f32x4_sqrt)                       \
  X(f64x2_abs)                        \
  X(f64x2_neg)                        \
  X(f64x2_sqrt)                       \
  X(i32x4_trunc_sat_f32x4_s)          \
  X(i32x4_trunc_sat_f32x4_u)          \
  X(f32x4_convert_i32x4_s)            \
  X(f32x4_convert_i32x4_u)            \
  X(i32x4_trunc_sat_f64x2_s_zero)     \
  X(i32x4_trunc_sat_f64x2_u_zero)     \
  X(f64x2_convert_low_i32x4_s)        \
  X(f64x2_convert_low_i32x4_u)        \
  X(i32x4_relaxed_trunc_f32x4_s)      \
  X(i32x4_relaxed_trunc_f32x4_u)      \
  X(i32x4_relaxed_trunc_f64x2_s_zero) \
  X(i32x4_relaxed_trunc_f64x2_u_zero)

/// (v128, v128) -> v128
#define WASMRUN_SIMD_BINARY(X) \
  X(i8x16_swizzle)             \
  X(i8x16_eq)                  \
  X(i8x16_ne)                  \
  X(i8x16_lt_s)                \
  X(i8x16_lt_u)                \
  X(i8x16_gt_s)                \
  X(i8x16_gt_u)                \
  X(i8x16_le_s)                \
  X(i8x16_le_u)                \
  X(i8x16_ge_s)                \
  X(i8x16_ge_u)                \
  X(i16x8_eq)                  \
  X(i16x8_ne)                  \
  X(i16x8_lt_s)                \
  X(i16x8_lt_u)                \
  X(i16x8_gt_s)                \
  X(i16x8_gt_u)                \
  X(i16x8_le_s)                \
  X(i16x8_le_u)                \
  X(i16x8_ge_s)                \
  X(i16x8_ge_u)                \
  X(i32x4_eq)                  \
  X(i32x4_ne)                  \
  X(i32x4_lt_s)                \
  X(i32x4_lt_u)                \
  X(i32x4_gt_s)                \
  X(i32x4_gt_u)                \
  X(i32x4_le_s)                \
  X(i32x4_le_u)                \
  X(i32x4_ge_s)                \
  X(i32x4_ge_u)                \
  X(f32x4_eq)                  \
  X(f32x4_ne)                  \
  X(f32x4_lt)                  \
  X(f32x4_gt)                  \
  X(f32x4_le)                  \
  X(f32x4_ge)                  \
  X(f64x2_eq)                  \
  X(f64x2_ne)                  \
  X(f64x2_lt)                  \
  X(f64x2_gt)                  \
  X(f64x2_le)                  \
  X(f64x2_ge)                  \
  X(v128_and)                  \
  X(v128_andnot)               \
  X(v128_or)                   \
  X(v128_xor)                  \
  X(i8x16_narrow_i16x8_s)      \
  X(i8x16_narrow_i16x8_u)      \
  X(i8x16_add)                 \
  X(i8x16_add_sat_s)           \
  X(i8x16_add_sat_u)           \
  X(i8x16_sub)                 \
  X(i8x16_sub_sat_s)           \
  X(i8x16_sub_sat_u)           \
  X(i8x16_min_s)               \
  X(i8x16_min_u)               \
  X(i8x16_max_s)               \
  X(i8x16_max_u)               \
  X(i8x16_avgr_u)              \
  X(i16x8_q15mulr_sat_s)       \
  X(i16x8_narrow_i32x4_s)      \
  X(i16x8_narrow_i32x4_u)      \
  X(i16x8_add)                 \
  X(i16x8_add_sat_s)           \
  X(i16x8_add_sat_u)           \
  X(i16x8_sub)                 \
  X(i16x8_sub_sat_s)           \
  X(i16x8_sub_sat_u)           \
  X(i16x8_mul)                 \
  X(i16x8_min_s)               \
  X(i16x8_min_u)               \
  X(i16x8_max_s)               \
  X(i16x8_max_u)               \
  X(i16x8_avgr_u)              \
  X(i16x8_extmul_low_i8x16_s)  \
  X(i16x8_extmul_high_i8x16_s) \
  X(i16x8_extmul_low_i8x16_u)  \
  X(i16x8_extmul_high_i8x16_u) \
  X(i32x4_add)                 \
  X(i32x4_sub)                 \
  X(i32x4_mul)                 \
  X(i32x4_min_s)               \
  X(i32x4_min_u)               \
  X(i32x4_max_s)               \
  X(i32x4_max_u)               \
  X(i32x4_dot_i16x8_s)         \
  X(i32x4_extmul_low_i16x8_s)  \
  X(i32x4_extmul_high_i16x8_s) \
  X(i32x4_extmul_low_i16x8_u)  \
  X(i32x4_extmul_high_i16x8_u) \
  X(i64x2_add)                 \
  X(i64x2_sub)                 \
  X(i64x2_mul)                 \
  X(i64x2_eq)                  \
  X(i64x2_ne)                  \
  X(i64x2_lt_s)                \
  X(i64x2_gt_s)                \
  X(i64x2_le_s)                \
  X(i64x2_ge_s)                \
  X(i64x2_extmul_low_i32x4_s)  \
  X(i64x2_extmul_high_i32x4_s) \
  X(i64x2_extmul_low_i32x4_u)  \
  X(i64x2_extmul_high_i32x4_u) \
  X(f32x4_add)                 \
  X(f32x4_sub)                 \
  X(f32x4_mul)                 \
  X(f32x4_div)                 \
  X(f32x4_min)                 \
  X(f32x4_max)                 \
  X(f32x4_pmin)                \
  X(f32x4_pmax)                \
  X(f64x2_add)                 \
  X(f64x2_sub)                 \
  X(f64x2_mul)                 \
  X(f64x2_div)                 \
  X(f64x2_min)                 \
  X(f64x2_max)                 \
  X(f64x2_pmin)                \
  X(f64x2_pmax)                \
  X(i8x16_relaxed_swizzle)     \
  X(f32x4_relaxed_min)         \
  X(f32x4_relaxed_max)         \
  X(f64x2_relaxed_min)         \
  X(f64x2_relaxed_max)         \
  X(i16x8_relaxed_q15mulr_s)   \
  X(i16x8_relaxed_dot_i8x16_i7x16_s)

/// (v128, v128, v128) -> v128
#define WASMRUN_SIMD_TERNARY(X) \
  X(v128_bitselect)             \
  X(f32x4_relaxed_madd)         \
  X(f32x4_relaxed_nmadd)        \
  X(f64x2_relaxed_madd)         \
  X(f64x2_relaxed_nmadd)        \
  X(i8x16_relaxed_laneselect)   \
  X(i16x8_relaxed_laneselect)   \
  X(i32x4_relaxed_laneselect)   \
  X(i64x2_relaxed_laneselect)   \
  X(i32x4_relaxed_dot_i8x16_i7x16_add_s)

/// (v128, i32 count) -> v128
#define WASMRUN_SIMD_SHIFT(X) \
  X(i8x16_shl)                \
  X(i8x16_shr_s)              \
  X(i8x16_shr_u)              \
  X(i16x8_shl)                \
  X(i16x8_shr_s)              \
  X(i16x8_shr_u)              \
  X(i32x4_shl)                \
  X(i32x4_shr_s)              \
  X(i32x4_shr_u)              \
  X(i64x2_shl)                \
  X(i64x2_shr_s)              \
  X(i64x2_shr_u)

/// v128 -> i32
#define WASMRUN_SIMD_TEST(X) \
  X(v128_any_true)           \
  X(i8x16_all_true)          \
  X(i8x16_bitmask)           \
  X(i16x8_all_true)          \
  X(i16x8_bitmask)           \
  X(i32x4_all_true)          \
  X(i32x4_bitmask)           \
  X(i64x2_all_true)          \
  X(i64x2_bitmask)

/// i32 or f32 bits (uint32_t) -> v128
#define WASMRUN_SIMD_SPLAT32(X) \
  X(i8x16_splat)                \
  X(i16x8_splat)                \
  X(i32x4_splat)                \
  X(f32x4_splat)

/// i64 or f64 bits (uint64_t) -> v128
#define WASMRUN_SIMD_SPLAT64(X) \
  X(i64x2_splat)                \
  X(f64x2_splat)

/// (v128, uint8_t lane) -> uint32_t (i32 value or f32 bits)
#define WASMRUN_SIMD_EXTRACT32(X) \
  X(i8x16_extract_lane_s)         \
  X(i8x16_extract_lane_u)         \
  X(i16x8_extract_lane_s)         \
  X(i16x8_extract_lane_u)         \
  X(i32x4_extract_lane)           \
  X(f32x4_extract_lane)

/// (v128, uint8_t lane) -> uint64_t (i64 value or f64 bits)
#define WASMRUN_SIMD_EXTRACT64(X) \
  X(i64x2_extract_lane)           \
  X(f64x2_extract_lane)

/// (v128, uint8_t lane, uint32_t bits) -> v128
#define WASMRUN_SIMD_REPLACE32(X) \
  X(i8x16_replace_lane)           \
  X(i16x8_replace_lane)           \
  X(i32x4_replace_lane)           \
  X(f32x4_replace_lane)

/// (v128, uint8_t lane, uint64_t bits) -> v128
#define WASMRUN_SIMD_REPLACE64(X) \
  X(i64x2_replace_lane)           \
  X(f64x2_replace_lane)

/// Memory forms that produce a v128 from a pointer: X(op ident, helper).
/// The interpreter does the bounds check (for the access width given by
/// simd::kLoadBytes_<helper>) and passes a pointer to the first byte.
#define WASMRUN_SIMD_LOAD(X)         \
  X(v128_load, load)                 \
  X(v128_load8x8_s, load8x8_s)       \
  X(v128_load8x8_u, load8x8_u)       \
  X(v128_load16x4_s, load16x4_s)     \
  X(v128_load16x4_u, load16x4_u)     \
  X(v128_load32x2_s, load32x2_s)     \
  X(v128_load32x2_u, load32x2_u)     \
  X(v128_load8_splat, load8_splat)   \
  X(v128_load16_splat, load16_splat) \
  X(v128_load32_splat, load32_splat) \
  X(v128_load64_splat, load64_splat) \
  X(v128_load32_zero, load32_zero)   \
  X(v128_load64_zero, load64_zero)

/// Lane loads (v128 from pointer into one lane) and stores: X(op ident, helper,
/// bytes), bytes an unsigned literal so it compares cleanly with addresses.
#define WASMRUN_SIMD_LOAD_LANE(X)      \
  X(v128_load8_lane, load_lane8, 1u)   \
  X(v128_load16_lane, load_lane16, 2u) \
  X(v128_load32_lane, load_lane32, 4u) \
  X(v128_load64_lane, load_lane64, 8u)

#define WASMRUN_SIMD_STORE_LANE(X)       \
  X(v128_store8_lane, store_lane8, 1u)   \
  X(v128_store16_lane, store_lane16, 2u) \
  X(v128_store32_lane, store_lane32, 4u) \
  X(v128_store64_lane, store_lane64, 8u)

}  // namespace wasmrun::simd

// The instructions themselves.
#include "engine/interp/simd_ops.h"  // IWYU pragma: export

namespace wasmrun::simd {

// ============================================================================
// Memory helpers. The caller has bounds-checked the access; pointers may be
// unaligned (memcpy).
// ============================================================================

/// v128.load: 16 bytes.
inline V128 load(const uint8_t* p) {
  V128 v;
  std::memcpy(v.b, p, 16);
  return v;
}
/// v128.store: 16 bytes.
inline void store(V128 v, uint8_t* p) { std::memcpy(p, v.b, 16); }

namespace detail {
template <class Half, class Wide>
inline V128 load_extend(const uint8_t* p) {
  Half h;
  std::memcpy(&h, p, 8);
  return st(__builtin_convertvector(h, Wide));
}
template <class T>
inline T load_scalar(const uint8_t* p) {
  T x;
  std::memcpy(&x, p, sizeof(T));
  return x;
}
}  // namespace detail

/// 8 bytes, each lane widened.
inline V128 load8x8_s(const uint8_t* p) {
  return detail::load_extend<detail::hi8, detail::vi16>(p);
}
inline V128 load8x8_u(const uint8_t* p) {
  return detail::load_extend<detail::hu8, detail::vu16>(p);
}
inline V128 load16x4_s(const uint8_t* p) {
  return detail::load_extend<detail::hi16, detail::vi32>(p);
}
inline V128 load16x4_u(const uint8_t* p) {
  return detail::load_extend<detail::hu16, detail::vu32>(p);
}
inline V128 load32x2_s(const uint8_t* p) {
  return detail::load_extend<detail::hi32, detail::vi64>(p);
}
inline V128 load32x2_u(const uint8_t* p) {
  return detail::load_extend<detail::hu32, detail::vu64>(p);
}

/// One scalar replicated to every lane.
inline V128 load8_splat(const uint8_t* p) { return i8x16_splat(*p); }
inline V128 load16_splat(const uint8_t* p) { return i16x8_splat(detail::load_scalar<uint16_t>(p)); }
inline V128 load32_splat(const uint8_t* p) { return i32x4_splat(detail::load_scalar<uint32_t>(p)); }
inline V128 load64_splat(const uint8_t* p) { return i64x2_splat(detail::load_scalar<uint64_t>(p)); }

/// One scalar into lane 0, the other lanes zero.
inline V128 load32_zero(const uint8_t* p) {
  V128 v{};
  std::memcpy(v.b, p, 4);
  return v;
}
inline V128 load64_zero(const uint8_t* p) {
  V128 v{};
  std::memcpy(v.b, p, 8);
  return v;
}

/// Replace one lane of `v` with the scalar at p.
inline V128 load_lane8(V128 v, const uint8_t* p, uint8_t lane) {
  v.b[lane & 15] = *p;
  return v;
}
inline V128 load_lane16(V128 v, const uint8_t* p, uint8_t lane) {
  std::memcpy(v.b + (lane & 7) * 2, p, 2);
  return v;
}
inline V128 load_lane32(V128 v, const uint8_t* p, uint8_t lane) {
  std::memcpy(v.b + (lane & 3) * 4, p, 4);
  return v;
}
inline V128 load_lane64(V128 v, const uint8_t* p, uint8_t lane) {
  std::memcpy(v.b + (lane & 1) * 8, p, 8);
  return v;
}

/// Store one lane of `v` to p.
inline void store_lane8(V128 v, uint8_t* p, uint8_t lane) { *p = v.b[lane & 15]; }
inline void store_lane16(V128 v, uint8_t* p, uint8_t lane) {
  std::memcpy(p, v.b + (lane & 7) * 2, 2);
}
inline void store_lane32(V128 v, uint8_t* p, uint8_t lane) {
  std::memcpy(p, v.b + (lane & 3) * 4, 4);
}
inline void store_lane64(V128 v, uint8_t* p, uint8_t lane) {
  std::memcpy(p, v.b + (lane & 1) * 8, 8);
}

/// Bytes read by each WASMRUN_SIMD_LOAD helper, for the caller's bounds check.
inline constexpr uint32_t kLoadBytes_load = 16;
inline constexpr uint32_t kLoadBytes_load8x8_s = 8;
inline constexpr uint32_t kLoadBytes_load8x8_u = 8;
inline constexpr uint32_t kLoadBytes_load16x4_s = 8;
inline constexpr uint32_t kLoadBytes_load16x4_u = 8;
inline constexpr uint32_t kLoadBytes_load32x2_s = 8;
inline constexpr uint32_t kLoadBytes_load32x2_u = 8;
inline constexpr uint32_t kLoadBytes_load8_splat = 1;
inline constexpr uint32_t kLoadBytes_load16_splat = 2;
inline constexpr uint32_t kLoadBytes_load32_splat = 4;
inline constexpr uint32_t kLoadBytes_load64_splat = 8;
inline constexpr uint32_t kLoadBytes_load32_zero = 4;
inline constexpr uint32_t kLoadBytes_load64_zero = 8;

}  // namespace wasmrun::simd
