// The --tier flag shared by `run` and `wast`.
#pragma once

#include <optional>
#include <string>

#include "wasmrun/wasmrun.h"

namespace wasmrun::cli {

/// Names accepted by --tier, for messages.
inline constexpr const char* kTierNames = "interp, baseline";

/// Maps a --tier name to a tier, or nullopt for an unknown name.
inline std::optional<api::Tier> parse_tier(const std::string& name) {
  if (name == "interp") return api::Tier::Interpreter;
  if (name == "baseline") return api::Tier::Baseline;  // jit/baseline (asmjit)
  return std::nullopt;
}

}  // namespace wasmrun::cli
