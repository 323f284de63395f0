// Annotations with a meaning: (@custom ...) becomes a custom section, and the
// placement rules of @custom and @name are checked. Every other annotation is
// skipped by the lexer. This pass runs only when the module has annotations.
#include "engine/text/module_parser.h"

namespace wasmrun::text {

namespace {

// Sections in binary order; a custom section's slot is 2*i+1 before section i,
// 2*i+2 after it, 0 before everything and kLastSlot after everything.
constexpr const char* kSectionNames[] = {"type",      "import", "func",   "table", "memory",
                                         "tag",       "global", "export", "start", "elem",
                                         "datacount", "code",   "data"};
constexpr int kNumSectionNames = sizeof(kSectionNames) / sizeof(kSectionNames[0]);
constexpr int kLastSlot = 2 * kNumSectionNames + 1;

}  // namespace

bool ModuleParser::skip_annotation_body(Lexer& l) {
  int depth = 1;
  while (depth > 0) {
    Token t = l.next();
    if (t.kind == TokKind::LParen || t.kind == TokKind::Annotation) {
      ++depth;
    } else if (t.kind == TokKind::RParen) {
      --depth;
    } else if (t.kind == TokKind::Eof || t.kind == TokKind::Error) {
      return fail_tok(t);
    }
  }
  return true;
}

// After `(@custom`: "name" placement? datastring ')'.
bool ModuleParser::parse_custom_annotation(Lexer& l) {
  Token name = l.next();
  if (name.kind != TokKind::String)
    return fail(name.offset, "@custom annotation: missing section name");
  CustomSection cs;
  if (decode_string(name.text, cs.name) != nullptr || !is_valid_utf8(cs.name)) {
    return fail(name.offset, "@custom annotation: malformed UTF-8 encoding");
  }
  cs.slot = kLastSlot;
  Token t = l.next();
  if (t.kind == TokKind::LParen) {
    Token where = l.next();
    bool before = where.kind == TokKind::Atom && where.text == "before";
    bool after = where.kind == TokKind::Atom && where.text == "after";
    if (!before && !after) return fail(where.offset, "@custom annotation: malformed placement");
    Token kind = l.next();
    int slot = -1;
    if (kind.kind == TokKind::Atom) {
      if (before && kind.text == "first") slot = 0;
      if (after && kind.text == "last") slot = kLastSlot;
      for (int i = 0; i < kNumSectionNames; ++i) {
        if (kind.text == kSectionNames[i]) slot = before ? 2 * i + 1 : 2 * i + 2;
      }
    }
    if (slot < 0) return fail(kind.offset, "@custom annotation: malformed section kind");
    if (l.next().kind != TokKind::RParen)
      return fail(kind.offset, "@custom annotation: unexpected token");
    cs.slot = slot;
    t = l.next();
  }
  std::string piece;
  while (t.kind == TokKind::String) {
    if (decode_string(t.text, piece) != nullptr)
      return fail(t.offset, "@custom annotation: unexpected token");
    cs.data.insert(cs.data.end(), piece.begin(), piece.end());
    t = l.next();
  }
  if (t.kind != TokKind::RParen) return fail(t.offset, "@custom annotation: unexpected token");
  customs_.push_back(std::move(cs));
  return true;
}

// A branch hint must sit in a function, right before an `if` or `br_if`, once.
// Its value ("\00" unlikely, "\01" likely) is kept by the target's offset for the
// encoder, which writes the metadata.code.branch_hint section.
bool ModuleParser::check_branch_hint(Lexer& l, const Token& at, int depth,
                                     std::string_view field_kw) {
  const std::string kWhat = "@metadata.code.branch_hint annotation: ";
  if (depth == 0 || field_kw != "func") return fail(at.offset, kWhat + "not in a function");
  Token value = l.next();
  std::string bytes;
  if (value.kind != TokKind::String || decode_string(value.text, bytes) != nullptr ||
      bytes.size() != 1) {
    return fail(value.offset, kWhat + "unexpected token");
  }
  Token close = l.next();
  if (close.kind != TokKind::RParen) return fail(close.offset, kWhat + "unexpected token");
  Lexer probe = l;
  Token next = probe.next();
  if (next.kind == TokKind::Annotation && next.text == at.text) {
    return fail(next.offset, kWhat + "duplicate annotation");
  }
  if (next.kind == TokKind::LParen) next = probe.next();
  if (next.kind == TokKind::Atom && (next.text == "if" || next.text == "br_if")) {
    branch_hint_targets_[next.offset] = static_cast<uint8_t>(bytes[0]);
    return true;
  }
  // A hint on any other instruction is well-formed but invalid.
  if (!error_) error_ = Error(ErrorKind::Invalid, kWhat + "invalid target", at.offset);
  return false;
}

bool ModuleParser::scan_annotations(size_t pos) {
  Lexer l(src_, arena_, pos);
  l.set_report_annotations(true);
  int depth = 0;  // 0: between module fields
  size_t fields = 0;
  bool module_name = false;
  std::string_view field_kw;
  while (true) {
    Token t = l.next();
    switch (t.kind) {
      case TokKind::Eof:
      case TokKind::Error: return true;  // the field parser reports these
      case TokKind::LParen:
        if (depth++ == 0) {
          ++fields;
          Token kw = l.peek();
          field_kw = kw.kind == TokKind::Atom ? kw.text : std::string_view();
        }
        break;
      case TokKind::RParen:
        if (depth-- == 0) return true;  // end of the module
        break;
      case TokKind::Annotation:
        if (t.text == "custom") {
          if (depth != 0) return fail(t.offset, "misplaced @custom annotation");
          if (!parse_custom_annotation(l)) return false;
          break;
        }
        if (t.text == "metadata.code.branch_hint") {
          if (!check_branch_hint(l, t, depth, field_kw)) return false;
          break;
        }
        if (t.text == "name") {
          if (depth == 0 && fields > 0) return fail(t.offset, "misplaced @name annotation");
          if (depth == 0 && module_name) return fail(t.offset, "@name annotation: multiple module");
          if (depth == 1 && (field_kw == "start" || field_kw == "export")) {
            return fail(t.offset, "misplaced @name annotation");
          }
          if (depth == 0) module_name = true;
          // (@name "text") names the module, or a function right after its keyword.
          Token value = l.peek();
          std::string text;
          if ((depth == 0 || (depth == 1 && field_kw == "func")) && value.kind == TokKind::String &&
              decode_string(value.text, text) == nullptr && is_valid_utf8(text)) {
            arena_->push_back(std::move(text));
            if (depth == 0) {
              module_name_ = arena_->back();
            } else {
              annotated_func_names_[fields - 1] = arena_->back();
            }
          }
        }
        if (!skip_annotation_body(l)) return false;
        break;
      default: break;
    }
  }
}

}  // namespace wasmrun::text
