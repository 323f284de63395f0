// wasmrun: the public C++ embedding API.
//
// NOTE FOR CALLERS (CLI, spec runner, WASI): this header is the contract. Names and
// signatures here are stable; implementations land behind them in engine/runtime.
//
//   Engine  ─ configuration (features, tier) and engine-wide state (type registry).
//   Module  ─ a compiled, validated module; from binary bytes or WAT text.
//   Store   ─ owns every runtime object (instances, functions, memories, tables,
//             globals). Handles (Func, Memory, Table, Global, Instance) are plain
//             pointers into a Store and stay valid exactly as long as that Store.
//   Linker  ─ names -> definitions; resolves a module's imports and instantiates it.
//   Value   ─ a typed WebAssembly value (i32, i64, f32, f64, v128, reference).
//
// Errors come back as Result<T> / Status (wasmrun/result.h) with ErrorKind
// Malformed / Invalid (compile), Unlinkable / Uninstantiable (instantiate), Trap /
// Exhaustion (execution: Error::trap has the kind and wasm backtrace), and Exit
// (a host function ended the program with an exit code, e.g. WASI proc_exit).
//
// Namespace: everything here is in wasmrun::api, because engine-internal types
// (the decoded wasmrun::Module, wasmrun::Table, wasmrun::Global) already own those
// names in namespace wasmrun. Shared vocabulary types (ValType, FuncType, Result,
// Error, ...) are re-exported into wasmrun::api, so `using namespace wasmrun::api;`
// is all an embedder needs.
//
// Thread-safety: Engine and Module are immutable after creation and may be shared
// between threads. A Store and everything in it (instances, handles, calls) must be
// used by one thread at a time. A Linker may be shared read-only once defined.
//
// Threads (wasm threads / wasi-threads): give each OS thread its own Store and its
// own Instance, and share linear memory through a *shared* Memory (limits.shared,
// which requires a maximum) imported into every thread's instance. Such a memory
// may be imported across stores, is accessed by atomics with sequentially
// consistent semantics, grows from any thread (serialized; its base never moves),
// and memory.atomic.wait/notify block and wake across all of them. The Store that
// created a shared memory must outlive every Store whose instances import it. An
// unshared Memory, a Table or a Global imported across stores is not made
// thread-safe: use it from one thread at a time. The interpreter's stacks are per
// OS thread; the engine's type registry and lazily lowered code are locked.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/features.h"
#include "engine/types.h"
#include "wasmrun/result.h"
#include "wasmrun/trap.h"

namespace wasmrun {
namespace rt {
struct EngineImpl;
struct CompiledModule;
struct StoreImpl;
struct FuncInst;
struct MemoryInst;
struct TableInst;
struct GlobalInst;
struct TagInst;
struct ExnInst;
struct InstanceInst;
struct RootCell;
}  // namespace rt
}  // namespace wasmrun

namespace wasmrun::api {

using wasmrun::AbsHeap;
using wasmrun::Error;
using wasmrun::ErrorKind;
using wasmrun::ExternKind;
using wasmrun::Features;
using wasmrun::FuncType;
using wasmrun::GlobalType;
using wasmrun::HeapType;
using wasmrun::Limits;
using wasmrun::MemoryType;
using wasmrun::Result;
using wasmrun::Status;
using wasmrun::TableType;
using wasmrun::TrapFrame;
using wasmrun::TrapInfo;
using wasmrun::TrapKind;
using wasmrun::ValKind;
using wasmrun::ValType;

class Store;
class Func;
class Caller;

/// Which execution tier runs wasm code. Baseline (the default) is the asmjit JIT
/// (jit/baseline/), compiling each function at its first call, with functions it
/// cannot compile run by the interpreter; when the JIT is not linked in, the
/// interpreter runs everything. Optimizing and Auto (the LLVM tier, tier-up) do
/// not exist yet and run the baseline JIT.
enum class Tier : uint8_t { Interpreter, Baseline, Optimizing, Auto };

struct EngineConfig {
  Features features = Features::all();
  Tier tier = Tier::Baseline;
  /// Maximum depth of nested wasm calls before "call stack exhausted".
  uint32_t max_call_depth = 100000;
  /// Size of the interpreter's value stack, in bytes (per thread).
  size_t value_stack_bytes = size_t{64} << 20;
  /// Cap on each Store's GC heap (memory mapped for structs and arrays), in
  /// bytes. An allocation that does not fit even after a full collection traps
  /// "out of memory: GC heap exhausted"; the store stays usable.
  uint64_t gc_heap_limit = uint64_t{4} << 30;
};

/// Engine-wide configuration and shared state. Cheap to copy (shared handle).
class Engine {
 public:
  Engine();
  explicit Engine(const EngineConfig& config);
  const EngineConfig& config() const;
  rt::EngineImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<rt::EngineImpl>& shared_impl() const { return impl_; }

 private:
  std::shared_ptr<rt::EngineImpl> impl_;
};

/// 16 raw bytes of a v128, lane 0 first (little endian).
struct V128 {
  uint8_t bytes[16] = {};
  bool operator==(const V128& o) const { return std::memcmp(bytes, o.bytes, 16) == 0; }
};

/// A typed WebAssembly value. References are opaque: a funcref is a Func (it
/// remembers its instance, so it can be called from any module of the Store); an
/// externref carries a 64-bit host payload (any value except UINT64_MAX).
///
/// GC references (structs and arrays, whatever the static type: anyref, eqref,
/// structref, arrayref, externref of an externalized object, a concrete type)
/// returned by Func::call, Global::get, Table::get or passed to host functions
/// are rooted: while any copy of the Value exists, the object survives
/// collections of its Store. Copies share one root; dropping the last one lets
/// the object be collected. Do not use such a Value after its Store is gone.
class Value {
 public:
  Value() : type_(ValType::i32()) { bits_.u64 = 0; }
  Value(const Value& o) : type_(o.type_), bits_(o.bits_), root_(o.root_) {
    if (root_) retain_root(root_);
  }
  Value(Value&& o) noexcept : type_(o.type_), bits_(o.bits_), root_(o.root_) { o.root_ = nullptr; }
  Value& operator=(const Value& o) {
    if (o.root_) retain_root(o.root_);
    if (root_) release_root(root_);
    type_ = o.type_;
    bits_ = o.bits_;
    root_ = o.root_;
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      if (root_) release_root(root_);
      type_ = o.type_;
      bits_ = o.bits_;
      root_ = o.root_;
      o.root_ = nullptr;
    }
    return *this;
  }
  ~Value() {
    if (root_) release_root(root_);
  }

  static Value i32(int32_t v);
  static Value i64(int64_t v);
  static Value f32(float v);
  static Value f64(double v);
  static Value f32_bits(uint32_t bits);
  static Value f64_bits(uint64_t bits);
  static Value v128(const V128& v);
  /// A null reference of the given reference type (e.g. ValType::funcref()).
  static Value null(const ValType& ref_type);
  static Value funcref(Func f);
  static Value externref(uint64_t payload);
  /// A host reference as an anyref (the spec suite's `ref.host N`): the same
  /// bits as externref(payload), since any.convert_extern is the identity.
  static Value anyref_host(uint64_t payload);
  /// The default (zero / null) value of a defaultable type.
  static Value zero(const ValType& type);

  const ValType& type() const { return type_; }
  int32_t i32() const { return static_cast<int32_t>(bits_.u64); }
  int64_t i64() const { return static_cast<int64_t>(bits_.u64); }
  float f32() const;
  double f64() const;
  uint32_t f32_bits() const { return static_cast<uint32_t>(bits_.u64); }
  uint64_t f64_bits() const { return bits_.u64; }
  V128 v128() const;

  /// References.
  bool is_ref() const { return type_.is_ref(); }
  bool is_null() const { return bits_.u64 == 0; }
  /// The function of a non-null funcref (or a Func whose get() is null).
  Func func() const;
  /// The payload of a non-null host reference (is_host_ref()). Host references
  /// are encoded `payload << 2 | 2` (gc/value.h) so that they never collide with
  /// i31refs or GC objects once internalized; payloads are below 2^62.
  uint64_t extern_payload() const { return bits_.u64 >> 2; }
  /// Kinds of non-null any/extern references (gc/value.h encoding): a host
  /// reference, an i31, a GC struct, a GC array.
  bool is_host_ref() const { return (bits_.u64 & 3) == 2; }
  bool is_i31_ref() const { return is_ref() && (bits_.u64 & 1) == 1; }
  bool is_struct_ref() const;
  bool is_array_ref() const;
  /// Reference identity: equal iff both null, the same function, or the same payload.
  bool same_ref(const Value& o) const { return bits_.u64 == o.bits_.u64; }

  /// Engine-internal: the raw slot bits (a funcref is a FuncInst*; any/extern
  /// references use the gc/value.h encoding).
  uint64_t raw() const { return bits_.u64; }
  /// Not rooted: valid until the store next allocates (engine-internal use).
  static Value from_raw(const ValType& type, const uint64_t* slots);
  /// Rooted in `store` when it holds a GC object of the store's heap.
  static Value from_raw(const ValType& type, const uint64_t* slots, rt::StoreImpl& store);
  void to_raw(uint64_t* slots) const;
  /// Whether this Value keeps a GC object alive (see the class comment).
  bool is_rooted() const { return root_ != nullptr; }

  /// Text like "i32:42", "f64:1.5", "ref.null", "ref.extern 3", "ref.func".
  std::string to_string() const;

 private:
  ValType type_;
  union {
    uint64_t u64;
    uint8_t v128[16];
  } bits_;
  rt::RootCell* root_ = nullptr;

  static void retain_root(rt::RootCell* c);
  static void release_root(rt::RootCell* c);
};

/// The type of an import or export.
struct ExternType {
  ExternKind kind = ExternKind::Func;
  FuncType func;  ///< Func, Tag (tag: params only)
  TableType table;
  MemoryType memory;
  GlobalType global;
};

struct ImportType {
  std::string module;
  std::string name;
  ExternType type;
};

struct ExportType {
  std::string name;
  ExternType type;
};

/// A compiled (decoded and validated) module. Cheap to copy (shared handle).
class Module {
 public:
  /// Compile a binary module, or WAT text when the input does not start with "\0asm".
  /// Errors: Malformed (with the text parser's or decoder's message), Invalid.
  static Result<Module> compile(const Engine& engine, std::span<const uint8_t> bytes);
  static Result<Module> compile(const Engine& engine, std::string_view wat_or_binary);

  std::vector<ImportType> imports() const;
  std::vector<ExportType> exports() const;
  /// The module's name from the name section, if any.
  std::optional<std::string> name() const;

  Module() = default;
  const std::shared_ptr<rt::CompiledModule>& impl() const { return impl_; }
  explicit Module(std::shared_ptr<rt::CompiledModule> m) : impl_(std::move(m)) {}

 private:
  std::shared_ptr<rt::CompiledModule> impl_;
};

/// What a host function returns: success, or an Error (make one with
/// Trap::error / exit_error below) that unwinds the guest.
using HostFunc =
    std::function<Status(Caller& caller, std::span<const Value> args, std::span<Value> results)>;

/// A function: wasm (of some instance) or host. A handle into a Store.
class Func {
 public:
  Func() = default;
  explicit Func(rt::FuncInst* f) : f_(f) {}
  /// Create a host function with an explicit type.
  static Func create(Store& store, const FuncType& type, HostFunc fn);

  bool valid() const { return f_ != nullptr; }
  const FuncType& type() const;

  /// Untyped call; arguments must match the parameter types.
  Result<std::vector<Value>> call(std::span<const Value> args) const;
  Result<std::vector<Value>> call(std::initializer_list<Value> args) const {
    return call(std::span<const Value>(args.begin(), args.size()));
  }

  /// Typed call: `f.call<int32_t(int32_t, int32_t)>(1, 2)`. Supported C++ types:
  /// int32_t, uint32_t, int64_t, uint64_t, float, double; results: void, one of
  /// those, or std::tuple of them. A signature mismatch returns a Usage error.
  template <class Sig, class... Args>
  auto call(Args... args) const;

  rt::FuncInst* get() const { return f_; }
  bool operator==(const Func& o) const { return f_ == o.f_; }

 private:
  rt::FuncInst* f_ = nullptr;
};

/// A linear memory. data() may move when the memory grows (memory64 / no guard).
class Memory {
 public:
  Memory() = default;
  explicit Memory(rt::MemoryInst* m) : m_(m) {}
  static Result<Memory> create(Store& store, const MemoryType& type);

  bool valid() const { return m_ != nullptr; }
  MemoryType type() const;
  uint8_t* data() const;
  /// Current size in bytes and in 64 KiB pages.
  uint64_t size_bytes() const;
  uint64_t size_pages() const;
  /// Grow by `delta` pages; returns the old size in pages, or -1 on failure.
  int64_t grow(uint64_t delta) const;
  /// Bounds-checked copies between host and guest memory.
  Status read(uint64_t offset, void* out, size_t n) const;
  Status write(uint64_t offset, const void* in, size_t n) const;

  rt::MemoryInst* get() const { return m_; }

 private:
  rt::MemoryInst* m_ = nullptr;
};

class Table {
 public:
  Table() = default;
  explicit Table(rt::TableInst* t) : t_(t) {}
  /// A table of `type.limits.min` elements, each `init` (a reference of the element type).
  static Result<Table> create(Store& store, const TableType& type, const Value& init);

  bool valid() const { return t_ != nullptr; }
  TableType type() const;
  uint64_t size() const;
  Result<Value> get(uint64_t index) const;
  Status set(uint64_t index, const Value& v) const;
  /// Returns the old size, or -1 on failure.
  int64_t grow(uint64_t delta, const Value& init) const;

  rt::TableInst* get_impl() const { return t_; }

 private:
  rt::TableInst* t_ = nullptr;
};

class Global {
 public:
  Global() = default;
  explicit Global(rt::GlobalInst* g) : g_(g) {}
  static Result<Global> create(Store& store, const GlobalType& type, const Value& init);

  bool valid() const { return g_ != nullptr; }
  GlobalType type() const;
  Value get() const;
  /// Fails (Usage) for an immutable global or a value of the wrong type.
  Status set(const Value& v) const;

  rt::GlobalInst* get_impl() const { return g_; }

 private:
  rt::GlobalInst* g_ = nullptr;
};

/// An exception tag (identity plus a parameter type). Tags can be imported and
/// exported; an exception is caught by a handler naming the same tag object, so
/// importing one tag into two modules lets them catch each other's throws.
class Tag {
 public:
  Tag() = default;
  explicit Tag(rt::TagInst* t) : t_(t) {}
  static Tag create(Store& store, const FuncType& type);

  bool valid() const { return t_ != nullptr; }
  const FuncType& type() const;
  rt::TagInst* get() const { return t_; }

 private:
  rt::TagInst* t_ = nullptr;
};

/// A WebAssembly exception: a tag and its payload (docs/exceptions.md). An
/// uncaught exception reaches the embedder as an Error of kind Exception whose
/// `exception` field is one of these. A host function may return such an Error
/// (from a nested call, or made with `error()`): the exception then propagates
/// into the wasm code that called the host function, where handlers can catch it.
class Exception {
 public:
  /// `ref`: the exception object as a (rooted) exnref Value.
  Exception(Tag tag, std::vector<Value> payload, Value ref)
      : tag_(tag), payload_(std::move(payload)), ref_(std::move(ref)) {}
  Tag tag() const { return tag_; }
  /// The tag's parameters, in order.
  const std::vector<Value>& payload() const { return payload_; }
  /// The exception as an exnref. Rooted: the exception object (and its
  /// payload) stays alive while this Exception, or a copy of the Value, lives.
  const Value& exnref() const { return ref_; }
  /// Engine-internal: the exception object (what an exnref points to).
  rt::ExnInst* get() const { return reinterpret_cast<rt::ExnInst*>(ref_.raw()); }

  /// An Error of kind Exception carrying a new exception `tag(payload)` created
  /// in `store`. Usage error when the payload does not match the tag's type.
  static Error error(Store& store, Tag tag, std::span<const Value> payload);

 private:
  Tag tag_;
  std::vector<Value> payload_;
  Value ref_;
};

/// Any externally visible entity.
struct Extern {
  ExternKind kind = ExternKind::Func;
  Func func;
  Table table;
  Memory memory;
  Global global;
  Tag tag;

  static Extern of(Func f) {
    Extern e;
    e.kind = ExternKind::Func;
    e.func = f;
    return e;
  }
  static Extern of(Table t) {
    Extern e;
    e.kind = ExternKind::Table;
    e.table = t;
    return e;
  }
  static Extern of(Memory m) {
    Extern e;
    e.kind = ExternKind::Memory;
    e.memory = m;
    return e;
  }
  static Extern of(Global g) {
    Extern e;
    e.kind = ExternKind::Global;
    e.global = g;
    return e;
  }
  static Extern of(Tag t) {
    Extern e;
    e.kind = ExternKind::Tag;
    e.tag = t;
    return e;
  }
  ExternType type() const;
};

/// An instantiated module.
class Instance {
 public:
  Instance() = default;
  explicit Instance(rt::InstanceInst* i) : i_(i) {}

  bool valid() const { return i_ != nullptr; }
  std::optional<Extern> get_export(std::string_view name) const;
  std::optional<Func> func(std::string_view name) const;
  std::optional<Memory> memory(std::string_view name) const;
  std::optional<Table> table(std::string_view name) const;
  std::optional<Global> global(std::string_view name) const;
  /// Every export, in module order.
  std::vector<std::pair<std::string, Extern>> exports() const;
  /// Memory by index (for host functions that address "memory 0").
  std::optional<Memory> memory_at(uint32_t index) const;

  rt::InstanceInst* get() const { return i_; }

 private:
  rt::InstanceInst* i_ = nullptr;
};

/// Owns every runtime object. Not copyable; destroying it frees all instances.
class Store {
 public:
  explicit Store(const Engine& engine);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const Engine& engine() const;
  rt::StoreImpl* impl() const { return impl_.get(); }

  /// Embedder data (e.g. a WASI context) that host functions reach via Caller.
  void set_data(std::shared_ptr<void> data);
  void* data() const;

  /// A full collection of this store's GC heap now (also allowed from a host
  /// function called by wasm). Allocation pressure triggers collections anyway.
  void collect_garbage();
  /// This store's GC heap statistics (all zero before its first allocation).
  struct GcStats {
    uint64_t live_bytes = 0;  ///< bytes of objects that survived the last collection
    uint64_t used_bytes = 0;  ///< bytes of allocated objects now (live or garbage)
    uint64_t used_objects = 0;
    uint64_t heap_bytes = 0;  ///< memory mapped for the heap
    uint64_t heap_limit = 0;  ///< EngineConfig::gc_heap_limit
    uint64_t collections = 0;
    uint64_t allocated_bytes = 0;  ///< cumulative
    uint64_t allocated_objects = 0;
    uint64_t total_pause_ns = 0;  ///< time spent collecting
    /// Exception objects the store holds (thrown and not recycled; see
    /// docs/gc.md, "Exceptions").
    uint64_t exception_objects = 0;
  };
  GcStats gc_stats() const;

 private:
  std::unique_ptr<rt::StoreImpl> impl_;
};

/// Passed to host functions: the store and the calling instance.
class Caller {
 public:
  Caller(Store* store, rt::InstanceInst* instance) : store_(store), instance_(instance) {}
  Store& store() const { return *store_; }
  /// The calling wasm instance (empty Instance when called directly by the host).
  Instance instance() const { return Instance(instance_); }
  /// The caller's export `name` as a memory (WASI's "memory"), if any.
  std::optional<Memory> memory(std::string_view name = "memory") const;
  void* data() const { return store_->data(); }

 private:
  Store* store_;
  rt::InstanceInst* instance_;
};

/// Host-side error constructors for host functions.
/// A trap with the given message (ErrorKind::Trap, TrapKind::Host).
Error host_trap(std::string message);
/// End the program: ErrorKind::Exit with Error::exit_code = code. The guest unwinds
/// cleanly and the embedder's call returns this error.
Error exit_error(int32_t code);

namespace detail {
template <class T>
struct ValTypeOf;
template <>
struct ValTypeOf<int32_t> {
  static ValType get() { return ValType::i32(); }
};
template <>
struct ValTypeOf<uint32_t> {
  static ValType get() { return ValType::i32(); }
};
template <>
struct ValTypeOf<int64_t> {
  static ValType get() { return ValType::i64(); }
};
template <>
struct ValTypeOf<uint64_t> {
  static ValType get() { return ValType::i64(); }
};
template <>
struct ValTypeOf<float> {
  static ValType get() { return ValType::f32(); }
};
template <>
struct ValTypeOf<double> {
  static ValType get() { return ValType::f64(); }
};

template <class T>
Value to_value(T v) {
  if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, uint32_t>)
    return Value::i32(static_cast<int32_t>(v));
  else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t>)
    return Value::i64(static_cast<int64_t>(v));
  else if constexpr (std::is_same_v<T, float>)
    return Value::f32(v);
  else
    return Value::f64(v);
}
template <class T>
T from_value(const Value& v) {
  if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, uint32_t>)
    return static_cast<T>(v.i32());
  else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t>)
    return static_cast<T>(v.i64());
  else if constexpr (std::is_same_v<T, float>)
    return v.f32();
  else
    return v.f64();
}

template <class T>
struct ResultTypes {
  static void add(std::vector<ValType>& out) { out.push_back(ValTypeOf<T>::get()); }
};
template <>
struct ResultTypes<void> {
  static void add(std::vector<ValType>&) {}
};
template <class... Ts>
struct ResultTypes<std::tuple<Ts...>> {
  static void add(std::vector<ValType>& out) { (out.push_back(ValTypeOf<Ts>::get()), ...); }
};
template <class T>
struct ResultTypes<Result<T>> : ResultTypes<T> {};
template <>
struct ResultTypes<Status> {
  static void add(std::vector<ValType>&) {}
};

template <class T>
struct StripResult {
  using type = T;
  static constexpr bool is_result = false;
};
template <class T>
struct StripResult<Result<T>> {
  using type = T;
  static constexpr bool is_result = true;
};
template <>
struct StripResult<Status> {
  using type = void;
  static constexpr bool is_result = true;
};

template <class T>
void store_results(const T& v, std::span<Value> out) {
  if constexpr (requires { std::tuple_size<T>::value; }) {
    [&]<size_t... I>(std::index_sequence<I...>) { ((out[I] = to_value(std::get<I>(v))), ...); }
    (std::make_index_sequence<std::tuple_size_v<T>>());
  } else {
    out[0] = to_value(v);
  }
}

template <class F>
struct CallableTraits : CallableTraits<decltype(&F::operator())> {};
template <class C, class R, class... A>
struct CallableTraits<R (C::*)(A...) const> {
  using Ret = R;
  using Args = std::tuple<A...>;
};
template <class C, class R, class... A>
struct CallableTraits<R (C::*)(A...)> {
  using Ret = R;
  using Args = std::tuple<A...>;
};
template <class R, class... A>
struct CallableTraits<R (*)(A...)> {
  using Ret = R;
  using Args = std::tuple<A...>;
};

template <class Tuple>
struct SplitCaller {
  static constexpr bool kCaller = false;
  using Params = Tuple;
};
template <class... Rest>
struct SplitCaller<std::tuple<Caller&, Rest...>> {
  static constexpr bool kCaller = true;
  using Params = std::tuple<Rest...>;
};
template <class Tuple>
struct ParamTypes;
template <class... P>
struct ParamTypes<std::tuple<P...>> {
  static void add(std::vector<ValType>& out) {
    (out.push_back(ValTypeOf<std::decay_t<P>>::get()), ...);
  }
};

/// Wraps a typed C++ callable (optionally taking Caller& first) as a HostFunc.
template <class F>
std::pair<FuncType, HostFunc> wrap_host(F&& fn) {
  using Traits = CallableTraits<std::decay_t<F>>;
  using R = typename Traits::Ret;
  using Split = SplitCaller<typename Traits::Args>;
  using P = typename Split::Params;
  FuncType type;
  ParamTypes<P>::add(type.params);
  ResultTypes<R>::add(type.results);
  HostFunc h = [fn = std::forward<F>(fn)](Caller& caller, std::span<const Value> args,
                                          std::span<Value> results) mutable -> Status {
    auto invoke = [&]<size_t... I>(std::index_sequence<I...>)->R {
      if constexpr (Split::kCaller)
        return fn(caller, from_value<std::decay_t<std::tuple_element_t<I, P>>>(args[I])...);
      else
        return fn(from_value<std::decay_t<std::tuple_element_t<I, P>>>(args[I])...);
    };
    constexpr size_t kN = std::tuple_size_v<P>;
    using S = StripResult<R>;
    if constexpr (std::is_void_v<R>) {
      invoke(std::make_index_sequence<kN>());
      return {};
    } else if constexpr (S::is_result) {
      R r = invoke(std::make_index_sequence<kN>());
      if (!r.ok()) return std::move(r).error();
      if constexpr (!std::is_void_v<typename S::type>) store_results(r.value(), results);
      return {};
    } else {
      store_results(invoke(std::make_index_sequence<kN>()), results);
      return {};
    }
  };
  return {std::move(type), std::move(h)};
}
}  // namespace detail

/// Resolves imports by (module, name). Host functions defined here are created in
/// each Store the first time it instantiates through this Linker.
class Linker {
 public:
  explicit Linker(const Engine& engine);
  ~Linker();
  Linker(const Linker&) = delete;
  Linker& operator=(const Linker&) = delete;

  /// Allow a later definition to replace an earlier one with the same name.
  void allow_shadowing(bool allow);

  /// Define an existing store object.
  Status define(std::string_view module, std::string_view name, const Extern& item);
  /// Define a host function with an explicit type.
  Status func(std::string_view module, std::string_view name, const FuncType& type, HostFunc fn);
  /// Define a host function from a typed C++ callable; its wasm type is derived from
  /// the parameter and return types. A first parameter `Caller&` receives the caller.
  /// Return Result<T> / Status to trap or exit.
  template <class F>
  Status func(std::string_view module, std::string_view name, F&& fn) {
    auto [type, h] = detail::wrap_host(std::forward<F>(fn));
    return func(module, name, type, std::move(h));
  }
  /// Register every export of `instance` under module name `name`.
  Status define_instance(std::string_view name, const Instance& instance);

  /// Look up a definition (materializing host functions in `store`).
  std::optional<Extern> get(Store& store, std::string_view module, std::string_view name);

  /// Resolve imports and instantiate: Unlinkable ("unknown import", "incompatible
  /// import type"), Uninstantiable ("out of bounds table access", ... or a trap in
  /// the start function).
  Result<Instance> instantiate(Store& store, const Module& module);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Instantiate with an explicit import list, in the module's import order.
Result<Instance> instantiate(Store& store, const Module& module, std::span<const Extern> imports);

/// Creates the `spectest` module the spec test scripts import: print, print_i32,
/// print_i64, print_f32, print_f64, print_i32_f32, print_f64_f64 (printing to stdout),
/// global_i32 = 666, global_i64 = 666, global_f32 = 666.6, global_f64 = 666.6,
/// table (10..20 funcref), table64 (10..20 funcref, 64-bit), memory (1..2),
/// shared_memory (1..2 shared). Defined under module name "spectest".
Status define_spectest(Linker& linker, Store& store);

// ---- typed call implementation ----
namespace detail {
template <class Sig>
struct SigTraits;
template <class R, class... A>
struct SigTraits<R(A...)> {
  using Ret = R;
  using Params = std::tuple<A...>;
  static FuncType type() {
    FuncType t;
    (t.params.push_back(ValTypeOf<A>::get()), ...);
    ResultTypes<R>::add(t.results);
    return t;
  }
};
Status check_signature(const Func& f, const FuncType& expected);
}  // namespace detail

template <class Sig, class... Args>
auto Func::call(Args... args) const {
  using R = typename detail::SigTraits<Sig>::Ret;
  using Out = std::conditional_t<std::is_void_v<R>, Status, Result<R>>;
  if (Status s = detail::check_signature(*this, detail::SigTraits<Sig>::type()); !s.ok())
    return Out(std::move(s).error());
  using Params = typename detail::SigTraits<Sig>::Params;
  static_assert(sizeof...(Args) == std::tuple_size_v<Params>,
                "the number of arguments must match the signature");
  // Each argument converts to the signature's parameter type (so a literal 5
  // passed for an int64_t parameter is an i64).
  std::tuple<Args...> tup(args...);
  Value in[sizeof...(Args) + 1];
  [&]<size_t... I>(std::index_sequence<I...>) {
    ((in[I] = detail::to_value(static_cast<std::tuple_element_t<I, Params>>(std::get<I>(tup)))),
     ...);
  }
  (std::make_index_sequence<sizeof...(Args)>());
  auto r = call(std::span<const Value>(in, sizeof...(Args)));
  if (!r.ok()) return Out(std::move(r).error());
  if constexpr (std::is_void_v<R>) {
    return Out();
  } else if constexpr (requires { std::tuple_size<R>::value; }) {
    return Out([&]<size_t... I>(std::index_sequence<I...>) {
      return R(detail::from_value<std::tuple_element_t<I, R>>((*r)[I])...);
    }(std::make_index_sequence<std::tuple_size_v<R>>()));
  } else {
    return Out(detail::from_value<R>((*r)[0]));
  }
}

}  // namespace wasmrun::api
