// Stress programs for the GC heap, run through the public API: each allocates
// far more than it keeps alive and checks both its results (the heap kept every
// live object intact) and the process's peak RSS (the heap returned the garbage).
//
// Peak RSS is VmHWM from /proc/self/status, reset before each program by
// writing "5" to /proc/self/clear_refs, so each test sees its own peak.
//
// Every program runs under the interpreter and under the baseline JIT (test
// names end in /Interpreter and /Baseline), whose frames are GC roots too.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_set>

#include "wasmrun/wasmrun.h"

using namespace wasmrun::api;

namespace {

std::string read_program(const char* name) {
  std::ifstream in(std::string(WASMRUN_SOURCE_DIR) + "/tests/gc_programs/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Peak resident set size in MiB since the last reset_peak_rss().
double peak_rss_mib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return -1;
}
/// The peak RSS a program may reach. Under AddressSanitizer the process also
/// holds ASan's shadow memory and its quarantine of freed C++ allocations (the
/// baseline tier's compiler makes many), so only the Release pass checks the
/// real bound there.
double rss_limit_mib(double mib) {
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
  return mib + 1024;
#endif
#endif
  return mib;
}

void reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
}

EngineConfig tier_config(Tier tier) {
  EngineConfig c;
  c.tier = tier;
  return c;
}

struct Program {
  Engine engine;
  Store store{engine};
  Instance inst;

  Program(const char* file, Tier tier) : engine(tier_config(tier)) {
    std::string text = read_program(file);
    auto m = Module::compile(
        engine,
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().to_string());
    if (!m.ok()) return;
    Linker l(engine);
    auto i = l.instantiate(store, *m);
    EXPECT_TRUE(i.ok()) << (i.ok() ? "" : i.error().to_string());
    if (i.ok()) inst = *i;
  }
  std::vector<Value> call(const char* name, std::vector<Value> args) {
    auto f = inst.func(name);
    EXPECT_TRUE(f.has_value()) << name;
    if (!f) return {};
    auto r = f->call(args);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() ? *r : std::vector<Value>{};
  }
};

int64_t nodes(int depth) { return (int64_t{1} << (depth + 1)) - 1; }

class GcPrograms : public ::testing::TestWithParam<Tier> {};

TEST_P(GcPrograms, BinaryTrees) {
  reset_peak_rss();
  const int max = 14;
  Program p("binary_trees.wat", GetParam());
  auto r = p.call("run", {Value::i32(max)});
  ASSERT_EQ(r.size(), 1u);
  int64_t want = nodes(max);
  for (int d = 4; d <= max; d += 2) want += (int64_t{1} << (max - d + 4)) * nodes(d);
  EXPECT_EQ(r[0].i32(), static_cast<int32_t>(want));
  // ~2.8 M nodes of 32 bytes (90 MiB) allocated; the live set is one tree of
  // 32 K nodes (1 MiB) plus the tree being checked.
  EXPECT_LT(peak_rss_mib(), rss_limit_mib(64));
}

TEST_P(GcPrograms, LinkedListOfArrays) {
  reset_peak_rss();
  Program p("list_of_arrays.wat", GetParam());
  // 40 rounds of 2000 arrays x 256 i64: 160 MiB allocated, 4 MiB live per round.
  auto r = p.call("run", {Value::i32(40), Value::i32(2000), Value::i32(256)});
  ASSERT_EQ(r.size(), 1u);
  int64_t n = 2000 * 256;
  EXPECT_EQ(r[0].i64(), n * (n - 1) / 2);
  EXPECT_LT(peak_rss_mib(), rss_limit_mib(64));
}

TEST_P(GcPrograms, ChurningHashMap) {
  reset_peak_rss();
  Program p("hashmap.wat", GetParam());
  const uint32_t steps = 1'000'000, keys = 65536, buckets = 4096;
  auto r = p.call("run", {Value::i32(steps), Value::i32(keys), Value::i32(buckets)});
  ASSERT_EQ(r.size(), 1u);
  // The same toggling in C++.
  std::unordered_set<uint32_t> present;
  for (uint32_t s = 0; s < steps; ++s) {
    uint32_t key = (s * 2654435761u) % keys;
    if (!present.erase(key)) present.insert(key);
  }
  EXPECT_EQ(static_cast<uint32_t>(r[0].i32()), present.size());
  int64_t sum = 0;
  for (uint32_t k : present) sum += k + 1;
  auto c = p.call("checksum", {});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].i64(), sum);
  EXPECT_LT(peak_rss_mib(), rss_limit_mib(64));
}

TEST_P(GcPrograms, CyclesThroughGlobalsAndTables) {
  reset_peak_rss();
  Program p("cycles.wat", GetParam());
  // 4000 rings of 64 nodes with 1 KiB arrays: ~300 MiB of cyclic garbage; the
  // live set is 17 rings (global + 16 table slots), about 1.2 MiB.
  const int rounds = 4000, k = 64;
  p.call("run", {Value::i32(rounds), Value::i32(k)});
  auto r = p.call("verify", {Value::i32(k)});
  ASSERT_EQ(r.size(), 1u);
  // The global holds the last ring (tag (rounds-1) & 127); table slot s holds
  // the last round r with r % 16 == s.
  int32_t want = (rounds - 1) & 127;
  for (int s = 0; s < 16; ++s) {
    int last = rounds - 16 + ((s - (rounds - 16)) % 16 + 16) % 16;
    want += last & 127;
  }
  EXPECT_EQ(r[0].i32(), want);
  EXPECT_LT(peak_rss_mib(), rss_limit_mib(96));
}

/// `count` 4 KiB arrays through a 32 MiB ring; returns the program's result.
int64_t big_alloc(uint64_t count, Tier tier) {
  Program p("big_alloc.wat", tier);
  auto r = p.call("run", {Value::i64(static_cast<int64_t>(count))});
  return r.size() == 1 ? r[0].i64() : -2;
}
int64_t big_alloc_expected(uint64_t count) {
  // The ring holds the last 8192 sequence numbers.
  uint64_t first = count - 8192;
  return static_cast<int64_t>((first + count - 1) * 8192 / 2);
}

// 20 GiB allocated over the program's life through a 32 MiB live set
// (~30 s on the 2-core machine, so it stays in the default suite).
TEST_P(GcPrograms, TwentyGiBThroughA32MiBLiveSet) {
  reset_peak_rss();
  const uint64_t count = (uint64_t{20} << 30) / 4096;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(big_alloc(count, GetParam()), big_alloc_expected(count));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("20 GiB allocated in %.1f s, peak RSS %.0f MiB\n", secs, peak_rss_mib());
  EXPECT_LT(peak_rss_mib(), rss_limit_mib(256));
}

INSTANTIATE_TEST_SUITE_P(Tiers, GcPrograms, ::testing::Values(Tier::Interpreter, Tier::Baseline),
                         [](const ::testing::TestParamInfo<Tier>& info) {
                           return info.param == Tier::Baseline ? "Baseline" : "Interpreter";
                         });

}  // namespace
