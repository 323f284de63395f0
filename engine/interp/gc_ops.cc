// Out-of-line parts of the interpreter's GC instructions (see gc_ops.h).
#include "engine/interp/gc_ops.h"

#include <cstring>

#include "engine/runtime/objects.h"
#include "gc/array_ops.h"
#include "gc/cast.h"
#include "gc/construct.h"
#include "gc/object.h"
#include "gc/value.h"

namespace wasmrun::interp {

thread_local GcFrame t_gc_frame;

GcTop::GcTop(GcAt at, uint64_t* fp, rt::InstanceInst* inst) : saved_(t_gc_frame) {
  t_gc_frame = GcFrame{at, fp, inst->store};
}

namespace {

using gc::Object;

TrapKind alloc_failure(gc::Heap& heap) {
  return heap.last_failure() == gc::AllocFailure::TooLarge ? TrapKind::ArrayTooLarge
                                                           : TrapKind::HeapExhausted;
}

gc::Heap& heap_of(rt::InstanceInst* inst) { return inst->store->gc_heap(); }

}  // namespace

Access access_of(gc::Storage s, bool sign_extend) {
  switch (s) {
    case gc::Storage::I8: return sign_extend ? Access::I8S : Access::I8U;
    case gc::Storage::I16: return sign_extend ? Access::I16S : Access::I16U;
    case gc::Storage::I32:
    case gc::Storage::F32: return Access::B32;
    case gc::Storage::I64:
    case gc::Storage::F64: return Access::B64;
    case gc::Storage::Ref: return Access::Ref;
    case gc::Storage::V128: return Access::V128;
  }
  return Access::B64;
}

TrapKind gc_struct_new(rt::InstanceInst* inst, const gc::Rtt* rtt, uint64_t* fp, GcAt at,
                       uint32_t dst, uint32_t args, bool defaults) {
  GcTop scope(at, fp, inst);
  gc::Heap& heap = heap_of(inst);
  // The operands stay in their frame slots (scanned) until new_struct has read them.
  Object* o = defaults ? heap.try_alloc_struct(*rtt) : gc::new_struct(heap, *rtt, fp + args);
  if (!o) return alloc_failure(heap);
  fp[dst] = gc::from_object(o);
  return kNoTrap;
}

TrapKind gc_array_new(rt::InstanceInst* inst, const gc::Rtt* rtt, uint64_t* fp, GcAt at,
                      uint32_t dst, uint32_t len, uint32_t value) {
  GcTop scope(at, fp, inst);
  gc::Heap& heap = heap_of(inst);
  uint32_t n = static_cast<uint32_t>(fp[len]);
  Object* a = value == UINT32_MAX ? heap.try_alloc_array(*rtt, n)
                                  : gc::new_array_filled(heap, *rtt, n, fp + value);
  if (!a) return alloc_failure(heap);
  fp[dst] = gc::from_object(a);
  return kNoTrap;
}

TrapKind gc_array_new_fixed(rt::InstanceInst* inst, const gc::Rtt* rtt, uint64_t* fp, GcAt at,
                            uint32_t dst, uint32_t args, uint32_t count) {
  GcTop scope(at, fp, inst);
  gc::Heap& heap = heap_of(inst);
  Object* a = gc::new_array_fixed(heap, *rtt, count, fp + args);
  if (!a) return alloc_failure(heap);
  fp[dst] = gc::from_object(a);
  return kNoTrap;
}

TrapKind gc_array_new_data(rt::InstanceInst* inst, const gc::Rtt* rtt, uint64_t* fp, GcAt at,
                           uint32_t dst, uint32_t seg, uint32_t off, uint32_t len) {
  const Span& data = inst->datas[seg];
  uint64_t s = static_cast<uint32_t>(fp[off]);
  uint64_t n = static_cast<uint32_t>(fp[len]);
  uint64_t bytes = n * rtt->elem_size;
  if (s > data.size || bytes > data.size - s) return TrapKind::OutOfBoundsMemory;
  GcTop scope(at, fp, inst);
  gc::Heap& heap = heap_of(inst);
  Object* a =
      gc::new_array_from_bytes(heap, *rtt, static_cast<uint32_t>(n), inst->m().data(data) + s);
  if (!a) return alloc_failure(heap);
  fp[dst] = gc::from_object(a);
  return kNoTrap;
}

TrapKind gc_array_new_elem(rt::InstanceInst* inst, const gc::Rtt* rtt, uint64_t* fp, GcAt at,
                           uint32_t dst, uint32_t seg, uint32_t off, uint32_t len) {
  uint64_t s = static_cast<uint32_t>(fp[off]);
  uint64_t n = static_cast<uint32_t>(fp[len]);
  if (s > inst->elems[seg].size() || n > inst->elems[seg].size() - s)
    return TrapKind::OutOfBoundsTable;
  GcTop scope(at, fp, inst);
  gc::Heap& heap = heap_of(inst);
  // The segment's references are rooted by the store's enumerator (it visits
  // every instance's element segments), and the allocation cannot resize it.
  Object* a = heap.try_alloc_array(*rtt, static_cast<uint32_t>(n));
  if (!a) return alloc_failure(heap);
  gc::array_init_refs(a, 0, inst->elems[seg].data() + s, static_cast<uint32_t>(n));
  fp[dst] = gc::from_object(a);
  return kNoTrap;
}

TrapKind gc_array_fill(uint64_t* fp, uint32_t arr, uint32_t idx, uint32_t val, uint32_t n) {
  if (fp[arr] == 0) return TrapKind::NullArrayReference;
  Object* a = gc::as_object(fp[arr]);
  uint32_t i = static_cast<uint32_t>(fp[idx]);
  uint32_t count = static_cast<uint32_t>(fp[n]);
  if (!gc::array_range_ok(a->length, i, count)) return TrapKind::OutOfBoundsArrayAccess;
  if (a->rtt->elem_storage == gc::Storage::V128)
    gc::array_fill(a, i, reinterpret_cast<const uint8_t*>(fp + val), count);
  else
    gc::array_fill_slot(a, i, fp[val], count);
  return kNoTrap;
}

TrapKind gc_array_copy(uint64_t* fp, uint32_t dst, uint32_t di, uint32_t src, uint32_t si,
                       uint32_t n) {
  if (fp[dst] == 0 || fp[src] == 0) return TrapKind::NullArrayReference;
  Object* d = gc::as_object(fp[dst]);
  Object* s = gc::as_object(fp[src]);
  uint32_t dix = static_cast<uint32_t>(fp[di]);
  uint32_t six = static_cast<uint32_t>(fp[si]);
  uint32_t count = static_cast<uint32_t>(fp[n]);
  if (!gc::array_range_ok(d->length, dix, count) || !gc::array_range_ok(s->length, six, count))
    return TrapKind::OutOfBoundsArrayAccess;
  gc::array_copy(d, dix, s, six, count);
  return kNoTrap;
}

TrapKind gc_array_init_data(rt::InstanceInst* inst, uint64_t* fp, uint32_t seg, uint32_t arr,
                            uint32_t d, uint32_t s, uint32_t n) {
  if (fp[arr] == 0) return TrapKind::NullArrayReference;
  Object* a = gc::as_object(fp[arr]);
  uint32_t dix = static_cast<uint32_t>(fp[d]);
  uint64_t six = static_cast<uint32_t>(fp[s]);
  uint32_t count = static_cast<uint32_t>(fp[n]);
  if (!gc::array_range_ok(a->length, dix, count)) return TrapKind::OutOfBoundsArrayAccess;
  const Span& data = inst->datas[seg];
  uint64_t bytes = uint64_t{count} * a->rtt->elem_size;
  if (six > data.size || bytes > data.size - six) return TrapKind::OutOfBoundsMemory;
  gc::array_init_bytes(a, dix, inst->m().data(data) + six, count);
  return kNoTrap;
}

TrapKind gc_array_init_elem(rt::InstanceInst* inst, uint64_t* fp, uint32_t seg, uint32_t arr,
                            uint32_t d, uint32_t s, uint32_t n) {
  if (fp[arr] == 0) return TrapKind::NullArrayReference;
  Object* a = gc::as_object(fp[arr]);
  uint32_t dix = static_cast<uint32_t>(fp[d]);
  uint64_t six = static_cast<uint32_t>(fp[s]);
  uint32_t count = static_cast<uint32_t>(fp[n]);
  if (!gc::array_range_ok(a->length, dix, count)) return TrapKind::OutOfBoundsArrayAccess;
  const std::vector<uint64_t>& e = inst->elems[seg];
  if (six > e.size() || count > e.size() - six) return TrapKind::OutOfBoundsTable;
  gc::array_init_refs(a, dix, e.data() + six, count);
  return kNoTrap;
}

bool gc_ref_test(uint64_t r, uint32_t kind_word, uint32_t operand, const gc::Rtt* rtt,
                 rt::InstanceInst* inst) {
  bool nullable = (kind_word >> 8) & 1;
  if (r == 0) return nullable;
  switch (static_cast<CastKind>(kind_word & 0xff)) {
    case CastKind::Abstract: return gc::non_null_in_abstract(r, static_cast<AbsHeap>(operand));
    case CastKind::Object:
      return gc::is_object(r) && gc::rtt_is_subtype(gc::as_object(r)->rtt, rtt);
    case CastKind::Func: {
      auto* f = reinterpret_cast<rt::FuncInst*>(r);
      return f->type_id == operand || inst->module->engine->types.is_subtype(f->type_id, operand);
    }
  }
  return false;
}

}  // namespace wasmrun::interp
