// The set of WebAssembly features an Engine accepts. Features are data checked by
// the decoder and validator, never preprocessor branches (see docs/engine.md).
#pragma once

namespace wasmrun {

struct Features {
  bool simd = true;
  bool relaxed_simd = true;
  bool threads = true;
  bool exceptions = true;         ///< exnref (try_table, throw_ref)
  bool legacy_exceptions = true;  ///< try/catch/delegate/rethrow
  bool gc = true;                 ///< also typed function references
  bool tail_call = true;
  bool memory64 = true;
  bool multi_memory = true;
  bool extended_const = true;

  static Features all() { return Features{}; }
};

}  // namespace wasmrun
