// ValueRoots: the GC roots behind api::Value.
//
// An api::Value that holds a GC object (a struct or array reference, as any,
// eq, struct, array, extern or a concrete type) owns a reference-counted
// RootCell registered with its Store: copies share the cell, the last one to
// go releases it, and the store's root enumerator visits every live cell. So a
// reference the embedder got from Func::call, Global::get or Table::get stays
// valid across collections for as long as some Value holds it, and dropping
// the last Value lets the object be collected.
//
// A Value may outlive its Store (it must not be used then): the store detaches
// its cells when it dies, and the last Value frees a detached cell itself.
#pragma once

#include <cstdint>
#include <vector>

#include "gc/heap.h"

namespace wasmrun::rt {

class ValueRoots;

/// One rooted reference. `bits` is the slot the collector visits (a moving
/// collector would update it; Values then read their reference from here).
struct RootCell {
  uint64_t bits = 0;
  uint32_t refs = 1;
  uint32_t index = 0;           ///< position in the owner's cell list
  ValueRoots* owner = nullptr;  ///< null once the store is gone
};

class ValueRoots {
 public:
  ValueRoots() = default;
  ~ValueRoots();
  ValueRoots(const ValueRoots&) = delete;
  ValueRoots& operator=(const ValueRoots&) = delete;

  /// A new cell holding `bits`, with one reference.
  RootCell* make(uint64_t bits);
  /// Visits every live cell (precise roots).
  void visit(gc::RootVisitor& visit);
  size_t size() const { return cells_.size(); }

  static void retain(RootCell* c) { ++c->refs; }
  /// Drops one reference; the last one unregisters and frees the cell.
  static void release(RootCell* c);

 private:
  std::vector<RootCell*> cells_;
};

}  // namespace wasmrun::rt
