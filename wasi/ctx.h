// WasiCtx: everything one WASI program instance can see of the host.
//
// The context is the whole capability set of the guest: its arguments, its
// environment (exactly what the embedder passes, nothing inherited), its stdio,
// the directories it was given (preopens, optionally read-only) and the fds it
// opened beneath them. It does not depend on the wasm runtime; the functions in
// preview1.h act on it through a GuestMemory view.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wasi/fd_table.h"
#include "wasi/path_resolve.h"
#include "wasmrun/result.h"

namespace wasmrun::wasi {

/// A host directory made visible to the guest under `guest_path`.
struct PreopenDir {
  std::string host_path;
  std::string guest_path;
  bool readonly = false;
};

/// Parses a CLI --dir value: "HOST", "HOST::GUEST" or "HOST::GUEST:readonly".
Result<PreopenDir> parse_dir_spec(const std::string& spec);

struct WasiConfig {
  std::vector<std::string> args;  ///< argv, argv[0] included
  std::vector<std::string> env;   ///< "KEY=VALUE" entries, the complete environment
  std::vector<PreopenDir> preopens;
  /// Host fds that back the guest's fds 0, 1 and 2 (duplicated, never closed).
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;
  /// Already-listening host sockets handed to the guest after the preopens
  /// (duplicated); the guest may sock_accept on them.
  std::vector<int> listen_sockets;
  /// Auto: openat2 when the kernel has it, unless the environment variable
  /// WASMRUN_WASI_RESOLVER says "components" (or "openat2").
  ResolveMode resolve_mode = ResolveMode::Auto;
};

class WasiCtx {
 public:
  /// Builds a context: duplicates stdio, opens each preopen directory. Fails with
  /// an Io error naming the directory that cannot be opened.
  static Result<std::unique_ptr<WasiCtx>> create(const WasiConfig& config);

  const std::vector<std::string>& args() const { return args_; }
  const std::vector<std::string>& env() const { return env_; }
  FdTable& fds() { return fds_; }
  ResolveMode resolve_mode() const { return resolve_mode_; }

  /// Set by proc_exit (and by proc_raise of a fatal signal): the guest asked to
  /// end with this status. The binding layer then unwinds the guest.
  void request_exit(uint32_t code) { exit_code_ = code; }
  std::optional<uint32_t> exit_code() const { return exit_code_; }

 private:
  WasiCtx() = default;

  std::vector<std::string> args_;
  std::vector<std::string> env_;
  FdTable fds_;
  ResolveMode resolve_mode_ = ResolveMode::Auto;
  std::optional<uint32_t> exit_code_;
};

/// The WASI file type of a host stat mode.
FileType filetype_from_mode(uint32_t st_mode) noexcept;

}  // namespace wasmrun::wasi
