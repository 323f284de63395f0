#include "engine/decode/instr_reader.h"

#include <cstdio>

namespace wasmrun {

namespace {

// Whether `b` is the one-byte code of an abstract heap type (0x69..0x74).
inline bool is_abs_heap_code(uint8_t b) { return b >= 0x69 && b <= 0x74; }

}  // namespace

HeapType read_heap_type(Reader& r, const Features& f) {
  size_t at = r.offset();
  // Abstract heap types are one byte with the sign bit (0x40) set; peek it to
  // avoid the generic s33 path on the common case.
  if (r.remaining() > 0 && is_abs_heap_code(*r.pos())) {
    uint8_t b = r.u8();
    return HeapType::abstract(static_cast<AbsHeap>(b));
  }
  int64_t v = r.s33();
  if (!r.ok()) return HeapType::abstract(AbsHeap::Func);
  if (v < 0) {
    r.fail("malformed heap type", at);
    return HeapType::abstract(AbsHeap::Func);
  }
  if (!f.gc) {
    r.fail("malformed heap type", at);
    return HeapType::abstract(AbsHeap::Func);
  }
  return HeapType::type_index(static_cast<uint32_t>(v));
}

// Cold: reference types are far less common than numeric ones.
[[gnu::noinline]] static ValType read_ref_type_tail(Reader& r, const Features& f, uint8_t b,
                                                    size_t at) {
  if (is_abs_heap_code(b)) return ValType::ref(HeapType::abstract(static_cast<AbsHeap>(b)), true);
  if (b == 0x63 || b == 0x64) {
    if (!f.gc) {
      r.fail("malformed value type", at);
      return ValType::i32();
    }
    HeapType h = read_heap_type(r, f);
    return ValType::ref(h, b == 0x63);
  }
  r.fail((b & 0x80) ? "integer representation too long" : "malformed value type", at);
  return ValType::i32();
}

ValType read_val_type(Reader& r, const Features& f) {
  size_t at = r.offset();
  uint8_t b = r.u8();
  switch (b) {
    case 0x7F: return ValType::i32();
    case 0x7E: return ValType::i64();
    case 0x7D: return ValType::f32();
    case 0x7C: return ValType::f64();
    case 0x7B:
      if (!f.simd) break;
      return ValType::v128();
    default: break;
  }
  if (!r.ok()) return ValType::i32();
  return read_ref_type_tail(r, f, b, at);
}

namespace {

// Reads a block type: 0x40, a value type, or a non-negative s33 type index.
inline void read_block_type(Reader& r, const Features& f, BlockType& bt) {
  if (r.remaining() == 0) {
    r.u8();  // records "unexpected end"
    return;
  }
  uint8_t b = *r.pos();
  if (b == 0x40) {
    r.u8();
    bt.kind = BlockType::Kind::Empty;
    return;
  }
  if ((b >= 0x7B && b <= 0x7F) || b == 0x63 || b == 0x64 || is_abs_heap_code(b)) {
    bt.kind = BlockType::Kind::Value;
    bt.value = read_val_type(r, f);
    return;
  }
  size_t at = r.offset();
  int64_t v = r.s33();
  if (!r.ok()) return;
  if (v < 0) {
    r.fail("malformed block type", at);
    return;
  }
  bt.kind = BlockType::Kind::Index;
  bt.index = static_cast<uint32_t>(v);
}

// memarg: flags (bit 6 announces an explicit memory index), then the offset,
// which the binary always encodes as u64 (memory64 widened it).
inline void read_memarg(Reader& r, const Features& f, Instr& out) {
  size_t at = r.offset();
  uint32_t flags = r.u32();
  if (flags >= 0x80 || ((flags & 0x40) && !f.multi_memory)) {
    r.fail("malformed memop flags", at);
    return;
  }
  if (flags & 0x40) {
    out.mem = r.u32();
    out.align = flags & ~0x40u;
  } else {
    out.mem = 0;
    out.align = flags;
  }
  out.mem_offset = r.u64();
}

}  // namespace

// Names the opcode bytes like the reference interpreter ("illegal opcode ff").
[[gnu::cold, gnu::noinline]] static void fail_illegal(Reader& r, uint8_t b, size_t at) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "illegal opcode %02x", b);
  r.fail(buf, at);
}

namespace {

// Dense opcode tables local to the decoder: the hot loop looks an opcode up with
// one load and no function call. Built during static initialization from kOpInfo,
// which is constant-initialized and therefore ready by then.
constexpr uint16_t kNoOp = 0xFFFF;
constexpr uint32_t kPrefixedLimit = 0x120;
// How the fast path of InstrReader::next handles a single-byte opcode.
enum class Fast : uint8_t { Slow, NoImm, U32Imm };

struct DecodeTables {
  uint16_t single[256];
  Fast fast[256];
  uint16_t prefixed[4][kPrefixedLimit];
  DecodeTables() {
    for (auto& v : fast) v = Fast::Slow;
    for (auto& v : single) v = kNoOp;
    for (auto& t : prefixed)
      for (auto& v : t) v = kNoOp;
    for (unsigned i = 0; i < kNumOps; ++i) {
      const OpInfo& info = kOpInfo[i];
      if (info.prefix == 0)
        single[info.code] = static_cast<uint16_t>(i);
      else
        prefixed[info.prefix - 0xFB][info.code] = static_cast<uint16_t>(i);
    }
    // Prefix bytes are not opcodes by themselves.
    for (unsigned b = 0xFB; b <= 0xFE; ++b) single[b] = kNoOp;
    for (unsigned b = 0; b < 256; ++b) {
      if (single[b] == kNoOp) continue;
      switch (kOpInfo[single[b]].imm) {
        case Imm::None: fast[b] = Fast::NoImm; break;
        case Imm::Label:
        case Imm::Func:
        case Imm::Local:
        case Imm::Global: fast[b] = Fast::U32Imm; break;
        default: break;
      }
    }
  }
};
const DecodeTables kTables;

}  // namespace

bool InstrReader::gated(uint8_t b) const {
  switch (b) {
    case 0x06:  // try
    case 0x07:  // catch
    case 0x09:  // rethrow
    case 0x18:  // delegate
    case 0x19:  // catch_all
      return !f_.legacy_exceptions;
    case 0x08:  // throw: both exception proposals have it
      return !f_.exceptions && !f_.legacy_exceptions;
    case 0x0A:  // throw_ref
    case 0x1F:  // try_table
      return !f_.exceptions;
    case 0x12:  // return_call
    case 0x13:  // return_call_indirect
      return !f_.tail_call;
    case 0x15:  // return_call_ref
      return !f_.tail_call || !f_.gc;
    case 0x14:  // call_ref
    case 0xD3:  // ref.eq
    case 0xD4:  // ref.as_non_null
    case 0xD5:  // br_on_null
    case 0xD6:  // br_on_non_null
      return !f_.gc;
    default: return false;
  }
}

bool InstrReader::next(Instr& out) {
  // Fast path for the most frequent shapes (no immediate, or one single-byte u32
  // immediate) when no feature gate is in play; everything else, including every
  // error, goes through next_slow. Keeping this function small keeps its
  // prologue cheap.
  const uint8_t* p = r_.pos();
  size_t left = r_.remaining();
  out.offset = static_cast<uint32_t>(r_.offset());
  if (left >= 2 && all_features_) [[likely]] {
    uint8_t b = p[0];
    Fast kind = kTables.fast[b];
    if (kind == Fast::NoImm) {
      out.op = static_cast<Op>(kTables.single[b]);
      r_.seek(p + 1);
      return true;
    }
    if (kind == Fast::U32Imm && p[1] < 0x80) {
      out.op = static_cast<Op>(kTables.single[b]);
      out.index = p[1];
      r_.seek(p + 2);
      return true;
    }
  }
  return next_slow(out);
}

bool InstrReader::next_slow(Instr& out) {
  Reader& r = r_;
  if (r.at_end()) [[unlikely]] {
    r.u8();  // records "unexpected end"
    return false;
  }
  uint8_t b = r.u8();
  uint16_t code = kTables.single[b];
  if (!all_features_ && gated(b)) [[unlikely]]
    code = kNoOp;
  if (code == kNoOp) {
    if (b >= 0xFB && b <= 0xFE) {
      uint32_t sub = r.u32();
      if (!r.ok()) return false;
      bool enabled =
          (b == 0xFB && f_.gc) || b == 0xFC || (b == 0xFD && f_.simd) || (b == 0xFE && f_.threads);
      if (enabled && sub < kPrefixedLimit) code = kTables.prefixed[b - 0xFB][sub];
      if (b == 0xFD && sub >= 0x100 && !f_.relaxed_simd) code = kNoOp;
    }
    if (code == kNoOp) [[unlikely]] {
      fail_illegal(r, b, out.offset);
      return false;
    }
  }
  const Op op = static_cast<Op>(code);
  out.op = op;
  switch (kOpInfo[code].imm) {
    case Imm::None: break;
    case Imm::BlockType: read_block_type(r, f_, out.block); break;
    case Imm::TryTable: {
      read_block_type(r, f_, out.block);
      size_t at = r.offset();
      uint32_t n = r.u32();
      if (n > r.remaining()) {
        if (r.ok()) r.fail("length out of bounds", at);
        return false;
      }
      out.catches.clear();
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        CatchClause c;
        size_t kat = r.offset();
        uint8_t k = r.u8();
        if (k > 3) {
          r.fail("malformed catch clause", kat);
          return false;
        }
        c.kind = static_cast<CatchClause::Kind>(k);
        if (k < 2) c.tag = r.u32();
        c.label = r.u32();
        out.catches.push_back(c);
      }
      break;
    }
    case Imm::Label:
    case Imm::Func:
    case Imm::Type:
    case Imm::Local:
    case Imm::Global:
    case Imm::Table:
    case Imm::Tag:
    case Imm::Memory:
    case Imm::Data:
    case Imm::Elem: out.index = r.u32(); break;
    case Imm::BrTable: {
      size_t at = r.offset();
      uint32_t n = r.u32();
      if (n > r.remaining()) {
        if (r.ok()) r.fail("length out of bounds", at);
        return false;
      }
      out.labels.resize(n + 1);
      for (uint32_t i = 0; i <= n; ++i) out.labels[i] = r.u32();
      break;
    }
    case Imm::BrOnCast: {
      size_t at = r.offset();
      out.flags = r.u8();
      if (out.flags > 3) {
        r.fail("malformed br_on_cast flags", at);
        return false;
      }
      out.index = r.u32();
      out.heap1 = read_heap_type(r, f_);
      out.heap2 = read_heap_type(r, f_);
      break;
    }
    case Imm::CallIndirect:
    case Imm::TypeField:
    case Imm::TypeCount:
    case Imm::TypeData:
    case Imm::TypeElem:
    case Imm::TypeType:
    case Imm::MemoryMemory:
    case Imm::DataMemory:
    case Imm::ElemTable:
    case Imm::TableTable:
      out.index = r.u32();
      out.index2 = r.u32();
      break;
    case Imm::SelectT: {
      size_t at = r.offset();
      uint32_t n = r.u32();
      if (n > r.remaining()) {
        if (r.ok()) r.fail("length out of bounds", at);
        return false;
      }
      out.types.clear();
      for (uint32_t i = 0; i < n && r.ok(); ++i) out.types.push_back(read_val_type(r, f_));
      break;
    }
    case Imm::Memarg: read_memarg(r, f_, out); break;
    case Imm::MemargLane:
      read_memarg(r, f_, out);
      out.lane = r.u8();
      break;
    case Imm::I32: out.value = static_cast<uint64_t>(static_cast<int64_t>(r.s32())); break;
    case Imm::I64: out.value = static_cast<uint64_t>(r.s64()); break;
    case Imm::F32: out.value = r.f32_bits(); break;
    case Imm::F64: out.value = r.f64_bits(); break;
    case Imm::V128:
    case Imm::Shuffle: r.bytes(out.v128, 16); break;
    case Imm::Lane: out.lane = r.u8(); break;
    case Imm::HeapType: out.heap1 = read_heap_type(r, f_); break;
    case Imm::Zero: {
      size_t at = r.offset();
      if (r.u8() != 0 && r.ok()) {
        r.fail("zero byte expected", at);
        return false;
      }
      break;
    }
  }
  return r.ok();
}

std::optional<Error> skim_instructions(const Module& m, uint32_t start, const Features& f) {
  Reader r(m.bytes.data() + start, m.bytes.data() + m.bytes.size(), start);
  InstrReader ir(r, f);
  Instr in;
  uint32_t depth = 0;
  while (ir.next(in)) {
    switch (in.op) {
      case Op::block:
      case Op::loop:
      case Op::if_:
      case Op::try_:
      case Op::try_table: ++depth; break;
      case Op::delegate:
      case Op::end:
        if (depth == 0) return std::nullopt;
        --depth;
        break;
      default: break;
    }
  }
  return r.take_error();
}

}  // namespace wasmrun
