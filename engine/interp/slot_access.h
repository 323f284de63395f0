// Reads and writes of value-stack slots and linear memory, shared by the
// interpreter and the baseline JIT's helpers (which must behave identically).
//
// The pointers are untyped because memory operands may be unaligned: a typed
// `const uint64_t*` would promise an alignment that guest addresses do not have
// (UBSan rightly flags it). memcpy compiles to a single load or store.
#pragma once

#include <cstdint>
#include <cstring>

#include "engine/interp/simd.h"

namespace wasmrun::interp {

template <class T>
inline T rd(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <class T>
inline void wr(void* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

inline simd::V128 rdv(const void* p) {
  simd::V128 v;
  std::memcpy(v.b, p, 16);
  return v;
}

inline void wrv(void* p, const simd::V128& v) { std::memcpy(p, v.b, 16); }

}  // namespace wasmrun::interp
