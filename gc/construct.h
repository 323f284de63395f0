// Building and reading objects in terms of operand slots: the shared core of
// struct.new / struct.get / struct.set / array.new* / array.get / array.set for
// the interpreter, constant-expression evaluation and the JITs' slow paths.
//
// Slot convention (the interpreter's): one uint64_t per value, two adjacent
// slots for a v128 (low 8 bytes first); i32/f32 in the low 32 bits; packed
// fields take and give i32 slots.
//
// GC safety: the new_* functions allocate first and read their operands
// afterwards, because a collection during the allocation may be the last
// chance to keep the operands' referents alive. So operand slots holding
// references must be visible to the collector (interpreter frame slots, a
// HandleScope, a registered root range), not C++ temporaries.
#pragma once

#include <cstdint>

#include "gc/heap.h"
#include "gc/object.h"
#include "gc/rtt.h"

namespace wasmrun::gc {

/// Number of slots a value of storage `s` occupies (2 for v128, else 1).
constexpr uint32_t slot_count(Storage s) { return s == Storage::V128 ? 2 : 1; }

/// Reads a field or element (unsigned for packed storage) into `out`.
void load_slots(const uint8_t* p, Storage s, uint64_t* out);
/// Writes `in` to a field or element of `obj` (through write_ref for references).
void store_slots(Object* obj, uint8_t* p, Storage s, const uint64_t* in);

/// struct.get / struct.get_s / struct.get_u of field `i`.
inline void struct_get(Object* o, uint32_t i, bool sign_extend, uint64_t* out) {
  const FieldLayout& f = o->rtt->fields[i];
  if (f.storage == Storage::I8 || f.storage == Storage::I16) {
    out[0] = load_packed(o->bytes() + f.offset, f.storage, sign_extend);
  } else {
    load_slots(o->bytes() + f.offset, f.storage, out);
  }
}
/// struct.set of field `i`.
inline void struct_set(Object* o, uint32_t i, const uint64_t* in) {
  const FieldLayout& f = o->rtt->fields[i];
  store_slots(o, o->bytes() + f.offset, f.storage, in);
}
/// array.get / array.get_s / array.get_u (index already bounds-checked).
inline void array_get(Object* a, uint32_t index, bool sign_extend, uint64_t* out) {
  const Storage s = a->rtt->elem_storage;
  if (s == Storage::I8 || s == Storage::I16) {
    out[0] = load_packed(a->element(index), s, sign_extend);
  } else {
    load_slots(a->element(index), s, out);
  }
}
/// array.set (index already bounds-checked).
inline void array_set(Object* a, uint32_t index, const uint64_t* in) {
  store_slots(a, a->element(index), a->rtt->elem_storage, in);
}

/// struct.new: fields from `operands`, in field order. nullptr on allocation
/// failure (Heap::last_failure()).
Object* new_struct(Heap& heap, const Rtt& rtt, const uint64_t* operands);
/// array.new: `length` copies of the value in `value`.
Object* new_array_filled(Heap& heap, const Rtt& rtt, uint32_t length, const uint64_t* value);
/// array.new_fixed (and array.new_elem from evaluated element slots): `length`
/// values, slot_count(elem) slots each.
Object* new_array_fixed(Heap& heap, const Rtt& rtt, uint32_t length, const uint64_t* values);
/// array.new_data: `length` elements from little-endian bytes (the caller has
/// checked that length * elem_size bytes of the segment exist).
Object* new_array_from_bytes(Heap& heap, const Rtt& rtt, uint32_t length, const uint8_t* data);

}  // namespace wasmrun::gc
