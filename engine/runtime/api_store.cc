// Store and the handles into it: Func, Memory, Table, Global, Instance, Caller.
#include <cstring>

#include "engine/interp/interp.h"
#include "engine/runtime/objects.h"

namespace wasmrun::rt {

FuncInst* StoreImpl::new_host_func(const FuncType& type, HostFunc fn) {
  FuncInst& f = funcs.emplace_back();
  f.host_type = type;
  f.type = &f.host_type;
  f.type_id = engine->types.intern_func_type(type);
  f.store = this;
  f.host = std::move(fn);
  return &f;
}

}  // namespace wasmrun::rt

namespace wasmrun::api {
namespace {
uint32_t slots_of(const std::vector<ValType>& ts) {
  uint32_t n = 0;
  for (const ValType& t : ts) n += t.kind == ValKind::V128 ? 2 : 1;
  return n;
}
}  // namespace

Store::Store(const Engine& engine) : impl_(std::make_unique<rt::StoreImpl>()) {
  impl_->engine = engine.shared_impl();
  impl_->engine_handle = engine;
  impl_->owner = this;
}
Store::~Store() = default;
const Engine& Store::engine() const { return impl_->engine_handle; }
void Store::set_data(std::shared_ptr<void> data) { impl_->user_data = std::move(data); }
void* Store::data() const { return impl_->user_data.get(); }

void Store::collect_garbage() {
  if (impl_->heap) impl_->heap->collect();
}

Store::GcStats Store::gc_stats() const {
  GcStats out;
  out.heap_limit = impl_->engine->config.gc_heap_limit;
  if (!impl_->heap) return out;
  // Exception objects are the heap's only objects whose Rtt is not a wasm
  // type; the recycled ones waiting for reuse do not count.
  out.exception_objects = impl_->heap->count_objects([](const gc::Rtt* r) {
    return r->canonical_id == gc::kNoCanonicalId;
  }) - impl_->free_exns.size();
  gc::HeapStats h = impl_->heap->stats();
  out.live_bytes = h.live_bytes_after_last_gc;
  out.used_bytes = h.used_bytes;
  out.used_objects = h.used_objects;
  out.heap_bytes = h.mapped_bytes;
  out.collections = h.collections;
  out.allocated_bytes = h.allocated_bytes;
  out.allocated_objects = h.allocated_objects;
  out.total_pause_ns = h.total_pause_ns;
  return out;
}

// ---- Func ----
Func Func::create(Store& store, const FuncType& type, HostFunc fn) {
  return Func(store.impl()->new_host_func(type, std::move(fn)));
}
const FuncType& Func::type() const { return *f_->type; }

Result<std::vector<Value>> Func::call(std::span<const Value> args) const {
  if (!f_) return Error(ErrorKind::Usage, "call of a null function");
  const FuncType& t = *f_->type;
  if (args.size() != t.params.size())
    return Error(ErrorKind::Usage, "wrong number of arguments: expected " +
                                       std::to_string(t.params.size()) + ", got " +
                                       std::to_string(args.size()));
  std::vector<uint64_t> in(slots_of(t.params) + 1), out(slots_of(t.results) + 1);
  uint32_t k = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type().kind != t.params[i].kind)
      return Error(ErrorKind::Usage, "argument " + std::to_string(i) + " has type " +
                                         wasmrun::to_string(args[i].type()) + ", expected " +
                                         wasmrun::to_string(t.params[i]));
    args[i].to_raw(in.data() + k);
    k += t.params[i].kind == ValKind::V128 ? 2 : 1;
  }
  Status s = rt::invoke_tiered(f_, in.data(), out.data());
  if (!s.ok()) return std::move(s).error();
  std::vector<Value> results;
  k = 0;
  for (const ValType& r : t.results) {
    results.push_back(Value::from_raw(r, out.data() + k, *f_->store));
    k += r.kind == ValKind::V128 ? 2 : 1;
  }
  return results;
}

namespace detail {
Status check_signature(const Func& f, const FuncType& expected) {
  if (!f.valid()) return Error(ErrorKind::Usage, "call of a null function");
  const FuncType& t = f.type();
  auto same = [](const std::vector<ValType>& a, const std::vector<ValType>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i].kind != b[i].kind) return false;
    return true;
  };
  if (!same(t.params, expected.params) || !same(t.results, expected.results))
    return Error(ErrorKind::Usage, "typed call signature does not match the function type");
  return {};
}
}  // namespace detail

// ---- Memory ----
Result<Memory> Memory::create(Store& store, const MemoryType& type) {
  rt::MemoryInst& m = store.impl()->memories.emplace_back();
  if (!m.init(type)) return Error(ErrorKind::Exhaustion, "cannot allocate memory");
  return Memory(&m);
}
MemoryType Memory::type() const { return m_->type; }
uint8_t* Memory::data() const { return m_->base; }
uint64_t Memory::size_bytes() const { return m_->size; }
uint64_t Memory::size_pages() const { return m_->pages(); }
int64_t Memory::grow(uint64_t delta) const { return m_->grow(delta); }
Status Memory::read(uint64_t offset, void* out, size_t n) const {
  if (offset > m_->size || n > m_->size - offset)
    return Error(ErrorKind::Trap, "out of bounds memory access");
  std::memcpy(out, m_->base + offset, n);
  return {};
}
Status Memory::write(uint64_t offset, const void* in, size_t n) const {
  if (offset > m_->size || n > m_->size - offset)
    return Error(ErrorKind::Trap, "out of bounds memory access");
  std::memcpy(m_->base + offset, in, n);
  return {};
}

// ---- Table ----
Result<Table> Table::create(Store& store, const TableType& type, const Value& init) {
  rt::TableInst& t = store.impl()->tables.emplace_back();
  t.store = store.impl();
  if (!t.init(type, init.raw())) return Error(ErrorKind::Exhaustion, "table too large");
  return Table(&t);
}
TableType Table::type() const { return t_->type; }
uint64_t Table::size() const { return t_->size; }
Result<Value> Table::get(uint64_t index) const {
  if (index >= t_->size) return Error(ErrorKind::Trap, "out of bounds table access");
  uint64_t raw = t_->data[index];
  return t_->store ? Value::from_raw(t_->type.elem, &raw, *t_->store)
                   : Value::from_raw(t_->type.elem, &raw);
}
Status Table::set(uint64_t index, const Value& v) const {
  if (index >= t_->size) return Error(ErrorKind::Trap, "out of bounds table access");
  if (!v.is_ref()) return Error(ErrorKind::Usage, "table element must be a reference");
  t_->data[index] = v.raw();
  return {};
}
int64_t Table::grow(uint64_t delta, const Value& init) const { return t_->grow(delta, init.raw()); }

// ---- Global ----
Result<Global> Global::create(Store& store, const GlobalType& type, const Value& init) {
  if (init.type().kind != type.type.kind)
    return Error(ErrorKind::Usage, "global initializer has the wrong type");
  rt::GlobalInst& g = store.impl()->globals.emplace_back();
  g.store = store.impl();
  g.type = type;
  init.to_raw(g.value);
  return Global(&g);
}
GlobalType Global::type() const { return g_->type; }
Value Global::get() const {
  return g_->store ? Value::from_raw(g_->type.type, g_->value, *g_->store)
                   : Value::from_raw(g_->type.type, g_->value);
}
Status Global::set(const Value& v) const {
  if (!g_->type.mut) return Error(ErrorKind::Usage, "global is immutable");
  if (v.type().kind != g_->type.type.kind)
    return Error(ErrorKind::Usage, "value has the wrong type for this global");
  v.to_raw(g_->value);
  return {};
}

ExternType Extern::type() const {
  ExternType t;
  t.kind = kind;
  switch (kind) {
    case ExternKind::Func: t.func = func.type(); break;
    case ExternKind::Table: t.table = table.type(); break;
    case ExternKind::Memory: t.memory = memory.type(); break;
    case ExternKind::Global: t.global = global.type(); break;
    case ExternKind::Tag: t.func = tag.type(); break;
  }
  return t;
}

// ---- Tag ----
Tag Tag::create(Store& store, const FuncType& type) {
  rt::TagInst& t = store.impl()->tags.emplace_back();
  t.type = type;
  t.type_id = store.impl()->engine->types.intern_func_type(type);
  return Tag(&t);
}
const FuncType& Tag::type() const { return t_->type; }

// ---- Instance ----
namespace {
Extern export_of(rt::InstanceInst* i, const Export& e) {
  switch (e.kind) {
    case ExternKind::Func: return Extern::of(Func(i->funcs[e.index]));
    case ExternKind::Table: return Extern::of(Table(i->tables[e.index]));
    case ExternKind::Memory: return Extern::of(Memory(i->memories[e.index]));
    case ExternKind::Global: return Extern::of(Global(i->globals[e.index]));
    case ExternKind::Tag: return Extern::of(Tag(i->tags[e.index]));
  }
  return Extern{};
}
}  // namespace

std::optional<Extern> Instance::get_export(std::string_view name) const {
  if (!i_) return std::nullopt;
  for (const Export& e : i_->m().exports)
    if (e.name == name) return export_of(i_, e);
  return std::nullopt;
}
std::optional<Func> Instance::func(std::string_view name) const {
  auto e = get_export(name);
  if (!e || e->kind != ExternKind::Func) return std::nullopt;
  return e->func;
}
std::optional<Memory> Instance::memory(std::string_view name) const {
  auto e = get_export(name);
  if (!e || e->kind != ExternKind::Memory) return std::nullopt;
  return e->memory;
}
std::optional<Table> Instance::table(std::string_view name) const {
  auto e = get_export(name);
  if (!e || e->kind != ExternKind::Table) return std::nullopt;
  return e->table;
}
std::optional<Global> Instance::global(std::string_view name) const {
  auto e = get_export(name);
  if (!e || e->kind != ExternKind::Global) return std::nullopt;
  return e->global;
}
std::vector<std::pair<std::string, Extern>> Instance::exports() const {
  std::vector<std::pair<std::string, Extern>> out;
  if (!i_) return out;
  for (const Export& e : i_->m().exports) out.emplace_back(e.name, export_of(i_, e));
  return out;
}
std::optional<Memory> Instance::memory_at(uint32_t index) const {
  if (!i_ || index >= i_->memories.size()) return std::nullopt;
  return Memory(i_->memories[index]);
}

std::optional<Memory> Caller::memory(std::string_view name) const {
  return Instance(instance_).memory(name);
}

}  // namespace wasmrun::api
