// Import, function, table, memory, tag, global and export sections, and the
// small type-ish encodings they share (limits, table and global types).
#include "engine/decode/sections.h"

namespace wasmrun::decode_detail {

uint32_t read_count(Reader& r) { return r.u32(); }

ValType read_ref_type(Reader& r, const Features& f) {
  size_t at = r.offset();
  ValType t = read_val_type(r, f);
  if (r.ok() && !t.is_ref()) r.fail("malformed reference type", at);
  if (!r.ok()) {
    // A value-type error at a position that needs a reference type reads better
    // in the spec's words.
    return ValType::funcref();
  }
  return t;
}

Limits read_limits(Reader& r, bool is_memory, const Features& f) {
  Limits l;
  size_t at = r.offset();
  uint8_t flags = r.u8();
  if (!r.ok()) return l;
  // bit 0: max present, bit 1: shared (memories only), bit 2: 64-bit addresses.
  uint8_t allowed = is_memory ? 0x07 : 0x05;
  if (!f.threads) allowed &= ~0x02;
  if (!f.memory64) allowed &= ~0x04;
  if (flags & ~allowed) {
    r.fail("malformed limits flags", at);
    return l;
  }
  l.shared = flags & 0x02;
  l.address64 = flags & 0x04;
  // Both widths are read as u64, like the reference interpreter; the validator
  // enforces the 32-bit range.
  l.min = r.u64();
  if (flags & 0x01) l.max = r.u64();
  return l;
}

TableType read_table_type(Reader& r, const Features& f) {
  TableType t;
  t.elem = read_ref_type(r, f);
  t.limits = read_limits(r, false, f);
  return t;
}

GlobalType read_global_type(Reader& r, const Features& f) {
  GlobalType g;
  g.type = read_val_type(r, f);
  size_t at = r.offset();
  uint8_t m = r.u8();
  if (m > 1 && r.ok()) r.fail("malformed mutability", at);
  g.mut = m == 1;
  return g;
}

ConstExpr read_const_expr(Reader& r, const Features& f) {
  ConstExpr e;
  e.code.offset = static_cast<uint32_t>(r.offset());
  InstrReader ir(r, f);
  Instr in;
  uint32_t depth = 0;
  // Blocks are not constant, but skimming them properly keeps the error a
  // validation error ("constant expression required") rather than a misparse.
  while (ir.next(in)) {
    Op op = in.op;
    if (op == Op::block || op == Op::loop || op == Op::if_ || op == Op::try_ ||
        op == Op::try_table) {
      ++depth;
    } else if (op == Op::end) {
      if (depth == 0) break;
      --depth;
    }
  }
  e.code.size = static_cast<uint32_t>(r.offset() - e.code.offset);
  return e;
}

void read_import_section(Reader& r, Module& m, const Features& f) {
  uint32_t n = read_count(r);
  m.imports.reserve(bounded_reserve(n, r));
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    Import im;
    im.entry_offset = static_cast<uint32_t>(r.offset());
    im.module = r.name();
    im.name = r.name();
    size_t at = r.offset();
    uint8_t kind = r.u8();
    if (!r.ok()) return;
    switch (kind) {
      case 0:
        im.kind = ExternKind::Func;
        im.type_index = r.u32();
        m.funcs.push_back(im.type_index);
        ++m.num_imported_funcs;
        break;
      case 1:
        im.kind = ExternKind::Table;
        im.table = read_table_type(r, f);
        m.tables.push_back(im.table);
        ++m.num_imported_tables;
        break;
      case 2:
        im.kind = ExternKind::Memory;
        im.memory.limits = read_limits(r, true, f);
        m.memories.push_back(im.memory);
        ++m.num_imported_memories;
        break;
      case 3:
        im.kind = ExternKind::Global;
        im.global = read_global_type(r, f);
        m.globals.push_back(im.global);
        ++m.num_imported_globals;
        break;
      case 4: {
        if (!f.exceptions && !f.legacy_exceptions) {
          r.fail("malformed import kind", at);
          return;
        }
        im.kind = ExternKind::Tag;
        size_t aat = r.offset();
        if (r.u8() != 0 && r.ok()) {
          r.fail("malformed tag attribute", aat);
          return;
        }
        im.type_index = r.u32();
        m.tags.push_back(TagType{im.type_index});
        ++m.num_imported_tags;
        break;
      }
      default: r.fail("malformed import kind", at); return;
    }
    m.imports.push_back(std::move(im));
  }
}

void read_function_section(Reader& r, Module& m) {
  uint32_t n = read_count(r);
  m.funcs.reserve(m.funcs.size() + bounded_reserve(n, r));
  m.func_offsets.reserve(bounded_reserve(n, r));
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    m.func_offsets.push_back(static_cast<uint32_t>(r.offset()));
    m.funcs.push_back(r.u32());
  }
}

void read_table_section(Reader& r, Module& m, const Features& f) {
  uint32_t n = read_count(r);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    Table t;
    t.entry_offset = static_cast<uint32_t>(r.offset());
    if (r.remaining() >= 2 && r.pos()[0] == 0x40) {
      // 3.0: 0x40 0x00 tabletype expr, a table with an explicit initializer.
      r.u8();
      size_t at = r.offset();
      if (r.u8() != 0) {
        r.fail("malformed table", at);
        return;
      }
      t.type = read_table_type(r, f);
      t.init = read_const_expr(r, f);
    } else {
      t.type = read_table_type(r, f);
    }
    m.tables.push_back(t.type);
    m.defined_tables.push_back(std::move(t));
  }
}

void read_memory_section(Reader& r, Module& m, const Features& f) {
  uint32_t n = read_count(r);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    MemoryType mt;
    m.memory_offsets.push_back(static_cast<uint32_t>(r.offset()));
    mt.limits = read_limits(r, true, f);
    m.memories.push_back(mt);
  }
}

void read_tag_section(Reader& r, Module& m) {
  uint32_t n = read_count(r);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    size_t at = r.offset();
    m.tag_offsets.push_back(static_cast<uint32_t>(at));
    if (r.u8() != 0 && r.ok()) {
      r.fail("malformed tag attribute", at);
      return;
    }
    m.tags.push_back(TagType{r.u32()});
  }
}

void read_global_section(Reader& r, Module& m, const Features& f) {
  uint32_t n = read_count(r);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    Global g;
    g.entry_offset = static_cast<uint32_t>(r.offset());
    g.type = read_global_type(r, f);
    g.init = read_const_expr(r, f);
    m.globals.push_back(g.type);
    m.defined_globals.push_back(g);
  }
}

void read_export_section(Reader& r, Module& m) {
  uint32_t n = read_count(r);
  m.exports.reserve(bounded_reserve(n, r));
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    Export e;
    e.entry_offset = static_cast<uint32_t>(r.offset());
    e.name = r.name();
    size_t at = r.offset();
    uint8_t kind = r.u8();
    if (kind > 4 && r.ok()) {
      r.fail("malformed export kind", at);
      return;
    }
    e.kind = static_cast<ExternKind>(kind);
    e.index = r.u32();
    m.exports.push_back(std::move(e));
  }
}

}  // namespace wasmrun::decode_detail
