// WastSession: the runtime side of a WAST script — a store with the `spectest`
// host module, the named and latest instances, registered import names, and the
// execution of actions and runtime assertions.
#pragma once

#include <memory>
#include <string>

#include "engine/text/wast.h"
#include "wasmrun/wasmrun.h"

namespace wasmrun::cli {

class WastSession {
 public:
  WastSession(api::Tier tier, uint64_t gc_heap_limit);
  ~WastSession();
  WastSession(const WastSession&) = delete;
  WastSession& operator=(const WastSession&) = delete;

  /// Executes one command (module, register, action or runtime assertion).
  /// Returns an empty string on success, else a description of what differed.
  std::string execute(const WastCommand& cmd);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wasmrun::cli
