// Differential test: random valid modules from binaryen's translate-to-fuzz
// (wasm-opt -ttf, seeded deterministically) run on the interpreter and on the
// baseline tier; every export's results or trap, every logged value and the
// memory contents after each call must agree.
//
// The short fixed-seed run is a ctest. tests/jit/fuzz_long.sh N runs N modules
// (environment: WASMRUN_FUZZ_COUNT, WASMRUN_FUZZ_SEED, WASMRUN_FUZZ_KEEP=dir to
// keep the divergent modules).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "engine/runtime/objects.h"
#include "jit/baseline/baseline.h"
#include "wasmrun/trap.h"
#include "wasmrun/wasmrun.h"

using namespace wasmrun::api;

namespace {

constexpr const char* kFeatures =
    "--enable-simd --enable-bulk-memory --enable-tail-call "
    "--enable-multivalue --enable-sign-ext --enable-nontrapping-float-to-int "
    "--enable-mutable-globals";

/// Everything observable about one run of a module, as text lines.
struct Trace {
  std::vector<std::string> lines;
  bool exhausted = false;  ///< a call ran out of stack: tiers may legitimately differ after it
  uint32_t fallbacks = 0;
};

std::string bits_of(const Value& v) {
  uint64_t raw[2] = {0, 0};
  v.to_raw(raw);
  char buf[64];
  if (v.type().kind == wasmrun::ValKind::V128)
    std::snprintf(buf, sizeof(buf), "%016llx%016llx", static_cast<unsigned long long>(raw[1]),
                  static_cast<unsigned long long>(raw[0]));
  else if (v.type().kind == wasmrun::ValKind::Ref)
    std::snprintf(buf, sizeof(buf), "%s", raw[0] ? "ref" : "null");
  else if (v.type().kind == wasmrun::ValKind::I32 || v.type().kind == wasmrun::ValKind::F32)
    std::snprintf(buf, sizeof(buf), "%08x", static_cast<unsigned>(raw[0]));
  else
    std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(raw[0]));
  return buf;
}

uint64_t fnv(const uint8_t* p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

Trace run_module(const std::vector<uint8_t>& wasm, Tier tier) {
  Trace t;
  EngineConfig cfg;
  cfg.tier = tier;
  Engine engine(cfg);
  Store store(engine);
  Linker linker(engine);
  auto m = Module::compile(
      engine, std::string_view(reinterpret_cast<const char*>(wasm.data()), wasm.size()));
  if (!m.ok()) {
    t.lines.push_back("compile: " + m.error().message);
    return t;
  }
  auto log = std::make_shared<std::vector<std::string>>();
  for (const ImportType& im : m->imports()) {
    if (im.type.kind != wasmrun::ExternKind::Func) {
      t.lines.push_back("unsupported import " + im.name);
      return t;
    }
    std::string name = im.name;
    wasmrun::Status s =
        linker.func(im.module, im.name, im.type.func,
                    [log, name](Caller&, std::span<const Value> args, std::span<Value> res) {
                      std::string line = "host " + name;
                      for (const Value& a : args) line += " " + bits_of(a);
                      log->push_back(line);
                      for (Value& r : res) r = Value::zero(r.type());
                      return wasmrun::Status{};
                    });
    if (!s.ok()) {
      t.lines.push_back("link: " + s.error().message);
      return t;
    }
  }
  auto inst = linker.instantiate(store, *m);
  if (!inst.ok()) {
    t.lines.push_back("instantiate: " + inst.error().message);
    return t;
  }
  if (tier == Tier::Baseline) t.fallbacks = wasmrun::jit::compile_all_for_testing(inst->get());
  auto hang_init = inst->func("hangLimitInitializer");
  auto mem = inst->memory("memory");
  for (const ExportType& e : m->exports()) {
    if (e.type.kind != wasmrun::ExternKind::Func || e.name == "hangLimitInitializer") continue;
    if (hang_init) (void)hang_init->call({});
    auto f = inst->func(e.name);
    std::vector<Value> args;
    for (const wasmrun::ValType& p : e.type.func.params) args.push_back(Value::zero(p));
    auto r = f->call(args);
    for (std::string& l : *log) t.lines.push_back(std::move(l));
    log->clear();
    std::string line = "call " + e.name + ":";
    if (r.ok()) {
      for (const Value& v : *r) line += " " + bits_of(v);
    } else {
      if (r.error().kind == ErrorKind::Exhaustion) {
        t.exhausted = true;
        t.lines.push_back(line + " stack exhausted");
        return t;
      }
      line += " trap " + r.error().message;
    }
    if (mem) {
      char buf[40];
      std::snprintf(buf, sizeof(buf), " mem %016llx",
                    static_cast<unsigned long long>(fnv(mem->data(), mem->size_bytes())));
      line += buf;
    }
    t.lines.push_back(line);
  }
  return t;
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

/// A random valid module from seed `seed` (empty if wasm-opt failed).
std::vector<uint8_t> generate(uint64_t seed, const std::string& dir) {
  std::mt19937_64 rng(seed);
  std::vector<uint8_t> bytes(1 + rng() % 8192);
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
  std::string in = dir + "/seed.bin", out = dir + "/fuzz.wasm";
  {
    std::ofstream f(in, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  }
  std::remove(out.c_str());
  std::string cmd = "wasm-opt -ttf " + in + " -o " + out + " " + kFeatures + " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) return {};
  return read_file(out);
}

uint64_t env_u64(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 10) : fallback;
}

TEST(FuzzDiff, InterpreterAndBaselineAgree) {
  if (std::system("wasm-opt --version >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "wasm-opt not installed";
  uint64_t count = env_u64("WASMRUN_FUZZ_COUNT", 300);
  uint64_t base = env_u64("WASMRUN_FUZZ_SEED", 20261125);
  const char* keep = std::getenv("WASMRUN_FUZZ_KEEP");
  char tmpl[] = "/tmp/wasmrun-fuzz-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  uint64_t modules = 0, divergences = 0, exhausted = 0, fallbacks = 0, calls = 0;
  for (uint64_t i = 0; i < count; ++i) {
    std::vector<uint8_t> wasm = generate(base + i, dir);
    if (wasm.empty()) continue;
    ++modules;
    Trace a = run_module(wasm, Tier::Interpreter);
    Trace b = run_module(wasm, Tier::Baseline);
    fallbacks += b.fallbacks;
    calls += a.lines.size();
    if (std::getenv("WASMRUN_FUZZ_VERBOSE"))
      for (const std::string& l : a.lines)
        std::printf("%llu: %s\n", static_cast<unsigned long long>(base + i), l.c_str());
    if (a.exhausted || b.exhausted) {
      // Stack limits differ between tiers (frames vs native stack): compare only
      // what both ran before the first exhaustion.
      ++exhausted;
      size_t n = std::min(a.lines.size(), b.lines.size());
      a.lines.resize(n - (n ? 1 : 0));
      b.lines.resize(n - (n ? 1 : 0));
    }
    if (a.lines != b.lines) {
      ++divergences;
      size_t k = 0;
      while (k < a.lines.size() && k < b.lines.size() && a.lines[k] == b.lines[k]) ++k;
      ADD_FAILURE() << "seed " << base + i << " diverges at line " << k
                    << ":\n  interp:   " << (k < a.lines.size() ? a.lines[k] : "<end>")
                    << "\n  baseline: " << (k < b.lines.size() ? b.lines[k] : "<end>");
      if (keep) {
        std::ofstream f(std::string(keep) + "/diverge-" + std::to_string(base + i) + ".wasm",
                        std::ios::binary);
        f.write(reinterpret_cast<const char*>(wasm.data()),
                static_cast<std::streamsize>(wasm.size()));
      }
    }
  }
  std::printf(
      "fuzz: %llu modules, %llu divergences (%llu observations, %llu stopped at stack "
      "exhaustion, %llu functions left to the interpreter)\n",
      static_cast<unsigned long long>(modules), static_cast<unsigned long long>(divergences),
      static_cast<unsigned long long>(calls), static_cast<unsigned long long>(exhausted),
      static_cast<unsigned long long>(fallbacks));
  EXPECT_GT(modules, count / 2);
  std::string rm = "rm -rf " + dir;
  (void)std::system(rm.c_str());
}

}  // namespace
