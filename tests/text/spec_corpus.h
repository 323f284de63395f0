// Helpers shared by the text tests that walk the spec test suite.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace wasmrun::testing {

/// Every .wast file under the shared spec test suite, sorted.
inline std::vector<std::filesystem::path> spec_wast_files() {
  std::vector<std::filesystem::path> files;
  std::filesystem::path root = std::filesystem::path(WASMRUN_SHARED_DIR) / "spec-testsuite";
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".wast") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace wasmrun::testing
