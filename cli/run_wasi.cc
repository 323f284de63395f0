// The WASI side of `wasmrun run`: wires wasi/ into the linker.
#include <cstdio>

#include "cli/commands.h"
#include "cli/run_options.h"

namespace wasmrun::cli {

Status define_wasi_if_imported(api::Linker&, api::Store&, const api::Module& module,
                               const RunOptions&) {
  for (const api::ImportType& imp : module.imports()) {
    if (imp.module == "wasi_snapshot_preview1" || imp.module == "wasi_unstable") {
      return Error(ErrorKind::Unsupported, "WASI is not available in this build yet");
    }
  }
  return {};
}

int run_wasi(const RunOptions& opts) {
  std::fprintf(stderr, "error: %s: running WASI commands is not available yet; use --invoke\n",
               opts.file.c_str());
  return 1;
}

}  // namespace wasmrun::cli
