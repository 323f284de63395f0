// parse_wast: the script format of the spec test suite.
#include "engine/text/wast.h"

#include "engine/text/lexer.h"
#include "engine/text/literals.h"
#include "engine/text/module_parser.h"
#include "engine/text/wat.h"

namespace wasmrun {

Result<std::vector<uint8_t>> WastModule::encode() const {
  switch (form) {
    case Form::Quote: return wat_to_wasm(quote);
    case Form::Binary: return bytes;
    case Form::Text: break;
  }
  if (error) return *error;
  return bytes;
}

size_t WastScript::assertion_count() const {
  size_t n = 0;
  for (const WastCommand& c : commands) n += c.is_assertion();
  return n;
}

namespace {

using text::Lexer;
using text::LitStatus;
using text::Token;
using text::TokKind;

class ScriptParser {
 public:
  explicit ScriptParser(std::string_view src) : src_(src), lex_(src, &arena_) {}

  Result<WastScript> run() {
    WastScript script;
    if (starts_with_module_field()) {
      // A script may be one module written as bare fields.
      WastCommand cmd;
      cmd.kind = WastCommand::Kind::Module;
      cmd.line = 1;
      cmd.module.emplace();
      cmd.module->line = 1;
      auto r = text::encode_module_fields(src_, 0, false, std::nullopt, &arena_, nullptr);
      if (r.ok()) {
        cmd.module->bytes = std::move(r.value());
      } else {
        cmd.module->error = std::move(r).error();
      }
      script.commands.push_back(std::move(cmd));
      return script;
    }
    while (true) {
      Token t = lex_.next();
      if (t.kind == TokKind::Eof) break;
      if (t.kind != TokKind::LParen) return fail(t);
      WastCommand cmd;
      cmd.line = line_of(t.offset);
      if (!command(cmd, t.offset)) return *error_;
      script.commands.push_back(std::move(cmd));
    }
    return script;
  }

 private:
  bool starts_with_module_field() const {
    Lexer l = lex_;
    if (l.next().kind != TokKind::LParen) return false;
    Token t = l.next();
    if (t.kind != TokKind::Atom) return false;
    static const char* const kFields[] = {"type",   "rec", "import", "func",  "table", "memory",
                                          "global", "tag", "export", "start", "elem",  "data"};
    for (const char* f : kFields) {
      if (t.text == f) return true;
    }
    return false;
  }

  Error fail(const Token& t, std::string_view msg = "unexpected token") {
    if (!error_) {
      if (t.kind == TokKind::Error) {
        error_ = Error(ErrorKind::Malformed, std::string(t.text), t.offset);
      } else {
        error_ = Error(ErrorKind::Malformed, std::string(msg), t.offset);
      }
    }
    return *error_;
  }
  bool failb(const Token& t, std::string_view msg = "unexpected token") {
    fail(t, msg);
    return false;
  }

  // Lines are counted incrementally: commands come in increasing offset order.
  size_t line_of(size_t offset) {
    for (; line_pos_ < offset && line_pos_ < src_.size(); ++line_pos_) {
      if (src_[line_pos_] == '\n') ++line_;
    }
    return line_;
  }

  bool expect_rparen() {
    Token t = lex_.next();
    return t.kind == TokKind::RParen || failb(t);
  }

  bool string(std::string& out) {
    Token t = lex_.next();
    if (t.kind != TokKind::String) return failb(t);
    if (const char* err = text::decode_string(t.text, out)) return failb(t, err);
    return true;
  }

  std::optional<std::string> opt_id() {
    Token t = lex_.peek();
    if (t.kind != TokKind::Id) return std::nullopt;
    lex_.next();
    return std::string(t.text);
  }

  // `open` is the offset of the command's '('.
  bool command(WastCommand& cmd, size_t open) {
    Token kw = lex_.next();
    if (kw.kind != TokKind::Atom) return failb(kw);
    std::string_view k = kw.text;
    if (k == "module") {
      Token t = lex_.peek();
      if (t.kind == TokKind::Atom && t.text == "instance") {
        lex_.next();
        cmd.kind = WastCommand::Kind::ModuleInstance;
        cmd.instance_id = opt_id();
        cmd.definition_id = opt_id();
        return expect_rparen();
      }
      cmd.kind = WastCommand::Kind::Module;
      cmd.module.emplace();
      cmd.module->line = cmd.line;
      cmd.module->source_offset = open;
      return module_body(*cmd.module);
    }
    if (k == "register") {
      cmd.kind = WastCommand::Kind::Register;
      if (!string(cmd.register_name)) return false;
      cmd.register_id = opt_id();
      return expect_rparen();
    }
    if (k == "invoke" || k == "get") {
      cmd.kind = WastCommand::Kind::Action;
      cmd.action.emplace();
      return action_body(k, *cmd.action);
    }
    if (k == "assert_return") {
      cmd.kind = WastCommand::Kind::AssertReturn;
      cmd.action.emplace();
      if (!action(*cmd.action)) return false;
      while (lex_.peek().kind == TokKind::LParen) {
        cmd.expected.emplace_back();
        if (!expected(cmd.expected.back())) return false;
      }
      return expect_rparen();
    }
    if (k == "assert_trap" || k == "assert_exhaustion" || k == "assert_exception") {
      cmd.kind = k == "assert_trap"         ? WastCommand::Kind::AssertTrap
                 : k == "assert_exhaustion" ? WastCommand::Kind::AssertExhaustion
                                            : WastCommand::Kind::AssertException;
      Lexer probe = lex_;
      Token paren = probe.next();
      Token head = probe.next();
      if (head.kind == TokKind::Atom && head.text == "module") {
        lex_ = probe;
        cmd.module.emplace();
        cmd.module->line = line_of(head.offset);
        cmd.module->source_offset = paren.offset;
        if (!module_body(*cmd.module)) return false;
      } else {
        cmd.action.emplace();
        if (!action(*cmd.action)) return false;
      }
      if (cmd.kind != WastCommand::Kind::AssertException && !string(cmd.message)) return false;
      return expect_rparen();
    }
    struct ModuleAssert {
      const char* name;
      WastCommand::Kind kind;
      bool custom;
    };
    static const ModuleAssert kModuleAsserts[] = {
        {"assert_invalid", WastCommand::Kind::AssertInvalid, false},
        {"assert_malformed", WastCommand::Kind::AssertMalformed, false},
        {"assert_invalid_custom", WastCommand::Kind::AssertInvalid, true},
        {"assert_malformed_custom", WastCommand::Kind::AssertMalformed, true},
        {"assert_unlinkable", WastCommand::Kind::AssertUnlinkable, false},
        {"assert_uninstantiable", WastCommand::Kind::AssertUninstantiable, false},
    };
    for (const ModuleAssert& a : kModuleAsserts) {
      if (k != a.name) continue;
      cmd.kind = a.kind;
      cmd.custom = a.custom;
      Token lp = lex_.next();
      if (lp.kind != TokKind::LParen) return failb(lp);
      Token m = lex_.next();
      if (m.kind != TokKind::Atom || m.text != "module") return failb(m);
      cmd.module.emplace();
      cmd.module->line = line_of(m.offset);
      cmd.module->source_offset = lp.offset;
      if (!module_body(*cmd.module) || !string(cmd.message)) return false;
      return expect_rparen();
    }
    return failb(kw, "unknown command");
  }

  // After `module`: definition? $id? (binary "..."* | quote "..."* | field*) ')'.
  bool module_body(WastModule& m) {
    bool ok = module_contents(m);
    m.source_size = lex_.pos() - m.source_offset;
    return ok;
  }

  bool module_contents(WastModule& m) {
    Token t = lex_.peek();
    if (t.kind == TokKind::Atom && t.text == "definition") {
      lex_.next();
      m.definition = true;
    }
    m.id = opt_id();
    t = lex_.peek();
    if (t.kind == TokKind::Atom && (t.text == "binary" || t.text == "quote")) {
      lex_.next();
      bool binary = t.text == "binary";
      m.form = binary ? WastModule::Form::Binary : WastModule::Form::Quote;
      std::string s;
      while (lex_.peek().kind == TokKind::String) {
        if (!string(s)) return false;
        if (binary) {
          m.bytes.insert(m.bytes.end(), s.begin(), s.end());
        } else {
          m.quote += s;  // concatenated as is, like the reference interpreter
        }
      }
      return expect_rparen();
    }
    m.form = WastModule::Form::Text;
    size_t start = lex_.pos();
    std::optional<std::string_view> name;
    if (m.id) name = *m.id;
    size_t end = 0;
    auto r = text::encode_module_fields(src_, start, true, name, &arena_, &end);
    if (r.ok()) {
      m.bytes = std::move(r.value());
      lex_.set_pos(end);
      return true;
    }
    m.error = std::move(r).error();
    // Find the module's end by balanced parentheses.
    lex_.set_pos(start);
    int depth = 1;
    while (depth > 0) {
      Token x = lex_.next();
      if (x.kind == TokKind::LParen) {
        ++depth;
      } else if (x.kind == TokKind::RParen) {
        --depth;
      } else if (x.kind == TokKind::Eof || x.kind == TokKind::Error) {
        // The module's own error is the better report when the text is cut short.
        if (!error_) error_ = *m.error;
        return false;
      }
    }
    return true;
  }

  bool action(WastAction& a) {
    Token lp = lex_.next();
    if (lp.kind != TokKind::LParen) return failb(lp);
    Token kw = lex_.next();
    if (kw.kind != TokKind::Atom || (kw.text != "invoke" && kw.text != "get")) return failb(kw);
    return action_body(kw.text, a);
  }

  bool action_body(std::string_view kw, WastAction& a) {
    a.kind = kw == "invoke" ? WastAction::Kind::Invoke : WastAction::Kind::Get;
    a.module_id = opt_id();
    if (!string(a.name)) return false;
    if (a.kind == WastAction::Kind::Invoke) {
      while (lex_.peek().kind == TokKind::LParen) {
        lex_.next();
        a.args.emplace_back();
        Token head = lex_.next();
        if (head.kind != TokKind::Atom) return failb(head);
        if (!value(head, a.args.back()) || !expect_rparen()) return false;
      }
    }
    return expect_rparen();
  }

  static bool heap_from(std::string_view s, HeapType& h) {
    struct Entry {
      const char* name;
      AbsHeap abs;
    };
    static const Entry kHeaps[] = {
        {"func", AbsHeap::Func},     {"extern", AbsHeap::Extern},     {"any", AbsHeap::Any},
        {"eq", AbsHeap::Eq},         {"i31", AbsHeap::I31},           {"struct", AbsHeap::Struct},
        {"array", AbsHeap::Array},   {"exn", AbsHeap::Exn},           {"none", AbsHeap::None},
        {"nofunc", AbsHeap::NoFunc}, {"noextern", AbsHeap::NoExtern}, {"noexn", AbsHeap::NoExn},
    };
    for (const Entry& e : kHeaps) {
      if (s == e.name) {
        h = HeapType::abstract(e.abs);
        return true;
      }
    }
    return false;
  }

  bool number(const Token& t, LitStatus st) {
    if (st == LitStatus::Ok) return true;
    return failb(t, st == LitStatus::Range ? "constant out of range" : "unknown operator");
  }

  // A concrete value after '(' and its head keyword; the ')' is left.
  bool value(const Token& head, WastValue& v) {
    std::string_view h = head.text;
    if (h == "i32.const" || h == "i64.const") {
      Token t = lex_.next();
      v.kind = h == "i32.const" ? WastValue::Kind::I32 : WastValue::Kind::I64;
      if (t.kind != TokKind::Atom) return failb(t);
      return number(t, text::parse_int(t.text, h == "i32.const" ? 32 : 64, v.bits));
    }
    if (h == "f32.const") {
      Token t = lex_.next();
      v.kind = WastValue::Kind::F32;
      uint32_t b = 0;
      if (t.kind != TokKind::Atom) return failb(t);
      if (!number(t, text::parse_f32(t.text, b))) return false;
      v.bits = b;
      return true;
    }
    if (h == "f64.const") {
      Token t = lex_.next();
      v.kind = WastValue::Kind::F64;
      if (t.kind != TokKind::Atom) return failb(t);
      return number(t, text::parse_f64(t.text, v.bits));
    }
    if (h == "v128.const") {
      v.kind = WastValue::Kind::V128;
      WastExpected e;
      if (!v128(e, false)) return false;
      unsigned width = 16 / static_cast<unsigned>(e.lanes.size());
      for (size_t i = 0; i < e.lanes.size(); ++i) {
        for (unsigned b = 0; b < width; ++b)
          v.v128[i * width + b] = static_cast<uint8_t>(e.lanes[i].bits >> (8 * b));
      }
      return true;
    }
    if (h == "ref.null") {
      v.kind = WastValue::Kind::RefNull;
      Token t = lex_.next();
      if (t.kind == TokKind::Atom && heap_from(t.text, v.heap)) return true;
      uint64_t idx;
      if (t.kind == TokKind::Atom && text::parse_uint(t.text, UINT32_MAX, idx) == LitStatus::Ok) {
        v.heap = HeapType::type_index(static_cast<uint32_t>(idx));
        return true;
      }
      return failb(t);
    }
    if (h == "ref.extern" || h == "ref.host") {
      v.kind = h == "ref.extern" ? WastValue::Kind::RefExtern : WastValue::Kind::RefHost;
      Token t = lex_.next();
      if (t.kind != TokKind::Atom) return failb(t);
      return number(t, text::parse_uint(t.text, UINT32_MAX, v.bits));
    }
    return failb(head, "unknown operator");
  }

  // v128.const shape lane*: with `patterns`, lanes may be nan:canonical/nan:arithmetic.
  bool v128(WastExpected& e, bool patterns) {
    Token shape = lex_.next();
    if (shape.kind != TokKind::Atom) return failb(shape);
    struct Shape {
      const char* name;
      WastExpected::Shape shape;
      unsigned lanes, bits;
      bool is_float;
    };
    static const Shape kShapes[] = {
        {"i8x16", WastExpected::Shape::I8x16, 16, 8, false},
        {"i16x8", WastExpected::Shape::I16x8, 8, 16, false},
        {"i32x4", WastExpected::Shape::I32x4, 4, 32, false},
        {"i64x2", WastExpected::Shape::I64x2, 2, 64, false},
        {"f32x4", WastExpected::Shape::F32x4, 4, 32, true},
        {"f64x2", WastExpected::Shape::F64x2, 2, 64, true},
    };
    const Shape* s = nullptr;
    for (const Shape& c : kShapes) {
      if (shape.text == c.name) s = &c;
    }
    if (s == nullptr) return failb(shape);
    e.kind = WastExpected::Kind::V128Lanes;
    e.shape = s->shape;
    for (unsigned i = 0; i < s->lanes; ++i) {
      Token t = lex_.next();
      if (t.kind != TokKind::Atom) return failb(t, "wrong number of lane literals");
      WastLane lane;
      if (patterns && s->is_float && t.text == "nan:canonical") {
        lane.kind = WastLane::Kind::NanCanonical;
      } else if (patterns && s->is_float && t.text == "nan:arithmetic") {
        lane.kind = WastLane::Kind::NanArithmetic;
      } else if (s->is_float && s->bits == 32) {
        uint32_t b = 0;
        if (!number(t, text::parse_f32(t.text, b))) return false;
        lane.bits = b;
      } else if (s->is_float) {
        if (!number(t, text::parse_f64(t.text, lane.bits))) return false;
      } else if (!number(t, text::parse_int(t.text, s->bits, lane.bits))) {
        return false;
      }
      e.lanes.push_back(lane);
    }
    return true;
  }

  // An expected result, from its '(' through its ')'.
  bool expected(WastExpected& e) {
    lex_.next();  // '('
    Token head = lex_.next();
    if (head.kind != TokKind::Atom) return failb(head);
    std::string_view h = head.text;
    if (h == "either") {
      // Alternatives nest by recursion; bound it against hostile input.
      if (++either_depth_ > 100) return failb(head, "nesting too deep");
      struct Leave {
        int& d;
        ~Leave() { --d; }
      } leave{either_depth_};
      e.kind = WastExpected::Kind::Either;
      while (lex_.peek().kind == TokKind::LParen) {
        e.alternatives.emplace_back();
        if (!expected(e.alternatives.back())) return false;
      }
      return expect_rparen();
    }
    if (h == "f32.const" || h == "f64.const") {
      Token t = lex_.peek();
      if (t.kind == TokKind::Atom && (t.text == "nan:canonical" || t.text == "nan:arithmetic")) {
        lex_.next();
        e.kind = h == "f32.const" ? WastExpected::Kind::F32Nan : WastExpected::Kind::F64Nan;
        e.nan = t.text == "nan:canonical" ? WastLane::Kind::NanCanonical
                                          : WastLane::Kind::NanArithmetic;
        return expect_rparen();
      }
    }
    if (h == "v128.const") {
      return v128(e, true) && expect_rparen();
    }
    struct RefPattern {
      const char* name;
      WastExpected::Kind kind;
    };
    static const RefPattern kRefs[] = {
        {"ref.struct", WastExpected::Kind::RefStruct}, {"ref.array", WastExpected::Kind::RefArray},
        {"ref.eq", WastExpected::Kind::RefEq},         {"ref.i31", WastExpected::Kind::RefI31},
        {"ref.any", WastExpected::Kind::RefAny},       {"ref.exn", WastExpected::Kind::RefExn},
    };
    for (const RefPattern& r : kRefs) {
      if (h == r.name) {
        e.kind = r.kind;
        return expect_rparen();
      }
    }
    if (h == "ref.func") {
      e.kind = WastExpected::Kind::RefFunc;
      Token t = lex_.peek();
      uint64_t idx;
      if (t.kind == TokKind::Atom && text::parse_uint(t.text, UINT32_MAX, idx) == LitStatus::Ok) {
        lex_.next();
        e.index = static_cast<uint32_t>(idx);
      } else if (t.kind == TokKind::Id) {
        lex_.next();  // a symbolic function name cannot be resolved in a script; match any function
      }
      return expect_rparen();
    }
    if ((h == "ref.null" || h == "ref.extern") && lex_.peek().kind == TokKind::RParen) {
      e.kind = h == "ref.null" ? WastExpected::Kind::RefNullAny : WastExpected::Kind::RefExternAny;
      return expect_rparen();
    }
    e.kind = WastExpected::Kind::Value;
    return value(head, e.value) && expect_rparen();
  }

  std::string_view src_;
  text::NameArena arena_;
  Lexer lex_;
  std::optional<Error> error_;
  size_t line_ = 1;
  size_t line_pos_ = 0;
  int either_depth_ = 0;
};

}  // namespace

Result<WastScript> parse_wast(std::string_view text) {
  ScriptParser p(text);
  return p.run();
}

}  // namespace wasmrun
