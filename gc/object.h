// The layout of GC objects. Generated code (interpreter handlers and both JIT
// tiers) reads and writes objects with plain loads and stores at the offsets
// defined here, so this layout is a contract:
//
//   offset  size  struct                          array
//   0       8     const Rtt* rtt                  const Rtt* rtt
//   8       4     gc word (collector-private)     gc word (collector-private)
//   12      4     unused (0)                      uint32 length
//   16      ...   fields at Rtt::fields[i].offset elements, elem_size bytes each
//
// * Every object starts 8-byte aligned (16-byte aligned when Rtt::align is 16,
//   i.e. it has a v128 field or element), so a pointer to it is a Ref with the
//   low 3 bits clear (gc/value.h).
// * Struct fields are in declaration order, each at its natural alignment
//   (1, 2, 4, 8 or 16 bytes); a subtype's inherited fields have the same offsets
//   as in the supertype.
// * Packed fields (i8/i16) are stored in 1 or 2 bytes; struct.get_s/_u and
//   array.get_s/_u sign- or zero-extend on load (load_packed below).
// * Reference fields hold a Ref (gc/value.h) in 8 bytes. Stores of references
//   into objects go through write_ref() so that a generational collector can add
//   a write barrier in one place.
// * New objects are zero-filled: every numeric field is 0 and every reference
//   field is null, as struct.new_default/array.new_default require.
// * The gc word belongs to the collector (mark and dirty bits); mutators touch
//   it only through the barrier.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "gc/rtt.h"
#include "gc/value.h"

namespace wasmrun::gc {

inline constexpr uint32_t kHeaderSize = 16;
inline constexpr size_t kObjectRttOffset = 0;
inline constexpr size_t kObjectGcWordOffset = 8;
inline constexpr size_t kArrayLengthOffset = 12;
inline constexpr size_t kArrayDataOffset = kHeaderSize;

/// gc word bits. kMarkBit: reached by the current marking (and, in generational
/// mode, "old": survived a collection). kDirtyBit: a reference to an object
/// was stored into this object since the last collection.
inline constexpr uint32_t kMarkBit = 1;
inline constexpr uint32_t kDirtyBit = 2;

/// Largest array length accepted (the spec's i32 length, unsigned).
inline constexpr uint64_t kMaxArrayLength = 0xffffffffu;

/// The header every object starts with.
struct Object {
  const Rtt* rtt;
  uint32_t gc_word;
  uint32_t length;  ///< arrays only; 0 for structs

  uint8_t* bytes() { return reinterpret_cast<uint8_t*>(this); }
  const uint8_t* bytes() const { return reinterpret_cast<const uint8_t*>(this); }
  bool is_struct() const { return rtt->kind == RttKind::Struct; }
  bool is_array() const { return rtt->kind == RttKind::Array; }
  /// Address of struct field `i`.
  uint8_t* field(uint32_t i) { return bytes() + rtt->fields[i].offset; }
  /// Address of array element `i` (no bounds check).
  uint8_t* element(uint32_t i) {
    return bytes() + kArrayDataOffset + static_cast<size_t>(i) * rtt->elem_size;
  }
};

static_assert(sizeof(Object) == kHeaderSize);
static_assert(offsetof(Object, rtt) == kObjectRttOffset);
static_assert(offsetof(Object, gc_word) == kObjectGcWordOffset);
static_assert(offsetof(Object, length) == kArrayLengthOffset);

/// Byte size of an array object of `length` elements of `elem_size` bytes, or 0
/// if it overflows 64 bits (it cannot for a u32 length and elem_size <= 16, but
/// callers check the result against the heap cap anyway).
constexpr uint64_t array_byte_size(uint64_t length, uint32_t elem_size) {
  return kHeaderSize + length * elem_size;
}

/// Reads a field or element stored as `s` into a 64-bit slot, the way the
/// interpreter's operand stack holds it: i8/i16 zero-extended (use load_packed
/// for the signed variants), i32/f32 in the low 32 bits, i64/f64/ref as is.
/// V128 is not handled here (it needs two slots); copy its 16 bytes directly.
inline uint64_t load_scalar(const uint8_t* p, Storage s) {
  switch (s) {
    case Storage::I8: return *p;
    case Storage::I16: {
      uint16_t v;
      std::memcpy(&v, p, 2);
      return v;
    }
    case Storage::I32:
    case Storage::F32: {
      uint32_t v;
      std::memcpy(&v, p, 4);
      return v;
    }
    default: {
      uint64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
  }
}

/// struct.get_s / struct.get_u / array.get_s / array.get_u on a packed field:
/// the i32 result.
inline uint32_t load_packed(const uint8_t* p, Storage s, bool sign_extend) {
  if (s == Storage::I8) {
    return sign_extend ? static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(*p))) : *p;
  }
  uint16_t v;
  std::memcpy(&v, p, 2);
  return sign_extend ? static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(v))) : v;
}

/// Stores a slot value into a non-reference field or element, truncating for
/// packed storage (struct.set on an i8 field keeps the low 8 bits).
inline void store_scalar(uint8_t* p, Storage s, uint64_t v) {
  switch (s) {
    case Storage::I8: *p = static_cast<uint8_t>(v); return;
    case Storage::I16: {
      const uint16_t x = static_cast<uint16_t>(v);
      std::memcpy(p, &x, 2);
      return;
    }
    case Storage::I32:
    case Storage::F32: {
      const uint32_t x = static_cast<uint32_t>(v);
      std::memcpy(p, &x, 4);
      return;
    }
    default: std::memcpy(p, &v, 8); return;
  }
}

/// Stores reference `value` into the reference field at `slot` of `obj`: the
/// store plus the write barrier (see the header comment). Every tier must use
/// this or emit the same sequence for struct.set, array.set and friends.
inline void write_ref(Object* obj, uint8_t* slot, Ref value) {
  std::memcpy(slot, &value, 8);
  if (is_object(value)) obj->gc_word |= kDirtyBit;
}

/// The barrier for `count` consecutive reference slots of `obj` starting at
/// `first` that were overwritten in bulk (array.copy, array.fill,
/// array.init_elem): the values are not inspected, the object is marked dirty.
inline void write_ref_range(Object* obj, uint8_t* first, size_t count) {
  (void)first;
  if (count != 0) obj->gc_word |= kDirtyBit;
}

inline Ref read_ref(const uint8_t* slot) {
  Ref r;
  std::memcpy(&r, slot, 8);
  return r;
}

}  // namespace wasmrun::gc
