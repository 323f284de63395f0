// Derives OpSig (operand signature, natural access size, lane count) for every
// opcode from the rows of opcodes.def, once, so the validator's generic path is
// a table lookup.
#include <array>
#include <cstring>
#include <string_view>

#include "engine/validate/func_validator.h"

namespace wasmrun {

namespace {

ValKind kind_of(char c) {
  switch (c) {
    case 'I': return ValKind::I64;
    case 'f': return ValKind::F32;
    case 'F': return ValKind::F64;
    case 'v': return ValKind::V128;
    default: return ValKind::I32;
  }
}

// log2 of the bytes a memory instruction touches, read off its mnemonic.
uint8_t natural_log2(std::string_view n) {
  if (n.find("8x8") != n.npos || n.find("16x4") != n.npos || n.find("32x2") != n.npos) return 3;
  if (n == "memory.atomic.notify" || n == "memory.atomic.wait32") return 2;
  if (n == "memory.atomic.wait64") return 3;
  for (std::string_view key : {"load", "store", "rmw"}) {
    size_t p = n.rfind(key);
    if (p == n.npos) continue;
    std::string_view rest = n.substr(p + key.size());
    if (rest.starts_with("8")) return 0;
    if (rest.starts_with("16")) return 1;
    if (rest.starts_with("32")) return 2;
    if (rest.starts_with("64")) return 3;
    break;
  }
  if (n.starts_with("v128")) return 4;
  if (n.starts_with("i64") || n.starts_with("f64")) return 3;
  return 2;
}

uint8_t lane_count(std::string_view n) {
  if (n.starts_with("i8x16")) return 16;
  if (n.starts_with("i16x8")) return 8;
  if (n.starts_with("i32x4") || n.starts_with("f32x4")) return 4;
  if (n.starts_with("i64x2") || n.starts_with("f64x2")) return 2;
  if (n.find("load8_lane") != n.npos || n.find("store8_lane") != n.npos) return 16;
  if (n.find("16_lane") != n.npos) return 8;
  if (n.find("32_lane") != n.npos) return 4;
  if (n.find("64_lane") != n.npos) return 2;
  return 0;
}

struct SigTable {
  std::array<OpSig, kNumOps> sigs;
  SigTable() {
    for (unsigned i = 0; i < kNumOps; ++i) {
      const OpInfo& info = kOpInfo[i];
      OpSig& s = sigs[i];
      std::string_view sig = info.sig;
      std::string_view name = info.mnemonic;
      if (info.imm == Imm::Memarg || info.imm == Imm::MemargLane) {
        s.natural_log2 = natural_log2(name);
        s.atomic = info.prefix == 0xFE;
      }
      if (info.imm == Imm::Lane || info.imm == Imm::MemargLane) s.lanes = lane_count(name);
      if (sig.empty()) continue;
      s.generic = true;
      size_t colon = sig.find(':');
      for (size_t k = 0; k < colon; ++k) {
        if (sig[k] == 'a') s.addr_params |= 1u << s.np;
        s.p[s.np++] = kind_of(sig[k]);
      }
      if (colon + 1 < sig.size()) {
        s.nr = 1;
        s.r = kind_of(sig[colon + 1]);
        s.addr_result = sig[colon + 1] == 'a';
      }
    }
  }
};

}  // namespace

// Namespace-scope so lookups need no initialization guard; kOpInfo is
// constant-initialized, so it is complete before this runs.
static const SigTable kSigTable;
const OpSig* const kOpSigs = kSigTable.sigs.data();

}  // namespace wasmrun
