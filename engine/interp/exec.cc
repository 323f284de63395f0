// The interpreter's run loop: direct-threaded dispatch over lowered code (code.h).
//
// Every handler ends by loading the next instruction's handler address and
// jumping to it (computed goto), so there is no central switch and no decoding at
// run time. Wasm-to-wasm calls push a Frame on a per-thread frame stack and stay
// in this loop; only host functions are called through C++. The frame stack's
// depth and the value stack's size are both bounded and checked at every call,
// which turns runaway recursion into the "call stack exhausted" trap.
#include <sys/mman.h>

#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "engine/interp/atomic_ops.h"
#include "engine/interp/dump.h"
#include "engine/interp/exceptions.h"
#include "engine/interp/gc_ops.h"
#include "engine/interp/interp.h"
#include "engine/interp/iops.h"
#include "engine/interp/numeric_ops.h"
#include "engine/interp/simd.h"
#include "engine/interp/slot_access.h"
#include "engine/runtime/objects.h"

// Every float operation rounds on its own, as wasm requires: no contraction of a
// multiply and an add into an FMA (the fused mul/add handlers rely on this).
#pragma STDC FP_CONTRACT OFF

namespace wasmrun::interp {
namespace {

using rt::FuncInst;
using rt::InstanceInst;
using rt::MemoryInst;
using rt::TableInst;
using rt::VMContext;

struct Frame {
  const uint32_t* ip;  ///< return address in the caller
  uint64_t* fp;
  const Code* code;
  VMContext* ctx;
};

/// Per-thread execution state: the value stack and the frame stack.
struct Thread {
  uint64_t* stack = nullptr;
  uint64_t* stack_end = nullptr;
  size_t stack_bytes = 0;
  uint64_t* sp = nullptr;  ///< first free slot for the next entry from the host
  std::vector<Frame> frames;
  uint32_t depth = 0;
  uint32_t max_depth = 0;
  /// Nested entries from the host (wasm -> host -> wasm ...). Each one uses native
  /// stack, so they are capped well below what the native stack can hold.
  uint32_t nesting = 0;

  ~Thread() {
    if (stack) munmap(stack, stack_bytes);
  }
  bool init(const api::EngineConfig& cfg) {
    if (!stack) {
      stack_bytes = cfg.value_stack_bytes;
      void* p = mmap(nullptr, stack_bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (p == MAP_FAILED) return false;
      stack = static_cast<uint64_t*>(p);
      stack_end = stack + stack_bytes / 8;
      sp = stack;
    }
    if (frames.size() < size_t{cfg.max_call_depth} + 1)
      frames.resize(size_t{cfg.max_call_depth} + 1);
    if (depth == 0) max_depth = cfg.max_call_depth;
    return true;
  }
};

thread_local Thread t_thread;

/// Initializes a new frame's locals and constant pool. Frames are small, so an
/// inline copy beats a call to memcpy (and a call to this function: it is forced
/// inline, the compiler otherwise keeps it out of the large run loop).
[[gnu::always_inline]] inline void init_frame(uint64_t* dst, const uint64_t* src, size_t n) {
  while (n >= 4) {
    __builtin_memcpy_inline(dst, src, 4 * sizeof(uint64_t));
    dst += 4;
    src += 4;
    n -= 4;
  }
  switch (n) {
    case 3: dst[2] = src[2]; [[fallthrough]];
    case 2: dst[1] = src[1]; [[fallthrough]];
    case 1: dst[0] = src[0]; [[fallthrough]];
    default: break;
  }
}

/// An immediate of type T stored in 32-bit code words (low word first).
template <class T>
inline T imm(const uint32_t* p) {
  if constexpr (sizeof(T) == 4)
    return static_cast<T>(p[0]);
  else
    return static_cast<T>(p[0] | (uint64_t{p[1]} << 32));
}

uint8_t slot_width(const ValType& t) { return t.kind == ValKind::V128 ? 2 : 1; }

Status call_host(FuncInst* f, uint64_t* slots, InstanceInst* caller) {
  const FuncType& t = *f->type;
  api::Value args_buf[8];
  std::vector<api::Value> args_vec;
  api::Value* args = args_buf;
  if (t.params.size() > 8) {
    args_vec.resize(t.params.size());
    args = args_vec.data();
  }
  uint32_t k = 0;
  for (size_t i = 0; i < t.params.size(); ++i) {
    args[i] = api::Value::from_raw(t.params[i], slots + k, *f->store);
    k += slot_width(t.params[i]);
  }
  api::Value results_buf[4];
  std::vector<api::Value> results_vec;
  api::Value* results = results_buf;
  if (t.results.size() > 4) {
    results_vec.resize(t.results.size());
    results = results_vec.data();
  }
  for (size_t i = 0; i < t.results.size(); ++i) results[i] = api::Value::zero(t.results[i]);
  api::Caller c(f->store->owner, caller);
  Status s = f->host(c, std::span<const api::Value>(args, t.params.size()),
                     std::span<api::Value>(results, t.results.size()));
  if (!s.ok()) return s;
  k = 0;
  for (size_t i = 0; i < t.results.size(); ++i) {
    results[i].to_raw(slots + k);
    k += slot_width(t.results[i]);
  }
  return {};
}

Result<const Code*> code_of(FuncInst* f) {
  if (f->code) return f->code;
  const Module& m = f->instance->m();
  auto c = get_code(*f->instance->module, f->index - m.num_imported_funcs);
  if (!c.ok()) return c;
  f->code = *c;
  return c;
}

// Helpers for the run loop that keep non-trivially destructible objects out of
// handler scopes (an indirect goto may not leave such a scope).
bool host_call(FuncInst* f, uint64_t* slots, InstanceInst* caller, Error& err) {
  Status s = call_host(f, slots, caller);
  if (s.ok()) return true;
  err = std::move(s).error();
  return false;
}

const Code* code_or_error(FuncInst* f, Error& err) {
  auto c = code_of(f);
  if (c.ok()) return *c;
  err = std::move(c).error();
  return nullptr;
}

/// The backtrace entry of `c` at code word `at`.
void add_frame(std::vector<TrapFrame>& bt, const Code* c, const uint32_t* at) {
  if (!c) return;
  TrapFrame fr;
  fr.func_index = c->func_index;
  uint32_t pos = static_cast<uint32_t>(at - c->words.data());
  fr.offset = c->wasm_offset(pos);
  if (c->module) {
    auto it = c->module->names.functions.find(c->func_index);
    if (it != c->module->names.functions.end()) fr.func_name = it->second;
  }
  bt.push_back(std::move(fr));
}

Error make_trap(TrapKind kind, Thread& th, const Code* code, const uint32_t* ip) {
  auto info = std::make_shared<TrapInfo>();
  info->kind = kind;
  add_frame(info->backtrace, code, ip);
  // Every frame of this thread, also those of outer entries (wasm -> host ->
  // wasm: a host function's caller pushed its frame before the call) and the
  // baseline JIT's frames between and around them (JIT -> interpreter).
  if (&baseline_outer_backtrace != nullptr)
    baseline_outer_backtrace(info->backtrace, th.depth);
  else
    append_frames(info->backtrace, 0, th.depth);
  Error e(kind == TrapKind::StackExhausted ? ErrorKind::Exhaustion : ErrorKind::Trap,
          trap_message(kind));
  e.trap = std::move(info);
  return e;
}

/// Runs `f` with its arguments already in `fp`. With `table_out` set, only
/// publishes the handler table.
Status run(Thread& th, FuncInst* f, uint64_t* fp, const void*** table_out) {
  static const void* table[kNumIOps];
  if (table_out) {
    for (auto& h : table) h = &&L_unimplemented;
#define REG(n, ...) table[static_cast<unsigned>(IOp::n)] = &&L_##n;
#define REG_M(n, ...) table[static_cast<unsigned>(IOp::n##_m)] = &&L_##n##_m;
#define REG_A(n, ...) table[static_cast<unsigned>(IOp::n##_a)] = &&L_##n##_a;
    WASMRUN_INTERP_UNOPS(REG)
    WASMRUN_INTERP_BINOPS(REG)
    WASMRUN_INTERP_TRUNCS(REG)
    WASMRUN_INTERP_DIVS(REG)
    WASMRUN_INTERP_LOADS(REG)
    WASMRUN_INTERP_LOADS(REG_M)
    WASMRUN_INTERP_LOADS(REG_A)
    WASMRUN_INTERP_STORES(REG)
    WASMRUN_INTERP_STORES(REG_M)
    WASMRUN_INTERP_STORES(REG_A)
    WASMRUN_SIMD_LOAD(REG)
    WASMRUN_SIMD_LOAD(REG_M)
    WASMRUN_SIMD_LOAD_LANE(REG)
    WASMRUN_SIMD_LOAD_LANE(REG_M)
    WASMRUN_SIMD_STORE_LANE(REG)
    WASMRUN_SIMD_STORE_LANE(REG_M)
    WASMRUN_SIMD_UNARY(REG)
    WASMRUN_SIMD_BINARY(REG)
    WASMRUN_SIMD_TERNARY(REG)
    WASMRUN_SIMD_SHIFT(REG)
    WASMRUN_SIMD_TEST(REG)
    WASMRUN_SIMD_SPLAT32(REG)
    WASMRUN_SIMD_SPLAT64(REG)
    WASMRUN_SIMD_EXTRACT32(REG)
    WASMRUN_SIMD_EXTRACT64(REG)
    WASMRUN_SIMD_REPLACE32(REG)
    WASMRUN_SIMD_REPLACE64(REG)
    WASMRUN_INTERP_EXTRA(REG)
#define REG_RI(n, ...) table[static_cast<unsigned>(IOp::n##_ri)] = &&L_##n##_ri;
#define REG_BR(n, ...)                                        \
  table[static_cast<unsigned>(IOp::brif_##n)] = &&L_brif_##n; \
  table[static_cast<unsigned>(IOp::brif_##n##_ri)] = &&L_brif_##n##_ri;
    WASMRUN_INTERP_ICMPS(REG_RI)
    WASMRUN_INTERP_IARITH(REG_RI)
    WASMRUN_INTERP_ICMPS(REG_BR)
#define REG_FBR(n, ...)                                       \
  table[static_cast<unsigned>(IOp::brif_##n)] = &&L_brif_##n; \
  table[static_cast<unsigned>(IOp::brifnot_##n)] = &&L_brifnot_##n;
    WASMRUN_INTERP_FCMPS(REG_FBR)
#undef REG_RI
#undef REG_BR
#undef REG_FBR
#define WASMRUN_INTERP_CONTROL(X)                                                                  \
  X(unreachable)                                                                                   \
  X(br)                                                                                            \
  X(br_if)                                                                                         \
  X(br_table)                                                                                      \
  X(return_)                                                                                       \
  X(call)                                                                                          \
  X(call_indirect) X(return_call) X(return_call_indirect) X(call_ref) X(return_call_ref) X(select) \
      X(global_get) X(global_set) X(i32_const) X(i64_const) X(v128_const) X(ref_func)              \
          X(ref_is_null) X(ref_eq) X(ref_as_non_null) X(br_on_null) X(br_on_non_null) X(table_get) \
              X(table_set) X(table_size) X(table_grow) X(table_fill) X(table_copy) X(table_init)   \
                  X(elem_drop) X(memory_size) X(memory_grow) X(memory_fill) X(memory_copy)         \
                      X(memory_init) X(data_drop) X(v128_store) X(i8x16_shuffle)
    WASMRUN_INTERP_CONTROL(REG)
    WASMRUN_INTERP_GC_OPS(REG)
    REG(throw_) REG(throw_ref) REG(rethrow)
    for (unsigned i = 0; i < kNumOps; ++i)
      if (kOpInfo[i].prefix == 0xFE) table[i] = &&L_atomic;
#undef REG
#undef REG_M
#undef REG_A
    *table_out = table;
    return {};
  }

  const uint32_t entry_depth = th.depth;
  Error pending;
  const Code* code = code_or_error(f, pending);
  if (!code) return pending;
  VMContext* ctx = &f->instance->ctx;
  const uint32_t* ip = code->words.data();
  TrapKind trap = TrapKind::Unreachable;
  uint64_t trap_arg = 0;  // the element index of "uninitialized element N"
  FuncInst* callee = nullptr;
  rt::ExnInst* exn = nullptr;  // the exception being thrown (exn_handlers.inc)
  uint64_t* new_fp = nullptr;
  const uint32_t* ret_ip = nullptr;
  uint32_t tail_slots = 0;

  if (fp + code->frame_slots > th.stack_end) {
    trap = TrapKind::StackExhausted;
    goto L_trap;
  }
  if (!code->init.empty())
    std::memcpy(fp + code->num_param_slots, code->init.data(),
                code->init.size() * sizeof(uint64_t));

#define O(k) ip[2 + (k)]
#define SL(k) (fp + ip[2 + (k)])
#define DISPATCH()                    \
  do {                                \
    const void* h_;                   \
    std::memcpy(&h_, ip, sizeof(h_)); \
    goto* const_cast<void*>(h_);      \
  } while (0)
#define NEXT(n)    \
  do {             \
    ip += 2 + (n); \
    DISPATCH();    \
  } while (0)
#define TRAP(kind)         \
  do {                     \
    trap = TrapKind::kind; \
    goto L_trap;           \
  } while (0)
#define JUMP(k)                                            \
  do {                                                     \
    ip = &ip[2 + (k)] + static_cast<int32_t>(ip[2 + (k)]); \
    DISPATCH();                                            \
  } while (0)

  DISPATCH();

  // ---- numeric ----
#define DEF_UN(n, T, R, expr)           \
  L_##n : {                             \
    T a = rd<T>(SL(1));                 \
    wr<R>(SL(0), static_cast<R>(expr)); \
    NEXT(2);                            \
  }
  WASMRUN_INTERP_UNOPS(DEF_UN)
#undef DEF_UN
#define DEF_BIN(n, T, R, expr)          \
  L_##n : {                             \
    T a = rd<T>(SL(1));                 \
    T b = rd<T>(SL(2));                 \
    wr<R>(SL(0), static_cast<R>(expr)); \
    NEXT(3);                            \
  }
  WASMRUN_INTERP_BINOPS(DEF_BIN)
#undef DEF_BIN
#define DEF_TRUNC(n, F, I, R)                        \
  L_##n : {                                          \
    F a = rd<F>(SL(1));                              \
    int bad = num::trunc_check<I>(a);                \
    if (bad == 1) TRAP(InvalidConversion);           \
    if (bad == 2) TRAP(IntegerOverflow);             \
    wr<R>(SL(0), static_cast<R>(static_cast<I>(a))); \
    NEXT(2);                                         \
  }
  WASMRUN_INTERP_TRUNCS(DEF_TRUNC)
#undef DEF_TRUNC
#define DEF_DIV(n, U, S, is_signed, is_rem)                               \
  L_##n : {                                                               \
    U a = rd<U>(SL(1));                                                   \
    U b = rd<U>(SL(2));                                                   \
    if (b == 0) TRAP(IntegerDivideByZero);                                \
    U r;                                                                  \
    if constexpr (is_signed) {                                            \
      S sa = static_cast<S>(a), sb = static_cast<S>(b);                   \
      if (sb == -1) {                                                     \
        if constexpr (!is_rem) {                                          \
          if (sa == std::numeric_limits<S>::min()) TRAP(IntegerOverflow); \
        }                                                                 \
        r = is_rem ? 0 : static_cast<U>(U{0} - a);                        \
      } else {                                                            \
        r = static_cast<U>(is_rem ? sa % sb : sa / sb);                   \
      }                                                                   \
    } else {                                                              \
      r = is_rem ? a % b : a / b;                                         \
    }                                                                     \
    wr<U>(SL(0), r);                                                      \
    NEXT(3);                                                              \
  }
  WASMRUN_INTERP_DIVS(DEF_DIV)
#undef DEF_DIV

  // ---- register-immediate forms and fused compare-and-branch ----
#define DEF_RI(n, T, R, expr)           \
  L_##n##_ri : {                        \
    T a = rd<T>(SL(1));                 \
    T b = imm<T>(&O(2));                \
    wr<R>(SL(0), static_cast<R>(expr)); \
    NEXT(2 + sizeof(T) / 4);            \
  }
#define DEF_CMP_RI(n, T, expr) DEF_RI(n, T, uint32_t, expr)
#define DEF_ARITH_RI(n, T, expr) DEF_RI(n, T, T, expr)
  WASMRUN_INTERP_ICMPS(DEF_CMP_RI)
  WASMRUN_INTERP_IARITH(DEF_ARITH_RI)
#undef DEF_RI
#undef DEF_CMP_RI
#undef DEF_ARITH_RI
#define DEF_BRIF(n, T, expr)           \
  L_brif_##n : {                       \
    T a = rd<T>(SL(0));                \
    T b = rd<T>(SL(1));                \
    if (expr) JUMP(2);                 \
    NEXT(3);                           \
  }                                    \
  L_brif_##n##_ri : {                  \
    T a = rd<T>(SL(0));                \
    T b = imm<T>(&O(1));               \
    if (expr) JUMP(1 + sizeof(T) / 4); \
    NEXT(2 + sizeof(T) / 4);           \
  }
  WASMRUN_INTERP_ICMPS(DEF_BRIF)
#undef DEF_BRIF
#define DEF_FBRIF(n, T, expr) \
  L_brif_##n : {              \
    T a = rd<T>(SL(0));       \
    T b = rd<T>(SL(1));       \
    if (expr) JUMP(2);        \
    NEXT(3);                  \
  }                           \
  L_brifnot_##n : {           \
    T a = rd<T>(SL(0));       \
    T b = rd<T>(SL(1));       \
    if (!(expr)) JUMP(2);     \
    NEXT(3);                  \
  }
  WASMRUN_INTERP_FCMPS(DEF_FBRIF)
#undef DEF_FBRIF
L_brif_i32_eqz : {
  if (rd<uint32_t>(SL(0)) == 0) JUMP(1);
  NEXT(2);
}
L_brif_i32_nez : {
  if (rd<uint32_t>(SL(0)) != 0) JUMP(1);
  NEXT(2);
}
L_brif_i64_eqz : {
  if (rd<uint64_t>(SL(0)) == 0) JUMP(1);
  NEXT(2);
}
L_brif_i64_nez : {
  if (rd<uint64_t>(SL(0)) != 0) JUMP(1);
  NEXT(2);
}
  // An i32 add of a constant (sub is an add of the negated constant) whose result
  // a br_if / if tests: [dst, a, imm, target].
L_add_ri_brnz : {
  uint32_t r = rd<uint32_t>(SL(1)) + O(2);
  wr<uint32_t>(SL(0), r);
  if (r != 0) JUMP(3);
  NEXT(4);
}
L_add_ri_brz : {
  uint32_t r = rd<uint32_t>(SL(1)) + O(2);
  wr<uint32_t>(SL(0), r);
  if (r == 0) JUMP(3);
  NEXT(4);
}
// A float product consumed by an add or sub: [dst, a, b, c], the product a*b
// rounded, then combined with c in the order the wasm code had them (NaN
// payloads included: num::add_ordered, mul_ordered).
#define DEF_FMUL(T, t)                                  \
  L_##t##_mul_add : {                                   \
    T p = num::mul_ordered(rd<T>(SL(1)), rd<T>(SL(2))); \
    wr<T>(SL(0), num::add_ordered(p, rd<T>(SL(3))));    \
    NEXT(4);                                            \
  }                                                     \
  L_##t##_add_mul : {                                   \
    T p = num::mul_ordered(rd<T>(SL(1)), rd<T>(SL(2))); \
    wr<T>(SL(0), num::add_ordered(rd<T>(SL(3)), p));    \
    NEXT(4);                                            \
  }                                                     \
  L_##t##_mul_sub : {                                   \
    T p = num::mul_ordered(rd<T>(SL(1)), rd<T>(SL(2))); \
    wr<T>(SL(0), p - rd<T>(SL(3)));                     \
    NEXT(4);                                            \
  }                                                     \
  L_##t##_sub_mul : {                                   \
    T p = num::mul_ordered(rd<T>(SL(1)), rd<T>(SL(2))); \
    wr<T>(SL(0), rd<T>(SL(3)) - p);                     \
    NEXT(4);                                            \
  }
  DEF_FMUL(float, f32)
  DEF_FMUL(double, f64)
#undef DEF_FMUL
// `y + (x << K)` and kin, K already masked: [dst, y, x, K].
L_i32_add_shl : {
  wr<uint32_t>(SL(0), rd<uint32_t>(SL(1)) + (rd<uint32_t>(SL(2)) << O(3)));
  NEXT(4);
}
L_i32_add_shr_u : {
  wr<uint32_t>(SL(0), rd<uint32_t>(SL(1)) + (rd<uint32_t>(SL(2)) >> O(3)));
  NEXT(4);
}
L_i32_xor_shl : {
  wr<uint32_t>(SL(0), rd<uint32_t>(SL(1)) ^ (rd<uint32_t>(SL(2)) << O(3)));
  NEXT(4);
}
L_i32_xor_shr_u : {
  wr<uint32_t>(SL(0), rd<uint32_t>(SL(1)) ^ (rd<uint32_t>(SL(2)) >> O(3)));
  NEXT(4);
}

// ---- memory ----
// Fast forms: memory 0, 32-bit address; operands [.., addr, offset32, ..].
#define FAST_EA(addr_k, off_k, n)                              \
  uint64_t ea = uint64_t{rd<uint32_t>(SL(addr_k))} + O(off_k); \
  if (ea + (n) > ctx->memory0_size) TRAP(OutOfBoundsMemory);   \
  uint8_t* p = ctx->memory0_base + ea;
// General forms append [offset_hi, memory, is64] after the fast operands.
#define SLOW_EA(addr_k, off_k, hi_k, n)                                                 \
  MemoryInst* mem = ctx->memories[O(hi_k + 1)];                                         \
  uint64_t addr = O(hi_k + 2) ? rd<uint64_t>(SL(addr_k)) : rd<uint32_t>(SL(addr_k));    \
  uint64_t off = O(off_k) | (uint64_t{O(hi_k)} << 32);                                  \
  uint64_t ea;                                                                          \
  if (__builtin_add_overflow(addr, off, &ea) || ea > mem->size || mem->size - ea < (n)) \
    TRAP(OutOfBoundsMemory);                                                            \
  uint8_t* p = mem->base + ea;
// Addend forms: memory 0, 32-bit address; operands [.., addr, offset32, addend]:
// the address is the slot plus the addend, wrapped to 32 bits like the i32.add
// they fold, and only then extended and offset.
#define ADDEND_EA(addr_k, off_k, n)                                                        \
  uint64_t ea =                                                                            \
      uint64_t{static_cast<uint32_t>(rd<uint32_t>(SL(addr_k)) + O(off_k + 1))} + O(off_k); \
  if (ea + (n) > ctx->memory0_size) TRAP(OutOfBoundsMemory);                               \
  uint8_t* p = ctx->memory0_base + ea;
#define DEF_LOAD(n, M, R)                   \
  L_##n : {                                 \
    FAST_EA(1, 2, sizeof(M))                \
    wr<R>(SL(0), static_cast<R>(rd<M>(p))); \
    NEXT(3);                                \
  }                                         \
  L_##n##_a : {                             \
    ADDEND_EA(1, 2, sizeof(M))              \
    wr<R>(SL(0), static_cast<R>(rd<M>(p))); \
    NEXT(4);                                \
  }                                         \
  L_##n##_m : {                             \
    SLOW_EA(1, 2, 3, sizeof(M))             \
    wr<R>(SL(0), static_cast<R>(rd<M>(p))); \
    NEXT(6);                                \
  }
  WASMRUN_INTERP_LOADS(DEF_LOAD)
#undef DEF_LOAD
#define DEF_STORE(n, M, V)              \
  L_##n : {                             \
    FAST_EA(0, 2, sizeof(M))            \
    M v = static_cast<M>(rd<V>(SL(1))); \
    std::memcpy(p, &v, sizeof(M));      \
    NEXT(3);                            \
  }                                     \
  L_##n##_a : {                         \
    ADDEND_EA(0, 2, sizeof(M))          \
    M v = static_cast<M>(rd<V>(SL(1))); \
    std::memcpy(p, &v, sizeof(M));      \
    NEXT(4);                            \
  }                                     \
  L_##n##_m : {                         \
    SLOW_EA(0, 2, 3, sizeof(M))         \
    M v = static_cast<M>(rd<V>(SL(1))); \
    std::memcpy(p, &v, sizeof(M));      \
    NEXT(6);                            \
  }
  WASMRUN_INTERP_STORES(DEF_STORE)
#undef DEF_STORE
#define DEF_VLOAD(n, helper)                    \
  L_##n : {                                     \
    FAST_EA(1, 2, simd::kLoadBytes_##helper)    \
    wrv(SL(0), simd::helper(p));                \
    NEXT(3);                                    \
  }                                             \
  L_##n##_m : {                                 \
    SLOW_EA(1, 2, 3, simd::kLoadBytes_##helper) \
    wrv(SL(0), simd::helper(p));                \
    NEXT(6);                                    \
  }
  WASMRUN_SIMD_LOAD(DEF_VLOAD)
#undef DEF_VLOAD
  // Lane loads: [dst, addr, vec, offset, lane] (+ [offset_hi, memory, is64]).
#define DEF_LOAD_LANE(n, helper, bytes)                                  \
  L_##n : {                                                              \
    FAST_EA(1, 3, bytes)                                                 \
    wrv(SL(0), simd::helper(rdv(SL(2)), p, static_cast<uint8_t>(O(4)))); \
    NEXT(5);                                                             \
  }                                                                      \
  L_##n##_m : {                                                          \
    SLOW_EA(1, 3, 5, bytes)                                              \
    wrv(SL(0), simd::helper(rdv(SL(2)), p, static_cast<uint8_t>(O(4)))); \
    NEXT(8);                                                             \
  }
  WASMRUN_SIMD_LOAD_LANE(DEF_LOAD_LANE)
#undef DEF_LOAD_LANE
  // Lane stores: [addr, vec, offset, lane] (+ [offset_hi, memory, is64]).
#define DEF_STORE_LANE(n, helper, bytes)                     \
  L_##n : {                                                  \
    FAST_EA(0, 2, bytes)                                     \
    simd::helper(rdv(SL(1)), p, static_cast<uint8_t>(O(3))); \
    NEXT(4);                                                 \
  }                                                          \
  L_##n##_m : {                                              \
    SLOW_EA(0, 2, 4, bytes)                                  \
    simd::helper(rdv(SL(1)), p, static_cast<uint8_t>(O(3))); \
    NEXT(7);                                                 \
  }
  WASMRUN_SIMD_STORE_LANE(DEF_STORE_LANE)
#undef DEF_STORE_LANE
L_v128_store : {
  FAST_EA(0, 2, 16)
  std::memcpy(p, SL(1), 16);
  NEXT(3);
}
L_v128_store_m : {
  SLOW_EA(0, 2, 3, 16)
  std::memcpy(p, SL(1), 16);
  NEXT(6);
}

// ---- SIMD (semantics from simd.h) ----
#define DEF_V_UN(n)                  \
  L_##n : {                          \
    wrv(SL(0), simd::n(rdv(SL(1)))); \
    NEXT(2);                         \
  }
  WASMRUN_SIMD_UNARY(DEF_V_UN)
#undef DEF_V_UN
#define DEF_V_BIN(n)                             \
  L_##n : {                                      \
    wrv(SL(0), simd::n(rdv(SL(1)), rdv(SL(2)))); \
    NEXT(3);                                     \
  }
  WASMRUN_SIMD_BINARY(DEF_V_BIN)
#undef DEF_V_BIN
#define DEF_V_TERN(n)                                        \
  L_##n : {                                                  \
    wrv(SL(0), simd::n(rdv(SL(1)), rdv(SL(2)), rdv(SL(3)))); \
    NEXT(4);                                                 \
  }
  WASMRUN_SIMD_TERNARY(DEF_V_TERN)
#undef DEF_V_TERN
#define DEF_V_SHIFT(n)                                    \
  L_##n : {                                               \
    wrv(SL(0), simd::n(rdv(SL(1)), rd<uint32_t>(SL(2)))); \
    NEXT(3);                                              \
  }
  WASMRUN_SIMD_SHIFT(DEF_V_SHIFT)
#undef DEF_V_SHIFT
#define DEF_V_TEST(n)                                                \
  L_##n : {                                                          \
    wr<uint32_t>(SL(0), static_cast<uint32_t>(simd::n(rdv(SL(1))))); \
    NEXT(2);                                                         \
  }
  WASMRUN_SIMD_TEST(DEF_V_TEST)
#undef DEF_V_TEST
#define DEF_V_SPLAT(n, T)              \
  L_##n : {                            \
    wrv(SL(0), simd::n(rd<T>(SL(1)))); \
    NEXT(2);                           \
  }
#define DEF_V_SPLAT32(n) DEF_V_SPLAT(n, uint32_t)
#define DEF_V_SPLAT64(n) DEF_V_SPLAT(n, uint64_t)
  WASMRUN_SIMD_SPLAT32(DEF_V_SPLAT32)
  WASMRUN_SIMD_SPLAT64(DEF_V_SPLAT64)
#define DEF_V_EXTRACT(n, T)                                        \
  L_##n : {                                                        \
    wr<T>(SL(0), simd::n(rdv(SL(1)), static_cast<uint8_t>(O(2)))); \
    NEXT(3);                                                       \
  }
#define DEF_V_EXTRACT32(n) DEF_V_EXTRACT(n, uint32_t)
#define DEF_V_EXTRACT64(n) DEF_V_EXTRACT(n, uint64_t)
  WASMRUN_SIMD_EXTRACT32(DEF_V_EXTRACT32)
  WASMRUN_SIMD_EXTRACT64(DEF_V_EXTRACT64)
#define DEF_V_REPLACE(n, T)                                                    \
  L_##n : {                                                                    \
    wrv(SL(0), simd::n(rdv(SL(1)), static_cast<uint8_t>(O(3)), rd<T>(SL(2)))); \
    NEXT(4);                                                                   \
  }
#define DEF_V_REPLACE32(n) DEF_V_REPLACE(n, uint32_t)
#define DEF_V_REPLACE64(n) DEF_V_REPLACE(n, uint64_t)
  WASMRUN_SIMD_REPLACE32(DEF_V_REPLACE32)
  WASMRUN_SIMD_REPLACE64(DEF_V_REPLACE64)
L_i8x16_shuffle : {
  uint8_t lanes[16];
  std::memcpy(lanes, &O(3), 16);
  wrv(SL(0), simd::i8x16_shuffle(rdv(SL(1)), rdv(SL(2)), lanes));
  NEXT(7);
}

  // ---- moves, constants, variables ----
L_copy : {
  fp[O(0)] = fp[O(1)];
  NEXT(2);
}
L_copy_br : {
  fp[O(0)] = fp[O(1)];
  JUMP(2);
}
L_copy128 : {
  uint64_t lo = fp[O(1)], hi = fp[O(1) + 1];
  fp[O(0)] = lo;
  fp[O(0) + 1] = hi;
  NEXT(2);
}
L_i32_const : {
  fp[O(0)] = O(1);
  NEXT(2);
}
L_i64_const : {
  fp[O(0)] = O(1) | (uint64_t{O(2)} << 32);
  NEXT(3);
}
L_v128_const : {
  std::memcpy(SL(0), &O(1), 16);
  NEXT(5);
}
L_select : {
  fp[O(0)] = rd<uint32_t>(SL(3)) ? fp[O(1)] : fp[O(2)];
  NEXT(4);
}
L_select128 : {
  const uint64_t* s = rd<uint32_t>(SL(3)) ? SL(1) : SL(2);
  uint64_t lo = s[0], hi = s[1];
  fp[O(0)] = lo;
  fp[O(0) + 1] = hi;
  NEXT(4);
}
L_global_get : {
  fp[O(0)] = ctx->globals[O(1)]->value[0];
  NEXT(2);
}
L_global_get128 : {
  rt::GlobalInst* g = ctx->globals[O(1)];
  fp[O(0)] = g->value[0];
  fp[O(0) + 1] = g->value[1];
  NEXT(2);
}
L_global_set : {
  ctx->globals[O(1)]->value[0] = fp[O(0)];
  NEXT(2);
}
L_global_set128 : {
  rt::GlobalInst* g = ctx->globals[O(1)];
  g->value[0] = fp[O(0)];
  g->value[1] = fp[O(0) + 1];
  NEXT(2);
}

  // ---- references ----
L_ref_func : {
  fp[O(0)] = reinterpret_cast<uint64_t>(ctx->funcs[O(1)]);
  NEXT(2);
}
L_ref_is_null : {
  fp[O(0)] = fp[O(1)] == 0;
  NEXT(2);
}
L_ref_eq : {
  fp[O(0)] = fp[O(1)] == fp[O(2)];
  NEXT(3);
}
L_ref_as_non_null : {
  if (fp[O(0)] == 0) TRAP(NullReference);
  NEXT(1);
}
L_br_on_null : {
  if (fp[O(0)] == 0) JUMP(1);
  NEXT(2);
}
L_br_on_non_null : {
  if (fp[O(0)] != 0) JUMP(1);
  NEXT(2);
}

  // ---- GC objects, i31 and casts ----
#include "engine/interp/gc_handlers.inc"

  // ---- exception handling ----
#include "engine/interp/exn_handlers.inc"

  // ---- control ----
L_unreachable:
  TRAP(Unreachable);
L_br:
  JUMP(0);
L_br_if : {
  if (rd<uint32_t>(SL(0))) JUMP(1);
  NEXT(2);
}
L_br_unless : {
  if (!rd<uint32_t>(SL(0))) JUMP(1);
  NEXT(2);
}
L_br_table : {
  uint32_t i = rd<uint32_t>(SL(0));
  uint32_t n = O(1);
  if (i > n) i = n;
  JUMP(2 + i);
}
L_return_ : {
  if (th.depth == entry_depth) return {};
  const Frame& fr = th.frames[--th.depth];
  ip = fr.ip;
  fp = fr.fp;
  code = fr.code;
  ctx = fr.ctx;
  DISPATCH();
}
L_call : {
  callee = ctx->funcs[O(0)];
  new_fp = fp + O(1);
  ret_ip = ip + 4;
  goto L_do_call;
}
L_call_indirect : {
  TableInst* t = ctx->tables[O(1)];
  uint64_t i = O(4) ? rd<uint64_t>(SL(3)) : rd<uint32_t>(SL(3));
  if (i >= t->size) TRAP(UndefinedElement);
  callee = reinterpret_cast<FuncInst*>(t->data[i]);
  if (!callee) {
    trap_arg = i;
    TRAP(UninitializedElement);
  }
  uint32_t want = ctx->type_ids[O(0)];
  if (callee->type_id != want &&
      !ctx->instance->module->engine->types.is_subtype(callee->type_id, want))
    TRAP(IndirectCallTypeMismatch);
  new_fp = fp + O(2);
  ret_ip = ip + 7;
  goto L_do_call;
}
L_call_ref : {
  callee = reinterpret_cast<FuncInst*>(fp[O(1)]);
  if (!callee) TRAP(NullFunctionReference);
  new_fp = fp + O(0);
  ret_ip = ip + 4;
  goto L_do_call;
}
L_return_call : {
  callee = ctx->funcs[O(0)];
  new_fp = fp + O(1);
  tail_slots = O(2);
  goto L_do_tail_call;
}
L_return_call_indirect : {
  TableInst* t = ctx->tables[O(1)];
  uint64_t i = O(4) ? rd<uint64_t>(SL(3)) : rd<uint32_t>(SL(3));
  if (i >= t->size) TRAP(UndefinedElement);
  callee = reinterpret_cast<FuncInst*>(t->data[i]);
  if (!callee) {
    trap_arg = i;
    TRAP(UninitializedElement);
  }
  uint32_t want = ctx->type_ids[O(0)];
  if (callee->type_id != want &&
      !ctx->instance->module->engine->types.is_subtype(callee->type_id, want))
    TRAP(IndirectCallTypeMismatch);
  new_fp = fp + O(2);
  tail_slots = O(5);
  goto L_do_tail_call;
}
L_return_call_ref : {
  callee = reinterpret_cast<FuncInst*>(fp[O(1)]);
  if (!callee) TRAP(NullFunctionReference);
  new_fp = fp + O(0);
  tail_slots = O(2);
  goto L_do_tail_call;
}

L_do_call : {
  if (!callee->instance) {
    th.sp = fp + code->frame_slots;
    // While the host runs, this frame is suspended at the call like any caller:
    // on the frame stack, where the GC root enumerator finds it.
    th.frames[th.depth++] = Frame{ret_ip, fp, code, ctx};
    bool ok = host_call(callee, new_fp, ctx->instance, pending);
    --th.depth;
    if (!ok) goto L_error;
    ip = ret_ip;
    DISPATCH();
  }
  const Code* cc = callee->code;
  if (!cc && !(cc = code_or_error(callee, pending))) goto L_error;
  if (th.depth >= th.max_depth || new_fp + cc->frame_slots > th.stack_end) TRAP(StackExhausted);
  th.frames[th.depth++] = Frame{ret_ip, fp, code, ctx};
  fp = new_fp;
  code = cc;
  ctx = &callee->instance->ctx;
  init_frame(fp + cc->num_param_slots, cc->init.data(), cc->init.size());
  ip = cc->words.data();
  DISPATCH();
}
L_do_tail_call : {
  // The callee replaces the current frame: its arguments move down to slot 0.
  std::memmove(fp, new_fp, tail_slots * sizeof(uint64_t));
  if (!callee->instance) {
    th.sp = fp + code->frame_slots;
    if (!host_call(callee, fp, ctx->instance, pending)) goto L_error;
    goto L_return_;
  }
  const Code* cc = callee->code;
  if (!cc && !(cc = code_or_error(callee, pending))) goto L_error;
  if (fp + cc->frame_slots > th.stack_end) TRAP(StackExhausted);
  code = cc;
  ctx = &callee->instance->ctx;
  init_frame(fp + cc->num_param_slots, cc->init.data(), cc->init.size());
  ip = cc->words.data();
  DISPATCH();
}

  // ---- tables ----
L_table_get : {
  TableInst* t = ctx->tables[O(1)];
  uint64_t i = O(3) ? rd<uint64_t>(SL(2)) : rd<uint32_t>(SL(2));
  if (i >= t->size) TRAP(OutOfBoundsTable);
  fp[O(0)] = t->data[i];
  NEXT(4);
}
L_table_set : {
  TableInst* t = ctx->tables[O(0)];
  uint64_t i = O(3) ? rd<uint64_t>(SL(1)) : rd<uint32_t>(SL(1));
  if (i >= t->size) TRAP(OutOfBoundsTable);
  t->data[i] = fp[O(2)];
  NEXT(4);
}
L_table_size : {
  fp[O(0)] = ctx->tables[O(1)]->size;
  NEXT(2);
}
L_table_grow : {
  TableInst* t = ctx->tables[O(1)];
  uint64_t n = O(4) ? rd<uint64_t>(SL(3)) : rd<uint32_t>(SL(3));
  fp[O(0)] = static_cast<uint64_t>(t->grow(n, fp[O(2)]));
  NEXT(5);
}
L_table_fill : {
  TableInst* t = ctx->tables[O(0)];
  bool w64 = O(4);
  uint64_t i = w64 ? rd<uint64_t>(SL(1)) : rd<uint32_t>(SL(1));
  uint64_t n = w64 ? rd<uint64_t>(SL(3)) : rd<uint32_t>(SL(3));
  if (i > t->size || n > t->size - i) TRAP(OutOfBoundsTable);
  uint64_t v = fp[O(2)];
  for (uint64_t k = 0; k < n; ++k) t->data[i + k] = v;
  NEXT(5);
}
L_table_copy : {
  TableInst* dt = ctx->tables[O(0)];
  TableInst* st = ctx->tables[O(1)];
  uint32_t fl = O(5);
  uint64_t d = (fl & 1) ? rd<uint64_t>(SL(2)) : rd<uint32_t>(SL(2));
  uint64_t s = (fl & 2) ? rd<uint64_t>(SL(3)) : rd<uint32_t>(SL(3));
  uint64_t n = (fl == 3) ? rd<uint64_t>(SL(4)) : rd<uint32_t>(SL(4));
  if (d > dt->size || n > dt->size - d || s > st->size || n > st->size - s) TRAP(OutOfBoundsTable);
  std::memmove(dt->data + d, st->data + s, n * sizeof(uint64_t));
  NEXT(6);
}
L_table_init : {
  const std::vector<uint64_t>& seg = ctx->instance->elems[O(0)];
  TableInst* t = ctx->tables[O(1)];
  uint64_t d = O(5) ? rd<uint64_t>(SL(2)) : rd<uint32_t>(SL(2));
  uint64_t s = rd<uint32_t>(SL(3));
  uint64_t n = rd<uint32_t>(SL(4));
  if (s > seg.size() || n > seg.size() - s || d > t->size || n > t->size - d)
    TRAP(OutOfBoundsTable);
  if (n) std::memcpy(t->data + d, seg.data() + s, n * sizeof(uint64_t));
  NEXT(6);
}
L_elem_drop : {
  std::vector<uint64_t>().swap(ctx->instance->elems[O(0)]);
  NEXT(1);
}

  // ---- bulk memory ----
L_memory_size : {
  fp[O(0)] = ctx->memories[O(1)]->pages();
  NEXT(2);
}
L_memory_grow : {
  MemoryInst* m = ctx->memories[O(2)];
  uint64_t d = O(3) ? rd<uint64_t>(SL(1)) : rd<uint32_t>(SL(1));
  fp[O(0)] = static_cast<uint64_t>(m->grow(d));
  NEXT(4);
}
L_memory_fill : {
  MemoryInst* m = ctx->memories[O(0)];
  bool w64 = O(4);
  uint64_t d = w64 ? rd<uint64_t>(SL(1)) : rd<uint32_t>(SL(1));
  uint64_t n = w64 ? rd<uint64_t>(SL(3)) : rd<uint32_t>(SL(3));
  if (d > m->size || n > m->size - d) TRAP(OutOfBoundsMemory);
  std::memset(m->base + d, static_cast<uint8_t>(fp[O(2)]), n);
  NEXT(5);
}
L_memory_copy : {
  MemoryInst* dm = ctx->memories[O(0)];
  MemoryInst* sm = ctx->memories[O(1)];
  uint32_t fl = O(5);
  uint64_t d = (fl & 1) ? rd<uint64_t>(SL(2)) : rd<uint32_t>(SL(2));
  uint64_t s = (fl & 2) ? rd<uint64_t>(SL(3)) : rd<uint32_t>(SL(3));
  uint64_t n = (fl == 3) ? rd<uint64_t>(SL(4)) : rd<uint32_t>(SL(4));
  if (d > dm->size || n > dm->size - d || s > sm->size || n > sm->size - s) TRAP(OutOfBoundsMemory);
  std::memmove(dm->base + d, sm->base + s, n);
  NEXT(6);
}
// Memory 0 with 32-bit addresses: [dst, src/value, n]. Small sizes (compilers
// turn every struct copy into a memory.copy) are done inline: all loads happen
// before any store, so overlapping ranges behave like memmove.
L_memory_copy0 : {
  uint64_t d = rd<uint32_t>(SL(0)), s = rd<uint32_t>(SL(1)), n = rd<uint32_t>(SL(2));
  uint64_t size = ctx->memory0_size;
  if (d + n > size || s + n > size) TRAP(OutOfBoundsMemory);
  uint8_t* base = ctx->memory0_base;
  uint8_t* dp = base + d;
  const uint8_t* sp = base + s;
  if (n <= 16) {
    if (n >= 8) {
      uint64_t a = rd<uint64_t>(sp), b = rd<uint64_t>(sp + n - 8);
      wr<uint64_t>(dp, a);
      wr<uint64_t>(dp + n - 8, b);
    } else if (n >= 4) {
      uint32_t a = rd<uint32_t>(sp), b = rd<uint32_t>(sp + n - 4);
      wr<uint32_t>(dp, a);
      wr<uint32_t>(dp + n - 4, b);
    } else if (n) {
      uint8_t a = sp[0], b = sp[n / 2], c = sp[n - 1];
      dp[0] = a;
      dp[n / 2] = b;
      dp[n - 1] = c;
    }
  } else if (n <= 32) {
    uint8_t a[16], b[16];
    __builtin_memcpy_inline(a, sp, 16);
    __builtin_memcpy_inline(b, sp + n - 16, 16);
    __builtin_memcpy_inline(dp, a, 16);
    __builtin_memcpy_inline(dp + n - 16, b, 16);
  } else {
    std::memmove(dp, sp, n);
  }
  NEXT(3);
}
L_memory_fill0 : {
  uint64_t d = rd<uint32_t>(SL(0)), n = rd<uint32_t>(SL(2));
  uint8_t v = static_cast<uint8_t>(rd<uint32_t>(SL(1)));
  if (d + n > ctx->memory0_size) TRAP(OutOfBoundsMemory);
  uint8_t* dp = ctx->memory0_base + d;
  if (n <= 16 && n >= 8) {
    uint64_t x = v * 0x0101010101010101ull;
    wr<uint64_t>(dp, x);
    wr<uint64_t>(dp + n - 8, x);
  } else {
    std::memset(dp, v, n);
  }
  NEXT(3);
}
L_memory_init : {
  const Span& seg = ctx->instance->datas[O(0)];
  MemoryInst* m = ctx->memories[O(1)];
  uint64_t d = O(5) ? rd<uint64_t>(SL(2)) : rd<uint32_t>(SL(2));
  uint64_t s = rd<uint32_t>(SL(3));
  uint64_t n = rd<uint32_t>(SL(4));
  if (s > seg.size || n > seg.size - s || d > m->size || n > m->size - d) TRAP(OutOfBoundsMemory);
  if (n) std::memcpy(m->base + d, ctx->instance->m().data(seg) + s, n);
  NEXT(6);
}
L_data_drop : {
  ctx->instance->datas[O(0)].size = 0;
  NEXT(1);
}

L_atomic : {
  int t = exec_atomic(ctx, fp, &O(0));
  if (t >= 0) {
    trap = static_cast<TrapKind>(t);
    goto L_trap;
  }
  NEXT(kAtomicOperandWords);
}

L_unimplemented:
  TRAP(Unsupported);

L_trap : {
  Error e = make_trap(trap, th, code, ip);
  e.message = trap_message(trap, trap == TrapKind::HeapExhausted
                                     ? ctx->instance->store->engine->config.gc_heap_limit
                                     : trap_arg);
  th.depth = entry_depth;
  return e;
}
L_error : {
  // An exception from a host function (or a wasm call it made) continues in this
  // entry's frames: from the call instruction at ip, or from the caller when a
  // tail call already replaced the frame.
  if ((exn = exception_of(pending))) {
    const void* h;
    std::memcpy(&h, ip, sizeof(h));
    if (h == table[static_cast<unsigned>(IOp::return_call)] ||
        h == table[static_cast<unsigned>(IOp::return_call_indirect)] ||
        h == table[static_cast<unsigned>(IOp::return_call_ref)])
      goto L_exn_in_caller;
    goto L_exn;
  }
  th.depth = entry_depth;
  return pending;
}
#undef O
#undef SL
#undef DISPATCH
#undef NEXT
#undef TRAP
#undef JUMP
}

}  // namespace

uint32_t frame_depth() { return t_thread.depth; }

void append_frames(std::vector<TrapFrame>& bt, uint32_t lo, uint32_t hi) {
  const Thread& th = t_thread;
  // A suspended frame is inside its call instruction (return address - 1).
  for (uint32_t d = hi; d-- > lo;) add_frame(bt, th.frames[d].code, th.frames[d].ip - 1);
}

void visit_interp_frames(void (*fn)(const FrameRef& frame, void* arg), void* arg) {
  const Thread& th = t_thread;
  // Every frame below the innermost is suspended inside a call instruction;
  // its safepoint is the call's last word (return address - 1).
  for (uint32_t d = 0; d < th.depth; ++d) {
    const Frame& fr = th.frames[d];
    fn(FrameRef{fr.code, fr.fp, static_cast<uint32_t>(fr.ip - 1 - fr.code->words.data()),
                fr.ctx->instance->store},
       arg);
  }
  const GcFrame& g = t_gc_frame;
  if (g.at.code)
    fn(FrameRef{g.at.code, g.fp, static_cast<uint32_t>(g.at.ip - g.at.code->words.data()), g.store},
       arg);
}

const void* const* handler_table() {
  static const void* const* table = [] {
    const void** t = nullptr;
    (void)run(t_thread, nullptr, nullptr, &t);
    return const_cast<const void* const*>(t);
  }();
  return table;
}

Result<const Code*> get_code(rt::CompiledModule& m, uint32_t defined_index) {
  if (Code* c = m.code[defined_index].load(std::memory_order_acquire)) return c;
  std::lock_guard lock(m.code_mu);
  if (Code* c = m.code[defined_index].load(std::memory_order_relaxed)) return c;
  auto r = lower_function(m, defined_index);
  if (!r.ok()) return std::move(r).error();
  Code* c = *r;
  c->module = &m.m();
  static const bool dump = std::getenv("WASMRUN_INTERP_DUMP") != nullptr;
  if (dump) dump_code(*c, stderr);
  m.owned_code.emplace_back(c);
  m.code[defined_index].store(c, std::memory_order_release);
  return c;
}

Status invoke(rt::FuncInst* f, const uint64_t* args, uint64_t* results) {
  const FuncType& t = *f->type;
  uint32_t na = 0, nr = 0;
  for (const ValType& v : t.params) na += slot_width(v);
  for (const ValType& v : t.results) nr += slot_width(v);
  if (!f->instance) {
    std::vector<uint64_t> buf(std::max<size_t>({na, nr, 1}));
    if (na) std::memcpy(buf.data(), args, na * sizeof(uint64_t));
    Status s = call_host(f, buf.data(), nullptr);
    if (!s.ok()) return s;
    if (nr) std::memcpy(results, buf.data(), nr * sizeof(uint64_t));
    return {};
  }
  Thread& th = t_thread;
  if (!th.init(f->store->engine->config))
    return Error(ErrorKind::Exhaustion, "cannot allocate the interpreter stack");
  constexpr uint32_t kMaxNesting = 1000;
  if (th.nesting >= kMaxNesting) {
    Error e(ErrorKind::Exhaustion, trap_message(TrapKind::StackExhausted));
    auto info = std::make_shared<TrapInfo>();
    info->kind = TrapKind::StackExhausted;
    e.trap = info;
    return e;
  }
  uint64_t* saved_sp = th.sp;
  uint64_t* fp = th.sp;
  if (fp + std::max(na, nr) + 16 > th.stack_end) {
    Error e(ErrorKind::Exhaustion, trap_message(TrapKind::StackExhausted));
    auto info = std::make_shared<TrapInfo>();
    info->kind = TrapKind::StackExhausted;
    e.trap = info;
    return e;
  }
  if (na) std::memcpy(fp, args, na * sizeof(uint64_t));
  ++th.nesting;
  Status s = run(th, f, fp, nullptr);
  --th.nesting;
  th.sp = saved_sp;
  if (!s.ok()) return s;
  if (nr) std::memcpy(results, fp, nr * sizeof(uint64_t));
  return {};
}

}  // namespace wasmrun::interp
