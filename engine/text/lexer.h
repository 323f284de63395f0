// Tokens of the WebAssembly text format.
//
// The lexer works on demand over a string_view and is a small value type: the
// parser copies it to look ahead. Comments, whitespace and annotations other than
// the ones the parser asks for are skipped here, so the parser only sees
// parentheses, atoms, identifiers and strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

namespace wasmrun::text {

enum class TokKind : uint8_t {
  LParen,
  RParen,
  Atom,      ///< keyword, number or any other run of idchars (e.g. `i32.add`, `0x1p3`, `offset=4`)
  Id,        ///< `$name` or `$"name"`: `text` is the name without '$' (decoded when quoted)
  String,    ///< `"..."`: `text` is the raw source between the quotes (escapes not decoded)
  Reserved,  ///< idchars and strings run together (`0$x`, `"a""b"`): only legal inside annotations
  Annotation,  ///< `(@id`, only when annotations are reported: `text` is the id
  Eof,
  Error,  ///< a lexical error: `text` is the message
};

struct Token {
  TokKind kind = TokKind::Eof;
  size_t offset = 0;  ///< byte offset of the token's first character
  std::string_view text;
};

/// Storage for decoded quoted identifiers; outlives every Lexer copy that uses it.
using NameArena = std::deque<std::string>;

class Lexer {
 public:
  Lexer(std::string_view src, NameArena* arena, size_t pos = 0)
      : src_(src), pos_(pos), arena_(arena) {}

  /// The next token. After Eof or Error the lexer keeps returning the same kind.
  Token next();
  /// The next token without consuming it.
  Token peek() const {
    Lexer copy = *this;
    return copy.next();
  }
  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }
  std::string_view source() const { return src_; }
  /// Report `(@custom`, `(@name` and branch hints as Annotation tokens (the contents and ')'
  /// follow as ordinary tokens) instead of skipping them; others are still skipped.
  void set_report_annotations(bool on) { report_annotations_ = on; }
  /// How many annotations this lexer (not its copies) has met.
  size_t annotations_seen() const { return annotations_seen_; }

 private:
  // Skips whitespace, comments and annotations; returns false with an error token on failure.
  bool skip_trivia(Token& err);
  bool skip_block_comment(Token& err);
  bool skip_annotation(size_t start, Token& err);
  Token lex_string(size_t start);
  Token lex_run(size_t start);
  Token error(size_t at, std::string_view msg);

  std::string_view src_;
  size_t pos_ = 0;
  NameArena* arena_;
  int annotation_depth_ = 0;
  bool report_annotations_ = false;
  size_t annotations_seen_ = 0;
  std::string_view last_annotation_;  // inside (@id ...), where ,;[]{} are tokens too
};

/// Whether `c` may appear in an atom or identifier.
bool is_idchar(unsigned char c);

/// Decode the raw text of a String token (escapes resolved) into `out`.
/// Returns nullptr on success, else the error message.
const char* decode_string(std::string_view raw, std::string& out);

/// Whether `s` is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

}  // namespace wasmrun::text
