// The --gc-heap-limit flag shared by `run` and `wast`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wasmrun::cli {

/// Parses a byte count: decimal digits with an optional binary suffix K, M or G
/// (KiB, MiB, GiB). Nullopt for anything else, zero, or overflow.
inline std::optional<uint64_t> parse_byte_size(const std::string& s) {
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (v > (UINT64_MAX - 9) / 10) return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(s[i] - '0');
  }
  if (i == 0) return std::nullopt;
  unsigned shift = 0;
  if (i < s.size()) {
    if (i + 1 != s.size()) return std::nullopt;
    switch (s[i]) {
      case 'K':
      case 'k': shift = 10; break;
      case 'M':
      case 'm': shift = 20; break;
      case 'G':
      case 'g': shift = 30; break;
      default: return std::nullopt;
    }
  }
  if (v == 0 || v > (UINT64_MAX >> shift)) return std::nullopt;
  return v << shift;
}

}  // namespace wasmrun::cli
