// The interpreter's internal operations. An internal op id is the wasm Op id for
// every wasm instruction (same numbering, so lowering maps most instructions
// directly), followed by interpreter-only ops: slot copies, inverted branches,
// 128-bit variants, and `_m` variants of memory accesses that name a memory index
// or use 64-bit addresses (the plain forms address memory 0 with a 32-bit index),
// and superinstructions: `_a` loads and stores that fold the `i32.add x, K` of
// their address, `copy_br` (a local.set and the branch after it) and
// `add_ri_brnz`/`add_ri_brz` (an i32 add or sub of a constant, then a branch on
// whether the result is zero), `i32_add_shl` (`y + (x << K)`, array indexing)
// and its kin `i32_add_shr_u`, `i32_xor_shl`, `i32_xor_shr_u` (hashes, PRNGs),
// `brif_`/`brifnot_` float comparisons fused with a branch, and a float mul
// whose product an add or sub consumes (`f64_mul_add` is `a*b + c`, `f64_add_mul`
// `c + a*b`: two roundings, operands in wasm order, never an FMA). Plus
// `memory_copy0`/`memory_fill0`: memory.copy/fill within memory 0 (32-bit).
#pragma once

#include <cstdint>

#include "engine/interp/numeric_ops.h"
#include "engine/interp/simd.h"
#include "engine/opcodes.h"

// Scalar loads: X(op, memory type, stored type)
#define WASMRUN_INTERP_LOADS(X)       \
  X(i32_load, uint32_t, uint32_t)     \
  X(i64_load, uint64_t, uint64_t)     \
  X(f32_load, uint32_t, uint32_t)     \
  X(f64_load, uint64_t, uint64_t)     \
  X(i32_load8_s, int8_t, uint32_t)    \
  X(i32_load8_u, uint8_t, uint32_t)   \
  X(i32_load16_s, int16_t, uint32_t)  \
  X(i32_load16_u, uint16_t, uint32_t) \
  X(i64_load8_s, int8_t, uint64_t)    \
  X(i64_load8_u, uint8_t, uint64_t)   \
  X(i64_load16_s, int16_t, uint64_t)  \
  X(i64_load16_u, uint16_t, uint64_t) \
  X(i64_load32_s, int32_t, uint64_t)  \
  X(i64_load32_u, uint32_t, uint64_t)

// Scalar stores: X(op, memory type, slot type)
#define WASMRUN_INTERP_STORES(X)     \
  X(i32_store, uint32_t, uint32_t)   \
  X(i64_store, uint64_t, uint64_t)   \
  X(f32_store, uint32_t, uint32_t)   \
  X(f64_store, uint64_t, uint64_t)   \
  X(i32_store8, uint8_t, uint32_t)   \
  X(i32_store16, uint16_t, uint32_t) \
  X(i64_store8, uint8_t, uint64_t)   \
  X(i64_store16, uint16_t, uint64_t) \
  X(i64_store32, uint32_t, uint64_t)

#define WASMRUN_INTERP_EXTRA(X) \
  X(copy)                       \
  X(copy128)                    \
  X(br_unless)                  \
  X(select128)                  \
  X(global_get128)              \
  X(global_set128)              \
  X(v128_store_m)               \
  X(brif_i32_eqz)               \
  X(brif_i32_nez)               \
  X(brif_i64_eqz)               \
  X(brif_i64_nez)               \
  X(copy_br)                    \
  X(add_ri_brnz)                \
  X(add_ri_brz)                 \
  X(i32_add_shl)                \
  X(i32_add_shr_u)              \
  X(i32_xor_shl)                \
  X(i32_xor_shr_u)              \
  X(f32_mul_add)                \
  X(f32_add_mul)                \
  X(f32_mul_sub)                \
  X(f32_sub_mul)                \
  X(f64_mul_add)                \
  X(f64_add_mul)                \
  X(f64_mul_sub)                \
  X(f64_sub_mul)                \
  X(memory_copy0)               \
  X(memory_fill0)

namespace wasmrun::interp {

enum class IOp : uint16_t {
#define WASMRUN_OPCODE(ident, mnemonic, prefix, code, imm, sig) ident,
#include "engine/opcodes.def"
#undef WASMRUN_OPCODE
#define WASMRUN_X(n) n,
  WASMRUN_INTERP_EXTRA(WASMRUN_X)
#undef WASMRUN_X
// clang-format off
#define WASMRUN_XM(n, ...) n##_m,
  WASMRUN_INTERP_LOADS(WASMRUN_XM)
  WASMRUN_INTERP_STORES(WASMRUN_XM)
  WASMRUN_SIMD_LOAD(WASMRUN_XM)
  WASMRUN_SIMD_LOAD_LANE(WASMRUN_XM)
  WASMRUN_SIMD_STORE_LANE(WASMRUN_XM)
#undef WASMRUN_XM
#define WASMRUN_XA(n, ...) n##_a,
  WASMRUN_INTERP_LOADS(WASMRUN_XA)
  WASMRUN_INTERP_STORES(WASMRUN_XA)
#undef WASMRUN_XA
#define WASMRUN_XRI(n, ...) n##_ri,
#define WASMRUN_XBR(n, ...) brif_##n, brif_##n##_ri,
  WASMRUN_INTERP_ICMPS(WASMRUN_XRI)
  WASMRUN_INTERP_IARITH(WASMRUN_XRI)
  WASMRUN_INTERP_ICMPS(WASMRUN_XBR)
#define WASMRUN_XFBR(n, ...) brif_##n, brifnot_##n,
  WASMRUN_INTERP_FCMPS(WASMRUN_XFBR)
#undef WASMRUN_XRI
#undef WASMRUN_XBR
#undef WASMRUN_XFBR
  // clang-format on
  kCount_
};

inline constexpr unsigned kNumIOps = static_cast<unsigned>(IOp::kCount_);

inline IOp iop(Op op) { return static_cast<IOp>(static_cast<uint16_t>(op)); }
/// The `_m` variant of a memory access op (loads, stores, SIMD loads and lane ops).
IOp memory_variant(Op op);

/// The `_a` variant of a plain load or store: its address is a slot plus a
/// 32-bit addend (wrapping, as the `i32.add` it replaces), then the offset.
IOp addend_variant(Op op);

/// Register-immediate form of an integer op (kCount_ if none).
IOp ri_variant(Op op);
/// Fused compare-and-branch of an integer comparison; `inverted` branches when
/// the comparison is false. `imm` picks the register-immediate form.
IOp brif_variant(Op cmp, bool inverted, bool imm);

/// Handler addresses indexed by IOp (computed-goto labels of the run loop).
const void* const* handler_table();

}  // namespace wasmrun::interp
