#include "engine/opcodes.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>

namespace wasmrun {

const OpInfo kOpInfo[kNumOps] = {
#define WASMRUN_OPCODE(ident, mnemonic, prefix, code, imm, sig) \
  {mnemonic, prefix, code, Imm::imm, sig},
#include "engine/opcodes.def"
#undef WASMRUN_OPCODE
};

namespace {

// Dense lookup tables, built once. Prefixed opcode spaces are small (< 0x120).
struct CodeTables {
  std::array<int16_t, 256> single;
  std::array<std::array<int16_t, 0x120>, 4> prefixed;  // FB, FC, FD, FE
  std::unordered_map<std::string_view, Op> by_name;

  CodeTables() {
    single.fill(-1);
    for (auto& t : prefixed) t.fill(-1);
    for (unsigned i = 0; i < kNumOps; ++i) {
      const OpInfo& info = kOpInfo[i];
      if (info.prefix == 0) {
        single[info.code] = static_cast<int16_t>(i);
      } else {
        prefixed[info.prefix - 0xFB][info.code] = static_cast<int16_t>(i);
      }
      by_name.emplace(info.mnemonic, static_cast<Op>(i));  // keeps the first row
    }
  }
};

const CodeTables& tables() {
  static const CodeTables t;
  return t;
}

}  // namespace

std::optional<Op> op_from_code(uint8_t prefix, uint32_t code) {
  const CodeTables& t = tables();
  int16_t v = -1;
  if (prefix == 0) {
    if (code < 256) v = t.single[code];
  } else if (prefix >= 0xFB && prefix <= 0xFE && code < 0x120) {
    v = t.prefixed[prefix - 0xFB][code];
  }
  if (v < 0) return std::nullopt;
  return static_cast<Op>(v);
}

std::optional<Op> op_from_mnemonic(std::string_view name) {
  const CodeTables& t = tables();
  auto it = t.by_name.find(name);
  if (it == t.by_name.end()) return std::nullopt;
  return it->second;
}

}  // namespace wasmrun
