// Out-of-line helpers that baseline code calls for instructions it does not
// expand inline: the rarer numeric ops, all SIMD ops, memory accesses that are not
// the memory-0 fast path, bulk memory, tables and indirect-call checks.
//
// Every helper has one signature so that the compiler emits one calling sequence:
//   uint64_t helper(uint64_t* s, VMContext* ctx, uint64_t a, uint64_t b)
// `s` points at the frame slot of the instruction's first operand; operands occupy
// consecutive slots (a v128 takes two) and the result is written back from s[0].
// `a` and `b` carry immediates. The return value is 0, or a trap: the low byte is
// TrapKind + 1 and the upper bits the "uninitialized element" index. The semantics
// are the interpreter's: the helpers expand the same X-macro rows (numeric_ops.h,
// simd.h) so the two tiers cannot disagree.
#pragma once

#include <cstdint>

#include "engine/opcodes.h"

namespace wasmrun::rt {
struct VMContext;
}

namespace wasmrun::jit {

using HelperFn = uint64_t (*)(uint64_t* s, rt::VMContext* ctx, uint64_t a, uint64_t b);

/// Numeric and SIMD ops with a fixed signature (operands and result in slots),
/// including lane ops (`a` = lane). Null when there is none for `op`.
HelperFn value_helper(Op op);

/// Memory accesses in the general form (any memory, 32- or 64-bit addresses,
/// explicit bounds checks): `a` = offset, `b` = memory index | lane << 32.
HelperFn memory_helper(Op op);

/// The remaining helpers, named for their instruction. Immediates in `a` and `b`
/// are listed per helper in helpers.cc.
uint64_t h_memory_size(uint64_t* s, rt::VMContext* ctx, uint64_t mem, uint64_t);
uint64_t h_memory_grow(uint64_t* s, rt::VMContext* ctx, uint64_t mem, uint64_t);
uint64_t h_memory_fill(uint64_t* s, rt::VMContext* ctx, uint64_t mem, uint64_t);
uint64_t h_memory_copy(uint64_t* s, rt::VMContext* ctx, uint64_t dst, uint64_t src);
uint64_t h_memory_init(uint64_t* s, rt::VMContext* ctx, uint64_t seg, uint64_t mem);
uint64_t h_data_drop(uint64_t* s, rt::VMContext* ctx, uint64_t seg, uint64_t);
uint64_t h_table_get(uint64_t* s, rt::VMContext* ctx, uint64_t table, uint64_t);
uint64_t h_table_set(uint64_t* s, rt::VMContext* ctx, uint64_t table, uint64_t);
uint64_t h_table_size(uint64_t* s, rt::VMContext* ctx, uint64_t table, uint64_t);
uint64_t h_table_grow(uint64_t* s, rt::VMContext* ctx, uint64_t table, uint64_t);
uint64_t h_table_fill(uint64_t* s, rt::VMContext* ctx, uint64_t table, uint64_t);
uint64_t h_table_copy(uint64_t* s, rt::VMContext* ctx, uint64_t dst, uint64_t src);
uint64_t h_table_init(uint64_t* s, rt::VMContext* ctx, uint64_t seg, uint64_t table);
uint64_t h_elem_drop(uint64_t* s, rt::VMContext* ctx, uint64_t seg, uint64_t);
/// s[0] = table index operand; replaced by the checked FuncInst*. a = type index.
uint64_t h_call_indirect(uint64_t* s, rt::VMContext* ctx, uint64_t type, uint64_t table);
/// s[0..3] = two vectors; a = pointer to the 16 lane indices.
uint64_t h_shuffle(uint64_t* s, rt::VMContext* ctx, uint64_t lanes, uint64_t);

}  // namespace wasmrun::jit
