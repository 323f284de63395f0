// Little helpers that append binary-format encodings to a byte vector.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/opcodes.h"

namespace wasmrun::text {

using Bytes = std::vector<uint8_t>;

/// Unsigned LEB128, minimal length.
inline void put_uleb(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out.push_back(b);
  } while (v != 0);
}

/// Signed LEB128, minimal length.
inline void put_sleb(Bytes& out, int64_t v) {
  while (true) {
    uint8_t b = v & 0x7F;
    v >>= 7;  // arithmetic shift
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    if (!done) b |= 0x80;
    out.push_back(b);
    if (done) return;
  }
}

inline void put_bytes(Bytes& out, const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  out.insert(out.end(), p, p + n);
}

inline void put_name(Bytes& out, std::string_view s) {
  put_uleb(out, s.size());
  put_bytes(out, s.data(), s.size());
}

inline void put_le(Bytes& out, uint64_t v, unsigned nbytes) {
  for (unsigned i = 0; i < nbytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

/// An opcode: the byte, or the prefix byte and the LEB128 sub-opcode.
inline void put_op(Bytes& out, Op op) {
  const OpInfo& info = op_info(op);
  if (info.prefix != 0) {
    out.push_back(info.prefix);
    put_uleb(out, info.code);
  } else {
    out.push_back(static_cast<uint8_t>(info.code));
  }
}

/// A vector: count, then the entries' bytes.
inline void put_vec(Bytes& out, uint32_t n, const Bytes& body) {
  put_uleb(out, n);
  out.insert(out.end(), body.begin(), body.end());
}

/// A section: id, size, body.
inline void put_section(Bytes& out, uint8_t id, const Bytes& body) {
  out.push_back(id);
  put_uleb(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}

}  // namespace wasmrun::text
