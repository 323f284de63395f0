// Object construction and field access in operand-slot form.
#include "gc/construct.h"

#include <cstring>

#include "gc/array_ops.h"

namespace wasmrun::gc {

void load_slots(const uint8_t* p, Storage s, uint64_t* out) {
  if (s == Storage::V128) {
    std::memcpy(out, p, 16);
    return;
  }
  out[0] = load_scalar(p, s);
}

void store_slots(Object* obj, uint8_t* p, Storage s, const uint64_t* in) {
  switch (s) {
    case Storage::V128: std::memcpy(p, in, 16); return;
    case Storage::Ref: write_ref(obj, p, in[0]); return;
    default: store_scalar(p, s, in[0]); return;
  }
}

Object* new_struct(Heap& heap, const Rtt& rtt, const uint64_t* operands) {
  Object* o = heap.try_alloc_struct(rtt);
  if (!o) return nullptr;
  for (const FieldLayout& f : rtt.fields) {
    store_slots(o, o->bytes() + f.offset, f.storage, operands);
    operands += slot_count(f.storage);
  }
  return o;
}

Object* new_array_filled(Heap& heap, const Rtt& rtt, uint32_t length, const uint64_t* value) {
  Object* a = heap.try_alloc_array(rtt, length);
  if (!a) return nullptr;
  uint8_t bytes[16];
  if (rtt.elem_storage == Storage::V128) {
    std::memcpy(bytes, value, 16);
  } else {
    store_scalar(bytes, rtt.elem_storage, value[0]);
  }
  array_fill(a, 0, bytes, length);
  return a;
}

Object* new_array_fixed(Heap& heap, const Rtt& rtt, uint32_t length, const uint64_t* values) {
  Object* a = heap.try_alloc_array(rtt, length);
  if (!a) return nullptr;
  const uint32_t step = slot_count(rtt.elem_storage);
  for (uint32_t i = 0; i < length; ++i)
    store_slots(a, a->element(i), rtt.elem_storage, values + i * step);
  return a;
}

Object* new_array_from_bytes(Heap& heap, const Rtt& rtt, uint32_t length, const uint8_t* data) {
  Object* a = heap.try_alloc_array(rtt, length);
  if (!a) return nullptr;
  array_init_bytes(a, 0, data, length);
  return a;
}

}  // namespace wasmrun::gc
