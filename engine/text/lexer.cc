#include "engine/text/lexer.h"

#include <array>

namespace wasmrun::text {

namespace {

constexpr std::array<bool, 256> make_idchar_table() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("!#$%&'*+-./:<=>?@\\^_`|~"))
    t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kIdChar = make_idchar_table();

// Length of the UTF-8 sequence at s[i], or 0 when it is malformed.
size_t utf8_seq_len(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  // Reject overlong forms, surrogates and code points past U+10FFFF.
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

int hex_val(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

bool is_idchar(unsigned char c) { return kIdChar[c]; }

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_seq_len(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

const char* decode_string(std::string_view raw, std::string& out) {
  out.clear();
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= raw.size()) return "illegal escape";
    char e = raw[i];
    switch (e) {
      case 't': out.push_back('\t'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case '"': out.push_back('"'); break;
      case '\'': out.push_back('\''); break;
      case '\\': out.push_back('\\'); break;
      case 'u': {
        if (i + 1 >= raw.size() || raw[i + 1] != '{') return "illegal escape";
        i += 2;
        uint32_t cp = 0;
        size_t digits = 0;
        while (i < raw.size() && raw[i] != '}') {
          int v = hex_val(raw[i]);
          if (v < 0) {
            if (raw[i] == '_' && digits > 0) {
              ++i;
              continue;
            }
            return "illegal escape";
          }
          cp = cp * 16 + static_cast<uint32_t>(v);
          if (cp > 0x10FFFF) return "illegal escape";
          ++digits;
          ++i;
        }
        if (i >= raw.size() || digits == 0) return "illegal escape";
        if (cp >= 0xD800 && cp < 0xE000) return "illegal escape";
        append_utf8(out, cp);
        break;
      }
      default: {
        int h = hex_val(e);
        int l = i + 1 < raw.size() ? hex_val(raw[i + 1]) : -1;
        if (h < 0 || l < 0) return "illegal escape";
        out.push_back(static_cast<char>(h * 16 + l));
        ++i;
      }
    }
  }
  return nullptr;
}

Token Lexer::error(size_t at, std::string_view msg) {
  // Park at the end so that every later call reports an error too.
  pos_ = src_.size();
  return Token{TokKind::Error, at, msg};
}

bool Lexer::skip_block_comment(Token& err) {
  size_t start = pos_;
  pos_ += 2;
  int depth = 1;
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (c == '(' && pos_ + 1 < src_.size() && src_[pos_ + 1] == ';') {
      ++depth;
      pos_ += 2;
    } else if (c == ';' && pos_ + 1 < src_.size() && src_[pos_ + 1] == ')') {
      pos_ += 2;
      if (--depth == 0) return true;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      size_t n = utf8_seq_len(src_, pos_);
      if (n == 0) {
        err = error(pos_, "malformed UTF-8 encoding");
        return false;
      }
      pos_ += n;
    } else {
      ++pos_;
    }
  }
  err = error(start, "unclosed comment");
  return false;
}

bool Lexer::skip_trivia(Token& err) {
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      ++pos_;
    } else if (c == ';' && pos_ + 1 < src_.size() && src_[pos_ + 1] == ';') {
      // A line comment ends at a newline or a carriage return (the spec's
      // `newline` is LF, CR or CR LF).
      size_t end = src_.find_first_of("\n\r", pos_);
      size_t stop = end == std::string_view::npos ? src_.size() : end;
      if (!is_valid_utf8(src_.substr(pos_, stop - pos_))) {
        err = error(pos_, "malformed UTF-8 encoding");
        return false;
      }
      pos_ = stop;
    } else if (c == '(' && pos_ + 1 < src_.size() && src_[pos_ + 1] == ';') {
      if (!skip_block_comment(err)) return false;
    } else if (c == '(' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '@' &&
               annotation_depth_ == 0) {
      if (!skip_annotation(pos_, err)) return false;
    } else {
      break;
    }
  }
  return true;
}

bool Lexer::skip_annotation(size_t start, Token& err) {
  pos_ += 2;
  // The annotation id: idchars or a string.
  if (pos_ < src_.size() && src_[pos_] == '"') {
    Token s = lex_string(pos_);
    if (s.kind == TokKind::Error) {
      err = error(start, "empty annotation id");
      return false;
    }
    std::string id;
    if (s.text.empty() || decode_string(s.text, id) != nullptr || id.empty()) {
      err = error(start, "empty annotation id");
      return false;
    }
    if (!is_valid_utf8(id)) {
      err = error(start, "malformed UTF-8 encoding");
      return false;
    }
    last_annotation_ = s.text;
  } else {
    size_t id_start = pos_;
    while (pos_ < src_.size() && kIdChar[static_cast<unsigned char>(src_[pos_])]) ++pos_;
    if (pos_ == id_start) {
      err = error(start, "empty annotation id");
      return false;
    }
    last_annotation_ = src_.substr(id_start, pos_ - id_start);
  }
  ++annotations_seen_;
  if (report_annotations_ && (last_annotation_ == "custom" || last_annotation_ == "name" ||
                              last_annotation_ == "metadata.code.branch_hint")) {
    // The caller reads the annotation's contents as ordinary tokens.
    err = Token{TokKind::Annotation, start, last_annotation_};
    return false;
  }
  // Skip balanced tokens up to the closing parenthesis.
  int depth = 1;
  ++annotation_depth_;
  struct Leave {
    int& d;
    ~Leave() { --d; }
  } leave{annotation_depth_};
  while (true) {
    Token t = next();
    switch (t.kind) {
      case TokKind::LParen: ++depth; break;
      case TokKind::RParen:
        if (--depth == 0) return true;
        break;
      case TokKind::Eof: err = error(start, "unclosed annotation"); return false;
      case TokKind::Error: err = t; return false;
      default: break;
    }
  }
}

Token Lexer::lex_string(size_t start) {
  size_t i = start + 1;
  while (i < src_.size()) {
    unsigned char c = static_cast<unsigned char>(src_[i]);
    if (c == '"') {
      pos_ = i + 1;
      return Token{TokKind::String, start, src_.substr(start + 1, i - start - 1)};
    }
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (c == '\n') return error(start, "unclosed string");
    if (c < 0x20 || c == 0x7F) return error(i, "illegal character");
    if (c >= 0x80) {
      size_t n = utf8_seq_len(src_, i);
      if (n == 0) return error(i, "malformed UTF-8 encoding");
      i += n;
      continue;
    }
    ++i;
  }
  return error(start, "unclosed string");
}

// A run of idchars and strings with no space between them. One string is a
// String, `$name` or `$"name"` an Id, idchars alone an Atom; anything else
// is a Reserved token, which the parser rejects ("unknown operator").
Token Lexer::lex_run(size_t start) {
  size_t parts = 0;
  bool has_string = false;
  size_t first_string_end = 0;
  Token first_string;
  while (pos_ < src_.size()) {
    unsigned char c = static_cast<unsigned char>(src_[pos_]);
    if (c == '"') {
      size_t at = pos_;
      Token s = lex_string(pos_);
      if (s.kind == TokKind::Error) {
        // `$"..."` with a bad string reads as a `$` with nothing after it.
        if (parts == 1 && at == start + 1 && src_[start] == '$')
          return error(start, "empty identifier");
        return s;
      }
      if (!has_string) {
        first_string = s;
        first_string_end = pos_;
      }
      has_string = true;
    } else if (kIdChar[c]) {
      while (pos_ < src_.size() && kIdChar[static_cast<unsigned char>(src_[pos_])]) ++pos_;
    } else {
      break;
    }
    ++parts;
  }
  std::string_view run = src_.substr(start, pos_ - start);
  if (parts == 1 && has_string) return first_string;
  if (parts == 1 && run[0] == '$') {
    if (run.size() == 1) return error(start, "empty identifier");
    return Token{TokKind::Id, start, run.substr(1)};
  }
  if (parts == 1) return Token{TokKind::Atom, start, run};
  if (parts == 2 && run[0] == '$' && run[1] == '"' && first_string_end == pos_) {
    std::string name;
    if (decode_string(first_string.text, name) != nullptr) return error(start, "illegal escape");
    if (name.empty()) return error(start, "empty identifier");
    if (!is_valid_utf8(name)) return error(start, "malformed UTF-8 encoding");
    arena_->push_back(std::move(name));
    return Token{TokKind::Id, start, arena_->back()};
  }
  if (run == "$") return error(start, "empty identifier");
  return Token{TokKind::Reserved, start, run};
}

Token Lexer::next() {
  Token err;
  if (!skip_trivia(err)) return err;
  if (pos_ >= src_.size()) return Token{TokKind::Eof, src_.size(), {}};
  size_t start = pos_;
  unsigned char c = static_cast<unsigned char>(src_[pos_]);
  if (c == '(') {
    ++pos_;
    return Token{TokKind::LParen, start, src_.substr(start, 1)};
  }
  if (c == ')') {
    ++pos_;
    return Token{TokKind::RParen, start, src_.substr(start, 1)};
  }
  if (c == '"' || kIdChar[c]) return lex_run(start);
  if (annotation_depth_ > 0 &&
      (c == ',' || c == ';' || c == '[' || c == ']' || c == '{' || c == '}')) {
    ++pos_;
    return Token{TokKind::Reserved, start, src_.substr(start, 1)};
  }
  if (c >= 0x80 && utf8_seq_len(src_, pos_) == 0) return error(start, "malformed UTF-8 encoding");
  return error(start, "illegal character");
}

}  // namespace wasmrun::text
