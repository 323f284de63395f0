// wat_to_wasm: the entry point for a single text module.
#include "engine/text/wat.h"

#include "engine/text/lexer.h"
#include "engine/text/module_parser.h"

namespace wasmrun {

Result<std::vector<uint8_t>> wat_to_wasm(std::string_view text) {
  return text::wat_to_wasm_with(text, {});
}

namespace text {

Result<Bytes> wat_to_wasm_with(std::string_view text, const EncodeOptions& options) {
  text::NameArena arena;
  text::Lexer lex(text, &arena);
  // `(module $id? ...)` or bare fields.
  text::Lexer probe = lex;
  text::Token t1 = probe.next();
  if (t1.kind == text::TokKind::Error)
    return Error(ErrorKind::Malformed, std::string(t1.text), t1.offset);
  text::Token t2 = probe.next();
  if (t1.kind == text::TokKind::LParen && t2.kind == text::TokKind::Atom && t2.text == "module") {
    std::optional<std::string_view> name;
    text::Lexer after = probe;
    text::Token id = after.next();
    if (id.kind == text::TokKind::Id) {
      name = id.text;
      probe = after;
    }
    size_t end = 0;
    auto r = text::encode_module_fields(text, probe.pos(), true, name, &arena, &end, options);
    if (!r.ok()) return r;
    text::Lexer rest(text, &arena, end);
    text::Token t = rest.next();
    if (t.kind == text::TokKind::Error)
      return Error(ErrorKind::Malformed, std::string(t.text), t.offset);
    if (t.kind != text::TokKind::Eof)
      return Error(ErrorKind::Malformed, "unexpected token", t.offset);
    return r;
  }
  return text::encode_module_fields(text, 0, false, std::nullopt, &arena, nullptr, options);
}

}  // namespace text

TextPosition text_position(std::string_view text, size_t offset) {
  TextPosition p;
  if (offset > text.size()) offset = text.size();
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

}  // namespace wasmrun
