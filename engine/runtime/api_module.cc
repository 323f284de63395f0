// Engine and Module: compiling bytes or WAT text into a shared CompiledModule.
#include "engine/interp/code.h"
#include "engine/runtime/objects.h"
#include "engine/text/wat.h"
#include "engine/validate/validator.h"

namespace wasmrun::rt {
CompiledModule::~CompiledModule() = default;
}  // namespace wasmrun::rt

namespace wasmrun::api {

Engine::Engine() : Engine(EngineConfig{}) {}
Engine::Engine(const EngineConfig& config) : impl_(std::make_shared<rt::EngineImpl>()) {
  impl_->config = config;
}
const EngineConfig& Engine::config() const { return impl_->config; }

Result<Module> Module::compile(const Engine& engine, std::span<const uint8_t> bytes) {
  std::vector<uint8_t> bin;
  if (bytes.size() >= 4 && bytes[0] == 0 && bytes[1] == 'a' && bytes[2] == 's' && bytes[3] == 'm') {
    bin.assign(bytes.begin(), bytes.end());
  } else {
    auto w =
        wat_to_wasm(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    if (!w.ok()) return std::move(w).error();
    bin = std::move(w).value();
  }
  auto vm = load_module(std::move(bin), engine.config().features);
  if (!vm.ok()) return std::move(vm).error();
  auto cm = std::make_shared<rt::CompiledModule>();
  cm->engine = engine.shared_impl();
  cm->vm = std::move(vm).value();
  cm->type_ids = cm->engine->types.intern_module(cm->m());
  size_t n = cm->m().bodies.size();
  cm->code = std::make_unique<std::atomic<interp::Code*>[]>(n);
  for (size_t i = 0; i < n; ++i) cm->code[i].store(nullptr);
  return Module(std::move(cm));
}

Result<Module> Module::compile(const Engine& engine, std::string_view text) {
  return compile(
      engine, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

namespace {
ExternType import_extern_type(const wasmrun::Module& m, ExternKind kind, uint32_t type_index,
                              const TableType& t, const MemoryType& mem, const GlobalType& g) {
  ExternType et;
  et.kind = kind;
  if (kind == ExternKind::Func || kind == ExternKind::Tag) et.func = m.types[type_index].comp.func;
  et.table = t;
  et.memory = mem;
  et.global = g;
  return et;
}
}  // namespace

std::vector<ImportType> Module::imports() const {
  std::vector<ImportType> out;
  const wasmrun::Module& m = impl_->m();
  for (const Import& i : m.imports)
    out.push_back({i.module, i.name,
                   import_extern_type(m, i.kind, i.type_index, i.table, i.memory, i.global)});
  return out;
}

std::vector<ExportType> Module::exports() const {
  std::vector<ExportType> out;
  const wasmrun::Module& m = impl_->m();
  for (const Export& e : m.exports) {
    ExternType et;
    et.kind = e.kind;
    switch (e.kind) {
      case ExternKind::Func: et.func = m.func_type(e.index); break;
      case ExternKind::Table: et.table = m.tables[e.index]; break;
      case ExternKind::Memory: et.memory = m.memories[e.index]; break;
      case ExternKind::Global: et.global = m.globals[e.index]; break;
      case ExternKind::Tag: et.func = m.types[m.tags[e.index].type_index].comp.func; break;
    }
    out.push_back({e.name, std::move(et)});
  }
  return out;
}

std::optional<std::string> Module::name() const { return impl_->m().names.module; }

}  // namespace wasmrun::api
