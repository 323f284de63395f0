// Behaviour of the wasmrun command line: exit codes and one-line errors for bad
// flags, missing and unreadable files, and the wast output contract.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

struct Output {
  int status = -1;
  std::string out;  // stdout and stderr, interleaved
};

Output run(const std::string& args) {
  std::string cmd = std::string(WASMRUN_CLI) + " " + args + " 2>&1";
  Output o;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return o;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
  int st = pclose(p);
  o.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return o;
}

std::string temp_file(const std::string& name, const std::string& content) {
  auto dir = std::filesystem::temp_directory_path() / "wasmrun-cli-test";
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(Cli, VersionAndHelp) {
  Output v = run("--version");
  EXPECT_EQ(v.status, 0);
  EXPECT_NE(v.out.find("wasmrun "), std::string::npos);
  Output h = run("--help");
  EXPECT_EQ(h.status, 0);
  EXPECT_NE(h.out.find("validate"), std::string::npos);
  EXPECT_NE(h.out.find("wast"), std::string::npos);
}

TEST(Cli, BadFlagsAreOneLineUsageErrors) {
  for (const char* args :
       {"--frobnicate", "validate --nope x.wasm", "wast --commands=assert_bogus x.wast",
        "wast --tier=warp x.wast", "run --tier=warp x.wasm", "run", "validate",
        "run --gc-heap-limit=12X x.wasm", "run --gc-heap-limit=0 x.wasm",
        "wast --gc-heap-limit= x.wast", "wast --gc-heap-limit=99999999999G x.wast",
        "bogus-command"}) {
    Output o = run(args);
    EXPECT_EQ(o.status, 2) << args << "\n" << o.out;
    EXPECT_EQ(count_lines(o.out), 1) << args << "\n" << o.out;
  }
}

TEST(Cli, MissingAndUnreadableFiles) {
  Output o = run("validate /nonexistent/file.wasm");
  EXPECT_EQ(o.status, 1);
  EXPECT_NE(o.out.find("cannot open"), std::string::npos) << o.out;
  EXPECT_EQ(count_lines(o.out), 1) << o.out;
  // A directory cannot be read as a module.
  Output d = run("validate /");
  EXPECT_EQ(d.status, 1) << d.out;
  Output w = run("wast /nonexistent.wast");
  EXPECT_NE(w.status, 0);
}

TEST(Cli, ValidateReportsErrorWithOffset) {
  std::string good = temp_file("good.wat", "(module (func (export \"f\") (result i32) i32.const 1))");
  EXPECT_EQ(run("validate " + good).status, 0);
  std::string bad = temp_file("bad.wat", "(module (func (result i32) i64.const 1))");
  Output o = run("validate " + bad);
  EXPECT_EQ(o.status, 1);
  EXPECT_NE(o.out.find("type mismatch"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("at byte 0x"), std::string::npos) << o.out;
  std::string garbage = temp_file("garbage.wasm", std::string("\0asm\x02\0\0\0", 8));
  Output g = run("validate " + garbage);
  EXPECT_EQ(g.status, 1);
  EXPECT_NE(g.out.find("unknown binary version"), std::string::npos) << g.out;
}

TEST(Cli, WastOutputContract) {
  std::string script = temp_file("t.wast",
                                 "(module (func (export \"f\") (result i32) i32.const 7))\n"
                                 "(assert_return (invoke \"f\") (i32.const 7))\n"
                                 "(assert_return (invoke \"f\") (i32.const 8))\n"
                                 "(assert_invalid (module (func (result i32))) \"type mismatch\")\n"
                                 "(assert_malformed (module quote \"(func i32.bogus)\") \"unknown operator\")\n");
  Output o = run("wast " + script);
  EXPECT_EQ(o.status, 1) << o.out;
  EXPECT_NE(o.out.find(script + ": 3 passed, 1 failed, 0 skipped"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(":3: "), std::string::npos) << o.out;  // the failure names its line
  EXPECT_NE(o.out.find("\n3 passed, 1 failed, 0 skipped"), std::string::npos) << o.out;

  Output s = run("wast --commands=assert_invalid,assert_malformed " + script);
  EXPECT_EQ(s.status, 0) << s.out;
  EXPECT_NE(s.out.find(": 2 passed, 0 failed, 2 skipped"), std::string::npos) << s.out;
}

TEST(Cli, RunInvokePrintsResults) {
  std::string mod = temp_file("add.wat",
                              "(module (func (export \"add\") (param i32 i64) (result i64)"
                              " (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1)))"
                              " (func (export \"boom\") unreachable))");
  Output o = run("run --invoke add " + mod + " -5 7");
  EXPECT_EQ(o.status, 0) << o.out;
  EXPECT_EQ(o.out, "2\n");
  Output bad = run("run --invoke add " + mod + " x 7");
  EXPECT_EQ(bad.status, 2) << bad.out;
  Output trap = run("run --invoke boom " + mod);
  EXPECT_EQ(trap.status, 134) << trap.out;
  EXPECT_NE(trap.out.find("unreachable"), std::string::npos) << trap.out;
  Output missing = run("run --invoke nope " + mod);
  EXPECT_EQ(missing.status, 1) << missing.out;
}

TEST(Cli, GcHeapLimitFlag) {
  // A list of 1 KiB arrays kept alive through a global.
  std::string mod = temp_file(
      "gc_cap.wat",
      "(module (type $b (array (mut i8)))"
      " (type $n (struct (field (ref null $n)) (field (ref $b))))"
      " (global $l (mut (ref null $n)) (ref.null $n))"
      " (func (export \"grow\") (param $k i32) (result i32)"
      "  (loop $x (global.set $l (struct.new $n (global.get $l)"
      "                            (array.new_default $b (i32.const 1024))))"
      "   (local.set $k (i32.sub (local.get $k) (i32.const 1))) (br_if $x (local.get $k)))"
      "  (i32.const 1)))");
  Output small = run("run --gc-heap-limit=16M --invoke grow " + mod + " 1000");
  EXPECT_EQ(small.status, 0) << small.out;
  Output big = run("run --gc-heap-limit=16M --invoke grow " + mod + " 100000");
  EXPECT_EQ(big.status, 134) << big.out;
  EXPECT_NE(big.out.find("out of memory: GC heap exhausted (limit 16777216 bytes)"),
            std::string::npos)
      << big.out;
  Output spaced = run("run --gc-heap-limit 64K --invoke grow " + mod + " 1000");
  EXPECT_EQ(spaced.status, 134) << spaced.out;
}

}  // namespace
