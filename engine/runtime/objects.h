// The runtime's objects: what a Store owns and what instances point to.
//
// Every object is allocated by a StoreImpl and lives until the store dies, so raw
// pointers between them (a table holding a FuncInst*, an instance importing a
// GlobalInst*) never dangle while the store is alive. The exceptions are the
// objects of the store's GC heap: structs, arrays and exception objects
// (ExnInst), which live as long as a root reaches them. References are raw
// 64-bit slots: 0 is null, a funcref is a FuncInst*, an exnref an ExnInst*
// (a GC object pointer), and any/extern references use the gc/value.h encoding
// (GC object pointer, i31, or host payload << 2 | 2).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/interp/interp.h"
#include "engine/runtime/memory.h"
#include "engine/runtime/table.h"
#include "engine/runtime/type_registry.h"
#include "engine/runtime/value_roots.h"
#include "engine/runtime/vmcontext.h"
#include "engine/validate/validated_module.h"
#include "gc/heap.h"
#include "gc/rtt.h"
#include "wasmrun/wasmrun.h"

namespace wasmrun::interp {
struct Code;
}

namespace wasmrun::rt {

using api::EngineConfig;
using api::Extern;
using api::HostFunc;
using api::Value;

struct StoreImpl;

struct EngineImpl {
  EngineConfig config;
  TypeRegistry types;
  /// Runtime types of GC objects, one per canonical type (engine-wide, like `types`).
  /// Exception objects are GC objects, so exnref fields and elements are traced.
  gc::RttRegistry rtts{gc::RttOptions{.exceptions_in_heap = true}};
  /// The Rtt of canonical type `id`.
  const gc::Rtt* rtt(uint32_t id) {
    return rtts.get(id, [this](uint32_t i) -> const SubType& { return types.type(i); });
  }
  /// The layout of exception objects of tags of canonical func type `tag_type`.
  const gc::Rtt* exception_rtt(uint32_t tag_type) {
    return rtts.exception_rtt(tag_type,
                              [this](uint32_t i) -> const SubType& { return types.type(i); });
  }
};

/// A mutable-or-not global: a boxed cell so imports and exports share storage.
struct GlobalInst {
  uint64_t value[2] = {0, 0};  ///< first: the interpreter reads the cell directly
  GlobalType type;             ///< canonical value type
  StoreImpl* store = nullptr;  ///< owner (roots the GC references Global::get returns)
};

/// An exception tag: identity (its address) plus its canonical type.
struct TagInst {
  uint32_t type_id = 0;
  FuncType type;
  /// The layout of this tag's exception objects (RttRegistry::exception_rtt),
  /// looked up at the first throw.
  const gc::Rtt* exn_rtt = nullptr;
};

/// An exception object (what an exnref points to): a GC object in its store's
/// heap, laid out by RttRegistry::exception_rtt(tag type): the object header,
/// three runtime words (below), then the payload as raw slots (a v128 takes
/// two), whose reference-typed slots the collector traces. It lives as long as
/// a root reaches it: an exnref in a frame (interpreter stack maps, JIT frame
/// maps), a global, a table, a struct or array field, another exception's
/// payload, an api::Value or the api::Exception an Error carries; so exnrefs
/// never dangle and escaped exceptions are reclaimed (docs/exceptions.md,
/// "Lifetime"). Never constructed: new_exception views an allocated object as
/// one.
struct ExnInst {
  gc::Object header;   ///< rtt: the exception Rtt of the tag's type
  const TagInst* tag;  ///< runtime word 0: the tag's identity
  StoreImpl* store;    ///< runtime word 1: the owner
  uint32_t num_slots;  ///< runtime word 2: payload slots, and...
  /// ...whether an exnref to this exception was handed out (catch_ref /
  /// catch_all_ref, a legacy try's rethrow slot, an Error or api::Exception
  /// carrying it). Until then the thrower and the catcher are its only users,
  /// so a non-ref catch in the interpreter recycles it at once
  /// (interp::catch_exception) instead of leaving it to the collector.
  uint32_t escaped;

  uint64_t* payload() {
    return reinterpret_cast<uint64_t*>(reinterpret_cast<uint8_t*>(this) +
                                       gc::kExceptionPayloadOffset);
  }
};
static_assert(offsetof(ExnInst, tag) == gc::kHeaderSize);
static_assert(sizeof(ExnInst) == gc::kExceptionPayloadOffset);

/// A compiled module: the validated module plus engine-wide type ids and the
/// interpreter's lazily lowered code, shared by every instance of the module.
struct CompiledModule {
  std::shared_ptr<EngineImpl> engine;
  std::shared_ptr<const ValidatedModule> vm;
  std::vector<uint32_t> type_ids;  ///< type index -> engine id
  /// Per defined function: lowered code, created at the first call.
  std::unique_ptr<std::atomic<interp::Code*>[]> code;
  std::vector<std::unique_ptr<interp::Code>> owned_code;
  std::mutex code_mu;
  /// Baseline tier's per-module code (owned by jit/baseline; opaque here).
  std::shared_ptr<void> jit;

  ~CompiledModule();
  const Module& m() const { return *vm->module; }
};

/// A function: wasm code of an instance, or a host function.
struct FuncInst {
  uint32_t type_id = 0;              ///< engine canonical type id
  const FuncType* type = nullptr;    ///< canonical signature
  InstanceInst* instance = nullptr;  ///< owning instance; null for host functions
  uint32_t index = 0;                ///< function index within the instance's module
  StoreImpl* store = nullptr;
  const interp::Code* code = nullptr;  ///< cached lowered code (wasm functions)
  HostFunc host;                       ///< set for host functions
  FuncType host_type;                  ///< storage for `type` of host functions
  /// Baseline tier: the array-call code this function runs (jit/baseline/frame.h);
  /// null until its first call, when the JIT's lazy stub fills it in.
  void* jit_entry = nullptr;
};

struct InstanceInst {
  VMContext ctx;
  std::shared_ptr<CompiledModule> module;
  StoreImpl* store = nullptr;
  std::vector<FuncInst*> funcs;
  std::vector<TableInst*> tables;
  std::vector<MemoryInst*> memories;
  std::vector<GlobalInst*> globals;
  std::vector<TagInst*> tags;
  std::vector<FuncType> canon_func_types;  ///< per type index (canonical func types)
  /// Per type index: the Rtt of the canonical type (GC objects, casts).
  std::vector<const gc::Rtt*> rtts;
  /// Element segments as evaluated references; a dropped segment is empty.
  std::vector<std::vector<uint64_t>> elems;
  /// Data segments (spans into the module bytes); a dropped segment has size 0.
  std::vector<Span> datas;

  const Module& m() const { return module->m(); }

  /// A memory imported from another store (a shared memory used by several
  /// threads) outlives this instance: stop it from updating a dead VMContext.
  ~InstanceInst() {
    if (!memories.empty()) memories[0]->remove_observer(&ctx);
  }
};

struct StoreImpl {
  std::shared_ptr<EngineImpl> engine;
  api::Engine engine_handle;
  api::Store* owner = nullptr;
  std::shared_ptr<void> user_data;
  std::deque<FuncInst> funcs;
  std::deque<GlobalInst> globals;
  std::deque<MemoryInst> memories;
  std::deque<TableInst> tables;
  std::deque<InstanceInst> instances;
  std::deque<TagInst> tags;
  /// Caught exceptions that never escaped (ExnInst::escaped), reused by
  /// new_exception for a tag of the same type. Not roots: every collection
  /// empties the list and the sweep frees them, so it never outgrows the
  /// allocation between two collections.
  std::vector<ExnInst*> free_exns;
  /// Host functions that a Linker materialized in this store, keyed by definition.
  std::unordered_map<const void*, FuncInst*> linker_funcs;

  FuncInst* new_host_func(const FuncType& type, HostFunc fn);

  /// The store's GC heap, created at the first allocation with a root
  /// enumerator over this store's globals, tables, element segments and the
  /// interpreter's value stack (engine/runtime/gc_roots.cc).
  gc::Heap& gc_heap() { return heap ? *heap : create_gc_heap(); }
  gc::Heap& create_gc_heap();
  std::unique_ptr<gc::Heap> heap;
  /// Roots of the api::Values that hold GC objects of `heap`.
  ValueRoots value_roots;
};

/// The baseline JIT's entry (jit/baseline/tier.cc), used when EngineConfig::tier is
/// Baseline. Weak so that the runtime links without the JIT; the fixed symbol name
/// lets the `wasmrun` target force it into the link (-u).
Status baseline_invoke(FuncInst* f, const uint64_t* args, uint64_t* results) __asm__(
    "wasmrun_baseline_invoke") __attribute__((weak));

/// Visits the GC roots held in this thread's baseline-JIT frames
/// (jit/baseline/frame_roots.cc); the store's root enumerator calls it at every
/// collection. Weak like baseline_invoke: absent when the JIT is not linked.
void baseline_visit_roots(gc::RootVisitor& visit) __asm__("wasmrun_baseline_visit_roots")
    __attribute__((weak));

/// Runs `f` in the tier its engine is configured for: the baseline JIT for every
/// tier but the interpreter (Optimizing and Auto too, until the LLVM tier and
/// tier-up exist), when it is linked; the interpreter otherwise.
inline Status invoke_tiered(FuncInst* f, const uint64_t* args, uint64_t* results) {
  if (f->store->engine->config.tier != api::Tier::Interpreter && &baseline_invoke != nullptr)
    return baseline_invoke(f, args, results);
  return interp::invoke(f, args, results);
}

}  // namespace wasmrun::rt
