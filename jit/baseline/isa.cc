#include "jit/baseline/isa.h"

#include <asmjit/core.h>

#include <cstdlib>
#include <string>

namespace wasmrun::jit {

const char* isa_name(Isa level) {
  switch (level) {
    case Isa::Sse2: return "sse2";
    case Isa::Sse41: return "sse41";
    case Isa::Avx: return "avx";
    case Isa::Avx2: return "avx2";
  }
  return "?";
}

std::optional<Isa> parse_isa(std::string_view name) {
  for (Isa l : {Isa::Sse2, Isa::Sse41, Isa::Avx, Isa::Avx2})
    if (name == isa_name(l)) return l;
  return std::nullopt;
}

IsaInfo host_isa() {
  using asmjit::CpuFeatures;
  const asmjit::CpuInfo& cpu = asmjit::CpuInfo::host();
  auto has = [&](CpuFeatures::X86::Id f) { return cpu.hasFeature(f); };
  IsaInfo info;
  // asmjit reports AVX only when the OS saves the YMM state (XCR0).
  if (has(CpuFeatures::X86::kSSSE3) && has(CpuFeatures::X86::kSSE4_1)) {
    info.level = Isa::Sse41;
    info.sse42 = has(CpuFeatures::X86::kSSE4_2);
    if (has(CpuFeatures::X86::kAVX) && info.sse42) {
      info.level = Isa::Avx;
      if (has(CpuFeatures::X86::kAVX2)) info.level = Isa::Avx2;
    }
  }
  return info;
}

Result<IsaInfo> lower_isa(const IsaInfo& host, Isa requested) {
  if (requested > host.level)
    return Error(ErrorKind::Usage, std::string("WASMRUN_JIT_ISA=") + isa_name(requested) +
                                       ": this CPU supports at most " + isa_name(host.level));
  IsaInfo info = host;
  info.level = requested;
  if (requested == Isa::Sse2) info.sse42 = false;
  return info;
}

const Result<IsaInfo>& jit_isa() {
  static const Result<IsaInfo> isa = []() -> Result<IsaInfo> {
    IsaInfo host = host_isa();
    const char* env = std::getenv("WASMRUN_JIT_ISA");
    if (!env) return host;
    std::optional<Isa> want = parse_isa(env);
    if (!want)
      return Error(ErrorKind::Usage, std::string("WASMRUN_JIT_ISA=") + env +
                                         ": unknown level (expected sse2, sse41, avx or avx2)");
    return lower_isa(host, *want);
  }();
  return isa;
}

}  // namespace wasmrun::jit
