// The store's GC heap and its roots.
//
// Every reference the runtime holds outside the heap is visited precisely, by
// type, at each collection:
//   * globals and tables whose (canonical) type may hold a GC object;
//   * element segments of such a type (they can hold i31s and objects built by
//     constant expressions);
//   (exception objects are GC objects, so globals, tables and frame slots of
//   type exnref are roots like any reference, and an exception's payload is
//   traced through its Rtt, RttRegistry::exception_rtt;)
//   * interpreter frames, with the stack map of each frame's function at the
//     frame's safepoint (Code::stack_map): suspended callers at their call
//     instruction, the allocating frame at its allocating instruction;
//   * api::Values holding GC objects (value_roots.h);
//   * the baseline JIT's native frames through rt::baseline_visit_roots
//     (jit/baseline/frame_roots.h; conservative until the JIT records stack
//     maps, docs/gc.md).
// Besides the JIT's frames, the only conservative scan left is the fallback for an interpreter
// function whose stack map could not be built (Code::precise_roots false; the lowering pass
// disagreed with the validator about the operand stack), which scans that frame's slots with
// RootVisitor::conservative.
//
// Frames of other stores on this thread (a host function of store A calling
// into store B) are skipped: their references are not objects of this heap.
#include "engine/interp/gc_ops.h"
#include "engine/runtime/objects.h"

namespace wasmrun::rt {
namespace {

/// Whether slots of canonical type `t` can hold a GC object (structs, arrays,
/// exception objects: any/eq/struct/array/extern/exn, and concrete struct/array
/// types).
bool may_hold_gc_ref(EngineImpl& engine, const ValType& t) {
  if (!t.is_ref()) return false;
  if (!t.heap.is_abstract())
    return engine.types.type(t.heap.index).comp.kind != CompositeType::Kind::Func;
  switch (t.heap.abs) {
    case AbsHeap::Any:
    case AbsHeap::Eq:
    case AbsHeap::Struct:
    case AbsHeap::Array:
    case AbsHeap::Extern:
    case AbsHeap::Exn: return true;
    default: return false;
  }
}

struct FrameVisit {
  const StoreImpl* store;
  gc::RootVisitor* visit;
};

void visit_frame(const interp::FrameRef& f, void* arg) {
  auto& fv = *static_cast<FrameVisit*>(arg);
  if (f.store != fv.store) return;
  if (f.code->precise_roots && f.code->stack_map.visit_frame(f.pos, f.fp, *fv.visit)) return;
  // No map for this frame (see the header comment): every slot, conservatively.
  fv.visit->conservative(f.fp, f.code->frame_slots);
}

void visit_store(StoreImpl& s, gc::RootVisitor& visit) {
  EngineImpl& engine = *s.engine;
  for (GlobalInst& g : s.globals)
    if (may_hold_gc_ref(engine, g.type.type)) visit(&g.value[0]);
  for (TableInst& t : s.tables)
    if (may_hold_gc_ref(engine, t.type.elem))
      for (uint64_t i = 0; i < t.size; ++i) visit(&t.data[i]);
  for (InstanceInst& inst : s.instances) {
    const Module& m = inst.m();
    for (size_t i = 0; i < inst.elems.size() && i < m.elems.size(); ++i)
      if (holds_gc_object(m, m.elems[i].elem_type))
        for (uint64_t& slot : inst.elems[i]) visit(&slot);
  }
  // Recycled exceptions are unreachable: let this collection free them (the
  // list would otherwise keep growing between collections).
  s.free_exns.clear();
  s.value_roots.visit(visit);
  FrameVisit fv{&s, &visit};
  interp::visit_interp_frames(&visit_frame, &fv);
  // Frames of the baseline JIT on this thread's native stack (a weak hook:
  // absent when the JIT is not linked).
  if (&baseline_visit_roots != nullptr) baseline_visit_roots(visit);
}

}  // namespace

gc::Heap& StoreImpl::create_gc_heap() {
  gc::HeapConfig config;
  config.max_heap_bytes = engine->config.gc_heap_limit;
  heap = std::make_unique<gc::Heap>(config);
  heap->add_root_enumerator([this](gc::RootVisitor& visit) { visit_store(*this, visit); });
  return *heap;
}

}  // namespace wasmrun::rt
