// Tables, memories, element and data segments, with their inline abbreviations.
#include "engine/text/module_parser.h"

namespace wasmrun::text {

namespace {

// When every element expression is `ref.func x`, the list of function indices
// (the segment can then use the compact index form, as wat2wasm does).
bool ref_func_only(const Bytes& items, uint32_t n, Bytes& indices) {
  indices.clear();
  put_uleb(indices, n);
  size_t p = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (p >= items.size() || items[p] != 0xD2) return false;
    size_t q = p + 1;
    while (q < items.size() && (items[q] & 0x80)) ++q;
    if (q + 1 >= items.size() || items[q + 1] != 0x0B) return false;
    indices.insert(indices.end(), items.begin() + static_cast<ptrdiff_t>(p + 1),
                   items.begin() + static_cast<ptrdiff_t>(q + 1));
    p = q + 2;
  }
  return p == items.size();
}

}  // namespace

// (offset instr*) or one folded instruction.
bool ModuleParser::parse_offset(Bytes& out) {
  if (peek_lparen_kw("offset")) {
    next();
    next();
    return parse_const_expr(out) && expect_rparen();
  }
  Body body;
  if (peek().kind != TokKind::LParen) return fail_tok(peek());
  if (!parse_folded(out, body)) return false;
  out.push_back(0x0B);
  return true;
}

// An element list: `func? x*` (function indices) or `reftype elemexpr*`.
bool ModuleParser::parse_elem_list(Bytes& out, bool& uses_exprs, Bytes& reftype) {
  Token t = peek();
  uint32_t n = 0;
  Bytes items;
  bool indices = t.kind != TokKind::LParen && !(t.kind == TokKind::Atom && t.text != "func" &&
                                                !(t.text[0] >= '0' && t.text[0] <= '9'));
  if (t.kind == TokKind::LParen && !peek_lparen_kw("ref")) indices = false;
  if (indices) {
    if (t.kind == TokKind::Atom && t.text == "func") next();
    while (is_index_token(peek())) {
      uint32_t f;
      if (!parse_index(kFuncs, f)) return false;
      put_uleb(items, f);
      ++n;
    }
    uses_exprs = false;
    reftype.assign(1, 0x70);
  } else {
    uses_exprs = true;
    reftype.clear();
    if (t.kind == TokKind::LParen && !peek_lparen_kw("ref")) {
      // `(elem (item ...))` without a type is not in the grammar, but tables with
      // inline elements reach here with the table's type already known.
      reftype.assign(1, 0x70);
    } else if (!parse_reftype(reftype)) {
      return false;
    }
    while (peek().kind == TokKind::LParen) {
      if (peek_lparen_kw("item")) {
        next();
        next();
        if (!parse_const_expr(items) || !expect_rparen()) return false;
      } else {
        Body body;
        if (!parse_folded(items, body)) return false;
        items.push_back(0x0B);
      }
      ++n;
    }
    Bytes indices;
    if (options_.compact_func_elems && reftype.size() == 1 && reftype[0] == 0x70 &&
        ref_func_only(items, n, indices)) {
      uses_exprs = false;
      out.insert(out.end(), indices.begin(), indices.end());
      return true;
    }
  }
  put_vec(out, n, items);
  return true;
}

bool ModuleParser::field_table() {
  uint32_t index = cur_[kTables]++;
  if (peek().kind == TokKind::Id) next();
  if (!inline_exports(0x01, index)) return false;
  bool imported;
  std::string mod, name;
  if (!inline_import(imported, mod, name)) return false;
  bool is64 = false;
  if (peek().kind == TokKind::Atom && (peek().text == "i64" || peek().text == "i32"))
    is64 = next().text == "i64";
  table64_.push_back(is64);
  Token t = peek();
  Bytes table_type;
  if (!(t.kind == TokKind::Atom && t.text[0] >= '0' && t.text[0] <= '9')) {
    // reftype (elem ...): the limits are the element count.
    Bytes reftype;
    if (!parse_reftype(reftype)) return false;
    if (!expect_lparen() || !expect_keyword("elem")) return false;
    Bytes list, list_type;
    bool exprs;
    Token first = peek();
    if (first.kind == TokKind::LParen) {
      // Element expressions; their type is the table's.
      uint32_t n = 0;
      Bytes items;
      while (peek().kind == TokKind::LParen) {
        if (peek_lparen_kw("item")) {
          next();
          next();
          if (!parse_const_expr(items) || !expect_rparen()) return false;
        } else {
          Body body;
          if (!parse_folded(items, body)) return false;
          items.push_back(0x0B);
        }
        ++n;
      }
      Bytes indices;
      exprs = !(reftype.size() == 1 && reftype[0] == 0x70 && ref_func_only(items, n, indices));
      if (exprs) {
        put_vec(list, n, items);
      } else {
        list = std::move(indices);
      }
    } else {
      if (!parse_elem_list(list, exprs, list_type)) return false;
      // Function indices for a table of another type than funcref: the
      // segment must carry the table's type, so write ref.func expressions.
      if (!exprs && !(reftype.size() == 1 && reftype[0] == 0x70)) {
        Bytes items;
        size_t p = 0;
        uint64_t count = 0;
        for (unsigned shift = 0;; shift += 7) {
          uint8_t b = list[p++];
          count |= static_cast<uint64_t>(b & 0x7F) << shift;
          if (!(b & 0x80)) break;
        }
        for (uint64_t i = 0; i < count; ++i) {
          items.push_back(0xD2);
          do {
            items.push_back(list[p]);
          } while (list[p++] & 0x80);
          items.push_back(0x0B);
        }
        list.clear();
        put_vec(list, static_cast<uint32_t>(count), items);
        exprs = true;
      }
    }
    if (!expect_rparen()) return false;
    // Read back the element count from the vector prefix.
    uint64_t n = 0;
    for (size_t i = 0, shift = 0; i < list.size(); ++i, shift += 7) {
      n |= static_cast<uint64_t>(list[i] & 0x7F) << shift;
      if (!(list[i] & 0x80)) break;
    }
    table_type = reftype;
    table_type.push_back(is64 ? 0x05 : 0x01);
    put_uleb(table_type, n);
    put_uleb(table_type, n);
    // The implied active segment at offset 0.
    Bytes offset;
    offset.push_back(is64 ? 0x42 : 0x41);
    offset.push_back(0);
    offset.push_back(0x0B);
    bool funcref = reftype.size() == 1 && reftype[0] == 0x70;
    if (!exprs) {
      if (index == 0) {
        elems_.push_back(0);
        elems_.insert(elems_.end(), offset.begin(), offset.end());
      } else {
        elems_.push_back(2);
        put_uleb(elems_, index);
        elems_.insert(elems_.end(), offset.begin(), offset.end());
        elems_.push_back(0);
      }
    } else if (index == 0 && funcref) {
      elems_.push_back(4);
      elems_.insert(elems_.end(), offset.begin(), offset.end());
    } else {
      elems_.push_back(6);
      put_uleb(elems_, index);
      elems_.insert(elems_.end(), offset.begin(), offset.end());
      elems_.insert(elems_.end(), reftype.begin(), reftype.end());
    }
    elems_.insert(elems_.end(), list.begin(), list.end());
    ++n_elems_;
    cur_[kElems]++;
    tables_.insert(tables_.end(), table_type.begin(), table_type.end());
    ++n_tables_;
    return expect_rparen();
  }
  Bytes limits, reftype;
  if (!parse_limits(limits, is64, false) || !parse_reftype(reftype)) return false;
  if (imported) {
    put_name(imports_, mod);
    put_name(imports_, name);
    imports_.push_back(0x01);
    imports_.insert(imports_.end(), reftype.begin(), reftype.end());
    imports_.insert(imports_.end(), limits.begin(), limits.end());
    ++n_imports_;
    return expect_rparen();
  }
  ++n_tables_;
  if (peek().kind == TokKind::LParen) {
    // A table with an initializer expression.
    tables_.push_back(0x40);
    tables_.push_back(0x00);
    tables_.insert(tables_.end(), reftype.begin(), reftype.end());
    tables_.insert(tables_.end(), limits.begin(), limits.end());
    return parse_const_expr(tables_) && expect_rparen();
  }
  tables_.insert(tables_.end(), reftype.begin(), reftype.end());
  tables_.insert(tables_.end(), limits.begin(), limits.end());
  return expect_rparen();
}

bool ModuleParser::parse_data_strings(Bytes& out) {
  Bytes data;
  std::string s;
  while (peek().kind == TokKind::String) {
    Token t = next();
    if (const char* err = decode_string(t.text, s)) return fail(t.offset, err);
    data.insert(data.end(), s.begin(), s.end());
  }
  put_uleb(out, data.size());
  out.insert(out.end(), data.begin(), data.end());
  return true;
}

bool ModuleParser::field_memory() {
  uint32_t index = cur_[kMemories]++;
  if (peek().kind == TokKind::Id) next();
  if (!inline_exports(0x02, index)) return false;
  bool imported;
  std::string mod, name;
  if (!inline_import(imported, mod, name)) return false;
  bool is64 = false;
  if (peek().kind == TokKind::Atom && (peek().text == "i64" || peek().text == "i32"))
    is64 = next().text == "i64";
  memory64_.push_back(is64);
  if (peek_lparen_kw("data")) {
    next();
    next();
    Bytes seg;
    seg.push_back(index == 0 ? 0 : 2);
    if (index != 0) put_uleb(seg, index);
    seg.push_back(is64 ? 0x42 : 0x41);
    seg.push_back(0);
    seg.push_back(0x0B);
    size_t size_at = seg.size();
    if (!parse_data_strings(seg) || !expect_rparen()) return false;
    uint64_t len = 0;
    for (size_t i = size_at, shift = 0; i < seg.size(); ++i, shift += 7) {
      len |= static_cast<uint64_t>(seg[i] & 0x7F) << shift;
      if (!(seg[i] & 0x80)) break;
    }
    uint64_t pages = (len + 65535) / 65536;
    memories_.push_back(is64 ? 0x05 : 0x01);
    put_uleb(memories_, pages);
    put_uleb(memories_, pages);
    ++n_memories_;
    datas_.insert(datas_.end(), seg.begin(), seg.end());
    ++n_datas_;
    cur_[kDatas]++;
    return expect_rparen();
  }
  Bytes limits;
  if (!parse_limits(limits, is64, true)) return false;
  if (imported) {
    put_name(imports_, mod);
    put_name(imports_, name);
    imports_.push_back(0x02);
    imports_.insert(imports_.end(), limits.begin(), limits.end());
    ++n_imports_;
  } else {
    memories_.insert(memories_.end(), limits.begin(), limits.end());
    ++n_memories_;
  }
  return expect_rparen();
}

bool ModuleParser::field_elem() {
  cur_[kElems]++;
  if (peek().kind == TokKind::Id) next();
  Bytes seg;
  Bytes list, reftype;
  bool exprs;
  Token t = peek();
  if (t.kind == TokKind::Atom && t.text == "declare") {
    next();
    if (!parse_elem_list(list, exprs, reftype)) return false;
    seg.push_back(exprs ? 7 : 3);
    if (exprs) {
      seg.insert(seg.end(), reftype.begin(), reftype.end());
    } else {
      seg.push_back(0);
    }
  } else {
    bool active = false;
    uint32_t table = 0;
    if (peek_lparen_kw("table")) {
      next();
      next();
      if (!parse_index(kTables, table) || !expect_rparen()) return false;
      active = true;
    } else if (is_index_token(t) && [&] {
                 Lexer l = lex_;
                 l.next();
                 return l.next().kind == TokKind::LParen;
               }()) {
      // The old form with a bare table index: (elem 0 (offset) ...).
      if (!parse_index(kTables, table)) return false;
      active = true;
    } else if (t.kind == TokKind::LParen && !peek_lparen_kw("item") && !peek_lparen_kw("ref")) {
      active = true;
    }
    if (!active) {
      if (!parse_elem_list(list, exprs, reftype)) return false;
      seg.push_back(exprs ? 5 : 1);
      if (exprs) {
        seg.insert(seg.end(), reftype.begin(), reftype.end());
      } else {
        seg.push_back(0);
      }
    } else {
      Bytes offset;
      if (!parse_offset(offset) || !parse_elem_list(list, exprs, reftype)) return false;
      bool funcref = reftype.size() == 1 && reftype[0] == 0x70;
      if (table == 0 && (!exprs || funcref)) {
        seg.push_back(exprs ? 4 : 0);
        seg.insert(seg.end(), offset.begin(), offset.end());
      } else {
        seg.push_back(exprs ? 6 : 2);
        put_uleb(seg, table);
        seg.insert(seg.end(), offset.begin(), offset.end());
        if (exprs) {
          seg.insert(seg.end(), reftype.begin(), reftype.end());
        } else {
          seg.push_back(0);
        }
      }
    }
  }
  seg.insert(seg.end(), list.begin(), list.end());
  elems_.insert(elems_.end(), seg.begin(), seg.end());
  ++n_elems_;
  return expect_rparen();
}

bool ModuleParser::field_data() {
  cur_[kDatas]++;
  if (peek().kind == TokKind::Id) next();
  Bytes seg;
  uint32_t mem = 0;
  bool active = false;
  if (peek_lparen_kw("memory")) {
    next();
    next();
    if (!parse_index(kMemories, mem) || !expect_rparen()) return false;
    active = true;
  } else if (is_index_token(peek()) && peek2().kind == TokKind::LParen) {
    // The old form with a bare memory index: (data 0 (offset) ...).
    if (!parse_index(kMemories, mem)) return false;
    active = true;
  } else if (peek().kind == TokKind::LParen) {
    active = true;
  }
  if (!active) {
    seg.push_back(1);
  } else {
    if (mem == 0) {
      seg.push_back(0);
    } else {
      seg.push_back(2);
      put_uleb(seg, mem);
    }
    if (!parse_offset(seg)) return false;
  }
  if (!parse_data_strings(seg)) return false;
  datas_.insert(datas_.end(), seg.begin(), seg.end());
  ++n_datas_;
  return expect_rparen();
}
}  // namespace wasmrun::text
