// The section loop: header, section framing and ordering, and the cross-section
// consistency checks the binary format itself demands (function/code and data
// count/data lengths). Each section's payload is read by sections.h.
#include "engine/decode/decoder.h"

#include "engine/decode/sections.h"

namespace wasmrun {

using namespace decode_detail;

namespace {

// Position of each known section id in the required order (custom sections may
// appear anywhere). Tag (13) sits between memory and global; data count (12)
// between element and code.
int section_rank(uint8_t id) {
  static constexpr int kRank[14] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return kRank[id];
}

// `code_start` receives the code section's offset; `after_sections` is set when
// the error comes from the checks after the last section (both decide whether an
// error inside a body could have come first, see decode_module).
Status decode_into(Module& m, const Features& features, size_t& code_start, bool& after_sections) {
  const uint8_t* begin = m.bytes.data();
  const uint8_t* end = begin + m.bytes.size();
  Reader r(begin, end, 0);

  uint8_t magic[4];
  r.bytes(magic, 4);
  if (!r.ok()) return r.take_error();
  if (magic[0] != 0 || magic[1] != 'a' || magic[2] != 's' || magic[3] != 'm')
    return Error(ErrorKind::Malformed, "magic header not detected", 0);
  uint32_t version = 0;
  r.bytes(&version, 4);
  if (!r.ok()) return r.take_error();
  if (version != 1) return Error(ErrorKind::Malformed, "unknown binary version", 4);

  int last_rank = 0;
  // Where each known section starts, so that the cross-section length checks
  // below can point at the section that disagrees.
  size_t section_at[14];
  for (size_t& a : section_at) a = Error::kNoOffset;
  while (!r.at_end()) {
    size_t id_at = r.offset();
    uint8_t id = r.u8();
    if (id > 13 || (id == 13 && !features.exceptions && !features.legacy_exceptions))
      return Error(ErrorKind::Malformed, "malformed section id", id_at);
    size_t size_at = r.offset();
    uint32_t size = r.u32();
    if (!r.ok()) return r.take_error();
    if (size > r.remaining()) return Error(ErrorKind::Malformed, "length out of bounds", size_at);
    const uint8_t* sec_end = r.pos() + size;
    // Like the reference interpreter, a known section's contents are read from
    // the module's remaining bytes and the section size is checked afterwards;
    // that decides which of the spec's messages a truncated section produces.
    Reader s(r.pos(), end, r.offset());

    if (id == 0) {
      CustomSection c;
      Reader cs(r.pos(), sec_end, r.offset());
      c.name = cs.name();
      if (!cs.ok()) return cs.take_error();
      c.payload = Span{static_cast<uint32_t>(cs.offset()), static_cast<uint32_t>(cs.remaining())};
      if (c.name == "name") read_name_section(cs.pos(), sec_end, cs.offset(), m);
      m.customs.push_back(std::move(c));
      r.seek(sec_end);
      continue;
    }
    int rank = section_rank(id);
    // The reference interpreter reads the known sections in their fixed order and
    // then expects the end of the module, so a misplaced or repeated section is
    // "unexpected content after last section".
    if (rank <= last_rank)
      return Error(ErrorKind::Malformed, "unexpected content after last section", id_at);
    last_rank = rank;
    section_at[id] = id_at;

    if (id == 10) code_start = id_at;
    switch (id) {
      case 1: read_type_section(s, m, features); break;
      case 2: read_import_section(s, m, features); break;
      case 3: read_function_section(s, m); break;
      case 4: read_table_section(s, m, features); break;
      case 5: read_memory_section(s, m, features); break;
      case 6: read_global_section(s, m, features); break;
      case 7: read_export_section(s, m); break;
      case 8:
        m.start_offset = static_cast<uint32_t>(s.offset());
        m.start = s.u32();
        break;
      case 9: read_elem_section(s, m, features); break;
      case 10: read_code_section(s, m, features); break;
      case 11: read_data_section(s, m, features); break;
      case 12: m.data_count = s.u32(); break;
      case 13: read_tag_section(s, m); break;
      default: break;
    }
    if (!s.ok()) return s.take_error();
    if (s.pos() != sec_end) return Error(ErrorKind::Malformed, "section size mismatch", s.offset());
    r.seek(sec_end);
  }
  // One of the two sections exists whenever the lengths differ; the end of the
  // module remains only as a fallback.
  after_sections = true;
  auto first_of = [&](uint8_t a, uint8_t b) {
    if (section_at[a] != Error::kNoOffset) return section_at[a];
    if (section_at[b] != Error::kNoOffset) return section_at[b];
    return m.bytes.size();
  };
  if (m.bodies.size() != m.funcs.size() - m.num_imported_funcs)
    return Error(ErrorKind::Malformed, "function and code section have inconsistent lengths",
                 first_of(10, 3));
  if (m.data_count && *m.data_count != m.datas.size())
    return Error(ErrorKind::Malformed, "data count and data section have inconsistent lengths",
                 first_of(11, 12));
  return {};
}

}  // namespace

Result<std::shared_ptr<const Module>> decode_module(std::vector<uint8_t> bytes,
                                                    const Features& features) {
  auto mod = std::make_shared<Module>();
  mod->bytes = std::move(bytes);
  size_t code_start = Error::kNoOffset;
  bool after_sections = false;
  Status st = decode_into(*mod, features, code_start, after_sections);
  if (!st) {
    // The reference interpreter decodes every body's instructions while reading
    // the code section, reading past a body that claims too few bytes. An error
    // found after the code section start may therefore hide an earlier one inside
    // a body, which is the one the spec tests expect.
    if (code_start != Error::kNoOffset && (after_sections || st.error().offset >= code_start)) {
      for (const FunctionBody& b : mod->bodies) {
        if (auto e = skim_instructions(*mod, b.code.offset, features)) return std::move(*e);
      }
    }
    return std::move(st).error();
  }
  return std::shared_ptr<const Module>(std::move(mod));
}

}  // namespace wasmrun
