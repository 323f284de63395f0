// Every module the spec test suite expects to be rejected (assert_invalid,
// assert_malformed and their _custom forms) must be rejected with a byte offset
// that points into what was rejected: the binary for decode and validation
// errors, the module's text for text-format errors. Modules that wasmrun accepts
// are the spec runner's business (spec-tests/expected-failures.txt) and are only
// counted here.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/text/wast.h"
#include "engine/validate/validator.h"

namespace wasmrun {
namespace {

std::filesystem::path spec_root() {
  return std::filesystem::path(WASMRUN_SHARED_DIR) / "spec-testsuite";
}

std::vector<std::filesystem::path> spec_files() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(spec_root()))
    if (e.is_regular_file() && e.path().extension() == ".wast") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(SpecErrorOffsets, EveryRejectedModuleHasAnOffset) {
  size_t scripts = 0, unparsed = 0, modules = 0;
  size_t text_errors = 0, binary_errors = 0, accepted = 0, missing = 0;
  for (const auto& path : spec_files()) {
    std::string rel = std::filesystem::relative(path, spec_root()).string();
    std::string text = read_text(path);
    auto script = parse_wast(text);
    if (!script) {
      // A script the text parser cannot read has no modules to check here; the
      // spec runner reports it.
      ++unparsed;
      continue;
    }
    ++scripts;
    for (const WastCommand& c : script.value().commands) {
      if (c.kind != WastCommand::Kind::AssertInvalid &&
          c.kind != WastCommand::Kind::AssertMalformed)
        continue;
      if (!c.module) continue;
      ++modules;
      const WastModule& wm = *c.module;
      std::string where = rel + ":" + std::to_string(c.line) + " (" + c.message + ")";
      auto bytes = wm.encode();
      if (!bytes) {
        ++text_errors;
        const Error& e = bytes.error();
        if (e.offset == Error::kNoOffset) {
          ++missing;
          ADD_FAILURE() << where << ": text error without offset: " << e.message;
          continue;
        }
        if (wm.form == WastModule::Form::Quote) {
          // encode() reports offsets into the quoted text.
          EXPECT_LE(e.offset, wm.quote.size()) << where << ": " << e.message;
        } else {
          EXPECT_GE(e.offset, wm.source_offset) << where << ": " << e.message;
          EXPECT_LE(e.offset, wm.source_offset + wm.source_size) << where << ": " << e.message;
        }
        continue;
      }
      size_t size = bytes.value().size();
      auto loaded = load_module(std::move(bytes).value());
      if (loaded) {
        ++accepted;
        continue;
      }
      ++binary_errors;
      const Error& e = loaded.error();
      if (e.offset == Error::kNoOffset) {
        ++missing;
        ADD_FAILURE() << where << ": error without offset: " << e.message;
        continue;
      }
      // An error at the end of the input ("unexpected end") sits one past the
      // last byte.
      EXPECT_LE(e.offset, size) << where << ": " << e.message;
    }
  }
  std::printf(
      "scripts %zu (unparsed %zu), rejected-module assertions %zu: text errors %zu, "
      "decode/validate errors %zu, accepted by wasmrun %zu, without offset %zu\n",
      scripts, unparsed, modules, text_errors, binary_errors, accepted, missing);
  EXPECT_EQ(missing, 0u);
  RecordProperty("modules", static_cast<int>(modules));
  // The suite has well over a thousand such assertions; far fewer means the
  // suite or the parser went missing, and the test would check nothing.
  EXPECT_GT(binary_errors, 1000u);
  EXPECT_GT(text_errors, 100u);
}

}  // namespace
}  // namespace wasmrun
