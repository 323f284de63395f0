// ValidatedModule: a Module that passed validation, plus the facts the validator
// derived that every execution tier reuses instead of recomputing.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/module.h"

namespace wasmrun {

/// Where a structured instruction's parts are, for the interpreter's lowering pass
/// and the JIT tiers (no tier ever scans for a matching `end`).
struct BlockInfo {
  uint32_t start = 0;    ///< offset of the block/loop/if/try/try_table opcode
  uint32_t else_pc = 0;  ///< offset of the matching `else` (if) or first catch (try); 0 if none
  uint32_t end_pc = 0;   ///< offset of the matching `end` (or `delegate` for a try)
};

/// The operand-stack types at one safepoint of a function (an instruction where
/// a collection may happen: calls, allocations, throws), for precise stack maps.
struct SafepointTypes {
  uint32_t offset = 0;  ///< bytecode offset of the instruction
  uint32_t height = 0;  ///< operand stack height before it pops its operands
  /// FunctionInfo::safepoint_refs[first, first + count): the stack indices
  /// (0 = bottom of the function's operand stack) whose type may hold a GC object.
  uint32_t first = 0, count = 0;
};

/// Whether values of type `t` may point to GC heap objects (structs, arrays,
/// exception objects): references in the any and extern hierarchies, except
/// the ones that hold only i31s or null, and exnref (exception objects live in
/// the GC heap, docs/exceptions.md). Func references point to runtime objects.
bool holds_gc_object(const Module& m, const ValType& t);

/// Per defined function.
struct FunctionInfo {
  std::vector<ValType> locals;     ///< parameters, then declared locals, expanded
  uint32_t max_stack_height = 0;   ///< max operand stack depth in values
  uint32_t max_control_depth = 0;  ///< max nesting of blocks (function body = 1)
  std::vector<BlockInfo> blocks;   ///< one per structured instruction, in bytecode order
  /// Type of the operand of each `drop` and untyped `select`, in bytecode order;
  /// ValType::bot() where the operand is polymorphic (unreachable code).
  std::vector<ValType> operand_types;
  std::vector<uint32_t>
      call_sites;  ///< offsets of call, call_indirect, call_ref and return_call* opcodes
  /// Safepoints in bytecode order (calls, struct.new*, array.new*, throw), with
  /// the GC-reference positions of the operand stack at each.
  std::vector<SafepointTypes> safepoints;
  std::vector<uint32_t> safepoint_refs;
  /// Per local (parameters first): how hot it is, for register allocation in the
  /// compiled tiers: each local.get/set/tee adds 8^(enclosing loops), capped near 2^40.
  std::vector<uint64_t> local_weights;
  uint32_t num_tries = 0;         ///< try and try_table blocks
  uint32_t num_legacy_tries = 0;  ///< of which legacy `try`
};

struct ValidatedModule {
  std::shared_ptr<const Module> module;
  /// Type index -> module-local canonical id: two indices are equivalent types
  /// (iso-recursive equivalence) iff their ids are equal.
  std::vector<uint32_t> canonical_type;
  /// Function index -> whether `ref.func` may name it (declared in elems, exports, globals).
  std::vector<bool> declared_funcs;
  /// Per defined function (function index - num_imported_funcs).
  std::vector<FunctionInfo> functions;

  const Module& m() const { return *module; }
};

}  // namespace wasmrun
