// GC instructions in constant expressions (global, table and element
// initializers): struct.new, struct.new_default, array.new, array.new_default,
// array.new_fixed and ref.i31. any.convert_extern / extern.convert_any are the
// identity and handled by eval_const itself.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/decode/instr_reader.h"
#include "engine/runtime/objects.h"

namespace wasmrun::rt {

/// One value of the constant-expression evaluator's stack (two words for a v128).
struct ConstSlot {
  uint64_t v[2];
};

/// Whether eval_gc_const handles `op`.
bool is_gc_const_op(Op op);

/// Applies GC instruction `in` to the evaluator stack `st`. Allocation failure
/// is a trap. Every object reference on `st` stays rooted while it allocates.
Status eval_gc_const(InstanceInst& inst, const Instr& in, std::vector<ConstSlot>& st);

}  // namespace wasmrun::rt
