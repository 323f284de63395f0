#include "wasi/wasi_threads.h"

#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

namespace wasmrun::wasi {
namespace {

// The status of a trapped program, as in run_wasi_command (128 + SIGABRT).
constexpr int kTrapStatus = 134;
// wasi-threads thread ids must be positive and below 2^29.
constexpr int32_t kMaxTid = 0x1FFFFFFF;
// Negative errno (EAGAIN) returned by thread-spawn when no thread can be started.
constexpr int32_t kSpawnFailed = -6;

/// Everything the threads of one program share. Lives until the process ends.
struct Program {
  std::string path;
  int err_fd = 2;
  api::Engine engine;
  api::Module module;
  std::shared_ptr<WasiCtx> ctx;
  /// One linker for every thread: WASI, thread-spawn and the shared memory.
  /// Threads only read it (host functions are materialized per store).
  std::unique_ptr<api::Linker> linker;
  std::atomic<int32_t> next_tid{1};
  std::once_flag ending;
};

/// Ends the whole program: the first caller wins, later ones block until the
/// process is gone (they must not return into guest code).
[[noreturn]] void end_program(Program& p, int status) {
  std::call_once(p.ending, [&] {
    std::fflush(nullptr);
    _exit(status);
  });
  for (;;) pause();
}

void report(Program& p, const Error& e) {
  if (e.kind == ErrorKind::Trap || e.kind == ErrorKind::Exhaustion) {
    dprintf(p.err_fd, "wasmrun: %s: trap: %s\n", p.path.c_str(), e.message.c_str());
    if (e.trap) {
      std::string bt = e.trap->backtrace_string();
      if (!bt.empty()) dprintf(p.err_fd, "wasm backtrace:\n%s\n", bt.c_str());
    }
  } else {
    dprintf(p.err_fd, "wasmrun: %s: %s error: %s\n", p.path.c_str(), error_kind_name(e.kind),
            e.to_string().c_str());
  }
}

[[noreturn]] void end_with_error(Program& p, const Error& e) {
  if (e.kind == ErrorKind::Exit) end_program(p, e.exit_code);
  // Serialize reports so two traps cannot interleave their lines.
  static std::mutex report_mu;
  std::lock_guard lock(report_mu);
  report(p, e);
  bool trapped = e.kind == ErrorKind::Trap || e.kind == ErrorKind::Exhaustion ||
                 e.kind == ErrorKind::Exception;
  end_program(p, trapped ? kTrapStatus : 1);
}

void thread_main(Program* p, int32_t tid, int32_t arg) {
  api::Store store(p->engine);
  Result<api::Instance> inst = p->linker->instantiate(store, p->module);
  if (!inst.ok()) end_with_error(*p, inst.error());
  std::optional<api::Func> start = inst->func(kThreadStartExport);
  if (!start) {
    dprintf(p->err_fd, "wasmrun: %s: thread-spawn needs an export \"%s\"\n", p->path.c_str(),
            kThreadStartExport);
    end_program(*p, 1);
  }
  Result<std::vector<api::Value>> r = start->call({api::Value::i32(tid), api::Value::i32(arg)});
  if (!r.ok()) end_with_error(*p, r.error());
  // The store (and the instance) die here; the shared memory belongs to the main
  // store, which lives until the program ends.
}

int32_t spawn(Program& p, int32_t arg) {
  int32_t tid = p.next_tid.fetch_add(1);
  if (tid > kMaxTid) return kSpawnFailed;
  try {
    std::thread(thread_main, &p, tid, arg).detach();
  } catch (const std::system_error&) {
    return kSpawnFailed;
  }
  return tid;
}

}  // namespace

int run_wasi_threads_command(const WasiCommand& cmd) {
  const int err = cmd.stderr_fd;
  Result<WasiConfig> cfg = wasi_config_from(cmd);
  if (!cfg.ok()) {
    dprintf(err, "wasmrun: %s\n", cfg.error().message.c_str());
    return 2;
  }
  Result<std::unique_ptr<WasiCtx>> ctx = WasiCtx::create(*cfg);
  if (!ctx.ok()) {
    dprintf(err, "wasmrun: %s\n", ctx.error().message.c_str());
    return 2;
  }
  std::ifstream in(cmd.module_path, std::ios::binary);
  if (!in) {
    dprintf(err, "wasmrun: cannot read %s\n", cmd.module_path.c_str());
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());

  // Never freed: detached threads use it until _exit.
  auto* p = new Program;
  p->path = cmd.module_path;
  p->err_fd = err;
  p->engine = api::Engine(cmd.engine);
  p->ctx = std::shared_ptr<WasiCtx>(std::move(ctx.value()));
  Result<api::Module> module = api::Module::compile(p->engine, std::span<const uint8_t>(bytes));
  if (!module.ok()) {
    report(*p, module.error());
    return 1;
  }
  p->module = *module;
  auto* main_store = new api::Store(p->engine);  // owns the shared memory; never freed
  p->linker = std::make_unique<api::Linker>(p->engine);
  if (Status s = define_wasi(*p->linker, p->ctx); !s.ok()) {
    report(*p, s.error());
    return 1;
  }
  FuncType spawn_type;
  spawn_type.params.push_back(ValType::i32());
  spawn_type.results.push_back(ValType::i32());
  Status s = p->linker->func(
      kThreadsModule, kThreadSpawnName, spawn_type,
      [p](api::Caller&, std::span<const api::Value> args, std::span<api::Value> results) {
        results[0] = api::Value::i32(spawn(*p, args[0].i32()));
        return Status{};
      });
  if (!s.ok()) {
    report(*p, s.error());
    return 1;
  }
  // The module's imported memories are created once, here, and every thread's
  // instance imports the same ones.
  for (const api::ImportType& imp : p->module.imports()) {
    if (imp.type.kind != ExternKind::Memory) continue;
    if (!imp.type.memory.limits.shared) {
      dprintf(err, "wasmrun: %s: imported memory %s.%s is not shared (wasi-threads needs it)\n",
              cmd.module_path.c_str(), imp.module.c_str(), imp.name.c_str());
      return 1;
    }
    Result<api::Memory> mem = api::Memory::create(*main_store, imp.type.memory);
    if (!mem.ok()) {
      report(*p, mem.error());
      return 1;
    }
    if (Status d = p->linker->define(imp.module, imp.name, api::Extern::of(*mem)); !d.ok()) {
      report(*p, d.error());
      return 1;
    }
  }
  Result<api::Instance> inst = p->linker->instantiate(*main_store, p->module);
  if (!inst.ok()) end_with_error(*p, inst.error());
  std::optional<api::Func> start = inst->func("_start");
  if (!start) {
    dprintf(err, "wasmrun: %s: not a WASI command (no _start export)\n", cmd.module_path.c_str());
    return 1;
  }
  Result<std::vector<api::Value>> r = start->call({});
  if (!r.ok()) end_with_error(*p, r.error());
  end_program(*p, 0);
}

}  // namespace wasmrun::wasi
