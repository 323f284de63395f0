// Opcodes and their static properties, generated from engine/opcodes.def.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wasmrun {

/// Immediate layouts. Each opcode row in opcodes.def names one of these.
enum class Imm : uint8_t {
  None,          ///< no immediate
  BlockType,     ///< block type: 0x40, a value type, or an s33 type index
  TryTable,      ///< block type, then vec(catch clause)
  Label,         ///< u32 label index
  BrTable,       ///< vec(u32 label) then default u32 label
  BrOnCast,      ///< u8 flags (bit0: source nullable, bit1: target nullable), u32 label, heaptype, heaptype
  Func,          ///< u32 function index
  CallIndirect,  ///< u32 type index, u32 table index
  Type,          ///< u32 type index
  TypeField,     ///< u32 type index, u32 field index
  TypeCount,     ///< u32 type index, u32 operand count (array.new_fixed)
  TypeData,      ///< u32 type index, u32 data index
  TypeElem,      ///< u32 type index, u32 elem index
  TypeType,      ///< u32 dst type index, u32 src type index (array.copy)
  Local,         ///< u32 local index
  Global,        ///< u32 global index
  Table,         ///< u32 table index
  Tag,           ///< u32 tag index
  SelectT,       ///< vec(valtype)
  Memarg,        ///< u32 align flags (bit 6: explicit memory index follows), [u32 memidx], u64 offset
  MemargLane,    ///< memarg then u8 lane index
  Memory,        ///< u32 memory index (a single 0x00 byte in 1.0 modules)
  MemoryMemory,  ///< u32 dst memory index, u32 src memory index (memory.copy)
  DataMemory,    ///< u32 data index, u32 memory index (memory.init)
  Data,          ///< u32 data index
  Elem,          ///< u32 elem index
  ElemTable,     ///< u32 elem index, u32 table index (table.init)
  TableTable,    ///< u32 dst table index, u32 src table index (table.copy)
  I32,           ///< s32 LEB128
  I64,           ///< s64 LEB128
  F32,           ///< 4 bytes little endian
  F64,           ///< 8 bytes little endian
  V128,          ///< 16 bytes
  Lane,          ///< u8 lane index
  Shuffle,       ///< 16 u8 lane indices
  HeapType,      ///< s33 heap type
  Zero,          ///< a single reserved 0x00 byte (atomic.fence)
};

/// Every instruction, named after its mnemonic ('.' -> '_').
enum class Op : uint16_t {
#define WASMRUN_OPCODE(ident, mnemonic, prefix, code, imm, sig) ident,
#include "engine/opcodes.def"
#undef WASMRUN_OPCODE
  kCount_
};

inline constexpr unsigned kNumOps = static_cast<unsigned>(Op::kCount_);

/// Static description of one opcode.
struct OpInfo {
  const char* mnemonic;  ///< text keyword
  uint8_t prefix;        ///< 0, 0xFB, 0xFC, 0xFD or 0xFE
  uint32_t code;         ///< byte or sub-opcode
  Imm imm;               ///< immediate layout
  const char* sig;       ///< "params:results" or "" (see opcodes.def)
};

/// Table indexed by Op.
extern const OpInfo kOpInfo[kNumOps];

inline const OpInfo& op_info(Op op) { return kOpInfo[static_cast<unsigned>(op)]; }

/// Map a (prefix, code) pair to its Op, or nullopt for an unknown opcode.
std::optional<Op> op_from_code(uint8_t prefix, uint32_t code);

/// Every Op whose mnemonic is `name`, in table order; used by the text parser.
/// ref.test/ref.cast have two rows each and select has two (untyped and typed);
/// the first row is returned here, the parser picks the variant.
std::optional<Op> op_from_mnemonic(std::string_view name);

}  // namespace wasmrun
