// Linker: named definitions, import resolution, and the spec tests' `spectest` module.
#include <cinttypes>
#include <cstdio>
#include <map>

#include "engine/runtime/instantiate.h"
#include "engine/runtime/objects.h"

namespace wasmrun::api {

struct Linker::Impl {
  struct HostDef {
    FuncType type;
    HostFunc fn;
  };
  struct Def {
    std::optional<Extern> item;
    std::shared_ptr<HostDef> host;  // materialized per store
  };
  Engine engine;
  bool shadowing = false;
  std::map<std::pair<std::string, std::string>, Def, std::less<>> defs;

  Status add(std::string_view module, std::string_view name, Def d) {
    auto key = std::make_pair(std::string(module), std::string(name));
    if (!shadowing && defs.count(key))
      return Error(ErrorKind::Usage, "duplicate definition of " + key.first + "." + key.second);
    defs[key] = std::move(d);
    return {};
  }
};

Linker::Linker(const Engine& engine) : impl_(std::make_unique<Impl>()) { impl_->engine = engine; }
Linker::~Linker() = default;
void Linker::allow_shadowing(bool allow) { impl_->shadowing = allow; }

Status Linker::define(std::string_view module, std::string_view name, const Extern& item) {
  return impl_->add(module, name, Impl::Def{item, nullptr});
}

Status Linker::func(std::string_view module, std::string_view name, const FuncType& type,
                    HostFunc fn) {
  auto h = std::make_shared<Impl::HostDef>(Impl::HostDef{type, std::move(fn)});
  return impl_->add(module, name, Impl::Def{std::nullopt, std::move(h)});
}

Status Linker::define_instance(std::string_view name, const Instance& instance) {
  bool saved = impl_->shadowing;
  impl_->shadowing = true;  // re-registering a name replaces its exports
  for (auto& [ename, ext] : instance.exports()) {
    Status s = define(name, ename, ext);
    if (!s.ok()) {
      impl_->shadowing = saved;
      return s;
    }
  }
  impl_->shadowing = saved;
  return {};
}

std::optional<Extern> Linker::get(Store& store, std::string_view module, std::string_view name) {
  auto it = impl_->defs.find(std::make_pair(std::string(module), std::string(name)));
  if (it == impl_->defs.end()) return std::nullopt;
  Impl::Def& d = it->second;
  if (d.item) return d.item;
  rt::StoreImpl* s = store.impl();
  auto f = s->linker_funcs.find(d.host.get());
  if (f == s->linker_funcs.end()) {
    rt::FuncInst* fi = s->new_host_func(d.host->type, d.host->fn);
    f = s->linker_funcs.emplace(d.host.get(), fi).first;
  }
  return Extern::of(Func(f->second));
}

Result<Instance> Linker::instantiate(Store& store, const Module& module) {
  std::vector<Extern> imports;
  for (const Import& imp : module.impl()->m().imports) {
    auto e = get(store, imp.module, imp.name);
    if (!e)
      return Error(ErrorKind::Unlinkable, "unknown import (" + imp.module + "." + imp.name + ")");
    imports.push_back(*e);
  }
  return api::instantiate(store, module, imports);
}

Result<Instance> instantiate(Store& store, const Module& module, std::span<const Extern> imports) {
  if (!module.impl()) return Error(ErrorKind::Usage, "instantiate of an empty Module");
  if (module.impl()->engine != store.engine().shared_impl())
    return Error(ErrorKind::Usage, "module and store belong to different engines");
  auto r = rt::instantiate(*store.impl(), module.impl(), imports);
  if (!r.ok()) {
    Error e = std::move(r).error();
    // A trap in the start function makes the module uninstantiable but keeps its
    // trap details; link errors keep their kind.
    return e;
  }
  return Instance(*r);
}

Status define_spectest(Linker& linker, Store& store) {
  auto print = [](const char* name) {
    return [name](Caller&, std::span<const Value> args, std::span<Value>) -> Status {
      std::string line = name;
      for (const Value& v : args) line += " " + v.to_string();
      std::printf("%s\n", line.c_str());
      return {};
    };
  };
  struct P {
    const char* name;
    std::vector<ValType> params;
  };
  const P prints[] = {
      {"print", {}},
      {"print_i32", {ValType::i32()}},
      {"print_i64", {ValType::i64()}},
      {"print_f32", {ValType::f32()}},
      {"print_f64", {ValType::f64()}},
      {"print_i32_f32", {ValType::i32(), ValType::f32()}},
      {"print_f64_f64", {ValType::f64(), ValType::f64()}},
  };
  for (const P& p : prints) {
    FuncType t;
    t.params = p.params;
    if (Status s = linker.func("spectest", p.name, t, print(p.name)); !s.ok()) return s;
  }
  auto global = [&](const char* name, ValType t, Value v) -> Status {
    auto g = Global::create(store, GlobalType{t, false}, v);
    if (!g.ok()) return std::move(g).error();
    return linker.define("spectest", name, Extern::of(*g));
  };
  if (Status s = global("global_i32", ValType::i32(), Value::i32(666)); !s.ok()) return s;
  if (Status s = global("global_i64", ValType::i64(), Value::i64(666)); !s.ok()) return s;
  if (Status s = global("global_f32", ValType::f32(), Value::f32(666.6f)); !s.ok()) return s;
  if (Status s = global("global_f64", ValType::f64(), Value::f64(666.6)); !s.ok()) return s;

  TableType tt;
  tt.elem = ValType::funcref();
  tt.limits.min = 10;
  tt.limits.max = 20;
  auto table = Table::create(store, tt, Value::null(ValType::funcref()));
  if (!table.ok()) return std::move(table).error();
  if (Status s = linker.define("spectest", "table", Extern::of(*table)); !s.ok()) return s;
  tt.limits.address64 = true;
  auto table64 = Table::create(store, tt, Value::null(ValType::funcref()));
  if (!table64.ok()) return std::move(table64).error();
  if (Status s = linker.define("spectest", "table64", Extern::of(*table64)); !s.ok()) return s;

  MemoryType mt;
  mt.limits.min = 1;
  mt.limits.max = 2;
  auto mem = Memory::create(store, mt);
  if (!mem.ok()) return std::move(mem).error();
  if (Status s = linker.define("spectest", "memory", Extern::of(*mem)); !s.ok()) return s;
  mt.limits.shared = true;
  auto shared = Memory::create(store, mt);
  if (!shared.ok()) return std::move(shared).error();
  return linker.define("spectest", "shared_memory", Extern::of(*shared));
}

}  // namespace wasmrun::api
