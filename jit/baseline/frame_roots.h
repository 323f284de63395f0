// GC roots in baseline-JIT frames.
//
// Generated code keeps every GC reference that must survive a call or an
// allocating helper in its frame: the value stack is spilled to its home slots
// before every call and helper (compiler.cc), and reference-typed locals live in
// their slots (only numeric locals are pinned to registers). The collector finds
// the frames and, in each, the slots that may hold references:
//
// * Frames. A collection happens only inside a call from generated code into
//   C++ that can allocate: the GC helpers (gc_helpers.h) and the trampolines
//   to the interpreter, host functions and the lazy stub (tier.cc). Each of
//   these, and each entry from C++ into generated code (baseline_invoke), is a
//   JitActivation on a per-thread list; one called from generated code records
//   its caller's frame (the rbp it was called with). From that frame the rbp
//   chain leads outward while return addresses are in generated code; the next
//   activation continues past the C++ frames in between (JIT -> host -> JIT).
//   The tail-call adapter (frame.h) is an activation too, and the arguments it
//   passes to its current callee are roots while that callee runs, as a
//   caller's argument slots are at an ordinary call.
// * Slots. The compiler records, per call site (the bytecode offset every call
//   stores at [rbp + kFrameOffset]), the frame slots of reference type: locals
//   and value-stack entries (FrameMap). Reference-typed slots include funcref
//   and exnref, which are not heap objects, so each recorded slot is visited
//   with RootVisitor::conservative (it counts only if it is the start of a live
//   object). A frame whose call site has no entry is scanned whole, also
//   conservatively.
//
// Objects do not move, so these roots are exact enough. A moving collector
// would need the value stack's heap types (to visit slots precisely and update
// them), which the compiler does not track yet.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace wasmrun::gc {
class RootVisitor;
}
namespace wasmrun::rt {
struct FuncInst;
}

namespace wasmrun::jit {

class JitActivation;

/// Per compiled function: its frame size, per call site the frame slots (8-byte
/// units from rsp) that may hold references there, and where its guard-page
/// memory accesses are (to turn a fault's PC into a bytecode offset).
struct FrameMap {
  uint32_t frame_bytes = 0;      ///< rbp - rsp in the function's body
  uintptr_t code = 0;            ///< the function's first instruction
  std::vector<uint32_t> locals;  ///< slots of reference-typed locals (every site)
  std::vector<uint32_t> sites;   ///< call-site bytecode offsets, increasing
  std::vector<uint32_t> starts;  ///< per site, its first index into `slots`; one extra end
  std::vector<uint32_t> slots;
  /// Memory accesses that may fault on a guard page: the code offset where each
  /// one's address computation starts (increasing), and its bytecode offset. The
  /// access itself is the first faulting instruction at or after that point.
  std::vector<uint32_t> access_pcs, access_offsets;
  /// The bytecode offset of the access that faulted at `pc` (0 if unknown).
  uint32_t access_offset_at(uintptr_t pc) const;
  /// Whether `site` is recorded; if so its `n` slots are at `refs` (`n` may be 0).
  bool find(uint32_t site, const uint32_t*& refs, uint32_t& n) const;
};

/// Collects a function's call sites while it compiles.
class FrameMapBuilder {
 public:
  /// Call site at bytecode offset `site` with value-stack reference slots `ref_slots`; a
  /// site recorded twice (call_indirect's check and call) keeps the union.
  void add(uint32_t site, std::vector<uint32_t> ref_slots);
  /// The reference-typed locals' slots, live at every site.
  void set_locals(std::vector<uint32_t> slots) { locals_ = std::move(slots); }
  /// A guard-page memory access for bytecode `offset` emitted from `code_offset` on.
  void add_access(uint32_t code_offset, uint32_t offset) {
    if (!access_pcs_.empty() && access_pcs_.back() == code_offset) {
      access_offsets_.back() = offset;
      return;
    }
    access_pcs_.push_back(code_offset);
    access_offsets_.push_back(offset);
  }
  std::shared_ptr<const FrameMap> finish(uint32_t frame_bytes, uintptr_t code);

 private:
  std::vector<uint32_t> access_pcs_, access_offsets_;
  std::vector<std::pair<uint32_t, std::vector<uint32_t>>> sites_;
  std::vector<uint32_t> locals_;
};

/// The innermost JitActivation of this thread, or null.
const JitActivation* innermost_activation();

/// The FrameMap of `f`'s compiled code (tier.cc), or null.
const FrameMap* frame_map_of(const rt::FuncInst* f);

/// A C++ function on the path of a collection, for the lifetime of the object:
/// an entry into generated code, or a function generated code calls.
class JitActivation {
 public:
  /// An entry from C++ (baseline_invoke): no JIT caller.
  JitActivation();
  /// A function that generated code may call: pass its own
  /// __builtin_return_address(0) and __builtin_frame_address(0) (which also
  /// gives it a frame pointer, so its saved rbp is its caller's). When the
  /// return address is in generated code, the caller's frame is recorded.
  JitActivation(const void* return_address, const void* frame);
  ~JitActivation();
  JitActivation(const JitActivation&) = delete;
  JitActivation& operator=(const JitActivation&) = delete;

  JitActivation* prev = nullptr;  ///< the enclosing activation on this thread
  uintptr_t caller_frame = 0;     ///< rbp of the JIT frame that called, or 0
  /// The lazy stub's: it returns what its callee returns, kTailCallPending
  /// included, so it may stand between the tail-call adapter and the function
  /// the adapter called (h_tail_call looks past it).
  bool lazy_stub = false;
  /// The tail-call adapter: the args_and_results array it passes to its current
  /// callee (which also tells a function whether the adapter called it, frame.h),
  /// and how many argument slots it passed. They are visited conservatively: a
  /// callee may have tail-called in place a function with other parameter types.
  uint64_t* tail_args = nullptr;
  uint32_t tail_slots = 0;
  /// The interpreter's frame-stack depth when this activation began: the
  /// interpreter frames at this depth and above are inside it (called, through
  /// C++, by its callees), those below it outside. Backtraces interleave the two
  /// tiers' frames by it (engine/interp/interp.h).
  uint32_t interp_depth = 0;
};

/// Visits the arguments of a tail call recorded by h_tail_call and not yet
/// picked up by the adapter (tier.cc).
void visit_pending_tail_call(gc::RootVisitor& visit);

}  // namespace wasmrun::jit
