// Baseline compile throughput: MB/s of code section compiled to x86-64, on real
// modules (bench/fetch_modules.sh puts esbuild and swc in
// /tmp/wasmrun-bench-cache/; WASMRUN_BENCH_MODULES=path,... overrides) and on the
// benchmark kernels. Code is generated and laid out but not installed, so
// iterations do not fill the code arena.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/runtime/objects.h"
#include "jit/baseline/compiler.h"
#include "wasmrun/wasmrun.h"

namespace {

using namespace wasmrun;

std::vector<std::string> module_paths() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("WASMRUN_BENCH_MODULES")) {
    std::stringstream ss(env);
    std::string p;
    while (std::getline(ss, p, ','))
      if (!p.empty()) out.push_back(p);
    return out;
  }
  for (const char* p :
       {"/tmp/wasmrun-bench-cache/esbuild-0.24.0.wasm", "/tmp/wasmrun-bench-cache/swc-1.7.0.wasm"})
    if (std::filesystem::exists(p)) out.push_back(p);
  return out;
}

void compile_module(benchmark::State& state, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  api::Engine engine;
  auto m = api::Module::compile(engine, bytes);
  if (!m.ok()) {
    state.SkipWithError(m.error().message.c_str());
    return;
  }
  const rt::CompiledModule& cm = *m->impl();
  uint64_t code_bytes = 0;
  for (const FunctionBody& b : cm.m().bodies) code_bytes += b.code.size;
  uint64_t fallbacks = 0, machine = 0;
  for (auto _ : state) {
    fallbacks = machine = 0;
    for (uint32_t i = 0; i < cm.m().bodies.size(); ++i) {
      auto r = jit::compile_function(cm, i, nullptr, /*install=*/false);
      if (r.ok())
        machine += r->code_bytes;
      else
        ++fallbacks;
    }
    benchmark::DoNotOptimize(machine);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * code_bytes));
  state.counters["functions"] = static_cast<double>(cm.m().bodies.size());
  state.counters["declined"] = static_cast<double>(fallbacks);
  state.counters["x86_bytes_per_wasm_byte"] = static_cast<double>(machine) / code_bytes;
}

// The whole job V8 does in `new WebAssembly.Module` with Liftoff and eager
// compilation (bench/run_jit_compile.py's peer): decode, validate and compile
// every function, from the module's bytes.
void decode_validate_compile(benchmark::State& state, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  api::Engine engine;
  uint64_t code_bytes = 0, fallbacks = 0;
  for (auto _ : state) {
    auto m = api::Module::compile(engine, bytes);
    if (!m.ok()) {
      state.SkipWithError(m.error().message.c_str());
      return;
    }
    const rt::CompiledModule& cm = *m->impl();
    code_bytes = fallbacks = 0;
    for (uint32_t i = 0; i < cm.m().bodies.size(); ++i) {
      code_bytes += cm.m().bodies[i].code.size;
      auto r = jit::compile_function(cm, i, nullptr, /*install=*/false);
      if (!r.ok()) ++fallbacks;
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * code_bytes));
  state.counters["declined"] = static_cast<double>(fallbacks);
}

const bool registered = [] {
  for (const std::string& p : module_paths()) {
    std::string name = std::filesystem::path(p).filename().string();
    benchmark::RegisterBenchmark(("BaselineCompile/" + name).c_str(),
                                 [p](benchmark::State& s) { compile_module(s, p); })
        ->Unit(benchmark::kMillisecond)
        ->MinTime(2.0);
    benchmark::RegisterBenchmark(("DecodeValidateCompile/" + name).c_str(),
                                 [p](benchmark::State& s) { decode_validate_compile(s, p); })
        ->Unit(benchmark::kMillisecond)
        ->MinTime(2.0);
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
