// The interpreter's threads instructions (0xFE prefix): atomic loads, stores,
// read-modify-writes, cmpxchg, atomic.fence, memory.atomic.wait32/64 and notify.
//
// Every atomic instruction lowers to the same 9-word operand layout and one
// handler in exec.cc that calls exec_atomic: atomics are rare in hot loops
// compared with plain loads, and a blocking wait dwarfs a call, so one
// out-of-line function keeps the run loop small without costing anything that
// matters. Operands (code words after the handler address):
//   [dst, addr, a, b, offset_lo, offset_hi, memory, is64, op]
// `dst` is unused (0) for stores and the fence; `a`/`b` are the value operands
// (value; expected, replacement; expected, timeout; count) or 0.
//
// Accesses use std::atomic_ref on the linear memory, sequentially consistent,
// on any memory (shared or not, memory64, any memory index). Traps, in order:
// out of bounds, unaligned atomic, then (wait only) expected shared memory.
#pragma once

#include <cstdint>

namespace wasmrun::rt {
struct VMContext;
}

namespace wasmrun::interp {

inline constexpr uint32_t kAtomicOperandWords = 9;

/// Runs the atomic instruction whose operands start at `o`. Returns -1, or the
/// TrapKind (as int) to raise.
int exec_atomic(rt::VMContext* ctx, uint64_t* fp, const uint32_t* o);

}  // namespace wasmrun::interp
