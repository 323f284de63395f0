// The spec scripts for exception handling and atomics run under --tier=baseline
// with every function compiled: WASMRUN_JIT_LOG=1 makes the tier report each
// function it leaves to the interpreter, and there must be none. (The
// spec-baseline/* ctests check that the counts match the interpreter's.)
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace {

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

TEST(Baseline, ExceptionAndAtomicScriptsCompileEveryFunction) {
  const char* files[] = {
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
  };
  for (const char* f : files) {
    std::string cmd =
        std::string("cd " WASMRUN_SHARED_DIR "/spec-testsuite && WASMRUN_JIT_LOG=1 ") +
        WASMRUN_CLI +
        " wast --tier=baseline --expected-failures=" WASMRUN_SOURCE_DIR
        "/spec-tests/expected-failures.txt " +
        f + " 2>&1";
    int status = -1;
    std::string out = run(cmd, &status);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << f << "\n" << out;
    EXPECT_EQ(out.find("runs in the interpreter"), std::string::npos) << f << "\n" << out;
  }
}

}  // namespace
