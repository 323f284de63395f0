// Options of `wasmrun run`, shared by the --invoke path and the WASI command path.
#pragma once

#include <string>
#include <vector>

#include "wasmrun/wasmrun.h"

namespace wasmrun::cli {

struct RunOptions {
  std::string file;
  std::string invoke;             ///< export to call; empty = run as a WASI command
  std::vector<std::string> dirs;  ///< --dir HOST[::GUEST][:readonly]
  std::vector<std::string> env;   ///< --env K=V
  bool inherit_env = false;
  bool wasi_threads = false;  ///< -S threads: the wasi.thread-spawn import
  api::Tier tier = api::Tier::Baseline;
  uint64_t gc_heap_limit = api::EngineConfig{}.gc_heap_limit;  ///< --gc-heap-limit
  std::vector<std::string> guest_args;  ///< everything after the module
};

/// Defines the WASI imports in `linker` when `module` imports any of them.
Status define_wasi_if_imported(api::Linker& linker, api::Store& store, const api::Module& module,
                               const RunOptions& opts);

/// Runs the module as a WASI command; returns the process exit status.
int run_wasi(const RunOptions& opts);

}  // namespace wasmrun::cli
