// Building runtime type descriptors from canonical SubTypes.
#include "gc/rtt.h"

#include <algorithm>
#include <cstddef>

#include "gc/object.h"

namespace wasmrun::gc {

static_assert(offsetof(Rtt, display) == kRttDisplayOffset);
static_assert(offsetof(Rtt, depth) == kRttDepthOffset);
static_assert(offsetof(Rtt, kind) == kRttKindOffset);
static_assert(offsetof(Rtt, instance_size) == kRttInstanceSizeOffset);
static_assert(offsetof(Rtt, elem_size) == kRttElemSizeOffset);

uint32_t storage_size(Storage s) {
  switch (s) {
    case Storage::I8: return 1;
    case Storage::I16: return 2;
    case Storage::I32: return 4;
    case Storage::F32: return 4;
    case Storage::I64: return 8;
    case Storage::F64: return 8;
    case Storage::Ref: return 8;
    case Storage::V128: return 16;
  }
  return 8;
}

Storage storage_of(const ValType& t) {
  switch (t.kind) {
    case ValKind::I8: return Storage::I8;
    case ValKind::I16: return Storage::I16;
    case ValKind::I32: return Storage::I32;
    case ValKind::I64: return Storage::I64;
    case ValKind::F32: return Storage::F32;
    case ValKind::F64: return Storage::F64;
    case ValKind::V128: return Storage::V128;
    case ValKind::Ref: return Storage::Ref;
    case ValKind::Bot: break;
  }
  return Storage::I32;  // Bot never appears in a validated type definition
}

bool is_traced_ref(const ValType& t, const TypeLookup& lookup, bool exn_traced) {
  if (!t.is_ref()) return false;
  const HeapType& h = t.heap;
  if (h.is_index()) return lookup(h.index).comp.kind != CompositeType::Kind::Func;
  if (!h.is_abstract()) return false;
  switch (h.abs) {
    case AbsHeap::Any:
    case AbsHeap::Eq:
    case AbsHeap::Struct:
    case AbsHeap::Array:
    case AbsHeap::Extern: return true;
    case AbsHeap::Exn: return exn_traced;
    default: return false;
  }
}

namespace {

FieldLayout make_field(const FieldType& f, uint32_t offset, const TypeLookup& lookup,
                       bool exn_traced) {
  FieldLayout l;
  l.offset = offset;
  l.storage = storage_of(f.type);
  l.mut = f.mut;
  l.traced = is_traced_ref(f.type, lookup, exn_traced);
  l.type = f.type;
  return l;
}

// Declaration order with natural alignment: a subtype's fields extend its
// supertype's, so every inherited field keeps its offset and code compiled
// against the supertype reads subtype objects correctly.
void layout_struct(Rtt& rtt, const std::vector<FieldType>& fields, const TypeLookup& lookup,
                   bool exn_traced) {
  rtt.kind = RttKind::Struct;
  uint32_t offset = kHeaderSize;
  for (const FieldType& f : fields) {
    const uint32_t size = storage_size(storage_of(f.type));
    offset = (offset + size - 1) & ~(size - 1);
    rtt.fields.push_back(make_field(f, offset, lookup, exn_traced));
    if (rtt.fields.back().traced) rtt.ref_offset_storage.push_back(offset);
    if (size == 16) rtt.align = 16;
    offset += size;
  }
  rtt.instance_size = offset;
  rtt.ref_offsets = rtt.ref_offset_storage.data();
  rtt.num_ref_offsets = static_cast<uint32_t>(rtt.ref_offset_storage.size());
}

void make_root_display(Rtt& rtt) {
  rtt.depth = 0;
  rtt.display_storage.assign(kMinDisplaySize, nullptr);
  rtt.display_storage[0] = &rtt;
  rtt.display = rtt.display_storage.data();
}

}  // namespace

const Rtt* RttRegistry::get(uint32_t id, const TypeLookup& lookup) {
  std::lock_guard<std::mutex> lock(mu_);
  return get_locked(id, lookup);
}

std::vector<const Rtt*> RttRegistry::resolve(const std::vector<uint32_t>& type_ids,
                                             const TypeLookup& lookup) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<const Rtt*> out;
  out.reserve(type_ids.size());
  for (uint32_t id : type_ids) out.push_back(get_locked(id, lookup));
  return out;
}

const Rtt* RttRegistry::get_locked(uint32_t id, const TypeLookup& lookup) {
  if (id < by_id_.size() && by_id_[id]) return by_id_[id].get();
  const SubType& st = lookup(id);
  // A declared supertype always has a smaller canonical id (it is defined
  // earlier, possibly in the same rec group), so this recursion terminates and
  // is as deep as the hierarchy.
  const Rtt* super = st.super ? get_locked(*st.super, lookup) : nullptr;

  auto rtt = std::make_unique<Rtt>();
  rtt->canonical_id = id;
  rtt->final = st.final;
  rtt->depth = super ? super->depth + 1 : 0;
  rtt->display_storage.assign(std::max<uint32_t>(rtt->depth + 1, kMinDisplaySize), nullptr);
  if (super) std::copy_n(super->display, super->depth + 1, rtt->display_storage.begin());
  rtt->display_storage[rtt->depth] = rtt.get();
  rtt->display = rtt->display_storage.data();

  switch (st.comp.kind) {
    case CompositeType::Kind::Func: rtt->kind = RttKind::Func; break;
    case CompositeType::Kind::Struct:
      layout_struct(*rtt, st.comp.struct_.fields, lookup, options_.exceptions_in_heap);
      break;
    case CompositeType::Kind::Array: {
      rtt->kind = RttKind::Array;
      rtt->elem = make_field(st.comp.array.field, kHeaderSize, lookup, options_.exceptions_in_heap);
      rtt->elem_storage = rtt->elem.storage;
      rtt->elem_size = storage_size(rtt->elem.storage);
      rtt->elem_traced = rtt->elem.traced;
      rtt->instance_size = kHeaderSize;
      if (rtt->elem_size == 16) rtt->align = 16;
      break;
    }
  }

  if (id >= by_id_.size()) by_id_.resize(id + 1);
  by_id_[id] = std::move(rtt);
  return by_id_[id].get();
}

const Rtt* RttRegistry::exception_rtt(uint32_t tag_type, const TypeLookup& lookup) {
  std::lock_guard<std::mutex> lock(mu_);
  if (tag_type < exn_by_type_.size() && exn_by_type_[tag_type]) {
    return exn_by_type_[tag_type].get();
  }
  auto rtt = std::make_unique<Rtt>();
  rtt->canonical_id = kNoCanonicalId;
  make_root_display(*rtt);
  rtt->kind = RttKind::Struct;
  // Slot layout, not natural alignment: the runtime copies payloads between
  // operand slots and the package with memcpy (docs/exceptions.md).
  uint32_t offset = kHeaderSize;
  auto add = [&](const ValType& t, uint32_t size) {
    FieldLayout l = make_field(FieldType{t, false}, offset, lookup, options_.exceptions_in_heap);
    if (l.traced) rtt->ref_offset_storage.push_back(offset);
    rtt->fields.push_back(l);
    offset += size;
  };
  for (uint32_t i = 0; i < kExceptionHeaderWords; ++i) add(ValType::i64(), 8);
  for (const ValType& p : lookup(tag_type).comp.func.params)
    add(p, p.kind == ValKind::V128 ? 16 : 8);
  rtt->instance_size = offset;
  rtt->ref_offsets = rtt->ref_offset_storage.data();
  rtt->num_ref_offsets = static_cast<uint32_t>(rtt->ref_offset_storage.size());
  if (tag_type >= exn_by_type_.size()) exn_by_type_.resize(tag_type + 1);
  exn_by_type_[tag_type] = std::move(rtt);
  return exn_by_type_[tag_type].get();
}

}  // namespace wasmrun::gc
