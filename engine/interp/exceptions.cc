#include "engine/interp/exceptions.h"

#include <cstring>

#include "engine/runtime/objects.h"

namespace wasmrun::interp {

rt::ExnInst* new_exception(rt::StoreImpl& store, const rt::TagInst* tag, const uint64_t* payload,
                           uint32_t num_slots) {
  const gc::Rtt* rtt = tag->exn_rtt;
  if (!rtt) {
    rtt = store.engine->exception_rtt(tag->type_id);
    const_cast<rt::TagInst*>(tag)->exn_rtt = rtt;
  }
  rt::ExnInst* e;
  // A recycled exception was allocated since the last collection (each one
  // empties the free list), so it is young: rewriting its payload needs no
  // write barrier even in generational mode.
  if (!store.free_exns.empty() && store.free_exns.back()->header.rtt == rtt) {
    e = store.free_exns.back();
    store.free_exns.pop_back();
  } else {
    gc::Object* o = store.gc_heap().try_alloc_struct(*rtt);
    if (!o) return nullptr;
    e = reinterpret_cast<rt::ExnInst*>(o);
    e->store = &store;
    e->num_slots = num_slots;
  }
  e->tag = tag;
  e->escaped = 0;
  if (num_slots) std::memcpy(e->payload(), payload, num_slots * sizeof(uint64_t));
  return e;
}

int64_t catch_exception(const Code& code, uint32_t pos, const rt::InstanceInst& inst,
                        rt::ExnInst* exn, uint64_t* fp) {
  // Regions are in bytecode order of their try, and covering regions nest, so the
  // innermost region covering `pos` is the last one.
  int32_t r = -1;
  for (size_t i = code.exn_regions.size(); i-- > 0;) {
    const ExnRegion& reg = code.exn_regions[i];
    if (reg.start <= pos && pos < reg.end) {
      r = static_cast<int32_t>(i);
      break;
    }
  }
  while (r >= 0) {
    const ExnRegion& reg = code.exn_regions[static_cast<size_t>(r)];
    for (uint32_t k = 0; k < reg.num_catches; ++k) {
      const ExnCatch& c = code.exn_catches[reg.first_catch + k];
      bool all = c.kind == ExnCatch::CatchAll || c.kind == ExnCatch::CatchAllRef;
      if (!deliver_exception(exn, c.kind, all ? nullptr : inst.tags[c.tag], fp + c.dst)) continue;
      if (reg.exn_slot >= 0) {
        fp[reg.exn_slot] = reinterpret_cast<uint64_t>(exn);
        exn->escaped = 1;
      }
      // Nothing can reach an exception that never escaped once its payload is
      // delivered: recycle it at once, so a throw/catch loop reuses one object
      // instead of leaving garbage to the collector. Its payload slots keep
      // their values until the next throw overwrites them, but the free list
      // is not a root, so they keep nothing alive.
      if (!exn->escaped) exn->store->free_exns.push_back(exn);
      return c.target;
    }
    r = reg.next;
  }
  return -1;
}

bool deliver_exception(rt::ExnInst* exn, ExnCatch::Kind kind, const rt::TagInst* tag,
                       uint64_t* dst) {
  bool all = kind == ExnCatch::CatchAll || kind == ExnCatch::CatchAllRef;
  if (!all && tag != exn->tag) return false;
  size_t n = 0;
  if (!all) {
    n = exn->num_slots;
    if (n) std::memcpy(dst, exn->payload(), n * sizeof(uint64_t));
  }
  if (kind == ExnCatch::CatchRef || kind == ExnCatch::CatchAllRef) {
    dst[n] = reinterpret_cast<uint64_t>(exn);
    exn->escaped = 1;
  }
  return true;
}

Error exception_error(rt::ExnInst* exn) {
  exn->escaped = 1;
  rt::StoreImpl& store = *exn->store;
  const FuncType& t = exn->tag->type;
  // Rooted Values: the exception object (which keeps its payload alive) and
  // the payload's references, valid while the Error travels through host code
  // that may allocate (and collect) before it hands the Error on.
  uint64_t bits = reinterpret_cast<uint64_t>(exn);
  api::Value ref =
      api::Value::from_raw(ValType::ref(HeapType::abstract(AbsHeap::Exn), true), &bits, store);
  std::vector<api::Value> values;
  values.reserve(t.params.size());
  size_t k = 0;
  for (const ValType& p : t.params) {
    values.push_back(api::Value::from_raw(p, exn->payload() + k, store));
    k += p.kind == ValKind::V128 ? 2 : 1;
  }
  Error e(ErrorKind::Exception, "uncaught exception");
  e.exception = std::make_shared<const api::Exception>(api::Tag(const_cast<rt::TagInst*>(exn->tag)),
                                                       std::move(values), std::move(ref));
  return e;
}

rt::ExnInst* exception_of(const Error& e) {
  if (e.kind != ErrorKind::Exception || !e.exception) return nullptr;
  return e.exception->get();
}

}  // namespace wasmrun::interp

namespace wasmrun::api {

Error Exception::error(Store& store, Tag tag, std::span<const Value> payload) {
  if (!tag.valid()) return Error(ErrorKind::Usage, "exception with an invalid tag");
  const FuncType& t = tag.type();
  if (payload.size() != t.params.size())
    return Error(ErrorKind::Usage, "exception payload does not match the tag's type");
  std::vector<uint64_t> slots;
  for (size_t i = 0; i < payload.size(); ++i) {
    if (payload[i].type().kind != t.params[i].kind)
      return Error(ErrorKind::Usage, "exception payload does not match the tag's type");
    uint64_t raw[2] = {0, 0};
    payload[i].to_raw(raw);
    slots.push_back(raw[0]);
    if (t.params[i].kind == ValKind::V128) slots.push_back(raw[1]);
  }
  // `payload` (rooted Values) keeps the references in `slots` alive if this
  // allocation collects.
  rt::ExnInst* exn = interp::new_exception(*store.impl(), tag.get(), slots.data(),
                                           static_cast<uint32_t>(slots.size()));
  if (!exn) return Error(ErrorKind::Exhaustion, "out of GC heap memory for an exception");
  return interp::exception_error(exn);
}

}  // namespace wasmrun::api
