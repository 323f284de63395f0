#include "engine/runtime/type_registry.h"

namespace wasmrun::rt {
namespace {

// Key encoding helpers. The key only needs to be injective, not readable.
void put_u32(std::string& k, uint32_t v) { k.append(reinterpret_cast<const char*>(&v), 4); }

void put_heap(std::string& k, const HeapType& h, const RecGroup& g,
              const std::vector<uint32_t>& ids) {
  if (h.is_abstract()) {
    k.push_back('A');
    k.push_back(static_cast<char>(h.abs));
  } else if (h.index >= g.first && h.index < g.first + g.count) {
    k.push_back('L');
    put_u32(k, h.index - g.first);
  } else {
    k.push_back('G');
    put_u32(k, h.index < ids.size() ? ids[h.index] : ~0u);
  }
}

void put_val(std::string& k, const ValType& t, const RecGroup& g,
             const std::vector<uint32_t>& ids) {
  k.push_back(static_cast<char>(t.kind));
  if (t.is_ref()) {
    k.push_back(t.nullable ? 'n' : 'N');
    put_heap(k, t.heap, g, ids);
  }
}

void put_sub(std::string& k, const SubType& s, const RecGroup& g,
             const std::vector<uint32_t>& ids) {
  k.push_back(s.final ? 'F' : 'O');
  if (s.super) {
    k.push_back('S');
    put_heap(k, HeapType::type_index(*s.super), g, ids);
  } else {
    k.push_back('-');
  }
  const CompositeType& c = s.comp;
  k.push_back(static_cast<char>(c.kind));
  switch (c.kind) {
    case CompositeType::Kind::Func:
      put_u32(k, static_cast<uint32_t>(c.func.params.size()));
      for (const ValType& t : c.func.params) put_val(k, t, g, ids);
      put_u32(k, static_cast<uint32_t>(c.func.results.size()));
      for (const ValType& t : c.func.results) put_val(k, t, g, ids);
      break;
    case CompositeType::Kind::Struct:
      put_u32(k, static_cast<uint32_t>(c.struct_.fields.size()));
      for (const FieldType& f : c.struct_.fields) {
        put_val(k, f.type, g, ids);
        k.push_back(f.mut ? 'm' : 'c');
      }
      break;
    case CompositeType::Kind::Array:
      put_val(k, c.array.field.type, g, ids);
      k.push_back(c.array.field.mut ? 'm' : 'c');
      break;
  }
}

HeapType canon_heap(const HeapType& h, const std::vector<uint32_t>& ids) {
  if (!h.is_index() || h.index >= ids.size()) return h;
  return HeapType::type_index(ids[h.index]);
}

SubType canonical_sub(const SubType& s, const std::vector<uint32_t>& ids) {
  SubType out = s;
  if (s.super && *s.super < ids.size()) out.super = ids[*s.super];
  switch (s.comp.kind) {
    case CompositeType::Kind::Func: out.comp.func = canonical_func_type(s.comp.func, ids); break;
    case CompositeType::Kind::Struct:
      for (FieldType& f : out.comp.struct_.fields) f.type = canonical_val_type(f.type, ids);
      break;
    case CompositeType::Kind::Array:
      out.comp.array.field.type = canonical_val_type(s.comp.array.field.type, ids);
      break;
  }
  return out;
}

}  // namespace

ValType canonical_val_type(const ValType& t, const std::vector<uint32_t>& ids) {
  ValType out = t;
  if (t.is_ref()) out.heap = canon_heap(t.heap, ids);
  return out;
}

FuncType canonical_func_type(const FuncType& t, const std::vector<uint32_t>& ids) {
  FuncType out;
  for (const ValType& v : t.params) out.params.push_back(canonical_val_type(v, ids));
  for (const ValType& v : t.results) out.results.push_back(canonical_val_type(v, ids));
  return out;
}

std::vector<uint32_t> TypeRegistry::intern_module(const Module& m) {
  std::lock_guard lock(mu_);
  std::vector<uint32_t> ids(m.types.size(), ~0u);
  for (const RecGroup& g : m.rec_groups) {
    std::string key;
    put_u32(key, g.count);
    for (uint32_t i = 0; i < g.count; ++i) put_sub(key, m.types[g.first + i], g, ids);
    auto it = groups_.find(key);
    uint32_t first;
    if (it != groups_.end()) {
      first = it->second;
      for (uint32_t i = 0; i < g.count; ++i) ids[g.first + i] = first + i;
    } else {
      first = static_cast<uint32_t>(types_.size());
      for (uint32_t i = 0; i < g.count; ++i) ids[g.first + i] = first + i;
      for (uint32_t i = 0; i < g.count; ++i)
        types_.push_back(canonical_sub(m.types[g.first + i], ids));
      groups_.emplace(std::move(key), first);
    }
  }
  return ids;
}

uint32_t TypeRegistry::intern_func_type(const FuncType& t) {
  // A host function type is a singleton final group; its concrete heap types are
  // already engine ids, which the 'G' encoding writes through an identity map.
  std::lock_guard lock(mu_);
  SubType s;
  s.comp.kind = CompositeType::Kind::Func;
  s.comp.func = t;
  std::string key;
  put_u32(key, 1);
  {
    key.push_back('F');
    key.push_back('-');
    key.push_back(static_cast<char>(CompositeType::Kind::Func));
    auto put = [&](const ValType& v) {
      key.push_back(static_cast<char>(v.kind));
      if (v.is_ref()) {
        key.push_back(v.nullable ? 'n' : 'N');
        if (v.heap.is_abstract()) {
          key.push_back('A');
          key.push_back(static_cast<char>(v.heap.abs));
        } else {
          key.push_back('G');
          put_u32(key, v.heap.index);
        }
      }
    };
    put_u32(key, static_cast<uint32_t>(t.params.size()));
    for (const ValType& v : t.params) put(v);
    put_u32(key, static_cast<uint32_t>(t.results.size()));
    for (const ValType& v : t.results) put(v);
  }
  auto it = groups_.find(key);
  if (it != groups_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(types_.size());
  types_.push_back(s);
  groups_.emplace(std::move(key), id);
  return id;
}

bool TypeRegistry::is_subtype(uint32_t sub, uint32_t super) const {
  std::lock_guard lock(mu_);
  for (uint32_t id = sub;;) {
    if (id == super) return true;
    if (id >= types_.size() || !types_[id].super) return false;
    id = *types_[id].super;
  }
}

const SubType& TypeRegistry::type(uint32_t id) const {
  std::lock_guard lock(mu_);
  return types_[id];
}

bool TypeRegistry::heap_subtype(const HeapType& a, const HeapType& b) const {
  if (a.kind == HeapType::Kind::Bot) return true;
  if (b.is_index()) {
    if (a.is_index()) return is_subtype(a.index, b.index);
    // Only the bottom of b's hierarchy is below a concrete type.
    CompositeType::Kind k = type(b.index).comp.kind;
    if (k == CompositeType::Kind::Func) return a.abs == AbsHeap::NoFunc;
    return a.abs == AbsHeap::None;
  }
  AbsHeap top = b.abs;
  if (a.is_index()) {
    CompositeType::Kind k = type(a.index).comp.kind;
    switch (k) {
      case CompositeType::Kind::Func: return top == AbsHeap::Func;
      case CompositeType::Kind::Struct:
        return top == AbsHeap::Struct || top == AbsHeap::Eq || top == AbsHeap::Any;
      case CompositeType::Kind::Array:
        return top == AbsHeap::Array || top == AbsHeap::Eq || top == AbsHeap::Any;
    }
    return false;
  }
  AbsHeap x = a.abs;
  if (x == top) return true;
  switch (x) {
    case AbsHeap::NoFunc: return top == AbsHeap::Func;
    case AbsHeap::NoExtern: return top == AbsHeap::Extern;
    case AbsHeap::NoExn: return top == AbsHeap::Exn;
    case AbsHeap::None:
      return top == AbsHeap::Any || top == AbsHeap::Eq || top == AbsHeap::I31 ||
             top == AbsHeap::Struct || top == AbsHeap::Array;
    case AbsHeap::I31:
    case AbsHeap::Struct:
    case AbsHeap::Array: return top == AbsHeap::Eq || top == AbsHeap::Any;
    case AbsHeap::Eq: return top == AbsHeap::Any;
    default: return false;
  }
}

bool TypeRegistry::val_subtype(const ValType& a, const ValType& b) const {
  if (a.kind == ValKind::Bot) return true;
  if (a.kind != b.kind) return false;
  if (!a.is_ref()) return true;
  if (a.nullable && !b.nullable) return false;
  return heap_subtype(a.heap, b.heap);
}

}  // namespace wasmrun::rt
