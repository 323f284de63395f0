// Traps out of baseline code: the executable-code arena (so that a fault's PC can
// be recognized as ours), the SIGSEGV/SIGBUS handler that turns guard-page faults
// into "out of bounds memory access", landing pads, and backtraces built by
// walking the rbp chain of JIT frames (frame.h).
#pragma once

#include <csetjmp>
#include <cstddef>
#include <cstdint>

#include "wasmrun/result.h"

namespace wasmrun::jit {

/// Executable memory for generated code, from one process-wide arena. Code is
/// never freed (modules are few and code is small; see docs/jit-baseline.md).
/// Null when the arena is exhausted.
void* alloc_code(size_t bytes);
/// Whether `pc` lies in generated code.
bool in_jit_code(uintptr_t pc);

/// Installs the fault handler (once per process; chains to the previous one for
/// faults outside generated code).
void install_fault_handler();

/// Where a trap unwinds to: one per entry from C++ into generated code, linked
/// per thread so that re-entrant calls (host -> wasm -> host -> wasm) nest.
struct LandingPad {
  sigjmp_buf buf;
  Error error{ErrorKind::Trap, ""};
  LandingPad* prev = nullptr;
};

/// The innermost landing pad of this thread (null outside generated code).
LandingPad*& current_pad();

/// Called from generated code: raises trap `kind` at bytecode `offset` in the frame
/// whose rbp is `rbp`. Never returns.
[[noreturn]] void raise_trap(uint32_t kind, uint32_t offset, uintptr_t rbp);
/// Where the fault handler resumes after a guard-page fault at `pc` in the frame
/// whose rbp is `rbp`: raises "out of bounds memory access" at that access.
[[noreturn]] void raise_fault(uintptr_t pc, uintptr_t rbp);
/// Called from generated code when a helper returned a nonzero trap code
/// (helpers.h); the offset is the frame's current call-site offset.
[[noreturn]] void raise_helper_trap(uint64_t code, uintptr_t rbp);
/// Unwinds to the current landing pad with the error already stored in it.
[[noreturn]] void unwind();

/// The native stack limit generated code checks against, for this thread.
uintptr_t thread_stack_limit();
/// Publishes this thread's limit where generated code reads it (fs-relative TLS:
/// every thread that enters generated code gets its own limit).
void publish_stack_limit();
/// Offset of that limit from the thread pointer (fs base), the same in every thread.
intptr_t stack_limit_tls_offset();

}  // namespace wasmrun::jit
