// A real WASI program (tests/wasi/guest/sandbox_probe.c, compiled here with
// clang --target=wasm32-wasi against wasi-libc) probes the sandbox the way
// ordinary programs reach it: through libc's preopen lookup. Runs with both
// resolvers; checks every line it prints, its exit status, and that nothing
// outside the preopens or inside the read-only one changed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "wasi/wasi_linker.h"

namespace wasmrun::wasi::testing {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr char kExpected[] =
    "argc: 2 hello\n"
    "env: yes\n"
    "home: (unset)\n"
    "open dotdot: errno 63\n"
    "open sub dotdot: errno 63\n"
    "open etc: errno 76\n"  // no preopen covers /etc: wasi-libc's ENOTCAPABLE
    "symlink rel out: ok\n"
    "open through it: errno 63\n"
    "symlink abs: errno 63\n"
    "rename out: errno 63\n"
    "link out: errno 63\n"
    "mkdir out: errno 63\n"
    "fopen w: ok\n"
    "open r: ok\n"
    "pread: 13 by the guest\n"
    "lseek end: 21\n"
    "stat: ok\n"
    "size: 21\n"
    "sub entries: 2\n"
    "ro read: ok\n"
    "ro open for write: ok\n"
    "ro write: errno 8\n"  // wasi-libc turns ENOTCAPABLE from fd_write into EBADF
    "ro truncate: errno 76\n"
    "ro create: errno 76\n"
    "ro unlink: errno 76\n"
    "ro mkdir: errno 76\n";

class GuestProgram : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/wasmrun-wasi-guest-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    build_dir_ = tmpl;
    wasm_ = build_dir_ / "sandbox_probe.wasm";
    std::string cmd = "clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -o " + wasm_.string() +
                      " " WASMRUN_SOURCE_DIR "/tests/wasi/guest/sandbox_probe.c 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "building the guest failed: " << cmd;
  }
  static void TearDownTestSuite() { fs::remove_all(build_dir_); }

  static inline fs::path build_dir_, wasm_;
};

TEST_P(GuestProgram, SandboxHoldsForWasiLibcPrograms) {
  ASSERT_TRUE(fs::exists(wasm_));
  char tmpl[] = "/tmp/wasmrun-wasi-probe-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  fs::path root = tmpl;
  fs::create_directories(root / "sandbox" / "sub");
  fs::create_directories(root / "outside");
  fs::create_directories(root / "ro");
  std::ofstream(root / "outside" / "canary.txt") << "canary";
  std::ofstream(root / "sandbox" / "file.txt") << "file";
  std::ofstream(root / "sandbox" / "sub" / "a") << "a";
  std::ofstream(root / "sandbox" / "sub" / "b") << "b";
  std::ofstream(root / "ro" / "data.txt") << "read-only data";

  int out = open((root / "stdout").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  int err = open((root / "stderr").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  WasiCommand cmd;
  cmd.module_path = wasm_.string();
  cmd.args = {"hello"};
  cmd.env = {"PROBE=yes"};
  cmd.dirs = {(root / "sandbox").string() + "::/sandbox",
              (root / "ro").string() + "::/ro:readonly"};
  cmd.stdout_fd = out;
  cmd.stderr_fd = err;
  cmd.force_component_resolver = GetParam();
  int rc = run_wasi_command(cmd);
  close(out);
  close(err);

  EXPECT_EQ(rc, 3) << slurp(root / "stderr");
  EXPECT_EQ(slurp(root / "stdout"), kExpected);
  EXPECT_EQ(slurp(root / "outside" / "canary.txt"), "canary");
  size_t outside_entries = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(root / "outside")) ++outside_entries;
  EXPECT_EQ(outside_entries, 1u);
  EXPECT_EQ(fs::hard_link_count(root / "outside" / "canary.txt"), 1u);
  EXPECT_EQ(slurp(root / "ro" / "data.txt"), "read-only data");
  EXPECT_FALSE(fs::exists(root / "ro" / "new.txt"));
  EXPECT_FALSE(fs::exists(root / "ro" / "d"));
  EXPECT_TRUE(fs::exists(root / "sandbox" / "file.txt"));
  EXPECT_EQ(slurp(root / "sandbox" / "out.txt"), "written by the guest\n");
  fs::remove_all(root);
}

INSTANTIATE_TEST_SUITE_P(Resolvers, GuestProgram, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) {
                           return std::string(i.param ? "Components" : "Openat2");
                         });

}  // namespace
}  // namespace wasmrun::wasi::testing
