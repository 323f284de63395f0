// InstrReader: decodes one instruction (opcode + immediates) at a time from a
// function body or constant expression. This is the single instruction decoder that
// the validator, the interpreter's lowering pass and the JIT tiers all use; it
// checks encoding (malformed) rules only, never typing (invalid) rules.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/decode/reader.h"
#include "engine/features.h"
#include "engine/module.h"
#include "engine/opcodes.h"
#include "engine/types.h"

namespace wasmrun {

/// A block type: empty, a single value type, or a type index (multi-value).
struct BlockType {
  enum class Kind : uint8_t { Empty, Value, Index };
  Kind kind = Kind::Empty;
  ValType value;       ///< Kind::Value
  uint32_t index = 0;  ///< Kind::Index
};

/// A try_table catch clause.
struct CatchClause {
  enum class Kind : uint8_t { Catch = 0, CatchRef = 1, CatchAll = 2, CatchAllRef = 3 };
  Kind kind = Kind::Catch;
  uint32_t tag = 0;  ///< Catch, CatchRef
  uint32_t label = 0;
};

/// One decoded instruction. Which fields are meaningful depends on op_info(op).imm:
///   BlockType: block       TryTable: block, catches     Label: index
///   BrTable: labels (targets then the default as the last element)
///   BrOnCast: flags, index (label), heap1 (source), heap2 (target)
///   Func/Type/Local/Global/Table/Tag/Data/Elem/Memory: index
///   CallIndirect: index (type), index2 (table)    TypeField: index, index2 (field)
///   TypeCount/TypeData/TypeElem/TypeType: index, index2
///   MemoryMemory, DataMemory, ElemTable, TableTable: index, index2 (in binary order)
///   SelectT: types        HeapType: heap1
///   Memarg: align (log2), mem (memory index), offset     MemargLane: same plus lane
///   I32/I64: value (sign-extended to 64 bits)    F32/F64: value (raw bits)
///   V128, Shuffle: v128      Lane: lane
struct Instr {
  Op op = Op::nop;
  uint32_t offset = 0;  ///< absolute offset of the opcode's first byte
  BlockType block;
  uint32_t index = 0;
  uint32_t index2 = 0;
  uint8_t flags = 0;
  uint8_t lane = 0;
  uint32_t align = 0;
  uint32_t mem = 0;
  uint64_t mem_offset = 0;
  uint64_t value = 0;
  uint8_t v128[16] = {};
  HeapType heap1, heap2;
  std::vector<uint32_t> labels;      ///< reused between reads; do not keep references
  std::vector<ValType> types;        ///< reused between reads
  std::vector<CatchClause> catches;  ///< reused between reads
};

/// Reads a value type (numeric, vector or reference, including the 0x63/0x64
/// forms). Used for locals, block types, globals and everywhere else.
ValType read_val_type(Reader& r, const Features& f);
/// Reads a heap type (s33: abstract code or type index).
HeapType read_heap_type(Reader& r, const Features& f);

/// Decodes instructions from `start` up to the `end` closing the outermost level,
/// bounded only by the end of the module, and returns the first encoding error.
/// This is how the reference interpreter reads a body whose size field is too
/// small; the decoder and validator use it on their (cold) error paths so that
/// they report the same error as the spec tests expect.
std::optional<Error> skim_instructions(const Module& m, uint32_t start, const Features& f);

class InstrReader {
 public:
  InstrReader(Reader& r, const Features& f)
      : r_(r), f_(f), all_features_(f.exceptions && f.legacy_exceptions && f.gc && f.tail_call) {}
  /// Decodes the next instruction into `out`. Returns false (with r.error() set)
  /// on malformed input: unknown opcode, truncated or over-long immediates.
  bool next(Instr& out);

 private:
  /// Whether a single-byte opcode belongs to a disabled feature (cold: only
  /// consulted when some feature is off).
  bool gated(uint8_t opcode) const;
  [[gnu::noinline]] bool next_slow(Instr& out);

  Reader& r_;
  const Features& f_;
  bool all_features_;  ///< every feature that gates single-byte opcodes is on
};

}  // namespace wasmrun
