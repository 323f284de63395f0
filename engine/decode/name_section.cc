// The "name" custom section. Tools emit it in many dialects, and a broken one
// must never make a module unusable, so this reader keeps whatever it could read
// and silently stops at the first problem.
#include "engine/decode/sections.h"

namespace wasmrun::decode_detail {

namespace {

void read_name_map(Reader& r, std::map<uint32_t, std::string>& out) {
  uint32_t n = read_count(r);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    uint32_t idx = r.u32();
    std::string name = r.name();
    if (r.ok()) out[idx] = std::move(name);
  }
}

}  // namespace

void read_name_section(const uint8_t* begin, const uint8_t* end, size_t base, Module& m) {
  Reader r(begin, end, base);
  Names names;
  while (r.ok() && !r.at_end()) {
    uint8_t id = r.u8();
    uint32_t size = r.u32();
    if (!r.ok() || size > r.remaining()) break;
    Reader sub(r.pos(), r.pos() + size, r.offset());
    switch (id) {
      case 0: names.module = sub.name(); break;
      case 1: read_name_map(sub, names.functions); break;
      case 2: {
        uint32_t n = read_count(sub);
        for (uint32_t i = 0; i < n && sub.ok(); ++i) {
          uint32_t func = sub.u32();
          read_name_map(sub, names.locals[func]);
        }
        break;
      }
      default: break;  // other subsections (labels, types, fields, ...) are not kept
    }
    r.skip(size);
  }
  m.names = std::move(names);
}

}  // namespace wasmrun::decode_detail
