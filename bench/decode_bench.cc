// Decode and validate throughput on a real multi-megabyte module, for wasmrun and,
// in the same run, for wabt (libwabt). bench/run_decode.py adds V8 (node) and
// prints the ratios.
//
//   bench_decode [benchmark flags] MODULE.wasm      (or WASMRUN_BENCH_MODULE=...)
//
// Every iteration checks that the module was accepted: a decoder that fails
// reports an error and makes the program exit non-zero instead of timing a
// fast rejection.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/decode/decoder.h"
#include "engine/validate/validator.h"

#ifdef WASMRUN_BENCH_HAVE_WABT
#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader.h"
#include "wabt/ir.h"
#include "wabt/validator.h"
#endif

namespace {

std::vector<uint8_t> g_bytes;
bool g_failed = false;

void fail(benchmark::State& state, const std::string& what) {
  g_failed = true;
  state.SkipWithError(what.c_str());
}

// decode_module takes ownership of its input, so each iteration needs a fresh
// copy; copying 10+ MB is not decoding, so it is kept out of the timed region.
std::vector<uint8_t> fresh_copy(benchmark::State& state) {
  state.PauseTiming();
  std::vector<uint8_t> copy = g_bytes;
  state.ResumeTiming();
  return copy;
}

void BM_WasmrunDecode(benchmark::State& state) {
  for (auto _ : state) {
    auto module = wasmrun::decode_module(fresh_copy(state));
    if (!module.ok()) return fail(state, "wasmrun decode: " + module.error().to_string());
    benchmark::DoNotOptimize(module.value().get());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes.size()));
}

void BM_WasmrunDecodeValidate(benchmark::State& state) {
  for (auto _ : state) {
    auto module = wasmrun::decode_module(fresh_copy(state));
    if (!module.ok()) return fail(state, "wasmrun decode: " + module.error().to_string());
    auto validated = wasmrun::validate_module(std::move(module).value());
    if (!validated.ok()) return fail(state, "wasmrun validate: " + validated.error().to_string());
    benchmark::DoNotOptimize(validated.value().get());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes.size()));
}

#ifdef WASMRUN_BENCH_HAVE_WABT
wabt::Features wabt_features() {
  wabt::Features features;
  features.EnableAll();
  return features;
}

// wabt's reader builds its full IR (an expression list per function), which is
// the decode work wasmrun splits between its decoder and its validator; compare
// decode+validate columns for like with like.
bool wabt_read(benchmark::State& state, wabt::Module* module) {
  wabt::Errors errors;
  wabt::ReadBinaryOptions options(wabt_features(), nullptr, /*read_debug_names=*/false,
                                  /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(
          wabt::ReadBinaryIr("module", g_bytes.data(), g_bytes.size(), options, &errors, module))) {
    fail(state, "wabt read: " + (errors.empty() ? std::string("failed") : errors[0].message));
    return false;
  }
  return true;
}

void BM_WabtRead(benchmark::State& state) {
  for (auto _ : state) {
    wabt::Module module;
    if (!wabt_read(state, &module)) return;
    benchmark::DoNotOptimize(&module);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes.size()));
}

void BM_WabtReadValidate(benchmark::State& state) {
  for (auto _ : state) {
    wabt::Module module;
    if (!wabt_read(state, &module)) return;
    wabt::Errors errors;
    if (wabt::Failed(
            wabt::ValidateModule(&module, &errors, wabt::ValidateOptions(wabt_features())))) {
      return fail(state,
                  "wabt validate: " + (errors.empty() ? std::string("failed") : errors[0].message));
    }
    benchmark::DoNotOptimize(&module);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes.size()));
}
#endif

}  // namespace

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  // Keep freed memory in the process. By default glibc hands big blocks back to
  // the kernel, and whether a benchmark's iterations then pay for fresh page
  // faults depended on allocation order, not on the decoder: wabt's read alone
  // measured slower than read+validate. An embedder decoding many modules has a
  // warm heap; so do these loops.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, -1);
#endif
  benchmark::Initialize(&argc, argv);
  // Whatever Google Benchmark did not consume is ours: the module path.
  std::string path;
  if (argc > 1) {
    path = argv[1];
  } else if (const char* env = std::getenv("WASMRUN_BENCH_MODULE")) {
    path = env;
  }
  if (path.empty()) {
    std::fprintf(stderr,
                 "bench_decode: no module given.\n"
                 "  Pass MODULE.wasm as an argument or set WASMRUN_BENCH_MODULE.\n"
                 "  bench/fetch_modules.sh downloads a multi-megabyte module from npm.\n");
    return 2;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "bench_decode: cannot read %s\n", path.c_str());
    return 2;
  }
  g_bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  std::fprintf(stderr, "bench_decode: %s, %zu bytes\n", path.c_str(), g_bytes.size());

  benchmark::AddCustomContext("module", path);
  benchmark::AddCustomContext("module_bytes", std::to_string(g_bytes.size()));
  // Each iteration takes milliseconds to seconds. Real time, not CPU time, so the
  // numbers compare with V8's, which node times by wall clock.
  benchmark::RegisterBenchmark("wasmrun/decode", BM_WasmrunDecode)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("wasmrun/decode+validate", BM_WasmrunDecodeValidate)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
#ifdef WASMRUN_BENCH_HAVE_WABT
  benchmark::RegisterBenchmark("wabt/read", BM_WabtRead)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("wabt/read+validate", BM_WabtReadValidate)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
#endif
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_failed) {
    std::fprintf(stderr,
                 "bench_decode: FAILED: a decoder rejected the module (see errors above)\n");
    return 1;
  }
  return 0;
}
