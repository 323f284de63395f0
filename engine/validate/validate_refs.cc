// Reference, GC (struct/array/i31/casts) and table/bulk-memory instructions.
#include "engine/validate/func_validator.h"

namespace wasmrun {

namespace {

// The operand type of a field: packed i8/i16 values travel as i32.
ValType unpacked(const ValType& t) { return t.is_packed() ? ValType::i32() : t; }

ValType ref_to(uint32_t type_index, bool nullable) {
  return ValType::ref(HeapType::type_index(type_index), nullable);
}

}  // namespace

bool FuncValidator::step_ref(const Instr& in) {
  switch (in.op) {
    case Op::ref_null:
      if (!check_heap(in.heap1)) return false;
      push(ValType::ref(in.heap1, true));
      return true;
    case Op::ref_is_null: {
      ValType r;
      if (!pop_ref(r)) return false;
      push(ValType::i32());
      return true;
    }
    case Op::ref_func: {
      if (in.index >= m_.funcs.size()) return fail_idx("unknown function", in.index);
      if (!const_mode_ && !env_.declared_funcs[in.index])
        return fail("undeclared function reference");
      push(ref_to(m_.funcs[in.index], false));
      return true;
    }
    case Op::ref_eq: {
      ValType eq = ValType::ref(HeapType::abstract(AbsHeap::Eq), true);
      if (!pop(eq) || !pop(eq)) return false;
      push(ValType::i32());
      return true;
    }
    case Op::ref_as_non_null: {
      ValType r;
      if (!pop_ref(r)) return false;
      r.nullable = false;
      push(r);
      return true;
    }
    case Op::ref_test:
    case Op::ref_test_null:
    case Op::ref_cast:
    case Op::ref_cast_null: {
      if (!check_heap(in.heap1)) return false;
      ValType r;
      if (!pop_ref(r)) return false;
      if (r.kind == ValKind::Ref && tc_.top_of(r.heap) != tc_.top_of(in.heap1)) return mismatch();
      if (in.op == Op::ref_test || in.op == Op::ref_test_null)
        push(ValType::i32());
      else
        push(ValType::ref(in.heap1, in.op == Op::ref_cast_null));
      return true;
    }
    case Op::any_convert_extern:
    case Op::extern_convert_any: {
      bool to_any = in.op == Op::any_convert_extern;
      AbsHeap from = to_any ? AbsHeap::Extern : AbsHeap::Any;
      ValType r;
      if (!pop_ref(r)) return false;
      if (r.kind == ValKind::Ref && !sub(r, ValType::ref(HeapType::abstract(from), true)))
        return mismatch();
      bool nullable = r.kind == ValKind::Ref && r.nullable;
      push(ValType::ref(HeapType::abstract(to_any ? AbsHeap::Any : AbsHeap::Extern), nullable));
      return true;
    }
    case Op::ref_i31:
      if (!pop_kind(ValKind::I32)) return false;
      push(ValType::ref(HeapType::abstract(AbsHeap::I31), false));
      return true;
    case Op::i31_get_s:
    case Op::i31_get_u:
      if (!pop(ValType::ref(HeapType::abstract(AbsHeap::I31), true))) return false;
      push(ValType::i32());
      return true;
    default: break;
  }
  return fail("illegal opcode");
}

bool FuncValidator::step_gc(const Instr& in) {
  const uint32_t x = in.index;
  auto need_struct = [&]() {
    if (!check_type_index(x)) return false;
    return tc_.is_struct(x) || mismatch();
  };
  auto need_array = [&]() {
    if (!check_type_index(x)) return false;
    return tc_.is_array(x) || mismatch();
  };
  switch (in.op) {
    case Op::struct_new:
    case Op::struct_new_default: {
      if (!const_mode_) record_safepoint(in.offset);
      if (!need_struct()) return false;
      const auto& fields = m_.types[x].comp.struct_.fields;
      if (in.op == Op::struct_new) {
        for (size_t i = fields.size(); i-- > 0;)
          if (!pop(unpacked(fields[i].type))) return false;
      } else {
        for (const FieldType& f : fields)
          if (!f.type.defaultable()) return mismatch();
      }
      push(ref_to(x, false));
      return true;
    }
    case Op::struct_get:
    case Op::struct_get_s:
    case Op::struct_get_u:
    case Op::struct_set: {
      if (!need_struct()) return false;
      const auto& fields = m_.types[x].comp.struct_.fields;
      if (in.index2 >= fields.size()) return fail_idx("unknown field", in.index2);
      const FieldType& f = fields[in.index2];
      if (in.op == Op::struct_set) {
        if (!f.mut) return fail("immutable field");
        if (!pop(unpacked(f.type))) return false;
        return pop(ref_to(x, true));
      }
      if ((in.op == Op::struct_get) == f.type.is_packed()) return mismatch();
      if (!pop(ref_to(x, true))) return false;
      push(unpacked(f.type));
      return true;
    }
    case Op::array_new:
    case Op::array_new_default:
    case Op::array_new_fixed: {
      if (!const_mode_) record_safepoint(in.offset);
      if (!need_array()) return false;
      const FieldType& f = m_.types[x].comp.array.field;
      if (in.op == Op::array_new) {
        if (!pop_kind(ValKind::I32) || !pop(unpacked(f.type))) return false;
      } else if (in.op == Op::array_new_default) {
        if (!f.type.defaultable()) return mismatch();
        if (!pop_kind(ValKind::I32)) return false;
      } else {
        // Never loop more often than there are operands: the count is untrusted.
        size_t avail = stack_.size() - ctrl_.back().height;
        if (in.index2 > avail && !ctrl_.back().unreachable) return mismatch();
        uint32_t n = in.index2 > avail ? static_cast<uint32_t>(avail) : in.index2;
        for (uint32_t i = 0; i < n; ++i)
          if (!pop(unpacked(f.type))) return false;
      }
      push(ref_to(x, false));
      return true;
    }
    case Op::array_new_data:
    case Op::array_init_data: {
      if (in.op == Op::array_new_data) record_safepoint(in.offset);
      if (!need_array()) return false;
      const FieldType& f = m_.types[x].comp.array.field;
      if (f.type.is_ref()) return fail("array type is not numeric or vector");
      if (in.op == Op::array_init_data && !f.mut) return fail("immutable array");
      if (!check_data(in.index2)) return false;
      if (!pop_kind(ValKind::I32) || !pop_kind(ValKind::I32)) return false;
      if (in.op == Op::array_new_data) {
        push(ref_to(x, false));
        return true;
      }
      return pop_kind(ValKind::I32) && pop(ref_to(x, true));
    }
    case Op::array_new_elem:
    case Op::array_init_elem: {
      if (in.op == Op::array_new_elem) record_safepoint(in.offset);
      if (!need_array()) return false;
      const FieldType& f = m_.types[x].comp.array.field;
      if (in.op == Op::array_init_elem && !f.mut) return fail("immutable array");
      if (!check_elem(in.index2)) return false;
      if (!sub(m_.elems[in.index2].elem_type, f.type)) return mismatch();
      if (!pop_kind(ValKind::I32) || !pop_kind(ValKind::I32)) return false;
      if (in.op == Op::array_new_elem) {
        push(ref_to(x, false));
        return true;
      }
      return pop_kind(ValKind::I32) && pop(ref_to(x, true));
    }
    case Op::array_get:
    case Op::array_get_s:
    case Op::array_get_u: {
      if (!need_array()) return false;
      const FieldType& f = m_.types[x].comp.array.field;
      if ((in.op == Op::array_get) == f.type.is_packed()) return mismatch();
      if (!pop_kind(ValKind::I32) || !pop(ref_to(x, true))) return false;
      push(unpacked(f.type));
      return true;
    }
    case Op::array_set:
    case Op::array_fill: {
      if (!need_array()) return false;
      const FieldType& f = m_.types[x].comp.array.field;
      if (!f.mut) return fail("immutable array");
      if (in.op == Op::array_fill && !pop_kind(ValKind::I32)) return false;
      return pop(unpacked(f.type)) && pop_kind(ValKind::I32) && pop(ref_to(x, true));
    }
    case Op::array_len:
      if (!pop(ValType::ref(HeapType::abstract(AbsHeap::Array), true))) return false;
      push(ValType::i32());
      return true;
    case Op::array_copy: {
      if (!need_array()) return false;
      const uint32_t y = in.index2;
      if (!check_type_index(y)) return false;
      if (!tc_.is_array(y)) return mismatch();
      const FieldType& fx = m_.types[x].comp.array.field;
      const FieldType& fy = m_.types[y].comp.array.field;
      if (!fx.mut) return fail("immutable array");
      bool ok = fx.type.is_packed() || fy.type.is_packed() ? fx.type.kind == fy.type.kind
                                                           : sub(fy.type, fx.type);
      if (!ok) return fail("array types do not match");
      return pop_kind(ValKind::I32) && pop_kind(ValKind::I32) && pop(ref_to(y, true)) &&
             pop_kind(ValKind::I32) && pop(ref_to(x, true));
    }
    default: break;
  }
  return fail("illegal opcode");
}

bool FuncValidator::step_table_bulk(const Instr& in) {
  ValType addr, addr2;
  switch (in.op) {
    case Op::table_get:
      if (!check_table(in.index, addr) || !pop(addr)) return false;
      push(m_.tables[in.index].elem);
      return true;
    case Op::table_set:
      if (!check_table(in.index, addr)) return false;
      return pop(m_.tables[in.index].elem) && pop(addr);
    case Op::table_size:
      if (!check_table(in.index, addr)) return false;
      push(addr);
      return true;
    case Op::table_grow:
      if (!check_table(in.index, addr)) return false;
      if (!pop(addr) || !pop(m_.tables[in.index].elem)) return false;
      push(addr);
      return true;
    case Op::table_fill:
      if (!check_table(in.index, addr)) return false;
      return pop(addr) && pop(m_.tables[in.index].elem) && pop(addr);
    case Op::table_init:
      if (!check_table(in.index2, addr) || !check_elem(in.index)) return false;
      if (!sub(m_.elems[in.index].elem_type, m_.tables[in.index2].elem)) return mismatch();
      return pop_kind(ValKind::I32) && pop_kind(ValKind::I32) && pop(addr);
    case Op::table_copy: {
      if (!check_table(in.index, addr) || !check_table(in.index2, addr2)) return false;
      if (!sub(m_.tables[in.index2].elem, m_.tables[in.index].elem)) return mismatch();
      ValType n = addr.kind == ValKind::I64 && addr2.kind == ValKind::I64 ? addr : ValType::i32();
      return pop(n) && pop(addr2) && pop(addr);
    }
    case Op::memory_init:
      if (!m_.data_count && !m_.datas.empty()) return fail_malformed("data count section required");
      if (!check_memory(in.index2, addr) || !check_data(in.index)) return false;
      return pop_kind(ValKind::I32) && pop_kind(ValKind::I32) && pop(addr);
    case Op::memory_copy: {
      if (!check_memory(in.index, addr) || !check_memory(in.index2, addr2)) return false;
      ValType n = addr.kind == ValKind::I64 && addr2.kind == ValKind::I64 ? addr : ValType::i32();
      return pop(n) && pop(addr2) && pop(addr);
    }
    case Op::memory_fill:
      if (!check_memory(in.index, addr)) return false;
      return pop(addr) && pop_kind(ValKind::I32) && pop(addr);
    default: break;
  }
  return fail("illegal opcode");
}

}  // namespace wasmrun
