// A module instantiated from WAT with no imports, and typed shortcuts for
// calling its exports: the fixture of the interpreter's behaviour tests (and of
// the JIT's, with another tier).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wasmrun/wasmrun.h"

namespace wasmrun::test {

using namespace wasmrun::api;

inline EngineConfig tier_config(Tier tier) {
  EngineConfig c;
  c.tier = tier;
  return c;
}

struct Fixture {
  Engine engine;
  Store store{engine};
  Linker linker{engine};
  Instance inst;

  explicit Fixture(std::string_view wat, Tier tier = Tier::Interpreter)
      : engine(tier_config(tier)) {
    auto m = Module::compile(engine, wat);
    if (!m.ok()) ADD_FAILURE() << "compile: " << m.error().to_string();
    if (!m.ok()) return;
    auto i = linker.instantiate(store, *m);
    if (!i.ok()) ADD_FAILURE() << "instantiate: " << i.error().to_string();
    if (i.ok()) inst = *i;
  }
  Result<std::vector<Value>> call(std::string_view name, std::vector<Value> args = {}) {
    auto f = inst.func(name);
    if (!f) return wasmrun::Error(ErrorKind::Usage, "no export");
    return f->call(args);
  }
  int32_t i32(std::string_view name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() && !r->empty() ? (*r)[0].i32() : -12345;
  }
  int64_t i64(std::string_view name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() && !r->empty() ? (*r)[0].i64() : -12345;
  }
  std::string trap(std::string_view name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    if (r.ok()) return "no trap";
    return r.error().message;
  }
};

}  // namespace wasmrun::test
