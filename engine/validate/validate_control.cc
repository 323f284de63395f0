// Control instructions (blocks, branches, calls, exceptions), variables, drop and
// select: everything that works on the control stack or the locals.
#include <string>

#include "engine/types.h"
#include "engine/validate/func_validator.h"

namespace wasmrun {

std::span<const ValType> FuncValidator::params_of(const Ctrl& c) const {
  if (c.bt_kind == BlockType::Kind::Index) {
    if (c.op == Op::end) return {};  // the function frame: parameters are locals
    return m_.types[c.bt_index].comp.func.params;
  }
  return {};
}

std::span<const ValType> FuncValidator::results_of(const Ctrl& c) const {
  switch (c.bt_kind) {
    case BlockType::Kind::Index: return m_.types[c.bt_index].comp.func.results;
    case BlockType::Kind::Value: return {&c.single, 1};
    case BlockType::Kind::Empty: break;
  }
  return {};
}

bool FuncValidator::check_block_type(const BlockType& bt) {
  if (bt.kind == BlockType::Kind::Index) return check_func_type(bt.index);
  if (bt.kind == BlockType::Kind::Value) return check_valtype(bt.value);
  return true;
}

bool FuncValidator::push_ctrl(const Instr& in, Op op) {
  const BlockType& bt = in.block;
  if (!check_block_type(bt)) return false;
  Ctrl c{};
  c.op = op;
  c.bt_kind = bt.kind;
  c.single = bt.value;
  c.bt_index = bt.index;
  std::span<const ValType> params = params_of(c);
  if (!pop_types(params)) return false;
  c.height = static_cast<uint32_t>(stack_.size());
  c.init_height = static_cast<uint32_t>(init_stack_.size());
  c.unreachable = false;
  c.block = static_cast<uint32_t>(blocks_.size());
  blocks_.push_back(BlockInfo{in.offset, 0, 0});
  ctrl_.push_back(c);
  if (ctrl_.size() > max_depth_) max_depth_ = static_cast<uint32_t>(ctrl_.size());
  if (op == Op::loop && use_weight_ < (uint64_t{1} << 40)) use_weight_ *= 8;
  if (op == Op::try_ || op == Op::try_table) {
    ++info_->num_tries;
    if (op == Op::try_) ++info_->num_legacy_tries;
  }
  push_types(params);
  return true;
}

bool FuncValidator::check_frame_end(const Ctrl& c) {
  std::span<const ValType> res = results_of(c);
  if (!pop_types(res)) return false;
  if (stack_.size() != c.height) [[unlikely]]
    return fail_frame_end(c);
  return true;
}

bool FuncValidator::fail_frame_end(const Ctrl& c) {
  std::string msg = "type mismatch: block requires [";
  std::span<const ValType> res = results_of(c);
  for (size_t i = 0; i < res.size(); ++i) msg += (i ? " " : "") + to_string(res[i]);
  msg += "] but stack has [";
  for (size_t i = c.height; i < stack_.size(); ++i)
    msg += (i > c.height ? " " : "") + to_string(stack_[i]);
  msg += "]";
  return fail(msg.c_str());
}

bool FuncValidator::label(uint32_t depth, Ctrl*& out) {
  if (depth >= ctrl_.size()) return fail_idx("unknown label", depth);
  out = &ctrl_[ctrl_.size() - 1 - depth];
  return true;
}

void FuncValidator::reset_locals(uint32_t init_height) {
  if (!track_init_) return;
  for (size_t i = init_height; i < init_stack_.size(); ++i) local_init_[init_stack_[i]] = 0;
  init_stack_.resize(init_height);
}

// A tail call returns the callee's results as the caller's.
bool FuncValidator::tail_results(const FuncType& ft) {
  const FuncType& self = m_.types[func_type_].comp.func;
  if (ft.results.size() != self.results.size()) return mismatch();
  for (size_t i = 0; i < ft.results.size(); ++i)
    if (!sub(ft.results[i], self.results[i])) return mismatch();
  set_unreachable();
  return true;
}

bool FuncValidator::step_control(const Instr& in) {
  switch (in.op) {
    case Op::unreachable: set_unreachable(); return true;
    case Op::block: return push_ctrl(in, Op::block);
    case Op::loop: return push_ctrl(in, Op::loop);
    case Op::try_: return push_ctrl(in, Op::try_);
    case Op::if_:
      if (!check_block_type(in.block) || !pop_kind(ValKind::I32)) return false;
      return push_ctrl(in, Op::if_);
    case Op::else_: {
      Ctrl& c = ctrl_.back();
      if (c.op != Op::if_) return fail_malformed("else without matching if");
      if (!check_frame_end(c)) return false;
      blocks_[c.block].else_pc = in.offset;
      reset_locals(c.init_height);
      c.op = Op::else_;
      c.unreachable = false;
      push_types(params_of(ctrl_.back()));
      return true;
    }
    case Op::catch_:
    case Op::catch_all: {
      Ctrl& c = ctrl_.back();
      if (c.op != Op::try_ && c.op != Op::catch_)
        return fail_malformed(in.op == Op::catch_ ? "catch without try" : "catch_all without try");
      if (in.op == Op::catch_ && in.index >= m_.tags.size())
        return fail_idx("unknown tag", in.index);
      if (!check_frame_end(c)) return false;
      if (c.op == Op::try_) blocks_[c.block].else_pc = in.offset;
      reset_locals(c.init_height);
      c.op = in.op;
      c.unreachable = false;
      if (in.op == Op::catch_) push_types(m_.types[m_.tags[in.index].type_index].comp.func.params);
      return true;
    }
    case Op::delegate: {
      Ctrl& c = ctrl_.back();
      if (c.op != Op::try_) return fail_malformed("delegate without try");
      if (!check_frame_end(c)) return false;
      // The label counts from the frame around the try.
      if (in.index + 1 >= ctrl_.size()) return fail_idx("unknown label", in.index);
      blocks_[c.block].end_pc = in.offset;
      reset_locals(c.init_height);
      Ctrl done = c;
      ctrl_.pop_back();
      push_types(results_of(done));
      return true;
    }
    case Op::end: {
      Ctrl& c = ctrl_.back();
      if (c.op == Op::if_) {
        // An `if` without `else`: the missing else branch passes the parameters
        // through, so they must match the results.
        if (!check_frame_end(c)) return false;
        c.unreachable = false;
        push_types(params_of(c));
        if (!check_frame_end(c)) return false;
      } else if (!check_frame_end(c)) {
        return false;
      }
      reset_locals(c.init_height);
      if (c.block != ~0u) blocks_[c.block].end_pc = in.offset;
      if (c.op == Op::loop) use_weight_ /= 8;
      Ctrl done = c;
      ctrl_.pop_back();
      if (!ctrl_.empty()) push_types(results_of(done));
      return true;
    }
    case Op::br: {
      Ctrl* l;
      if (!label(in.index, l)) return false;
      if (!pop_types(label_types(*l))) return false;
      set_unreachable();
      return true;
    }
    case Op::br_if: {
      Ctrl* l;
      if (!label(in.index, l)) return false;
      if (!pop_kind(ValKind::I32)) return false;
      std::span<const ValType> ts = label_types(*l);
      if (!pop_types(ts)) return false;
      push_types(ts);
      return true;
    }
    case Op::br_table: {
      if (!pop_kind(ValKind::I32)) return false;
      Ctrl* d;
      if (!label(in.labels.back(), d)) return false;
      size_t arity = label_types(*d).size();
      for (uint32_t depth : in.labels) {
        Ctrl* l;
        if (!label(depth, l)) return false;
        std::span<const ValType> ts = label_types(*l);
        if (ts.size() != arity) return mismatch();
        // Check each target against the operands without consuming them.
        const Ctrl& cur = ctrl_.back();
        size_t avail = stack_.size() - cur.height;
        for (size_t i = 0; i < arity; ++i) {
          size_t from_top = arity - 1 - i;
          if (from_top >= avail) {
            if (!cur.unreachable) return mismatch();
            continue;
          }
          if (!sub(stack_[stack_.size() - 1 - from_top], ts[i])) return mismatch();
        }
      }
      if (!pop_types(label_types(*d))) return false;
      set_unreachable();
      return true;
    }
    case Op::return_: {
      if (const_mode_) return fail("constant expression required");
      if (!pop_types(m_.types[func_type_].comp.func.results)) return false;
      set_unreachable();
      return true;
    }
    case Op::call:
    case Op::return_call: {
      record_safepoint(in.offset);
      if (in.index >= m_.funcs.size()) return fail_idx("unknown function", in.index);
      const FuncType& ft = m_.func_type(in.index);
      call_sites_.push_back(in.offset);
      if (!pop_types(ft.params)) return false;
      if (in.op == Op::call) {
        push_types(ft.results);
        return true;
      }
      return tail_results(ft);
    }
    case Op::call_indirect:
    case Op::return_call_indirect: {
      record_safepoint(in.offset);
      ValType addr;
      if (!check_table(in.index2, addr)) return false;
      if (!check_func_type(in.index)) return false;
      if (!sub(m_.tables[in.index2].elem, ValType::funcref())) return mismatch();
      call_sites_.push_back(in.offset);
      if (!pop(addr)) return false;
      const FuncType& ft = m_.types[in.index].comp.func;
      if (!pop_types(ft.params)) return false;
      if (in.op == Op::call_indirect) {
        push_types(ft.results);
        return true;
      }
      return tail_results(ft);
    }
    case Op::call_ref:
    case Op::return_call_ref: {
      record_safepoint(in.offset);
      if (!check_func_type(in.index)) return false;
      call_sites_.push_back(in.offset);
      if (!pop(ValType::ref(HeapType::type_index(in.index), true))) return false;
      const FuncType& ft = m_.types[in.index].comp.func;
      if (!pop_types(ft.params)) return false;
      if (in.op == Op::call_ref) {
        push_types(ft.results);
        return true;
      }
      return tail_results(ft);
    }
    case Op::throw_: {
      record_safepoint(in.offset);
      if (in.index >= m_.tags.size()) return fail_idx("unknown tag", in.index);
      if (!pop_types(m_.types[m_.tags[in.index].type_index].comp.func.params)) return false;
      set_unreachable();
      return true;
    }
    case Op::rethrow: {
      Ctrl* l;
      if (!label(in.index, l)) return false;
      if (l->op != Op::catch_ && l->op != Op::catch_all) return fail("invalid rethrow label");
      set_unreachable();
      return true;
    }
    case Op::throw_ref: {
      if (!pop(ValType::ref(HeapType::abstract(AbsHeap::Exn), true))) return false;
      set_unreachable();
      return true;
    }
    case Op::try_table: {
      // Catch labels are relative to the frames around the try_table.
      for (const CatchClause& cc : in.catches) {
        Ctrl* l;
        if (!label(cc.label, l)) return false;
        std::span<const ValType> lt = label_types(*l);
        scratch_.clear();
        if (cc.kind == CatchClause::Kind::Catch || cc.kind == CatchClause::Kind::CatchRef) {
          if (cc.tag >= m_.tags.size()) return fail_idx("unknown tag", cc.tag);
          const auto& ps = m_.types[m_.tags[cc.tag].type_index].comp.func.params;
          scratch_.assign(ps.begin(), ps.end());
        }
        if (cc.kind == CatchClause::Kind::CatchRef || cc.kind == CatchClause::Kind::CatchAllRef)
          scratch_.push_back(ValType::ref(HeapType::abstract(AbsHeap::Exn), false));
        if (scratch_.size() != lt.size()) return mismatch();
        for (size_t i = 0; i < lt.size(); ++i)
          if (!sub(scratch_[i], lt[i])) return mismatch();
      }
      return push_ctrl(in, Op::try_table);
    }
    case Op::drop: {
      bool ok;
      ValType t = pop_any(ok);
      if (!ok) return false;
      operand_types_.push_back(t);
      return true;
    }
    case Op::select: {
      if (!pop_kind(ValKind::I32)) return false;
      bool ok;
      ValType b = pop_any(ok);
      if (!ok) return false;
      ValType a = pop_any(ok);
      if (!ok) return false;
      if (a.kind == ValKind::Ref || b.kind == ValKind::Ref) return mismatch();
      if (a.kind == ValKind::Bot) a = b;
      if (b.kind != ValKind::Bot && a.kind != b.kind) return mismatch();
      operand_types_.push_back(a);
      push(a);
      return true;
    }
    case Op::select_t: {
      if (in.types.size() != 1) return fail("invalid result arity");
      ValType t = in.types[0];
      if (!check_valtype(t)) return false;
      if (!pop_kind(ValKind::I32)) return false;
      if (!pop(t) || !pop(t)) return false;
      push(t);
      return true;
    }
    case Op::local_get: {
      if (in.index >= info_->locals.size()) return fail_idx("unknown local", in.index);
      if (track_init_ && !local_init_[in.index]) return fail("uninitialized local");
      info_->local_weights[in.index] += use_weight_;
      push(info_->locals[in.index]);
      return true;
    }
    case Op::local_set:
    case Op::local_tee: {
      if (in.index >= info_->locals.size()) return fail_idx("unknown local", in.index);
      ValType t = info_->locals[in.index];
      if (!pop(t)) return false;
      info_->local_weights[in.index] += use_weight_;
      if (track_init_ && !local_init_[in.index]) {
        local_init_[in.index] = 1;
        init_stack_.push_back(in.index);
      }
      if (in.op == Op::local_tee) push(t);
      return true;
    }
    case Op::global_get: {
      uint32_t limit = const_mode_ ? const_globals_ : static_cast<uint32_t>(m_.globals.size());
      if (in.index >= limit) return fail_idx("unknown global", in.index);
      const GlobalType& g = m_.globals[in.index];
      if (const_mode_ && g.mut) return fail("constant expression required");
      push(g.type);
      return true;
    }
    case Op::global_set: {
      if (in.index >= m_.globals.size()) return fail_idx("unknown global", in.index);
      const GlobalType& g = m_.globals[in.index];
      if (!g.mut) return fail("immutable global");
      return pop(g.type);
    }
    case Op::br_on_null: {
      Ctrl* l;
      if (!label(in.index, l)) return false;
      ValType r;
      if (!pop_ref(r)) return false;
      std::span<const ValType> ts = label_types(*l);
      if (!pop_types(ts)) return false;
      push_types(ts);
      if (r.kind == ValKind::Bot) {
        push(ValType::bot());
      } else {
        r.nullable = false;
        push(r);
      }
      return true;
    }
    case Op::br_on_non_null: {
      Ctrl* l;
      if (!label(in.index, l)) return false;
      ValType r;
      if (!pop_ref(r)) return false;
      std::span<const ValType> ts = label_types(*l);
      if (ts.empty() || !ts.back().is_ref()) return mismatch();
      if (r.kind != ValKind::Bot) {
        ValType nn = r;
        nn.nullable = false;
        if (!sub(nn, ts.back())) return mismatch();
      }
      std::span<const ValType> rest = ts.first(ts.size() - 1);
      if (!pop_types(rest)) return false;
      push_types(rest);
      return true;
    }
    case Op::br_on_cast:
    case Op::br_on_cast_fail: {
      Ctrl* l;
      if (!label(in.index, l)) return false;
      if (!check_heap(in.heap1) || !check_heap(in.heap2)) return false;
      ValType rt1 = ValType::ref(in.heap1, in.flags & 1);
      ValType rt2 = ValType::ref(in.heap2, (in.flags & 2) != 0);
      if (!sub(rt2, rt1)) return mismatch();
      ValType diff = rt1;  // rt1 minus rt2
      if (rt2.nullable) diff.nullable = false;
      ValType branch = in.op == Op::br_on_cast ? rt2 : diff;
      ValType fallthrough = in.op == Op::br_on_cast ? diff : rt2;
      std::span<const ValType> ts = label_types(*l);
      if (ts.empty() || !sub(branch, ts.back())) return mismatch();
      if (!pop(rt1)) return false;
      std::span<const ValType> rest = ts.first(ts.size() - 1);
      if (!pop_types(rest)) return false;
      push_types(rest);
      push(fallthrough);
      return true;
    }
    default: break;
  }
  return fail("illegal opcode");
}

}  // namespace wasmrun
