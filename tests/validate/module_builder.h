// A tiny binary-module builder for hand-written validator tests: sections are
// lists of already-encoded entries, so a test spells out exactly the bytes of
// the construct it exercises and nothing else.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

namespace wasmrun::testing {

using Bytes = std::vector<uint8_t>;

inline Bytes leb(uint64_t v) {
  Bytes b;
  do {
    uint8_t byte = v & 0x7F;
    v >>= 7;
    if (v) byte |= 0x80;
    b.push_back(byte);
  } while (v);
  return b;
}

inline Bytes sleb(int64_t v) {
  Bytes b;
  for (;;) {
    uint8_t byte = v & 0x7F;
    v >>= 7;
    bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
    if (!done) byte |= 0x80;
    b.push_back(byte);
    if (done) return b;
  }
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes vec(const std::vector<Bytes>& items) {
  Bytes out = leb(items.size());
  for (const Bytes& i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

// Value type bytes.
inline constexpr uint8_t I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C, V128 = 0x7B;
inline constexpr uint8_t FUNCREF = 0x70, EXTERNREF = 0x6F, ANYREF = 0x6E, EQREF = 0x6D,
                         EXNREF = 0x69;
/// (ref null $i) / (ref $i) with a type index, or an abstract heap type byte.
inline Bytes ref_null(uint32_t i) { return cat({{0x63}, leb(i)}); }
inline Bytes ref(uint32_t i) { return cat({{0x64}, leb(i)}); }
inline Bytes ref_abs(uint8_t heap, bool nullable) {
  return {nullable ? uint8_t{0x63} : uint8_t{0x64}, heap};
}

inline Bytes func_type(const std::vector<Bytes>& params, const std::vector<Bytes>& results) {
  return cat({{0x60}, vec(params), vec(results)});
}
inline Bytes struct_type(const std::vector<Bytes>& fields) { return cat({{0x5F}, vec(fields)}); }
inline Bytes array_type(const Bytes& field) { return cat({{0x5E}, field}); }
/// A field: storage type bytes then mutability.
inline Bytes field(const Bytes& storage, bool mut) {
  return cat({storage, {uint8_t(mut ? 1 : 0)}});
}
inline Bytes sub(std::optional<uint32_t> super, bool final, const Bytes& comp) {
  Bytes s = {final ? uint8_t{0x4F} : uint8_t{0x50}};
  s = cat({s, super ? cat({leb(1), leb(*super)}) : leb(0), comp});
  return s;
}
inline Bytes rec(const std::vector<Bytes>& types) { return cat({{0x4E}, vec(types)}); }

struct ModuleBuilder {
  std::vector<Bytes> types, imports, tables, memories, tags, globals, exports, elems, datas;
  std::vector<uint32_t> funcs;
  std::vector<Bytes> codes;  ///< each: locals vector + instructions (size is added)
  std::optional<uint32_t> start, data_count;

  /// Adds a function of type `type` with `locals` (already a vec) and `code`
  /// (instructions including the final end); returns its defined index.
  uint32_t func(uint32_t type, const Bytes& code, const Bytes& locals = {0x00}) {
    funcs.push_back(type);
    codes.push_back(cat({locals, code}));
    return static_cast<uint32_t>(funcs.size() - 1);
  }

  Bytes build() const {
    Bytes out = {0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00};
    auto section = [&](uint8_t id, const Bytes& payload) {
      out.push_back(id);
      Bytes n = leb(payload.size());
      out.insert(out.end(), n.begin(), n.end());
      out.insert(out.end(), payload.begin(), payload.end());
    };
    if (!types.empty()) section(1, vec(types));
    if (!imports.empty()) section(2, vec(imports));
    if (!funcs.empty()) {
      std::vector<Bytes> f;
      for (uint32_t t : funcs) f.push_back(leb(t));
      section(3, vec(f));
    }
    if (!tables.empty()) section(4, vec(tables));
    if (!memories.empty()) section(5, vec(memories));
    if (!tags.empty()) section(13, vec(tags));
    if (!globals.empty()) section(6, vec(globals));
    if (!exports.empty()) section(7, vec(exports));
    if (start) section(8, leb(*start));
    if (!elems.empty()) section(9, vec(elems));
    if (data_count) section(12, leb(*data_count));
    if (!codes.empty()) {
      std::vector<Bytes> c;
      for (const Bytes& b : codes) c.push_back(cat({leb(b.size()), b}));
      section(10, vec(c));
    }
    if (!datas.empty()) section(11, vec(datas));
    return out;
  }
};

}  // namespace wasmrun::testing
