// FuncValidator: type-checks one instruction sequence (a function body or a
// constant expression) over InstrReader with an operand-type stack and a control
// stack, and records the FunctionInfo side tables the execution tiers consume.
//
// One object is reused for every function of a module so the stacks keep their
// capacity: validating a body allocates nothing per instruction.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/decode/instr_reader.h"
#include "engine/features.h"
#include "engine/validate/type_context.h"
#include "engine/validate/validated_module.h"

namespace wasmrun {

/// Static per-opcode facts derived once from opcodes.def (operand signature,
/// natural access size, lane count).
struct OpSig {
  bool generic = false;  ///< typed by the signature alone (plus immediates checks)
  uint8_t np = 0, nr = 0;
  ValKind p[4] = {};
  ValKind r = ValKind::I32;
  uint8_t addr_params = 0;  ///< bit i: parameter i is the memory's address type
  bool addr_result = false;
  uint8_t natural_log2 = 0;  ///< for memory accesses
  uint8_t lanes = 0;         ///< for lane immediates: the lane count
  bool atomic = false;       ///< requires exactly natural alignment
};
extern const OpSig* const kOpSigs;  ///< indexed by Op
inline const OpSig& op_sig(Op op) { return kOpSigs[static_cast<unsigned>(op)]; }

/// Module-wide facts the body validator reads.
struct ModuleEnv {
  const Module& m;
  const TypeContext& types;
  const Features& features;
  const std::vector<bool>& declared_funcs;
};

/// The operand-type stack: a vector without per-push bounds bookkeeping beyond
/// one capacity check, and a resize that only shrinks (the only use).
class TypeStack {
 public:
  size_t size() const { return size_; }
  const ValType& back() const { return data_[size_ - 1]; }
  void pop_back() { --size_; }
  void push_back(const ValType& t) {
    if (size_ == cap_) [[unlikely]]
      grow();
    data_[size_++] = t;
  }
  void resize(size_t n) { size_ = n; }  ///< n <= size()
  ValType& operator[](size_t i) { return data_[i]; }
  const ValType& operator[](size_t i) const { return data_[i]; }
  void clear() { size_ = 0; }

 private:
  [[gnu::noinline]] void grow() {
    buf_.resize(buf_.empty() ? 256 : buf_.size() * 2);
    data_ = buf_.data();
    cap_ = buf_.size();
  }
  std::vector<ValType> buf_;
  ValType* data_ = nullptr;
  size_t size_ = 0, cap_ = 0;
};

class FuncValidator {
 public:
  explicit FuncValidator(const ModuleEnv& env) : env_(env), m_(env.m), tc_(env.types) {}

  /// Validates the body of defined function `func_index`, filling `info`.
  Status validate_function(uint32_t func_index, FunctionInfo& info);

  /// Validates a constant expression producing `expected`. Only the first
  /// `num_globals` globals are visible (a global's initializer sees earlier ones).
  Status validate_const(const ConstExpr& e, const ValType& expected, uint32_t num_globals);

 private:
  struct Ctrl {
    Op op;  ///< block, loop, if_, else_, try_, catch_, catch_all, try_table, or end for the
            ///< function
    BlockType::Kind bt_kind;
    ValType single;        ///< result type of a single-value block type
    uint32_t bt_index;     ///< function type of an Index block type
    uint32_t height;       ///< operand stack height at entry (after params were popped)
    uint32_t init_height;  ///< local-initialization stack height at entry
    uint32_t block;        ///< index into blocks_ (~0u for the function)
    bool unreachable;
  };

  // Block-type views. Spans point into the module or into `c`, so they must not
  // outlive a push to ctrl_.
  std::span<const ValType> params_of(const Ctrl& c) const;
  std::span<const ValType> results_of(const Ctrl& c) const;
  std::span<const ValType> label_types(const Ctrl& c) const {
    return c.op == Op::loop ? params_of(c) : results_of(c);
  }

  Status run(Reader& r, uint32_t end_offset);
  bool step(const Instr& in);
  bool step_generic(const Instr& in, const OpSig& s);
  bool step_control(const Instr& in);
  bool step_ref(const Instr& in);
  bool step_gc(const Instr& in);
  bool step_table_bulk(const Instr& in);
  bool tail_results(const FuncType& callee);
  /// Records the current operand stack's GC-reference positions at `offset`, an
  /// instruction at which a collection may happen (calls, allocations, throw).
  void record_safepoint(uint32_t offset);

  // Operand stack.
  [[gnu::always_inline]] void push(const ValType& t) {
    stack_.push_back(t);
    if (stack_.size() > max_height_) max_height_ = static_cast<uint32_t>(stack_.size());
  }
  bool pop(const ValType& expect);
  bool pop_kind(ValKind k) { return pop(ValType{k, false, {}}); }
  /// Pops any operand; Bot when the stack is polymorphic. `ok` false on underflow.
  ValType pop_any(bool& ok);
  bool pop_types(std::span<const ValType> ts);
  void push_types(std::span<const ValType> ts) {
    for (const ValType& t : ts) push(t);
  }
  bool pop_ref(ValType& out);  ///< pops a reference (or Bot), type mismatch otherwise
  void set_unreachable();

  // Control stack.
  bool push_ctrl(const Instr& in, Op op);
  bool check_block_type(const BlockType& bt);
  bool check_frame_end(const Ctrl& c);  ///< exact results at end/else
  bool label(uint32_t depth, Ctrl*& out);
  void reset_locals(uint32_t init_height);

  // Index checks with the spec's messages.
  bool check_type_index(uint32_t i);
  bool check_func_type(uint32_t i);
  bool check_memory(uint32_t i, ValType& addr);
  bool check_table(uint32_t i, ValType& addr);
  bool check_data(uint32_t i);
  bool check_elem(uint32_t i);
  bool check_valtype(const ValType& t);
  bool check_heap(const HeapType& h);

  bool sub(const ValType& a, const ValType& b) const { return tc_.sub(a, b); }

  [[gnu::cold, gnu::noinline]] bool fail(const char* msg);
  [[gnu::cold, gnu::noinline]] bool fail_idx(const char* what, uint32_t index);
  [[gnu::cold, gnu::noinline]] bool fail_malformed(const char* msg);
  [[gnu::cold, gnu::noinline]] bool fail_pop(const ValType& expect, const ValType* got);
  [[gnu::cold, gnu::noinline]] bool fail_frame_end(const Ctrl& c);
  bool mismatch() { return fail("type mismatch"); }

  const ModuleEnv& env_;
  const Module& m_;
  const TypeContext& tc_;

  // Per-run state.
  TypeStack stack_;
  std::vector<Ctrl> ctrl_;
  std::vector<ValType> locals_;
  std::vector<uint8_t> local_init_;
  std::vector<uint32_t> init_stack_;
  std::vector<ValType> scratch_;
  // FunctionInfo's recorded lists for the current function, copied to it at
  // their final size when the function validates (see record_safepoint).
  std::vector<BlockInfo> blocks_;
  std::vector<ValType> operand_types_;
  std::vector<uint32_t> call_sites_;
  std::vector<SafepointTypes> safepoints_;
  std::vector<uint32_t> safepoint_refs_;
  bool track_init_ = false;
  bool const_mode_ = false;
  uint32_t const_globals_ = 0;
  uint32_t max_height_ = 0;
  uint32_t max_depth_ = 0;
  uint64_t use_weight_ = 1;  ///< what one local access adds to FunctionInfo::local_weights here
  uint32_t func_type_ = 0;
  uint32_t cur_offset_ = 0;
  FunctionInfo* info_ = nullptr;
  Error error_;
  bool failed_ = false;
};

}  // namespace wasmrun
