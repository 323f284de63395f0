#include "engine/runtime/instantiate.h"

#include <cstring>

#include "engine/decode/instr_reader.h"
#include "engine/interp/interp.h"
#include "engine/runtime/gc_const.h"

namespace wasmrun::rt {
namespace {

Error link_error(const Import& imp, const char* what) {
  return Error(ErrorKind::Unlinkable, std::string(what) + " (" + imp.module + "." + imp.name + ")");
}

bool limits_match(uint64_t have_min, std::optional<uint64_t> have_max, const Limits& want) {
  if (have_min < want.min) return false;
  if (want.max) {
    if (!have_max || *have_max > *want.max) return false;
  }
  return true;
}

}  // namespace

bool extern_matches(const EngineImpl& engine, const Extern& e, const Import& want,
                    const std::vector<uint32_t>& ids) {
  if (e.kind != want.kind) return false;
  const TypeRegistry& reg = engine.types;
  switch (want.kind) {
    case ExternKind::Func:
      return e.func.valid() && reg.is_subtype(e.func.get()->type_id, ids[want.type_index]);
    case ExternKind::Table: {
      const TableInst* t = e.table.get_impl();
      if (!t) return false;
      ValType we = canonical_val_type(want.table.elem, ids);
      if (!reg.val_subtype(t->type.elem, we) || !reg.val_subtype(we, t->type.elem)) return false;
      if (t->type.limits.address64 != want.table.limits.address64) return false;
      return limits_match(t->size, t->type.limits.max, want.table.limits);
    }
    case ExternKind::Memory: {
      const MemoryInst* m = e.memory.get();
      if (!m) return false;
      const Limits& wl = want.memory.limits;
      if (m->type.limits.address64 != wl.address64 || m->type.limits.shared != wl.shared)
        return false;
      return limits_match(m->pages(), m->type.limits.max, wl);
    }
    case ExternKind::Global: {
      const GlobalInst* g = e.global.get_impl();
      if (!g) return false;
      ValType wt = canonical_val_type(want.global.type, ids);
      if (g->type.mut != want.global.mut) return false;
      if (!reg.val_subtype(g->type.type, wt)) return false;
      return !g->type.mut || reg.val_subtype(wt, g->type.type);
    }
    case ExternKind::Tag:
      // Tag types must be equivalent (no subtyping).
      return e.tag.valid() && e.tag.get()->type_id == ids[want.type_index];
  }
  return false;
}

Status eval_const(InstanceInst& inst, const ConstExpr& expr, uint64_t out[2]) {
  const Module& m = inst.m();
  Reader r(m.data(expr.code), m.data(expr.code) + expr.code.size, expr.code.offset);
  Features f = inst.module->engine->config.features;
  InstrReader ir(r, f);
  Instr in;
  using Slot = ConstSlot;
  std::vector<Slot> st;
  while (ir.next(in)) {
    switch (in.op) {
      case Op::i32_const: st.push_back({{static_cast<uint32_t>(in.value), 0}}); break;
      case Op::i64_const: st.push_back({{in.value, 0}}); break;
      case Op::f32_const: st.push_back({{static_cast<uint32_t>(in.value), 0}}); break;
      case Op::f64_const: st.push_back({{in.value, 0}}); break;
      case Op::v128_const: {
        Slot s;
        std::memcpy(s.v, in.v128, 16);
        st.push_back(s);
        break;
      }
      case Op::ref_null: st.push_back({{0, 0}}); break;
      case Op::ref_func:
        st.push_back({{reinterpret_cast<uint64_t>(inst.funcs[in.index]), 0}});
        break;
      case Op::global_get: {
        GlobalInst* g = inst.globals[in.index];
        st.push_back({{g->value[0], g->value[1]}});
        break;
      }
      case Op::i32_add:
      case Op::i32_sub:
      case Op::i32_mul: {
        uint32_t b = static_cast<uint32_t>(st.back().v[0]);
        st.pop_back();
        uint32_t a = static_cast<uint32_t>(st.back().v[0]);
        uint32_t c = in.op == Op::i32_add ? a + b : in.op == Op::i32_sub ? a - b : a * b;
        st.back().v[0] = c;
        break;
      }
      case Op::i64_add:
      case Op::i64_sub:
      case Op::i64_mul: {
        uint64_t b = st.back().v[0];
        st.pop_back();
        uint64_t a = st.back().v[0];
        st.back().v[0] = in.op == Op::i64_add ? a + b : in.op == Op::i64_sub ? a - b : a * b;
        break;
      }
      case Op::any_convert_extern:
      case Op::extern_convert_any: break;  // same raw representation
      case Op::end:
        if (st.size() != 1) return Error(ErrorKind::Invalid, "constant expression required");
        out[0] = st[0].v[0];
        out[1] = st[0].v[1];
        return {};
      default:
        if (is_gc_const_op(in.op)) {
          if (Status s = eval_gc_const(inst, in, st); !s.ok()) return s;
          break;
        }
        return Error(ErrorKind::Unsupported,
                     std::string("unsupported constant instruction ") + op_info(in.op).mnemonic);
    }
  }
  return Error(ErrorKind::Malformed, r.ok() ? "unexpected end" : r.error().message);
}

Result<InstanceInst*> instantiate(StoreImpl& store, const std::shared_ptr<CompiledModule>& cm,
                                  std::span<const Extern> imports) {
  const Module& m = cm->m();
  const EngineImpl& engine = *cm->engine;
  if (imports.size() != m.imports.size())
    return Error(ErrorKind::Unlinkable, "wrong number of imports");
  for (size_t i = 0; i < imports.size(); ++i) {
    if (!extern_matches(engine, imports[i], m.imports[i], cm->type_ids))
      return link_error(m.imports[i], "incompatible import type");
  }

  InstanceInst& inst = store.instances.emplace_back();
  inst.module = cm;
  inst.store = &store;
  inst.ctx.instance = &inst;
  inst.ctx.type_ids = cm->type_ids.data();
  inst.rtts = cm->engine->rtts.resolve(
      cm->type_ids, [&](uint32_t id) -> const SubType& { return cm->engine->types.type(id); });
  for (const SubType& s : m.types) {
    inst.canon_func_types.push_back(s.comp.kind == CompositeType::Kind::Func
                                        ? canonical_func_type(s.comp.func, cm->type_ids)
                                        : FuncType{});
  }
  for (const Extern& e : imports) {
    switch (e.kind) {
      case ExternKind::Func: inst.funcs.push_back(e.func.get()); break;
      case ExternKind::Table: inst.tables.push_back(e.table.get_impl()); break;
      case ExternKind::Memory: inst.memories.push_back(e.memory.get()); break;
      case ExternKind::Global: inst.globals.push_back(e.global.get_impl()); break;
      case ExternKind::Tag: inst.tags.push_back(e.tag.get()); break;
    }
  }
  for (uint32_t i = m.num_imported_tags; i < m.tags.size(); ++i) {
    TagInst& t = store.tags.emplace_back();
    t.type_id = cm->type_ids[m.tags[i].type_index];
    t.type = inst.canon_func_types[m.tags[i].type_index];
    inst.tags.push_back(&t);
  }
  for (uint32_t i = m.num_imported_funcs; i < m.funcs.size(); ++i) {
    FuncInst& f = store.funcs.emplace_back();
    f.type_id = cm->type_ids[m.funcs[i]];
    f.type = &inst.canon_func_types[m.funcs[i]];
    f.instance = &inst;
    f.index = i;
    f.store = &store;
    inst.funcs.push_back(&f);
  }
  inst.ctx.funcs = inst.funcs.data();

  // Globals in order: an initializer may read imported and earlier globals.
  for (const Global& g : m.defined_globals) {
    GlobalInst& gi = store.globals.emplace_back();
    gi.store = &store;
    gi.type = {canonical_val_type(g.type.type, cm->type_ids), g.type.mut};
    inst.globals.push_back(&gi);
    inst.ctx.globals = inst.globals.data();
    if (Status s = eval_const(inst, g.init, gi.value); !s.ok())
      return Error(ErrorKind::Uninstantiable, s.error().message);
  }
  inst.ctx.globals = inst.globals.data();

  for (const wasmrun::Table& t : m.defined_tables) {
    uint64_t init[2] = {0, 0};
    if (t.init) {
      if (Status s = eval_const(inst, *t.init, init); !s.ok())
        return Error(ErrorKind::Uninstantiable, s.error().message);
    }
    TableInst& ti = store.tables.emplace_back();
    ti.store = &store;
    TableType tt = t.type;
    tt.elem = canonical_val_type(tt.elem, cm->type_ids);
    if (!ti.init(tt, init[0])) return Error(ErrorKind::Uninstantiable, "table too large");
    inst.tables.push_back(&ti);
  }
  inst.ctx.tables = inst.tables.data();

  for (uint32_t i = m.num_imported_memories; i < m.memories.size(); ++i) {
    MemoryInst& mi = store.memories.emplace_back();
    if (!mi.init(m.memories[i])) return Error(ErrorKind::Uninstantiable, "memory too large");
    inst.memories.push_back(&mi);
  }
  inst.ctx.memories = inst.memories.data();
  if (!inst.memories.empty()) {
    MemoryInst* m0 = inst.memories[0];
    m0->add_observer(&inst.ctx);
  }

  // Element segments are evaluated up front (their values are fixed at instantiation),
  // in place: inst.elems is a GC root, so objects built by earlier expressions of a
  // segment survive the allocations of later ones.
  for (const ElemSegment& seg : m.elems) {
    std::vector<uint64_t>& vals = inst.elems.emplace_back();
    vals.reserve(seg.size());
    if (seg.uses_exprs) {
      for (const ConstExpr& e : seg.exprs) {
        uint64_t v[2];
        if (Status s = eval_const(inst, e, v); !s.ok())
          return Error(s.error().kind == ErrorKind::Trap ? ErrorKind::Trap
                                                         : ErrorKind::Uninstantiable,
                       s.error().message);
        vals.push_back(v[0]);
      }
    } else {
      for (uint32_t fi : seg.func_indices)
        vals.push_back(reinterpret_cast<uint64_t>(inst.funcs[fi]));
    }
  }
  for (const DataSegment& d : m.datas) inst.datas.push_back(d.init);

  // Active element segments, in order, then active data segments; then drop them.
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& seg = m.elems[i];
    if (seg.mode == ElemSegment::Mode::Passive) continue;
    if (seg.mode == ElemSegment::Mode::Active) {
      uint64_t off[2];
      if (Status s = eval_const(inst, seg.offset, off); !s.ok())
        return Error(ErrorKind::Uninstantiable, s.error().message);
      TableInst* t = inst.tables[seg.table];
      uint64_t o = t->type.limits.address64 ? off[0] : static_cast<uint32_t>(off[0]);
      const std::vector<uint64_t>& vals = inst.elems[i];
      if (o > t->size || vals.size() > t->size - o)
        return Error(ErrorKind::Uninstantiable, "out of bounds table access");
      // An empty segment may have no storage at all (memcpy needs non-null).
      if (!vals.empty()) std::memcpy(t->data + o, vals.data(), vals.size() * sizeof(uint64_t));
    }
    inst.elems[i].clear();
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment& d = m.datas[i];
    if (d.mode != DataSegment::Mode::Active) continue;
    uint64_t off[2];
    if (Status s = eval_const(inst, d.offset, off); !s.ok())
      return Error(ErrorKind::Uninstantiable, s.error().message);
    MemoryInst* mem = inst.memories[d.memory];
    uint64_t o = mem->type.limits.address64 ? off[0] : static_cast<uint32_t>(off[0]);
    if (o > mem->size || d.init.size > mem->size - o)
      return Error(ErrorKind::Uninstantiable, "out of bounds memory access");
    std::memcpy(mem->base + o, m.data(d.init), d.init.size);
    inst.datas[i].size = 0;
  }

  if (m.start) {
    Status s = invoke_tiered(inst.funcs[*m.start], nullptr, nullptr);
    if (!s.ok()) return std::move(s).error();
  }
  return &inst;
}

}  // namespace wasmrun::rt
