// The baseline tier's public door. The runtime reaches the tier through
// rt::baseline_invoke (engine/runtime/objects.h) when EngineConfig::tier is
// Baseline; this header adds what tests and benchmarks need beyond that.
#pragma once

#include <cstdint>

namespace wasmrun::rt {
struct FuncInst;
struct InstanceInst;
}

namespace wasmrun::jit {

/// Compiles every defined function of `inst` now instead of at first call and
/// returns how many the compiler declined (those run in the interpreter).
uint32_t compile_all_for_testing(rt::InstanceInst* inst);

/// Makes the defined function `f` run in the interpreter under this tier, in
/// every instance of its module, as if the compiler had declined it (counted by
/// compile_all_for_testing): tests mix interpreted and compiled frames with it.
/// Call it before `f` is first called or compiled.
void interpret_for_testing(rt::FuncInst* f);

}  // namespace wasmrun::jit
