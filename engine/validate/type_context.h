// TypeContext: the module's type space as the validator sees it: iso-recursive
// canonical ids, subtyping between value and heap types, and the checks on the
// type section itself (forward references, declared supertypes).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/module.h"
#include "wasmrun/result.h"

namespace wasmrun {

class TypeContext {
 public:
  explicit TypeContext(const Module& m) : m_(m) {}

  /// Checks the type section (type indices in range, supertypes declared earlier,
  /// non-final and structurally compatible) and computes canonical ids. Must run
  /// before any subtyping query.
  Status check_and_canonicalize();

  const std::vector<uint32_t>& canonical() const { return canon_; }
  size_t size() const { return m_.types.size(); }
  bool valid_index(uint32_t i) const { return i < m_.types.size(); }
  const SubType& type(uint32_t i) const { return m_.types[i]; }
  bool is_func(uint32_t i) const {
    return i < m_.types.size() && m_.types[i].comp.kind == CompositeType::Kind::Func;
  }
  bool is_struct(uint32_t i) const {
    return i < m_.types.size() && m_.types[i].comp.kind == CompositeType::Kind::Struct;
  }
  bool is_array(uint32_t i) const {
    return i < m_.types.size() && m_.types[i].comp.kind == CompositeType::Kind::Array;
  }

  /// Whether every type index the value type mentions exists.
  bool valid(const ValType& t) const {
    return t.kind != ValKind::Ref || !t.heap.is_index() || t.heap.index < m_.types.size();
  }
  bool valid(const HeapType& h) const { return !h.is_index() || h.index < m_.types.size(); }

  bool heap_sub(const HeapType& a, const HeapType& b) const;
  bool sub(const ValType& a, const ValType& b) const {
    if (a.kind == ValKind::Bot) return true;
    if (a.kind != b.kind) return false;
    if (a.kind != ValKind::Ref) return true;
    if (a.nullable && !b.nullable) return false;
    return heap_sub(a.heap, b.heap);
  }
  /// Type equivalence (both directions of subtyping).
  bool same(const ValType& a, const ValType& b) const { return sub(a, b) && sub(b, a); }

  /// The top of the hierarchy a heap type belongs to (any, func, extern or exn).
  AbsHeap top_of(const HeapType& h) const;

  /// Field storage subtyping (mutable fields are invariant).
  bool field_sub(const FieldType& a, const FieldType& b) const;

 private:
  bool comp_sub(const CompositeType& a, const CompositeType& b) const;

  const Module& m_;
  std::vector<uint32_t> canon_;
};

}  // namespace wasmrun
