// Every spec script parses, and text-level assertions in them behave:
// quoted malformed modules fail with the expected message, and the other
// text modules encode.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "engine/text/wast.h"
#include "spec_corpus.h"

namespace wasmrun {
namespace {

TEST(SpecScripts, AllParse) {
  auto files = testing::spec_wast_files();
  ASSERT_EQ(files.size(), 269u);
  size_t assertions = 0, commands = 0, bytes = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& f : files) {
    std::string text = testing::read_file(f);
    bytes += text.size();
    auto r = parse_wast(text);
    if (!r.ok()) {
      ADD_FAILURE() << f << ": " << r.error().to_string();
      continue;
    }
    assertions += r->assertion_count();
    commands += r->commands.size();
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("parsed %zu files, %zu bytes, %zu commands, %zu assertions in %.2fs\n", files.size(),
              bytes, commands, assertions, secs);
  EXPECT_GT(assertions, 60000u);
}

// Text modules outside assert_malformed must encode: the validator, not the
// encoder, reports assert_invalid modules.
TEST(SpecScripts, WellFormedTextModulesEncode) {
  size_t encoded = 0;
  std::vector<std::string> failures;
  for (const auto& f : testing::spec_wast_files()) {
    auto r = parse_wast(testing::read_file(f));
    if (!r.ok()) continue;  // reported by AllParse
    for (const WastCommand& c : r->commands) {
      if (!c.module || c.kind == WastCommand::Kind::AssertMalformed) continue;
      auto bin = c.module->encode();
      if (bin.ok()) {
        ++encoded;
      } else if (c.kind == WastCommand::Kind::AssertInvalid &&
                 bin.error().kind == ErrorKind::Invalid &&
                 bin.error().message.find(c.message) != std::string::npos) {
        ++encoded;  // an annotation rule the text layer checks (branch hint targets)
      } else {
        failures.push_back(f.filename().string() + ":" + std::to_string(c.line) + ": " +
                           bin.error().to_string());
      }
    }
  }
  for (const auto& s : failures) ADD_FAILURE() << s;
  std::printf("%zu text/binary/quote modules encoded, %zu failed\n", encoded, failures.size());
}

// assert_malformed on a quoted module: the text must be rejected with the
// spec's message.
TEST(SpecScripts, MalformedQuoteModulesAreRejected) {
  size_t passed = 0, total = 0;
  std::vector<std::string> failures;
  for (const auto& f : testing::spec_wast_files()) {
    auto r = parse_wast(testing::read_file(f));
    if (!r.ok()) continue;  // reported by AllParse
    for (const WastCommand& c : r->commands) {
      if (c.kind != WastCommand::Kind::AssertMalformed || c.module->form != WastModule::Form::Quote)
        continue;
      ++total;
      auto bin = c.module->encode();
      std::string where = f.filename().string() + ":" + std::to_string(c.line);
      if (bin.ok()) {
        failures.push_back(where + ": accepted, expected \"" + c.message + "\"");
      } else if (bin.error().message.find(c.message) == std::string::npos) {
        failures.push_back(where + ": got \"" + bin.error().message + "\", expected \"" +
                           c.message + "\"");
      } else {
        ++passed;
      }
    }
  }
  for (const auto& s : failures) std::printf("  not matched: %s\n", s.c_str());
  std::printf("assert_malformed (module quote): %zu of %zu rejected with the expected message\n",
              passed, total);
  // The misses are in the pre-2.0 threads scripts, where 32-bit memory limits
  // above 2^32 were malformed (they are invalid since 3.0). Keep the floor.
  EXPECT_GE(passed, 1274u);
  EXPECT_LE(failures.size(), 3u);
}

}  // namespace
}  // namespace wasmrun
