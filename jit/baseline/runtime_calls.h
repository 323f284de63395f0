// Helpers behind the baseline tier's atomics and exception handling. Both share
// the interpreter's implementation (engine/interp/atomic_ops.h, exceptions.h), so
// the tiers cannot disagree; see docs/jit-baseline.md for the exception protocol.
#pragma once

#include <cstdint>

namespace wasmrun::rt {
struct VMContext;
}

namespace wasmrun::jit {

/// Any 0xFE instruction outside the inline fast paths, with the helpers.h
/// signature. `words` points at the instruction's 9 interpreter operand words
/// (atomic_ops.h) embedded in the code, laid out for the frame slot `s` of the
/// first operand: addr s[0], values s[1], s[2], result s[0]. Returns 0 or a trap
/// code (helpers.h).
uint64_t h_atomic(uint64_t* s, rt::VMContext* ctx, uint64_t words, uint64_t);

/// `throw tag`: a new exception from the payload at s[0 .. num_slots). Returns
/// the exception (never null): the caller propagates it like one returned by a
/// call. The exception is a GC object, so this may collect: the caller's frame
/// map has the throw's call site (the payload operands are roots), and a full
/// heap traps HeapExhausted from here.
uint64_t h_throw(uint64_t* s, rt::VMContext* ctx, uint64_t tag, uint64_t num_slots);

/// One catch clause of a handler table embedded in generated code.
struct CatchEntry {
  uint32_t kind;     ///< ExnCatch::Kind
  uint32_t tag;      ///< module tag index (Catch, CatchRef)
  uint32_t dst;      ///< frame slot of the payload, then the exnref (_ref kinds)
  int32_t exn_slot;  ///< legacy try: frame slot keeping the exnref for rethrow, else -1
};

/// Offers exception `exn` to the clauses `table[0 .. n)` in order, with the frame
/// slots at `slots`; on the first match delivers the payload and returns the
/// clause's index, else -1.
int64_t h_catch(void* exn, rt::VMContext* ctx, uint64_t* slots, const CatchEntry* table,
                uint64_t n);

}  // namespace wasmrun::jit
