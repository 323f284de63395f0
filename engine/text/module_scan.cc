// The first pass over a module's fields: bind identifiers, encode type definitions.
#include <cstring>

#include "engine/text/module_parser.h"

namespace wasmrun::text {

namespace {

const char* kSpaceNames[kNumSpaces] = {"type",   "func", "table", "memory",
                                       "global", "tag",  "elem",  "data"};
const char* kDefinitionNames[kNumSpaces] = {"type",   "function", "table", "memory",
                                            "global", "tag",      "elem",  "data"};

}  // namespace

bool ModuleParser::fail(size_t offset, std::string msg) {
  if (!error_) error_ = Error(ErrorKind::Malformed, std::move(msg), offset);
  return false;
}

bool ModuleParser::fail_tok(const Token& t, std::string_view what) {
  if (t.kind == TokKind::Error) return fail(t.offset, std::string(t.text));
  if (t.kind == TokKind::Eof) return fail(t.offset, "unexpected end of input");
  if (t.kind == TokKind::Reserved) return fail(t.offset, "unknown operator");
  return fail(t.offset, std::string(what));
}

bool ModuleParser::expect_lparen() {
  Token t = next();
  return t.kind == TokKind::LParen || fail_tok(t);
}

bool ModuleParser::expect_rparen() {
  Token t = next();
  return t.kind == TokKind::RParen || fail_tok(t);
}

bool ModuleParser::expect_keyword(std::string_view kw) {
  Token t = next();
  return (t.kind == TokKind::Atom && t.text == kw) || fail_tok(t);
}

bool ModuleParser::peek_lparen_kw(std::string_view kw) const {
  Lexer l = lex_;
  if (l.next().kind != TokKind::LParen) return false;
  Token t = l.next();
  return t.kind == TokKind::Atom && t.text == kw;
}

bool ModuleParser::is_index_token(const Token& t) const {
  return t.kind == TokKind::Id || (t.kind == TokKind::Atom && t.text[0] >= '0' && t.text[0] <= '9');
}

bool ModuleParser::skip_to_rparen() {
  int depth = 1;
  while (true) {
    Token t = next();
    if (t.kind == TokKind::LParen) {
      ++depth;
    } else if (t.kind == TokKind::RParen) {
      if (--depth == 0) return true;
    } else if (t.kind == TokKind::Eof || t.kind == TokKind::Error) {
      return fail_tok(t);
    }
  }
}

bool ModuleParser::bind(Space s, const Token* id, size_t at) {
  uint32_t index = spaces_[s].count++;
  if (id == nullptr) return true;
  if (!spaces_[s].ids.emplace(id->text, index).second) {
    return fail(at, std::string("duplicate ") + kSpaceNames[s] + " $" + std::string(id->text));
  }
  return true;
}

bool ModuleParser::check_import_order(size_t at) {
  if (first_definition_ != nullptr)
    return fail(at, std::string("import after ") + first_definition_);
  return true;
}

bool ModuleParser::scan_fields(bool until_rparen) {
  while (true) {
    Token t = next();
    if (t.kind == TokKind::RParen && until_rparen) return true;
    if (t.kind == TokKind::Eof && !until_rparen) return true;
    if (t.kind != TokKind::LParen) return fail_tok(t);
    Token kw = next();
    if (kw.kind != TokKind::Atom) return fail_tok(kw);
    FieldKind kind;
    Space space = kNumSpaces;
    std::string_view k = kw.text;
    if (k == "type") {
      kind = FieldKind::Type;
    } else if (k == "rec") {
      kind = FieldKind::Rec;
    } else if (k == "import") {
      kind = FieldKind::Import;
    } else if (k == "func") {
      kind = FieldKind::Func, space = kFuncs;
    } else if (k == "table") {
      kind = FieldKind::Table, space = kTables;
    } else if (k == "memory") {
      kind = FieldKind::Memory, space = kMemories;
    } else if (k == "global") {
      kind = FieldKind::Global, space = kGlobals;
    } else if (k == "tag") {
      kind = FieldKind::Tag, space = kTags;
    } else if (k == "export") {
      kind = FieldKind::Export;
    } else if (k == "start") {
      kind = FieldKind::Start;
    } else if (k == "elem") {
      kind = FieldKind::Elem, space = kElems;
    } else if (k == "data") {
      kind = FieldKind::Data, space = kDatas;
    } else {
      return fail(kw.offset, "unknown operator");
    }
    fields_.push_back({kind, lex_.pos()});

    Token id = peek();
    const Token* idp = nullptr;
    if (id.kind == TokKind::Id && kind != FieldKind::Start) {
      next();
      idp = &id;
    }
    switch (kind) {
      case FieldKind::Type:
        if (!bind(kTypes, idp, kw.offset)) return false;
        if (!skip_to_rparen()) return false;
        break;
      case FieldKind::Rec: {
        if (idp) return fail_tok(id);
        while (true) {
          Token t2 = next();
          if (t2.kind == TokKind::RParen) break;
          if (t2.kind != TokKind::LParen) return fail_tok(t2);
          Token kw2 = next();
          if (kw2.kind != TokKind::Atom || kw2.text != "type") return fail_tok(kw2);
          Token id2 = peek();
          if (id2.kind == TokKind::Id) next();
          if (!bind(kTypes, id2.kind == TokKind::Id ? &id2 : nullptr, kw2.offset)) return false;
          if (!skip_to_rparen()) return false;
        }
        break;
      }
      case FieldKind::Import: {
        if (idp) return fail_tok(id);
        Token m = next(), n = next();
        if (m.kind != TokKind::String) return fail_tok(m);
        if (n.kind != TokKind::String) return fail_tok(n);
        if (!expect_lparen()) return false;
        Token dk = next();
        Space s;
        if (dk.kind != TokKind::Atom) return fail_tok(dk);
        if (dk.text == "func") {
          s = kFuncs;
        } else if (dk.text == "table") {
          s = kTables;
        } else if (dk.text == "memory") {
          s = kMemories;
        } else if (dk.text == "global") {
          s = kGlobals;
        } else if (dk.text == "tag") {
          s = kTags;
        } else {
          return fail_tok(dk);
        }
        Token id2 = peek();
        if (id2.kind == TokKind::Id) next();
        if (!check_import_order(kw.offset)) return false;
        if (!bind(s, id2.kind == TokKind::Id ? &id2 : nullptr, kw.offset)) return false;
        if (!skip_to_rparen() || !skip_to_rparen()) return false;
        break;
      }
      case FieldKind::Func:
      case FieldKind::Table:
      case FieldKind::Memory:
      case FieldKind::Global:
      case FieldKind::Tag: {
        if (!bind(space, idp, kw.offset)) return false;
        // Look at the field's direct subforms for an inline import or segment.
        bool imported = false, inline_segment = false;
        int depth = 1;
        bool after_lparen = false;
        while (depth > 0) {
          Token t2 = next();
          if (t2.kind == TokKind::LParen) {
            ++depth;
            after_lparen = true;
            continue;
          }
          if (t2.kind == TokKind::RParen) {
            --depth;
          } else if (t2.kind == TokKind::Eof || t2.kind == TokKind::Error) {
            return fail_tok(t2);
          } else if (after_lparen && depth == 2 && t2.kind == TokKind::Atom) {
            if (t2.text == "import") imported = true;
            if ((t2.text == "elem" && kind == FieldKind::Table) ||
                (t2.text == "data" && kind == FieldKind::Memory)) {
              inline_segment = true;
            }
          }
          after_lparen = false;
        }
        if (imported) {
          if (!check_import_order(kw.offset)) return false;
        } else if (first_definition_ == nullptr) {
          first_definition_ = kDefinitionNames[space];
        }
        if (inline_segment && !bind(kind == FieldKind::Table ? kElems : kDatas, nullptr, kw.offset))
          return false;
        break;
      }
      case FieldKind::Elem:
      case FieldKind::Data:
        if (!bind(space, idp, kw.offset)) return false;
        if (!skip_to_rparen()) return false;
        break;
      case FieldKind::Export:
      case FieldKind::Start:
        if (idp) return fail_tok(id);
        if (!skip_to_rparen()) return false;
        break;
    }
  }
}

bool ModuleParser::scan_types() {
  types_.reserve(spaces_[kTypes].count);
  for (const FieldRef& f : fields_) {
    if (f.kind != FieldKind::Type && f.kind != FieldKind::Rec) continue;
    lex_.set_pos(f.pos);
    ++rec_group_count_;
    if (f.kind == FieldKind::Type) {
      types_.emplace_back();
      if (!parse_type_def(type_sec_, types_.back())) return false;
      continue;
    }
    Bytes group;
    uint32_t n = 0;
    size_t first = types_.size();
    while (true) {
      Token t = next();
      if (t.kind == TokKind::RParen) break;
      if (t.kind != TokKind::LParen) return fail_tok(t);
      next();  // "type", checked by the scan
      types_.emplace_back();
      if (!parse_type_def(group, types_.back())) return false;
      ++n;
    }
    // Only a group of one can be the target of an inline type use.
    if (n != 1) {
      for (size_t i = first; i < types_.size(); ++i) types_[i].plain = false;
    }
    type_sec_.push_back(0x4E);
    put_uleb(type_sec_, n);
    type_sec_.insert(type_sec_.end(), group.begin(), group.end());
  }
  explicit_type_count_ = static_cast<uint32_t>(types_.size());
  return true;
}

// After `type`: $id? (sub final? x* comptype) | comptype, then ')'.
bool ModuleParser::parse_type_def(Bytes& out, TypeInfo& info) {
  if (peek().kind == TokKind::Id) next();
  if (!expect_lparen()) return false;
  Token kw = peek();
  if (kw.kind == TokKind::Atom && kw.text == "sub") {
    next();
    bool final = false;
    if (peek().kind == TokKind::Atom && peek().text == "final") {
      next();
      final = true;
    }
    std::vector<uint32_t> supers;
    while (is_index_token(peek())) {
      uint32_t s;
      if (!parse_index(kTypes, s)) return false;
      supers.push_back(s);
    }
    if (!(final && supers.empty())) {
      out.push_back(final ? 0x4F : 0x50);
      put_uleb(out, supers.size());
      for (uint32_t s : supers) put_uleb(out, s);
    }
    if (!expect_lparen() || !parse_comp_type(out, info) || !expect_rparen()) return false;
    info.plain = info.is_func && final && supers.empty();
  } else {
    if (!parse_comp_type(out, info)) return false;
    info.plain = info.is_func;
  }
  return expect_rparen();
}

// After '(': func/struct/array ... ')'.
bool ModuleParser::parse_comp_type(Bytes& out, TypeInfo& info) {
  Token kw = next();
  if (kw.kind != TokKind::Atom) return fail_tok(kw);
  if (kw.text == "func") {
    info.is_func = true;
    Bytes params, results;
    uint32_t np = 0, nr = 0;
    while (peek_lparen_kw("param")) {
      next();
      next();
      if (peek().kind == TokKind::Id) {
        next();
        if (!parse_valtype(params)) return false;
        ++np;
      } else {
        while (peek().kind != TokKind::RParen) {
          if (!parse_valtype(params)) return false;
          ++np;
        }
      }
      if (!expect_rparen()) return false;
    }
    while (peek_lparen_kw("result")) {
      next();
      next();
      while (peek().kind != TokKind::RParen) {
        if (!parse_valtype(results)) return false;
        ++nr;
      }
      if (!expect_rparen()) return false;
    }
    Bytes sig;
    put_uleb(sig, np);
    sig.insert(sig.end(), params.begin(), params.end());
    put_uleb(sig, nr);
    sig.insert(sig.end(), results.begin(), results.end());
    info.sig.assign(sig.begin(), sig.end());
    info.nparams = np;
    out.push_back(0x60);
    out.insert(out.end(), sig.begin(), sig.end());
    return expect_rparen();
  }
  if (kw.text == "struct") {
    Bytes fields;
    uint32_t n = 0;
    while (true) {
      Token t = next();
      if (t.kind == TokKind::RParen) break;
      if (t.kind != TokKind::LParen) return fail_tok(t);
      if (!expect_keyword("field")) return false;
      Token id = peek();
      if (id.kind == TokKind::Id) {
        next();
        if (!info.fields.emplace(id.text, n).second)
          return fail(id.offset, "duplicate field $" + std::string(id.text));
        if (!parse_field_type(fields)) return false;
        ++n;
      } else {
        while (peek().kind != TokKind::RParen) {
          if (!parse_field_type(fields)) return false;
          ++n;
        }
      }
      if (!expect_rparen()) return false;
    }
    out.push_back(0x5F);
    put_uleb(out, n);
    out.insert(out.end(), fields.begin(), fields.end());
    return true;
  }
  if (kw.text == "array") {
    out.push_back(0x5E);
    if (peek_lparen_kw("field")) {
      next();
      next();
      if (!parse_field_type(out) || !expect_rparen()) return false;
    } else if (!parse_field_type(out)) {
      return false;
    }
    return expect_rparen();
  }
  return fail_tok(kw);
}

// storagetype | (mut storagetype)
bool ModuleParser::parse_field_type(Bytes& out) {
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

}  // namespace wasmrun::text
