// The validator: the one place where WebAssembly's typing rules live.
//
// Run once per module; produces a ValidatedModule with the side tables the
// execution tiers use. Errors are ErrorKind::Invalid with the spec test suite's
// messages ("type mismatch", "unknown local", ...) and a byte offset, except for
// encoding errors inside function bodies, which are ErrorKind::Malformed.
#pragma once

#include <memory>

#include "engine/features.h"
#include "engine/validate/validated_module.h"
#include "wasmrun/result.h"

namespace wasmrun {

Result<std::shared_ptr<const ValidatedModule>> validate_module(std::shared_ptr<const Module> module,
                                                               const Features& features = {});

/// Decode + validate in one call.
Result<std::shared_ptr<const ValidatedModule>> load_module(std::vector<uint8_t> bytes,
                                                           const Features& features = {});

}  // namespace wasmrun
