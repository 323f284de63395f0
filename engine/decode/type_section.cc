// The type section: recursion groups of sub types over func/struct/array.
#include "engine/decode/sections.h"

namespace wasmrun::decode_detail {

namespace {

FieldType read_field_type(Reader& r, const Features& f) {
  FieldType ft;
  uint8_t b = r.remaining() ? *r.pos() : 0;
  if (b == 0x78) {
    r.u8();
    ft.type = ValType::i8();
  } else if (b == 0x77) {
    r.u8();
    ft.type = ValType::i16();
  } else {
    ft.type = read_val_type(r, f);
  }
  size_t at = r.offset();
  uint8_t m = r.u8();
  if (m > 1 && r.ok()) r.fail("malformed mutability", at);
  ft.mut = m == 1;
  return ft;
}

void read_comp_type(Reader& r, const Features& f, CompositeType& c) {
  size_t at = r.offset();
  uint8_t form = r.u8();
  if (!r.ok()) return;
  switch (form) {
    case 0x60: {
      c.kind = CompositeType::Kind::Func;
      uint32_t np = read_count(r);
      c.func.params.reserve(bounded_reserve(np, r));
      for (uint32_t i = 0; i < np && r.ok(); ++i) c.func.params.push_back(read_val_type(r, f));
      uint32_t nr = read_count(r);
      c.func.results.reserve(bounded_reserve(nr, r));
      for (uint32_t i = 0; i < nr && r.ok(); ++i) c.func.results.push_back(read_val_type(r, f));
      return;
    }
    case 0x5F: {
      if (!f.gc) break;
      c.kind = CompositeType::Kind::Struct;
      uint32_t n = read_count(r);
      c.struct_.fields.reserve(bounded_reserve(n, r));
      for (uint32_t i = 0; i < n && r.ok(); ++i) c.struct_.fields.push_back(read_field_type(r, f));
      return;
    }
    case 0x5E:
      if (!f.gc) break;
      c.kind = CompositeType::Kind::Array;
      c.array.field = read_field_type(r, f);
      return;
    default: break;
  }
  // The form is a one-byte s7; a continuation bit makes it over-long.
  r.fail((form & 0x80) ? "integer representation too long" : "malformed definition type", at);
}

void read_sub_type(Reader& r, const Features& f, SubType& st) {
  uint8_t b = r.remaining() ? *r.pos() : 0;
  if (f.gc && (b == 0x50 || b == 0x4F)) {
    r.u8();
    st.final = b == 0x4F;
    size_t at = r.offset();
    uint32_t n = read_count(r);
    if (n > 1 && r.ok()) {
      // The 3.0 binary format allows a vector, but validation admits at most one.
      r.fail("multiple supertypes", at);
      return;
    }
    if (n == 1) st.super = r.u32();
  }
  read_comp_type(r, f, st.comp);
}

}  // namespace

void read_type_section(Reader& r, Module& m, const Features& f) {
  uint32_t n = read_count(r);
  m.types.reserve(bounded_reserve(n, r));
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    if (r.remaining() && *r.pos() == 0x4E && f.gc) {
      r.u8();
      uint32_t count = read_count(r);
      RecGroup g{static_cast<uint32_t>(m.types.size()), count};
      for (uint32_t j = 0; j < count && r.ok(); ++j) {
        m.type_offsets.push_back(static_cast<uint32_t>(r.offset()));
        m.types.emplace_back();
        read_sub_type(r, f, m.types.back());
      }
      m.rec_groups.push_back(g);
    } else {
      RecGroup g{static_cast<uint32_t>(m.types.size()), 1};
      m.type_offsets.push_back(static_cast<uint32_t>(r.offset()));
      m.types.emplace_back();
      read_sub_type(r, f, m.types.back());
      m.rec_groups.push_back(g);
    }
  }
}

}  // namespace wasmrun::decode_detail
