// Real WASI programs: each C program in guest/ is compiled at test time with
// clang-19 --target=wasm32-wasi against wasi-libc and run through the
// `wasmrun run` CLI as a child process; the tests check what the programs did
// on the host (files, exit status, bytes on the pipes), not only what they
// printed.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <set>

#include "program_runner.h"

namespace wasmrun::wasi_programs {
namespace {

class ToolchainCleanup : public ::testing::Environment {
 public:
  void TearDown() override { GuestBuilder::cleanup(); }
};
[[maybe_unused]] ::testing::Environment* const cleanup_env =
    ::testing::AddGlobalTestEnvironment(new ToolchainCleanup);

class WasiProgram : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = GuestBuilder::missing_toolchain()) GTEST_SKIP() << *why;
    char tmpl[] = "/tmp/wasmrun-wasi-prog-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override {
    if (!root_.empty()) fs::remove_all(root_);
  }

  // The compiled module for guest/<name>.c; fails the test when it does not build.
  std::string wasm(const std::string& name) {
    std::string log;
    fs::path p = GuestBuilder::wasm(name, &log);
    EXPECT_FALSE(p.empty()) << "building guest " << name << " failed:\n" << log;
    return p.string();
  }

  fs::path root_;
};

// Tests that resolve guest paths run twice: with the default resolver (openat2
// on this kernel) and with the component walker, which the CLI picks when its
// environment has WASMRUN_WASI_RESOLVER=components.
class WasiPathProgram : public WasiProgram, public ::testing::WithParamInterface<bool> {
 protected:
  ProcOptions resolver_opts() const {
    ProcOptions o;
    if (GetParam()) {
      std::vector<std::string> env;
      for (char** e = environ; *e; ++e) env.emplace_back(*e);
      env.emplace_back("WASMRUN_WASI_RESOLVER=components");
      o.envp = env;
    }
    return o;
  }
};

std::string random_bytes(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(gen());
  return s;
}

// --- File copy --------------------------------------------------------------

TEST_P(WasiPathProgram, CopyIsByteIdenticalForEdgeAndMultiMegabyteSizes) {
  std::string cp = wasm("cp");
  ASSERT_FALSE(cp.empty());
  fs::create_directories(root_ / "in");
  fs::create_directories(root_ / "out" / "nested");
  // Sizes around the 64 KiB buffer, and a multi-MB file that is not a multiple of it.
  const std::vector<size_t> sizes = {0, 1, 65535, 65536, 65537, (5u << 20) + 3};
  for (size_t size : sizes) {
    SCOPED_TRACE("size " + std::to_string(size));
    std::string name = "f" + std::to_string(size) + ".bin";
    std::string data = random_bytes(size, static_cast<uint32_t>(size));
    spit(root_ / "in" / name, data);
    // The source directory is read-only: a copy needs nothing more.
    ProcResult r =
        run_cli({"run", "--dir", (root_ / "in").string() + "::/in:readonly", "--dir",
                 (root_ / "out").string() + "::/out", cp, "/in/" + name, "/out/nested/" + name},
                resolver_opts());
    ASSERT_EQ(r.status, 0) << r.err;
    size_t reads = (size + 65535) / 65536;
    EXPECT_EQ(r.out,
              "copied " + std::to_string(size) + " bytes in " + std::to_string(reads) + " reads\n");
    std::string copy = slurp(root_ / "out" / "nested" / name);
    EXPECT_EQ(copy.size(), size);
    EXPECT_TRUE(copy == data) << "the copy differs from the original";
    EXPECT_EQ(slurp(root_ / "in" / name), data) << "the source changed";
  }
}

TEST_F(WasiProgram, CopyWithOddBufferSizeAndOverwrite) {
  std::string cp = wasm("cp");
  ASSERT_FALSE(cp.empty());
  std::string data = random_bytes(3 * 1000 * 1000 + 17, 7);
  spit(root_ / "src.bin", data);
  // A longer existing destination must be truncated by O_TRUNC.
  spit(root_ / "dst.bin", std::string(4 << 20, 'x'));
  ProcResult r =
      run_cli({"run", "--dir", root_.string() + "::/d", cp, "/d/src.bin", "/d/dst.bin", "4093"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "copied 3000017 bytes in 733 reads\n");  // ceil(3000017 / 4093)
  EXPECT_TRUE(slurp(root_ / "dst.bin") == data);
}

TEST_F(WasiProgram, CopyReportsMissingSource) {
  std::string cp = wasm("cp");
  ASSERT_FALSE(cp.empty());
  ProcResult r = run_cli({"run", "--dir", root_.string() + "::/d", cp, "/d/nope", "/d/out"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "/d/nope: No such file or directory\n");
  EXPECT_FALSE(fs::exists(root_ / "out"));
}

// --- Recursive directory walk -----------------------------------------------

TEST_P(WasiPathProgram, WalkListsTheWholeTreeParentsFirst) {
  std::string walk = wasm("walk");
  ASSERT_FALSE(walk.empty());
  fs::path t = root_ / "tree";
  fs::create_directories(t / "a" / "b" / "c" / "d" / "e");
  fs::create_directories(t / "empty");
  fs::create_directories(t / "many");
  fs::create_directories(t / "with space" / "ünïcödé");
  spit(t / "top.txt", "top");
  spit(t / "a" / "b" / "c" / "d" / "e" / "deep.bin", random_bytes(12345, 1));
  spit(t / "with space" / "ünïcödé" / "file name.txt", "x");
  // Enough entries, with long names, that fd_readdir fills wasi-libc's buffer
  // many times and readdir has to resume from saved cookies.
  for (int i = 0; i < 600; ++i) {
    spit(t / "many" / ("entry_with_a_fairly_long_name_" + std::to_string(i)), std::string(i, 'z'));
  }
  fs::create_symlink("top.txt", t / "link_to_top");
  fs::create_symlink("../a", t / "many" / "link_to_dir");  // must not be followed
  fs::create_symlink("missing", t / "dangling");

  // What the host sees, in walk.c's format.
  std::set<std::string> expected;
  for (auto it = fs::recursive_directory_iterator(t); it != fs::recursive_directory_iterator();
       ++it) {
    // lexically: fs::relative would resolve the symlinks themselves.
    std::string rel = it->path().lexically_relative(t).string();
    if (it->is_symlink()) {
      expected.insert("l " + rel + " -> " + fs::read_symlink(it->path()).string());
    } else if (it->is_directory()) {
      expected.insert("d " + rel);
    } else {
      expected.insert("f " + rel + " " + std::to_string(it->file_size()));
    }
  }
  ASSERT_EQ(expected.size(), 1u + 4 + 1 + 1 + 2 + 1 + 1 + 1 + 600 + 3);

  ProcResult r =
      run_cli({"run", "--dir", t.string() + "::/tree:readonly", walk, "/tree"}, resolver_opts());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::vector<std::string> got = lines(r.out);
  std::set<std::string> got_set(got.begin(), got.end());
  EXPECT_EQ(got.size(), got_set.size()) << "an entry was listed twice";
  std::vector<std::string> missing, extra;
  std::set_difference(expected.begin(), expected.end(), got_set.begin(), got_set.end(),
                      std::back_inserter(missing));
  std::set_difference(got_set.begin(), got_set.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  EXPECT_EQ(missing, std::vector<std::string>{}) << "entries the guest did not list";
  EXPECT_EQ(extra, std::vector<std::string>{}) << "entries the guest listed that are not there";

  // nftw visits a directory before anything inside it.
  std::set<std::string> seen_dirs;
  for (const std::string& line : got) {
    std::string rel = line.substr(2);
    if (line[0] == 'f') rel = line.substr(2, line.rfind(' ') - 2);
    if (line[0] == 'l') rel = line.substr(2, line.find(" -> ") - 2);
    std::string parent = fs::path(rel).parent_path().string();
    if (!parent.empty()) EXPECT_TRUE(seen_dirs.count(parent)) << line << " before its directory";
    if (line[0] == 'd') seen_dirs.insert(rel);
  }
}

// --- stdin-to-stdout filter -------------------------------------------------

std::string mixed_text(size_t lines_wanted) {
  std::string s;
  for (size_t i = 0; i < lines_wanted; ++i) {
    s += "Line " + std::to_string(i) + ": The quick brown Fox jumps over the lazy dog; 0123 _-+\n";
  }
  s += "no newline at the end";
  return s;
}

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

TEST_F(WasiProgram, FilterThroughAPipe) {
  std::string up = wasm("upper");
  ASSERT_FALSE(up.empty());
  std::string text = mixed_text(20000);  // about 1.4 MB, far more than one pipe buffer
  ProcOptions o;
  o.stdin_data = text;
  ProcResult r = run_cli({"run", up}, o);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.size(), text.size());
  EXPECT_TRUE(r.out == upper(text));
  EXPECT_EQ(r.err, "lines=20000 bytes=" + std::to_string(text.size()) + "\n");
}

TEST_F(WasiProgram, FilterFromAFile) {
  std::string up = wasm("upper");
  ASSERT_FALSE(up.empty());
  std::string text = mixed_text(777);
  spit(root_ / "in.txt", text);
  ProcOptions o;
  o.stdin_file = root_ / "in.txt";
  ProcResult r = run_cli({"run", up}, o);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out == upper(text));
  EXPECT_EQ(r.err, "lines=777 bytes=" + std::to_string(text.size()) + "\n");
}

TEST_F(WasiProgram, FilterOnEmptyInput) {
  std::string up = wasm("upper");
  ASSERT_FALSE(up.empty());
  ProcOptions o;
  o.stdin_data = "";
  ProcResult r = run_cli({"run", up}, o);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "lines=0 bytes=0\n");
}

// --- Clocks and sleep -------------------------------------------------------

int64_t host_realtime_ns() {
  timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

TEST_F(WasiProgram, SleepMeasuredByTheMonotonicClockAndRealtimeMatchesTheHost) {
  std::string clocks = wasm("clocks");
  ASSERT_FALSE(clocks.empty());
  int64_t before = host_realtime_ns();
  auto start = std::chrono::steady_clock::now();
  ProcResult r = run_cli({"run", clocks});
  auto wall = std::chrono::steady_clock::now() - start;
  int64_t after = host_realtime_ns();
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<std::string> l = lines(r.out);
  ASSERT_EQ(l.size(), 4u) << r.out;
  ASSERT_EQ(l[0].rfind("slept_ns ", 0), 0u);
  ASSERT_EQ(l[1].rfind("realtime_ns ", 0), 0u);
  ASSERT_EQ(l[2].rfind("res_ns ", 0), 0u);
  EXPECT_EQ(l[3], "monotonic_ok");
  int64_t slept = std::stoll(l[0].substr(9));
  int64_t realtime = std::stoll(l[1].substr(12));
  int64_t res = std::stoll(l[2].substr(7));
  // nanosleep never returns early; the upper bound leaves room for a loaded machine.
  EXPECT_GE(slept, 50'000'000);
  EXPECT_LT(slept, 550'000'000);
  EXPECT_GE(wall, std::chrono::milliseconds(50));
  // The guest read the host's realtime clock while the CLI ran.
  EXPECT_GE(realtime, before);
  EXPECT_LE(realtime, after);
  EXPECT_GT(res, 0);
  EXPECT_LE(res, 1'000'000);
}

// --- Random -----------------------------------------------------------------

TEST_F(WasiProgram, RandomBytesVaryWithinAndAcrossRuns) {
  std::string rnd = wasm("random");
  ASSERT_FALSE(rnd.empty());
  ProcResult a = run_cli({"run", rnd});
  ProcResult b = run_cli({"run", rnd});
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  std::vector<std::string> la = lines(a.out), lb = lines(b.out);
  ASSERT_EQ(la.size(), 2u);
  ASSERT_EQ(lb.size(), 2u);
  for (const auto& l : {la[0], la[1], lb[0], lb[1]}) {
    ASSERT_EQ(l.size(), 128u);
    std::set<std::string> distinct_bytes;
    for (size_t i = 0; i < l.size(); i += 2) distinct_bytes.insert(l.substr(i, 2));
    // 64 uniform bytes repeat a value rarely; all-equal or a handful of values means no randomness.
    EXPECT_GT(distinct_bytes.size(), 16u) << l;
  }
  EXPECT_NE(la[0], la[1]) << "random_get and getentropy returned the same bytes";
  EXPECT_NE(la[0], lb[0]) << "two runs got the same random bytes";
  EXPECT_NE(la[1], lb[1]);
}

// --- Exit codes -------------------------------------------------------------

struct ExitCase {
  const char* mode;
  int status;
  const char* out;
};

// Keeps ctest's test names readable (gtest would print the struct's bytes).
void PrintTo(const ExitCase& c, std::ostream* os) { *os << c.mode; }

class WasiExit : public WasiProgram, public ::testing::WithParamInterface<ExitCase> {};

TEST_P(WasiExit, StatusAndFlushedOutput) {
  std::string exits = wasm("exits");
  ASSERT_FALSE(exits.empty());
  const ExitCase& c = GetParam();
  ProcResult r = run_cli({"run", exits, c.mode});
  EXPECT_EQ(r.status, c.status) << r.err;
  EXPECT_EQ(r.out, c.out);
  if (c.status == 134) {
    // abort() is `unreachable` in wasi-libc: a trap, reported with a backtrace.
    EXPECT_NE(r.err.find("trap"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("unreachable"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("wasm backtrace"), std::string::npos) << r.err;
  } else {
    EXPECT_EQ(r.err, "");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Modes, WasiExit,
    ::testing::Values(ExitCase{"exit0", 0, "start"}, ExitCase{"exit42", 42, "start"},
                      ExitCase{"return0", 0, "start"}, ExitCase{"return7", 7, "start"},
                      ExitCase{"abort", 134, "start"},
                      // proc_exit directly skips libc's exit handlers, so the
                      // buffered "start" is never written.
                      ExitCase{"proc_exit255", 255, ""}),
    [](const ::testing::TestParamInfo<ExitCase>& i) { return std::string(i.param.mode); });

// --- Large reads and writes -------------------------------------------------

constexpr size_t kBig = 64u << 20;

TEST_F(WasiProgram, SixtyFourMiBFileWriteAndReadBack) {
  std::string bigio = wasm("bigio");
  ASSERT_FALSE(bigio.empty());
  ProcResult r = run_cli({"run", "--dir", root_.string() + "::/d", bigio, "file", "/d/big.bin"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::string expected_sum = hex64(fnv1a(bigio_pattern(kBig)));
  std::string on_disk = slurp(root_ / "big.bin");
  EXPECT_EQ(on_disk.size(), kBig);
  EXPECT_EQ(hex64(fnv1a(on_disk)), expected_sum);
  std::vector<std::string> l = lines(r.out);
  ASSERT_EQ(l.size(), 4u) << r.out;
  EXPECT_EQ(l[0], "size " + std::to_string(kBig));
  // A regular file takes the whole 64 MiB in one fd_write and returns it in one
  // fd_read (plus the read that sees EOF); more calls would mean short transfers.
  EXPECT_EQ(l[1], "write_calls 1");
  EXPECT_EQ(l[2], "read_calls 2");
  EXPECT_EQ(l[3], "sum " + expected_sum);
}

TEST_F(WasiProgram, SixtyFourMiBToStdoutThroughAPipe) {
  std::string bigio = wasm("bigio");
  ASSERT_FALSE(bigio.empty());
  ProcResult r = run_cli({"run", bigio, "stdout"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::string expected_sum = hex64(fnv1a(bigio_pattern(kBig)));
  EXPECT_EQ(r.out.size(), kBig);
  EXPECT_EQ(hex64(fnv1a(r.out)), expected_sum);
  // A blocking pipe write does not return until the kernel took everything.
  EXPECT_EQ(r.err, "sum " + expected_sum + "\nwrite_calls 1\nwaits 0\n");
}

TEST_F(WasiProgram, SixtyFourMiBToANonBlockingPipeWithShortWrites) {
  std::string bigio = wasm("bigio");
  ASSERT_FALSE(bigio.empty());
  ProcOptions o;
  o.nonblocking_stdout = true;
  ProcResult r = run_cli({"run", bigio, "stdout"}, o);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.size(), kBig);
  std::string expected_sum = hex64(fnv1a(bigio_pattern(kBig)));
  EXPECT_EQ(hex64(fnv1a(r.out)), expected_sum);
  // A non-blocking pipe takes at most its capacity per write: fd_write must
  // report the short counts (and EAGAIN when full, which poll_oneoff waits out)
  // so that the guest's loop resumes at the right byte.
  std::vector<std::string> l = lines(r.err);
  ASSERT_EQ(l.size(), 3u) << r.err;
  EXPECT_EQ(l[0], "sum " + expected_sum);
  ASSERT_EQ(l[1].rfind("write_calls ", 0), 0u);
  EXPECT_GT(std::stoll(l[1].substr(12)), 100) << "no short writes happened";
  ASSERT_EQ(l[2].rfind("waits ", 0), 0u);
}

TEST_F(WasiProgram, SixtyFourMiBFromStdinPipeWithShortReads) {
  std::string bigio = wasm("bigio");
  ASSERT_FALSE(bigio.empty());
  ProcOptions o;
  o.stdin_data = bigio_pattern(kBig);
  ProcResult r = run_cli({"run", bigio, "stdin"}, o);
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<std::string> l = lines(r.out);
  ASSERT_EQ(l.size(), 3u) << r.out;
  EXPECT_EQ(l[0], "size " + std::to_string(kBig));
  // A pipe holds at most a few pages, so a 64 MiB read returns short many
  // times; the guest must have looped over them.
  ASSERT_EQ(l[1].rfind("read_calls ", 0), 0u);
  EXPECT_GT(std::stoll(l[1].substr(11)), 100);
  EXPECT_EQ(l[2], "sum " + hex64(fnv1a(*o.stdin_data)));
}

TEST_F(WasiProgram, SixtyFourMiBFromStdinFile) {
  std::string bigio = wasm("bigio");
  ASSERT_FALSE(bigio.empty());
  std::string data = random_bytes(kBig, 99);
  spit(root_ / "in.bin", data);
  ProcOptions o;
  o.stdin_file = root_ / "in.bin";
  ProcResult r = run_cli({"run", bigio, "stdin"}, o);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "size " + std::to_string(kBig) + "\nread_calls 2\nsum " + hex64(fnv1a(data)) + "\n");
}

// --- argv and environ -------------------------------------------------------

TEST_F(WasiProgram, ArgvAndOnlyTheGivenEnvironment) {
  std::string argenv = wasm("argenv");
  ASSERT_FALSE(argenv.empty());
  ProcOptions o;
  // The CLI's own environment must not reach the guest without --inherit-env.
  o.envp = std::vector<std::string>{"HOST_ONLY=secret", "PATH=/usr/bin:/bin"};
  ProcResult r = run_cli(
      {"run", "--env", "A=1", "--env", "B=two=parts", "--env", "EMPTY=", "--env", "UNI=ünïcödé",
       argenv, "plain", "with space", "", "ünïcödé", "--env", "X=not-an-option"},
      o);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "argc 7\n"
            "argv[0]=" +
                argenv +
                "\n"  // the module path as given on the command line
                "argv[1]=plain\n"
                "argv[2]=with space\n"
                "argv[3]=\n"
                "argv[4]=ünïcödé\n"
                "argv[5]=--env\n"  // after the module everything belongs to the guest
                "argv[6]=X=not-an-option\n"
                "env=A=1\n"
                "env=B=two=parts\n"
                "env=EMPTY=\n"
                "env=UNI=ünïcödé\n");
}

TEST_F(WasiProgram, NoArgumentsAndNoEnvironment) {
  std::string argenv = wasm("argenv");
  ASSERT_FALSE(argenv.empty());
  ProcResult r = run_cli({"run", argenv});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "argc 1\nargv[0]=" + argenv + "\n");
}

TEST_F(WasiProgram, InheritEnvPassesTheHostEnvironmentThenEnvValues) {
  std::string argenv = wasm("argenv");
  ASSERT_FALSE(argenv.empty());
  ProcOptions o;
  o.envp = std::vector<std::string>{"HOST_ONLY=secret", "PATH=/usr/bin:/bin", "WITH_EQ=a=b"};
  ProcResult r = run_cli({"run", "--inherit-env", "--env", "EXTRA=2", argenv, "x"}, o);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "argc 2\nargv[0]=" + argenv +
                       "\nargv[1]=x\n"
                       "env=HOST_ONLY=secret\n"
                       "env=PATH=/usr/bin:/bin\n"
                       "env=WITH_EQ=a=b\n"
                       "env=EXTRA=2\n");
}

// --- Read-only preopen ------------------------------------------------------

TEST_P(WasiPathProgram, ReadOnlyPreopenRejectsEveryWrite) {
  std::string ro = wasm("readonly");
  ASSERT_FALSE(ro.empty());
  fs::path d = root_ / "ro";
  fs::create_directories(d / "keep");
  spit(d / "data.txt", "read-only data");
  auto mtime = fs::last_write_time(d / "data.txt");
  ProcResult r =
      run_cli({"run", "--dir", d.string() + "::/ro:readonly", ro, "/ro"}, resolver_opts());
  ASSERT_EQ(r.status, 0) << r.err;
  // 76 is ENOTCAPABLE: the preopen lacks the right. wasi-libc opens O_WRONLY
  // with only the rights the directory can hand down, so that open succeeds
  // and the write fails; wasi-libc reports fd_write's ENOTCAPABLE as EBADF (8).
  EXPECT_EQ(r.out,
            "read: ok read-only data\n"
            "open wronly: ok\n"
            "write: errno 8\n"
            "open append: ok\n"
            "append write: errno 8\n"
            "open trunc: errno 76\n"
            "create: errno 76\n"
            "fopen w: errno 76\n"
            "truncate: errno 76\n"
            "unlink: errno 76\n"
            "mkdir: errno 76\n"
            "rmdir: errno 76\n"
            "rename: errno 76\n"
            "symlink: errno 76\n"
            "link: errno 76\n");
  EXPECT_EQ(slurp(d / "data.txt"), "read-only data");
  EXPECT_EQ(fs::last_write_time(d / "data.txt"), mtime);
  std::set<std::string> entries;
  for (auto& e : fs::directory_iterator(d)) entries.insert(e.path().filename().string());
  EXPECT_EQ(entries, (std::set<std::string>{"data.txt", "keep"}));
}

TEST_P(WasiPathProgram, SameOperationsSucceedOnAWritablePreopen) {
  // The control for the test above: the same program on a writable preopen
  // changes the tree, so the refusals there come from :readonly alone.
  std::string ro = wasm("readonly");
  ASSERT_FALSE(ro.empty());
  fs::path d = root_ / "rw";
  fs::create_directories(d / "keep");
  spit(d / "data.txt", "read-only data");
  ProcResult r = run_cli({"run", "--dir", d.string() + "::/rw", ro, "/rw"}, resolver_opts());
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<std::string> l = lines(r.out);
  ASSERT_EQ(l.size(), 15u) << r.out;
  EXPECT_EQ(l[0], "read: ok read-only data");
  for (size_t i = 1; i < l.size(); ++i) {
    // unlink removed data.txt, so the later rename and link find no source.
    if (l[i].rfind("rename", 0) == 0 || l[i].rfind("link", 0) == 0) {
      EXPECT_EQ(l[i].substr(l[i].find(':')), ": errno 44") << l[i];  // ENOENT
    } else {
      EXPECT_EQ(l[i].substr(l[i].find(':')), ": ok") << l[i];
    }
  }
  EXPECT_FALSE(fs::exists(d / "data.txt"));
  EXPECT_FALSE(fs::exists(d / "keep"));
  EXPECT_TRUE(fs::is_directory(d / "sub"));
  EXPECT_TRUE(fs::exists(d / "new.txt"));
  EXPECT_TRUE(fs::is_symlink(d / "link"));
}

INSTANTIATE_TEST_SUITE_P(Resolvers, WasiPathProgram, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) {
                           return std::string(i.param ? "Components" : "Default");
                         });

}  // namespace
}  // namespace wasmrun::wasi_programs
