// define_wasi: the table of wasi_snapshot_preview1 imports, each a wasm
// signature plus a thunk that unpacks api::Values into the core function's
// raw parameters.
#include "wasi/wasi_linker.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "wasi/preview1.h"
#include "wasi/unstable.h"

namespace wasmrun::wasi {
namespace {

using api::Value;

uint32_t U(const Value& v) { return static_cast<uint32_t>(v.i32()); }
uint64_t L(const Value& v) { return static_cast<uint64_t>(v.i64()); }

using Thunk = Errno (*)(WasiCtx&, const GuestMemory&, const Value*);

struct Import {
  const char* name;
  const char* params;  // 'i' = i32, 'I' = i64; every import but proc_exit returns an i32 errno
  Thunk fn;
};

// clang-format off
constexpr Import kImports[] = {
  {"args_get", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return args_get(c, m, U(a[0]), U(a[1])); }},
  {"args_sizes_get", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return args_sizes_get(c, m, U(a[0]), U(a[1])); }},
  {"environ_get", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return environ_get(c, m, U(a[0]), U(a[1])); }},
  {"environ_sizes_get", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return environ_sizes_get(c, m, U(a[0]), U(a[1])); }},
  {"clock_res_get", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return clock_res_get(c, m, U(a[0]), U(a[1])); }},
  {"clock_time_get", "iIi", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return clock_time_get(c, m, U(a[0]), L(a[1]), U(a[2])); }},
  {"fd_advise", "iIIi", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_advise(c, m, U(a[0]), L(a[1]), L(a[2]), U(a[3])); }},
  {"fd_allocate", "iII", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_allocate(c, m, U(a[0]), L(a[1]), L(a[2])); }},
  {"fd_close", "i", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_close(c, m, U(a[0])); }},
  {"fd_datasync", "i", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_datasync(c, m, U(a[0])); }},
  {"fd_fdstat_get", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_fdstat_get(c, m, U(a[0]), U(a[1])); }},
  {"fd_fdstat_set_flags", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_fdstat_set_flags(c, m, U(a[0]), U(a[1])); }},
  {"fd_fdstat_set_rights", "iII", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_fdstat_set_rights(c, m, U(a[0]), L(a[1]), L(a[2])); }},
  {"fd_filestat_get", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_filestat_get(c, m, U(a[0]), U(a[1])); }},
  {"fd_filestat_set_size", "iI", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_filestat_set_size(c, m, U(a[0]), L(a[1])); }},
  {"fd_filestat_set_times", "iIIi", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_filestat_set_times(c, m, U(a[0]), L(a[1]), L(a[2]), U(a[3])); }},
  {"fd_pread", "iiiIi", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_pread(c, m, U(a[0]), U(a[1]), U(a[2]), L(a[3]), U(a[4])); }},
  {"fd_prestat_get", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_prestat_get(c, m, U(a[0]), U(a[1])); }},
  {"fd_prestat_dir_name", "iii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_prestat_dir_name(c, m, U(a[0]), U(a[1]), U(a[2])); }},
  {"fd_pwrite", "iiiIi", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_pwrite(c, m, U(a[0]), U(a[1]), U(a[2]), L(a[3]), U(a[4])); }},
  {"fd_read", "iiii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_read(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3])); }},
  {"fd_readdir", "iiiIi", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_readdir(c, m, U(a[0]), U(a[1]), U(a[2]), L(a[3]), U(a[4])); }},
  {"fd_renumber", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_renumber(c, m, U(a[0]), U(a[1])); }},
  {"fd_seek", "iIii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_seek(c, m, U(a[0]), L(a[1]), U(a[2]), U(a[3])); }},
  {"fd_sync", "i", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_sync(c, m, U(a[0])); }},
  {"fd_tell", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_tell(c, m, U(a[0]), U(a[1])); }},
  {"fd_write", "iiii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return fd_write(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3])); }},
  {"path_create_directory", "iii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return path_create_directory(c, m, U(a[0]), U(a[1]), U(a[2])); }},
  {"path_filestat_get", "iiiii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return path_filestat_get(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3]), U(a[4])); }},
  {"path_filestat_set_times", "iiiiIIi", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return path_filestat_set_times(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3]), L(a[4]), L(a[5]), U(a[6])); }},
  {"path_link", "iiiiiii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return path_link(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3]), U(a[4]), U(a[5]), U(a[6])); }},
  {"path_open", "iiiiiIIii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return path_open(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3]), U(a[4]), L(a[5]), L(a[6]), U(a[7]), U(a[8])); }},
  {"path_readlink", "iiiiii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return path_readlink(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3]), U(a[4]), U(a[5])); }},
  {"path_remove_directory", "iii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return path_remove_directory(c, m, U(a[0]), U(a[1]), U(a[2])); }},
  {"path_rename", "iiiiii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return path_rename(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3]), U(a[4]), U(a[5])); }},
  {"path_symlink", "iiiii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return path_symlink(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3]), U(a[4])); }},
  {"path_unlink_file", "iii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return path_unlink_file(c, m, U(a[0]), U(a[1]), U(a[2])); }},
  {"poll_oneoff", "iiii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return poll_oneoff(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3])); }},
  {"proc_raise", "i", [](WasiCtx& c, const GuestMemory&, const Value* a) { return proc_raise(c, U(a[0])); }},
  {"sched_yield", "", [](WasiCtx& c, const GuestMemory&, const Value*) { return sched_yield(c); }},
  {"random_get", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return random_get(c, m, U(a[0]), U(a[1])); }},
  {"sock_accept", "iii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return sock_accept(c, m, U(a[0]), U(a[1]), U(a[2])); }},
  {"sock_recv", "iiiiii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return sock_recv(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3]), U(a[4]), U(a[5])); }},
  {"sock_send", "iiiii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return sock_send(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3]), U(a[4])); }},
  {"sock_shutdown", "ii", [](WasiCtx& c, const GuestMemory&, const Value* a) { return sock_shutdown(c, U(a[0]), U(a[1])); }},
};
// The wasi_unstable functions whose layouts differ (unstable.h); the rest are shared.
constexpr Import kUnstableOverrides[] = {
  {"fd_seek", "iIii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return unstable::fd_seek(c, m, U(a[0]), L(a[1]), U(a[2]), U(a[3])); }},
  {"fd_filestat_get", "ii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return unstable::fd_filestat_get(c, m, U(a[0]), U(a[1])); }},
  {"path_filestat_get", "iiiii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return unstable::path_filestat_get(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3]), U(a[4])); }},
  {"poll_oneoff", "iiii", [](WasiCtx& c, const GuestMemory& m, const Value* a) { return unstable::poll_oneoff(c, m, U(a[0]), U(a[1]), U(a[2]), U(a[3])); }},
};
// clang-format on

// Functions that never touch guest memory still run when the module exports none.
bool needs_memory(std::string_view name) {
  return name != "proc_raise" && name != "sched_yield" && name != "sock_shutdown" &&
         name != "fd_close" && name != "fd_datasync" && name != "fd_sync" &&
         name != "fd_renumber" && name != "fd_fdstat_set_flags" && name != "fd_advise" &&
         name != "fd_allocate" && name != "fd_fdstat_set_rights" &&
         name != "fd_filestat_set_size" && name != "fd_filestat_set_times";
}

FuncType signature(const char* params, bool has_result) {
  FuncType t;
  for (const char* p = params; *p; ++p)
    t.params.push_back(*p == 'I' ? ValType::i64() : ValType::i32());
  if (has_result) t.results.push_back(ValType::i32());
  return t;
}

void trace_call(const std::string& name, std::span<const Value> args, Errno e) {
  std::string line = name + "(";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) line += ", ";
    line += args[i].type() == ValType::i64() ? std::to_string(args[i].i64())
                                             : std::to_string(static_cast<uint32_t>(args[i].i32()));
  }
  std::fprintf(stderr, "[wasi] %s) -> %u\n", line.c_str(), static_cast<unsigned>(e));
}

// Defines one module's worth of imports: the shared table, with `overrides`
// replacing entries of the same name.
Status define_module(api::Linker& linker, const std::shared_ptr<WasiCtx>& ctx,
                     const std::shared_ptr<std::mutex>& mu, std::string_view module,
                     std::span<const Import> overrides) {
  // WASMRUN_WASI_TRACE=1 logs every call and its errno on the host's stderr.
  const char* t = std::getenv("WASMRUN_WASI_TRACE");
  const bool trace = t && *t && std::string_view(t) != "0";
  for (const Import& base : kImports) {
    const Import* imp = &base;
    for (const Import& o : overrides) {
      if (std::string_view(o.name) == base.name) imp = &o;
    }
    bool memory = needs_memory(imp->name);
    Thunk fn = imp->fn;
    std::string name = std::string(module) + "." + imp->name;
    // WasiCtx is not thread-safe; with wasi-threads several guest threads call in
    // at once, so every call but sched_yield holds the context's lock.
    const bool locked = std::string_view(imp->name) != "sched_yield";
    auto host = [ctx, mu, locked, fn, memory, name, trace](
                    api::Caller& caller, std::span<const Value> args,
                    std::span<Value> results) -> Status {
      GuestMemory view;
      if (memory) {
        std::optional<api::Memory> mem = caller.memory("memory");
        if (!mem) {
          return api::host_trap(name + ": the module exports no memory named \"memory\"");
        }
        view = GuestMemory{mem->data(), mem->size_bytes()};
      }
      std::unique_lock lock(*mu, std::defer_lock);
      if (locked) lock.lock();
      Errno e = fn(*ctx, view, args.data());
      results[0] = Value::i32(static_cast<int32_t>(e));
      if (trace) trace_call(name, args, e);
      // proc_raise of a fatal signal ends the program like proc_exit does.
      if (std::optional<uint32_t> code = ctx->exit_code()) {
        return api::exit_error(static_cast<int32_t>(*code));
      }
      return {};
    };
    if (Status s = linker.func(module, imp->name, signature(imp->params, true), host); !s.ok()) {
      return s;
    }
  }
  // proc_exit returns nothing: it records the status and unwinds the guest.
  return linker.func(module, "proc_exit", signature("i", false),
                     [ctx](api::Caller&, std::span<const Value> args, std::span<Value>) -> Status {
                       proc_exit(*ctx, U(args[0]));
                       return api::exit_error(static_cast<int32_t>(*ctx->exit_code()));
                     });
}

}  // namespace

Status define_wasi(api::Linker& linker, std::shared_ptr<WasiCtx> ctx) {
  auto mu = std::make_shared<std::mutex>();
  if (Status s = define_module(linker, ctx, mu, kPreview1Module, {}); !s.ok()) return s;
  return define_module(linker, ctx, mu, kUnstableModule, kUnstableOverrides);
}

}  // namespace wasmrun::wasi
