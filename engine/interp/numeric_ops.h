// The scalar numeric instructions as X-macro lists of C++ expressions over the
// operands `a` (and `b`), read from their slots as the listed types. The run loop
// expands each row into a handler; see exec.cc. Rows that can trap list the
// condition and the trap kind.
#pragma once

#include "engine/interp/numeric.h"

// X(op, operand type, result type, expression of a)
#define WASMRUN_INTERP_UNOPS(X)                                                          \
  X(i32_eqz, uint32_t, uint32_t, a == 0)                                                 \
  X(i32_clz, uint32_t, uint32_t, std::countl_zero(a))                                    \
  X(i32_ctz, uint32_t, uint32_t, std::countr_zero(a))                                    \
  X(i32_popcnt, uint32_t, uint32_t, std::popcount(a))                                    \
  X(i32_extend8_s, uint32_t, uint32_t, static_cast<int32_t>(static_cast<int8_t>(a)))     \
  X(i32_extend16_s, uint32_t, uint32_t, static_cast<int32_t>(static_cast<int16_t>(a)))   \
  X(i64_eqz, uint64_t, uint32_t, a == 0)                                                 \
  X(i64_clz, uint64_t, uint64_t, std::countl_zero(a))                                    \
  X(i64_ctz, uint64_t, uint64_t, std::countr_zero(a))                                    \
  X(i64_popcnt, uint64_t, uint64_t, std::popcount(a))                                    \
  X(i64_extend8_s, uint64_t, uint64_t, static_cast<int64_t>(static_cast<int8_t>(a)))     \
  X(i64_extend16_s, uint64_t, uint64_t, static_cast<int64_t>(static_cast<int16_t>(a)))   \
  X(i64_extend32_s, uint64_t, uint64_t, static_cast<int64_t>(static_cast<int32_t>(a)))   \
  X(f32_abs, uint32_t, uint32_t, a & 0x7FFFFFFFu)                                        \
  X(f32_neg, uint32_t, uint32_t, a ^ 0x80000000u)                                        \
  X(f32_ceil, float, float, std::ceil(a))                                                \
  X(f32_floor, float, float, std::floor(a))                                              \
  X(f32_trunc, float, float, std::trunc(a))                                              \
  X(f32_nearest, float, float, num::fnearest(a))                                         \
  X(f32_sqrt, float, float, std::sqrt(a))                                                \
  X(f64_abs, uint64_t, uint64_t, a & 0x7FFFFFFFFFFFFFFFull)                              \
  X(f64_neg, uint64_t, uint64_t, a ^ 0x8000000000000000ull)                              \
  X(f64_ceil, double, double, std::ceil(a))                                              \
  X(f64_floor, double, double, std::floor(a))                                            \
  X(f64_trunc, double, double, std::trunc(a))                                            \
  X(f64_nearest, double, double, num::fnearest(a))                                       \
  X(f64_sqrt, double, double, std::sqrt(a))                                              \
  X(i32_wrap_i64, uint64_t, uint32_t, static_cast<uint32_t>(a))                          \
  X(i64_extend_i32_s, uint32_t, uint64_t, static_cast<int64_t>(static_cast<int32_t>(a))) \
  X(i64_extend_i32_u, uint32_t, uint64_t, a)                                             \
  X(f32_convert_i32_s, uint32_t, float, static_cast<float>(static_cast<int32_t>(a)))     \
  X(f32_convert_i32_u, uint32_t, float, static_cast<float>(a))                           \
  X(f32_convert_i64_s, uint64_t, float, static_cast<float>(static_cast<int64_t>(a)))     \
  X(f32_convert_i64_u, uint64_t, float, static_cast<float>(a))                           \
  X(f32_demote_f64, double, float, static_cast<float>(a))                                \
  X(f64_convert_i32_s, uint32_t, double, static_cast<double>(static_cast<int32_t>(a)))   \
  X(f64_convert_i32_u, uint32_t, double, static_cast<double>(a))                         \
  X(f64_convert_i64_s, uint64_t, double, static_cast<double>(static_cast<int64_t>(a)))   \
  X(f64_convert_i64_u, uint64_t, double, static_cast<double>(a))                         \
  X(f64_promote_f32, float, double, static_cast<double>(a))                              \
  X(i32_reinterpret_f32, uint32_t, uint32_t, a)                                          \
  X(i64_reinterpret_f64, uint64_t, uint64_t, a)                                          \
  X(f32_reinterpret_i32, uint32_t, uint32_t, a)                                          \
  X(f64_reinterpret_i64, uint64_t, uint64_t, a)                                          \
  X(i32_trunc_sat_f32_s, float, uint32_t, num::trunc_sat<int32_t>(a))                    \
  X(i32_trunc_sat_f32_u, float, uint32_t, num::trunc_sat<uint32_t>(a))                   \
  X(i32_trunc_sat_f64_s, double, uint32_t, num::trunc_sat<int32_t>(a))                   \
  X(i32_trunc_sat_f64_u, double, uint32_t, num::trunc_sat<uint32_t>(a))                  \
  X(i64_trunc_sat_f32_s, float, uint64_t, num::trunc_sat<int64_t>(a))                    \
  X(i64_trunc_sat_f32_u, float, uint64_t, num::trunc_sat<uint64_t>(a))                   \
  X(i64_trunc_sat_f64_s, double, uint64_t, num::trunc_sat<int64_t>(a))                   \
  X(i64_trunc_sat_f64_u, double, uint64_t, num::trunc_sat<uint64_t>(a))

// Trapping float -> int truncations: X(op, float type, int type, result slot type)
#define WASMRUN_INTERP_TRUNCS(X)                 \
  X(i32_trunc_f32_s, float, int32_t, uint32_t)   \
  X(i32_trunc_f32_u, float, uint32_t, uint32_t)  \
  X(i32_trunc_f64_s, double, int32_t, uint32_t)  \
  X(i32_trunc_f64_u, double, uint32_t, uint32_t) \
  X(i64_trunc_f32_s, float, int64_t, uint64_t)   \
  X(i64_trunc_f32_u, float, uint64_t, uint64_t)  \
  X(i64_trunc_f64_s, double, int64_t, uint64_t)  \
  X(i64_trunc_f64_u, double, uint64_t, uint64_t)

#define WASMRUN_I32S(x) static_cast<int32_t>(x)
#define WASMRUN_I64S(x) static_cast<int64_t>(x)

// X(op, operand type, result type, expression of a and b)
#define WASMRUN_INTERP_BINOPS(X)                                             \
  X(i32_eq, uint32_t, uint32_t, a == b)                                      \
  X(i32_ne, uint32_t, uint32_t, a != b)                                      \
  X(i32_lt_s, uint32_t, uint32_t, WASMRUN_I32S(a) < WASMRUN_I32S(b))         \
  X(i32_lt_u, uint32_t, uint32_t, a < b)                                     \
  X(i32_gt_s, uint32_t, uint32_t, WASMRUN_I32S(a) > WASMRUN_I32S(b))         \
  X(i32_gt_u, uint32_t, uint32_t, a > b)                                     \
  X(i32_le_s, uint32_t, uint32_t, WASMRUN_I32S(a) <= WASMRUN_I32S(b))        \
  X(i32_le_u, uint32_t, uint32_t, a <= b)                                    \
  X(i32_ge_s, uint32_t, uint32_t, WASMRUN_I32S(a) >= WASMRUN_I32S(b))        \
  X(i32_ge_u, uint32_t, uint32_t, a >= b)                                    \
  X(i64_eq, uint64_t, uint32_t, a == b)                                      \
  X(i64_ne, uint64_t, uint32_t, a != b)                                      \
  X(i64_lt_s, uint64_t, uint32_t, WASMRUN_I64S(a) < WASMRUN_I64S(b))         \
  X(i64_lt_u, uint64_t, uint32_t, a < b)                                     \
  X(i64_gt_s, uint64_t, uint32_t, WASMRUN_I64S(a) > WASMRUN_I64S(b))         \
  X(i64_gt_u, uint64_t, uint32_t, a > b)                                     \
  X(i64_le_s, uint64_t, uint32_t, WASMRUN_I64S(a) <= WASMRUN_I64S(b))        \
  X(i64_le_u, uint64_t, uint32_t, a <= b)                                    \
  X(i64_ge_s, uint64_t, uint32_t, WASMRUN_I64S(a) >= WASMRUN_I64S(b))        \
  X(i64_ge_u, uint64_t, uint32_t, a >= b)                                    \
  X(f32_eq, float, uint32_t, a == b)                                         \
  X(f32_ne, float, uint32_t, a != b)                                         \
  X(f32_lt, float, uint32_t, a < b)                                          \
  X(f32_gt, float, uint32_t, a > b)                                          \
  X(f32_le, float, uint32_t, a <= b)                                         \
  X(f32_ge, float, uint32_t, a >= b)                                         \
  X(f64_eq, double, uint32_t, a == b)                                        \
  X(f64_ne, double, uint32_t, a != b)                                        \
  X(f64_lt, double, uint32_t, a < b)                                         \
  X(f64_gt, double, uint32_t, a > b)                                         \
  X(f64_le, double, uint32_t, a <= b)                                        \
  X(f64_ge, double, uint32_t, a >= b)                                        \
  X(i32_add, uint32_t, uint32_t, a + b)                                      \
  X(i32_sub, uint32_t, uint32_t, a - b)                                      \
  X(i32_mul, uint32_t, uint32_t, a* b)                                       \
  X(i32_and, uint32_t, uint32_t, a& b)                                       \
  X(i32_or, uint32_t, uint32_t, a | b)                                       \
  X(i32_xor, uint32_t, uint32_t, a ^ b)                                      \
  X(i32_shl, uint32_t, uint32_t, a << (b & 31))                              \
  X(i32_shr_s, uint32_t, uint32_t, WASMRUN_I32S(a) >> (b & 31))              \
  X(i32_shr_u, uint32_t, uint32_t, a >> (b & 31))                            \
  X(i32_rotl, uint32_t, uint32_t, num::rotl(a, b))                           \
  X(i32_rotr, uint32_t, uint32_t, num::rotr(a, b))                           \
  X(i64_add, uint64_t, uint64_t, a + b)                                      \
  X(i64_sub, uint64_t, uint64_t, a - b)                                      \
  X(i64_mul, uint64_t, uint64_t, a* b)                                       \
  X(i64_and, uint64_t, uint64_t, a& b)                                       \
  X(i64_or, uint64_t, uint64_t, a | b)                                       \
  X(i64_xor, uint64_t, uint64_t, a ^ b)                                      \
  X(i64_shl, uint64_t, uint64_t, a << (b & 63))                              \
  X(i64_shr_s, uint64_t, uint64_t, WASMRUN_I64S(a) >> (b & 63))              \
  X(i64_shr_u, uint64_t, uint64_t, a >> (b & 63))                            \
  X(i64_rotl, uint64_t, uint64_t, num::rotl(a, b))                           \
  X(i64_rotr, uint64_t, uint64_t, num::rotr(a, b))                           \
  X(f32_add, float, float, a + b)                                            \
  X(f32_sub, float, float, a - b)                                            \
  X(f32_mul, float, float, a* b)                                             \
  X(f32_div, float, float, a / b)                                            \
  X(f32_min, float, float, num::fmin(a, b))                                  \
  X(f32_max, float, float, num::fmax(a, b))                                  \
  X(f32_copysign, uint32_t, uint32_t, (a & 0x7FFFFFFFu) | (b & 0x80000000u)) \
  X(f64_add, double, double, a + b)                                          \
  X(f64_sub, double, double, a - b)                                          \
  X(f64_mul, double, double, a* b)                                           \
  X(f64_div, double, double, a / b)                                          \
  X(f64_min, double, double, num::fmin(a, b))                                \
  X(f64_max, double, double, num::fmax(a, b))                                \
  X(f64_copysign, uint64_t, uint64_t, (a & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull))

// Integer division: X(op, unsigned type, signed type, is signed, is remainder)
#define WASMRUN_INTERP_DIVS(X)                  \
  X(i32_div_s, uint32_t, int32_t, true, false)  \
  X(i32_div_u, uint32_t, int32_t, false, false) \
  X(i32_rem_s, uint32_t, int32_t, true, true)   \
  X(i32_rem_u, uint32_t, int32_t, false, true)  \
  X(i64_div_s, uint64_t, int64_t, true, false)  \
  X(i64_div_u, uint64_t, int64_t, false, false) \
  X(i64_rem_s, uint64_t, int64_t, true, true)   \
  X(i64_rem_u, uint64_t, int64_t, false, true)

// Integer comparisons the lowerer fuses with a following br_if / if, and that have
// a register-immediate form: X(op, operand type, expression of a and b).
#define WASMRUN_INTERP_ICMPS(X)                        \
  X(i32_eq, uint32_t, a == b)                          \
  X(i32_ne, uint32_t, a != b)                          \
  X(i32_lt_s, uint32_t, WASMRUN_I32S(a) < WASMRUN_I32S(b))  \
  X(i32_lt_u, uint32_t, a < b)                         \
  X(i32_gt_s, uint32_t, WASMRUN_I32S(a) > WASMRUN_I32S(b))  \
  X(i32_gt_u, uint32_t, a > b)                         \
  X(i32_le_s, uint32_t, WASMRUN_I32S(a) <= WASMRUN_I32S(b)) \
  X(i32_le_u, uint32_t, a <= b)                        \
  X(i32_ge_s, uint32_t, WASMRUN_I32S(a) >= WASMRUN_I32S(b)) \
  X(i32_ge_u, uint32_t, a >= b)                        \
  X(i64_eq, uint64_t, a == b)                          \
  X(i64_ne, uint64_t, a != b)                          \
  X(i64_lt_s, uint64_t, WASMRUN_I64S(a) < WASMRUN_I64S(b))  \
  X(i64_lt_u, uint64_t, a < b)                         \
  X(i64_gt_s, uint64_t, WASMRUN_I64S(a) > WASMRUN_I64S(b))  \
  X(i64_gt_u, uint64_t, a > b)                         \
  X(i64_le_s, uint64_t, WASMRUN_I64S(a) <= WASMRUN_I64S(b)) \
  X(i64_le_u, uint64_t, a <= b)                        \
  X(i64_ge_s, uint64_t, WASMRUN_I64S(a) >= WASMRUN_I64S(b)) \
  X(i64_ge_u, uint64_t, a >= b)

// Float comparisons fused with a following br_if / if: X(op, type, expression).
// `!(a < b)` is not `a >= b` (NaN), so the negated branch is its own handler.
#define WASMRUN_INTERP_FCMPS(X) \
  X(f32_eq, float, a == b)      \
  X(f32_ne, float, a != b)      \
  X(f32_lt, float, a < b)       \
  X(f32_gt, float, a > b)       \
  X(f32_le, float, a <= b)      \
  X(f32_ge, float, a >= b)      \
  X(f64_eq, double, a == b)     \
  X(f64_ne, double, a != b)     \
  X(f64_lt, double, a < b)      \
  X(f64_gt, double, a > b)      \
  X(f64_le, double, a <= b)     \
  X(f64_ge, double, a >= b)

// Integer arithmetic with a register-immediate form: X(op, type, expression).
#define WASMRUN_INTERP_IARITH(X)                      \
  X(i32_add, uint32_t, a + b)                         \
  X(i32_sub, uint32_t, a - b)                         \
  X(i32_mul, uint32_t, a * b)                         \
  X(i32_and, uint32_t, a & b)                         \
  X(i32_or, uint32_t, a | b)                          \
  X(i32_xor, uint32_t, a ^ b)                         \
  X(i32_shl, uint32_t, a << (b & 31))                 \
  X(i32_shr_s, uint32_t, WASMRUN_I32S(a) >> (b & 31)) \
  X(i32_shr_u, uint32_t, a >> (b & 31))               \
  X(i64_add, uint64_t, a + b)                         \
  X(i64_sub, uint64_t, a - b)                         \
  X(i64_mul, uint64_t, a * b)                         \
  X(i64_and, uint64_t, a & b)                         \
  X(i64_or, uint64_t, a | b)                          \
  X(i64_xor, uint64_t, a ^ b)                         \
  X(i64_shl, uint64_t, a << (b & 63))                 \
  X(i64_shr_s, uint64_t, WASMRUN_I64S(a) >> (b & 63)) \
  X(i64_shr_u, uint64_t, a >> (b & 63))
