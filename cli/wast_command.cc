// `wasmrun wast [--tier=T] [--commands=KIND,...] [--expected-failures=FILE] FILE...`
//
// Output contract (other tools parse it): one line per file,
//   PATH: N passed, N failed, N skipped
// where the numbers add up to the file's top-level assert_* commands, then the
// closing line `N passed, N failed, N skipped`. Failures are described on stderr
// with the command's line number. Exit status: 0 when nothing failed, 1 otherwise;
// with --expected-failures, failures listed there do not count against the exit
// status, and a listed assertion that passes (a stale entry) makes it 1.
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "cli/expected_failures.h"
#include "cli/gc_flags.h"
#include "cli/module_file.h"
#include "cli/tier.h"
#include "cli/wast_runner.h"
#include "engine/text/wat.h"

namespace wasmrun::cli {

namespace {

const char* const kAssertionKinds[] = {
    "assert_return",  "assert_trap",      "assert_exhaustion", "assert_exception",
    "assert_invalid", "assert_malformed", "assert_unlinkable", "assert_uninstantiable"};

bool known_assertion_kind(const std::string& k) {
  for (const char* name : kAssertionKinds) {
    if (k == name) return true;
  }
  return false;
}

void print_help() {
  std::printf(
      "usage: wasmrun wast [OPTIONS] FILE...\n"
      "Runs WebAssembly spec test scripts.\n"
      "  --tier=T                 execution tier (see `wasmrun run --help`)\n"
      "  --gc-heap-limit=SIZE     cap on the GC heap (see `wasmrun run --help`)\n"
      "  --commands=KIND,...      run only these assertion kinds (e.g.\n"
      "                           assert_malformed,assert_invalid); others are skipped\n"
      "  --expected-failures=FILE tolerate the failures listed in FILE\n"
      "  --verbose                also list each failure's details on stdout\n");
}

}  // namespace

int wast_command(const Args& args) {
  WastOptions options;
  std::optional<ExpectedFailures> xfail;
  std::vector<std::string> files;
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      print_help();
      return 0;
    }
    if (a.rfind("--tier=", 0) == 0) {
      auto tier = parse_tier(a.substr(7));
      if (!tier) {
        return usage_error("wast: unknown tier '" + a.substr(7) + "' (available: " + kTierNames +
                           ")");
      }
      options.tier = *tier;
    } else if (a.rfind("--gc-heap-limit=", 0) == 0) {
      auto limit = parse_byte_size(a.substr(16));
      if (!limit)
        return usage_error("wast: bad --gc-heap-limit '" + a.substr(16) +
                           "' (bytes, or a number with K, M or G)");
      options.gc_heap_limit = *limit;
    } else if (a.rfind("--commands=", 0) == 0) {
      std::stringstream list(a.substr(11));
      std::string kind;
      while (std::getline(list, kind, ',')) {
        if (!known_assertion_kind(kind))
          return usage_error("wast: unknown command kind '" + kind + "'");
        options.commands.insert(kind);
      }
      if (options.commands.empty()) return usage_error("wast: --commands needs a list");
    } else if (a.rfind("--expected-failures=", 0) == 0) {
      auto loaded = ExpectedFailures::load(a.substr(20));
      if (!loaded) return usage_error("wast: " + loaded.error().to_string());
      xfail = std::move(*loaded);
    } else if (a.size() > 1 && a[0] == '-') {
      return usage_error("wast: unknown option '" + a + "'");
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) return usage_error("wast: no script given");

  size_t total_passed = 0, total_failed = 0, total_skipped = 0;
  bool bad = false;
  for (const std::string& path : files) {
    auto bytes = read_file(path);
    if (!bytes) {
      std::fprintf(stderr, "wasmrun: %s\n", bytes.error().to_string().c_str());
      bad = true;
      continue;
    }
    std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    auto script = parse_wast(text);
    if (!script) {
      TextPosition pos = text_position(text, script.error().offset);
      std::fprintf(stderr, "%s:%zu:%zu: %s\n", path.c_str(), pos.line, pos.column,
                   script.error().message.c_str());
      bad = true;
      continue;
    }
    WastRunner runner(options);
    WastFileResult r = runner.run(*script);
    for (const auto& f : r.failures) {
      bool expected = xfail && xfail->expects(path, f.line);
      std::fprintf(stderr, "%s:%zu: %s%s\n", path.c_str(), f.line, expected ? "(expected) " : "",
                   f.what.c_str());
      if (!expected) bad = true;
    }
    if (xfail) {
      for (size_t line : r.passed_lines) {
        if (xfail->expects(path, line) && !xfail->expects_whole_file(path)) {
          std::fprintf(stderr, "%s:%zu: passes but is listed in the expected failures; remove it\n",
                       path.c_str(), line);
          bad = true;
        }
      }
      // Under --commands only part of the file ran, so a whole-file entry cannot be judged.
      if (xfail->expects_whole_file(path) && options.commands.empty() && r.failures.empty()) {
        std::fprintf(stderr,
                     "%s: every command passes but the file is listed as an expected "
                     "failure; remove the entry\n",
                     path.c_str());
        bad = true;
      }
    }
    std::printf("%s: %zu passed, %zu failed, %zu skipped\n", path.c_str(), r.passed, r.failed,
                r.skipped);
    total_passed += r.passed;
    total_failed += r.failed;
    total_skipped += r.skipped;
  }
  std::printf("%zu passed, %zu failed, %zu skipped\n", total_passed, total_failed, total_skipped);
  return bad ? 1 : 0;
}

}  // namespace wasmrun::cli
