// The second pass: module fields in text order, appended to section buffers.
#include "engine/text/module_parser.h"

namespace wasmrun::text {

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
  for (size_t i = 0; i < fields_.size(); ++i) {
    const FieldRef& f = fields_[i];
    current_field_ = i;
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
    uint32_t t;
    if (!parse_typeuse(use, &body, &names)) return false;
    t = typeuse_index(use);
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
    uint32_t t;
    if (!parse_typeuse(use, nullptr, nullptr)) return false;
    t = typeuse_index(use);
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
  if (id.kind == TokKind::Id) next();
  auto annotated = annotated_func_names_.find(current_field_);
  if (annotated != annotated_func_names_.end()) {
    func_names_.push_back({index, annotated->second});
  } else if (id.kind == TokKind::Id) {
    func_names_.push_back({index, id.text});
  }
  if (!inline_exports(0x00, index)) return false;
  bool imported;
  std::string mod, name;
  if (!inline_import(imported, mod, name)) return false;
  Body body;
  std::vector<std::string_view> local_names;
  TypeUse use;
  uint32_t type_index;
  if (!parse_typeuse(use, &body, &local_names)) return false;
  type_index = typeuse_index(use);
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
  if (!body.hints.empty()) branch_hints_.push_back({index, std::move(body.hints)});
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
  uint32_t t;
  if (!parse_typeuse(use, nullptr, nullptr)) return false;
  t = typeuse_index(use);
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
  if (start_) return fail(peek().offset, "multiple start sections");
  uint32_t idx;
  if (!parse_index(kFuncs, idx)) return false;
  start_ = idx;
  return expect_rparen();
}

}  // namespace wasmrun::text
