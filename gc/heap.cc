// Allocation policy, marking and the root protocol.
#include "gc/heap.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace wasmrun::gc {

Heap::Heap(HeapConfig config)
    : config_(config),
      space_(config.max_heap_bytes),
      gc_threshold_(std::min(config.initial_gc_threshold, config.max_heap_bytes)) {}

Heap::~Heap() = default;

Object* Heap::try_alloc_struct(const Rtt& rtt) noexcept {
  return allocate(rtt, rtt.instance_size, 0);
}

Object* Heap::try_alloc_array(const Rtt& rtt, uint32_t length) noexcept {
  return allocate(rtt, array_byte_size(length, rtt.elem_size), length);
}

Object* Heap::allocate(const Rtt& rtt, uint64_t size, uint32_t length) noexcept {
  last_failure_ = AllocFailure::None;
  // A root enumerator must not allocate: the heap is half-marked.
  if (in_gc_) {
    last_failure_ = AllocFailure::HeapExhausted;
    return nullptr;
  }
  if (size > space_.max_mapped_bytes()) {
    last_failure_ = AllocFailure::TooLarge;
    return nullptr;
  }
  if (!config_.generational) {
    if (space_.counters().used_bytes + size > gc_threshold_) collect();
  } else if (young_bytes_ + size > config_.nursery_bytes) {
    // The old generation outgrew its threshold at the last minor collection:
    // this time collect everything.
    if (major_pending_) {
      collect();
    } else {
      collect_minor();
    }
  }
  size_t charged = 0;
  void* mem = space_.allocate(size, rtt.align, &charged);
  if (!mem) {
    // The cap was hit before the threshold: collect and try once more.
    collect();
    mem = space_.allocate(size, rtt.align, &charged);
    if (!mem) {
      last_failure_ = AllocFailure::HeapExhausted;
      return nullptr;
    }
  }
  auto* obj = static_cast<Object*>(mem);
  obj->rtt = &rtt;
  obj->length = length;
  allocated_bytes_ += charged;
  allocated_objects_ += 1;
  young_bytes_ += charged;
  return obj;
}

static Error alloc_error(AllocFailure f) {
  return Error(ErrorKind::Exhaustion,
               f == AllocFailure::TooLarge ? "allocation size too large" : "out of GC heap memory");
}

Result<Object*> Heap::alloc_struct(const Rtt& rtt) {
  if (Object* o = try_alloc_struct(rtt)) return o;
  return alloc_error(last_failure_);
}

Result<Object*> Heap::alloc_array(const Rtt& rtt, uint32_t length) {
  if (Object* o = try_alloc_array(rtt, length)) return o;
  return alloc_error(last_failure_);
}

uint32_t Heap::add_root_enumerator(RootEnumerator e) {
  const uint32_t id = next_enumerator_id_++;
  enumerators_.push_back({id, std::move(e)});
  return id;
}

void Heap::remove_root_enumerator(uint32_t id) {
  std::erase_if(enumerators_, [id](const EnumeratorEntry& e) { return e.id == id; });
}

void Heap::check_ref(Ref r, const char* where) const {
  if (is_object(r) && !space_.owns(static_cast<uintptr_t>(r))) {
    std::fprintf(stderr, "wasmrun gc: %s holds 0x%llx, which is not a live object of this heap\n",
                 where, static_cast<unsigned long long>(r));
    std::abort();
  }
}

void Heap::mark_object(Object* o) {
  if (o->gc_word & kMarkBit) return;
  o->gc_word |= kMarkBit;
  mark_stack_.push_back({o, 0});
}

void Heap::mark_ref(Ref r) {
  if (is_object(r)) mark_object(as_object(r));
}

// Tracing uses an explicit stack, never recursion, so a 10-million-node list
// costs mark-stack memory, not C stack.
void Heap::drain_mark_stack() {
  constexpr uint32_t kArraySlice = 4096;
  while (!mark_stack_.empty()) {
    const MarkItem item = mark_stack_.back();
    mark_stack_.pop_back();
    Object* o = item.obj;
    const Rtt* rtt = o->rtt;
    if (rtt->kind == RttKind::Struct) {
      for (uint32_t i = 0; i < rtt->num_ref_offsets; ++i) {
        const Ref r = read_ref(o->bytes() + rtt->ref_offsets[i]);
        if (config_.verify_roots) check_ref(r, "a struct field");
        mark_ref(r);
      }
    } else if (rtt->elem_traced) {
      const uint32_t end =
          o->length - item.next > kArraySlice ? item.next + kArraySlice : o->length;
      // Re-push the rest first, so this slice's children are scanned before it.
      if (end < o->length) mark_stack_.push_back({o, end});
      const uint8_t* p = o->bytes() + kArrayDataOffset + size_t{item.next} * 8;
      for (uint32_t i = item.next; i < end; ++i, p += 8) {
        const Ref r = read_ref(p);
        if (config_.verify_roots) check_ref(r, "an array element");
        mark_ref(r);
      }
    }
  }
}

void RootVisitor::operator()(uint64_t* slot) {
  if (heap_.config_.verify_roots) heap_.check_ref(*slot, "a precise root");
  heap_.mark_ref(*slot);
}

void RootVisitor::conservative(const uint64_t* words, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (heap_.owns(words[i])) heap_.mark_object(as_object(words[i]));
  }
}

void Heap::mark_roots(RootVisitor& visit) {
  for (Ref& r : handle_stack_) visit(&r);
  for (Ref& r : persistent_) visit(&r);
  drain_mark_stack();
  // Drain after each enumerator so the mark stack stays as small as the
  // deepest structure, not the whole root set.
  for (size_t i = 0; i < enumerators_.size(); ++i) {
    enumerators_[i].fn(visit);
    drain_mark_stack();
  }
}

void Heap::collect() {
  if (in_gc_) return;
  in_gc_ = true;
  const auto start = std::chrono::steady_clock::now();
  // In generational mode the mark bits of survivors are sticky ("old"); a full
  // collection starts from scratch.
  if (config_.generational) {
    space_.for_each_object([](Object* o) { o->gc_word &= ~(kMarkBit | kDirtyBit); });
  }
  RootVisitor visit(*this);
  mark_roots(visit);
  space_.sweep(/*keep_marks=*/config_.generational);
  finish_collection(start, /*minor=*/false);
}

void Heap::collect_minor() {
  if (!config_.generational) return collect();
  if (in_gc_) return;
  in_gc_ = true;
  const auto start = std::chrono::steady_clock::now();
  // Old (marked) objects are not traced again, except those the barrier saw
  // receive a pointer since the last collection: their fields may be the only
  // path to young objects. A marked object is pushed without re-marking.
  space_.for_each_object([this](Object* o) {
    if (!(o->gc_word & kDirtyBit)) return;
    o->gc_word &= ~kDirtyBit;
    if (o->gc_word & kMarkBit) mark_stack_.push_back({o, 0});
  });
  drain_mark_stack();
  RootVisitor visit(*this);
  mark_roots(visit);
  space_.sweep(/*keep_marks=*/true);
  finish_collection(start, /*minor=*/true);
}

void Heap::finish_collection(std::chrono::steady_clock::time_point start, bool minor) {
  mark_stack_.shrink_to_fit();
  ++collections_;
  if (minor) ++minor_collections_;
  young_bytes_ = 0;
  live_after_gc_ = space_.counters().used_bytes;
  major_pending_ = minor && live_after_gc_ > gc_threshold_;
  if (!minor) {
    const double next = static_cast<double>(live_after_gc_) * config_.growth_factor;
    gc_threshold_ = std::max<uint64_t>(config_.initial_gc_threshold, static_cast<uint64_t>(next));
    gc_threshold_ = std::min(gc_threshold_, config_.max_heap_bytes);
  }
  // Keep as many empty chunks as the allocation until the next full
  // collection can use; the rest go back to the OS.
  space_.trim_spares(gc_threshold_ > live_after_gc_ ? gc_threshold_ - live_after_gc_ : 0);
  last_pause_ns_ = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count());
  total_pause_ns_ += last_pause_ns_;
  in_gc_ = false;
}

HeapStats Heap::stats() const {
  const SpaceCounters& c = space_.counters();
  HeapStats s;
  s.used_bytes = c.used_bytes;
  s.used_objects = c.used_objects;
  s.mapped_bytes = c.mapped_bytes;
  s.allocated_bytes = allocated_bytes_;
  s.allocated_objects = allocated_objects_;
  s.freed_bytes = c.freed_bytes;
  s.freed_objects = c.freed_objects;
  s.collections = collections_;
  s.minor_collections = minor_collections_;
  s.live_bytes_after_last_gc = live_after_gc_;
  s.gc_threshold = gc_threshold_;
  s.last_pause_ns = last_pause_ns_;
  s.total_pause_ns = total_pause_ns_;
  return s;
}

Persistent::Persistent(Heap& heap, Ref r) : heap_(&heap) {
  if (!heap.persistent_free_.empty()) {
    index_ = heap.persistent_free_.back();
    heap.persistent_free_.pop_back();
    heap.persistent_[index_] = r;
  } else {
    index_ = static_cast<uint32_t>(heap.persistent_.size());
    heap.persistent_.push_back(r);
  }
}

Persistent& Persistent::operator=(Persistent&& o) noexcept {
  if (this != &o) {
    reset();
    heap_ = o.heap_;
    index_ = o.index_;
    o.heap_ = nullptr;
  }
  return *this;
}

void Persistent::reset() {
  if (!heap_) return;
  heap_->persistent_[index_] = kNullRef;
  heap_->persistent_free_.push_back(index_);
  heap_ = nullptr;
}

}  // namespace wasmrun::gc
