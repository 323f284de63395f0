// A debugging aid: prints lowered interpreter code (code.h) as text.
//
// Setting WASMRUN_INTERP_DUMP in the environment makes get_code print every
// function to stderr as it is lowered, which is how the superinstructions were
// chosen: dump a hot loop, count its instructions, see which pairs recur.
#pragma once

#include <cstdio>

#include "engine/interp/code.h"
#include "engine/interp/iops.h"

namespace wasmrun::interp {

/// The name of an internal op: the wasm mnemonic, or the interpreter-only name.
const char* iop_name(IOp op);

/// Prints `code` to `out`, one instruction per line: word index, op name and the
/// operand words. Operand counts are not stored in the code, so an instruction's
/// operands are the words up to the next word pair that is a handler address.
void dump_code(const Code& code, std::FILE* out);

}  // namespace wasmrun::interp
