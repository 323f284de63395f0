// WebAssembly 3.0 types as the engine represents them after decoding.
//
// Value types are small value objects (8 bytes) so they can be copied freely.
// Concrete heap types refer to a type index of the module that contains them;
// equivalence across modules goes through canonical type ids (see
// engine/type_canon.h), computed once by the validator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmrun {

/// Abstract heap types, numbered by their binary encoding (the low 7 bits of the
/// negative s33 code). Concrete types use HeapType::index.
enum class AbsHeap : uint8_t {
  NoExn = 0x74,
  NoFunc = 0x73,
  NoExtern = 0x72,
  None = 0x71,
  Func = 0x70,
  Extern = 0x6F,
  Any = 0x6E,
  Eq = 0x6D,
  I31 = 0x6C,
  Struct = 0x6B,
  Array = 0x6A,
  Exn = 0x69,
};

/// A heap type: abstract, a concrete type index, or "bottom" (only in the
/// validator's unreachable-code typing).
struct HeapType {
  enum class Kind : uint8_t { Abstract, Index, Bot };
  Kind kind = Kind::Abstract;
  AbsHeap abs = AbsHeap::Func;  ///< valid when kind == Abstract
  uint32_t index = 0;           ///< type index when kind == Index

  static HeapType abstract(AbsHeap a) { return {Kind::Abstract, a, 0}; }
  static HeapType type_index(uint32_t i) { return {Kind::Index, AbsHeap::Func, i}; }
  static HeapType bot() { return {Kind::Bot, AbsHeap::Func, 0}; }
  bool is_abstract() const { return kind == Kind::Abstract; }
  bool is_index() const { return kind == Kind::Index; }
  bool operator==(const HeapType& o) const {
    return kind == o.kind && (kind != Kind::Abstract || abs == o.abs) &&
           (kind != Kind::Index || index == o.index);
  }
  bool operator!=(const HeapType& o) const { return !(*this == o); }
};

/// Value (and storage) types. I8/I16 appear only as packed struct/array fields.
/// Bot is the validator's "unknown" operand in unreachable code.
enum class ValKind : uint8_t { I32, I64, F32, F64, V128, Ref, I8, I16, Bot };

struct ValType {
  ValKind kind = ValKind::I32;
  bool nullable = false;  ///< for Ref
  HeapType heap;          ///< for Ref

  static ValType i32() { return {ValKind::I32, false, {}}; }
  static ValType i64() { return {ValKind::I64, false, {}}; }
  static ValType f32() { return {ValKind::F32, false, {}}; }
  static ValType f64() { return {ValKind::F64, false, {}}; }
  static ValType v128() { return {ValKind::V128, false, {}}; }
  static ValType i8() { return {ValKind::I8, false, {}}; }
  static ValType i16() { return {ValKind::I16, false, {}}; }
  static ValType bot() { return {ValKind::Bot, false, {}}; }
  static ValType ref(HeapType h, bool nullable) { return {ValKind::Ref, nullable, h}; }
  static ValType funcref() { return ref(HeapType::abstract(AbsHeap::Func), true); }
  static ValType externref() { return ref(HeapType::abstract(AbsHeap::Extern), true); }

  bool is_ref() const { return kind == ValKind::Ref; }
  bool is_num() const { return kind <= ValKind::F64; }
  bool is_packed() const { return kind == ValKind::I8 || kind == ValKind::I16; }
  /// Whether the type has a default value (numbers, vectors, nullable refs).
  bool defaultable() const { return kind != ValKind::Ref || nullable; }

  bool operator==(const ValType& o) const {
    return kind == o.kind && (kind != ValKind::Ref || (nullable == o.nullable && heap == o.heap));
  }
  bool operator!=(const ValType& o) const { return !(*this == o); }
};

/// Text form of a type as the spec's text format writes it ("i32", "(ref null $3)").
std::string to_string(const ValType& t);
std::string to_string(const HeapType& t);

struct FieldType {
  ValType type;  ///< may be I8/I16
  bool mut = false;
  bool operator==(const FieldType& o) const { return type == o.type && mut == o.mut; }
};

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType& o) const { return params == o.params && results == o.results; }
};

struct StructType {
  std::vector<FieldType> fields;
};

struct ArrayType {
  FieldType field;
};

/// A composite type: func, struct or array.
struct CompositeType {
  enum class Kind : uint8_t { Func, Struct, Array };
  Kind kind = Kind::Func;
  FuncType func;      ///< when kind == Func
  StructType struct_;  ///< when kind == Struct
  ArrayType array;    ///< when kind == Array
};

/// One entry of the type index space: a composite type with its subtyping
/// declaration. A plain `functype` in the binary is a final SubType with no supertype.
struct SubType {
  bool final = true;
  std::optional<uint32_t> super;  ///< declared supertype index (at most one in 3.0)
  CompositeType comp;
};

/// A recursion group: types [first, first + count) of the module's type space.
struct RecGroup {
  uint32_t first = 0;
  uint32_t count = 0;
};

/// Limits of a memory or table. `address64` marks memory64 / table64.
struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool shared = false;
  bool address64 = false;
};

struct MemoryType {
  Limits limits;
};

struct TableType {
  ValType elem = ValType::funcref();
  Limits limits;
};

struct GlobalType {
  ValType type;
  bool mut = false;
};

/// A tag's type is a function type index with empty results (the exception payload is the params).
struct TagType {
  uint32_t type_index = 0;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };

const char* extern_kind_name(ExternKind k);

}  // namespace wasmrun
