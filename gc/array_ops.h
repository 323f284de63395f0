// Bulk array operations (array.fill, array.copy, array.init_data,
// array.init_elem, and the filling half of array.new / array.new_fixed /
// array.new_data / array.new_elem), shared by every tier's slow paths.
//
// Callers do the null checks and the range checks (array_range_ok and their
// own check on the data or element segment) first, and trap with the spec's
// message; these functions assume valid ranges. None of them allocates, so
// none of them can trigger a collection.
#pragma once

#include <cstdint>
#include <cstring>

#include "gc/object.h"

namespace wasmrun::gc {

/// Whether elements [index, index + count) lie inside an array of `length`
/// elements, computed without 32-bit wrap-around. The spec traps with "out of
/// bounds array access" when this is false, even for count == 0 past the end.
constexpr bool array_range_ok(uint32_t length, uint32_t index, uint32_t count) {
  return uint64_t{index} + count <= length;
}

/// array.fill: writes the `elem_size` bytes at `value` (a v128's 16 bytes, or
/// the low bytes of a little-endian slot) to elements [index, index + count).
inline void array_fill(Object* a, uint32_t index, const uint8_t* value, uint32_t count) {
  const uint32_t size = a->rtt->elem_size;
  uint8_t* p = a->element(index);
  if (size == 1) {
    std::memset(p, *value, count);
  } else {
    for (uint32_t i = 0; i < count; ++i, p += size) std::memcpy(p, value, size);
  }
  if (a->rtt->elem_traced) write_ref_range(a, a->element(index), count);
}

/// array.fill with a value held in one 64-bit slot (every element type but v128).
inline void array_fill_slot(Object* a, uint32_t index, uint64_t value, uint32_t count) {
  uint8_t bytes[8];
  store_scalar(bytes, a->rtt->elem_storage, value);
  array_fill(a, index, bytes, count);
}

/// array.copy: elements [si, si + count) of `src` to [di, di + count) of `dst`.
/// The element types have the same storage (validation guarantees it);
/// overlapping ranges within one array copy as if through a temporary.
inline void array_copy(Object* dst, uint32_t di, Object* src, uint32_t si, uint32_t count) {
  std::memmove(dst->element(di), src->element(si), size_t{count} * dst->rtt->elem_size);
  if (dst->rtt->elem_traced) write_ref_range(dst, dst->element(di), count);
}

/// array.init_data / array.new_data: `count` elements from the little-endian
/// bytes at `data` (count * elem_size bytes of a data segment).
inline void array_init_bytes(Object* a, uint32_t index, const uint8_t* data, uint32_t count) {
  if (count == 0) return;  // `data` may be null (a dropped segment): memcpy forbids it
  std::memcpy(a->element(index), data, size_t{count} * a->rtt->elem_size);
}

/// array.init_elem / array.new_elem / array.new_fixed of references: `count`
/// reference slots to a reference array.
inline void array_init_refs(Object* a, uint32_t index, const Ref* refs, uint32_t count) {
  if (count == 0) return;  // `refs` may be null (a dropped segment): memcpy forbids it
  std::memcpy(a->element(index), refs, size_t{count} * sizeof(Ref));
  write_ref_range(a, a->element(index), count);
}

}  // namespace wasmrun::gc
