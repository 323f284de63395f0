// The decoded module: an immutable description of a WebAssembly binary.
//
// Produced by the decoder (engine/decode/decoder.h), checked by the validator
// (engine/validate/validator.h), and then shared read-only by every execution tier.
// Function bodies, constant expressions and data payloads are not copied: they are
// Spans into `bytes`, which the Module owns.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/types.h"

namespace wasmrun {

/// Marks an entry offset that is unknown (a Module built in code, not decoded).
inline constexpr uint32_t kNoEntryOffset = 0xFFFFFFFFu;

/// A byte range of Module::bytes.
struct Span {
  uint32_t offset = 0;
  uint32_t size = 0;
};

/// A constant expression: its encoded instructions (including the final `end`).
struct ConstExpr {
  Span code;
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t type_index = 0;                 ///< Func and Tag: the function type index
  TableType table;                         ///< Table
  MemoryType memory;                       ///< Memory
  GlobalType global;                       ///< Global
  uint32_t entry_offset = kNoEntryOffset;  ///< first byte of the entry (for errors)
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
  uint32_t entry_offset = kNoEntryOffset;  ///< first byte of the entry (for errors)
};

struct Table {
  TableType type;
  std::optional<ConstExpr> init;           ///< 3.0 tables may have an explicit initializer
  uint32_t entry_offset = kNoEntryOffset;  ///< first byte of the entry (for errors)
};

struct Global {
  GlobalType type;
  ConstExpr init;
  uint32_t entry_offset = kNoEntryOffset;  ///< first byte of the entry (for errors)
};

struct ElemSegment {
  enum class Mode : uint8_t { Active, Passive, Declarative };
  Mode mode = Mode::Passive;
  uint32_t table = 0;  ///< Active only
  ConstExpr offset;    ///< Active only
  ValType elem_type = ValType::funcref();
  /// Exactly one of these is used: the function-index form or the expression form.
  std::vector<uint32_t> func_indices;
  std::vector<ConstExpr> exprs;
  bool uses_exprs = false;
  uint32_t entry_offset = kNoEntryOffset;  ///< first byte of the entry (its flags), for errors
  /// Offset of func_indices[0] (the indices are consecutive u32 LEBs from there),
  /// so an error can name the entry without storing one offset per index.
  uint32_t func_indices_offset = kNoEntryOffset;
  size_t size() const { return uses_exprs ? exprs.size() : func_indices.size(); }
};

struct DataSegment {
  enum class Mode : uint8_t { Active, Passive };
  Mode mode = Mode::Passive;
  uint32_t memory = 0;  ///< Active only
  ConstExpr offset;     ///< Active only
  Span init;
  uint32_t entry_offset = kNoEntryOffset;  ///< first byte of the entry (its flags), for errors
};

/// A locally defined function's code: its declared locals (run-length encoded as in
/// the binary) and its body (from the first instruction to the final `end`, inclusive).
struct FunctionBody {
  std::vector<std::pair<uint32_t, ValType>> locals;
  uint64_t num_locals = 0;  ///< total declared locals (sum of counts)
  Span code;
  uint32_t locals_offset = 0;  ///< offset of the body entry (its size field) for errors
};

struct CustomSection {
  std::string name;
  Span payload;
};

/// The "name" custom section, decoded leniently (a broken name section is ignored).
struct Names {
  std::optional<std::string> module;
  std::map<uint32_t, std::string> functions;
  std::map<uint32_t, std::map<uint32_t, std::string>> locals;
};

struct Module {
  /// The module's binary. Spans index into it.
  std::vector<uint8_t> bytes;

  std::vector<SubType> types;
  std::vector<RecGroup> rec_groups;  ///< partition of `types`, in order

  std::vector<Import> imports;

  /// Index spaces. Imported entities come first, then the module's own.
  std::vector<uint32_t> funcs;       ///< function index -> type index
  std::vector<TableType> tables;     ///< table index -> type
  std::vector<MemoryType> memories;  ///< memory index -> type
  std::vector<GlobalType> globals;   ///< global index -> type
  std::vector<TagType> tags;         ///< tag index -> type
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  uint32_t num_imported_tags = 0;

  /// Definitions of the module's own tables and globals (index - num_imported_*).
  std::vector<Table> defined_tables;
  std::vector<Global> defined_globals;

  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;

  /// Bodies of the module's own functions (index - num_imported_funcs).
  std::vector<FunctionBody> bodies;

  std::vector<CustomSection> customs;
  Names names;

  /// Where entries that have no struct of their own start, for the validator's
  /// errors (a Module built in code may leave these empty; kNoEntryOffset or a
  /// missing element means unknown). Imported entities' offsets are their
  /// Import::entry_offset.
  std::vector<uint32_t> type_offsets;      ///< type index -> its sub type in the type section
  std::vector<uint32_t> func_offsets;      ///< defined function (index - num_imported_funcs) ->
                                           ///< its type index in the function section
  std::vector<uint32_t> memory_offsets;    ///< defined memory -> its limits
  std::vector<uint32_t> tag_offsets;       ///< defined tag -> its attribute byte
  uint32_t start_offset = kNoEntryOffset;  ///< the start section's function index

  const FuncType& func_type(uint32_t func_index) const {
    return types[funcs[func_index]].comp.func;
  }
  const uint8_t* data(Span s) const { return bytes.data() + s.offset; }
};

}  // namespace wasmrun
