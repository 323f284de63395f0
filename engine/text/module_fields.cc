// The second pass: module fields in text order, appended to section buffers.
#include "engine/text/module_parser.h"

namespace wasmrun::text {

namespace {

// A vector: count, then the entries' bytes.
void put_vec(Bytes& out, uint32_t n, const Bytes& body) {
  put_uleb(out, n);
  out.insert(out.end(), body.begin(), body.end());
}

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

Result<Bytes> encode_module_fields(std::string_view src, size_t pos, bool until_rparen,
                                   std::optional<std::string_view> module_name, NameArena* arena,
                                   size_t* end_pos, const EncodeOptions& options) {
  ModuleParser p(src, arena, options);
  return p.run(pos, until_rparen, module_name, end_pos);
}

Result<Bytes> ModuleParser::run(size_t pos, bool until_rparen,
                                std::optional<std::string_view> module_name, size_t* end_pos) {
  module_name_ = module_name;
  lex_.set_pos(pos);
  bool ok = scan_fields(until_rparen);
  if (end_pos) *end_pos = lex_.pos();
  if (ok && lex_.annotations_seen() > 0) ok = scan_annotations(pos);
  if (ok) ok = scan_types();
  if (ok) ok = encode_fields();
  if (!ok) {
    if (!error_) error_ = Error(ErrorKind::Malformed, "unexpected token", pos);
    return *error_;
  }
  return assemble();
}

bool ModuleParser::parse_name_string(std::string& out) {
  Token t = next();
  if (t.kind != TokKind::String) return fail_tok(t);
  if (const char* err = decode_string(t.text, out)) return fail(t.offset, err);
  if (!is_valid_utf8(out)) return fail(t.offset, "malformed UTF-8 encoding");
  return true;
}

bool ModuleParser::inline_exports(uint8_t kind, uint32_t index) {
  while (peek_lparen_kw("export")) {
    next();
    next();
    std::string name;
    if (!parse_name_string(name) || !expect_rparen()) return false;
    put_name(exports_, name);
    exports_.push_back(kind);
    put_uleb(exports_, index);
    ++n_exports_;
  }
  return true;
}

bool ModuleParser::inline_import(bool& imported, std::string& mod, std::string& name) {
  imported = false;
  if (!peek_lparen_kw("import")) return true;
  next();
  next();
  if (!parse_name_string(mod) || !parse_name_string(name) || !expect_rparen()) return false;
  imported = true;
  return true;
}

bool ModuleParser::encode_fields() {
  for (const FieldRef& f : fields_) {
    lex_.set_pos(f.pos);
    bool ok = true;
    switch (f.kind) {
      case FieldKind::Type:
      case FieldKind::Rec: continue;
      case FieldKind::Import: ok = field_import(); break;
      case FieldKind::Func: ok = field_func(); break;
      case FieldKind::Table: ok = field_table(); break;
      case FieldKind::Memory: ok = field_memory(); break;
      case FieldKind::Global: ok = field_global(); break;
      case FieldKind::Tag: ok = field_tag(); break;
      case FieldKind::Export: ok = field_export(); break;
      case FieldKind::Start: ok = field_start(); break;
      case FieldKind::Elem: ok = field_elem(); break;
      case FieldKind::Data: ok = field_data(); break;
    }
    if (!ok) return false;
  }
  return true;
}

bool ModuleParser::field_import() {
  std::string mod, name;
  if (!parse_name_string(mod) || !parse_name_string(name) || !expect_lparen()) return false;
  Token kw = next();
  Token id = peek();
  if (id.kind == TokKind::Id) next();
  put_name(imports_, mod);
  put_name(imports_, name);
  ++n_imports_;
  if (kw.text == "func") {
    uint32_t index = cur_[kFuncs]++;
    if (id.kind == TokKind::Id) func_names_.push_back({index, id.text});
    TypeUse use;
    Body body;
    std::vector<std::string_view> names;
    size_t at = peek().offset;
    uint32_t t;
    if (!parse_typeuse(use, &body, &names) || !typeuse_index(use, at, t)) return false;
    imports_.push_back(0x00);
    put_uleb(imports_, t);
  } else if (kw.text == "table") {
    ++cur_[kTables];
    bool is64 = false;
    if (peek().kind == TokKind::Atom && (peek().text == "i64" || peek().text == "i32"))
      is64 = next().text == "i64";
    table64_.push_back(is64);
    Bytes limits;
    imports_.push_back(0x01);
    if (!parse_limits(limits, is64, false) || !parse_reftype(imports_)) return false;
    imports_.insert(imports_.end(), limits.begin(), limits.end());
  } else if (kw.text == "memory") {
    ++cur_[kMemories];
    bool is64 = false;
    if (peek().kind == TokKind::Atom && (peek().text == "i64" || peek().text == "i32"))
      is64 = next().text == "i64";
    memory64_.push_back(is64);
    imports_.push_back(0x02);
    if (!parse_limits(imports_, is64, true)) return false;
  } else if (kw.text == "global") {
    ++cur_[kGlobals];
    imports_.push_back(0x03);
    if (!parse_global_type(imports_)) return false;
  } else {  // tag, checked by the scan
    ++cur_[kTags];
    TypeUse use;
    size_t at = peek().offset;
    uint32_t t;
    if (!parse_typeuse(use, nullptr, nullptr) || !typeuse_index(use, at, t)) return false;
    imports_.push_back(0x04);
    imports_.push_back(0x00);
    put_uleb(imports_, t);
  }
  return expect_rparen() && expect_rparen();
}

bool ModuleParser::parse_global_type(Bytes& out) {
  if (peek_lparen_kw("mut")) {
    next();
    next();
    if (!parse_valtype(out) || !expect_rparen()) return false;
    out.push_back(1);
    return true;
  }
  if (!parse_valtype(out)) return false;
  out.push_back(0);
  return true;
}

bool ModuleParser::field_func() {
  uint32_t index = cur_[kFuncs]++;
  Token id = peek();
  if (id.kind == TokKind::Id) {
    next();
    func_names_.push_back({index, id.text});
  }
  if (!inline_exports(0x00, index)) return false;
  bool imported;
  std::string mod, name;
  if (!inline_import(imported, mod, name)) return false;
  Body body;
  std::vector<std::string_view> local_names;
  TypeUse use;
  size_t at = peek().offset;
  uint32_t type_index;
  if (!parse_typeuse(use, &body, &local_names) || !typeuse_index(use, at, type_index)) return false;
  if (imported) {
    put_name(imports_, mod);
    put_name(imports_, name);
    imports_.push_back(0x00);
    put_uleb(imports_, type_index);
    ++n_imports_;
    return expect_rparen();
  }
  put_uleb(funcs_, type_index);
  ++n_funcs_;
  body.nlocals = static_cast<uint32_t>(local_names.size());

  // Locals, run-length compressed by type.
  std::vector<std::pair<uint32_t, Bytes>> runs;
  while (peek_lparen_kw("local")) {
    next();
    next();
    Token lid = peek();
    auto add = [&](const Bytes& t) {
      if (!runs.empty() && runs.back().second == t) {
        ++runs.back().first;
      } else {
        runs.push_back({1, t});
      }
    };
    if (lid.kind == TokKind::Id) {
      next();
      if (!body.locals.emplace(lid.text, body.nlocals).second) {
        return fail(lid.offset, "duplicate local $" + std::string(lid.text));
      }
      local_names.push_back(lid.text);
      Bytes t;
      if (!parse_valtype(t)) return false;
      add(t);
      ++body.nlocals;
    } else {
      while (peek().kind != TokKind::RParen) {
        Bytes t;
        if (!parse_valtype(t)) return false;
        add(t);
        local_names.push_back({});
        ++body.nlocals;
      }
    }
    if (!expect_rparen()) return false;
  }
  Bytes code;
  put_uleb(code, runs.size());
  for (auto& [n, t] : runs) {
    put_uleb(code, n);
    code.insert(code.end(), t.begin(), t.end());
  }
  if (!parse_instrs(code, body) || !expect_rparen()) return false;
  if (!body.labels.empty()) return fail(peek().offset, "unexpected token");
  code.push_back(0x0B);
  put_uleb(codes_, code.size());
  codes_.insert(codes_.end(), code.begin(), code.end());

  std::vector<std::pair<uint32_t, std::string_view>> named;
  for (uint32_t i = 0; i < local_names.size(); ++i) {
    if (!local_names[i].empty()) named.push_back({i, local_names[i]});
  }
  if (!named.empty()) local_names_.push_back({index, std::move(named)});
  return true;
}

bool ModuleParser::parse_const_expr(Bytes& out) {
  Body body;
  if (!parse_instrs(out, body)) return false;
  if (!body.labels.empty()) return fail(peek().offset, "unexpected token");
  out.push_back(0x0B);
  return true;
}

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

bool ModuleParser::field_global() {
  uint32_t index = cur_[kGlobals]++;
  if (peek().kind == TokKind::Id) next();
  if (!inline_exports(0x03, index)) return false;
  bool imported;
  std::string mod, name;
  if (!inline_import(imported, mod, name)) return false;
  Bytes type;
  if (!parse_global_type(type)) return false;
  if (imported) {
    put_name(imports_, mod);
    put_name(imports_, name);
    imports_.push_back(0x03);
    imports_.insert(imports_.end(), type.begin(), type.end());
    ++n_imports_;
    return expect_rparen();
  }
  globals_.insert(globals_.end(), type.begin(), type.end());
  ++n_globals_;
  return parse_const_expr(globals_) && expect_rparen();
}

bool ModuleParser::field_tag() {
  uint32_t index = cur_[kTags]++;
  if (peek().kind == TokKind::Id) next();
  if (!inline_exports(0x04, index)) return false;
  bool imported;
  std::string mod, name;
  if (!inline_import(imported, mod, name)) return false;
  TypeUse use;
  size_t at = peek().offset;
  uint32_t t;
  if (!parse_typeuse(use, nullptr, nullptr) || !typeuse_index(use, at, t)) return false;
  Bytes& out = imported ? imports_ : tags_;
  if (imported) {
    put_name(imports_, mod);
    put_name(imports_, name);
    imports_.push_back(0x04);
    ++n_imports_;
  } else {
    ++n_tags_;
  }
  out.push_back(0x00);
  put_uleb(out, t);
  return expect_rparen();
}

bool ModuleParser::field_export() {
  std::string name;
  if (!parse_name_string(name) || !expect_lparen()) return false;
  Token kw = next();
  Space s;
  uint8_t kind;
  if (kw.kind != TokKind::Atom) return fail_tok(kw);
  if (kw.text == "func") {
    s = kFuncs, kind = 0;
  } else if (kw.text == "table") {
    s = kTables, kind = 1;
  } else if (kw.text == "memory") {
    s = kMemories, kind = 2;
  } else if (kw.text == "global") {
    s = kGlobals, kind = 3;
  } else if (kw.text == "tag") {
    s = kTags, kind = 4;
  } else {
    return fail_tok(kw);
  }
  uint32_t idx;
  if (!parse_index(s, idx) || !expect_rparen() || !expect_rparen()) return false;
  put_name(exports_, name);
  exports_.push_back(kind);
  put_uleb(exports_, idx);
  ++n_exports_;
  return true;
}

bool ModuleParser::field_start() {
  size_t at = peek().offset;
  if (start_) return fail(at, "multiple start sections");
  uint32_t idx;
  if (!parse_index(kFuncs, idx)) return false;
  start_ = idx;
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

Bytes ModuleParser::assemble() {
  Bytes out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  Bytes body;
  // Custom sections from annotations go into their slots (module_annotations.cc).
  auto customs = [&](int slot) {
    for (const CustomSection& cs : customs_) {
      if (cs.slot != slot) continue;
      body.clear();
      put_name(body, cs.name);
      body.insert(body.end(), cs.data.begin(), cs.data.end());
      put_section(out, 0, body);
    }
  };
  int slot_index = 0;
  auto placed = [&](const auto& emit) {
    customs(2 * slot_index + 1);
    emit();
    customs(2 * slot_index + 2);
    ++slot_index;
  };
  customs(0);
  auto section = [&](uint8_t id, uint32_t n, const Bytes& entries) {
    placed([&] {
      if (n == 0) return;
      body.clear();
      put_vec(body, n, entries);
      put_section(out, id, body);
    });
  };
  Bytes types = type_sec_;
  for (const std::string& sig : implicit_types_) {
    types.push_back(0x60);
    types.insert(types.end(), sig.begin(), sig.end());
  }
  section(1, rec_group_count_ + static_cast<uint32_t>(implicit_types_.size()), types);
  section(2, n_imports_, imports_);
  section(3, n_funcs_, funcs_);
  section(4, n_tables_, tables_);
  section(5, n_memories_, memories_);
  section(13, n_tags_, tags_);
  section(6, n_globals_, globals_);
  section(7, n_exports_, exports_);
  placed([&] {
    if (!start_) return;
    body.clear();
    put_uleb(body, *start_);
    put_section(out, 8, body);
  });
  section(9, n_elems_, elems_);
  placed([&] {
    if (!uses_data_count_) return;
    body.clear();
    put_uleb(body, n_datas_);
    put_section(out, 12, body);
  });
  section(10, n_funcs_, codes_);
  section(11, n_datas_, datas_);
  customs(2 * slot_index + 1);  // after last

  // The name section: module name, function names, local names.
  if (module_name_ || !func_names_.empty() || !local_names_.empty()) {
    Bytes names;
    put_name(names, "name");
    Bytes sub;
    if (module_name_) {
      sub.clear();
      put_name(sub, *module_name_);
      names.push_back(0);
      put_uleb(names, sub.size());
      names.insert(names.end(), sub.begin(), sub.end());
    }
    if (!func_names_.empty()) {
      sub.clear();
      put_uleb(sub, func_names_.size());
      for (auto& [i, n] : func_names_) {
        put_uleb(sub, i);
        put_name(sub, n);
      }
      names.push_back(1);
      put_uleb(names, sub.size());
      names.insert(names.end(), sub.begin(), sub.end());
    }
    if (!local_names_.empty()) {
      sub.clear();
      put_uleb(sub, local_names_.size());
      for (auto& [f, locals] : local_names_) {
        put_uleb(sub, f);
        put_uleb(sub, locals.size());
        for (auto& [i, n] : locals) {
          put_uleb(sub, i);
          put_name(sub, n);
        }
      }
      names.push_back(2);
      put_uleb(names, sub.size());
      names.insert(names.end(), sub.begin(), sub.end());
    }
    put_section(out, 0, names);
  }
  return out;
}

}  // namespace wasmrun::text
