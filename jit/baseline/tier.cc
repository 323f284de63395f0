// The baseline tier's entry points: the runtime's hook (baseline_invoke), the lazy
// stub that compiles a function at its first call, and the trampolines that let
// compiled code call interpreted and host functions with the array-call
// convention (frame.h).
#include <alloca.h>

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <mutex>
#include <string>
#include <vector>

#include "engine/interp/exceptions.h"
#include "engine/interp/interp.h"
#include "engine/runtime/objects.h"
#include "gc/heap.h"
#include "jit/baseline/baseline.h"
#include "jit/baseline/compiler.h"
#include "jit/baseline/frame.h"
#include "jit/baseline/frame_roots.h"
#include "jit/baseline/isa.h"
#include "jit/baseline/traps.h"

namespace wasmrun::jit {
namespace {

using rt::FuncInst;

/// Per compiled module: the code of each defined function, shared by every
/// instance (generated code reaches its instance only through VMContext).
struct ModuleCode {
  std::mutex mu;
  std::vector<void*> entries;  ///< null: not compiled yet
  /// Per defined function with compiled code: its GC frame map, set before its
  /// entry is published and never changed after (read without the lock by the
  /// collector, which only asks about functions that have frames).
  std::vector<std::shared_ptr<const FrameMap>> frame_maps;
};

uint32_t slots_of(const std::vector<ValType>& ts) {
  uint32_t n = 0;
  for (const ValType& t : ts) n += t.kind == ValKind::V128 ? 2 : 1;
  return n;
}

bool log_fallbacks() {
  static const bool on = std::getenv("WASMRUN_JIT_LOG") != nullptr;
  return on;
}

// ---- trampolines called by generated code ----
// An exception leaving the callee is returned (EntryFn); any other error is
// stored in the landing pad and unwinds (after the C++ frame holding it is gone).

/// Where a failed call leaves its outcome: the exception it ends with, else the
/// error in the landing pad (and `failed`).
struct CallOutcome {
  void* exn = nullptr;
  bool failed = false;
};

CallOutcome failed_call(Error e) {
  if (rt::ExnInst* x = interp::exception_of(e)) return {x, false};
  current_pad()->error = std::move(e);
  return {nullptr, true};
}

/// Runs a wasm function in the interpreter.
CallOutcome run_interp(FuncInst* f, uint64_t* args) {
  Status s = interp::invoke(f, args, args);
  if (s.ok()) return {};
  return failed_call(std::move(s).error());
}

// The trampolines are JitActivations: the collector finds the JIT frames that
// called them (frame_roots.h).
void* interp_entry(FuncInst* f, uint64_t* args, rt::VMContext*) {
  JitActivation activation(__builtin_return_address(0), __builtin_frame_address(0));
  CallOutcome o = run_interp(f, args);
  if (o.failed) unwind();
  return o.exn;
}

/// Calls a host function with the calling instance as its Caller (WASI finds the
/// caller's memory that way).
CallOutcome run_host(FuncInst* f, uint64_t* slots, rt::VMContext* caller) {
  const FuncType& t = *f->type;
  std::vector<api::Value> args;
  args.reserve(t.params.size());
  uint32_t k = 0;
  for (const ValType& p : t.params) {
    // Rooted handles, as the interpreter's host calls give: the host may keep a
    // reference argument beyond the call (api::Value's promise).
    args.push_back(api::Value::from_raw(p, slots + k, *f->store));
    k += p.kind == ValKind::V128 ? 2 : 1;
  }
  std::vector<api::Value> results;
  results.reserve(t.results.size());
  for (const ValType& r : t.results) results.push_back(api::Value::zero(r));
  api::Caller c(f->store->owner, caller ? caller->instance : nullptr);
  Status s = f->host(c, std::span<const api::Value>(args.data(), args.size()), results);
  if (!s.ok()) return failed_call(std::move(s).error());
  k = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    results[i].to_raw(slots + k);
    k += t.results[i].kind == ValKind::V128 ? 2 : 1;
  }
  return {};
}

void* host_entry(FuncInst* f, uint64_t* args, rt::VMContext* caller) {
  JitActivation activation(__builtin_return_address(0), __builtin_frame_address(0));
  CallOutcome o = run_host(f, args, caller);
  if (o.failed) unwind();
  return o.exn;
}

void* lazy_entry(FuncInst* f, uint64_t* args, rt::VMContext* caller);

ModuleCode& module_code(rt::CompiledModule& cm) {
  std::lock_guard lock(cm.code_mu);
  if (!cm.jit) {
    auto mc = std::make_shared<ModuleCode>();
    mc->entries.resize(cm.m().bodies.size());
    mc->frame_maps.resize(cm.m().bodies.size());
    cm.jit = mc;
  }
  return *static_cast<ModuleCode*>(cm.jit.get());
}

/// The code `f` runs from now on: compiled (once per module and function), the
/// interpreter when the compiler declines, or the host trampoline.
void* resolve_entry(FuncInst* f) {
  void* entry = nullptr;
  if (!f->instance) {
    entry = reinterpret_cast<void*>(&host_entry);
  } else {
    rt::CompiledModule& cm = *f->instance->module;
    uint32_t defined = f->index - cm.m().num_imported_funcs;
    ModuleCode& mc = module_code(cm);
    std::lock_guard lock(mc.mu);
    if (!mc.entries[defined]) {
      auto r = compile_function(cm, defined, reinterpret_cast<void*>(&lazy_entry));
      if (r.ok()) {
        mc.frame_maps[defined] = r->frame_map;
        mc.entries[defined] = r->entry;
        if (const char* dir = std::getenv("WASMRUN_JIT_DUMP")) {
          // Raw machine code per function, for `objdump -D -b binary -mi386:x86-64`.
          std::string path = std::string(dir) + "/func" + std::to_string(f->index) + ".bin";
          if (FILE* out = std::fopen(path.c_str(), "wb")) {
            std::fwrite(r->entry, 1, r->code_bytes, out);
            std::fclose(out);
          }
        }
      } else {
        if (log_fallbacks())
          std::fprintf(stderr, "wasmrun-jit: func %u runs in the interpreter: %s\n", f->index,
                       r.error().message.c_str());
        mc.entries[defined] = reinterpret_cast<void*>(&interp_entry);
      }
    }
    entry = mc.entries[defined];
  }
  __atomic_store_n(&f->jit_entry, entry, __ATOMIC_RELEASE);
  return entry;
}

using Entry3 = EntryFn;

void* lazy_entry(FuncInst* f, uint64_t* args, rt::VMContext* caller) {
  JitActivation activation(__builtin_return_address(0), __builtin_frame_address(0));
  activation.lazy_stub = true;
  void* e = resolve_entry(f);
  // The callee may return kTailCallPending (when the adapter called this stub):
  // it goes back unchanged.
  return reinterpret_cast<Entry3>(e)(f, args, caller);
}

/// A tail call that does not fit, between h_tail_call and the adapter (per
/// thread: nothing else runs in between).
struct PendingTailCall {
  FuncInst* callee = nullptr;  ///< null: none pending
  rt::VMContext* caller = nullptr;
  uint32_t slots = 0;
  std::vector<uint64_t> args;
};
thread_local PendingTailCall t_pending;

}  // namespace

uint64_t h_tail_call(FuncInst* callee, const uint64_t* args, const uint64_t* own_args,
                     rt::VMContext* ctx, uint64_t slots) {
  PendingTailCall& p = t_pending;
  if (p.args.size() < slots) p.args.resize(slots);
  if (slots) std::memcpy(p.args.data(), args, slots * sizeof(uint64_t));
  p.callee = callee;
  p.caller = ctx;
  p.slots = static_cast<uint32_t>(slots);
  // The array identifies the adapter's callee: only the adapter's direct callee
  // and the functions it tail-calls in place run with it, and those return
  // straight to the adapter (or through the lazy stub, which passes the value on;
  // its activation may stand between the adapter's and ours).
  const JitActivation* a = innermost_activation();
  while (a && a->lazy_stub) a = a->prev;
  return a && a->tail_args == own_args ? kTailCallPending : 0;
}

// Entered by a jump from a function that tore its frame down, with that
// function's return address and array: to its caller, the adapter is the callee.
// Each callee runs in the adapter's own array (grown as needed), so the native
// stack holds one adapter frame however long the chain of tail calls is. A trap
// unwinds past this frame with siglongjmp, so it owns nothing to destroy: the
// array is on the stack (alloca, doubling, so a chain uses at most twice the
// largest array it needs).
void* tail_call_adapter(FuncInst*, uint64_t* results, rt::VMContext*) {
  JitActivation activation(__builtin_return_address(0), __builtin_frame_address(0));
  PendingTailCall& p = t_pending;
  uint64_t small[16];
  uint64_t* array = small;
  size_t capacity = std::size(small);
  const FuncType* type = nullptr;
  void* r = nullptr;
  do {
    FuncInst* f = p.callee;
    type = f->type;
    size_t need = std::max(slots_of(type->params), slots_of(type->results));
    if (need > capacity) {
      capacity = std::max(need, 2 * capacity);
      array = static_cast<uint64_t*>(alloca(capacity * sizeof(uint64_t)));
    }
    // Functions that the callee tail-calls in place use at most `need` slots
    // too (their parameters fit its array, their results are its results).
    if (p.slots) std::memcpy(array, p.args.data(), p.slots * sizeof(uint64_t));
    std::memset(array + p.slots, 0, (need - p.slots) * sizeof(uint64_t));
    p.callee = nullptr;
    activation.tail_args = array;
    activation.tail_slots = static_cast<uint32_t>(need);
    void* entry = __atomic_load_n(&f->jit_entry, __ATOMIC_ACQUIRE);
    if (!entry) entry = resolve_entry(f);
    r = reinterpret_cast<Entry3>(entry)(f, array, p.caller);
  } while (reinterpret_cast<uintptr_t>(r) == kTailCallPending);
  activation.tail_args = nullptr;
  if (r) return r;  // an exception, for our caller to handle
  // Every callee in the chain has the original function's result types.
  if (uint32_t nr = slots_of(type->results)) std::memcpy(results, array, nr * sizeof(uint64_t));
  return nullptr;
}

// No collection can happen while a tail call is pending (between h_tail_call
// and the adapter's copy nothing touches the GC heap), so no test fails without
// this; it is kept so that the invariant "every live reference is visited" does
// not depend on that (docs/jit-baseline.md, "Tail calls that do not fit").
void visit_pending_tail_call(gc::RootVisitor& visit) {
  const PendingTailCall& p = t_pending;
  if (p.callee) visit.conservative(p.args.data(), p.slots);
}

const FrameMap* frame_map_of(const rt::FuncInst* f) {
  if (!f || !f->instance) return nullptr;
  rt::CompiledModule& cm = *f->instance->module;
  auto* mc = static_cast<ModuleCode*>(cm.jit.get());
  uint32_t defined = f->index - cm.m().num_imported_funcs;
  if (!mc || defined >= mc->frame_maps.size()) return nullptr;
  return mc->frame_maps[defined].get();
}

void interpret_for_testing(rt::FuncInst* f) {
  rt::CompiledModule& cm = *f->instance->module;
  uint32_t defined = f->index - cm.m().num_imported_funcs;
  ModuleCode& mc = module_code(cm);
  std::lock_guard lock(mc.mu);
  mc.entries[defined] = reinterpret_cast<void*>(&interp_entry);
  mc.frame_maps[defined] = nullptr;
  __atomic_store_n(&f->jit_entry, mc.entries[defined], __ATOMIC_RELEASE);
}

/// Compiles every defined function of `f`'s instance now (tests and benchmarks
/// use it to separate compile time from run time); returns the number that fell
/// back to the interpreter.
uint32_t compile_all_for_testing(rt::InstanceInst* inst) {
  uint32_t fallbacks = 0;
  for (FuncInst* f : inst->funcs)
    if (f->instance == inst && resolve_entry(f) == reinterpret_cast<void*>(&interp_entry))
      ++fallbacks;
  return fallbacks;
}

}  // namespace wasmrun::jit

namespace wasmrun::rt {

Status baseline_invoke(FuncInst* f, const uint64_t* args, uint64_t* results) {
  using namespace wasmrun::jit;
  // A bad WASMRUN_JIT_ISA fails every call into this tier (isa.h).
  if (!jit_isa().ok()) return jit_isa().error();
  if (!f->instance) return interp::invoke(f, args, results);
  install_fault_handler();
  publish_stack_limit();
  const FuncType& t = *f->type;
  uint32_t na = slots_of(t.params), nr = slots_of(t.results);
  std::vector<uint64_t> buf(std::max<size_t>({na, nr, 1}));
  if (na) std::memcpy(buf.data(), args, na * sizeof(uint64_t));
  void* entry = __atomic_load_n(&f->jit_entry, __ATOMIC_ACQUIRE);
  if (!entry) entry = resolve_entry(f);
  // Activations of this thread started inside the call end with it, also when a
  // trap unwinds past them (frame_roots.h).
  JitActivation activation;
  LandingPad pad;
  pad.prev = current_pad();
  current_pad() = &pad;
  void* exn = nullptr;
  if (sigsetjmp(pad.buf, 0) == 0) {
    exn = reinterpret_cast<Entry3>(entry)(f, buf.data(), nullptr);
    current_pad() = pad.prev;
  } else {
    current_pad() = pad.prev;
    return std::move(pad.error);
  }
  // An uncaught exception leaves wasm as the Error the interpreter and host
  // functions use for it, so it crosses host frames unchanged.
  if (exn) return interp::exception_error(static_cast<rt::ExnInst*>(exn));
  if (nr) std::memcpy(results, buf.data(), nr * sizeof(uint64_t));
  return {};
}

}  // namespace wasmrun::rt
