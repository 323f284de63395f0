#include "jit/baseline/runtime_calls.h"

#include "engine/interp/atomic_ops.h"
#include "engine/interp/exceptions.h"
#include "engine/runtime/objects.h"
#include "jit/baseline/frame_roots.h"
#include "jit/baseline/traps.h"
#include "wasmrun/trap.h"

namespace wasmrun::jit {

uint64_t h_atomic(uint64_t* s, rt::VMContext* ctx, uint64_t words, uint64_t) {
  int t = interp::exec_atomic(ctx, s, reinterpret_cast<const uint32_t*>(words));
  return t < 0 ? 0 : static_cast<uint64_t>(t) + 1;
}

uint64_t h_throw(uint64_t* s, rt::VMContext* ctx, uint64_t tag, uint64_t num_slots) {
  // A JitActivation like the GC helpers: the collector finds the calling frame.
  JitActivation activation(__builtin_return_address(0), __builtin_frame_address(0));
  rt::InstanceInst* inst = ctx->instance;
  rt::ExnInst* exn =
      interp::new_exception(*inst->store, inst->tags[tag], s, static_cast<uint32_t>(num_slots));
  if (!exn)
    raise_helper_trap(static_cast<uint64_t>(TrapKind::HeapExhausted) + 1, activation.caller_frame);
  return reinterpret_cast<uint64_t>(exn);
}

int64_t h_catch(void* exn, rt::VMContext* ctx, uint64_t* slots, const CatchEntry* table,
                uint64_t n) {
  auto* e = static_cast<rt::ExnInst*>(exn);
  for (uint64_t i = 0; i < n; ++i) {
    const CatchEntry& c = table[i];
    auto kind = static_cast<interp::ExnCatch::Kind>(c.kind);
    bool all = kind == interp::ExnCatch::CatchAll || kind == interp::ExnCatch::CatchAllRef;
    if (!interp::deliver_exception(e, kind, all ? nullptr : ctx->instance->tags[c.tag],
                                   slots + c.dst))
      continue;
    if (c.exn_slot >= 0) {
      slots[c.exn_slot] = reinterpret_cast<uint64_t>(exn);
      e->escaped = 1;  // the rethrow slot holds an exnref: never recycle it
    }
    return static_cast<int64_t>(i);
  }
  return -1;
}

}  // namespace wasmrun::jit
