// Value types, heap types, indices, type uses and limits.
#include <cstring>

#include "engine/text/literals.h"
#include "engine/text/module_parser.h"

namespace wasmrun::text {

namespace {

// Abstract heap type keywords and their binary codes.
int abstract_heap_code(std::string_view s) {
  struct Entry {
    const char* name;
    uint8_t code;
  };
  static const Entry kHeaps[] = {
      {"func", 0x70}, {"extern", 0x6F}, {"any", 0x6E},      {"eq", 0x6D},
      {"i31", 0x6C},  {"struct", 0x6B}, {"array", 0x6A},    {"exn", 0x69},
      {"none", 0x71}, {"nofunc", 0x73}, {"noextern", 0x72}, {"noexn", 0x74},
  };
  for (const Entry& e : kHeaps) {
    if (s == e.name) return e.code;
  }
  return -1;
}

// Shorthand value type keywords.
int valtype_code(std::string_view s) {
  struct Entry {
    const char* name;
    uint8_t code;
  };
  static const Entry kTypes[] = {
      {"i32", 0x7F},        {"i64", 0x7E},         {"f32", 0x7D},
      {"f64", 0x7C},        {"v128", 0x7B},        {"i8", 0x78},
      {"i16", 0x77},        {"funcref", 0x70},     {"externref", 0x6F},
      {"anyref", 0x6E},     {"eqref", 0x6D},       {"i31ref", 0x6C},
      {"structref", 0x6B},  {"arrayref", 0x6A},    {"exnref", 0x69},
      {"nullref", 0x71},    {"nullfuncref", 0x73}, {"nullexternref", 0x72},
      {"nullexnref", 0x74},
  };
  for (const Entry& e : kTypes) {
    if (s == e.name) return e.code;
  }
  return -1;
}

const char* kUnknownNames[kNumSpaces] = {
    "unknown type",   "unknown function", "unknown table",        "unknown memory",
    "unknown global", "unknown tag",      "unknown elem segment", "unknown data segment"};

}  // namespace

bool ModuleParser::parse_valtype(Bytes& out) {
  Token t = next();
  return parse_valtype_tok(t, out);
}

bool ModuleParser::parse_valtype_tok(const Token& t, Bytes& out) {
  if (t.kind == TokKind::Atom) {
    int c = valtype_code(t.text);
    if (c < 0) return fail(t.offset, "unknown operator " + std::string(t.text));
    out.push_back(static_cast<uint8_t>(c));
    return true;
  }
  if (t.kind == TokKind::LParen) {
    Token kw = next();
    if (kw.kind != TokKind::Atom || kw.text != "ref") return fail_tok(kw);
    bool nullable = false;
    if (peek().kind == TokKind::Atom && peek().text == "null") {
      next();
      nullable = true;
    }
    Bytes heap;
    if (!parse_heaptype(heap) || !expect_rparen()) return false;
    // Nullable abstract references have a one-byte shorthand.
    if (nullable && heap.size() == 1 && heap[0] >= 0x69 && heap[0] <= 0x74) {
      out.push_back(heap[0]);
    } else {
      out.push_back(nullable ? 0x63 : 0x64);
      out.insert(out.end(), heap.begin(), heap.end());
    }
    return true;
  }
  return fail_tok(t);
}

bool ModuleParser::parse_reftype(Bytes& out, bool* nullable, Bytes* heap) {
  Token t = next();
  if (t.kind == TokKind::Atom) {
    int c = valtype_code(t.text);
    if (c < 0x69 || c > 0x74) return fail_tok(t);
    out.push_back(static_cast<uint8_t>(c));
    if (nullable) *nullable = true;
    if (heap) heap->assign(1, static_cast<uint8_t>(c));
    return true;
  }
  if (t.kind != TokKind::LParen) return fail_tok(t);
  Token kw = next();
  if (kw.kind != TokKind::Atom || kw.text != "ref") return fail_tok(kw);
  bool null = false;
  if (peek().kind == TokKind::Atom && peek().text == "null") {
    next();
    null = true;
  }
  Bytes h;
  if (!parse_heaptype(h) || !expect_rparen()) return false;
  if (null && h.size() == 1 && h[0] >= 0x69 && h[0] <= 0x74) {
    out.push_back(h[0]);
  } else {
    out.push_back(null ? 0x63 : 0x64);
    out.insert(out.end(), h.begin(), h.end());
  }
  if (nullable) *nullable = null;
  if (heap) *heap = std::move(h);
  return true;
}

bool ModuleParser::parse_heaptype(Bytes& out) { return parse_heaptype_tok(next(), out); }

bool ModuleParser::parse_heaptype_tok(const Token& t, Bytes& out) {
  if (t.kind == TokKind::Atom) {
    int c = abstract_heap_code(t.text);
    if (c >= 0) {
      out.push_back(static_cast<uint8_t>(c));
      return true;
    }
  }
  uint32_t idx;
  if (!resolve_index(kTypes, t, idx)) return false;
  put_sleb(out, idx);
  return true;
}

bool ModuleParser::parse_index(Space s, uint32_t& out) { return resolve_index(s, next(), out); }

bool ModuleParser::resolve_index(Space s, const Token& t, uint32_t& out) {
  if (t.kind == TokKind::Id) {
    auto it = spaces_[s].ids.find(t.text);
    if (it == spaces_[s].ids.end())
      return fail(t.offset, std::string(kUnknownNames[s]) + " $" + std::string(t.text));
    out = it->second;
    return true;
  }
  if (t.kind == TokKind::Atom) {
    uint64_t v;
    LitStatus st = parse_uint(t.text, UINT32_MAX, v);
    if (st == LitStatus::Ok) {
      out = static_cast<uint32_t>(v);
      return true;
    }
    if (st == LitStatus::Range) return fail(t.offset, "constant out of range");
    return fail(t.offset, "unknown operator");
  }
  return fail_tok(t);
}

bool ModuleParser::parse_u32(uint32_t& out) {
  Token t = next();
  uint64_t v;
  if (t.kind != TokKind::Atom) return fail_tok(t);
  LitStatus st = parse_uint(t.text, UINT32_MAX, v);
  if (st == LitStatus::Range) return fail(t.offset, "constant out of range");
  if (st != LitStatus::Ok) return fail_tok(t);
  out = static_cast<uint32_t>(v);
  return true;
}

bool ModuleParser::parse_u64(uint64_t& out) {
  Token t = next();
  if (t.kind != TokKind::Atom) return fail_tok(t);
  LitStatus st = parse_uint(t.text, UINT64_MAX, out);
  if (st == LitStatus::Range) return fail(t.offset, "constant out of range");
  if (st != LitStatus::Ok) return fail_tok(t);
  return true;
}

// (type x)? (param ...)* (result ...)*. Param ids are allowed only when
// `param_names` is given (function definitions); they are bound in `body`.
bool ModuleParser::parse_typeuse(TypeUse& use, Body* body,
                                 std::vector<std::string_view>* param_names) {
  size_t start = peek().offset;
  if (peek_lparen_kw("type")) {
    next();
    next();
    uint32_t idx;
    if (!parse_index(kTypes, idx) || !expect_rparen()) return false;
    use.index = idx;
  }
  Bytes params, results;
  while (peek_lparen_kw("param")) {
    next();
    next();
    use.has_inline = true;
    Token id = peek();
    if (id.kind == TokKind::Id) {
      if (param_names == nullptr) return fail_tok(id);
      next();
      if (!body->locals.emplace(id.text, use.nparams).second) {
        return fail(id.offset, "duplicate local $" + std::string(id.text));
      }
      param_names->push_back(id.text);
      if (!parse_valtype(params)) return false;
      ++use.nparams;
    } else {
      while (peek().kind != TokKind::RParen) {
        if (!parse_valtype(params)) return false;
        if (param_names) param_names->push_back({});
        ++use.nparams;
      }
    }
    if (!expect_rparen()) return false;
  }
  while (peek_lparen_kw("result")) {
    next();
    next();
    use.has_inline = true;
    while (peek().kind != TokKind::RParen) {
      size_t before = results.size();
      if (!parse_valtype(results)) return false;
      if (use.nresults == 0) use.single_result.assign(results.begin() + before, results.end());
      ++use.nresults;
    }
    if (!expect_rparen()) return false;
  }
  if (peek_lparen_kw("param") || peek_lparen_kw("type"))
    return fail(peek().offset + 1, "unexpected token");
  Bytes sig;
  put_uleb(sig, use.nparams);
  sig.insert(sig.end(), params.begin(), params.end());
  put_uleb(sig, use.nresults);
  sig.insert(sig.end(), results.begin(), results.end());
  use.sig.assign(sig.begin(), sig.end());
  // An inline signature must be checked against the named type, so that type must exist.
  if (use.index && use.has_inline && *use.index >= types_.size())
    return fail(start, "unknown type");
  if (use.index && use.has_inline && *use.index < types_.size() && types_[*use.index].is_func &&
      types_[*use.index].sig != use.sig) {
    return fail(start, "inline function type");
  }
  if (use.index && !use.has_inline && *use.index < types_.size()) {
    use.nparams = types_[*use.index].nparams;
    if (param_names) param_names->resize(use.nparams);
  }
  return true;
}

uint32_t ModuleParser::typeuse_index(const TypeUse& use) {
  return use.index ? *use.index : implicit_type(use.sig);
}

uint32_t ModuleParser::implicit_type(const std::string& sig) {
  for (uint32_t i = 0; i < explicit_type_count_; ++i) {
    if (types_[i].plain && types_[i].sig == sig) return i;
  }
  for (uint32_t i = 0; i < implicit_types_.size(); ++i) {
    if (implicit_types_[i] == sig) return explicit_type_count_ + i;
  }
  implicit_types_.push_back(sig);
  return explicit_type_count_ + static_cast<uint32_t>(implicit_types_.size() - 1);
}

// addrtype is read by the caller. min max? shared? -> flags, min, max.
bool ModuleParser::parse_limits(Bytes& out, bool address64, bool allow_shared, uint8_t* flags_out) {
  uint64_t min, max = 0;
  if (!parse_u64(min)) return false;
  bool has_max = false;
  Token t = peek();
  if (t.kind == TokKind::Atom && t.text[0] >= '0' && t.text[0] <= '9') {
    if (!parse_u64(max)) return false;
    has_max = true;
  }
  bool shared = false;
  if (allow_shared) {
    t = peek();
    if (t.kind == TokKind::Atom && t.text == "shared") {
      next();
      shared = true;
    } else if (t.kind == TokKind::Atom && t.text == "unshared") {
      next();
    }
  }
  uint8_t flags = (has_max ? 1 : 0) | (shared ? 2 : 0) | (address64 ? 4 : 0);
  out.push_back(flags);
  put_uleb(out, min);
  if (has_max) put_uleb(out, max);
  if (flags_out) *flags_out = flags;
  return true;
}

}  // namespace wasmrun::text
