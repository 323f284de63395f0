// What a call produced, comparable across tiers (the JIT's differential tests).
#pragma once

#include <string>
#include <vector>

#include "wasmrun/wasmrun.h"

namespace wasmrun::test {

/// Raw result bits ("lo:hi " per value), or the error's kind and message (an
/// exception's payload too).
inline std::string outcome(const Result<std::vector<api::Value>>& r) {
  std::string s;
  if (!r.ok()) {
    s = "error " + std::to_string(static_cast<int>(r.error().kind)) + " " + r.error().message;
    if (r.error().exception)
      for (const api::Value& v : r.error().exception->payload()) s += " " + std::to_string(v.i64());
    return s;
  }
  for (const api::Value& v : *r) {
    uint64_t raw[2] = {0, 0};
    v.to_raw(raw);
    s += std::to_string(raw[0]) + ":" + std::to_string(raw[1]) + " ";
  }
  return s;
}

}  // namespace wasmrun::test
