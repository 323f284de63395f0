// The interpreter's lowered code: what a wasm function becomes at its first call.
//
// Code is a stream of 32-bit words. Each instruction is a 64-bit handler address
// (two words, read unaligned) followed by its operands: frame slot indices,
// decoded immediates and branch offsets. Register-style: every wasm operand-stack
// position is a fixed frame slot, so `i32.add` is `fp[c] = fp[a] + fp[b]` with a, b,
// c resolved at lowering time, and `local.get` usually costs nothing (the consumer
// reads the local's slot directly).
//
// Frame layout (slots of 8 bytes; a v128 takes two adjacent slots):
//   [0, num_param_slots)               parameters (the caller's argument slots)
//   [num_param_slots, num_local_slots) declared locals (zeroed on entry), then the
//                                      constant pool (see Code::init)
//   [num_local_slots, frame_slots)     operand stack positions
// Results are returned in slots [0, result slots) of the callee's frame, which are
// the caller's argument slots: a call needs no copying of arguments or results.
#pragma once

#include <cstdint>
#include <vector>

#include "gc/stack_map.h"

namespace wasmrun {
struct Module;
}

namespace wasmrun::interp {

/// One catch clause of an exception handler region (docs/exceptions.md).
struct ExnCatch {
  enum Kind : uint8_t { Catch, CatchRef, CatchAll, CatchAllRef };
  Kind kind = Catch;
  uint32_t tag = 0;     ///< tag index in the module (Catch, CatchRef)
  uint32_t dst = 0;     ///< first slot receiving the payload, then the exnref (..Ref)
  uint32_t target = 0;  ///< word index the handler continues at
};

/// A try_table body or a legacy try body: the words [start, end) it protects.
/// Regions are stored in bytecode order of their `try`, so among the regions
/// covering a position the innermost has the highest index.
struct ExnRegion {
  uint32_t start = 0, end = 0;
  /// Region consulted when no clause matches (-1: the caller). For a legacy
  /// `delegate` this is the delegate's target and the region has no clauses.
  int32_t next = -1;
  uint32_t first_catch = 0, num_catches = 0;  ///< into Code::exn_catches
  /// Legacy try: the slot a catch stores the caught exnref in, for `rethrow`.
  int32_t exn_slot = -1;
};

struct Code {
  const Module* module = nullptr;  ///< for names in backtraces
  std::vector<uint32_t> words;
  uint32_t num_param_slots = 0;
  uint32_t num_local_slots = 0;  ///< params + declared locals + constant pool
  /// Initial contents of slots [num_param_slots, num_local_slots): zeros for the
  /// declared locals, then the constant pool. Copied into every new frame.
  std::vector<uint64_t> init;
  uint32_t frame_slots = 0;
  uint32_t num_result_slots = 0;
  uint32_t func_index = 0;
  /// (word index of an instruction, bytecode offset) pairs in word order, for
  /// backtraces: the wasm instruction an interpreter position belongs to.
  std::vector<std::pair<uint32_t, uint32_t>> offsets;
  /// Exception handler regions and their catch clauses (exceptions.h).
  std::vector<ExnRegion> exn_regions;
  std::vector<ExnCatch> exn_catches;
  /// GC roots of this function's frames: at each safepoint (keyed by the word
  /// index of the allocating instruction's first word, or of a call
  /// instruction's last word, i.e. return address - 1), the frame slots that
  /// hold GC references (stack_map_recorder.h). When `precise_roots` is false
  /// the root enumerator scans the whole frame conservatively instead.
  gc::StackMap stack_map;
  bool precise_roots = false;

  /// Bytecode offset of the instruction containing word `pos`.
  uint32_t wasm_offset(uint32_t pos) const;
};

}  // namespace wasmrun::interp
