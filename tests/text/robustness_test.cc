// Truncated and garbled scripts never crash or hang: parsing returns a result
// or an error, and every text module encodes or reports an error.
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "engine/text/wast.h"
#include "engine/text/wat.h"
#include "spec_corpus.h"

namespace wasmrun {
namespace {

// Parse a script and encode every module in it; the outcome does not matter.
void exercise(const std::string& text) {
  auto r = parse_wast(text);
  if (r.ok()) {
    for (const WastCommand& c : r->commands) {
      if (c.module) (void)c.module->encode();
    }
  } else {
    EXPECT_FALSE(r.error().message.empty());
  }
  (void)wat_to_wasm(text);
}

TEST(Robustness, TruncatedAndGarbledScripts) {
  std::mt19937 rng(12345);
  const std::string noise = "()\"$;@\\ \n0x1.p_-+=abcnan:i32.const";
  auto t0 = std::chrono::steady_clock::now();
  size_t runs = 0;
  for (const auto& f : testing::spec_wast_files()) {
    std::string text = testing::read_file(f);
    if (text.size() > 32768) text.resize(32768);  // keep the whole run quick
    for (int i = 0; i < 8; ++i) {
      exercise(text.substr(0, rng() % (text.size() + 1)));
      std::string g = text;
      for (int k = 0; k < 4; ++k) g[rng() % g.size()] = noise[rng() % noise.size()];
      exercise(g);
      runs += 2;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%zu mutated scripts in %.2fs\n", runs, secs);
  EXPECT_LT(secs, 60.0);
}

TEST(Robustness, PathologicalInputs) {
  exercise(std::string(100000, '('));
  exercise(std::string(100000, ')'));
  exercise("(module " + std::string(5000, '(') + ")");
  exercise("(;" + std::string(1000, 'x'));
  exercise("\"" + std::string(1000, '\\'));
  exercise(std::string("(module (func (i32.const 1\0 2)))", 31));
  exercise("(module (func " + std::string(20000, 'b') + "))");
  std::string either = "(assert_return (invoke \"f\") ";
  for (int i = 0; i < 100000; ++i) either += "(either ";
  EXPECT_FALSE(parse_wast(either).ok());
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "(block ";
  auto r = wat_to_wasm("(module (func " + deep + "))");
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace wasmrun
