// Element, data and code sections: the parts of a module that carry payloads.
#include "engine/decode/sections.h"

namespace wasmrun::decode_detail {

void read_elem_section(Reader& r, Module& m, const Features& f) {
  uint32_t n = read_count(r);
  m.elems.reserve(bounded_reserve(n, r));
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    ElemSegment s;
    size_t at = r.offset();
    s.entry_offset = static_cast<uint32_t>(at);
    uint32_t flags = r.u32();
    if (!r.ok()) return;
    if (flags > 7) {
      r.fail("malformed elements segment kind", at);
      return;
    }
    // bit 0: passive or declarative; bit 1: explicit table index (active) or
    // declarative (otherwise); bit 2: expressions instead of function indices.
    bool passive_or_decl = flags & 1;
    bool bit1 = flags & 2;
    s.uses_exprs = flags & 4;
    if (!passive_or_decl) {
      s.mode = ElemSegment::Mode::Active;
      s.table = bit1 ? r.u32() : 0;
      s.offset = read_const_expr(r, f);
    } else {
      s.mode = bit1 ? ElemSegment::Mode::Declarative : ElemSegment::Mode::Passive;
    }
    bool has_kind = flags & 3;  // forms 0 and 4 have an implicit funcref kind
    if (s.uses_exprs) {
      s.elem_type = has_kind ? read_ref_type(r, f) : ValType::funcref();
      uint32_t count = read_count(r);
      s.exprs.reserve(bounded_reserve(count, r));
      for (uint32_t j = 0; j < count && r.ok(); ++j) s.exprs.push_back(read_const_expr(r, f));
    } else {
      if (has_kind) {
        size_t kat = r.offset();
        uint8_t kind = r.u8();
        if (kind != 0 && r.ok()) {
          r.fail("malformed element kind", kat);
          return;
        }
      }
      // 3.0 types the function-index forms as (ref func): every entry is non-null.
      s.elem_type = ValType::ref(HeapType::abstract(AbsHeap::Func), false);
      uint32_t count = read_count(r);
      s.func_indices_offset = static_cast<uint32_t>(r.offset());
      s.func_indices.reserve(bounded_reserve(count, r));
      for (uint32_t j = 0; j < count && r.ok(); ++j) s.func_indices.push_back(r.u32());
    }
    m.elems.push_back(std::move(s));
  }
}

void read_data_section(Reader& r, Module& m, const Features& f) {
  uint32_t n = read_count(r);
  m.datas.reserve(bounded_reserve(n, r));
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    DataSegment d;
    size_t at = r.offset();
    d.entry_offset = static_cast<uint32_t>(at);
    uint32_t flags = r.u32();
    if (!r.ok()) return;
    switch (flags) {
      case 0:
        d.mode = DataSegment::Mode::Active;
        d.offset = read_const_expr(r, f);
        break;
      case 1: d.mode = DataSegment::Mode::Passive; break;
      case 2:
        d.mode = DataSegment::Mode::Active;
        d.memory = r.u32();
        d.offset = read_const_expr(r, f);
        break;
      default: r.fail("malformed data segment kind", at); return;
    }
    size_t lat = r.offset();
    uint32_t len = r.u32();
    if (len > r.remaining() && r.ok()) {
      r.fail("unexpected end of section or function", lat);
      return;
    }
    d.init = Span{static_cast<uint32_t>(r.offset()), len};
    r.skip(len);
    m.datas.push_back(d);
  }
}

void read_code_section(Reader& r, Module& m, const Features& f) {
  uint32_t n = read_count(r);
  m.bodies.reserve(bounded_reserve(n, r));
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    FunctionBody b;
    size_t at = r.offset();
    b.locals_offset = static_cast<uint32_t>(at);
    uint32_t size = r.u32();
    if (!r.ok()) return;
    if (size > r.remaining()) {
      r.fail("length out of bounds", at);
      return;
    }
    const uint8_t* body_end = r.pos() + size;
    Reader br(r.pos(), body_end, r.offset());
    uint32_t groups = read_count(br);
    uint64_t total = 0;
    b.locals.reserve(bounded_reserve(groups, r));
    for (uint32_t g = 0; g < groups && br.ok(); ++g) {
      size_t cat = br.offset();
      uint32_t count = br.u32();
      ValType t = read_val_type(br, f);
      total += count;
      if (total > 0xFFFFFFFFull && br.ok()) {
        br.fail("too many locals", cat);
        break;
      }
      b.locals.emplace_back(count, t);
    }
    if (!br.ok()) {
      r.fail(br.error().message, br.error().offset);
      return;
    }
    b.num_locals = total;
    b.code = Span{static_cast<uint32_t>(br.offset()), static_cast<uint32_t>(br.remaining())};
    r.seek(body_end);
    m.bodies.push_back(std::move(b));
  }
}

}  // namespace wasmrun::decode_detail
