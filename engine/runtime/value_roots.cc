// Reference-counted root cells for api::Values holding GC objects.
#include "engine/runtime/value_roots.h"

namespace wasmrun::rt {

ValueRoots::~ValueRoots() {
  // Values that outlive the store keep their cells; they free them when done.
  for (RootCell* c : cells_) c->owner = nullptr;
}

RootCell* ValueRoots::make(uint64_t bits) {
  auto* c = new RootCell;
  c->bits = bits;
  c->index = static_cast<uint32_t>(cells_.size());
  c->owner = this;
  cells_.push_back(c);
  return c;
}

void ValueRoots::visit(gc::RootVisitor& visit) {
  for (RootCell* c : cells_) visit(&c->bits);
}

void ValueRoots::release(RootCell* c) {
  if (--c->refs != 0) return;
  if (ValueRoots* o = c->owner) {
    // Swap-remove keeps release O(1).
    RootCell* last = o->cells_.back();
    o->cells_[c->index] = last;
    last->index = c->index;
    o->cells_.pop_back();
  }
  delete c;
}

}  // namespace wasmrun::rt
