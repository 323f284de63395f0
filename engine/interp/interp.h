// The interpreter tier: entry points the runtime uses to run wasm functions.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/interp/code.h"
#include "wasmrun/result.h"
#include "wasmrun/trap.h"

namespace wasmrun::rt {
struct FuncInst;
struct CompiledModule;
}  // namespace wasmrun::rt

namespace wasmrun::interp {

/// Calls `f` (wasm or host) with raw argument slots (a v128 takes two slots;
/// references are raw bits) and writes its raw result slots to `results`.
/// Both may be null for a [] -> [] function. Re-entrant: a host function called
/// from wasm may call back into wasm. Errors: Trap / Exhaustion with TrapInfo, or
/// whatever a host function returned (e.g. ErrorKind::Exit).
Status invoke(rt::FuncInst* f, const uint64_t* args, uint64_t* results);

/// The lowered code of defined function `defined_index` of `m`, lowering it on
/// first use. Thread-safe. Fails (Unsupported) for instructions this tier lacks.
Result<const Code*> get_code(rt::CompiledModule& m, uint32_t defined_index);

/// Lowers one function (exposed for tests; get_code caches the result).
Result<Code*> lower_function(const rt::CompiledModule& m, uint32_t defined_index);

// ---- backtraces across tiers ----
// A thread's wasm frames live in two places: the interpreter's frame stack
// (every interpreted function suspended in a call, of every entry) and the
// baseline JIT's native frames. The frame stack's depth orders the two: the JIT
// records it in each of its activations (jit/baseline/frame_roots.h), so the
// interpreter frames at depths [outer activation's, inner activation's) sit
// between the two activations (docs/jit-baseline.md, Traps).

/// The depth of this thread's interpreter frame stack.
uint32_t frame_depth();

/// Appends the interpreter frames at depths [lo, hi) of this thread to `bt`,
/// innermost (hi - 1) first.
void append_frames(std::vector<TrapFrame>& bt, uint32_t lo, uint32_t hi);

/// Appends every frame of this thread below interpreter depth `depth`,
/// innermost first: the interpreter frames interleaved with the JIT frames that
/// called into the interpreter. Weak (defined by the baseline JIT, absent when
/// it is not linked); the interpreter's traps use it for their backtraces.
void baseline_outer_backtrace(std::vector<TrapFrame>& bt,
                              uint32_t depth) __asm__("wasmrun_baseline_outer_backtrace")
    __attribute__((weak));

}  // namespace wasmrun::interp
