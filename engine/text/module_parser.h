// The WAT module parser: text fields in, binary module out.
//
// Two passes over the module's fields. The first (scan) records every field's
// position and binds the $identifiers of each index space, so that bodies may
// refer forward; it also parses and encodes the type definitions, because type
// uses, local numbering and struct field names depend on them. The second pass
// walks the fields in text order and appends to per-section buffers, adding the
// implicit function types of inline type uses at the end of the type section.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/text/binary_writer.h"
#include "engine/text/lexer.h"
#include "wasmrun/result.h"

namespace wasmrun::text {

/// Encoding choices that do not change a module's meaning in wabt's eyes.
struct EncodeOptions {
  /// Write `funcref (ref.func x)*` element segments in the compact function-index
  /// form, as wat2wasm does. Off by default: in Wasm 3.0 the index form has type
  /// (ref func), which is more precise than the declared funcref and can turn an
  /// invalid module valid. Only the wat2wasm oracle test turns it on.
  bool compact_func_elems = false;
};

/// Parse a whole module text (`(module ...)` or bare fields) with options.
Result<Bytes> wat_to_wasm_with(std::string_view text, const EncodeOptions& options);

/// Parse module fields starting at `pos` in `src` and encode the module.
/// When `until_rparen` the fields end at a ')' (consumed; `end_pos` is after it),
/// else at the end of the input. `module_name` goes to the name section.
Result<Bytes> encode_module_fields(std::string_view src, size_t pos, bool until_rparen,
                                   std::optional<std::string_view> module_name, NameArena* arena,
                                   size_t* end_pos, const EncodeOptions& options = {});

enum Space : uint8_t {
  kTypes,
  kFuncs,
  kTables,
  kMemories,
  kGlobals,
  kTags,
  kElems,
  kDatas,
  kNumSpaces
};

class ModuleParser {
 public:
  ModuleParser(std::string_view src, NameArena* arena, const EncodeOptions& options = {})
      : lex_(src, arena), src_(src), arena_(arena), options_(options) {}

  Result<Bytes> run(size_t pos, bool until_rparen, std::optional<std::string_view> module_name,
                    size_t* end_pos);

 private:
  // Field kinds in text order.
  enum class FieldKind : uint8_t {
    Type,
    Rec,
    Import,
    Func,
    Table,
    Memory,
    Global,
    Tag,
    Export,
    Start,
    Elem,
    Data
  };
  struct FieldRef {
    FieldKind kind;
    size_t pos;  // offset just after the field keyword
  };
  // What the encoder knows about each entry of the type index space.
  struct TypeInfo {
    bool is_func = false;
    bool plain = false;  // a final func type without supertypes in its own group
    std::string sig;     // func: vec(params) vec(results), binary encoded
    uint32_t nparams = 0;
    std::unordered_map<std::string_view, uint32_t> fields;
  };
  struct NameSpace {
    std::unordered_map<std::string_view, uint32_t> ids;
    uint32_t count = 0;
  };
  // Per-function (or per-constant-expression) state.
  struct Body {
    std::unordered_map<std::string_view, uint32_t> locals;
    uint32_t nlocals = 0;
    std::vector<std::string_view> labels;           // innermost last; "" for unnamed
    std::vector<std::pair<size_t, uint8_t>> hints;  // branch hints: (offset in the body, value)
  };
  // A parsed type use.
  struct TypeUse {
    std::optional<uint32_t> index;  // from (type x)
    bool has_inline = false;
    std::string sig;  // inline vec(params) vec(results)
    uint32_t nparams = 0, nresults = 0;
    std::string single_result;  // encoded result type when nparams == 0 && nresults == 1
  };

  // ---- errors and tokens
  bool fail(size_t offset, std::string msg);
  bool fail_tok(const Token& t, std::string_view what = "unexpected token");
  Token next() { return lex_.next(); }
  Token peek() const { return lex_.peek(); }
  // Peek at the second token ahead.
  Token peek2() const {
    Lexer l = lex_;
    l.next();
    return l.next();
  }
  bool expect_lparen();
  bool expect_rparen();
  bool expect_keyword(std::string_view kw);
  bool skip_to_rparen();  // skip balanced tokens through the ')' closing the current form
  bool peek_lparen_kw(std::string_view kw) const;  // next tokens are '(' kw
  bool is_index_token(const Token& t) const;       // a number or $id

  // ---- scan pass (module_scan.cc)
  bool scan_fields(bool until_rparen);
  bool bind(Space s, const Token* id, size_t at);
  bool check_import_order(size_t at);
  bool scan_types();
  bool parse_type_def(Bytes& out, TypeInfo& info);
  bool parse_comp_type(Bytes& out, TypeInfo& info);
  bool parse_field_type(Bytes& out);

  // ---- types (module_types.cc)
  bool parse_valtype(Bytes& out);
  bool parse_valtype_tok(const Token& t, Bytes& out);
  bool parse_reftype(Bytes& out, bool* nullable = nullptr, Bytes* heap = nullptr);
  bool parse_heaptype(Bytes& out);
  bool parse_heaptype_tok(const Token& t, Bytes& out);
  bool parse_index(Space s, uint32_t& out);
  bool resolve_index(Space s, const Token& t, uint32_t& out);
  bool parse_typeuse(TypeUse& use, Body* body, std::vector<std::string_view>* param_names);
  uint32_t typeuse_index(const TypeUse& use);
  uint32_t implicit_type(const std::string& sig);
  bool parse_limits(Bytes& out, bool address64, bool allow_shared, uint8_t* flags_out = nullptr);
  bool parse_u32(uint32_t& out);
  bool parse_u64(uint64_t& out);

  // ---- annotations (module_annotations.cc)
  bool scan_annotations(size_t pos);
  bool parse_custom_annotation(Lexer& l);
  bool skip_annotation_body(Lexer& l);
  bool check_branch_hint(Lexer& l, const Token& at, int depth, std::string_view field_kw);

  // ---- fields (module_fields.cc; tables, memories and segments in module_segments.cc)
  bool encode_fields();
  bool inline_exports(uint8_t kind, uint32_t index);
  bool inline_import(bool& imported, std::string& mod, std::string& name);
  bool parse_name_string(std::string& out);
  bool field_import();
  bool field_func();
  bool field_table();
  bool field_memory();
  bool field_global();
  bool field_tag();
  bool field_export();
  bool field_start();
  bool field_elem();
  bool field_data();
  bool parse_global_type(Bytes& out);
  bool parse_elem_list(Bytes& out, bool& uses_exprs, Bytes& reftype);
  bool parse_const_expr(Bytes& out);
  bool parse_offset(Bytes& out);
  bool parse_data_strings(Bytes& out);
  Bytes assemble();  // module_assemble.cc

  // ---- instructions (structure in module_instrs.cc, immediates in module_immediates.cc)
  bool parse_instrs(Bytes& out, Body& b);
  bool parse_folded(Bytes& out, Body& b);
  bool parse_plain(const Token& kw, Bytes& out, Body& b);
  bool parse_block_type(Bytes& out);
  bool parse_label_decl(Body& b);
  bool parse_label_ref(const Body& b, uint32_t& depth);
  bool check_end_label(std::string_view label);
  bool parse_memarg(Bytes& out, uint32_t natural_align, bool allow_mem = true);
  bool parse_local(const Body& b, uint32_t& out);
  bool parse_v128(Bytes& out);
  bool parse_catch_clauses(Bytes& out, Body& b);
  bool parse_try_folded(Bytes& out, Body& b);

  Lexer lex_;
  std::string_view src_;
  NameArena* arena_;
  std::optional<Error> error_;
  EncodeOptions options_;

  std::vector<FieldRef> fields_;
  NameSpace spaces_[kNumSpaces];
  std::vector<TypeInfo> types_;
  uint32_t explicit_type_count_ = 0;
  uint32_t rec_group_count_ = 0;
  std::vector<std::string> implicit_types_;  // sigs appended to the type section
  Bytes type_sec_;                           // explicit rec groups, encoded
  bool seen_definition_ = false;
  const char* first_definition_ = nullptr;
  uint32_t cur_[kNumSpaces] = {};  // next index of each space during the encode pass

  // Section bodies (without their vector counts).
  Bytes imports_, funcs_, tables_, memories_, tags_, globals_, exports_, elems_, codes_, datas_;
  uint32_t n_imports_ = 0, n_funcs_ = 0, n_tables_ = 0, n_memories_ = 0, n_tags_ = 0,
           n_globals_ = 0, n_exports_ = 0, n_elems_ = 0, n_datas_ = 0;
  std::optional<uint32_t> start_;
  std::vector<std::string> export_names_;
  bool uses_data_count_ = false;
  static constexpr uint32_t kMaxFoldDepth = 5000;
  uint32_t fold_depth_ = 0;
  std::vector<uint8_t> memory64_;  // per memory: address type is i64
  std::vector<uint8_t> table64_;   // per table

  // Custom sections from (@custom ...), with their place in the section order
  // (see module_annotations.cc).
  struct CustomSection {
    std::string name;
    Bytes data;
    int slot;
  };
  std::vector<CustomSection> customs_;
  // (@name "...") of functions, by field ordinal; used instead of their $id.
  std::unordered_map<size_t, std::string_view> annotated_func_names_;
  size_t current_field_ = 0;
  // Branch hints: value by source offset of the hinted `if`/`br_if` keyword, and
  // the encoded hints per function (function index, (body offset, value)*).
  std::unordered_map<size_t, uint8_t> branch_hint_targets_;
  std::vector<std::pair<uint32_t, std::vector<std::pair<size_t, uint8_t>>>> branch_hints_;
  void note_hint(const Token& kw, size_t at, Body& b) {
    if (branch_hint_targets_.empty()) return;
    auto it = branch_hint_targets_.find(kw.offset);
    if (it != branch_hint_targets_.end()) b.hints.push_back({at, it->second});
  }

  // Names for the name section.
  std::optional<std::string_view> module_name_;
  std::vector<std::pair<uint32_t, std::string_view>> func_names_;
  std::vector<std::pair<uint32_t, std::vector<std::pair<uint32_t, std::string_view>>>> local_names_;
};

}  // namespace wasmrun::text
