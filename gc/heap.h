// Heap: the managed heap of one Store. Allocation of structs and arrays, a
// precise, non-moving mark-sweep collector (optionally generational with
// sticky mark bits, HeapConfig::generational), and the root protocol.
//
// Threading: one Heap per Store, and a Store is used by one thread at a time.
// The Heap has no locks; the embedder must not allocate, collect or touch
// handles from two threads at once. (Rtts are engine-wide and immutable, so
// sharing them between Stores on different threads is fine.)
//
// When a collection can happen: inside any alloc_* call (allocation pressure,
// or the heap cap being reached) and inside collect(). Nowhere else. So a
// mutator must make every reference it still needs reachable from a root
// before it allocates: the interpreter keeps struct.new's operands on its
// operand stack until the new object is filled in; C++ code holds references
// in Handles.
//
// Roots: the embedder registers root enumerators. During marking each is
// called with a RootVisitor, and calls it once per slot that may hold a
// reference:
//   visit(uint64_t* slot)             precise: the slot's static type is in the
//                                     any or extern hierarchy; its value is null,
//                                     an i31, a host ref or an object pointer
//                                     (gc/value.h). Never pass funcref slots
//                                     (FuncInst* is not a GC object), nor
//                                     exnref slots unless exception packages
//                                     live in the heap (RttOptions).
//   visit.conservative(words, n)      words of unknown type (e.g. an untyped
//                                     operand stack): a word counts as a
//                                     reference only if it is the address of a
//                                     live object. Safe because the collector
//                                     does not move objects; it may retain an
//                                     object that an integer happens to point at.
// Slots are passed by address so that a moving collector can later update them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "gc/object.h"
#include "gc/rtt.h"
#include "gc/space.h"
#include "gc/value.h"
#include "wasmrun/result.h"

namespace wasmrun::gc {

class Heap;

struct HeapConfig {
  /// Hard cap on mapped heap memory. An allocation that cannot be satisfied
  /// within it, even after a full collection, fails (the runtime traps).
  uint64_t max_heap_bytes = uint64_t{4} << 30;
  /// No collection happens before this many bytes are in use.
  uint64_t initial_gc_threshold = uint64_t{8} << 20;
  /// After a collection, the next one starts when in-use bytes reach
  /// live_bytes * growth_factor (but at least initial_gc_threshold).
  double growth_factor = 2.0;
  /// Generational mode (sticky mark bits): objects that survive a collection
  /// stay marked and count as old; between full collections, minor
  /// collections trace only from the roots and from old objects the write
  /// barrier marked dirty, never through old objects, and free only young
  /// garbage. Requires every reference store into an object to go through
  /// write_ref/write_ref_range (or the same barrier in generated code).
  bool generational = false;
  /// Generational mode: bytes allocated between minor collections.
  uint64_t nursery_bytes = uint64_t{4} << 20;
  /// Check every precise root and every traced field against the heap before
  /// marking through it; abort with a message on a bad pointer. For debugging
  /// root enumerators; costs a hash lookup per reference.
  bool verify_roots = false;
};

struct HeapStats {
  uint64_t used_bytes = 0;  ///< bytes held by allocated objects (cell sizes), live or not yet swept
  uint64_t used_objects = 0;     ///< objects allocated and not yet freed
  uint64_t mapped_bytes = 0;     ///< memory mapped for the heap
  uint64_t allocated_bytes = 0;  ///< cumulative bytes allocated
  uint64_t allocated_objects = 0;
  uint64_t freed_bytes = 0;  ///< cumulative bytes freed
  uint64_t freed_objects = 0;
  uint64_t collections = 0;        ///< all collections, minor ones included
  uint64_t minor_collections = 0;  ///< generational mode only
  uint64_t live_bytes_after_last_gc = 0;
  uint64_t gc_threshold = 0;    ///< used_bytes at which the next collection starts
  uint64_t last_pause_ns = 0;   ///< duration of the last collection
  uint64_t total_pause_ns = 0;  ///< all collections together
};

/// Why the last allocation failed.
enum class AllocFailure : uint8_t { None, TooLarge, HeapExhausted };

/// What a root enumerator is given: see the header comment.
class RootVisitor {
 public:
  /// A precise root.
  void operator()(uint64_t* slot);
  /// `count` words that may or may not be references.
  void conservative(const uint64_t* words, size_t count);

 private:
  friend class Heap;
  explicit RootVisitor(Heap& heap) : heap_(heap) {}
  Heap& heap_;
};

using RootEnumerator = std::function<void(RootVisitor& visit)>;

class Heap {
 public:
  explicit Heap(HeapConfig config = {});
  ~Heap();
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  /// struct.new_default: a zero/null-initialized struct of type `rtt` (kind
  /// Struct), or nullptr when the heap cap is reached (see last_failure()).
  /// May collect first.
  Object* try_alloc_struct(const Rtt& rtt) noexcept;
  /// array.new_default: a zero/null-initialized array of `length` elements, or
  /// nullptr when it is too large or the heap cap is reached. May collect first.
  Object* try_alloc_array(const Rtt& rtt, uint32_t length) noexcept;

  /// The same, as Results whose Error (kind Exhaustion) says what failed.
  Result<Object*> alloc_struct(const Rtt& rtt);
  Result<Object*> alloc_array(const Rtt& rtt, uint32_t length);

  AllocFailure last_failure() const { return last_failure_; }

  /// A full collection now.
  void collect();
  /// A minor collection (generational mode; a full one otherwise).
  void collect_minor();

  /// Registers a root enumerator; returns an id for remove_root_enumerator.
  uint32_t add_root_enumerator(RootEnumerator e);
  void remove_root_enumerator(uint32_t id);

  /// Whether `r` is a pointer to an allocated object of this heap.
  bool owns(Ref r) const { return is_object(r) && space_.owns(static_cast<uintptr_t>(r)); }

  HeapStats stats() const;
  const HeapConfig& config() const { return config_; }

  /// Number of allocated objects (live, or garbage not yet swept) whose Rtt
  /// satisfies `pred`. Walks every cell of the heap: statistics and tests only.
  template <class Pred>
  uint64_t count_objects(Pred&& pred) {
    uint64_t n = 0;
    space_.for_each_object([&](Object* o) {
      if (pred(o->rtt)) ++n;
    });
    return n;
  }

 private:
  friend class RootVisitor;
  friend class HandleScope;
  friend class Handle;
  friend class Persistent;

  Object* allocate(const Rtt& rtt, uint64_t size, uint32_t length) noexcept;
  void mark_ref(Ref r);
  void mark_object(Object* o);
  void drain_mark_stack();
  void mark_roots(RootVisitor& visit);
  void finish_collection(std::chrono::steady_clock::time_point start, bool minor);
  void check_ref(Ref r, const char* where) const;

  HeapConfig config_;
  Space space_;
  bool in_gc_ = false;
  AllocFailure last_failure_ = AllocFailure::None;
  uint64_t gc_threshold_;
  uint64_t allocated_bytes_ = 0;
  uint64_t allocated_objects_ = 0;
  uint64_t collections_ = 0;
  uint64_t minor_collections_ = 0;
  uint64_t young_bytes_ = 0;    // allocated since the last collection
  bool major_pending_ = false;  // generational: the next collection is a full one
  uint64_t live_after_gc_ = 0;
  uint64_t last_pause_ns_ = 0;
  uint64_t total_pause_ns_ = 0;
  // Work items: an object to scan, and for a reference array the first
  // element still to scan (big arrays are scanned in slices so the mark stack
  // never holds more than one slice's children per array at a time).
  struct MarkItem {
    Object* obj;
    uint32_t next;
  };
  std::vector<MarkItem> mark_stack_;

  struct EnumeratorEntry {
    uint32_t id;
    RootEnumerator fn;
  };
  std::vector<EnumeratorEntry> enumerators_;
  uint32_t next_enumerator_id_ = 1;

  // Handle storage: scoped handles are a stack, persistent handles a slot
  // table plus a list of free slot indices (a free slot holds null).
  std::vector<Ref> handle_stack_;
  std::vector<Ref> persistent_;
  std::vector<uint32_t> persistent_free_;
};

/// A reference held by C++ code, valid while its HandleScope is alive. The
/// collector treats it as a root; the value can be read and replaced.
class Handle {
 public:
  Handle() = default;
  Ref get() const { return heap_->handle_stack_[index_]; }
  void set(Ref r) { heap_->handle_stack_[index_] = r; }
  Object* object() const { return as_object(get()); }

 private:
  friend class HandleScope;
  Handle(Heap* heap, size_t index) : heap_(heap), index_(index) {}
  Heap* heap_ = nullptr;
  size_t index_ = 0;
};

/// Opens a region in which Handles can be created; they are released when the
/// scope ends. Scopes nest strictly (destroy in reverse order of creation).
class HandleScope {
 public:
  explicit HandleScope(Heap& heap) : heap_(heap), base_(heap.handle_stack_.size()) {}
  ~HandleScope() { heap_.handle_stack_.resize(base_); }
  HandleScope(const HandleScope&) = delete;
  HandleScope& operator=(const HandleScope&) = delete;

  Handle make(Ref r) {
    heap_.handle_stack_.push_back(r);
    return Handle(&heap_, heap_.handle_stack_.size() - 1);
  }
  Handle make(Object* o) { return make(from_object(o)); }

 private:
  Heap& heap_;
  size_t base_;
};

/// A long-lived root owned by C++ code (e.g. a host object caching a wasm
/// struct). Move-only; releases its slot on destruction.
class Persistent {
 public:
  Persistent() = default;
  Persistent(Heap& heap, Ref r);
  ~Persistent() { reset(); }
  Persistent(Persistent&& o) noexcept : heap_(o.heap_), index_(o.index_) { o.heap_ = nullptr; }
  Persistent& operator=(Persistent&& o) noexcept;
  Persistent(const Persistent&) = delete;
  Persistent& operator=(const Persistent&) = delete;

  Ref get() const { return heap_ ? heap_->persistent_[index_] : kNullRef; }
  void set(Ref r) { heap_->persistent_[index_] = r; }
  void reset();

 private:
  Heap* heap_ = nullptr;
  uint32_t index_ = 0;
};

}  // namespace wasmrun::gc
