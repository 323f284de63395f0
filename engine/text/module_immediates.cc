// Plain instructions and their immediates: indices, memargs, literals, lanes.
#include <array>

#include "engine/opcodes.h"
#include "engine/text/literals.h"
#include "engine/text/module_parser.h"

namespace wasmrun::text {

namespace {

// Natural alignment (log2 of the access size in bytes) of a memory instruction,
// derived from its mnemonic: "i64.load8_s" -> 0, "v128.load16x4_s" -> 3,
// "i32.atomic.rmw16.add_u" -> 1, "f64.store" -> 3.
uint32_t natural_align_log2(std::string_view m) {
  size_t dot = m.find('.');
  std::string_view type = m.substr(0, dot);
  std::string_view rest = m.substr(dot + 1);
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] >= '0' && rest[i] <= '9') {
      uint32_t a = 0;
      while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') a = a * 10 + (rest[i++] - '0');
      uint32_t bits = a;
      if (i < rest.size() && rest[i] == 'x') {
        uint32_t b = 0;
        ++i;
        while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') b = b * 10 + (rest[i++] - '0');
        bits = a * b;
      }
      return static_cast<uint32_t>(__builtin_ctz(bits / 8));
    }
  }
  if (type == "i64" || type == "f64") return 3;
  if (type == "v128") return 4;
  return 2;  // i32, f32, memory.atomic.notify
}

const std::array<uint8_t, kNumOps>& natural_aligns() {
  static const std::array<uint8_t, kNumOps> table = [] {
    std::array<uint8_t, kNumOps> t{};
    for (unsigned i = 0; i < kNumOps; ++i) {
      if (kOpInfo[i].imm == Imm::Memarg || kOpInfo[i].imm == Imm::MemargLane) {
        t[i] = static_cast<uint8_t>(natural_align_log2(kOpInfo[i].mnemonic));
      }
    }
    return t;
  }();
  return table;
}

}  // namespace

bool ModuleParser::parse_local(const Body& b, uint32_t& out) {
  Token t = next();
  if (t.kind == TokKind::Id) {
    auto it = b.locals.find(t.text);
    if (it == b.locals.end()) return fail(t.offset, "unknown local $" + std::string(t.text));
    out = it->second;
    return true;
  }
  return resolve_index(kTypes, t, out);  // numeric; the space does not matter
}

bool ModuleParser::parse_memarg(Bytes& out, uint32_t natural_align, bool allow_mem) {
  uint32_t mem = 0;
  if (allow_mem && is_index_token(peek()) &&
      !(peek().kind == TokKind::Atom && peek().text.find('=') != std::string_view::npos)) {
    if (!parse_index(kMemories, mem)) return false;
  }
  uint64_t offset = 0;
  uint32_t align = natural_align;
  Token t = peek();
  if (t.kind == TokKind::Atom && t.text.starts_with("offset=")) {
    next();
    LitStatus st = parse_uint(t.text.substr(7), UINT64_MAX, offset);
    if (st == LitStatus::Range) return fail(t.offset, "constant out of range");
    if (st != LitStatus::Ok) return fail(t.offset, "unknown operator");
    t = peek();
  }
  if (t.kind == TokKind::Atom && t.text.starts_with("align=")) {
    next();
    uint64_t a;
    LitStatus st = parse_uint(t.text.substr(6), UINT64_MAX, a);
    if (st == LitStatus::Range) return fail(t.offset, "constant out of range");
    if (st != LitStatus::Ok) return fail(t.offset, "unknown operator");
    if (a == 0 || (a & (a - 1)) != 0) return fail(t.offset, "alignment must be a power of two");
    align = static_cast<uint32_t>(__builtin_ctzll(a));
  }
  put_uleb(out, align | (mem != 0 ? 0x40u : 0u));
  if (mem != 0) put_uleb(out, mem);
  put_uleb(out, offset);
  return true;
}

bool ModuleParser::parse_v128(Bytes& out) {
  Token shape = next();
  if (shape.kind != TokKind::Atom) return fail_tok(shape);
  unsigned lanes, bits;
  bool is_float = false;
  std::string_view s = shape.text;
  if (s == "i8x16") {
    lanes = 16, bits = 8;
  } else if (s == "i16x8") {
    lanes = 8, bits = 16;
  } else if (s == "i32x4") {
    lanes = 4, bits = 32;
  } else if (s == "i64x2") {
    lanes = 2, bits = 64;
  } else if (s == "f32x4") {
    lanes = 4, bits = 32, is_float = true;
  } else if (s == "f64x2") {
    lanes = 2, bits = 64, is_float = true;
  } else {
    return fail(shape.offset, "unexpected token");
  }
  {
    Lexer probe = lex_;
    for (unsigned i = 0; i < lanes; ++i) {
      if (probe.next().kind != TokKind::Atom)
        return fail(shape.offset, "wrong number of lane literals");
    }
  }
  for (unsigned i = 0; i < lanes; ++i) {
    Token t = next();
    if (t.kind != TokKind::Atom) {
      if (t.kind == TokKind::RParen || t.kind == TokKind::LParen)
        return fail(t.offset, "wrong number of lane literals");
      return fail_tok(t);
    }
    uint64_t v = 0;
    LitStatus st;
    if (is_float && bits == 32) {
      uint32_t f;
      st = parse_f32(t.text, f);
      v = f;
    } else if (is_float) {
      st = parse_f64(t.text, v);
    } else {
      st = parse_int(t.text, bits, v);
    }
    if (st == LitStatus::Range) return fail(t.offset, "constant out of range");
    if (st != LitStatus::Ok) return fail(t.offset, "unknown operator");
    put_le(out, v, bits / 8);
  }
  Token t = peek();
  if (t.kind == TokKind::Atom) return fail(t.offset, "wrong number of lane literals");
  return true;
}

// (catch x l) (catch_ref x l) (catch_all l) (catch_all_ref l), resolved outside the block.
bool ModuleParser::parse_plain(const Token& kw, Bytes& out, Body& b) {
  std::optional<Op> found = op_from_mnemonic(kw.text);
  if (!found) return fail(kw.offset, "unknown operator " + std::string(kw.text));
  Op op = *found;
  const OpInfo& info = op_info(op);
  switch (info.imm) {
    case Imm::BlockType:
    case Imm::TryTable:
      return fail(kw.offset, "unexpected token");  // only as structured instructions
    default: break;
  }
  // Instructions whose text form picks among several opcodes.
  if (op == Op::select) {
    Bytes types;
    uint32_t n = 0;
    bool typed = false;
    while (peek_lparen_kw("result")) {
      typed = true;
      next();
      next();
      while (peek().kind != TokKind::RParen) {
        if (!parse_valtype(types)) return false;
        ++n;
      }
      if (!expect_rparen()) return false;
    }
    if (!typed) {
      put_op(out, Op::select);
      return true;
    }
    put_op(out, Op::select_t);
    put_uleb(out, n);
    out.insert(out.end(), types.begin(), types.end());
    return true;
  }
  if (op == Op::ref_test || op == Op::ref_cast) {
    bool nullable;
    Bytes ignored, heap;
    if (!parse_reftype(ignored, &nullable, &heap)) return false;
    if (nullable) op = op == Op::ref_test ? Op::ref_test_null : Op::ref_cast_null;
    put_op(out, op);
    out.insert(out.end(), heap.begin(), heap.end());
    return true;
  }
  if (op == Op::br_if) note_hint(kw, out.size(), b);
  put_op(out, op);
  uint32_t idx = 0, idx2 = 0;
  switch (info.imm) {
    case Imm::None: return true;
    case Imm::Label:
      if (!parse_label_ref(b, idx)) return false;
      put_uleb(out, idx);
      return true;
    case Imm::BrTable: {
      std::vector<uint32_t> labels;
      while (is_index_token(peek())) {
        if (!parse_label_ref(b, idx)) return false;
        labels.push_back(idx);
      }
      if (labels.empty()) return fail_tok(peek());
      put_uleb(out, labels.size() - 1);
      for (uint32_t l : labels) put_uleb(out, l);
      return true;
    }
    case Imm::Func:
    case Imm::Global:
    case Imm::Tag:
    case Imm::Type:
    case Imm::Data:
    case Imm::Elem: {
      Space s = info.imm == Imm::Func     ? kFuncs
                : info.imm == Imm::Global ? kGlobals
                : info.imm == Imm::Tag    ? kTags
                : info.imm == Imm::Type   ? kTypes
                : info.imm == Imm::Data   ? kDatas
                                          : kElems;
      if (s == kDatas) uses_data_count_ = true;
      if (!parse_index(s, idx)) return false;
      put_uleb(out, idx);
      return true;
    }
    case Imm::Local:
      if (!parse_local(b, idx)) return false;
      put_uleb(out, idx);
      return true;
    case Imm::Table:
    case Imm::Memory:
      if (is_index_token(peek()) && !parse_index(info.imm == Imm::Table ? kTables : kMemories, idx))
        return false;
      put_uleb(out, idx);
      return true;
    case Imm::CallIndirect: {
      if (is_index_token(peek()) && !parse_index(kTables, idx2)) return false;
      TypeUse use;
      if (!parse_typeuse(use, nullptr, nullptr)) return false;
      idx = typeuse_index(use);
      put_uleb(out, idx);
      put_uleb(out, idx2);
      return true;
    }
    case Imm::TypeField: {
      if (!parse_index(kTypes, idx)) return false;
      Token f = next();
      if (f.kind == TokKind::Id) {
        if (idx >= types_.size()) return fail(f.offset, "unknown field $" + std::string(f.text));
        auto it = types_[idx].fields.find(f.text);
        if (it == types_[idx].fields.end())
          return fail(f.offset, "unknown field $" + std::string(f.text));
        idx2 = it->second;
      } else if (!resolve_index(kTypes, f, idx2)) {
        return false;
      }
      put_uleb(out, idx);
      put_uleb(out, idx2);
      return true;
    }
    case Imm::TypeCount:
      if (!parse_index(kTypes, idx) || !parse_u32(idx2)) return false;
      put_uleb(out, idx);
      put_uleb(out, idx2);
      return true;
    case Imm::TypeData:
    case Imm::TypeElem:
    case Imm::TypeType: {
      Space s2 = info.imm == Imm::TypeData ? kDatas : info.imm == Imm::TypeElem ? kElems : kTypes;
      if (s2 == kDatas) uses_data_count_ = true;
      if (!parse_index(kTypes, idx) || !parse_index(s2, idx2)) return false;
      put_uleb(out, idx);
      put_uleb(out, idx2);
      return true;
    }
    case Imm::Memarg:
    case Imm::MemargLane: {
      uint32_t natural = natural_aligns()[static_cast<unsigned>(op)];
      if (info.imm == Imm::Memarg) return parse_memarg(out, natural);
      // memidx? memarg lane: a leading index is a memory only if another index or a memarg key
      // follows.
      Lexer save = lex_;
      bool has_mem = false;
      if (is_index_token(peek())) {
        next();
        Token after = peek();
        has_mem = is_index_token(after) ||
                  (after.kind == TokKind::Atom && after.text.find('=') != std::string_view::npos);
      }
      lex_ = save;
      if (!parse_memarg(out, natural, has_mem)) return false;
      Token lane = next();
      uint64_t v;
      if (lane.kind != TokKind::Atom) return fail_tok(lane);
      LitStatus st = parse_uint(lane.text, 255, v);
      if (st == LitStatus::Range) return fail(lane.offset, "i8 constant out of range");
      if (st != LitStatus::Ok) return fail(lane.offset, "unexpected token");
      out.push_back(static_cast<uint8_t>(v));
      return true;
    }
    case Imm::MemoryMemory:
    case Imm::TableTable: {
      Space s = info.imm == Imm::MemoryMemory ? kMemories : kTables;
      if (is_index_token(peek())) {
        if (!parse_index(s, idx) || !parse_index(s, idx2)) return false;
      }
      put_uleb(out, idx);
      put_uleb(out, idx2);
      return true;
    }
    case Imm::DataMemory:
    case Imm::ElemTable: {
      bool data = info.imm == Imm::DataMemory;
      if (data) uses_data_count_ = true;
      Space seg = data ? kDatas : kElems, host = data ? kMemories : kTables;
      Lexer save = lex_;
      next();
      bool two = is_index_token(peek());
      lex_ = save;
      if (two && !parse_index(host, idx2)) return false;
      if (!parse_index(seg, idx)) return false;
      put_uleb(out, idx);
      put_uleb(out, idx2);
      return true;
    }
    case Imm::I32:
    case Imm::I64: {
      Token t = next();
      uint64_t v;
      if (t.kind != TokKind::Atom) return fail_tok(t);
      unsigned bits = info.imm == Imm::I32 ? 32 : 64;
      LitStatus st = parse_int(t.text, bits, v);
      if (st == LitStatus::Range) return fail(t.offset, "constant out of range");
      if (st != LitStatus::Ok && (t.text == "nan:canonical" || t.text == "nan:arithmetic")) {
        return fail(t.offset, "unexpected token");
      }
      if (st != LitStatus::Ok) return fail(t.offset, "unknown operator");
      put_sleb(out, bits == 32 ? static_cast<int64_t>(static_cast<int32_t>(v))
                               : static_cast<int64_t>(v));
      return true;
    }
    case Imm::F32:
    case Imm::F64: {
      Token t = next();
      if (t.kind != TokKind::Atom) return fail_tok(t);
      uint64_t v;
      LitStatus st;
      if (info.imm == Imm::F32) {
        uint32_t f;
        st = parse_f32(t.text, f);
        v = f;
      } else {
        st = parse_f64(t.text, v);
      }
      if (st == LitStatus::Range) return fail(t.offset, "constant out of range");
      // nan:canonical and nan:arithmetic are script patterns, not literals.
      if (st != LitStatus::Ok && (t.text == "nan:canonical" || t.text == "nan:arithmetic")) {
        return fail(t.offset, "unexpected token");
      }
      if (st != LitStatus::Ok) return fail(t.offset, "unknown operator");
      put_le(out, v, info.imm == Imm::F32 ? 4 : 8);
      return true;
    }
    case Imm::V128: return parse_v128(out);
    case Imm::Lane: {
      Token t = next();
      uint64_t v;
      if (t.kind != TokKind::Atom) return fail_tok(t);
      LitStatus st = parse_uint(t.text, 255, v);
      if (st == LitStatus::Range) return fail(t.offset, "i8 constant out of range");
      if (st != LitStatus::Ok) return fail(t.offset, "unexpected token");
      out.push_back(static_cast<uint8_t>(v));
      return true;
    }
    case Imm::Shuffle: {
      unsigned n = 0;
      while (peek().kind == TokKind::Atom) {
        Token t = next();
        uint64_t v;
        if (++n > 16) return fail(t.offset, "invalid lane length");
        if (parse_uint(t.text, 255, v) != LitStatus::Ok)
          return fail(t.offset, "i8 constant out of range");
        out.push_back(static_cast<uint8_t>(v));
      }
      if (n != 16) return fail(kw.offset, "invalid lane length");
      return true;
    }
    case Imm::HeapType: return parse_heaptype(out);
    case Imm::BrOnCast: {
      uint32_t depth;
      bool n1, n2;
      Bytes ignored, h1, h2;
      if (!parse_label_ref(b, depth) || !parse_reftype(ignored, &n1, &h1) ||
          !parse_reftype(ignored, &n2, &h2)) {
        return false;
      }
      out.push_back(static_cast<uint8_t>((n1 ? 1 : 0) | (n2 ? 2 : 0)));
      put_uleb(out, depth);
      out.insert(out.end(), h1.begin(), h1.end());
      out.insert(out.end(), h2.begin(), h2.end());
      return true;
    }
    case Imm::Zero: out.push_back(0); return true;
    case Imm::SelectT:
    case Imm::BlockType:
    case Imm::TryTable: break;
  }
  return fail(kw.offset, "unexpected token");
}

}  // namespace wasmrun::text
