// The interpreter tier: entry points the runtime uses to run wasm functions.
#pragma once

#include <cstdint>

#include "engine/interp/code.h"
#include "wasmrun/result.h"

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

}  // namespace wasmrun::interp
