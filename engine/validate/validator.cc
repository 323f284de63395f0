// Module-level validation: imports, definitions, segments, exports and start,
// then every function body through FuncValidator.
#include "engine/validate/validator.h"

#include <string>
#include <string_view>
#include <unordered_set>

#include "engine/decode/decoder.h"
#include "engine/validate/func_validator.h"

namespace wasmrun {

namespace {

Error invalid(std::string msg, size_t at = Error::kNoOffset) {
  return Error(ErrorKind::Invalid, std::move(msg), at);
}

Error unknown(const char* what, uint32_t index, size_t at) {
  return invalid(std::string("unknown ") + what + " " + std::to_string(index), at);
}

// Entry offsets recorded by the decoder; a Module built in code may lack them.
size_t at(uint32_t entry_offset) {
  return entry_offset == kNoEntryOffset ? Error::kNoOffset : entry_offset;
}
size_t at(const std::vector<uint32_t>& offsets, size_t i) {
  return i < offsets.size() ? at(offsets[i]) : Error::kNoOffset;
}

class ModuleValidator {
 public:
  ModuleValidator(const Module& m, const Features& f) : m_(m), f_(f), tc_(m) {}

  Result<std::shared_ptr<const ValidatedModule>> run(std::shared_ptr<const Module> module);

 private:
  // `at` is the offset of the entry being checked, reported with any error.
  Status check_valtype(const ValType& t, size_t at) const {
    if (!tc_.valid(t)) [[unlikely]]
      return unknown("type", t.heap.index, at);
    return {};
  }
  Status check_func_type_index(uint32_t i, size_t at) const {
    if (i >= m_.types.size()) [[unlikely]]
      return unknown("type", i, at);
    if (!tc_.is_func(i)) [[unlikely]]
      return invalid("type mismatch: not a function type", at);
    return {};
  }
  Status check_tag_type(uint32_t i, size_t at) const {
    if (Status s = check_func_type_index(i, at); !s) return s;
    if (!m_.types[i].comp.func.results.empty()) return invalid("non-empty tag result type", at);
    return {};
  }
  Status check_limits(const Limits& l, bool memory, size_t at) const;
  Status check_table_type(const TableType& t, size_t at) const {
    if (Status s = check_valtype(t.elem, at); !s) return s;
    return check_limits(t.limits, false, at);
  }
  size_t memory_offset(size_t index) const;
  size_t elem_func_offset(const ElemSegment& s, size_t j) const;
  void collect_declared_funcs(std::vector<bool>& declared) const;
  void scan_ref_funcs(const ConstExpr& e, std::vector<bool>& declared) const;

  const Module& m_;
  const Features& f_;
  TypeContext tc_;
};

Status ModuleValidator::check_limits(const Limits& l, bool memory, size_t at) const {
  if (memory) {
    // Pages: 2^16 of them for 32-bit memories, 2^48 for 64-bit ones.
    uint64_t cap = l.address64 ? (uint64_t{1} << 48) : (uint64_t{1} << 16);
    const char* msg = l.address64 ? "memory size must be at most 2^48 pages"
                                  : "memory size must be at most 65536 pages (4GiB)";
    if (l.min > cap || (l.max && *l.max > cap)) return invalid(msg, at);
    if (l.shared && !l.max) return invalid("shared memory must have maximum", at);
  } else {
    uint64_t cap = l.address64 ? ~uint64_t{0} : 0xFFFFFFFFull;
    if (l.min > cap || (l.max && *l.max > cap))
      return invalid("table size must be at most 2^32-1", at);
  }
  if (l.max && l.min > *l.max) return invalid("size minimum must not be greater than maximum", at);
  return {};
}

// Cold: where memory `index` was declared, an import or a memory section entry.
size_t ModuleValidator::memory_offset(size_t index) const {
  if (index >= m_.num_imported_memories)
    return at(m_.memory_offsets, index - m_.num_imported_memories);
  for (const Import& im : m_.imports)
    if (im.kind == ExternKind::Memory && index-- == 0) return at(im.entry_offset);
  return Error::kNoOffset;
}

// Cold: the offset of s.func_indices[j], found by stepping over the LEBs before it
// (storing one offset per index would cost every module for the error path).
size_t ModuleValidator::elem_func_offset(const ElemSegment& s, size_t j) const {
  if (s.func_indices_offset == kNoEntryOffset) return at(s.entry_offset);
  Reader r(m_.bytes.data() + s.func_indices_offset, m_.bytes.data() + m_.bytes.size(),
           s.func_indices_offset);
  for (size_t k = 0; k < j; ++k) r.u32();
  return r.ok() ? r.offset() : at(s.entry_offset);
}

void ModuleValidator::scan_ref_funcs(const ConstExpr& e, std::vector<bool>& declared) const {
  Reader r(m_.data(e.code), m_.data(e.code) + e.code.size, e.code.offset);
  InstrReader ir(r, f_);
  Instr in;
  while (ir.next(in)) {
    if (in.op == Op::ref_func && in.index < declared.size()) declared[in.index] = true;
  }
}

// C.refs: functions named outside function bodies (exports, segments, global and
// table initializers) may be referenced by ref.func inside bodies.
void ModuleValidator::collect_declared_funcs(std::vector<bool>& declared) const {
  declared.assign(m_.funcs.size(), false);
  for (const Export& e : m_.exports)
    if (e.kind == ExternKind::Func && e.index < declared.size()) declared[e.index] = true;
  for (const ElemSegment& s : m_.elems) {
    if (s.mode == ElemSegment::Mode::Active) scan_ref_funcs(s.offset, declared);
    for (uint32_t f : s.func_indices)
      if (f < declared.size()) declared[f] = true;
    for (const ConstExpr& e : s.exprs) scan_ref_funcs(e, declared);
  }
  for (const Global& g : m_.defined_globals) scan_ref_funcs(g.init, declared);
  for (const Table& t : m_.defined_tables)
    if (t.init) scan_ref_funcs(*t.init, declared);
  for (const DataSegment& d : m_.datas)
    if (d.mode == DataSegment::Mode::Active) scan_ref_funcs(d.offset, declared);
}

Result<std::shared_ptr<const ValidatedModule>> ModuleValidator::run(
    std::shared_ptr<const Module> module) {
  if (Status s = tc_.check_and_canonicalize(); !s) return std::move(s).error();

  // Every type a composite type mentions was range-checked above; value types
  // elsewhere are checked where they occur.
  for (const Import& im : m_.imports) {
    Status s;
    size_t o = at(im.entry_offset);
    switch (im.kind) {
      case ExternKind::Func: s = check_func_type_index(im.type_index, o); break;
      case ExternKind::Table: s = check_table_type(im.table, o); break;
      case ExternKind::Memory: s = check_limits(im.memory.limits, true, o); break;
      case ExternKind::Global: s = check_valtype(im.global.type, o); break;
      case ExternKind::Tag: s = check_tag_type(im.type_index, o); break;
    }
    if (!s) return std::move(s).error();
  }
  // The offsets are looked up only on failure: this loop runs once per function.
  for (size_t i = m_.num_imported_funcs; i < m_.funcs.size(); ++i) {
    uint32_t ti = m_.funcs[i];
    if (!tc_.is_func(ti)) [[unlikely]]
      return std::move(check_func_type_index(ti, at(m_.func_offsets, i - m_.num_imported_funcs)))
          .error();
  }
  // Without multi-memory, the 1.0/2.0 rule of at most one memory applies.
  if (!f_.multi_memory && m_.memories.size() > 1)
    return invalid("multiple memories", memory_offset(1));
  for (size_t i = m_.num_imported_memories; i < m_.memories.size(); ++i) {
    size_t o = at(m_.memory_offsets, i - m_.num_imported_memories);
    if (Status s = check_limits(m_.memories[i].limits, true, o); !s) return std::move(s).error();
  }
  for (size_t i = m_.num_imported_tags; i < m_.tags.size(); ++i) {
    size_t o = at(m_.tag_offsets, i - m_.num_imported_tags);
    if (Status s = check_tag_type(m_.tags[i].type_index, o); !s) return std::move(s).error();
  }

  auto vm = std::make_shared<ValidatedModule>();
  vm->module = module;
  vm->canonical_type = tc_.canonical();
  collect_declared_funcs(vm->declared_funcs);

  ModuleEnv env{m_, tc_, f_, vm->declared_funcs};
  FuncValidator fv(env);

  const uint32_t all_globals = static_cast<uint32_t>(m_.globals.size());
  // Tables are defined before globals: their initializers see imported globals only.
  for (const Table& t : m_.defined_tables) {
    if (Status s = check_table_type(t.type, at(t.entry_offset)); !s) return std::move(s).error();
    if (t.init) {
      if (Status s = fv.validate_const(*t.init, t.type.elem, m_.num_imported_globals); !s)
        return std::move(s).error();
    } else if (!t.type.elem.defaultable()) {
      return invalid("type mismatch: table without initializer needs a nullable element type",
                     at(t.entry_offset));
    }
  }
  for (size_t i = 0; i < m_.defined_globals.size(); ++i) {
    const Global& g = m_.defined_globals[i];
    if (Status s = check_valtype(g.type.type, at(g.entry_offset)); !s) return std::move(s).error();
    // A global's initializer sees only the globals before it.
    uint32_t visible = static_cast<uint32_t>(m_.num_imported_globals + i);
    if (Status s = fv.validate_const(g.init, g.type.type, visible); !s) return std::move(s).error();
  }

  std::unordered_set<std::string_view> names;
  names.reserve(m_.exports.size());
  for (const Export& e : m_.exports) {
    if (!names.insert(e.name).second) return invalid("duplicate export name", at(e.entry_offset));
    size_t limit = 0;
    const char* what = "";
    switch (e.kind) {
      case ExternKind::Func: limit = m_.funcs.size(), what = "function"; break;
      case ExternKind::Table: limit = m_.tables.size(), what = "table"; break;
      case ExternKind::Memory: limit = m_.memories.size(), what = "memory"; break;
      case ExternKind::Global: limit = m_.globals.size(), what = "global"; break;
      case ExternKind::Tag: limit = m_.tags.size(), what = "tag"; break;
    }
    if (e.index >= limit) return unknown(what, e.index, at(e.entry_offset));
  }

  if (m_.start) {
    if (*m_.start >= m_.funcs.size()) return unknown("function", *m_.start, at(m_.start_offset));
    const FuncType& ft = m_.func_type(*m_.start);
    if (!ft.params.empty() || !ft.results.empty())
      return invalid("start function", at(m_.start_offset));
  }

  for (const ElemSegment& s : m_.elems) {
    if (Status st = check_valtype(s.elem_type, at(s.entry_offset)); !st)
      return std::move(st).error();
    if (s.mode == ElemSegment::Mode::Active) {
      if (s.table >= m_.tables.size()) return unknown("table", s.table, at(s.entry_offset));
      const TableType& tt = m_.tables[s.table];
      ValType addr = tt.limits.address64 ? ValType::i64() : ValType::i32();
      if (Status st = fv.validate_const(s.offset, addr, all_globals); !st)
        return std::move(st).error();
      if (!tc_.sub(s.elem_type, tt.elem)) return invalid("type mismatch", s.offset.code.offset);
    }
    for (size_t j = 0; j < s.func_indices.size(); ++j)
      if (uint32_t f = s.func_indices[j]; f >= m_.funcs.size()) [[unlikely]]
        return unknown("function", f, elem_func_offset(s, j));
    for (const ConstExpr& e : s.exprs)
      if (Status st = fv.validate_const(e, s.elem_type, all_globals); !st)
        return std::move(st).error();
  }

  for (const DataSegment& d : m_.datas) {
    if (d.mode != DataSegment::Mode::Active) continue;
    if (d.memory >= m_.memories.size()) return unknown("memory", d.memory, at(d.entry_offset));
    ValType addr = m_.memories[d.memory].limits.address64 ? ValType::i64() : ValType::i32();
    if (Status st = fv.validate_const(d.offset, addr, all_globals); !st)
      return std::move(st).error();
  }

  vm->functions.resize(m_.bodies.size());
  for (size_t i = 0; i < m_.bodies.size(); ++i) {
    uint32_t fi = static_cast<uint32_t>(m_.num_imported_funcs + i);
    if (Status st = fv.validate_function(fi, vm->functions[i]); !st) return std::move(st).error();
  }
  return std::shared_ptr<const ValidatedModule>(std::move(vm));
}

}  // namespace

Result<std::shared_ptr<const ValidatedModule>> validate_module(std::shared_ptr<const Module> module,
                                                               const Features& features) {
  ModuleValidator v(*module, features);
  return v.run(std::move(module));
}

Result<std::shared_ptr<const ValidatedModule>> load_module(std::vector<uint8_t> bytes,
                                                           const Features& features) {
  auto m = decode_module(std::move(bytes), features);
  if (!m) return std::move(m).error();
  return validate_module(std::move(m).value(), features);
}

}  // namespace wasmrun

namespace wasmrun {

bool holds_gc_object(const Module& m, const ValType& t) {
  if (!t.is_ref()) return false;
  if (t.heap.kind == HeapType::Kind::Bot) return false;
  if (!t.heap.is_abstract())
    return t.heap.index < m.types.size() &&
           m.types[t.heap.index].comp.kind != CompositeType::Kind::Func;
  switch (t.heap.abs) {
    case AbsHeap::Any:
    case AbsHeap::Eq:
    case AbsHeap::Struct:
    case AbsHeap::Array:
    case AbsHeap::Extern:
    case AbsHeap::Exn: return true;
    default: return false;
  }
}

}  // namespace wasmrun
