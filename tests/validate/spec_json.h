// Converts spec .wast scripts to binary modules with wabt's wast2json at test
// time (nothing generated is committed) and reads back the module commands.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace wasmrun::testing {

/// One module command of a wast2json script.
struct SpecModule {
  std::string type;         ///< "module", "assert_invalid", "assert_malformed", ...
  int line = 0;             ///< line in the .wast file
  std::string text;         ///< expected error text of assertions
  std::string module_type;  ///< "binary" or "text"
  std::filesystem::path file;
};

inline std::filesystem::path spec_root() {
  return std::filesystem::path(WASMRUN_SHARED_DIR) / "spec-testsuite";
}

/// Every .wast file of the suite, sorted.
inline std::vector<std::filesystem::path> spec_files() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(spec_root()))
    if (e.is_regular_file() && e.path().extension() == ".wast") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

inline bool have_wast2json() { return std::system("wast2json --version >/dev/null 2>&1") == 0; }

// Extracts "key": "string" or "key": number from one line of wast2json's JSON
// (it writes one command per line, which keeps this reader trivial).
inline std::string json_field(const std::string& line, const std::string& key) {
  std::string pat = "\"" + key + "\": ";
  size_t p = line.find(pat);
  if (p == std::string::npos) return {};
  p += pat.size();
  if (line[p] == '"') {
    std::string s;
    for (size_t i = p + 1; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) ++i;
      s.push_back(line[i]);
    }
    return s;
  }
  size_t e = line.find_first_of(",}", p);
  return line.substr(p, e - p);
}

/// Converts `wast` into `dir`; returns false if wast2json cannot parse it (wabt
/// lacks some 3.0 proposals).
inline bool convert(const std::filesystem::path& wast, const std::filesystem::path& dir,
                    std::vector<SpecModule>& out) {
  std::filesystem::create_directories(dir);
  std::filesystem::path json = dir / "script.json";
  std::string cmd =
      "wast2json --enable-all '" + wast.string() + "' -o '" + json.string() + "' >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) return false;
  std::ifstream in(json);
  std::string line;
  while (std::getline(in, line)) {
    std::string file = json_field(line, "filename");
    if (file.empty()) continue;
    SpecModule m;
    m.type = json_field(line, "type");
    m.line = std::atoi(json_field(line, "line").c_str());
    m.text = json_field(line, "text");
    m.module_type = json_field(line, "module_type");
    m.file = dir / file;
    out.push_back(std::move(m));
  }
  return true;
}

inline std::vector<uint8_t> read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

/// A fresh temporary directory for one test.
inline std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("wasmrun-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace wasmrun::testing
