// The binding layer: WASI through the runtime's Linker, run_wasi_command's exit
// statuses (proc_exit unwinding, traps, proc_raise), stdio redirection, and the
// sandbox seen from a real wasm guest.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "wasi/wasi_linker.h"

namespace wasmrun::wasi::testing {
namespace {

// WAT prelude: the imports the test modules use and a memory.
constexpr char kImports[] = R"(
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
)";

class Binding : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wasmrun-wasi-bind-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs module text `wat` as a command; fills out_ / err_.
  int Run(const std::string& wat, std::vector<std::string> dirs = {}, bool walker = false) {
    std::string path = (dir_ / "m.wat").string();
    std::ofstream(path) << wat;
    int out = open((dir_ / "out").c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err = open((dir_ / "err").c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    WasiCommand cmd;
    cmd.module_path = path;
    cmd.args = {"first", "second"};
    cmd.dirs = std::move(dirs);
    cmd.stdout_fd = out;
    cmd.stderr_fd = err;
    cmd.force_component_resolver = walker;
    int rc = run_wasi_command(cmd);
    close(out);
    close(err);
    out_ = Slurp(dir_ / "out");
    err_ = Slurp(dir_ / "err");
    return rc;
  }
  static std::string Slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::filesystem::path dir_;
  std::string out_, err_;
};

TEST_F(Binding, WritesStdoutAndExitsThroughProcExit) {
  int rc = Run(std::string("(module") + kImports + R"(
    (memory (export "memory") 1)
    (data (i32.const 16) "hello from wasm\n")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const 16))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (call $proc_exit (i32.const 7))
      ;; proc_exit never returns: reaching this would trap.
      unreachable))
  )");
  EXPECT_EQ(rc, 7) << err_;
  EXPECT_EQ(out_, "hello from wasm\n");
  EXPECT_EQ(err_, "");
}

TEST_F(Binding, ReturningFromStartIsStatusZero) {
  EXPECT_EQ(Run(std::string("(module") + kImports +
                R"((memory (export "memory") 1) (func (export "_start"))))"),
            0);
}

TEST_F(Binding, TrapIsReportedWithStatus134) {
  int rc = Run(std::string("(module") + kImports +
               R"((memory (export "memory") 1) (func (export "_start") unreachable)))");
  EXPECT_EQ(rc, 134);
  EXPECT_NE(err_.find("trap"), std::string::npos) << err_;
  EXPECT_NE(err_.find("unreachable"), std::string::npos) << err_;
}

TEST_F(Binding, FatalProcRaiseEndsTheProgram) {
  int rc = Run(std::string("(module") + kImports + R"((memory (export "memory") 1)
    (func (export "_start") (drop (call $proc_raise (i32.const 15))) unreachable)))");
  EXPECT_EQ(rc, 128 + 15) << err_;
}

TEST_F(Binding, MissingMemoryExportTraps) {
  int rc = Run(std::string("(module") + kImports + R"((memory 1)
    (func (export "_start")
      (drop (call $args_sizes_get (i32.const 0) (i32.const 4))))))");
  EXPECT_EQ(rc, 134);
  EXPECT_NE(err_.find("memory"), std::string::npos) << err_;
}

TEST_F(Binding, OutOfBoundsPointerIsEfault) {
  // args_sizes_get with a pointer past the end of the 1-page memory returns
  // errno 21, which the guest passes to proc_exit.
  int rc = Run(std::string("(module") + kImports + R"((memory (export "memory") 1)
    (func (export "_start")
      (call $proc_exit (call $args_sizes_get (i32.const 65534) (i32.const 0))))))");
  EXPECT_EQ(rc, 21);
}

TEST_F(Binding, GuestCannotLeaveItsPreopen) {
  std::filesystem::create_directories(dir_ / "box");
  std::ofstream(dir_ / "secret.txt") << "secret";
  // path_open(3, follow, "../secret.txt") and exit with the errno.
  std::string wat = std::string("(module") + kImports + R"((memory (export "memory") 1)
    (data (i32.const 64) "../secret.txt")
    (func (export "_start")
      (call $proc_exit (call $path_open (i32.const 3) (i32.const 1) (i32.const 64) (i32.const 13)
        (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 128))))))";
  EXPECT_EQ(Run(wat, {(dir_ / "box").string() + "::/"}), 63);
  EXPECT_EQ(Run(wat, {(dir_ / "box").string() + "::/"}, /*walker=*/true), 63);
  // The same open of a file inside succeeds (errno 0).
  std::ofstream(dir_ / "box" / "inside.txt.") << "x";
  std::filesystem::create_directories(dir_ / "box" / "d");
  std::ofstream(dir_ / "box" / "d" / "x") << "x";
  std::string ok = std::string("(module") + kImports + R"((memory (export "memory") 1)
    (data (i32.const 64) "d/../d/x")
    (func (export "_start")
      (call $proc_exit (call $path_open (i32.const 3) (i32.const 1) (i32.const 64) (i32.const 8)
        (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 128))))))";
  EXPECT_EQ(Run(ok, {(dir_ / "box").string() + "::/"}), 0) << err_;
  // No preopen at all: fd 3 is not open.
  EXPECT_EQ(Run(wat), 8);
}

TEST_F(Binding, WasiUnstableModulesRun) {
  int rc = Run(R"((module
    (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_unstable" "proc_exit" (func $proc_exit (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "old abi\n")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const 8))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (call $proc_exit (i32.const 3)))))");
  EXPECT_EQ(rc, 3) << err_;
  EXPECT_EQ(out_, "old abi\n");
}

TEST_F(Binding, BadDirSpecAndMissingFile) {
  WasiCommand cmd;
  cmd.module_path = (dir_ / "none.wasm").string();
  int err = open((dir_ / "err").c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  cmd.stderr_fd = err;
  EXPECT_EQ(run_wasi_command(cmd), 1);
  cmd.dirs = {"::guest"};
  EXPECT_EQ(run_wasi_command(cmd), 2);
  cmd.dirs = {(dir_ / "no-such-dir").string() + "::/x"};
  EXPECT_EQ(run_wasi_command(cmd), 2);
  close(err);
  EXPECT_NE(Slurp(dir_ / "err").find("no-such-dir"), std::string::npos);
}

TEST_F(Binding, DefineWasiInAnEmbedderLinker) {
  WasiConfig cfg;
  cfg.args = {"a", "bc"};
  auto ctx = WasiCtx::create(cfg);
  ASSERT_TRUE(ctx.ok());
  std::shared_ptr<WasiCtx> shared(std::move(ctx.value()));
  api::Engine engine;
  api::Store store(engine);
  api::Linker linker(engine);
  ASSERT_TRUE(define_wasi(linker, shared).ok());
  auto module = api::Module::compile(engine, std::string("(module") + kImports + R"(
    (memory (export "memory") 1)
    (func (export "sizes") (result i32 i32 i32)
      (call $args_sizes_get (i32.const 0) (i32.const 4))
      (i32.load (i32.const 0))
      (i32.load (i32.const 4)))))");
  ASSERT_TRUE(module.ok()) << module.error().to_string();
  auto inst = linker.instantiate(store, *module);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  auto r = inst->func("sizes")->call({});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)[0].i32(), 0);
  EXPECT_EQ((*r)[1].i32(), 2);
  EXPECT_EQ((*r)[2].i32(), 5);
}

}  // namespace
}  // namespace wasmrun::wasi::testing
