// Instantiation: import matching, allocation of an instance's memories, tables and
// globals, constant-expression evaluation, element and data segments, and start.
#pragma once

#include <memory>
#include <span>

#include "engine/runtime/objects.h"

namespace wasmrun::rt {

/// Instantiates `module` in `store` with `imports` given in the module's import
/// order. Errors: Unlinkable ("incompatible import type", with the import's name),
/// Uninstantiable ("out of bounds table access", "out of bounds memory access"),
/// or the trap of the start function.
Result<InstanceInst*> instantiate(StoreImpl& store, const std::shared_ptr<CompiledModule>& module,
                                  std::span<const Extern> imports);

/// Whether `e` can be used for an import of type `want` of module `m` (with engine ids `ids`).
bool extern_matches(const EngineImpl& engine, const Extern& e, const Import& want,
                    const std::vector<uint32_t>& ids);

/// Evaluates a constant expression in the context of `inst` into raw slots.
Status eval_const(InstanceInst& inst, const ConstExpr& expr, uint64_t out[2]);

}  // namespace wasmrun::rt
