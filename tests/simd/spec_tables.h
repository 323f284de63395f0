// Table rows transcribed from the official SIMD spec scripts (see
// gen_spec_tables.py, which writes spec_tables_data.cc).
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "engine/interp/simd.h"
#include "engine/opcodes.h"

namespace wasmrun::simd::testing {

/// One lane of a table vector: exact bits, or a NaN class the spec accepts.
struct Lane {
  uint64_t bits;
  char kind = 0;                 // 0 exact, 'c' canonical NaN, 'a' arithmetic NaN
  Lane(uint64_t b) : bits(b) {}  // NOLINT: tables list plain numbers
  Lane(uint64_t b, char k) : bits(b), kind(k) {}
};
inline const Lane kCanon{0, 'c'};
inline const Lane kArith{0, 'a'};

/// A vector in one lane width, with per-lane NaN classes for expected results.
struct LaneVec {
  V128 v{};
  int width = 1;
  std::vector<char> kinds;

  static LaneVec make(std::initializer_list<Lane> lanes, int width) {
    LaneVec r;
    r.width = width;
    int i = 0;
    for (const Lane& l : lanes) {
      std::memcpy(r.v.b + i * width, &l.bits, width);  // little-endian host
      r.kinds.push_back(l.kind);
      ++i;
    }
    return r;
  }

  /// Whether `got` is one of the values this (expected) vector allows.
  bool accepts(V128 got) const {
    for (size_t i = 0; i < kinds.size(); ++i) {
      uint64_t g = 0, x = 0;
      std::memcpy(&g, got.b + i * width, width);
      std::memcpy(&x, v.b + i * width, width);
      if (kinds[i] == 0) {
        if (g != x) return false;
        continue;
      }
      uint64_t mag = width == 4 ? g & 0x7FFFFFFFu : g & 0x7FFFFFFFFFFFFFFFull;
      uint64_t canon = width == 4 ? 0x7FC00000u : 0x7FF8000000000000ull;
      if (kinds[i] == 'c' ? mag != canon : (mag & canon) != canon) return false;
    }
    return true;
  }
};

inline LaneVec u8(std::initializer_list<Lane> l) { return LaneVec::make(l, 1); }
inline LaneVec u16(std::initializer_list<Lane> l) { return LaneVec::make(l, 2); }
inline LaneVec u32(std::initializer_list<Lane> l) { return LaneVec::make(l, 4); }
inline LaneVec u64(std::initializer_list<Lane> l) { return LaneVec::make(l, 8); }

struct SpecRow {
  Op op;
  const char* where;  // script:line
  std::vector<LaneVec> in;
  uint32_t scalar;  // shift count, for the shift instructions
  LaneVec expect;
};

const std::vector<SpecRow>& spec_rows();

}  // namespace wasmrun::simd::testing
