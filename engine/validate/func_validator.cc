// The body validator's core: the operand and control stacks, the main loop, and
// the numeric/memory instructions typed by their OpSig. Control, reference, GC and
// table/bulk instructions live in their own files (validate_*.cc).
#include "engine/validate/func_validator.h"

#include <cstdio>
#include <string>

namespace wasmrun {

bool FuncValidator::fail(const char* msg) {
  if (!failed_) {
    failed_ = true;
    error_ = Error(ErrorKind::Invalid, msg, cur_offset_);
  }
  return false;
}

bool FuncValidator::fail_idx(const char* what, uint32_t index) {
  if (!failed_) {
    failed_ = true;
    error_ =
        Error(ErrorKind::Invalid, std::string(what) + " " + std::to_string(index), cur_offset_);
  }
  return false;
}

bool FuncValidator::fail_malformed(const char* msg) {
  if (!failed_) {
    failed_ = true;
    error_ = Error(ErrorKind::Malformed, msg, cur_offset_);
  }
  return false;
}

// ---------------------------------------------------------------------------
// Operand stack

bool FuncValidator::pop(const ValType& expect) {
  const Ctrl& c = ctrl_.back();
  if (stack_.size() > c.height) [[likely]] {
    ValType t = stack_.back();
    stack_.pop_back();
    if (t.kind == expect.kind && t.kind != ValKind::Ref) [[likely]]
      return true;
    if (tc_.sub(t, expect)) return true;
    return fail_pop(expect, &t);
  }
  if (c.unreachable) return true;
  return fail_pop(expect, nullptr);
}

// The spec tests sometimes spell out the operands ("type mismatch: instruction
// requires [i32] but stack has [i64]"); the reference interpreter's wording.
bool FuncValidator::fail_pop(const ValType& expect, const ValType* got) {
  std::string msg = "type mismatch: instruction requires [" + to_string(expect) +
                    "] but stack has [" + (got ? to_string(*got) : std::string()) + "]";
  return fail(msg.c_str());
}

ValType FuncValidator::pop_any(bool& ok) {
  const Ctrl& c = ctrl_.back();
  if (stack_.size() > c.height) {
    ValType t = stack_.back();
    stack_.pop_back();
    ok = true;
    return t;
  }
  ok = c.unreachable || mismatch();
  return ValType::bot();
}

bool FuncValidator::pop_ref(ValType& out) {
  bool ok;
  out = pop_any(ok);
  if (!ok) return false;
  if (out.kind == ValKind::Bot) return true;
  if (out.kind != ValKind::Ref) return mismatch();
  return true;
}

bool FuncValidator::pop_types(std::span<const ValType> ts) {
  for (size_t i = ts.size(); i-- > 0;)
    if (!pop(ts[i])) return false;
  return true;
}

void FuncValidator::set_unreachable() {
  Ctrl& c = ctrl_.back();
  stack_.resize(c.height);
  c.unreachable = true;
}

// ---------------------------------------------------------------------------
// Index and type checks

bool FuncValidator::check_type_index(uint32_t i) {
  if (i >= m_.types.size()) [[unlikely]]
    return fail_idx("unknown type", i);
  return true;
}

bool FuncValidator::check_func_type(uint32_t i) {
  if (!check_type_index(i)) return false;
  if (!tc_.is_func(i)) return mismatch();
  return true;
}

bool FuncValidator::check_memory(uint32_t i, ValType& addr) {
  if (i >= m_.memories.size()) [[unlikely]]
    return fail_idx("unknown memory", i);
  addr = m_.memories[i].limits.address64 ? ValType::i64() : ValType::i32();
  return true;
}

bool FuncValidator::check_table(uint32_t i, ValType& addr) {
  if (i >= m_.tables.size()) [[unlikely]]
    return fail_idx("unknown table", i);
  addr = m_.tables[i].limits.address64 ? ValType::i64() : ValType::i32();
  return true;
}

bool FuncValidator::check_data(uint32_t i) {
  // Without a data count section the reference interpreter only objects when
  // there is a data section to refer to; otherwise the index is simply unknown.
  if (!m_.data_count && !m_.datas.empty()) return fail_malformed("data count section required");
  uint32_t n = m_.data_count ? *m_.data_count : 0;
  if (i >= n) return fail_idx("unknown data segment", i);
  return true;
}

bool FuncValidator::check_elem(uint32_t i) {
  if (i >= m_.elems.size()) return fail_idx("unknown elem segment", i);
  return true;
}

bool FuncValidator::check_heap(const HeapType& h) {
  if (h.is_index() && h.index >= m_.types.size()) return fail_idx("unknown type", h.index);
  return true;
}

bool FuncValidator::check_valtype(const ValType& t) {
  return t.kind != ValKind::Ref || check_heap(t.heap);
}

// ---------------------------------------------------------------------------
// The generic path: instructions fully described by their OpSig.

bool FuncValidator::step_generic(const Instr& in, const OpSig& s) {
  Imm imm = op_info(in.op).imm;
  if (imm == Imm::None) [[likely]] {
    // Fast path for numeric operators: operands present with exactly the
    // expected kinds, replaced in place by the result.
    size_t n = stack_.size();
    const Ctrl& c = ctrl_.back();
    if (n >= c.height + s.np) {
      bool exact = true;
      for (unsigned i = 0; i < s.np; ++i) exact &= stack_[n - s.np + i].kind == s.p[i];
      if (exact) {
        if (s.nr) {
          if (s.np) {
            stack_[n - s.np] = ValType{s.r, false, {}};
            stack_.resize(n - s.np + 1);
          } else {
            push(ValType{s.r, false, {}});
          }
        } else {
          stack_.resize(n - s.np);
        }
        return true;
      }
    }
  }
  ValType addr = ValType::i32();
  switch (imm) {
    case Imm::Memarg:
    case Imm::MemargLane: {
      if (!check_memory(in.mem, addr)) return false;
      if (s.atomic) {
        if (in.align != s.natural_log2) return fail("alignment must be equal to natural");
      } else if (in.align > s.natural_log2) {
        return fail("alignment must not be larger than natural");
      }
      if (addr.kind == ValKind::I32 && in.mem_offset > 0xFFFFFFFFull)
        return fail("offset out of range");
      if (imm == Imm::MemargLane && in.lane >= s.lanes) return fail("invalid lane index");
      break;
    }
    case Imm::Memory:
      if (!check_memory(in.index, addr)) return false;
      break;
    case Imm::Lane:
      if (in.lane >= s.lanes) return fail("invalid lane index");
      break;
    case Imm::Shuffle:
      for (uint8_t l : in.v128)
        if (l >= 32) return fail("invalid lane index");
      break;
    case Imm::Data:  // data.drop
      if (!check_data(in.index)) return false;
      break;
    case Imm::Elem:  // elem.drop
      if (!check_elem(in.index)) return false;
      break;
    default: break;
  }
  for (int i = s.np - 1; i >= 0; --i) {
    ValKind k = (s.addr_params >> i) & 1 ? addr.kind : s.p[i];
    if (!pop_kind(k)) return false;
  }
  if (s.nr) push(ValType{s.addr_result ? addr.kind : s.r, false, {}});
  return true;
}

// ---------------------------------------------------------------------------
// Safepoints

// The handlers of the safepoint instructions (calls, throw, struct.new*,
// array.new*) call record_safepoint first, before they pop anything, so that the
// hot dispatch in step() carries no safepoint test. The records (like blocks,
// operand types and call sites) go to vectors reused across functions and are
// copied to FunctionInfo once, at their final size, when the function is done:
// most functions have a handful of safepoints, and growing a fresh vector per
// function cost several allocations each.
void FuncValidator::record_safepoint(uint32_t offset) {
  SafepointTypes sp;
  sp.offset = offset;
  sp.height = static_cast<uint32_t>(stack_.size());
  sp.first = static_cast<uint32_t>(safepoint_refs_.size());
  // Most operands are numbers: test the kind inline before the full (out of
  // line) heap-type check.
  for (size_t i = 0; i < stack_.size(); ++i)
    if (stack_[i].is_ref() && holds_gc_object(m_, stack_[i]))
      safepoint_refs_.push_back(static_cast<uint32_t>(i));
  sp.count = static_cast<uint32_t>(safepoint_refs_.size()) - sp.first;
  safepoints_.push_back(sp);
}

// ---------------------------------------------------------------------------
// Dispatch

bool FuncValidator::step(const Instr& in) {
  cur_offset_ = in.offset;
  if (const_mode_) [[unlikely]] {
    switch (in.op) {
      case Op::i32_const:
      case Op::i64_const:
      case Op::f32_const:
      case Op::f64_const:
      case Op::v128_const:
      case Op::ref_null:
      case Op::ref_func:
      case Op::global_get:
      case Op::end:
      case Op::struct_new:
      case Op::struct_new_default:
      case Op::array_new:
      case Op::array_new_default:
      case Op::array_new_fixed:
      case Op::ref_i31:
      case Op::any_convert_extern:
      case Op::extern_convert_any: break;
      case Op::i32_add:
      case Op::i32_sub:
      case Op::i32_mul:
      case Op::i64_add:
      case Op::i64_sub:
      case Op::i64_mul:
        if (env_.features.extended_const) break;
        [[fallthrough]];
      default: return fail("constant expression required");
    }
  }
  const OpSig& s = op_sig(in.op);
  if (s.generic) return step_generic(in, s);
  switch (in.op) {
    case Op::unreachable:
    case Op::block:
    case Op::loop:
    case Op::if_:
    case Op::else_:
    case Op::try_:
    case Op::catch_:
    case Op::catch_all:
    case Op::delegate:
    case Op::throw_:
    case Op::rethrow:
    case Op::throw_ref:
    case Op::end:
    case Op::br:
    case Op::br_if:
    case Op::br_table:
    case Op::return_:
    case Op::call:
    case Op::call_indirect:
    case Op::return_call:
    case Op::return_call_indirect:
    case Op::call_ref:
    case Op::return_call_ref:
    case Op::try_table:
    case Op::drop:
    case Op::select:
    case Op::select_t:
    case Op::local_get:
    case Op::local_set:
    case Op::local_tee:
    case Op::global_get:
    case Op::global_set:
    case Op::br_on_null:
    case Op::br_on_non_null:
    case Op::br_on_cast:
    case Op::br_on_cast_fail: return step_control(in);
    case Op::ref_null:
    case Op::ref_is_null:
    case Op::ref_func:
    case Op::ref_eq:
    case Op::ref_as_non_null:
    case Op::ref_test:
    case Op::ref_test_null:
    case Op::ref_cast:
    case Op::ref_cast_null:
    case Op::any_convert_extern:
    case Op::extern_convert_any:
    case Op::ref_i31:
    case Op::i31_get_s:
    case Op::i31_get_u: return step_ref(in);
    case Op::table_get:
    case Op::table_set:
    case Op::memory_init:
    case Op::memory_copy:
    case Op::memory_fill:
    case Op::table_init:
    case Op::table_copy:
    case Op::table_grow:
    case Op::table_size:
    case Op::table_fill: return step_table_bulk(in);
    default: return step_gc(in);
  }
}

// ---------------------------------------------------------------------------
// Running over a body

Status FuncValidator::run(Reader& r, uint32_t end_offset) {
  InstrReader ir(r, env_.features);
  Instr in;
  while (!ctrl_.empty()) {
    if (!ir.next(in)) [[unlikely]] {
      Error e = r.take_error();
      // A body that stops without its final `end`: the reference interpreter
      // reads on into whatever follows, which decides the message.
      if (e.offset == end_offset && e.message.find("unexpected end") != std::string::npos &&
          !const_mode_) {
        if (end_offset < m_.bytes.size())
          e.message =
              m_.bytes[end_offset] == 0x0B ? "section size mismatch" : "END opcode expected";
      }
      return e;
    }
    if (!step(in)) [[unlikely]]
      return std::move(error_);
  }
  if (!r.at_end()) {
    return Error(const_mode_ ? ErrorKind::Invalid : ErrorKind::Malformed,
                 const_mode_ ? "constant expression required" : "section size mismatch",
                 r.offset());
  }
  return {};
}

Status FuncValidator::validate_function(uint32_t func_index, FunctionInfo& info) {
  const_mode_ = false;
  failed_ = false;
  info_ = &info;
  func_type_ = m_.funcs[func_index];
  const FuncType& ft = m_.types[func_type_].comp.func;
  const FunctionBody& body = m_.bodies[func_index - m_.num_imported_funcs];
  cur_offset_ = body.locals_offset;

  // Locals: parameters, then the declared ones expanded.
  constexpr uint64_t kMaxLocals = 1u << 20;
  if (ft.params.size() + body.num_locals > kMaxLocals)
    return Error(ErrorKind::Malformed, "too many locals", body.locals_offset);
  info.locals.clear();
  info.locals.reserve(ft.params.size() + body.num_locals);
  info.locals.insert(info.locals.end(), ft.params.begin(), ft.params.end());
  track_init_ = false;
  for (const auto& [count, t] : body.locals) {
    if (!check_valtype(t)) return std::move(error_);
    if (!t.defaultable()) track_init_ = true;
    info.locals.insert(info.locals.end(), count, t);
  }
  if (track_init_) {
    local_init_.assign(info.locals.size(), 1);
    for (size_t i = ft.params.size(); i < info.locals.size(); ++i)
      local_init_[i] = info.locals[i].defaultable();
    init_stack_.clear();
  }
  blocks_.clear();
  operand_types_.clear();
  call_sites_.clear();
  safepoints_.clear();
  safepoint_refs_.clear();
  info.local_weights.assign(info.locals.size(), 0);
  info.num_tries = info.num_legacy_tries = 0;
  use_weight_ = 1;

  stack_.clear();
  ctrl_.clear();
  max_height_ = 0;
  max_depth_ = 1;
  Ctrl fn{};
  fn.op = Op::end;
  fn.bt_kind = BlockType::Kind::Index;
  fn.bt_index = func_type_;
  fn.block = ~0u;
  ctrl_.push_back(fn);

  const uint8_t* begin = m_.data(body.code);
  uint32_t end_offset = body.code.offset + body.code.size;
  Reader r(begin, begin + body.code.size, body.code.offset);
  Status st = run(r, end_offset);
  if (!st) return st;
  info.max_stack_height = max_height_;
  info.max_control_depth = max_depth_;
  info.blocks.assign(blocks_.begin(), blocks_.end());
  info.operand_types.assign(operand_types_.begin(), operand_types_.end());
  info.call_sites.assign(call_sites_.begin(), call_sites_.end());
  info.safepoints.assign(safepoints_.begin(), safepoints_.end());
  info.safepoint_refs.assign(safepoint_refs_.begin(), safepoint_refs_.end());
  return {};
}

Status FuncValidator::validate_const(const ConstExpr& e, const ValType& expected,
                                     uint32_t num_globals) {
  const_mode_ = true;
  failed_ = false;
  const_globals_ = num_globals;
  track_init_ = false;
  FunctionInfo scratch;
  info_ = &scratch;
  stack_.clear();
  ctrl_.clear();
  max_height_ = 0;
  Ctrl fn{};
  fn.op = Op::end;
  fn.bt_kind = BlockType::Kind::Value;
  fn.single = expected;
  fn.block = ~0u;
  ctrl_.push_back(fn);
  cur_offset_ = e.code.offset;
  const uint8_t* begin = m_.data(e.code);
  Reader r(begin, begin + e.code.size, e.code.offset);
  Status st = run(r, e.code.offset + e.code.size);
  const_mode_ = false;
  return st;
}

}  // namespace wasmrun
