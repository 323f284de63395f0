// StackMapRecorder: builds a lowered function's gc::StackMap (code.h) while the
// lowering pass emits it.
//
// The validator records, at every safepoint instruction (calls, struct.new*,
// array.new*, throw), which operand-stack positions hold GC references
// (structs, arrays and exception objects: holds_gc_object;
// FunctionInfo::safepoints). The lowering pass knows where each operand lives
// (its frame slot) and asks the recorder for the validator's positions at the
// instruction it is lowering; it then adds the frame slots that hold those
// values. The recorder adds the reference-typed locals (parameters and declared
// locals, whose slots always hold a valid reference or null) and the legacy
// tries' hidden rethrow slots (exnrefs) to every safepoint.
//
// If the lowering pass's operand stack ever disagrees with the validator's
// height at a safepoint, the function falls back to a conservative scan of its
// whole frame (Code::precise_roots false): correct, just not precise.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "engine/interp/code.h"
#include "engine/module.h"
#include "engine/validate/validated_module.h"

namespace wasmrun::interp {

class StackMapRecorder {
 public:
  /// `local_slots[i]` is the frame slot of local i (parameters first).
  StackMapRecorder(const Module& m, const FunctionInfo& info,
                   std::span<const uint32_t> local_slots);

  /// The validator's operand-stack indices holding GC references at the
  /// safepoint instruction at bytecode `offset`, whose lowering sees `height`
  /// operands. Empty and marks the function imprecise when the validator has
  /// no such safepoint or disagrees about the height. Offsets must be asked in
  /// increasing order.
  std::span<const uint32_t> operand_refs(uint32_t offset, size_t height);

  /// Adds slots [first, first + count) to every safepoint, like the
  /// reference-typed locals: slots that always hold null or a valid reference
  /// (the legacy tries' rethrow slots). Call before the first add().
  void add_fixed_slots(uint32_t first, uint32_t count);

  /// A safepoint at code word `pos`: the locals' reference slots plus
  /// `operand_slots` (frame slots of live operands that hold references).
  void add(uint32_t pos, std::vector<uint32_t> operand_slots);

  /// Stores the map (and whether it is precise) in `code`; call after
  /// code.frame_slots is final.
  void finish(Code& code);

 private:
  const FunctionInfo& info_;
  std::vector<uint32_t> local_refs_;  ///< frame slots of reference-typed locals
  size_t cursor_ = 0;                 ///< into info_.safepoints
  bool precise_ = true;
  std::vector<std::pair<uint32_t, std::vector<uint32_t>>> points_;
};

}  // namespace wasmrun::interp
