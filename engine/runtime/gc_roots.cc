// The store's GC heap and its roots.
//
// Every reference the runtime holds outside the heap is visited at each
// collection: globals, table elements, element segments (they can hold i31s
// and objects built by constant expressions), and the interpreter's value
// stack, plus the baseline JIT's native frames (jit/baseline/frame_roots.h).
// Globals, tables and segments are scanned conservatively too: their
// slots hold exact references, but a funcref (FuncInst*) looks like an object
// pointer, and RootVisitor::conservative ignores any word that is not the start
// of a live object of this heap, which makes one scan safe for every slot type
// without consulting the type registry. Func- and exn-typed tables and globals
// are skipped outright since they never hold GC objects.
#include <algorithm>

#include "engine/interp/gc_ops.h"
#include "engine/runtime/objects.h"

namespace wasmrun::rt {
namespace {

/// Whether slots of type `t` can hold a GC object (any/extern hierarchies).
bool may_hold_gc_ref(const ValType& t) {
  if (!t.is_ref()) return false;
  if (!t.heap.is_abstract()) return true;  // concrete: func types are filtered by conservative()
  switch (t.heap.abs) {
    case AbsHeap::Func:
    case AbsHeap::NoFunc:
    case AbsHeap::Exn:
    case AbsHeap::NoExn:
    case AbsHeap::I31:
    case AbsHeap::None:
    case AbsHeap::NoExtern: return false;
    default: return true;
  }
}

void visit_store(StoreImpl& s, gc::RootVisitor& visit) {
  for (GlobalInst& g : s.globals)
    if (may_hold_gc_ref(g.type.type)) visit.conservative(&g.value[0], 1);
  for (TableInst& t : s.tables)
    if (may_hold_gc_ref(t.type.elem)) visit.conservative(t.data, t.size);
  for (InstanceInst& inst : s.instances)
    for (const std::vector<uint64_t>& seg : inst.elems) visit.conservative(seg.data(), seg.size());
  // Exception payloads (exnref points to store-owned ExnInsts, not heap objects):
  // a thrown struct stays alive while an exnref or a pending throw can deliver it.
  for (ExnInst& e : s.exns) visit.conservative(e.payload.data(), e.payload.size());
  // The interpreter's frames: from the stack base to the allocating frame's top
  // (or, when the host allocates during a host call, the caller's frame top).
  const uint64_t* base = interp::value_stack_base();
  if (base) {
    const uint64_t* top = interp::value_stack_host_top();
    if (interp::t_gc_top) top = std::max(top, interp::t_gc_top);
    if (top > base) visit.conservative(base, static_cast<size_t>(top - base));
  }
  // Frames of the baseline JIT on this thread's native stack.
  if (&baseline_visit_roots != nullptr) baseline_visit_roots(visit);
}

}  // namespace

gc::Heap& StoreImpl::create_gc_heap() {
  heap = std::make_unique<gc::Heap>();
  heap->add_root_enumerator([this](gc::RootVisitor& visit) { visit_store(*this, visit); });
  return *heap;
}

}  // namespace wasmrun::rt
