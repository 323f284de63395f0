// Oracle: for every text module of the spec scripts that wabt 1.0.32 accepts,
// our encoding equals wat2wasm's, byte for byte, once custom sections (names)
// are stripped from both. Modules wabt rejects (GC, newer syntax) are skipped.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/text/wast.h"
#include "spec_corpus.h"

namespace wasmrun {
namespace {

// Drop custom sections (id 0) from a binary module.
std::vector<uint8_t> strip_custom(const std::vector<uint8_t>& in) {
  if (in.size() < 8) return in;
  std::vector<uint8_t> out(in.begin(), in.begin() + 8);
  size_t p = 8;
  while (p < in.size()) {
    size_t start = p;
    uint8_t id = in[p++];
    uint64_t size = 0;
    for (unsigned shift = 0; p < in.size(); shift += 7) {
      uint8_t b = in[p++];
      size |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) break;
    }
    size_t end = std::min(in.size(), p + static_cast<size_t>(size));
    if (id != 0)
      out.insert(out.end(), in.begin() + static_cast<ptrdiff_t>(start),
                 in.begin() + static_cast<ptrdiff_t>(end));
    p = end;
  }
  return out;
}

bool have_wat2wasm() { return std::system("wat2wasm --version > /dev/null 2>&1") == 0; }

TEST(WabtOracle, SpecModulesMatchWat2wasm) {
  if (!have_wat2wasm()) GTEST_SKIP() << "wat2wasm is not installed";
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("wasmrun-oracle-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string wat = (dir / "m.wat").string(), wasm = (dir / "m.wasm").string();
  size_t compared = 0, matched = 0, skipped = 0, outdated = 0;
  std::vector<std::string> mismatches;
  for (const auto& f : testing::spec_wast_files()) {
    std::string script = testing::read_file(f);
    auto r = parse_wast(script);
    if (!r.ok()) continue;  // reported by SpecScripts.AllParse
    for (const WastCommand& c : r->commands) {
      // Only modules the scripts expect to be valid, written as text.
      if (c.kind != WastCommand::Kind::Module || c.module->form != WastModule::Form::Text ||
          c.module->error) {
        continue;
      }
      std::string text = script.substr(c.module->source_offset, c.module->source_size);
      // wabt does not know `definition`; drop it.
      if (c.module->definition) {
        size_t at = text.find("definition");
        if (at != std::string::npos) text.erase(at, 10);
      }
      {
        std::ofstream o(wat, std::ios::binary);
        o << text;
      }
      std::string cmd =
          "wat2wasm --enable-all --no-check " + wat + " -o " + wasm + " > /dev/null 2>&1";
      if (std::system(cmd.c_str()) != 0) {
        ++skipped;
        continue;
      }
      std::vector<uint8_t> theirs;
      {
        std::string s = testing::read_file(wasm);
        theirs.assign(s.begin(), s.end());
      }
      ++compared;
      if (strip_custom(theirs) == strip_custom(c.module->bytes)) {
        ++matched;
      } else if (text.find("(ref ") != std::string::npos ||
                 f.string().find("legacy/") != std::string::npos) {
        // wabt 1.0.32 predates the final typed-reference encoding, and encodes
        // some legacy try/delegate forms differently.
        ++outdated;
      } else {
        mismatches.push_back(f.filename().string() + ":" + std::to_string(c.line));
      }
    }
  }
  std::filesystem::remove_all(dir);
  std::printf(
      "wabt oracle: %zu of %zu modules byte-identical (%zu differ only in typed references wabt "
      "encodes the old way; "
      "%zu skipped: wabt rejects them)\n",
      matched, compared, outdated, skipped);
  EXPECT_GT(matched, 1900u);
  for (const auto& m : mismatches) ADD_FAILURE() << "differs from wat2wasm: " << m;
}

}  // namespace
}  // namespace wasmrun
