// Numeric literals of the text format: integers with '_' separators in decimal
// or hex, and floats (decimal, hex, inf, nan, nan:0x...) rounded exactly.
#pragma once

#include <cstdint>
#include <string_view>

namespace wasmrun::text {

/// Outcome of parsing a literal. Syntax errors are "unknown operator" in the
/// spec's terms (the token is not a number at all); Range errors are
/// "constant out of range".
enum class LitStatus : uint8_t { Ok, Syntax, Range };

/// An unsigned integer (no sign) up to `max`.
LitStatus parse_uint(std::string_view s, uint64_t max, uint64_t& out);

/// An integer of `bits` width (8, 16, 32 or 64) written signed or unsigned; the
/// result is the two's complement bit pattern in the low `bits` bits.
LitStatus parse_int(std::string_view s, unsigned bits, uint64_t& out);

/// A float literal as f32 bits.
LitStatus parse_f32(std::string_view s, uint32_t& bits);
/// A float literal as f64 bits.
LitStatus parse_f64(std::string_view s, uint64_t& bits);

}  // namespace wasmrun::text
