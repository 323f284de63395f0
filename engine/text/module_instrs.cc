// Structured and folded instructions: blocks, labels, exception handlers.
#include <algorithm>

#include "engine/opcodes.h"
#include "engine/text/module_parser.h"

namespace wasmrun::text {

bool ModuleParser::parse_label_ref(const Body& b, uint32_t& depth) {
  Token t = next();
  if (t.kind == TokKind::Id) {
    for (size_t i = b.labels.size(); i-- > 0;) {
      if (b.labels[i] == t.text) {
        depth = static_cast<uint32_t>(b.labels.size() - 1 - i);
        return true;
      }
    }
    return fail(t.offset, "unknown label $" + std::string(t.text));
  }
  return resolve_index(kTypes, t, depth);
}

bool ModuleParser::check_end_label(std::string_view label) {
  Token t = peek();
  if (t.kind != TokKind::Id) return true;
  next();
  if (label != t.text) return fail(t.offset, "mismatching label");
  return true;
}

// Block type: (type x)? (param t*)* (result t*)*, as an s33.
bool ModuleParser::parse_block_type(Bytes& out) {
  TypeUse use;
  if (!parse_typeuse(use, nullptr, nullptr)) return false;
  if (!use.index && use.nparams == 0 && use.nresults <= 1) {
    if (use.nresults == 0) {
      out.push_back(0x40);
    } else {
      out.insert(out.end(), use.single_result.begin(), use.single_result.end());
    }
    return true;
  }
  // A type index naming [] -> [t?] gets the short form too, as wat2wasm writes it.
  if (use.index && *use.index < types_.size() && types_[*use.index].is_func) {
    const std::string& sig = types_[*use.index].sig;
    if (sig.size() >= 2 && sig[0] == 0 && (sig[1] == 0 || sig[1] == 1)) {
      if (sig[1] == 0) {
        out.push_back(0x40);
      } else {
        out.insert(out.end(), sig.begin() + 2, sig.end());
      }
      return true;
    }
  }
  put_sleb(out, typeuse_index(use));
  return true;
}

bool ModuleParser::parse_catch_clauses(Bytes& out, Body& b) {
  Bytes clauses;
  uint32_t n = 0;
  while (true) {
    Lexer save = lex_;
    if (next().kind != TokKind::LParen) {
      lex_ = save;
      break;
    }
    Token kw = next();
    uint8_t kind;
    if (kw.kind == TokKind::Atom && kw.text == "catch") {
      kind = 0;
    } else if (kw.kind == TokKind::Atom && kw.text == "catch_ref") {
      kind = 1;
    } else if (kw.kind == TokKind::Atom && kw.text == "catch_all") {
      kind = 2;
    } else if (kw.kind == TokKind::Atom && kw.text == "catch_all_ref") {
      kind = 3;
    } else {
      lex_ = save;
      break;
    }
    clauses.push_back(kind);
    uint32_t idx;
    if (kind < 2) {
      if (!parse_index(kTags, idx)) return false;
      put_uleb(clauses, idx);
    }
    if (!parse_label_ref(b, idx) || !expect_rparen()) return false;
    put_uleb(clauses, idx);
    ++n;
  }
  put_uleb(out, n);
  out.insert(out.end(), clauses.begin(), clauses.end());
  return true;
}

bool ModuleParser::parse_instrs(Bytes& out, Body& b) {
  while (true) {
    Token t = peek();
    if (t.kind == TokKind::RParen || t.kind == TokKind::Eof) return true;
    if (t.kind == TokKind::LParen) {
      if (!parse_folded(out, b)) return false;
      continue;
    }
    next();
    if (t.kind != TokKind::Atom) return fail_tok(t);
    std::string_view k = t.text;
    if (k == "block" || k == "loop" || k == "if") {
      if (k == "if") note_hint(t, out.size(), b);
      put_op(out, k == "block" ? Op::block : k == "loop" ? Op::loop : Op::if_);
      std::string_view label;
      if (peek().kind == TokKind::Id) label = next().text;
      if (!parse_block_type(out)) return false;
      b.labels.push_back(label);
    } else if (k == "try_table" || k == "try") {
      bool table = k == "try_table";
      put_op(out, table ? Op::try_table : Op::try_);
      std::string_view label;
      if (peek().kind == TokKind::Id) label = next().text;
      if (!parse_block_type(out)) return false;
      if (table && !parse_catch_clauses(out, b)) return false;
      b.labels.push_back(label);
    } else if (k == "end" || k == "else" || k == "catch" || k == "catch_all" || k == "delegate") {
      if (b.labels.empty()) return fail(t.offset, "unexpected token");
      if (k == "end") {
        if (!check_end_label(b.labels.back())) return false;
        b.labels.pop_back();
        out.push_back(0x0B);
      } else if (k == "else") {
        if (!check_end_label(b.labels.back())) return false;
        // An empty else branch is left out, as wat2wasm does.
        Token after = peek();
        if (!(after.kind == TokKind::Atom && after.text == "end")) out.push_back(0x05);
      } else if (k == "catch") {
        uint32_t tag;  // an Id here is the tag, not a repeated label
        if (!parse_index(kTags, tag)) return false;
        out.push_back(0x07);
        put_uleb(out, tag);
      } else if (k == "catch_all") {
        if (!check_end_label(b.labels.back())) return false;
        out.push_back(0x19);
      } else {
        b.labels.pop_back();
        uint32_t depth;
        if (!parse_label_ref(b, depth)) return false;
        out.push_back(0x18);
        put_uleb(out, depth);
      }
    } else if (!parse_plain(t, out, b)) {
      return false;
    }
  }
}

bool ModuleParser::parse_folded(Bytes& out, Body& b) {
  // Folded instructions recurse; bound the depth so hostile input cannot
  // exhaust the native stack.
  if (++fold_depth_ > kMaxFoldDepth) return fail(peek().offset, "nesting too deep");
  struct Leave {
    uint32_t& d;
    ~Leave() { --d; }
  } leave{fold_depth_};
  next();  // '('
  Token kw = next();
  if (kw.kind != TokKind::Atom) return fail_tok(kw);
  std::string_view k = kw.text;
  if (k == "block" || k == "loop") {
    put_op(out, k == "block" ? Op::block : Op::loop);
    std::string_view label;
    if (peek().kind == TokKind::Id) label = next().text;
    if (!parse_block_type(out)) return false;
    b.labels.push_back(label);
    if (!parse_instrs(out, b) || !expect_rparen()) return false;
    b.labels.pop_back();
    out.push_back(0x0B);
    return true;
  }
  if (k == "if") {
    Bytes head;
    put_op(head, Op::if_);
    std::string_view label;
    if (peek().kind == TokKind::Id) label = next().text;
    if (!parse_block_type(head)) return false;
    while (peek().kind == TokKind::LParen && !peek_lparen_kw("then")) {
      if (!parse_folded(out, b)) return false;
    }
    note_hint(kw, out.size(), b);
    out.insert(out.end(), head.begin(), head.end());
    b.labels.push_back(label);
    if (!expect_lparen() || !expect_keyword("then") || !parse_instrs(out, b) || !expect_rparen())
      return false;
    if (peek_lparen_kw("else")) {
      next();
      next();
      // An empty else branch is left out, as wat2wasm does; the meaning is the same.
      size_t else_at = out.size();
      out.push_back(0x05);
      if (!parse_instrs(out, b) || !expect_rparen()) return false;
      if (out.size() == else_at + 1) out.pop_back();
    }
    b.labels.pop_back();
    out.push_back(0x0B);
    return expect_rparen();
  }
  if (k == "try_table") {
    put_op(out, Op::try_table);
    std::string_view label;
    if (peek().kind == TokKind::Id) label = next().text;
    if (!parse_block_type(out) || !parse_catch_clauses(out, b)) return false;
    b.labels.push_back(label);
    if (!parse_instrs(out, b) || !expect_rparen()) return false;
    b.labels.pop_back();
    out.push_back(0x0B);
    return true;
  }
  if (k == "try") return parse_try_folded(out, b);
  if (k == "type" || k == "param" || k == "result" || k == "local" || k == "then" || k == "else" ||
      k == "export" || k == "import" || k == "end" || k == "catch" || k == "catch_all" ||
      k == "delegate" || k == "do") {
    return fail(kw.offset, "unexpected token");
  }
  // A plain instruction: immediates, then folded operands which must come first
  // in the binary, so the operands' bytes are rotated in front afterwards.
  size_t op_start = out.size();
  if (!parse_plain(kw, out, b)) return false;
  size_t operands_start = out.size();
  while (peek().kind == TokKind::LParen) {
    if (!parse_folded(out, b)) return false;
  }
  if (!expect_rparen()) return false;
  std::rotate(out.begin() + static_cast<ptrdiff_t>(op_start),
              out.begin() + static_cast<ptrdiff_t>(operands_start), out.end());
  // Branch hints inside the rotated range move with their bytes.
  for (auto& [at, value] : b.hints) {
    if (at < op_start) continue;
    if (at < operands_start) {
      at += out.size() - operands_start;
    } else {
      at -= operands_start - op_start;
    }
  }
  return true;
}

// (try $l? bt (do instr*) (catch x instr*)* (catch_all instr*)?) or (... (delegate l))
bool ModuleParser::parse_try_folded(Bytes& out, Body& b) {
  put_op(out, Op::try_);
  std::string_view label;
  if (peek().kind == TokKind::Id) label = next().text;
  if (!parse_block_type(out)) return false;
  b.labels.push_back(label);
  if (!expect_lparen() || !expect_keyword("do") || !parse_instrs(out, b) || !expect_rparen())
    return false;
  bool any_catch = false;
  while (true) {
    if (peek_lparen_kw("catch")) {
      any_catch = true;
      next();
      next();
      uint32_t tag;
      if (!parse_index(kTags, tag)) return false;
      out.push_back(0x07);
      put_uleb(out, tag);
      if (!parse_instrs(out, b) || !expect_rparen()) return false;
    } else if (peek_lparen_kw("catch_all")) {
      next();
      next();
      out.push_back(0x19);
      if (!parse_instrs(out, b) || !expect_rparen()) return false;
      any_catch = true;
      break;  // catch_all is the last clause
    } else {
      break;
    }
  }
  if (!any_catch && peek_lparen_kw("delegate")) {
    next();
    next();
    b.labels.pop_back();
    uint32_t depth;
    if (!parse_label_ref(b, depth) || !expect_rparen()) return false;
    out.push_back(0x18);
    put_uleb(out, depth);
    return expect_rparen();
  }
  b.labels.pop_back();
  out.push_back(0x0B);
  return expect_rparen();
}

}  // namespace wasmrun::text
