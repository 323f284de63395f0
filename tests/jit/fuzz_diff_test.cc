// Differential test: random valid modules from binaryen's translate-to-fuzz
// (wasm-opt -ttf, seeded deterministically) run on the interpreter and on the
// baseline tier. Every export is called with several argument sets; after each
// call the results (bit for bit, NaN payloads included) or the trap (kind,
// message, innermost function), every logged value, and the whole instance state
// (every memory, global and table) must agree.
//
// Bit-exact NaNs: the spec lets arithmetic NaN results be any arithmetic NaN, but
// the baseline tier promises the interpreter's exact bits (its float code goes
// through the same helpers), so any NaN difference is reported as a divergence.
//
// Module variants, picked by the seed's low bits: threads (shared memory,
// atomics) on odd seeds, `wasm-opt -O2` after generation when bit 1 is set,
// reference types when bits 2-3 are both set. Binaryen 108's reference-types
// output is pre-standard (funcref as a subtype of its anyref, encoded as
// externref; pre-standard GC type codes), so most of those modules fail our
// validation: such rejections are counted, not failures. Any other rejection
// of a module wasm-opt produced is a failure.
//
// The short fixed-seed run is a ctest. tests/jit/fuzz_long.sh N runs N modules
// (environment: WASMRUN_FUZZ_COUNT, WASMRUN_FUZZ_SEED, WASMRUN_FUZZ_KEEP=dir to
// keep the divergent modules; WASMRUN_FUZZ_FILE=x.wasm replays one module and
// prints both traces).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "engine/runtime/objects.h"
#include "jit/baseline/baseline.h"
#include "wasmrun/trap.h"
#include "wasmrun/wasmrun.h"

using namespace wasmrun::api;
namespace rt = wasmrun::rt;

namespace {

// Every feature binaryen 108 can generate in its standard encoding. Its -ttf
// emits no memory64 memories, relaxed SIMD, extended constants or try/throw
// (only tags) in practice; they are enabled so that it would.
constexpr const char* kFeatures =
    "--enable-simd --enable-bulk-memory --enable-tail-call --enable-multivalue "
    "--enable-sign-ext --enable-nontrapping-float-to-int --enable-mutable-globals "
    "--enable-exception-handling --enable-memory64 --enable-extended-const "
    "--enable-relaxed-simd";

/// How a seed's module is generated (see the file comment).
struct Variant {
  bool threads, optimize, reftypes;
};
Variant variant_of(uint64_t seed) {
  return {(seed & 1) != 0, (seed & 2) != 0, ((seed >> 2) & 3) == 3};
}

/// Argument sets per export: zeros, then random values biased to edge cases.
constexpr int kArgSets = 3;

/// Everything observable about one run of a module, as text lines.
struct Trace {
  std::vector<std::string> lines;
  bool exhausted = false;  ///< a call ran out of stack: tiers may legitimately differ after it
  std::string rejected;    ///< the module failed to compile, link or load: why
  uint32_t fallbacks = 0;
  uint32_t calls = 0;
};

/// A reference as text: null, the defining instance's function index, or "ref".
std::string ref_text(uint64_t raw, const rt::InstanceInst* inst) {
  if (!raw) return "null";
  for (size_t i = 0; i < inst->funcs.size(); ++i)
    if (reinterpret_cast<uint64_t>(inst->funcs[i]) == raw) return "func" + std::to_string(i);
  return "ref";
}

std::string bits_of(wasmrun::ValKind kind, const uint64_t* raw, const rt::InstanceInst* inst) {
  char buf[64];
  switch (kind) {
    case wasmrun::ValKind::V128:
      std::snprintf(buf, sizeof(buf), "%016llx%016llx", static_cast<unsigned long long>(raw[1]),
                    static_cast<unsigned long long>(raw[0]));
      return buf;
    case wasmrun::ValKind::Ref: return ref_text(raw[0], inst);
    case wasmrun::ValKind::I32:
    case wasmrun::ValKind::F32:
      std::snprintf(buf, sizeof(buf), "%08x", static_cast<unsigned>(raw[0]));
      return buf;
    default:
      std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(raw[0]));
      return buf;
  }
}

std::string bits_of(const Value& v, const rt::InstanceInst* inst) {
  uint64_t raw[2] = {0, 0};
  v.to_raw(raw);
  return bits_of(v.type().kind, raw, inst);
}

/// A 64-bit hash of a byte range: four independent lanes, so that hashing a
/// few MiB per call stays cheap.
uint64_t hash_bytes(const uint8_t* p, size_t n) {
  uint64_t h[4] = {1469598103934665603ull ^ n, 0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full,
                   0x165667b19e3779f9ull};
  size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int k = 0; k < 4; ++k) {
      uint64_t w;
      std::memcpy(&w, p + i + 8 * k, 8);
      h[k] = (h[k] ^ w) * 0x100000001b3ull;
      h[k] ^= h[k] >> 29;
    }
  for (; i < n; ++i) h[0] = (h[0] ^ p[i]) * 1099511628211ull;
  return h[0] ^ (h[1] * 3) ^ (h[2] * 5) ^ (h[3] * 7);
}

/// Memory contents as of the previous observation: most calls change no memory,
/// and a memcmp against the copy is much cheaper than hashing again.
struct MemorySnapshot {
  std::vector<uint8_t> bytes;
  uint64_t hash = 0;
};

/// Every memory, global and table of the instance, as one line.
std::string state_of(const rt::InstanceInst* inst, std::vector<MemorySnapshot>& snaps) {
  std::string s;
  char buf[64];
  snaps.resize(inst->memories.size());
  for (size_t i = 0; i < inst->memories.size(); ++i) {
    const rt::MemoryInst* mem = inst->memories[i];
    MemorySnapshot& snap = snaps[i];
    if (snap.bytes.size() != mem->size ||
        (mem->size && std::memcmp(snap.bytes.data(), mem->base, mem->size) != 0)) {
      snap.bytes.assign(mem->base, mem->base + mem->size);
      snap.hash = hash_bytes(mem->base, mem->size);
    }
    std::snprintf(buf, sizeof(buf), " mem %llu:%016llx", static_cast<unsigned long long>(mem->size),
                  static_cast<unsigned long long>(snap.hash));
    s += buf;
  }
  for (const rt::GlobalInst* g : inst->globals)
    s += " g " + bits_of(g->type.type.kind, g->value, inst);
  for (const rt::TableInst* t : inst->tables) {
    s += " table " + std::to_string(t->size) + ":";
    for (uint64_t i = 0; i < t->size; ++i) s += " " + ref_text(t->data[i], inst);
  }
  return s;
}

/// Argument set `set` for a function with `params`: zeros for set 0, then
/// values drawn from edge cases and random bits (references are null).
std::vector<Value> args_for(const std::vector<wasmrun::ValType>& params, int set, uint64_t seed) {
  std::vector<Value> args;
  std::mt19937_64 rng(seed * 31 + static_cast<uint64_t>(set));
  static constexpr uint32_t kF32[] = {0x00000000, 0x80000000, 0x3f800000, 0xbf800000,
                                      0x7fc00000, 0xffc00000, 0x7fa00001, 0x7f800000,
                                      0xff800000, 0x00000001, 0x4f000000, 0xcf000000};
  static constexpr uint64_t kF64[] = {0,
                                      0x8000000000000000ull,
                                      0x3ff0000000000000ull,
                                      0xbff0000000000000ull,
                                      0x7ff8000000000000ull,
                                      0xfff8000000000000ull,
                                      0x7ff4000000000001ull,
                                      0x7ff0000000000000ull,
                                      0xfff0000000000000ull,
                                      1,
                                      0x41e0000000000000ull,
                                      0xc3e0000000000000ull};
  static constexpr uint64_t kInt[] = {0,
                                      1,
                                      ~0ull,
                                      0x80000000ull,
                                      0x7fffffff,
                                      0xffff,
                                      0x10000,
                                      0x8000000000000000ull,
                                      0x7fffffffffffffffull,
                                      0xffffffffull};
  for (const wasmrun::ValType& p : params) {
    if (set == 0 || p.is_ref()) {
      args.push_back(Value::zero(p));
      continue;
    }
    bool edge = rng() % 2 == 0;
    uint64_t r = rng();
    switch (p.kind) {
      case wasmrun::ValKind::I32:
        args.push_back(Value::i32(static_cast<int32_t>(edge ? kInt[r % std::size(kInt)] : r)));
        break;
      case wasmrun::ValKind::I64:
        args.push_back(Value::i64(static_cast<int64_t>(edge ? kInt[r % std::size(kInt)] : r)));
        break;
      case wasmrun::ValKind::F32:
        args.push_back(
            Value::f32_bits(edge ? kF32[r % std::size(kF32)] : static_cast<uint32_t>(r)));
        break;
      case wasmrun::ValKind::F64:
        args.push_back(Value::f64_bits(edge ? kF64[r % std::size(kF64)] : r));
        break;
      case wasmrun::ValKind::V128: {
        V128 v;
        uint64_t hi = rng();
        std::memcpy(v.bytes, &r, 8);
        std::memcpy(v.bytes + 8, &hi, 8);
        args.push_back(Value::v128(v));
        break;
      }
      default: args.push_back(Value::zero(p));
    }
  }
  return args;
}

Trace run_module(const std::vector<uint8_t>& wasm, Tier tier, uint64_t seed) {
  Trace t;
  EngineConfig cfg;
  cfg.tier = tier;
  Engine engine(cfg);
  Store store(engine);
  Linker linker(engine);
  auto m = Module::compile(engine, std::span<const uint8_t>(wasm.data(), wasm.size()));
  if (!m.ok()) {
    t.rejected = "compile: " + m.error().message;
    return t;
  }
  auto log = std::make_shared<std::vector<std::string>>();
  for (const ImportType& im : m->imports()) {
    if (im.type.kind != wasmrun::ExternKind::Func) {
      t.rejected = "unsupported import " + im.module + "." + im.name;
      return t;
    }
    std::string name = im.name;
    wasmrun::Status s =
        linker.func(im.module, im.name, im.type.func,
                    [log, name](Caller& c, std::span<const Value> args, std::span<Value> res) {
                      std::string line = "host " + name;
                      for (const Value& a : args) line += " " + bits_of(a, c.instance().get());
                      log->push_back(line);
                      for (Value& r : res) r = Value::zero(r.type());
                      return wasmrun::Status{};
                    });
    if (!s.ok()) {
      t.rejected = "link: " + s.error().message;
      return t;
    }
  }
  auto inst = linker.instantiate(store, *m);
  if (!inst.ok()) {
    // A start function or segment may trap: an observation like any other.
    t.lines.push_back("instantiate: " + inst.error().message);
    return t;
  }
  const rt::InstanceInst* ii = inst->get();
  if (tier == Tier::Baseline) t.fallbacks = wasmrun::jit::compile_all_for_testing(inst->get());
  std::vector<MemorySnapshot> snaps;
  t.lines.push_back("start:" + state_of(ii, snaps));
  auto hang_init = inst->func("hangLimitInitializer");
  uint64_t export_index = 0;
  for (const ExportType& e : m->exports()) {
    ++export_index;
    if (e.type.kind != wasmrun::ExternKind::Func || e.name == "hangLimitInitializer") continue;
    auto f = inst->func(e.name);
    for (int set = 0; set < kArgSets; ++set) {
      if (set > 0 && e.type.func.params.empty()) break;
      if (hang_init) (void)hang_init->call({});
      std::vector<Value> args = args_for(e.type.func.params, set, seed * 1000 + export_index);
      auto r = f->call(args);
      ++t.calls;
      for (std::string& l : *log) t.lines.push_back(std::move(l));
      log->clear();
      std::string line = "call " + e.name + "#" + std::to_string(set) + ":";
      if (r.ok()) {
        for (const Value& v : *r) line += " " + bits_of(v, ii);
      } else {
        const wasmrun::Error& err = r.error();
        if (err.kind == ErrorKind::Exhaustion) {
          t.exhausted = true;
          t.lines.push_back(line + " stack exhausted");
          return t;
        }
        line += " trap(" + std::to_string(static_cast<int>(err.kind)) + ") " + err.message;
        if (err.trap && !err.trap->backtrace.empty())
          line += " in func " + std::to_string(err.trap->backtrace.front().func_index);
      }
      t.lines.push_back(line + state_of(ii, snaps));
    }
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
  Variant v = variant_of(seed);
  // posix_spawn, not system(): no shell per module (wasm-opt's own start-up,
  // mostly dynamic linking, already costs as much as running the module).
  std::vector<std::string> argv = {"wasm-opt", "-ttf", in, "-o", out};
  std::istringstream features(kFeatures);
  for (std::string f; features >> f;) argv.push_back(f);
  if (v.threads) argv.push_back("--enable-threads");
  if (v.reftypes) argv.push_back("--enable-reference-types");
  if (v.optimize) argv.push_back("-O2");
  std::vector<char*> cargv;
  for (std::string& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  int rc = posix_spawnp(&pid, "wasm-opt", &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return {};
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
  return read_file(out);
}

uint64_t env_u64(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 10) : fallback;
}

void print_trace(const char* tier, const Trace& t) {
  if (!t.rejected.empty()) std::printf("%s: rejected: %s\n", tier, t.rejected.c_str());
  for (const std::string& l : t.lines) std::printf("%s: %s\n", tier, l.c_str());
}

/// Compares the two traces of one module; false (and a test failure) if they differ.
bool agree(uint64_t seed, Trace& a, Trace& b) {
  if (a.exhausted || b.exhausted) {
    // Stack limits differ between tiers (frames vs native stack): compare only
    // what both ran before the first exhaustion.
    size_t n = std::min(a.lines.size(), b.lines.size());
    a.lines.resize(n - (n ? 1 : 0));
    b.lines.resize(n - (n ? 1 : 0));
  }
  if (a.lines == b.lines && a.rejected == b.rejected) return true;
  size_t k = 0;
  while (k < a.lines.size() && k < b.lines.size() && a.lines[k] == b.lines[k]) ++k;
  ADD_FAILURE() << "seed " << seed << " diverges at line " << k
                << ":\n  interp:   " << (k < a.lines.size() ? a.lines[k] : a.rejected)
                << "\n  baseline: " << (k < b.lines.size() ? b.lines[k] : b.rejected);
  return false;
}

void keep_module(const char* keep, const std::string& what, uint64_t seed,
                 const std::vector<uint8_t>& wasm) {
  if (!keep) return;
  std::ofstream f(std::string(keep) + "/" + what + "-" + std::to_string(seed) + ".wasm",
                  std::ios::binary);
  f.write(reinterpret_cast<const char*>(wasm.data()), static_cast<std::streamsize>(wasm.size()));
}

TEST(FuzzDiff, InterpreterAndBaselineAgree) {
  if (const char* file = std::getenv("WASMRUN_FUZZ_FILE")) {
    std::vector<uint8_t> wasm = read_file(file);
    uint64_t seed = env_u64("WASMRUN_FUZZ_SEED", 0);
    Trace a = run_module(wasm, Tier::Interpreter, seed);
    Trace b = run_module(wasm, Tier::Baseline, seed);
    print_trace("interp", a);
    print_trace("baseline", b);
    agree(seed, a, b);
    return;
  }
  if (std::system("wasm-opt --version >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "wasm-opt not installed";
  uint64_t count = env_u64("WASMRUN_FUZZ_COUNT", 300);
  uint64_t base = env_u64("WASMRUN_FUZZ_SEED", 20261125);
  const char* keep = std::getenv("WASMRUN_FUZZ_KEEP");
  char tmpl[] = "/tmp/wasmrun-fuzz-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  uint64_t modules = 0, divergences = 0, rejected = 0, nonstandard = 0, exhausted = 0,
           fallbacks = 0, calls = 0, generate_failed = 0;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t seed = base + i;
    std::vector<uint8_t> wasm = generate(seed, dir);
    if (wasm.empty()) {
      ++generate_failed;
      continue;
    }
    Trace a = run_module(wasm, Tier::Interpreter, seed);
    if (!a.rejected.empty()) {
      if (variant_of(seed).reftypes && a.rejected.starts_with("compile: ")) {
        ++nonstandard;  // binaryen 108's pre-standard reference types (file comment)
        continue;
      }
      ++rejected;
      ADD_FAILURE() << "seed " << seed << ": module from wasm-opt rejected: " << a.rejected;
      keep_module(keep, "rejected", seed, wasm);
      continue;
    }
    ++modules;
    Trace b = run_module(wasm, Tier::Baseline, seed);
    fallbacks += b.fallbacks;
    calls += a.calls;
    if (a.exhausted || b.exhausted) ++exhausted;
    if (std::getenv("WASMRUN_FUZZ_VERBOSE"))
      for (const std::string& l : a.lines)
        std::printf("%llu: %s\n", static_cast<unsigned long long>(seed), l.c_str());
    if (!agree(seed, a, b)) {
      ++divergences;
      keep_module(keep, "diverge", seed, wasm);
    }
  }
  std::printf(
      "fuzz: %llu modules, %llu divergences, %llu rejected (seeds %llu..%llu; %llu calls, "
      "%llu stopped at stack exhaustion, %llu functions left to the interpreter, %llu "
      "pre-standard reference-types modules skipped, %llu wasm-opt failures)\n",
      static_cast<unsigned long long>(modules), static_cast<unsigned long long>(divergences),
      static_cast<unsigned long long>(rejected), static_cast<unsigned long long>(base),
      static_cast<unsigned long long>(base + count - 1), static_cast<unsigned long long>(calls),
      static_cast<unsigned long long>(exhausted), static_cast<unsigned long long>(fallbacks),
      static_cast<unsigned long long>(nonstandard),
      static_cast<unsigned long long>(generate_failed));
  EXPECT_GT(modules, count / 2);
  std::string rm = "rm -rf " + dir;
  (void)std::system(rm.c_str());
}

}  // namespace
