// wasi-testsuite through the real CLI (`wasmrun run --dir ... --env ... FILE
// ARGS`), driven by tests/wasi/run_wasi_testsuite.py with both resolvers: this
// checks the CLI's WASI wiring (argument order, --dir/--env parsing, exit status
// and stdio passthrough) on top of what the in-process suite checks.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>

namespace {

namespace fs = std::filesystem;

size_t count_modules() {
  size_t n = 0;
  std::error_code ec;
  fs::path root = fs::path(WASMRUN_SHARED_DIR) / "wasi-testsuite" / "tests";
  for (auto it = fs::recursive_directory_iterator(root, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".wasm" &&
        it->path().parent_path().filename() == "wasm32-wasip1") {
      ++n;
    }
  }
  return n;
}

TEST(CliTestsuite, EveryModulePassesThroughTheCli) {
  ASSERT_TRUE(fs::exists(WASMRUN_CLI)) << WASMRUN_CLI;
  std::string cmd = std::string("python3 ") + WASMRUN_SOURCE_DIR +
                    "/tests/wasi/run_wasi_testsuite.py --resolver both --cli " + WASMRUN_CLI +
                    " --suite " + WASMRUN_SHARED_DIR + "/wasi-testsuite 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof(buf), p)) out.append(buf, n);
  int status = pclose(p);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"((\d+) passed, (\d+) failed\s*$)"))) << out;
  EXPECT_EQ(std::stoul(m[2]), 0u) << out;
  EXPECT_EQ(std::stoul(m[1]), 2 * count_modules()) << out;
  EXPECT_EQ(status, 0) << out;
}

}  // namespace
