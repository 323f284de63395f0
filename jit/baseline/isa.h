// The x86 instruction-set level the baseline tier emits SIMD code for: chosen
// once per process from the host CPU, optionally lowered for testing with the
// WASMRUN_JIT_ISA environment variable (docs/jit-baseline.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "wasmrun/result.h"

namespace wasmrun::jit {

/// Ordered levels: each one implies the ones below it.
///   Sse2   x86-64's baseline; integer lanes that SSE2 has, helpers otherwise.
///   Sse41  SSSE3 and SSE4.1 (pshufb, pmovsx/zx, pminsd, pextrb, ptest ...);
///          SSE4.2's pcmpgtq when the host has it (IsaInfo::sse42).
///   Avx    VEX three-operand forms, unaligned memory operands folded in.
///   Avx2   vpbroadcastb/w/d/q for splats.
enum class Isa : uint8_t { Sse2, Sse41, Avx, Avx2 };

/// What generated code may use.
struct IsaInfo {
  Isa level = Isa::Sse2;
  bool sse42 = false;  ///< pcmpgtq (i64x2 signed compares); only with level >= Sse41
};

/// "sse2", "sse41", "avx", "avx2".
const char* isa_name(Isa level);
/// The inverse of isa_name; nullopt for anything else.
std::optional<Isa> parse_isa(std::string_view name);

/// The highest level this CPU (and OS: AVX needs the YMM state enabled) supports.
IsaInfo host_isa();

/// `host` lowered to `requested`; an error (Usage) naming both when `requested`
/// is above what `host` supports.
Result<IsaInfo> lower_isa(const IsaInfo& host, Isa requested);

/// The level the baseline tier uses: host_isa(), lowered by WASMRUN_JIT_ISA
/// when set. Computed once; an unknown name or a level above the host's is an
/// error (Usage) that every baseline entry reports, never a silent fallback.
const Result<IsaInfo>& jit_isa();

}  // namespace wasmrun::jit
