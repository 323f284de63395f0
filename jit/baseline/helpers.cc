#include "jit/baseline/helpers.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "engine/interp/iops.h"
#include "engine/interp/numeric_ops.h"
#include "engine/interp/simd.h"
#include "engine/interp/slot_access.h"
#include "engine/runtime/objects.h"
#include "wasmrun/trap.h"

namespace wasmrun::jit {
namespace {

using rt::FuncInst;
using rt::MemoryInst;
using rt::TableInst;
using rt::VMContext;
namespace num = interp::num;

// The interpreter's slot accessors, so both tiers read memory the same way.
using interp::rd;
using interp::rdv;
using interp::wr;
using interp::wrv;

constexpr uint64_t trap(TrapKind k, uint64_t arg = 0) {
  return (static_cast<uint64_t>(k) + 1) | (arg << 8);
}

// ---- numeric (same rows as the interpreter's handlers) ----
#define DEF_UN(n, T, R, expr)                                   \
  uint64_t h_##n(uint64_t* s, VMContext*, uint64_t, uint64_t) { \
    T a = rd<T>(s);                                             \
    wr<R>(s, static_cast<R>(expr));                             \
    return 0;                                                   \
  }
WASMRUN_INTERP_UNOPS(DEF_UN)
#undef DEF_UN
#define DEF_BIN(n, T, R, expr)                                  \
  uint64_t h_##n(uint64_t* s, VMContext*, uint64_t, uint64_t) { \
    T a = rd<T>(s);                                             \
    T b = rd<T>(s + 1);                                         \
    wr<R>(s, static_cast<R>(expr));                             \
    return 0;                                                   \
  }
WASMRUN_INTERP_BINOPS(DEF_BIN)
#undef DEF_BIN
#define DEF_TRUNC(n, F, I, R)                                   \
  uint64_t h_##n(uint64_t* s, VMContext*, uint64_t, uint64_t) { \
    F a = rd<F>(s);                                             \
    int bad = num::trunc_check<I>(a);                           \
    if (bad == 1) return trap(TrapKind::InvalidConversion);     \
    if (bad == 2) return trap(TrapKind::IntegerOverflow);       \
    wr<R>(s, static_cast<R>(static_cast<I>(a)));                \
    return 0;                                                   \
  }
WASMRUN_INTERP_TRUNCS(DEF_TRUNC)
#undef DEF_TRUNC
#define DEF_DIV(n, U, S, is_signed, is_rem)                                                \
  uint64_t h_##n(uint64_t* s, VMContext*, uint64_t, uint64_t) {                            \
    U a = rd<U>(s);                                                                        \
    U b = rd<U>(s + 1);                                                                    \
    if (b == 0) return trap(TrapKind::IntegerDivideByZero);                                \
    U r;                                                                                   \
    if constexpr (is_signed) {                                                             \
      S sa = static_cast<S>(a), sb = static_cast<S>(b);                                    \
      if (sb == -1) {                                                                      \
        if constexpr (!is_rem) {                                                           \
          if (sa == std::numeric_limits<S>::min()) return trap(TrapKind::IntegerOverflow); \
        }                                                                                  \
        r = is_rem ? 0 : static_cast<U>(U{0} - a);                                         \
      } else {                                                                             \
        r = static_cast<U>(is_rem ? sa % sb : sa / sb);                                    \
      }                                                                                    \
    } else {                                                                               \
      r = is_rem ? a % b : a / b;                                                          \
    }                                                                                      \
    wr<U>(s, r);                                                                           \
    return 0;                                                                              \
  }
WASMRUN_INTERP_DIVS(DEF_DIV)
#undef DEF_DIV

// ---- SIMD (semantics from simd.h) ----
#define DEF_V_UN(n)                                             \
  uint64_t h_##n(uint64_t* s, VMContext*, uint64_t, uint64_t) { \
    wrv(s, simd::n(rdv(s)));                                    \
    return 0;                                                   \
  }
WASMRUN_SIMD_UNARY(DEF_V_UN)
#undef DEF_V_UN
#define DEF_V_BIN(n)                                            \
  uint64_t h_##n(uint64_t* s, VMContext*, uint64_t, uint64_t) { \
    wrv(s, simd::n(rdv(s), rdv(s + 2)));                        \
    return 0;                                                   \
  }
WASMRUN_SIMD_BINARY(DEF_V_BIN)
#undef DEF_V_BIN
#define DEF_V_TERN(n)                                           \
  uint64_t h_##n(uint64_t* s, VMContext*, uint64_t, uint64_t) { \
    wrv(s, simd::n(rdv(s), rdv(s + 2), rdv(s + 4)));            \
    return 0;                                                   \
  }
WASMRUN_SIMD_TERNARY(DEF_V_TERN)
#undef DEF_V_TERN
#define DEF_V_SHIFT(n)                                          \
  uint64_t h_##n(uint64_t* s, VMContext*, uint64_t, uint64_t) { \
    wrv(s, simd::n(rdv(s), rd<uint32_t>(s + 2)));               \
    return 0;                                                   \
  }
WASMRUN_SIMD_SHIFT(DEF_V_SHIFT)
#undef DEF_V_SHIFT
#define DEF_V_TEST(n)                                           \
  uint64_t h_##n(uint64_t* s, VMContext*, uint64_t, uint64_t) { \
    wr<uint32_t>(s, static_cast<uint32_t>(simd::n(rdv(s))));    \
    return 0;                                                   \
  }
WASMRUN_SIMD_TEST(DEF_V_TEST)
#undef DEF_V_TEST
#define DEF_V_SPLAT(n, T)                                       \
  uint64_t h_##n(uint64_t* s, VMContext*, uint64_t, uint64_t) { \
    wrv(s, simd::n(rd<T>(s)));                                  \
    return 0;                                                   \
  }
#define DEF_V_SPLAT32(n) DEF_V_SPLAT(n, uint32_t)
#define DEF_V_SPLAT64(n) DEF_V_SPLAT(n, uint64_t)
WASMRUN_SIMD_SPLAT32(DEF_V_SPLAT32)
WASMRUN_SIMD_SPLAT64(DEF_V_SPLAT64)
#undef DEF_V_SPLAT
#define DEF_V_EXTRACT(n, T)                                          \
  uint64_t h_##n(uint64_t* s, VMContext*, uint64_t lane, uint64_t) { \
    wr<T>(s, simd::n(rdv(s), static_cast<uint8_t>(lane)));           \
    return 0;                                                        \
  }
#define DEF_V_EXTRACT32(n) DEF_V_EXTRACT(n, uint32_t)
#define DEF_V_EXTRACT64(n) DEF_V_EXTRACT(n, uint64_t)
WASMRUN_SIMD_EXTRACT32(DEF_V_EXTRACT32)
WASMRUN_SIMD_EXTRACT64(DEF_V_EXTRACT64)
#undef DEF_V_EXTRACT
#define DEF_V_REPLACE(n, T)                                            \
  uint64_t h_##n(uint64_t* s, VMContext*, uint64_t lane, uint64_t) {   \
    wrv(s, simd::n(rdv(s), static_cast<uint8_t>(lane), rd<T>(s + 2))); \
    return 0;                                                          \
  }
#define DEF_V_REPLACE32(n) DEF_V_REPLACE(n, uint32_t)
#define DEF_V_REPLACE64(n) DEF_V_REPLACE(n, uint64_t)
WASMRUN_SIMD_REPLACE32(DEF_V_REPLACE32)
WASMRUN_SIMD_REPLACE64(DEF_V_REPLACE64)
#undef DEF_V_REPLACE

// ---- memory, general form: explicit bounds checks (any memory, memory64) ----
inline uint8_t* effective(VMContext* ctx, uint64_t addr_slot, uint64_t off, uint64_t b,
                          uint64_t n) {
  MemoryInst* mem = ctx->memories[static_cast<uint32_t>(b)];
  uint64_t addr = mem->type.limits.address64 ? addr_slot : static_cast<uint32_t>(addr_slot);
  uint64_t ea;
  if (__builtin_add_overflow(addr, off, &ea) || ea > mem->size || mem->size - ea < n)
    return nullptr;
  return mem->base + ea;
}
#define DEF_LOAD(n, M, R)                                                 \
  uint64_t m_##n(uint64_t* s, VMContext* ctx, uint64_t off, uint64_t b) { \
    uint8_t* p = effective(ctx, s[0], off, b, sizeof(M));                 \
    if (!p) return trap(TrapKind::OutOfBoundsMemory);                     \
    M v;                                                                  \
    std::memcpy(&v, p, sizeof(M));                                        \
    wr<R>(s, static_cast<R>(v));                                          \
    return 0;                                                             \
  }
WASMRUN_INTERP_LOADS(DEF_LOAD)
#undef DEF_LOAD
#define DEF_STORE(n, M, V)                                                \
  uint64_t m_##n(uint64_t* s, VMContext* ctx, uint64_t off, uint64_t b) { \
    uint8_t* p = effective(ctx, s[0], off, b, sizeof(M));                 \
    if (!p) return trap(TrapKind::OutOfBoundsMemory);                     \
    M v = static_cast<M>(rd<V>(s + 1));                                   \
    std::memcpy(p, &v, sizeof(M));                                        \
    return 0;                                                             \
  }
WASMRUN_INTERP_STORES(DEF_STORE)
#undef DEF_STORE
#define DEF_VLOAD(n, helper)                                              \
  uint64_t m_##n(uint64_t* s, VMContext* ctx, uint64_t off, uint64_t b) { \
    uint8_t* p = effective(ctx, s[0], off, b, simd::kLoadBytes_##helper); \
    if (!p) return trap(TrapKind::OutOfBoundsMemory);                     \
    wrv(s, simd::helper(p));                                              \
    return 0;                                                             \
  }
WASMRUN_SIMD_LOAD(DEF_VLOAD)
#undef DEF_VLOAD
#define DEF_LOAD_LANE(n, helper, bytes)                                   \
  uint64_t m_##n(uint64_t* s, VMContext* ctx, uint64_t off, uint64_t b) { \
    uint8_t* p = effective(ctx, s[0], off, b, bytes);                     \
    if (!p) return trap(TrapKind::OutOfBoundsMemory);                     \
    wrv(s, simd::helper(rdv(s + 1), p, static_cast<uint8_t>(b >> 32)));   \
    return 0;                                                             \
  }
WASMRUN_SIMD_LOAD_LANE(DEF_LOAD_LANE)
#undef DEF_LOAD_LANE
#define DEF_STORE_LANE(n, helper, bytes)                                  \
  uint64_t m_##n(uint64_t* s, VMContext* ctx, uint64_t off, uint64_t b) { \
    uint8_t* p = effective(ctx, s[0], off, b, bytes);                     \
    if (!p) return trap(TrapKind::OutOfBoundsMemory);                     \
    simd::helper(rdv(s + 1), p, static_cast<uint8_t>(b >> 32));           \
    return 0;                                                             \
  }
WASMRUN_SIMD_STORE_LANE(DEF_STORE_LANE)
#undef DEF_STORE_LANE
uint64_t m_v128_store(uint64_t* s, VMContext* ctx, uint64_t off, uint64_t b) {
  uint8_t* p = effective(ctx, s[0], off, b, 16);
  if (!p) return trap(TrapKind::OutOfBoundsMemory);
  std::memcpy(p, s + 1, 16);
  return 0;
}

inline uint64_t idx(const uint64_t* s, bool is64) {
  return is64 ? s[0] : static_cast<uint32_t>(s[0]);
}

}  // namespace

HelperFn value_helper(Op op) {
  switch (op) {
#define CASE(n, ...) \
  case Op::n: return h_##n;
    WASMRUN_INTERP_UNOPS(CASE)
    WASMRUN_INTERP_BINOPS(CASE)
    WASMRUN_INTERP_TRUNCS(CASE)
    WASMRUN_INTERP_DIVS(CASE)
    WASMRUN_SIMD_UNARY(CASE)
    WASMRUN_SIMD_BINARY(CASE)
    WASMRUN_SIMD_TERNARY(CASE)
    WASMRUN_SIMD_SHIFT(CASE)
    WASMRUN_SIMD_TEST(CASE)
    WASMRUN_SIMD_SPLAT32(CASE)
    WASMRUN_SIMD_SPLAT64(CASE)
    WASMRUN_SIMD_EXTRACT32(CASE)
    WASMRUN_SIMD_EXTRACT64(CASE)
    WASMRUN_SIMD_REPLACE32(CASE)
    WASMRUN_SIMD_REPLACE64(CASE)
#undef CASE
    default: return nullptr;
  }
}

HelperFn memory_helper(Op op) {
  switch (op) {
#define CASE(n, ...) \
  case Op::n: return m_##n;
    WASMRUN_INTERP_LOADS(CASE)
    WASMRUN_INTERP_STORES(CASE)
    WASMRUN_SIMD_LOAD(CASE)
    WASMRUN_SIMD_LOAD_LANE(CASE)
    WASMRUN_SIMD_STORE_LANE(CASE)
#undef CASE
    case Op::v128_store: return m_v128_store;
    default: return nullptr;
  }
}

// memory.size: s[0] <- pages of memory `mem`.
uint64_t h_memory_size(uint64_t* s, VMContext* ctx, uint64_t mem, uint64_t) {
  s[0] = ctx->memories[mem]->pages();
  return 0;
}
// memory.grow: s[0] = delta -> old pages or -1.
uint64_t h_memory_grow(uint64_t* s, VMContext* ctx, uint64_t mem, uint64_t) {
  MemoryInst* m = ctx->memories[mem];
  s[0] = static_cast<uint64_t>(m->grow(idx(s, m->type.limits.address64)));
  return 0;
}
// memory.fill: s = [dst, value, n].
uint64_t h_memory_fill(uint64_t* s, VMContext* ctx, uint64_t mem, uint64_t) {
  MemoryInst* m = ctx->memories[mem];
  bool w64 = m->type.limits.address64;
  uint64_t d = idx(s, w64), n = idx(s + 2, w64);
  if (d > m->size || n > m->size - d) return trap(TrapKind::OutOfBoundsMemory);
  std::memset(m->base + d, static_cast<uint8_t>(s[1]), n);
  return 0;
}
// memory.copy: s = [dst, src, n].
uint64_t h_memory_copy(uint64_t* s, VMContext* ctx, uint64_t dst, uint64_t src) {
  MemoryInst* dm = ctx->memories[dst];
  MemoryInst* sm = ctx->memories[src];
  bool d64 = dm->type.limits.address64, s64 = sm->type.limits.address64;
  uint64_t d = idx(s, d64), sa = idx(s + 1, s64), n = idx(s + 2, d64 && s64);
  if (d > dm->size || n > dm->size - d || sa > sm->size || n > sm->size - sa)
    return trap(TrapKind::OutOfBoundsMemory);
  std::memmove(dm->base + d, sm->base + sa, n);
  return 0;
}
// memory.init: s = [dst, src offset, n].
uint64_t h_memory_init(uint64_t* s, VMContext* ctx, uint64_t seg_index, uint64_t mem) {
  const Span& seg = ctx->instance->datas[seg_index];
  MemoryInst* m = ctx->memories[mem];
  uint64_t d = idx(s, m->type.limits.address64);
  uint64_t sa = static_cast<uint32_t>(s[1]), n = static_cast<uint32_t>(s[2]);
  if (sa > seg.size || n > seg.size - sa || d > m->size || n > m->size - d)
    return trap(TrapKind::OutOfBoundsMemory);
  if (n) std::memcpy(m->base + d, ctx->instance->m().data(seg) + sa, n);
  return 0;
}
uint64_t h_data_drop(uint64_t*, VMContext* ctx, uint64_t seg, uint64_t) {
  ctx->instance->datas[seg].size = 0;
  return 0;
}
// table.get: s[0] = index -> reference.
uint64_t h_table_get(uint64_t* s, VMContext* ctx, uint64_t table, uint64_t) {
  TableInst* t = ctx->tables[table];
  uint64_t i = idx(s, t->type.limits.address64);
  if (i >= t->size) return trap(TrapKind::OutOfBoundsTable);
  s[0] = t->data[i];
  return 0;
}
// table.set: s = [index, reference].
uint64_t h_table_set(uint64_t* s, VMContext* ctx, uint64_t table, uint64_t) {
  TableInst* t = ctx->tables[table];
  uint64_t i = idx(s, t->type.limits.address64);
  if (i >= t->size) return trap(TrapKind::OutOfBoundsTable);
  t->data[i] = s[1];
  return 0;
}
uint64_t h_table_size(uint64_t* s, VMContext* ctx, uint64_t table, uint64_t) {
  s[0] = ctx->tables[table]->size;
  return 0;
}
// table.grow: s = [init reference, delta] -> old size or -1.
uint64_t h_table_grow(uint64_t* s, VMContext* ctx, uint64_t table, uint64_t) {
  TableInst* t = ctx->tables[table];
  uint64_t n = idx(s + 1, t->type.limits.address64);
  s[0] = static_cast<uint64_t>(t->grow(n, s[0]));
  return 0;
}
// table.fill: s = [index, reference, n].
uint64_t h_table_fill(uint64_t* s, VMContext* ctx, uint64_t table, uint64_t) {
  TableInst* t = ctx->tables[table];
  bool w64 = t->type.limits.address64;
  uint64_t i = idx(s, w64), n = idx(s + 2, w64);
  if (i > t->size || n > t->size - i) return trap(TrapKind::OutOfBoundsTable);
  for (uint64_t k = 0; k < n; ++k) t->data[i + k] = s[1];
  return 0;
}
// table.copy: s = [dst, src, n].
uint64_t h_table_copy(uint64_t* s, VMContext* ctx, uint64_t dst, uint64_t src) {
  TableInst* dt = ctx->tables[dst];
  TableInst* st = ctx->tables[src];
  bool d64 = dt->type.limits.address64, s64 = st->type.limits.address64;
  uint64_t d = idx(s, d64), sa = idx(s + 1, s64), n = idx(s + 2, d64 && s64);
  if (d > dt->size || n > dt->size - d || sa > st->size || n > st->size - sa)
    return trap(TrapKind::OutOfBoundsTable);
  std::memmove(dt->data + d, st->data + sa, n * sizeof(uint64_t));
  return 0;
}
// table.init: s = [dst, src offset, n].
uint64_t h_table_init(uint64_t* s, VMContext* ctx, uint64_t seg_index, uint64_t table) {
  const std::vector<uint64_t>& seg = ctx->instance->elems[seg_index];
  TableInst* t = ctx->tables[table];
  uint64_t d = idx(s, t->type.limits.address64);
  uint64_t sa = static_cast<uint32_t>(s[1]), n = static_cast<uint32_t>(s[2]);
  if (sa > seg.size() || n > seg.size() - sa || d > t->size || n > t->size - d)
    return trap(TrapKind::OutOfBoundsTable);
  if (n) std::memcpy(t->data + d, seg.data() + sa, n * sizeof(uint64_t));
  return 0;
}
uint64_t h_elem_drop(uint64_t*, VMContext* ctx, uint64_t seg, uint64_t) {
  std::vector<uint64_t>().swap(ctx->instance->elems[seg]);
  return 0;
}
uint64_t h_call_indirect(uint64_t* s, VMContext* ctx, uint64_t type, uint64_t table) {
  TableInst* t = ctx->tables[table];
  uint64_t i = idx(s, t->type.limits.address64);
  if (i >= t->size) return trap(TrapKind::UndefinedElement);
  auto* callee = reinterpret_cast<FuncInst*>(t->data[i]);
  if (!callee) return trap(TrapKind::UninitializedElement, i);
  uint32_t want = ctx->type_ids[type];
  if (callee->type_id != want &&
      !ctx->instance->module->engine->types.is_subtype(callee->type_id, want))
    return trap(TrapKind::IndirectCallTypeMismatch);
  s[0] = reinterpret_cast<uint64_t>(callee);
  return 0;
}
uint64_t h_shuffle(uint64_t* s, VMContext*, uint64_t lanes, uint64_t) {
  wrv(s, simd::i8x16_shuffle(rdv(s), rdv(s + 2), reinterpret_cast<const uint8_t*>(lanes)));
  return 0;
}

}  // namespace wasmrun::jit
