// The spec suite's expected-failures list (spec-tests/expected-failures.txt).
//
// Each non-comment line is `PATH:LINE reason` (one assertion) or `PATH:* reason`
// (every assertion of a file, for a whole feature not built yet). PATH is matched
// as a suffix of the script's path, so entries read `core/simd/simd_lane.wast:120`.
// A listed assertion that passes is reported as stale: the list must shrink as
// the engine grows, so CI fails until the entry is removed.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "wasmrun/result.h"

namespace wasmrun::cli {

class ExpectedFailures {
 public:
  /// Loads a list; an Io or Usage error if the file is unreadable or a line is malformed.
  static Result<ExpectedFailures> load(const std::string& path);

  /// Whether the assertion at `line` of `script` is expected to fail.
  bool expects(const std::string& script, size_t line) const;
  /// Whether `script` has a whole-file (`:*`) entry.
  bool expects_whole_file(const std::string& script) const;

 private:
  struct Entry {
    std::string path;
    bool whole_file = false;
    std::set<size_t> lines;
  };
  const Entry* find(const std::string& script) const;
  std::vector<Entry> entries_;
};

}  // namespace wasmrun::cli
