#include "engine/interp/atomic_ops.h"

#include <atomic>
#include <cstring>

#include "engine/opcodes.h"
#include "engine/runtime/memory.h"
#include "engine/runtime/parking_lot.h"
#include "engine/runtime/vmcontext.h"
#include "wasmrun/trap.h"

namespace wasmrun::interp {
namespace {

using rt::MemoryInst;

enum class Rmw { Add, Sub, And, Or, Xor, Xchg };

template <class T>
T load_slot(const uint64_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// Results are zero-extended into the 64-bit slot: narrow RMWs are *_u, and a
// 32-bit result occupies the low half of an i32 slot either way.
void put(uint64_t* p, uint64_t v) { *p = v; }

template <class M>
std::atomic_ref<M> cell(uint8_t* p) {
  return std::atomic_ref<M>(*reinterpret_cast<M*>(p));
}

template <class M>
uint64_t rmw(uint8_t* p, Rmw kind, uint64_t v64) {
  M v = static_cast<M>(v64);
  auto a = cell<M>(p);
  switch (kind) {
    case Rmw::Add: return a.fetch_add(v);
    case Rmw::Sub: return a.fetch_sub(v);
    case Rmw::And: return a.fetch_and(v);
    case Rmw::Or: return a.fetch_or(v);
    case Rmw::Xor: return a.fetch_xor(v);
    case Rmw::Xchg: return a.exchange(v);
  }
  return 0;
}

template <class M>
uint64_t cmpxchg(uint8_t* p, uint64_t expected64, uint64_t replacement64) {
  // A narrow cmpxchg compares the wrapped expected value (the spec wraps
  // `expected` to the access width first), so 0x1_0000_0000 matches 0 for rmw32.
  M expected = static_cast<M>(expected64);
  cell<M>(p).compare_exchange_strong(expected, static_cast<M>(replacement64));
  return expected;  // the old value either way
}

uint64_t rmw_width(unsigned bytes, uint8_t* p, Rmw kind, uint64_t v) {
  switch (bytes) {
    case 1: return rmw<uint8_t>(p, kind, v);
    case 2: return rmw<uint16_t>(p, kind, v);
    case 4: return rmw<uint32_t>(p, kind, v);
    default: return rmw<uint64_t>(p, kind, v);
  }
}

struct Desc {
  enum Kind { Load, Store, RmwOp, Cmpxchg, Wait, Notify, Fence } kind;
  unsigned bytes;  // access width
  bool value64;    // operand/result is i64
  Rmw rmw = Rmw::Add;
};

Desc describe(Op op) {
  switch (op) {
    case Op::memory_atomic_notify: return {Desc::Notify, 4, false};
    case Op::memory_atomic_wait32: return {Desc::Wait, 4, false};
    case Op::memory_atomic_wait64: return {Desc::Wait, 8, true};
    case Op::atomic_fence: return {Desc::Fence, 0, false};
    case Op::i32_atomic_load: return {Desc::Load, 4, false};
    case Op::i64_atomic_load: return {Desc::Load, 8, true};
    case Op::i32_atomic_load8_u: return {Desc::Load, 1, false};
    case Op::i32_atomic_load16_u: return {Desc::Load, 2, false};
    case Op::i64_atomic_load8_u: return {Desc::Load, 1, true};
    case Op::i64_atomic_load16_u: return {Desc::Load, 2, true};
    case Op::i64_atomic_load32_u: return {Desc::Load, 4, true};
    case Op::i32_atomic_store: return {Desc::Store, 4, false};
    case Op::i64_atomic_store: return {Desc::Store, 8, true};
    case Op::i32_atomic_store8: return {Desc::Store, 1, false};
    case Op::i32_atomic_store16: return {Desc::Store, 2, false};
    case Op::i64_atomic_store8: return {Desc::Store, 1, true};
    case Op::i64_atomic_store16: return {Desc::Store, 2, true};
    case Op::i64_atomic_store32: return {Desc::Store, 4, true};
#define RMW_GROUP(name, K)                                                      \
  case Op::i32_atomic_rmw_##name: return {Desc::RmwOp, 4, false, Rmw::K};       \
  case Op::i64_atomic_rmw_##name: return {Desc::RmwOp, 8, true, Rmw::K};        \
  case Op::i32_atomic_rmw8_##name##_u: return {Desc::RmwOp, 1, false, Rmw::K};  \
  case Op::i32_atomic_rmw16_##name##_u: return {Desc::RmwOp, 2, false, Rmw::K}; \
  case Op::i64_atomic_rmw8_##name##_u: return {Desc::RmwOp, 1, true, Rmw::K};   \
  case Op::i64_atomic_rmw16_##name##_u: return {Desc::RmwOp, 2, true, Rmw::K};  \
  case Op::i64_atomic_rmw32_##name##_u: return {Desc::RmwOp, 4, true, Rmw::K};
      RMW_GROUP(add, Add)
      RMW_GROUP(sub, Sub)
      RMW_GROUP(and, And)
      RMW_GROUP(or, Or)
      RMW_GROUP(xor, Xor)
      RMW_GROUP(xchg, Xchg)
#undef RMW_GROUP
    case Op::i32_atomic_rmw_cmpxchg: return {Desc::Cmpxchg, 4, false};
    case Op::i64_atomic_rmw_cmpxchg: return {Desc::Cmpxchg, 8, true};
    case Op::i32_atomic_rmw8_cmpxchg_u: return {Desc::Cmpxchg, 1, false};
    case Op::i32_atomic_rmw16_cmpxchg_u: return {Desc::Cmpxchg, 2, false};
    case Op::i64_atomic_rmw8_cmpxchg_u: return {Desc::Cmpxchg, 1, true};
    case Op::i64_atomic_rmw16_cmpxchg_u: return {Desc::Cmpxchg, 2, true};
    case Op::i64_atomic_rmw32_cmpxchg_u: return {Desc::Cmpxchg, 4, true};
    default: return {Desc::Fence, 0, false};
  }
}

constexpr int trap(TrapKind k) { return static_cast<int>(k); }

}  // namespace

int exec_atomic(rt::VMContext* ctx, uint64_t* fp, const uint32_t* o) {
  const Op op = static_cast<Op>(o[8]);
  const Desc d = describe(op);
  if (d.kind == Desc::Fence) {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    return -1;
  }
  MemoryInst* mem = ctx->memories[o[6]];
  const bool is64 = o[7] != 0;
  uint64_t addr = is64 ? load_slot<uint64_t>(fp + o[1]) : load_slot<uint32_t>(fp + o[1]);
  uint64_t off = o[4] | (uint64_t{o[5]} << 32);
  uint64_t ea;
  // Bounds first, then alignment (the reference interpreter's order).
  if (__builtin_add_overflow(addr, off, &ea) || ea > mem->size || mem->size - ea < d.bytes)
    return trap(TrapKind::OutOfBoundsMemory);
  if (ea & (d.bytes - 1)) return trap(TrapKind::UnalignedAtomic);
  uint8_t* p = mem->base + ea;
  uint64_t* dst = fp + o[0];
  uint64_t a = d.value64 ? load_slot<uint64_t>(fp + o[2]) : load_slot<uint32_t>(fp + o[2]);

  switch (d.kind) {
    case Desc::Load:
      switch (d.bytes) {
        case 1: put(dst, cell<uint8_t>(p).load()); break;
        case 2: put(dst, cell<uint16_t>(p).load()); break;
        case 4: put(dst, cell<uint32_t>(p).load()); break;
        default: put(dst, cell<uint64_t>(p).load()); break;
      }
      return -1;
    case Desc::Store:
      switch (d.bytes) {
        case 1: cell<uint8_t>(p).store(static_cast<uint8_t>(a)); break;
        case 2: cell<uint16_t>(p).store(static_cast<uint16_t>(a)); break;
        case 4: cell<uint32_t>(p).store(static_cast<uint32_t>(a)); break;
        default: cell<uint64_t>(p).store(a); break;
      }
      return -1;
    case Desc::RmwOp: put(dst, rmw_width(d.bytes, p, d.rmw, a)); return -1;
    case Desc::Cmpxchg: {
      uint64_t b = d.value64 ? load_slot<uint64_t>(fp + o[3]) : load_slot<uint32_t>(fp + o[3]);
      uint64_t old;
      switch (d.bytes) {
        case 1: old = cmpxchg<uint8_t>(p, a, b); break;
        case 2: old = cmpxchg<uint16_t>(p, a, b); break;
        case 4: old = cmpxchg<uint32_t>(p, a, b); break;
        default: old = cmpxchg<uint64_t>(p, a, b); break;
      }
      put(dst, old);
      return -1;
    }
    case Desc::Notify: {
      // Notify on an unshared memory wakes nobody: no thread can wait on it.
      uint32_t woken = mem->type.limits.shared ? rt::unpark(mem, ea, static_cast<uint32_t>(a)) : 0;
      put(dst, woken);
      return -1;
    }
    case Desc::Wait: {
      if (!mem->type.limits.shared) return trap(TrapKind::ExpectedSharedMemory);
      int64_t timeout = load_slot<int64_t>(fp + o[3]);
      auto expected = [&] {
        if (d.bytes == 8) return cell<uint64_t>(p).load() == a;
        return cell<uint32_t>(p).load() == static_cast<uint32_t>(a);
      };
      put(dst, rt::park(mem, ea, expected, timeout));
      return -1;
    }
    case Desc::Fence: break;
  }
  return -1;
}

}  // namespace wasmrun::interp
