// Runtime type descriptors (RTTs): one per canonical type, engine-wide.
//
// An Rtt is what a GC object's header points to. It answers three questions in
// constant time:
//   * what the object looks like (field offsets and storage types, array
//     element size) so struct.get/array.get compile to a plain load;
//   * which words the collector must trace (ref_offsets / elem_traced);
//   * whether the object's type is a subtype of a concrete type T: with the
//     supertype display, `sub <: T` iff sub->display[T->depth] == T
//     (Cohen's display, as in V8 and Wasmtime). Displays are padded to at least
//     kMinDisplaySize entries with nulls, so a target at depth < kMinDisplaySize
//     needs no bounds check.
//
// Rtts are built from engine/types.h SubTypes in canonical form (every concrete
// heap type index and the declared supertype are canonical type ids, as
// rt::TypeRegistry stores them). An instance resolves each of its module's
// type indices to an Rtt once, at instantiation; after that no code path looks
// types up by id. Rtts are immutable once built and live as long as their
// registry, so they can be shared by every Store of an Engine and read from any
// thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/types.h"

namespace wasmrun::gc {

/// How a field or array element is stored. Packed I8/I16 are only storage types.
enum class Storage : uint8_t { I8, I16, I32, I64, F32, F64, V128, Ref };

/// Byte size of a storage type (also its alignment inside an object).
uint32_t storage_size(Storage s);
/// The storage type of a field's value type.
Storage storage_of(const ValType& t);

/// One struct field or an array's element.
struct FieldLayout {
  uint32_t offset = 0;  ///< from the object start (array element 0 for arrays)
  Storage storage = Storage::I32;
  bool mut = false;
  bool traced = false;  ///< holds a Ref the collector follows (any/extern hierarchy)
  ValType type;         ///< the declared field type, canonical
};

enum class RttKind : uint8_t { Func, Struct, Array };

inline constexpr uint32_t kMinDisplaySize = 8;

/// A runtime type. The first members have fixed offsets (kRtt* below) that
/// generated code reads; do not reorder them.
struct Rtt {
  /// display[i] is this type's ancestor at depth i (display[depth] == this);
  /// padded with nullptr up to kMinDisplaySize entries.
  const Rtt* const* display = nullptr;
  /// Number of proper supertypes (0 for a type without a declared supertype).
  uint32_t depth = 0;
  RttKind kind = RttKind::Struct;
  bool final = true;
  /// Array elements are traced references.
  bool elem_traced = false;
  Storage elem_storage = Storage::I32;
  /// Struct: bytes of a whole instance (header included, not rounded up).
  /// Array: the header size, i.e. the offset of element 0.
  uint32_t instance_size = 0;
  /// Array: bytes per element. Struct: 0.
  uint32_t elem_size = 0;
  /// Struct: byte offsets of the traced fields, for the marker.
  const uint32_t* ref_offsets = nullptr;
  uint32_t num_ref_offsets = 0;
  /// Alignment objects of this type need (8, or 16 with a v128 field).
  uint32_t align = 8;
  /// Canonical (engine-wide) type id.
  uint32_t canonical_id = 0;

  // Not read by generated code.
  std::vector<FieldLayout> fields;  ///< Struct: by field index
  FieldLayout elem;                 ///< Array: element 0's layout
  std::vector<const Rtt*> display_storage;
  std::vector<uint32_t> ref_offset_storage;

  Rtt() = default;
  Rtt(const Rtt&) = delete;
  Rtt& operator=(const Rtt&) = delete;
};

inline constexpr size_t kRttDisplayOffset = 0;
inline constexpr size_t kRttDepthOffset = 8;
inline constexpr size_t kRttKindOffset = 12;
inline constexpr size_t kRttInstanceSizeOffset = 16;
inline constexpr size_t kRttElemSizeOffset = 20;

/// Whether `sub` is `super` or a (transitive) declared subtype of it. O(1).
inline bool rtt_is_subtype(const Rtt* sub, const Rtt* super) {
  const uint32_t d = super->depth;
  if (d >= kMinDisplaySize && d > sub->depth) return false;
  return sub->display[d] == super;
}

/// Looks up a canonical type by canonical id (rt::TypeRegistry::type).
using TypeLookup = std::function<const SubType&(uint32_t canonical_id)>;

/// Engine-wide choices that change which fields are traced.
struct RttOptions {
  /// Exception packages (what an exnref points to) are allocated in the GC
  /// heap with exception_rtt(): exnref fields and elements are then traced,
  /// and root enumerators must visit exnref slots (and the pending-exception
  /// slot) like any other reference. Off: exnref points to runtime-owned
  /// memory, is never traced, and the runtime roots exception payloads itself.
  bool exceptions_in_heap = false;
};

/// Rtt::canonical_id of Rtts that are not wasm types (exception packages).
inline constexpr uint32_t kNoCanonicalId = 0xffffffffu;

/// Exception packages (RttRegistry::exception_rtt): runtime-owned u64 words
/// after the object header, then the payload slots.
inline constexpr uint32_t kExceptionHeaderWords = 3;
inline constexpr uint32_t kExceptionPayloadOffset = 16 + 8 * kExceptionHeaderWords;

/// Builds and owns the Rtt of every canonical type that asks for one.
/// Thread-safe: get() may be called concurrently (instantiation on several
/// threads); the returned pointers stay valid for the registry's lifetime.
class RttRegistry {
 public:
  explicit RttRegistry(RttOptions options = {}) : options_(options) {}

  /// The Rtt of canonical type `id`, built on first use together with its
  /// supertypes. Func types get an Rtt too (display only), so func-type casts
  /// can use the same O(1) test.
  const Rtt* get(uint32_t id, const TypeLookup& lookup);

  /// The Rtt of every type index of a module, given its index -> canonical id
  /// map (rt::CompiledModule::type_ids): what an instance keeps so that
  /// struct.new $t finds its Rtt with one indexed load.
  std::vector<const Rtt*> resolve(const std::vector<uint32_t>& type_ids, const TypeLookup& lookup);

  /// The layout of an exception package for tags of canonical func type
  /// `tag_type`: a struct-kind Rtt (not a subtype of anything). Fields 0..2 are
  /// untraced u64 words owned by the runtime (kExceptionHeaderWords: field 0
  /// the tag's identity), followed by the tag's parameters as raw 8-byte slots
  /// from kExceptionPayloadOffset on (a v128 takes two slots, at 8-byte
  /// alignment), immutable. Slots are what operand stacks hold, so a throw or
  /// a catch copies the payload with one memcpy; the parameters whose type is
  /// traced (is_traced_ref, exnref included with
  /// RttOptions::exceptions_in_heap) are the package's ref_offsets. Allocate
  /// packages with Heap::try_alloc_struct; with exceptions_in_heap they stay
  /// alive as long as an exnref reaches them.
  const Rtt* exception_rtt(uint32_t tag_type, const TypeLookup& lookup);

  const RttOptions& options() const { return options_; }

 private:
  const Rtt* get_locked(uint32_t id, const TypeLookup& lookup);

  RttOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Rtt>> by_id_;
  std::vector<std::unique_ptr<Rtt>> exn_by_type_;
};

/// Whether a field or element of type `t` holds a reference the collector must
/// trace: anything in the any hierarchy that can hold an object (any, eq,
/// struct, array, concrete struct/array types) and the extern hierarchy (an
/// externalized object is still an object), and exnref when exception packages
/// live in the heap (`exn_traced`). funcref points to store-owned FuncInsts and
/// is never traced; i31ref and the bottom types can never hold a pointer.
bool is_traced_ref(const ValType& t, const TypeLookup& lookup, bool exn_traced = false);

}  // namespace wasmrun::gc
