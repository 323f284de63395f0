// ref.test, ref.cast, br_on_cast and br_on_cast_fail reduce to these checks on a
// slot (gc/value.h). Each is O(1): abstract types look at the tag bits and at
// most the Rtt's kind; concrete types are one display load and compare.
//
// The checks assume the operand is well-typed (the validator guarantees that a
// cast's operand is in the target's hierarchy), so e.g. testing `any` only
// needs a null check.
#pragma once

#include "engine/types.h"
#include "gc/object.h"
#include "gc/rtt.h"
#include "gc/value.h"

namespace wasmrun::gc {

/// Whether `r` (non-null or null) is in abstract heap type `target`, ignoring
/// nullability: null answers false here; callers add `|| (nullable && null)`.
inline bool non_null_in_abstract(Ref r, AbsHeap target) {
  switch (target) {
    case AbsHeap::Any:
    case AbsHeap::Extern:
    case AbsHeap::Func:
    case AbsHeap::Exn: return !is_null(r);
    case AbsHeap::Eq: return is_i31(r) || is_object(r);
    case AbsHeap::I31: return is_i31(r);
    case AbsHeap::Struct: return is_object(r) && as_object(r)->rtt->kind == RttKind::Struct;
    case AbsHeap::Array: return is_object(r) && as_object(r)->rtt->kind == RttKind::Array;
    case AbsHeap::None:
    case AbsHeap::NoExtern:
    case AbsHeap::NoFunc:
    case AbsHeap::NoExn: return false;
  }
  return false;
}

/// ref.test (ref null? <abstract>).
inline bool ref_test_abstract(Ref r, AbsHeap target, bool nullable) {
  if (is_null(r)) return nullable;
  return non_null_in_abstract(r, target);
}

/// ref.test (ref null? $t) for a struct or array type $t with Rtt `target`.
/// (Func-typed casts test the FuncInst's Rtt with rtt_is_subtype directly.)
inline bool ref_test_concrete(Ref r, const Rtt* target, bool nullable) {
  if (is_null(r)) return nullable;
  return is_object(r) && rtt_is_subtype(as_object(r)->rtt, target);
}

}  // namespace wasmrun::gc
