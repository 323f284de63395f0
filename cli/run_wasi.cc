// The WASI side of `wasmrun run`: builds the guest's WASI context from the
// command line and runs commands through wasi/.
#include <cstdio>

#include "cli/commands.h"
#include "cli/run_options.h"
#include "wasi/wasi_linker.h"
#include "wasi/wasi_threads.h"

extern char** environ;

namespace wasmrun::cli {

namespace {

// The guest environment: exactly the --env values, after the host's when
// --inherit-env is given (so --env overrides).
std::vector<std::string> guest_env(const RunOptions& opts) {
  std::vector<std::string> env;
  if (opts.inherit_env) {
    for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
  }
  env.insert(env.end(), opts.env.begin(), opts.env.end());
  return env;
}

}  // namespace

Status define_wasi_if_imported(api::Linker& linker, api::Store&, const api::Module& module,
                               const RunOptions& opts) {
  bool imports_wasi = false;
  for (const api::ImportType& imp : module.imports()) {
    imports_wasi |= imp.module == wasi::kPreview1Module || imp.module == wasi::kUnstableModule;
  }
  if (!imports_wasi) return {};
  wasi::WasiConfig cfg;
  cfg.args.push_back(opts.file);
  cfg.args.insert(cfg.args.end(), opts.guest_args.begin(), opts.guest_args.end());
  cfg.env = guest_env(opts);
  for (const std::string& spec : opts.dirs) {
    auto dir = wasi::parse_dir_spec(spec);
    if (!dir) return std::move(dir).error();
    cfg.preopens.push_back(std::move(*dir));
  }
  auto ctx = wasi::WasiCtx::create(cfg);
  if (!ctx) return std::move(ctx).error();
  return wasi::define_wasi(linker, std::shared_ptr<wasi::WasiCtx>(std::move(*ctx)));
}

int run_wasi(const RunOptions& opts) {
  wasi::WasiCommand cmd;
  cmd.module_path = opts.file;
  cmd.args = opts.guest_args;
  cmd.env = guest_env(opts);
  cmd.dirs = opts.dirs;
  cmd.engine.tier = opts.tier;
  cmd.engine.gc_heap_limit = opts.gc_heap_limit;
  if (opts.wasi_threads) return wasi::run_wasi_threads_command(cmd);
  return wasi::run_wasi_command(cmd);
}

}  // namespace wasmrun::cli
