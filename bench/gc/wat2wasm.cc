// WAT -> wasm with wasmrun's own text parser (engine/text), for feeding the GC
// benchmarks to V8: the Debian wabt (1.0.32) and binaryen (108) predate the
// final GC encoding. Built by run_gc_bench.py against a build directory's
// static libraries.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine/text/wat.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s IN.wat OUT.wasm\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream ss;
  ss << in.rdbuf();
  auto bin = wasmrun::wat_to_wasm(ss.str());
  if (!bin.ok()) {
    std::fprintf(stderr, "%s: %s\n", argv[1], bin.error().to_string().c_str());
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary);
  out.write(reinterpret_cast<const char*>(bin->data()), static_cast<std::streamsize>(bin->size()));
  return out ? 0 : 1;
}
