// Text dump of lowered code (dump.h).
#include "engine/interp/dump.h"

#include <cstring>
#include <unordered_map>

namespace wasmrun::interp {

const char* iop_name(IOp op) {
  // clang-format off
  static const char* const names[kNumIOps] = {
#define WASMRUN_OPCODE(ident, mnemonic, prefix, code, imm, sig) mnemonic,
#include "engine/opcodes.def"
#undef WASMRUN_OPCODE
#define WASMRUN_X(n) #n,
    WASMRUN_INTERP_EXTRA(WASMRUN_X)
#undef WASMRUN_X
#define WASMRUN_XM(n, ...) #n "_m",
    WASMRUN_INTERP_LOADS(WASMRUN_XM)
    WASMRUN_INTERP_STORES(WASMRUN_XM)
    WASMRUN_SIMD_LOAD(WASMRUN_XM)
    WASMRUN_SIMD_LOAD_LANE(WASMRUN_XM)
    WASMRUN_SIMD_STORE_LANE(WASMRUN_XM)
#undef WASMRUN_XM
#define WASMRUN_XA(n, ...) #n "_a",
    WASMRUN_INTERP_LOADS(WASMRUN_XA)
    WASMRUN_INTERP_STORES(WASMRUN_XA)
#undef WASMRUN_XA
#define WASMRUN_XRI(n, ...) #n "_ri",
#define WASMRUN_XBR(n, ...) "brif_" #n, "brif_" #n "_ri",
    WASMRUN_INTERP_ICMPS(WASMRUN_XRI)
    WASMRUN_INTERP_IARITH(WASMRUN_XRI)
    WASMRUN_INTERP_ICMPS(WASMRUN_XBR)
#define WASMRUN_XFBR(n, ...) "brif_" #n, "brifnot_" #n,
    WASMRUN_INTERP_FCMPS(WASMRUN_XFBR)
#undef WASMRUN_XRI
#undef WASMRUN_XBR
#undef WASMRUN_XFBR
  };
  // clang-format on

  unsigned i = static_cast<unsigned>(op);
  return i < kNumIOps && names[i] ? names[i] : "?";
}

void dump_code(const Code& code, std::FILE* out) {
  // Several ops share the "unimplemented" handler; the first IOp wins, which is
  // fine for a dump because real code never contains them.
  std::unordered_map<uint64_t, IOp> by_addr;
  const void* const* table = handler_table();
  for (unsigned i = kNumIOps; i-- > 0;)
    by_addr[reinterpret_cast<uint64_t>(table[i])] = static_cast<IOp>(i);
  const std::vector<uint32_t>& w = code.words;
  auto handler_at = [&](size_t i) -> const IOp* {
    if (i + 1 >= w.size()) return nullptr;
    auto it = by_addr.find(w[i] | (uint64_t{w[i + 1]} << 32));
    return it == by_addr.end() ? nullptr : &it->second;
  };
  std::fprintf(out, "func %u: %zu words, frame %u slots (locals+pool %u)\n", code.func_index,
               w.size(), code.frame_slots, code.num_local_slots);
  size_t i = 0;
  while (i < w.size()) {
    const IOp* op = handler_at(i);
    if (!op) {
      std::fprintf(out, "  %5zu  .word %u\n", i, w[i]);
      ++i;
      continue;
    }
    std::fprintf(out, "  %5zu  %s", i, iop_name(*op));
    i += 2;
    while (i < w.size() && !handler_at(i)) std::fprintf(out, " %d", static_cast<int32_t>(w[i++]));
    std::fprintf(out, "\n");
  }
}

}  // namespace wasmrun::interp
