// Runs one parsed WAST script and counts its assertions.
#pragma once

#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/text/wast.h"
#include "wasmrun/wasmrun.h"

namespace wasmrun::cli {

/// Outcome of one script.
struct WastFileResult {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;
  struct Failure {
    size_t line;
    std::string what;
  };
  std::vector<Failure> failures;  ///< one per failed assertion, plus non-assertion errors
  std::vector<size_t> passed_lines;
};

struct WastOptions {
  api::Tier tier = api::Tier::Baseline;
  uint64_t gc_heap_limit = api::EngineConfig{}.gc_heap_limit;  ///< --gc-heap-limit
  /// Assertion kinds to run ("assert_return", ...); empty = all. Others are skipped.
  std::set<std::string> commands;
};

/// Name of an assertion kind as written in scripts ("assert_return", ...).
const char* wast_command_name(WastCommand::Kind kind);

class WastSession;

/// Executes a script's commands in order against a fresh store with the
/// `spectest` host module registered.
class WastRunner {
 public:
  explicit WastRunner(const WastOptions& options);
  ~WastRunner();
  WastFileResult run(const WastScript& script);

 private:
  const WastOptions& options_;
};

}  // namespace wasmrun::cli
