// TypeRegistry: engine-wide canonical types, so that types from different modules
// (and host functions) compare by an integer id.
//
// Each module's recursion groups are interned by structure: a group's key encodes
// its types with references inside the group written as group-relative indices
// and references to earlier groups written as their canonical ids. Two groups with
// the same key are the same group (iso-recursive equivalence), so a type index of
// any module maps to one engine id, and "same type" is id equality. Stored types
// are rewritten so that every concrete heap type index is an engine id.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/module.h"
#include "engine/types.h"

namespace wasmrun::rt {

class TypeRegistry {
 public:
  /// Interns every rec group of `m`; returns the engine id of each type index.
  std::vector<uint32_t> intern_module(const Module& m);
  /// Interns a function type whose heap types are abstract or already engine ids.
  uint32_t intern_func_type(const FuncType& t);

  /// Whether canonical type `sub` is `super` or declares it (transitively) as supertype.
  bool is_subtype(uint32_t sub, uint32_t super) const;
  /// The canonical type (concrete heap type indices are engine ids).
  const SubType& type(uint32_t id) const;

  /// Subtyping on value types in canonical form.
  bool val_subtype(const ValType& a, const ValType& b) const;
  bool heap_subtype(const HeapType& a, const HeapType& b) const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, uint32_t> groups_;  // key -> first id
  std::deque<SubType> types_;                         // deque: type() references stay valid
};

/// Rewrites concrete type indices of `t` into engine ids using `ids`.
ValType canonical_val_type(const ValType& t, const std::vector<uint32_t>& ids);
FuncType canonical_func_type(const FuncType& t, const std::vector<uint32_t>& ids);

}  // namespace wasmrun::rt
