// The WebAssembly text format (WAT): parse a module and encode it to binary.
//
// wasmrun compiles text straight to the binary format and lets the binary
// decoder and validator take over (see docs/text-format.md). The encoder never
// type-checks: a well-formed but invalid module (type mismatch, numeric index out
// of range, ...) encodes fine and the validator reports it. Only errors of the
// text itself are reported here, all as ErrorKind::Malformed with the spec's
// wording ("unknown operator", "unexpected token", "constant out of range",
// "unknown function $f", "alignment", "mismatching label", "duplicate func",
// "inline function type", "import after function", ...). One annotation rule
// is reported as ErrorKind::Invalid, as the spec tests expect: a branch hint on
// an instruction other than `if`/`br_if`. Error::offset is the byte offset in the
// text; text_position() turns it into line:column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "wasmrun/result.h"

namespace wasmrun {

/// Parse one module, either `(module $id? field*)` or the abbreviated form that
/// is just a sequence of fields, and encode it to the binary format. The output
/// has a "name" custom section when the module, functions or locals have
/// $identifiers (or `(@name ...)`), custom sections for `(@custom ...)`
/// annotations, and a "metadata.code.branch_hint" section for branch hints.
Result<std::vector<uint8_t>> wat_to_wasm(std::string_view text);

/// A 1-based line and column of a byte offset in a text.
struct TextPosition {
  size_t line = 1;
  size_t column = 1;
};

/// Line and column of `offset` in `text` (columns count bytes).
TextPosition text_position(std::string_view text, size_t offset);

}  // namespace wasmrun
