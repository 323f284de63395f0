// Internal to the decoder: one function per section kind, each reading the
// section's payload from a Reader bounded to that section. Shared by decoder.cc
// (the section loop) and the per-concern files that implement them.
#pragma once

#include "engine/decode/instr_reader.h"
#include "engine/decode/reader.h"
#include "engine/features.h"
#include "engine/module.h"

namespace wasmrun::decode_detail {

/// Reads a vector length. It is not checked against the bytes left (the spec
/// reports a short vector as "unexpected end"), so callers must reserve at most
/// bounded_reserve(n, r) elements: a corrupt count must not drive a huge allocation.
uint32_t read_count(Reader& r);

void read_type_section(Reader& r, Module& m, const Features& f);
void read_import_section(Reader& r, Module& m, const Features& f);
void read_function_section(Reader& r, Module& m);
void read_table_section(Reader& r, Module& m, const Features& f);
void read_memory_section(Reader& r, Module& m, const Features& f);
void read_tag_section(Reader& r, Module& m);
void read_global_section(Reader& r, Module& m, const Features& f);
void read_export_section(Reader& r, Module& m);
void read_elem_section(Reader& r, Module& m, const Features& f);
void read_code_section(Reader& r, Module& m, const Features& f);
void read_data_section(Reader& r, Module& m, const Features& f);

/// Skims a constant expression up to its final `end` (inclusive); its typing is
/// the validator's job.
ConstExpr read_const_expr(Reader& r, const Features& f);
inline size_t bounded_reserve(uint32_t n, const Reader& r) {
  return n < r.remaining() ? n : r.remaining();
}
ValType read_ref_type(Reader& r, const Features& f);
Limits read_limits(Reader& r, bool is_memory, const Features& f);
TableType read_table_type(Reader& r, const Features& f);
GlobalType read_global_type(Reader& r, const Features& f);

/// Decodes the "name" custom section into m.names, ignoring it if it is broken.
void read_name_section(const uint8_t* begin, const uint8_t* end, size_t base, Module& m);

}  // namespace wasmrun::decode_detail
