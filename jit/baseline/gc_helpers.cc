#include "jit/baseline/gc_helpers.h"

#include "engine/interp/gc_ops.h"
#include "engine/runtime/objects.h"
#include "jit/baseline/frame_roots.h"
#include "wasmrun/trap.h"

namespace wasmrun::jit {
namespace {

using rt::VMContext;

/// The interpreter helpers' result as a helper trap code (helpers.h).
uint64_t code(TrapKind k) { return k == interp::kNoTrap ? 0 : static_cast<uint64_t>(k) + 1; }

const gc::Rtt* rtt_of(uint64_t p) { return reinterpret_cast<const gc::Rtt*>(p); }

// The interpreter's helpers publish the allocating interpreter frame for the
// root scan; generated code has none (its frames are scanned by
// frame_roots.h, and suspended interpreter frames are on the interpreter's
// frame stack).
interp::GcAt interp_top() { return interp::GcAt{nullptr, nullptr}; }

}  // namespace

// The allocating helpers are JitActivations, so the collector finds the JIT
// frame that called them and the frames beyond (frame_roots.h).
uint64_t h_struct_new(uint64_t* s, VMContext* ctx, uint64_t rtt, uint64_t) {
  JitActivation activation(__builtin_return_address(0), __builtin_frame_address(0));
  return code(interp::gc_struct_new(ctx->instance, rtt_of(rtt), s, interp_top(), 0, 0, false));
}
uint64_t h_struct_new_default(uint64_t* s, VMContext* ctx, uint64_t rtt, uint64_t) {
  JitActivation activation(__builtin_return_address(0), __builtin_frame_address(0));
  return code(interp::gc_struct_new(ctx->instance, rtt_of(rtt), s, interp_top(), 0, 0, true));
}
uint64_t h_array_new(uint64_t* s, VMContext* ctx, uint64_t rtt, uint64_t len_at) {
  JitActivation activation(__builtin_return_address(0), __builtin_frame_address(0));
  return code(interp::gc_array_new(ctx->instance, rtt_of(rtt), s, interp_top(), 0,
                                   static_cast<uint32_t>(len_at), 0));
}
uint64_t h_array_new_default(uint64_t* s, VMContext* ctx, uint64_t rtt, uint64_t) {
  JitActivation activation(__builtin_return_address(0), __builtin_frame_address(0));
  return code(interp::gc_array_new(ctx->instance, rtt_of(rtt), s, interp_top(), 0, 0, UINT32_MAX));
}
uint64_t h_array_new_fixed(uint64_t* s, VMContext* ctx, uint64_t rtt, uint64_t count) {
  JitActivation activation(__builtin_return_address(0), __builtin_frame_address(0));
  return code(interp::gc_array_new_fixed(ctx->instance, rtt_of(rtt), s, interp_top(), 0, 0,
                                         static_cast<uint32_t>(count)));
}
uint64_t h_array_new_data(uint64_t* s, VMContext* ctx, uint64_t rtt, uint64_t seg) {
  JitActivation activation(__builtin_return_address(0), __builtin_frame_address(0));
  return code(interp::gc_array_new_data(ctx->instance, rtt_of(rtt), s, interp_top(), 0,
                                        static_cast<uint32_t>(seg), 0, 1));
}
uint64_t h_array_new_elem(uint64_t* s, VMContext* ctx, uint64_t rtt, uint64_t seg) {
  JitActivation activation(__builtin_return_address(0), __builtin_frame_address(0));
  return code(interp::gc_array_new_elem(ctx->instance, rtt_of(rtt), s, interp_top(), 0,
                                        static_cast<uint32_t>(seg), 0, 1));
}
uint64_t h_array_fill(uint64_t* s, VMContext*, uint64_t value_width, uint64_t) {
  return code(interp::gc_array_fill(s, 0, 1, 2, 2 + static_cast<uint32_t>(value_width)));
}
uint64_t h_array_copy(uint64_t* s, VMContext*, uint64_t, uint64_t) {
  return code(interp::gc_array_copy(s, 0, 1, 2, 3, 4));
}
uint64_t h_array_init_data(uint64_t* s, VMContext* ctx, uint64_t seg, uint64_t) {
  return code(interp::gc_array_init_data(ctx->instance, s, static_cast<uint32_t>(seg), 0, 1, 2, 3));
}
uint64_t h_array_init_elem(uint64_t* s, VMContext* ctx, uint64_t seg, uint64_t) {
  return code(interp::gc_array_init_elem(ctx->instance, s, static_cast<uint32_t>(seg), 0, 1, 2, 3));
}
uint64_t h_ref_test(uint64_t* s, VMContext* ctx, uint64_t cast, uint64_t rtt) {
  s[0] = interp::gc_ref_test(s[0], static_cast<uint32_t>(cast), static_cast<uint32_t>(cast >> 32),
                             rtt_of(rtt), ctx->instance)
             ? 1
             : 0;
  return 0;
}

}  // namespace wasmrun::jit
