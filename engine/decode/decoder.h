// The binary decoder: bytes -> Module, one pass, section by section.
//
// Reports malformed input (ErrorKind::Malformed) with the spec test suite's
// messages ("unexpected end", "integer too large", "section size mismatch",
// "malformed section id", ...) and the byte offset of the culprit. It checks the
// binary format only; typing rules are the validator's.
#pragma once

#include <memory>
#include <vector>

#include "engine/features.h"
#include "engine/module.h"
#include "wasmrun/result.h"

namespace wasmrun {

/// Decodes a complete module. Function bodies are split into locals and code but
/// their instructions are decoded by the validator (engine/decode/instr_reader.h),
/// which still reports instruction-level encoding errors as Malformed.
Result<std::shared_ptr<const Module>> decode_module(std::vector<uint8_t> bytes,
                                                    const Features& features = {});

}  // namespace wasmrun
