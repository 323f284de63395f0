// Runs every module of the spec test suite that wabt's wast2json can convert
// through decode + validate: assert_invalid modules must fail validation with the
// expected text, binary assert_malformed modules must fail decoding with it, and
// every other module must load.
#include "tests/validate/spec_json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "engine/validate/validator.h"

namespace wasmrun {
namespace {

using testing::SpecModule;

// Cases whose expectation does not hold for a 3.0 engine or whose binary wabt
// produces wrongly, with the reason.
bool known_exception(const std::string& rel, const SpecModule& m) {
  // Pre-multi-memory scripts in the threads proposal: 3.0 allows several
  // memories and tables.
  if (m.text == "multiple memories" || m.text == "multiple tables") return true;
  // wabt encodes `(ref $t)` locals with a pre-standard type code.
  if (rel == "core/func.wast" && m.line == 660) return true;
  return false;
}

TEST(SpecJson, AllConvertibleScripts) {
  ASSERT_TRUE(testing::have_wast2json()) << "wabt's wast2json is required";
  auto dir = testing::temp_dir("spec-json");
  size_t scripts = 0, checked = 0, invalid = 0, malformed = 0, valid = 0;
  int idx = 0;
  for (const auto& wast : testing::spec_files()) {
    std::string rel = std::filesystem::relative(wast, testing::spec_root()).string();
    std::vector<SpecModule> mods;
    if (!testing::convert(wast, dir / std::to_string(idx++), mods)) continue;
    ++scripts;
    for (const SpecModule& m : mods) {
      if (known_exception(rel, m)) continue;
      bool is_invalid = m.type == "assert_invalid";
      bool is_malformed = m.type == "assert_malformed";
      // Modules wabt could only keep as text are the text parser's business.
      if (m.module_type == "text") continue;
      if (!is_invalid && !is_malformed && m.type != "module" && m.type != "assert_unlinkable" &&
          m.type != "assert_uninstantiable" && m.type != "assert_trap")
        continue;
      auto r = load_module(testing::read_bytes(m.file));
      ++checked;
      std::string where = rel + ":" + std::to_string(m.line);
      if (is_invalid || is_malformed) {
        ErrorKind want = is_invalid ? ErrorKind::Invalid : ErrorKind::Malformed;
        if (r.ok()) {
          ADD_FAILURE() << where << ": loaded, expected \"" << m.text << "\"";
          continue;
        }
        EXPECT_EQ(r.error().kind, want) << where << ": " << r.error().to_string();
        EXPECT_NE(r.error().message.find(m.text), std::string::npos)
            << where << ": got \"" << r.error().message << "\", expected \"" << m.text << "\"";
        (is_invalid ? invalid : malformed)++;
      } else {
        EXPECT_TRUE(r.ok()) << where << ": " << r.error().to_string();
        ++valid;
      }
    }
  }
  std::filesystem::remove_all(dir);
  // The suite is fixed; these floors catch a silently shrinking run.
  EXPECT_GE(scripts, 150u);
  EXPECT_GE(invalid, 1800u);
  EXPECT_GE(malformed, 600u);
  EXPECT_GE(valid, 1500u);
  std::printf("spec-json: %zu scripts, %zu modules (%zu valid, %zu invalid, %zu malformed)\n",
              scripts, checked, valid, invalid, malformed);
}

}  // namespace
}  // namespace wasmrun
