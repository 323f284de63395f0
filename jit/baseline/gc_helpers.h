// Out-of-line parts of the Wasm GC instructions in baseline code: everything that
// allocates, the bulk array operations and casts to concrete function types. They
// share the interpreter's implementation (engine/interp/gc_ops.h), so both tiers
// allocate, check ranges and raise traps identically.
//
// Same calling convention as helpers.h: `s` points at the instruction's first
// operand slot (operands in consecutive slots, a v128 in two), the result is
// written to s[0], `a` and `b` are immediates, and the return value is 0 or a
// trap code. Generated code spills its whole value stack before calling any of
// these, so every reference the frame holds is in a frame slot while the heap
// may collect (see frame_roots.h).
#pragma once

#include <cstdint>

namespace wasmrun::rt {
struct VMContext;
}

namespace wasmrun::jit {

/// struct.new: s = fields; a = const gc::Rtt*.
uint64_t h_struct_new(uint64_t* s, rt::VMContext* ctx, uint64_t rtt, uint64_t);
/// struct.new_default: no operands (s is the result slot); a = Rtt.
uint64_t h_struct_new_default(uint64_t* s, rt::VMContext* ctx, uint64_t rtt, uint64_t);
/// array.new: s = [value (1 or 2 slots), length]; a = Rtt, b = the length's slot index.
uint64_t h_array_new(uint64_t* s, rt::VMContext* ctx, uint64_t rtt, uint64_t len_at);
/// array.new_default: s = [length]; a = Rtt.
uint64_t h_array_new_default(uint64_t* s, rt::VMContext* ctx, uint64_t rtt, uint64_t);
/// array.new_fixed: s = the elements; a = Rtt, b = element count.
uint64_t h_array_new_fixed(uint64_t* s, rt::VMContext* ctx, uint64_t rtt, uint64_t count);
/// array.new_data / array.new_elem: s = [offset, length]; a = Rtt, b = segment.
uint64_t h_array_new_data(uint64_t* s, rt::VMContext* ctx, uint64_t rtt, uint64_t seg);
uint64_t h_array_new_elem(uint64_t* s, rt::VMContext* ctx, uint64_t rtt, uint64_t seg);
/// array.fill: s = [array, index, value (1 or 2 slots), count]; a = the value's width.
uint64_t h_array_fill(uint64_t* s, rt::VMContext* ctx, uint64_t value_width, uint64_t);
/// array.copy: s = [dst, dst index, src, src index, count].
uint64_t h_array_copy(uint64_t* s, rt::VMContext* ctx, uint64_t, uint64_t);
/// array.init_data / array.init_elem: s = [array, dst index, src offset, count]; a = segment.
uint64_t h_array_init_data(uint64_t* s, rt::VMContext* ctx, uint64_t seg, uint64_t);
uint64_t h_array_init_elem(uint64_t* s, rt::VMContext* ctx, uint64_t seg, uint64_t);
/// ref.test against any target (the compiler uses it for concrete function
/// types): s[0] = the reference, replaced by 0 or 1. a = cast kind word
/// (interp::CastKind | nullable << 8) | operand << 32, b = Rtt or null.
uint64_t h_ref_test(uint64_t* s, rt::VMContext* ctx, uint64_t cast, uint64_t rtt);

}  // namespace wasmrun::jit
