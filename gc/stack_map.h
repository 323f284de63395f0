// StackMap: which slots of a function's frame hold GC references at each
// safepoint (every call and every allocating instruction), so a root
// enumerator can visit a frame precisely instead of conservatively.
//
// Producers: the interpreter's lowering pass (frame slots are fixed per
// operand-stack position, and the validator knows each position's type) and
// the baseline JIT (spill slots of references live across a call). Positions
// are whatever the producer uses to identify a safepoint: an interpreter code
// word index, or a return address offset in JIT code. Consumers: the Store's
// root enumerator, walking frames from the innermost outwards, calls
// visit_frame(pc, frame_base, visit) per frame.
//
// A moving collector needs exactly this (plus updatable slots, which
// visit_frame already passes), so precise frames are the path to compaction.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "gc/heap.h"

namespace wasmrun::gc {

class StackMap {
 public:
  /// Collects safepoints in increasing position order.
  class Builder {
   public:
    explicit Builder(uint32_t frame_slots) : frame_slots_(frame_slots) {}
    /// Safepoint at `pos` (greater than every earlier one) where the frame
    /// slots `ref_slots` (each < frame_slots) hold references.
    void add(uint32_t pos, std::span<const uint32_t> ref_slots);
    StackMap finish();

   private:
    uint32_t frame_slots_;
    std::vector<uint32_t> positions_;
    std::vector<uint32_t> bitmap_index_;
    std::vector<std::vector<uint64_t>> bitmaps_;          // deduplicated
    std::map<std::vector<uint64_t>, uint32_t> index_of_;  // bitmap -> index
  };

  StackMap() = default;

  /// Whether `pos` is a recorded safepoint.
  bool has(uint32_t pos) const;
  /// Calls visit(&frame[i]) for every reference slot i at safepoint `pos`.
  /// Returns false (visiting nothing) if `pos` is not a safepoint.
  bool visit_frame(uint32_t pos, uint64_t* frame, RootVisitor& visit) const;
  /// The reference slots at `pos`, in increasing order (for tests and tools).
  std::vector<uint32_t> ref_slots(uint32_t pos) const;

  size_t num_safepoints() const { return positions_.size(); }
  /// Distinct bitmaps stored (identical safepoints share one).
  size_t num_bitmaps() const { return words_per_bitmap_ ? bits_.size() / words_per_bitmap_ : 0; }

 private:
  const uint64_t* bitmap(uint32_t pos) const;

  uint32_t words_per_bitmap_ = 0;
  std::vector<uint32_t> positions_;     // sorted
  std::vector<uint32_t> bitmap_index_;  // per position
  std::vector<uint64_t> bits_;          // bitmaps, words_per_bitmap_ words each
};

}  // namespace wasmrun::gc
