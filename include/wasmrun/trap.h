// Trap kinds, their spec messages, and the wasm backtrace a trap carries.
//
// A trap reaches the embedder as an Error with kind Trap (or Exhaustion for
// "call stack exhausted") whose `trap` field points to a TrapInfo.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wasmrun {

enum class TrapKind : uint8_t {
  Unreachable,               ///< "unreachable"
  IntegerDivideByZero,       ///< "integer divide by zero"
  IntegerOverflow,           ///< "integer overflow"
  InvalidConversion,         ///< "invalid conversion to integer"
  OutOfBoundsMemory,         ///< "out of bounds memory access"
  OutOfBoundsTable,          ///< "out of bounds table access"
  UndefinedElement,          ///< "undefined element"
  UninitializedElement,      ///< "uninitialized element"
  IndirectCallTypeMismatch,  ///< "indirect call type mismatch"
  NullFunctionReference,     ///< "null function reference"
  NullReference,             ///< "null reference"
  CastFailure,               ///< "cast failure"
  StackExhausted,            ///< "call stack exhausted"
  Unsupported,               ///< an instruction this tier does not implement
  Host,                      ///< raised by a host function (its own message)
  // Wasm GC (appended so existing numeric values stay stable for the JITs).
  NullStructReference,     ///< "null structure reference"
  NullArrayReference,      ///< "null array reference"
  NullI31Reference,        ///< "null i31 reference"
  OutOfBoundsArrayAccess,  ///< "out of bounds array access"
  ArrayTooLarge,           ///< "out of memory: array too large"
  HeapExhausted,           ///< "out of memory: GC heap exhausted"
  // Threads.
  UnalignedAtomic,       ///< "unaligned atomic"
  ExpectedSharedMemory,  ///< "expected shared memory" (memory.atomic.wait on unshared memory)
  // Exception handling.
  NullExceptionReference,  ///< "null exception reference" (throw_ref of null)
};

/// The spec test suite's message for a trap kind.
const char* trap_message(TrapKind kind);

/// The message every tier reports for a trap: trap_message(kind) plus its detail,
/// for the kinds that have one (UninitializedElement: the element index;
/// HeapExhausted: the store's GC heap limit in bytes, " (limit N bytes)").
std::string trap_message(TrapKind kind, uint64_t detail);

/// One wasm frame of a backtrace, innermost first.
struct TrapFrame {
  uint32_t func_index = 0;
  std::string func_name;  ///< from the name section; empty when unnamed
  uint32_t offset = 0;    ///< byte offset of the instruction in the module binary
};

struct TrapInfo {
  TrapKind kind = TrapKind::Unreachable;
  std::vector<TrapFrame> backtrace;
  /// "  0: func 3 <name> @0x4f" lines.
  std::string backtrace_string() const;
};

}  // namespace wasmrun
