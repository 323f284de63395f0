// Spec scripts run under --tier=baseline with every function compiled:
// WASMRUN_JIT_LOG=1 makes the tier report each function it leaves to the
// interpreter, and there must be none. Covers exception handling, atomics, tail
// calls and every script that builds GC objects. (The spec-baseline/* ctests check that
// the counts match the interpreter's.)
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

const std::string kSpecRoot = WASMRUN_SHARED_DIR "/spec-testsuite";

std::string run(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  *status = pclose(p);
  return out;
}

/// Runs each script (relative to the spec suite) under the baseline tier: it
/// must pass (expected failures aside) with no function left to the interpreter.
void expect_every_function_compiled(const std::vector<std::string>& files) {
  for (const std::string& f : files) {
    std::string cmd = "cd " + kSpecRoot + " && WASMRUN_JIT_LOG=1 " + WASMRUN_CLI +
                      " wast --tier=baseline --expected-failures=" WASMRUN_SOURCE_DIR
                      "/spec-tests/expected-failures.txt " +
                      f + " 2>&1";
    int status = -1;
    std::string out = run(cmd, &status);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << f << "\n" << out;
    EXPECT_EQ(out.find("runs in the interpreter"), std::string::npos) << f << "\n" << out;
  }
}

TEST(Baseline, ExceptionAndAtomicScriptsCompileEveryFunction) {
  expect_every_function_compiled({
      "core/exceptions/tag.wast",
      "core/exceptions/throw.wast",
      "core/exceptions/throw_ref.wast",
      "core/exceptions/try_table.wast",
      "legacy/exceptions/core/throw.wast",
      "legacy/exceptions/core/try_catch.wast",
      "legacy/exceptions/core/try_delegate.wast",
      "legacy/exceptions/core/rethrow.wast",
      "proposals/threads/atomic.wast",
      "proposals/threads/exports.wast",
      "proposals/threads/imports.wast",
      "proposals/threads/memory.wast",
  });
}

// Tail calls, including those whose callee's parameters do not fit the caller's
// array (they go through the tail-call adapter, frame.h).
TEST(Baseline, TailCallScriptsCompileEveryFunction) {
  expect_every_function_compiled({
      "core/return_call.wast",
      "core/return_call_indirect.wast",
      "core/return_call_ref.wast",
  });
}

// Every core/gc script and the other scripts that build GC objects.
TEST(Baseline, GcSpecScriptsCompileEveryFunction) {
  std::vector<std::string> files = {"core/bulk-memory/table_init.wast",
                                    "core/memory64/table_init64.wast", "core/ref_null.wast"};
  for (const auto& e : std::filesystem::directory_iterator(kSpecRoot + "/core/gc"))
    if (e.path().extension() == ".wast") files.push_back("core/gc/" + e.path().filename().string());
  ASSERT_GE(files.size(), 20u);
  expect_every_function_compiled(files);
}

}  // namespace
