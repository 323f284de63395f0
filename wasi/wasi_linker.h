// The binding layer: WASI preview1 on top of the wasmrun runtime API.
//
// define_wasi() puts every wasi_snapshot_preview1 import into a Linker as host
// functions (array-call convention over api::Value) that read guest memory
// through the calling instance's exported "memory" and forward to the core in
// preview1.h. run_wasi_command() is `wasmrun run FILE.wasm ARGS...`: compile,
// link, run _start, and turn proc_exit / traps into a process exit status.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "wasi/ctx.h"
#include "wasmrun/wasmrun.h"

namespace wasmrun::wasi {

/// The import module names: WASI preview1, and the older snapshot it replaced
/// (same functions, three layouts differ; see unstable.h).
inline constexpr char kPreview1Module[] = "wasi_snapshot_preview1";
inline constexpr char kUnstableModule[] = "wasi_unstable";

/// Defines all wasi_snapshot_preview1 functions, and the same under wasi_unstable,
/// in `linker`, acting on `ctx`
/// (shared by every instance that links through this Linker). proc_exit, and
/// proc_raise of a fatal signal, end the guest with api::exit_error(code);
/// a function that needs memory traps when the caller exports no "memory".
Status define_wasi(api::Linker& linker, std::shared_ptr<WasiCtx> ctx);

/// What `wasmrun run` passes for a WASI command.
struct WasiCommand {
  std::string module_path;
  /// Guest arguments after argv[0]; argv[0] is the module path.
  std::vector<std::string> args;
  /// The complete guest environment, "KEY=VALUE" each (nothing is inherited).
  std::vector<std::string> env;
  /// --dir values: "HOST", "HOST::GUEST" or "HOST::GUEST:readonly".
  std::vector<std::string> dirs;
  /// Force the component-walker resolver (tests and kernels without openat2).
  bool force_component_resolver = false;
  /// Host fds behind the guest's stdin, stdout and stderr. Errors and traps are
  /// reported on `stderr_fd` too, after whatever the guest wrote there.
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;
  api::EngineConfig engine;
};

/// The WasiConfig a command describes (argv[0] = module path, parsed --dir
/// values). Fails with a Usage error naming a bad --dir value.
Result<WasiConfig> wasi_config_from(const WasiCommand& command);

/// Runs a WASI command module and returns its exit status: the proc_exit code,
/// 0 when _start returns, 134 after a trap (as a process killed by SIGABRT
/// reports), 1 when the module cannot be read, compiled or linked, 2 for a bad
/// --dir. Errors and traps (with their wasm backtrace) are printed on stderr.
int run_wasi_command(const WasiCommand& command);

}  // namespace wasmrun::wasi
