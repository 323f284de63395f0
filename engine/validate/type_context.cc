#include "engine/validate/type_context.h"

#include <string>
#include <unordered_map>

namespace wasmrun {

namespace {

bool abs_sub(AbsHeap a, AbsHeap b) {
  if (a == b) return true;
  switch (a) {
    case AbsHeap::None:
      return b == AbsHeap::I31 || b == AbsHeap::Struct || b == AbsHeap::Array || b == AbsHeap::Eq ||
             b == AbsHeap::Any;
    case AbsHeap::I31:
    case AbsHeap::Struct:
    case AbsHeap::Array: return b == AbsHeap::Eq || b == AbsHeap::Any;
    case AbsHeap::Eq: return b == AbsHeap::Any;
    case AbsHeap::NoFunc: return b == AbsHeap::Func;
    case AbsHeap::NoExtern: return b == AbsHeap::Extern;
    case AbsHeap::NoExn: return b == AbsHeap::Exn;
    default: return false;
  }
}

// Appends a canonical encoding of a value type to `key`. Indices inside the
// current rec group are written relative to it, others as canonical ids of
// earlier groups, which is exactly iso-recursive equivalence.
void encode_heap(std::string& key, const HeapType& h, uint32_t group_first, uint32_t group_end,
                 const std::vector<uint32_t>& canon) {
  if (!h.is_index()) {
    key.push_back('a');
    key.push_back(static_cast<char>(h.abs));
    return;
  }
  uint32_t v;
  if (h.index >= group_first && h.index < group_end) {
    key.push_back('r');
    v = h.index - group_first;
  } else {
    key.push_back('c');
    v = canon[h.index];
  }
  key.append(reinterpret_cast<const char*>(&v), 4);
}

void encode_val(std::string& key, const ValType& t, uint32_t gf, uint32_t ge,
                const std::vector<uint32_t>& canon) {
  key.push_back(static_cast<char>(t.kind));
  if (t.kind == ValKind::Ref) {
    key.push_back(t.nullable ? 'n' : 'x');
    encode_heap(key, t.heap, gf, ge, canon);
  }
}

// Where type i's entry starts, for errors (a Module built in code may lack it).
size_t type_offset(const Module& m, uint32_t i) {
  if (i >= m.type_offsets.size() || m.type_offsets[i] == kNoEntryOffset) return Error::kNoOffset;
  return m.type_offsets[i];
}

void put_count(std::string& key, size_t n) {
  uint32_t v = static_cast<uint32_t>(n);
  key.append(reinterpret_cast<const char*>(&v), 4);
}

}  // namespace

AbsHeap TypeContext::top_of(const HeapType& h) const {
  if (h.is_index()) {
    if (h.index >= m_.types.size()) return AbsHeap::Any;
    return m_.types[h.index].comp.kind == CompositeType::Kind::Func ? AbsHeap::Func : AbsHeap::Any;
  }
  switch (h.abs) {
    case AbsHeap::Func:
    case AbsHeap::NoFunc: return AbsHeap::Func;
    case AbsHeap::Extern:
    case AbsHeap::NoExtern: return AbsHeap::Extern;
    case AbsHeap::Exn:
    case AbsHeap::NoExn: return AbsHeap::Exn;
    default: return AbsHeap::Any;
  }
}

bool TypeContext::heap_sub(const HeapType& a, const HeapType& b) const {
  if (a.kind == HeapType::Kind::Bot) return true;
  if (b.kind == HeapType::Kind::Bot) return false;
  if (a.is_index()) {
    if (b.is_index()) {
      uint32_t target = canon_[b.index];
      uint32_t cur = a.index;
      // Walk the declared supertype chain; supertypes precede their subtypes,
      // so the walk terminates.
      for (;;) {
        if (canon_[cur] == target) return true;
        const auto& s = m_.types[cur].super;
        if (!s || *s >= cur) return false;
        cur = *s;
      }
    }
    switch (m_.types[a.index].comp.kind) {
      case CompositeType::Kind::Func: return b.abs == AbsHeap::Func;
      case CompositeType::Kind::Struct:
        return b.abs == AbsHeap::Struct || b.abs == AbsHeap::Eq || b.abs == AbsHeap::Any;
      case CompositeType::Kind::Array:
        return b.abs == AbsHeap::Array || b.abs == AbsHeap::Eq || b.abs == AbsHeap::Any;
    }
    return false;
  }
  if (b.is_index()) {
    if (m_.types[b.index].comp.kind == CompositeType::Kind::Func) return a.abs == AbsHeap::NoFunc;
    return a.abs == AbsHeap::None;
  }
  return abs_sub(a.abs, b.abs);
}

bool TypeContext::field_sub(const FieldType& a, const FieldType& b) const {
  if (a.mut != b.mut) return false;
  if (a.type.is_packed() || b.type.is_packed()) return a.type.kind == b.type.kind;
  if (a.mut) return sub(a.type, b.type) && sub(b.type, a.type);
  return sub(a.type, b.type);
}

bool TypeContext::comp_sub(const CompositeType& a, const CompositeType& b) const {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case CompositeType::Kind::Func: {
      const FuncType &fa = a.func, &fb = b.func;
      if (fa.params.size() != fb.params.size() || fa.results.size() != fb.results.size())
        return false;
      for (size_t i = 0; i < fa.params.size(); ++i)
        if (!sub(fb.params[i], fa.params[i])) return false;
      for (size_t i = 0; i < fa.results.size(); ++i)
        if (!sub(fa.results[i], fb.results[i])) return false;
      return true;
    }
    case CompositeType::Kind::Struct: {
      const auto &sa = a.struct_.fields, &sb = b.struct_.fields;
      if (sa.size() < sb.size()) return false;
      for (size_t i = 0; i < sb.size(); ++i)
        if (!field_sub(sa[i], sb[i])) return false;
      return true;
    }
    case CompositeType::Kind::Array: return field_sub(a.array.field, b.array.field);
  }
  return false;
}

Status TypeContext::check_and_canonicalize() {
  const auto& types = m_.types;
  canon_.assign(types.size(), 0);
  std::unordered_map<std::string, uint32_t> groups;
  std::string key;
  for (const RecGroup& g : m_.rec_groups) {
    uint32_t ge = g.first + g.count;
    // Every index a type mentions must be defined by the end of its group.
    auto bad = [&](const ValType& t) {
      return t.is_ref() && t.heap.is_index() && t.heap.index >= ge;
    };
    for (uint32_t i = g.first; i < ge; ++i) {
      const SubType& st = types[i];
      if (st.super && *st.super >= i)
        return Error(ErrorKind::Invalid, "unknown type " + std::to_string(*st.super),
                     type_offset(m_, i));
      const CompositeType& c = st.comp;
      bool oob = false;
      switch (c.kind) {
        case CompositeType::Kind::Func:
          for (auto& t : c.func.params) oob |= bad(t);
          for (auto& t : c.func.results) oob |= bad(t);
          break;
        case CompositeType::Kind::Struct:
          for (auto& f : c.struct_.fields) oob |= bad(f.type);
          break;
        case CompositeType::Kind::Array: oob = bad(c.array.field.type); break;
      }
      if (oob) return Error(ErrorKind::Invalid, "unknown type", type_offset(m_, i));
    }
    key.clear();
    for (uint32_t i = g.first; i < ge; ++i) {
      const SubType& st = types[i];
      key.push_back(st.final ? 'F' : 'O');
      if (st.super) {
        encode_heap(key, HeapType::type_index(*st.super), g.first, ge, canon_);
      } else {
        key.push_back('-');
      }
      const CompositeType& c = st.comp;
      key.push_back(static_cast<char>(c.kind));
      switch (c.kind) {
        case CompositeType::Kind::Func:
          put_count(key, c.func.params.size());
          for (auto& t : c.func.params) encode_val(key, t, g.first, ge, canon_);
          put_count(key, c.func.results.size());
          for (auto& t : c.func.results) encode_val(key, t, g.first, ge, canon_);
          break;
        case CompositeType::Kind::Struct:
          put_count(key, c.struct_.fields.size());
          for (auto& f : c.struct_.fields) {
            key.push_back(f.mut ? 'm' : 'c');
            encode_val(key, f.type, g.first, ge, canon_);
          }
          break;
        case CompositeType::Kind::Array:
          key.push_back(c.array.field.mut ? 'm' : 'c');
          encode_val(key, c.array.field.type, g.first, ge, canon_);
          break;
      }
      key.push_back(';');
    }
    auto [it, inserted] = groups.emplace(key, g.first);
    for (uint32_t i = 0; i < g.count; ++i) canon_[g.first + i] = it->second + i;
  }
  // Declared supertypes: must be non-final and the composite types must match.
  for (uint32_t i = 0; i < types.size(); ++i) {
    const SubType& st = types[i];
    if (!st.super) continue;
    const SubType& sup = types[*st.super];
    if (sup.final || !comp_sub(st.comp, sup.comp))
      return Error(ErrorKind::Invalid,
                   "sub type " + std::to_string(i) + " does not match super type " +
                       std::to_string(*st.super),
                   type_offset(m_, i));
  }
  return {};
}

}  // namespace wasmrun
