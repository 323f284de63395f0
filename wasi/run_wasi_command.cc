// run_wasi_command: `wasmrun run FILE.wasm ARGS...` for WASI commands.
#include <stdio.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "wasi/wasi_linker.h"

namespace wasmrun::wasi {
namespace {

// The exit status of a trapped command: 128 + SIGABRT, what a shell reports for
// a process that aborted (and what Wasmtime returns on Unix).
constexpr int kTrapStatus = 134;

void print_error(int err, const std::string& path, const Error& e) {
  if (e.kind == ErrorKind::Trap || e.kind == ErrorKind::Exhaustion) {
    dprintf(err, "wasmrun: %s: trap: %s\n", path.c_str(), e.message.c_str());
    if (e.trap) {
      std::string bt = e.trap->backtrace_string();
      if (!bt.empty()) dprintf(err, "wasm backtrace:\n%s\n", bt.c_str());
    }
  } else {
    dprintf(err, "wasmrun: %s: %s error: %s\n", path.c_str(), error_kind_name(e.kind),
            e.to_string().c_str());
  }
}

// The status for an error that ended the guest.
int status_of(int err, const std::string& path, const Error& e) {
  if (e.kind == ErrorKind::Exit) return e.exit_code;
  print_error(err, path, e);
  return (e.kind == ErrorKind::Trap || e.kind == ErrorKind::Exhaustion ||
          e.kind == ErrorKind::Exception)
             ? kTrapStatus
             : 1;
}

}  // namespace

Result<WasiConfig> wasi_config_from(const WasiCommand& cmd) {
  WasiConfig cfg;
  cfg.args.push_back(cmd.module_path);
  cfg.args.insert(cfg.args.end(), cmd.args.begin(), cmd.args.end());
  cfg.env = cmd.env;
  cfg.stdin_fd = cmd.stdin_fd;
  cfg.stdout_fd = cmd.stdout_fd;
  cfg.stderr_fd = cmd.stderr_fd;
  cfg.resolve_mode = cmd.force_component_resolver ? ResolveMode::Components : ResolveMode::Auto;
  for (const std::string& spec : cmd.dirs) {
    Result<PreopenDir> d = parse_dir_spec(spec);
    if (!d.ok()) return std::move(d).error();
    cfg.preopens.push_back(std::move(d.value()));
  }
  return cfg;
}

int run_wasi_command(const WasiCommand& cmd) {
  const int err = cmd.stderr_fd;
  Result<WasiConfig> cfg = wasi_config_from(cmd);
  if (!cfg.ok()) {
    dprintf(err, "wasmrun: %s\n", cfg.error().message.c_str());
    return 2;
  }
  Result<std::unique_ptr<WasiCtx>> ctx = WasiCtx::create(*cfg);
  if (!ctx.ok()) {
    dprintf(err, "wasmrun: %s\n", ctx.error().message.c_str());
    return 2;
  }
  std::shared_ptr<WasiCtx> shared(std::move(ctx.value()));

  std::ifstream in(cmd.module_path, std::ios::binary);
  if (!in) {
    dprintf(err, "wasmrun: cannot read %s\n", cmd.module_path.c_str());
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());

  api::Engine engine(cmd.engine);
  Result<api::Module> module = api::Module::compile(engine, std::span<const uint8_t>(bytes));
  if (!module.ok()) return status_of(err, cmd.module_path, module.error());
  api::Store store(engine);
  api::Linker linker(engine);
  if (Status s = define_wasi(linker, shared); !s.ok())
    return status_of(err, cmd.module_path, s.error());
  // A start function may already call proc_exit.
  Result<api::Instance> instance = linker.instantiate(store, *module);
  if (!instance.ok()) return status_of(err, cmd.module_path, instance.error());
  std::optional<api::Func> start = instance->func("_start");
  if (!start) {
    dprintf(err, "wasmrun: %s: not a WASI command (no _start export)\n", cmd.module_path.c_str());
    return 1;
  }
  Result<std::vector<api::Value>> r = start->call({});
  if (!r.ok()) return status_of(err, cmd.module_path, r.error());
  return 0;
}

}  // namespace wasmrun::wasi
