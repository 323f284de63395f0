// Truncated and bit-flipped spec modules must produce a clean result (success
// or an Error with a message and an offset inside the module), never a crash or
// a hang.
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "engine/validate/validator.h"
#include "tests/validate/spec_json.h"

namespace wasmrun {
namespace {

TEST(Robustness, TruncatedAndBitFlippedModules) {
  ASSERT_TRUE(testing::have_wast2json()) << "wabt's wast2json is required";
  auto dir = testing::temp_dir("robust");
  // A spread of scripts: binary format, control, SIMD, bulk memory, exceptions.
  const char* scripts[] = {"core/binary.wast",
                           "core/binary-leb128.wast",
                           "core/block.wast",
                           "core/br_table.wast",
                           "core/call_indirect.wast",
                           "core/simd/simd_lane.wast",
                           "core/bulk-memory/bulk.wast",
                           "legacy/exceptions/core/try_catch.wast",
                           "core/memory64/load64.wast",
                           "proposals/threads/atomic.wast",
                           "core/names.wast",
                           "core/custom.wast"};
  std::vector<std::vector<uint8_t>> modules;
  int idx = 0;
  for (const char* s : scripts) {
    std::vector<testing::SpecModule> mods;
    if (!testing::convert(testing::spec_root() / s, dir / std::to_string(idx++), mods)) continue;
    for (const auto& m : mods)
      if (m.module_type != "text") modules.push_back(testing::read_bytes(m.file));
  }
  ASSERT_GE(modules.size(), 200u);

  std::mt19937 rng(12345);
  size_t runs = 0, accepted = 0;
  auto check = [&](std::vector<uint8_t> bytes) {
    size_t size = bytes.size();
    auto r = load_module(std::move(bytes));
    ++runs;
    if (r.ok()) {
      ++accepted;
    } else {
      EXPECT_FALSE(r.error().message.empty());
      // Every error locates itself; "unexpected end" sits one past the last byte.
      EXPECT_NE(r.error().offset, Error::kNoOffset) << r.error().message;
      if (r.error().offset != Error::kNoOffset) EXPECT_LE(r.error().offset, size);
    }
  };
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& m : modules) {
    // Every truncation point of small modules, a sample of large ones.
    size_t step = m.size() > 400 ? m.size() / 200 : 1;
    for (size_t n = 0; n < m.size(); n += step)
      check(std::vector<uint8_t>(m.begin(), m.begin() + n));
    for (int k = 0; k < 30 && !m.empty(); ++k) {
      std::vector<uint8_t> f = m;
      int flips = 1 + static_cast<int>(rng() % 3);
      for (int j = 0; j < flips; ++j) f[rng() % f.size()] ^= uint8_t(1u << (rng() % 8));
      check(std::move(f));
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::filesystem::remove_all(dir);
  std::printf("robustness: %zu mutated modules, %zu accepted, %.2f s\n", runs, accepted, secs);
  EXPECT_GT(runs, 10000u);
}

}  // namespace
}  // namespace wasmrun
