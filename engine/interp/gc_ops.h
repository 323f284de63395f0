// Wasm GC support in the interpreter: the out-of-line parts of the GC
// instructions (everything that allocates, bulk array operations, casts that
// need the type registry) and the interface the store's root enumerator uses to
// scan the interpreter's value stack.
//
// Rooting: interpreter frames are visited precisely with their stack maps
// (Code::stack_map). An allocating handler passes its position (GcAt) to the
// helper, which publishes it in t_gc_frame while the heap may collect; every
// other active frame is suspended at a call and recorded on the thread's frame
// stack (visit_interp_frames).
#pragma once

#include <cstdint>
#include <cstring>

#include "engine/interp/code.h"
#include "gc/object.h"
#include "gc/rtt.h"
#include "wasmrun/trap.h"

// Interpreter ops with handlers in gc_handlers.inc (registered by exec.cc).
#define WASMRUN_INTERP_GC_OPS(X)                                                                 \
  X(struct_new)                                                                                  \
  X(struct_new_default) X(struct_get) X(struct_get_s) X(struct_get_u) X(struct_set) X(array_new) \
      X(array_new_default) X(array_new_fixed) X(array_new_data) X(array_new_elem) X(array_get)   \
          X(array_get_s) X(array_get_u) X(array_set) X(array_len) X(array_fill) X(array_copy)    \
              X(array_init_data) X(array_init_elem) X(ref_i31) X(i31_get_s) X(i31_get_u)         \
                  X(ref_test) X(ref_cast) X(br_on_cast) X(br_on_cast_fail)

namespace wasmrun::rt {
struct VMContext;
struct InstanceInst;
struct StoreImpl;
}  // namespace wasmrun::rt

namespace wasmrun::interp {

/// Where an allocating instruction is: its function's code and its first word.
struct GcAt {
  const Code* code;
  const uint32_t* ip;
};

/// One suspended or allocating interpreter frame, as the root enumerator sees it.
struct FrameRef {
  const Code* code;
  uint64_t* fp;
  uint32_t pos;  ///< safepoint position in code->words (see Code::stack_map)
  const rt::StoreImpl* store;
};

/// The innermost frame while a GC instruction allocates (code null otherwise).
struct GcFrame {
  GcAt at{nullptr, nullptr};
  uint64_t* fp = nullptr;
  const rt::StoreImpl* store = nullptr;
};
extern thread_local GcFrame t_gc_frame;

/// Publishes the allocating frame (`at` in `fp`, run by `inst`) in t_gc_frame
/// while it lives, and restores the previous one after. Every helper that can
/// allocate in the GC heap on behalf of an interpreter frame (GC instructions,
/// throw) holds one; the JIT's helpers pass GcAt{nullptr, nullptr}.
class GcTop {
 public:
  GcTop(GcAt at, uint64_t* fp, rt::InstanceInst* inst);
  ~GcTop() { t_gc_frame = saved_; }
  GcTop(const GcTop&) = delete;
  GcTop& operator=(const GcTop&) = delete;

 private:
  GcFrame saved_;
};

/// Calls `fn` for every interpreter frame of this thread that may hold live
/// references: frames suspended at a call (to wasm or to the host) and the
/// frame whose GC instruction is allocating (defined in exec.cc, which owns the
/// frame stack). Order: unspecified.
void visit_interp_frames(void (*fn)(const FrameRef& frame, void* arg), void* arg);

/// Operand words of lowered GC instructions (see lower_gc.inc for each op's
/// layout). A field or element access kind: how many bytes, sign extension, and
/// whether a store needs the write barrier.
enum class Access : uint32_t { I8S, I8U, I16S, I16U, B32, B64, Ref, V128 };

/// Access kind of a storage type for a load (sign_extend for get_s) or a store.
Access access_of(gc::Storage s, bool sign_extend);

/// struct.get / array.get: the field or element at `p` into slot(s) `d`
/// (i32 results zero-extended to the whole slot).
[[gnu::always_inline]] inline void gc_load(uint64_t* d, const uint8_t* p, uint32_t access) {
  switch (static_cast<Access>(access)) {
    case Access::I8S: d[0] = static_cast<uint32_t>(int32_t{static_cast<int8_t>(*p)}); return;
    case Access::I8U: d[0] = *p; return;
    case Access::I16S: {
      int16_t v;
      std::memcpy(&v, p, 2);
      d[0] = static_cast<uint32_t>(int32_t{v});
      return;
    }
    case Access::I16U: {
      uint16_t v;
      std::memcpy(&v, p, 2);
      d[0] = v;
      return;
    }
    case Access::B32: {
      uint32_t v;
      std::memcpy(&v, p, 4);
      d[0] = v;
      return;
    }
    case Access::B64:
    case Access::Ref: std::memcpy(d, p, 8); return;
    case Access::V128: std::memcpy(d, p, 16); return;
  }
}

/// struct.set / array.set: slot(s) `s` to the field or element at `p` of `obj`
/// (packed fields keep the low bits; references go through the write barrier).
[[gnu::always_inline]] inline void gc_store(gc::Object* obj, uint8_t* p, const uint64_t* s,
                                            uint32_t access) {
  switch (static_cast<Access>(access)) {
    case Access::I8S:
    case Access::I8U: *p = static_cast<uint8_t>(s[0]); return;
    case Access::I16S:
    case Access::I16U: {
      uint16_t v = static_cast<uint16_t>(s[0]);
      std::memcpy(p, &v, 2);
      return;
    }
    case Access::B32: {
      uint32_t v = static_cast<uint32_t>(s[0]);
      std::memcpy(p, &v, 4);
      return;
    }
    case Access::B64: std::memcpy(p, s, 8); return;
    case Access::Ref: gc::write_ref(obj, p, s[0]); return;
    case Access::V128: std::memcpy(p, s, 16); return;
  }
}

/// Result of an out-of-line GC helper: kNoTrap or the trap to raise.
inline constexpr TrapKind kNoTrap = TrapKind::Unreachable;
// (Unreachable is never raised by these helpers, so it doubles as "ok".)

/// struct.new / struct.new_default: writes the new object to fp[dst]. Operands
/// (struct.new only) are fp[args...], laid out as consecutive slots.
TrapKind gc_struct_new(rt::InstanceInst* inst, const gc::Rtt* rtt, uint64_t* fp, GcAt at,
                       uint32_t dst, uint32_t args, bool defaults);
/// array.new (fill from fp[value]) / array.new_default (value == UINT32_MAX).
TrapKind gc_array_new(rt::InstanceInst* inst, const gc::Rtt* rtt, uint64_t* fp, GcAt at,
                      uint32_t dst, uint32_t len, uint32_t value);
/// array.new_fixed: `count` elements from consecutive slots starting at fp[args].
TrapKind gc_array_new_fixed(rt::InstanceInst* inst, const gc::Rtt* rtt, uint64_t* fp, GcAt at,
                            uint32_t dst, uint32_t args, uint32_t count);
/// array.new_data / array.new_elem: segment `seg`, offset fp[off], length fp[len].
TrapKind gc_array_new_data(rt::InstanceInst* inst, const gc::Rtt* rtt, uint64_t* fp, GcAt at,
                           uint32_t dst, uint32_t seg, uint32_t off, uint32_t len);
TrapKind gc_array_new_elem(rt::InstanceInst* inst, const gc::Rtt* rtt, uint64_t* fp, GcAt at,
                           uint32_t dst, uint32_t seg, uint32_t off, uint32_t len);
/// array.fill / array.copy / array.init_data / array.init_elem (no allocation).
TrapKind gc_array_fill(uint64_t* fp, uint32_t arr, uint32_t idx, uint32_t val, uint32_t n);
TrapKind gc_array_copy(uint64_t* fp, uint32_t dst, uint32_t di, uint32_t src, uint32_t si,
                       uint32_t n);
TrapKind gc_array_init_data(rt::InstanceInst* inst, uint64_t* fp, uint32_t seg, uint32_t arr,
                            uint32_t d, uint32_t s, uint32_t n);
TrapKind gc_array_init_elem(rt::InstanceInst* inst, uint64_t* fp, uint32_t seg, uint32_t arr,
                            uint32_t d, uint32_t s, uint32_t n);

/// ref.test semantics for every target. A cast target is encoded in two words:
/// kind (CastKind) | nullable << 8, and an operand (AbsHeap, or the canonical
/// type id for concrete types; concrete struct/array targets use the Rtt
/// pointer stored in two further words).
enum class CastKind : uint32_t { Abstract, Object, Func };
bool gc_ref_test(uint64_t r, uint32_t kind_word, uint32_t operand, const gc::Rtt* rtt,
                 rt::InstanceInst* inst);

}  // namespace wasmrun::interp
