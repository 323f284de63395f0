// Precise GC roots: the interpreter's stack maps, rooted api::Values, forced
// collections and heap statistics through the API, and the heap cap.
#include <gtest/gtest.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/interp/code.h"
#include "engine/interp/interp.h"
#include "wasmrun/wasmrun.h"

using wasmrun::ErrorKind;
using wasmrun::Result;
using wasmrun::Status;
using wasmrun::TrapKind;
using wasmrun::ValType;
using wasmrun::api::Caller;
using wasmrun::api::Engine;
using wasmrun::api::EngineConfig;
using wasmrun::api::Instance;
using wasmrun::api::Linker;
using wasmrun::api::Module;
using wasmrun::api::Store;
using wasmrun::api::Tier;
using wasmrun::api::Value;
namespace interp = wasmrun::interp;

namespace {

Module compile(const Engine& e, const std::string& wat) {
  auto m = Module::compile(e, std::string_view(wat));
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().to_string());
  return m.ok() ? *m : Module();
}

/// Every safepoint of `code` with its reference slots.
std::vector<std::pair<uint32_t, std::vector<uint32_t>>> safepoints(const interp::Code& code) {
  std::vector<std::pair<uint32_t, std::vector<uint32_t>>> out;
  for (uint32_t pos = 0; pos < code.words.size(); ++pos)
    if (code.stack_map.has(pos)) out.emplace_back(pos, code.stack_map.ref_slots(pos));
  return out;
}

TEST(GcRoots, StackMapListsReferenceLocalsAndLiveReferenceOperands) {
  Engine e;
  Module m = compile(e, R"((module
    (type $s (struct (field i32)))
    (func $h)
    (func (param $a anyref) (param $n i64) (result i32)
      (local $r (ref null $s)) (local $f funcref) (local $x i32)
      (local.set $r (struct.new_default $s))   ;; safepoint: no operands live
      (struct.new_default $s)                   ;; an operand that lives across the call
      (call $h)                                 ;; safepoint: that operand is a root
      (drop)
      (i32.const 0))))");
  auto code = interp::lower_function(*m.impl(), 1);
  ASSERT_TRUE(code.ok()) << code.error().to_string();
  std::unique_ptr<interp::Code> c(*code);
  EXPECT_TRUE(c->precise_roots);
  auto sps = safepoints(*c);
  // struct.new_default twice and the call.
  ASSERT_EQ(sps.size(), 3u);
  // Locals: $a slot 0, $n 1, $r 2, $f 3, $x 4. Only $a and $r hold GC objects.
  EXPECT_EQ(sps[0].second, (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(sps[1].second, (std::vector<uint32_t>{0, 2}));
  // At the call, the first struct.new_default's result is live in its operand slot.
  ASSERT_EQ(sps[2].second.size(), 3u);
  EXPECT_EQ(sps[2].second[0], 0u);
  EXPECT_EQ(sps[2].second[1], 2u);
  EXPECT_GE(sps[2].second[2], c->num_local_slots);
  EXPECT_LT(sps[2].second[2], c->frame_slots);
}

TEST(GcRoots, CallArgumentsBelongToTheCallee) {
  Engine e;
  Module m = compile(e, R"((module
    (type $s (struct))
    (func $take (param anyref anyref))
    (func (param $a anyref)
      (call $take (struct.new $s) (local.get $a)))))");
  auto code = interp::lower_function(*m.impl(), 1);
  ASSERT_TRUE(code.ok());
  std::unique_ptr<interp::Code> c(*code);
  EXPECT_TRUE(c->precise_roots);
  auto sps = safepoints(*c);
  ASSERT_EQ(sps.size(), 2u);                             // struct.new, call
  EXPECT_EQ(sps[1].second, (std::vector<uint32_t>{0}));  // only $a; the arguments are the callee's
}

struct Harness {
  Engine engine;
  Store store;
  Linker linker;
  std::optional<Instance> inst;
  uint64_t objects_at_collect = 0;
  explicit Harness(EngineConfig cfg) : engine(cfg), store(engine), linker(engine) {}
  void load(const std::string& wat) {
    EXPECT_TRUE(linker
                    .func("host", "collect",
                          [this](Caller& c) -> Status {
                            c.store().collect_garbage();
                            objects_at_collect = c.store().gc_stats().used_objects;
                            return {};
                          })
                    .ok());
    auto i = linker.instantiate(store, compile(engine, wat));
    ASSERT_TRUE(i.ok()) << i.error().to_string();
    inst = *i;
  }
  Result<std::vector<Value>> call(const char* name, std::initializer_list<Value> args) {
    return inst->func(name)->call(args);
  }
};

EngineConfig tier_config(Tier t) {
  EngineConfig c;
  c.tier = t;
  return c;
}

/// The roots tests run on every tier: interpreter frames (stack maps) and
/// baseline-JIT frames (per-call-site slots) must be equally precise.
class GcRootsTiers : public ::testing::TestWithParam<Tier> {};
INSTANTIATE_TEST_SUITE_P(Tiers, GcRootsTiers, ::testing::Values(Tier::Interpreter, Tier::Baseline),
                         [](const auto& info) {
                           return info.param == Tier::Interpreter ? "Interpreter" : "Baseline";
                         });

const char* kPrecisionModule = R"((module
  (type $s (struct (field i64)))
  (import "host" "collect" (func $collect))
  (func (export "make") (result (ref $s)) (struct.new $s (i64.const 42)))
  (func (export "hold_i64") (param $addr i64)
    (local $copy i64)
    (local.set $copy (local.get $addr))
    (call $collect))
  (func (export "hold_ref") (param $r anyref) (call $collect))
  (func (export "get") (param (ref $s)) (result i64) (struct.get $s 0 (local.get 0)))))";

TEST_P(GcRootsTiers, AnIntegerEqualToAnObjectAddressDoesNotRetainIt) {
  Harness h(tier_config(GetParam()));
  h.load(kPrecisionModule);
  uint64_t addr = 0;
  {
    auto v = h.call("make", {});
    ASSERT_TRUE(v.ok());
    Value obj = (*v)[0];
    EXPECT_TRUE(obj.is_rooted());
    addr = obj.raw();
    ASSERT_TRUE(h.call("hold_ref", {obj}).ok());
    EXPECT_EQ(h.objects_at_collect, 1u);  // rooted by the frame and the Value
  }
  // The last Value is gone. The i64 parameter and local hold the object's
  // address, but they are not references: a precise scan frees the object (a
  // conservative scan of the frame would have kept it).
  ASSERT_TRUE(h.call("hold_i64", {Value::i64(static_cast<int64_t>(addr))}).ok());
  EXPECT_EQ(h.objects_at_collect, 0u);
}

TEST_P(GcRootsTiers, ValuesFromCallsSurviveCollectionsAndDroppedOnesAreFreed) {
  Harness h(tier_config(GetParam()));
  h.load(R"((module
    (type $s (struct (field i32) (field (ref null $s))))
    (type $a (array (mut i8)))
    (import "host" "collect" (func $collect))
    (global $g (export "g") (mut anyref) (ref.null any))
    (func (export "make") (param i32) (result (ref $s))
      (struct.new $s (local.get 0) (struct.new $s (i32.const 1) (ref.null $s))))
    (func (export "churn") (param $n i32)
      (loop $l
        (drop (array.new_default $a (i32.const 1000)))
        (drop (struct.new $s (i32.const 0) (ref.null $s)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $l (local.get $n))))
    (func (export "sum") (param (ref $s)) (result i32)
      (i32.add (struct.get $s 0 (local.get 0))
               (struct.get $s 0 (struct.get $s 1 (local.get 0)))))
    (func (export "set_global") (param anyref) (global.set $g (local.get 0)))
    (func (export "get_global") (result anyref) (global.get $g))))");
  auto made = h.call("make", {Value::i32(41)});
  ASSERT_TRUE(made.ok());
  Value keep = (*made)[0];
  made = Result<std::vector<Value>>(std::vector<Value>{});  // drop the other copy
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(h.call("churn", {Value::i32(20000)}).ok());  // ~20 MB of garbage
    h.store.collect_garbage();
  }
  Store::GcStats st = h.store.gc_stats();
  EXPECT_GE(st.collections, 20u);
  EXPECT_GT(st.allocated_bytes, uint64_t{300} << 20);
  // Two structs survive: the one the Value holds and the one it points to.
  EXPECT_EQ(st.used_objects, 2u);
  auto sum = h.call("sum", {keep});
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ((*sum)[0].i32(), 42);

  // Global::get returns a rooted Value too; copies share the root.
  ASSERT_TRUE(h.call("set_global", {keep}).ok());
  {
    Value from_global = h.inst->global("g")->get();
    EXPECT_TRUE(from_global.is_rooted());
    EXPECT_TRUE(from_global.same_ref(keep));
  }
  {
    Value copy = keep;
    Value moved = std::move(copy);
    keep = Value::i32(0);  // drop the original
    ASSERT_TRUE(
        h.call("set_global", {Value::null(ValType::ref(
                                 wasmrun::HeapType::abstract(wasmrun::AbsHeap::Any), true))})
            .ok());
    h.store.collect_garbage();
    EXPECT_EQ(h.store.gc_stats().used_objects, 2u);  // `moved` keeps them
    auto s2 = h.call("sum", {moved});
    ASSERT_TRUE(s2.ok());
    EXPECT_EQ((*s2)[0].i32(), 42);
  }
  h.store.collect_garbage();
  EXPECT_EQ(h.store.gc_stats().used_objects, 0u);  // every handle dropped: freed
}

// A host function's reference arguments are rooted handles on every tier: one
// kept after the call survives collections and reuse of freed cells.
TEST_P(GcRootsTiers, HostArgumentsKeptAfterTheCallStayAlive) {
  Engine engine(tier_config(GetParam()));
  Store store(engine);
  Linker linker(engine);
  std::optional<Value> kept;
  ASSERT_TRUE(
      linker
          .func("host", "keep",
                wasmrun::FuncType{
                    {ValType::ref(wasmrun::HeapType::abstract(wasmrun::AbsHeap::Any), true)}, {}},
                [&](Caller&, std::span<const Value> args, std::span<Value>) -> Status {
                  EXPECT_TRUE(args[0].is_rooted());
                  kept = args[0];
                  return {};
                })
          .ok());
  auto i = linker.instantiate(store, compile(engine, R"((module
    (type $s (struct (field i32)))
    (import "host" "keep" (func $keep (param anyref)))
    (func (export "give") (param i32) (call $keep (struct.new $s (local.get 0))))
    (func (export "churn") (param $n i32)
      (loop $l
        (drop (struct.new $s (i32.const -1)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (func (export "get") (param anyref) (result i32)
      (struct.get $s 0 (ref.cast (ref $s) (local.get 0))))))"));
  ASSERT_TRUE(i.ok()) << i.error().to_string();
  ASSERT_TRUE(i->func("give")->call({Value::i32(4242)}).ok());
  ASSERT_TRUE(kept.has_value());
  for (int round = 0; round < 3; ++round) {
    store.collect_garbage();
    ASSERT_TRUE(i->func("churn")->call({Value::i32(5000)}).ok());
  }
  auto r = i->func("get")->call({*kept});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)[0].i32(), 4242);
  kept.reset();
  store.collect_garbage();
  EXPECT_EQ(store.gc_stats().used_objects, 0u);
}

TEST_P(GcRootsTiers, HeapLimitTrapsCleanlyAndTheStoreStaysUsable) {
  EngineConfig cfg = tier_config(GetParam());
  cfg.gc_heap_limit = uint64_t{16} << 20;
  Harness h(cfg);
  h.load(R"((module
    (type $bytes (array (mut i8)))
    (type $node (struct (field (ref null $node)) (field (ref $bytes))))
    (import "host" "collect" (func $collect))
    (global $list (mut (ref null $node)) (ref.null $node))
    ;; Keeps n 1 KiB nodes alive through the global.
    (func (export "grow") (param $n i32)
      (loop $l
        (global.set $list (struct.new $node (global.get $list)
                                            (array.new_default $bytes (i32.const 1024))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $l (local.get $n))))
    (func (export "clear") (global.set $list (ref.null $node)))
    ;; Allocates n 1 KiB arrays, keeping none.
    (func (export "churn") (param $n i32)
      (loop $l
        (drop (array.new_default $bytes (i32.const 1024)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $l (local.get $n))))))");
  // A live set under the cap, with 200 MiB of garbage: fine.
  ASSERT_TRUE(h.call("grow", {Value::i32(4000)}).ok());  // ~4 MiB live
  auto r = h.call("churn", {Value::i32(200000)});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_LE(h.store.gc_stats().heap_bytes, cfg.gc_heap_limit);
  // 32 MiB live does not fit in 16 MiB: a clean trap with a clear message.
  r = h.call("grow", {Value::i32(32000)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  ASSERT_TRUE(r.error().trap);
  EXPECT_EQ(r.error().trap->kind, TrapKind::HeapExhausted);
  EXPECT_EQ(r.error().message, "out of memory: GC heap exhausted (limit 16777216 bytes)");
  EXPECT_LE(h.store.gc_stats().heap_bytes, cfg.gc_heap_limit);
  // The store keeps working once the live set shrinks.
  ASSERT_TRUE(h.call("clear", {}).ok());
  r = h.call("grow", {Value::i32(4000)});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(h.store.gc_stats().heap_limit, cfg.gc_heap_limit);
}

}  // namespace

namespace {

TEST_P(GcRootsTiers, ThrowCatchLoopsRunInBoundedMemory) {
  Harness h(tier_config(GetParam()));
  h.load(R"((module
    (type $s (struct (field i32)))
    (import "host" "collect" (func $collect))
    (tag $t (param anyref i32))
    (global $keep (mut exnref) (ref.null exn))
    ;; Throws n exceptions carrying a fresh struct, catches each with a non-ref
    ;; catch and sums the payloads.
    (func (export "loop") (param $n i32) (result i32)
      (local $sum i32) (local $r anyref)
      (loop $l
        (block $h (result anyref i32)
          (try_table (catch $t $h)
            (throw $t (struct.new $s (local.get $n)) (local.get $n)))
          (unreachable))
        (local.set $sum (i32.add (local.get $sum)))
        (local.set $r)
        (local.set $sum (i32.add (local.get $sum)
                                 (struct.get $s 0 (ref.cast (ref $s) (local.get $r)))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $l (local.get $n)))
      (local.get $sum))
    ;; Keeps one exnref in a global; its payload object must stay alive.
    (func (export "keep") (param $v i32)
      (block $h (result exnref)
        (try_table (catch_all_ref $h) (throw $t (struct.new $s (local.get $v)) (i32.const 0)))
        (unreachable))
      (global.set $keep))
    (func (export "read_kept") (result i32)
      (block $h (result anyref i32)
        (try_table (catch $t $h) (throw_ref (global.get $keep)))
        (unreachable))
      (drop)
      (struct.get $s 0 (ref.cast (ref $s))))))");
  auto r = h.call("keep", {Value::i32(1234)});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const int n = 1000000;
  r = h.call("loop", {Value::i32(n)});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(static_cast<uint32_t>((*r)[0].i32()), static_cast<uint32_t>(int64_t{n} * (n + 1)));
  Store::GcStats st = h.store.gc_stats();
  EXPECT_GE(st.collections, 1u);
  // One million throws in bounded memory. The interpreter recycles an exception
  // that never escaped at its catch, so only the kept one (and its rethrow)
  // remain; the JIT's catches leave them to the collector.
  if (GetParam() == Tier::Interpreter)
    EXPECT_LE(st.exception_objects, 2u);
  else
    EXPECT_LT(st.exception_objects, static_cast<uint64_t>(n / 10));
  h.store.collect_garbage();
  r = h.call("read_kept", {});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)[0].i32(), 1234);
  // The million payload structs are garbage: only the kept one survives, with
  // the kept exception (a heap object too) that holds it.
  EXPECT_EQ(h.store.gc_stats().used_objects, 2u);
  EXPECT_EQ(h.store.gc_stats().exception_objects, 1u);
}

}  // namespace
