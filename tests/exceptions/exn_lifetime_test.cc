// The lifetime of exception objects (docs/exceptions.md, "Lifetime"): they are
// GC objects, so an exnref that escaped (catch_ref, catch_all_ref, a legacy
// rethrow slot, a global, a host function's Error) keeps its exception alive
// exactly as long as something reaches it, and loops that throw and drop
// exceptions run in bounded memory on every tier. Each test runs on the
// interpreter and on the baseline JIT and checks the store's heap statistics
// (Store::gc_stats) besides the results.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "wasmrun/wasmrun.h"

using namespace wasmrun;
using namespace wasmrun::api;

namespace {

constexpr int32_t kIterations = 1000000;
// Between two collections the heap holds at most its threshold (8 MiB at
// first) of garbage: with exceptions of 48 bytes, far fewer than a million.
constexpr uint64_t kBoundedObjects = 400000;
constexpr uint64_t kBoundedHeapBytes = uint64_t{64} << 20;

const char* kModule = R"((module
  (type $box (struct (field i32)))
  (import "host" "collect" (func $collect))
  (import "host" "call_thrower" (func $call_thrower (param i32)))
  (import "host" "host_throw" (func $host_throw (param i32)))
  (import "host" "tag" (tag $t (param i32)))
  (tag $s (param anyref i32))
  (global $kept (mut exnref) (ref.null exn))
  (global $kept_box (mut exnref) (ref.null exn))

  (func (export "thrower") (param i32) (throw $t (local.get 0)))

  ;; throw + catch_ref + drop: every exception escapes, none is recycled.
  (func (export "catch_ref_loop") (param $n i32) (result i32)
    (local $sum i32)
    (loop $l
      (block $h (result i32 exnref)
        (try_table (catch_ref $t $h) (throw $t (local.get $n)))
        (unreachable))
      (drop)
      (local.set $sum (i32.add (local.get $sum)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))

  ;; throw + catch_all_ref + drop.
  (func (export "catch_all_ref_loop") (param $n i32) (result i32)
    (local $count i32)
    (loop $l
      (block $h (result exnref)
        (try_table (catch_all_ref $h) (throw $t (local.get $n)))
        (unreachable))
      (drop)
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $count))

  ;; Legacy try/catch: the inner catch rethrows (its hidden slot keeps the
  ;; exnref), the outer one sums the payloads.
  (func (export "legacy_loop") (param $n i32) (result i32)
    (local $sum i32)
    (loop $l
      (try
        (do
          (try
            (do (throw $t (local.get $n)))
            (catch $t (drop) (rethrow 0))))
        (catch $t (local.set $sum (i32.add (local.get $sum)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))

  ;; Each exnref is stored into a global, overwriting the previous one.
  (func (export "global_loop") (param $n i32)
    (loop $l
      (block $h (result exnref)
        (try_table (catch_all_ref $h) (throw $t (local.get $n)))
        (unreachable))
      (global.set $kept)
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; The payload of an exnref of tag $t.
  (func (export "payload_of") (param $e exnref) (result i32)
    (block $h (result i32)
      (try_table (catch $t $h) (throw_ref (local.get $e)))
      (unreachable)))

  ;; The payload of the exnref kept in $kept.
  (func (export "read_kept") (result i32)
    (block $h (result i32)
      (try_table (catch $t $h) (throw_ref (global.get $kept)))
      (unreachable)))

  (func (export "clear") (global.set $kept (ref.null exn)) (global.set $kept_box (ref.null exn)))

  ;; Keeps an exception whose payload holds a fresh struct.
  (func (export "keep_box") (param $v i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h)
        (throw $s (struct.new $box (local.get $v)) (i32.add (local.get $v) (i32.const 1))))
      (unreachable))
    (global.set $kept_box))

  ;; Rethrows the kept exception and returns its struct's field plus its i32.
  (func (export "read_box") (result i32)
    (local $i i32)
    (block $h (result anyref i32)
      (try_table (catch $s $h) (throw_ref (global.get $kept_box)))
      (unreachable))
    (local.set $i)
    (struct.get $box 0 (ref.cast (ref $box)))
    (local.get $i)
    (i32.add))

  ;; Throws struct payloads that are caught by reference and dropped, with a
  ;; forced collection every 1000 iterations.
  (func $churn_boxes (export "churn_boxes") (param $n i32)
    (loop $l
      (block $h (result anyref i32 exnref)
        (try_table (catch_ref $s $h) (throw $s (struct.new $box (local.get $n)) (local.get $n)))
        (unreachable))
      (drop) (drop) (drop)
      (if (i32.eqz (i32.rem_u (local.get $n) (i32.const 1000))) (then (call $collect)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; Every other place an exnref can live while collections run: a local, an
  ;; operand under a call, a table, a struct field, another exception's
  ;; payload and a legacy try's rethrow slot. Each holds the only reference
  ;; to an exception whose payload is a fresh struct while churn_boxes
  ;; collects and reuses the freed cells.
  (table $tab 2 exnref)
  (type $holder (struct (field (mut exnref))))
  (tag $w (param exnref))
  (global $holder (mut (ref null $holder)) (ref.null $holder))
  (func $make (param $v i32) (result exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h)
        (throw $s (struct.new $box (local.get $v)) (local.get $v)))
      (unreachable)))
  (func $read (param $e exnref) (result i32)
    (local $i i32)
    (block $h (result anyref i32)
      (try_table (catch $s $h) (throw_ref (local.get $e)))
      (unreachable))
    (local.set $i)
    (struct.get $box 0 (ref.cast (ref $box)))
    (local.get $i)
    (i32.add))
  (func (export "frame_roots") (result i32)
    (local $l exnref) (local $sum i32) (local $i i32)
    (local.set $l (call $make (i32.const 1)))
    (call $churn_boxes (i32.const 3000))
    (local.set $sum (call $read (local.get $l)))
    (call $make (i32.const 10))
    (call $churn_boxes (i32.const 3000))
    (call $read)
    (local.set $sum (i32.add (local.get $sum)))
    (table.set $tab (i32.const 1) (call $make (i32.const 100)))
    (call $churn_boxes (i32.const 3000))
    (local.set $sum (i32.add (local.get $sum) (call $read (table.get $tab (i32.const 1)))))
    (global.set $holder (struct.new $holder (call $make (i32.const 1000))))
    (call $churn_boxes (i32.const 3000))
    (local.set $sum (i32.add (local.get $sum)
                             (call $read (struct.get $holder 0 (global.get $holder)))))
    (local.set $l
      (block $h (result exnref)
        (try_table (catch_all_ref $h) (throw $w (call $make (i32.const 10000))))
        (unreachable)))
    (call $churn_boxes (i32.const 3000))
    (local.set $sum (i32.add (local.get $sum)
      (call $read
        (block $h (result exnref)
          (try_table (catch $w $h) (throw_ref (local.get $l)))
          (unreachable)))))
    (local.set $sum (i32.add (local.get $sum)
      (try (result i32)
        (do
          (try
            (do (throw $s (struct.new $box (i32.const 100000)) (i32.const 100000)))
            (catch $s (drop) (drop) (call $churn_boxes (i32.const 3000)) (rethrow 0)))
          (i32.const -1))
        (catch $s
          (local.set $i)
          (struct.get $box 0 (ref.cast (ref $box)))
          (local.get $i)
          (i32.add)))))
    (local.get $sum))

  ;; Exceptions thrown by wasm through a host function (wasm -> host -> wasm
  ;; throws -> the host returns the error), caught by reference and dropped.
  (func (export "host_loop") (param $n i32) (result i32)
    (local $sum i32)
    (loop $l
      (block $h (result i32 exnref)
        (try_table (catch_ref $t $h) (call $call_thrower (local.get $n)))
        (unreachable))
      (drop)
      (local.set $sum (i32.add (local.get $sum)))
      (block $h2 (result i32)
        (try_table (catch $t $h2) (call $host_throw (local.get $n)))
        (unreachable))
      (local.set $sum (i32.add (local.get $sum)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum)))
)";

struct Harness {
  Engine engine;
  Store store;
  Linker linker;
  Tag tag;
  std::optional<Instance> inst;
  uint64_t collects = 0;

  explicit Harness(Tier tier)
      : engine(config(tier)),
        store(engine),
        linker(engine),
        tag(Tag::create(store, FuncType{{ValType::i32()}, {}})) {
    EXPECT_TRUE(linker.define("host", "tag", Extern::of(tag)).ok());
    EXPECT_TRUE(linker
                    .func("host", "collect",
                          [this](Caller& c) -> Status {
                            c.store().collect_garbage();
                            ++collects;
                            return {};
                          })
                    .ok());
    EXPECT_TRUE(linker
                    .func("host", "call_thrower",
                          [](Caller& c, int32_t x) -> Status {
                            auto r = c.instance().func("thrower")->call({Value::i32(x)});
                            if (!r.ok()) return std::move(r).error();
                            return {};
                          })
                    .ok());
    Tag t = tag;
    EXPECT_TRUE(linker
                    .func("host", "host_throw", FuncType{{ValType::i32()}, {}},
                          [t](Caller& c, std::span<const Value> args, std::span<Value>) -> Status {
                            Value v = Value::i32(args[0].i32() * 2);
                            return Exception::error(c.store(), t, std::span<const Value>(&v, 1));
                          })
                    .ok());
    auto m = Module::compile(engine, std::string_view(kModule));
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().to_string());
    if (!m.ok()) return;
    auto i = linker.instantiate(store, *m);
    EXPECT_TRUE(i.ok()) << (i.ok() ? "" : i.error().to_string());
    if (i.ok()) inst = *i;
  }

  static EngineConfig config(Tier tier) {
    EngineConfig c;
    c.tier = tier;
    return c;
  }

  Result<std::vector<Value>> call(const char* name, std::initializer_list<Value> args) {
    if (!inst) return Error(ErrorKind::Usage, "no instance");
    return inst->func(name)->call(args);
  }
  int32_t call_i32(const char* name, std::initializer_list<Value> args) {
    auto r = call(name, args);
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().to_string());
    if (!r.ok() || r->empty()) return INT32_MIN;
    return (*r)[0].i32();
  }
  void call_void(const char* name, std::initializer_list<Value> args) {
    auto r = call(name, args);
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().to_string());
  }
};

/// n + (n - 1) + ... + 1 as the wasm code sums it (i32, wrapping).
int32_t sum_to(int32_t n) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<int64_t>(n) * (n + 1) / 2));
}

class ExnLifetime : public testing::TestWithParam<Tier> {};

/// After a loop that dropped all its exnrefs: the exceptions were allocated
/// (not recycled), collections ran because of them alone, the heap never held
/// more than a bounded number, and a collection frees them all.
void expect_reclaimed(Harness& h, uint64_t min_allocated) {
  Store::GcStats st = h.store.gc_stats();
  EXPECT_GE(st.allocated_objects, min_allocated);
  EXPECT_GE(st.collections, 1u) << "exception allocation triggers collections";
  EXPECT_LT(st.exception_objects, kBoundedObjects);
  EXPECT_LT(st.heap_bytes, kBoundedHeapBytes);
  h.store.collect_garbage();
  st = h.store.gc_stats();
  EXPECT_EQ(st.exception_objects, 0u);
  EXPECT_EQ(st.used_objects, 0u);
}

TEST_P(ExnLifetime, CatchRefAndDropRunsInBoundedMemory) {
  Harness h(GetParam());
  EXPECT_EQ(h.call_i32("catch_ref_loop", {Value::i32(kIterations)}), sum_to(kIterations));
  expect_reclaimed(h, kIterations);
}

TEST_P(ExnLifetime, CatchAllRefAndDropRunsInBoundedMemory) {
  Harness h(GetParam());
  EXPECT_EQ(h.call_i32("catch_all_ref_loop", {Value::i32(kIterations)}), kIterations);
  expect_reclaimed(h, kIterations);
}

TEST_P(ExnLifetime, LegacyRethrowRunsInBoundedMemory) {
  Harness h(GetParam());
  EXPECT_EQ(h.call_i32("legacy_loop", {Value::i32(kIterations)}), sum_to(kIterations));
  expect_reclaimed(h, kIterations);
}

TEST_P(ExnLifetime, OverwrittenGlobalExnrefsAreReclaimed) {
  Harness h(GetParam());
  h.call_void("global_loop", {Value::i32(kIterations)});
  Store::GcStats st = h.store.gc_stats();
  EXPECT_GE(st.allocated_objects, static_cast<uint64_t>(kIterations));
  EXPECT_GE(st.collections, 1u);
  EXPECT_LT(st.exception_objects, kBoundedObjects);
  h.store.collect_garbage();
  EXPECT_EQ(h.store.gc_stats().exception_objects, 1u) << "the last one, still in the global";
  EXPECT_EQ(h.call_i32("read_kept", {}), 1);
  h.call_void("clear", {});
  h.store.collect_garbage();
  EXPECT_EQ(h.store.gc_stats().exception_objects, 0u);
}

TEST_P(ExnLifetime, PayloadStructLivesExactlyAsLongAsTheExnref) {
  Harness h(GetParam());
  h.call_void("keep_box", {Value::i32(1000)});
  for (int i = 0; i < 5; ++i) h.store.collect_garbage();
  Store::GcStats st = h.store.gc_stats();
  EXPECT_EQ(st.exception_objects, 1u);
  EXPECT_EQ(st.used_objects, 2u) << "the exception and the struct in its payload";
  EXPECT_EQ(h.call_i32("read_box", {}), 1000 + 1001);
  h.call_void("clear", {});
  h.store.collect_garbage();
  st = h.store.gc_stats();
  EXPECT_EQ(st.exception_objects, 0u);
  EXPECT_EQ(st.used_objects, 0u) << "the struct dies with the exception";
}

TEST_P(ExnLifetime, KeptExnrefSurvivesManyCollectionsAndRethrowsIntact) {
  Harness h(GetParam());
  h.call_void("keep_box", {Value::i32(77)});
  // 200 forced collections and 500,000 more exceptions (200,000 with struct
  // payloads) thrown and dropped around the kept one.
  h.call_void("churn_boxes", {Value::i32(200000)});
  EXPECT_EQ(h.collects, 200u);
  EXPECT_EQ(h.call_i32("read_box", {}), 77 + 78);
  for (int i = 0; i < 3; ++i) {
    h.call_void("global_loop", {Value::i32(100000)});
    EXPECT_EQ(h.call_i32("read_box", {}), 77 + 78);
  }
  Store::GcStats st = h.store.gc_stats();
  EXPECT_GE(st.collections, 200u);
  EXPECT_LT(st.heap_bytes, kBoundedHeapBytes);
  h.store.collect_garbage();
  // $kept_box (exception + struct) and $kept (the last global_loop exception).
  EXPECT_EQ(h.store.gc_stats().exception_objects, 2u);
  EXPECT_EQ(h.store.gc_stats().used_objects, 3u);
  EXPECT_EQ(h.call_i32("read_box", {}), 77 + 78);
  EXPECT_EQ(h.call_i32("read_kept", {}), 1);
}

TEST_P(ExnLifetime, ExnrefsInFramesTablesFieldsPayloadsAndRethrowSlotsAreRoots) {
  Harness h(GetParam());
  EXPECT_EQ(h.call_i32("frame_roots", {}), 2 * (1 + 10 + 100 + 1000 + 10000 + 100000));
  EXPECT_EQ(h.collects, 18u);
  h.store.collect_garbage();
  // Still reachable: the table's and the struct's exceptions (with their
  // boxes) and the struct; everything else is garbage.
  Store::GcStats st = h.store.gc_stats();
  EXPECT_EQ(st.exception_objects, 2u);
  EXPECT_EQ(st.used_objects, 5u);
}

TEST_P(ExnLifetime, ExceptionsCrossingHostFunctionsAreReclaimed) {
  Harness h(GetParam());
  constexpr int32_t n = 200000;
  // Per iteration: the payload through call_thrower, twice the payload from
  // host_throw.
  EXPECT_EQ(h.call_i32("host_loop", {Value::i32(n)}),
            static_cast<int32_t>(3u * static_cast<uint32_t>(sum_to(n))));
  expect_reclaimed(h, 2 * static_cast<uint64_t>(n));
}

TEST_P(ExnLifetime, UncaughtExceptionIsRootedByItsError) {
  Harness h(GetParam());
  std::optional<Error> err;
  {
    auto r = h.call("thrower", {Value::i32(5)});
    ASSERT_FALSE(r.ok());
    err = std::move(r).error();
  }
  ASSERT_TRUE(err->exception);
  const Value ref = err->exception->exnref();
  EXPECT_TRUE(ref.is_rooted());
  h.store.collect_garbage();
  EXPECT_EQ(h.store.gc_stats().exception_objects, 1u) << "the Error keeps it";
  err.reset();
  h.store.collect_garbage();
  EXPECT_EQ(h.store.gc_stats().exception_objects, 1u) << "the exnref Value keeps it";
  // Still valid: passed back into wasm and rethrown there.
  EXPECT_EQ(h.call_i32("payload_of", {ref}), 5);
}

TEST_P(ExnLifetime, ExceptionDiesWithItsLastRootedValue) {
  Harness h(GetParam());
  {
    auto r = h.call("thrower", {Value::i32(9)});
    ASSERT_FALSE(r.ok());
    ASSERT_TRUE(r.error().exception);
    h.store.collect_garbage();
    EXPECT_EQ(h.store.gc_stats().exception_objects, 1u);
  }
  h.store.collect_garbage();
  EXPECT_EQ(h.store.gc_stats().exception_objects, 0u);
}

INSTANTIATE_TEST_SUITE_P(Tiers, ExnLifetime, testing::Values(Tier::Interpreter, Tier::Baseline),
                         [](const testing::TestParamInfo<Tier>& i) {
                           return i.param == Tier::Interpreter ? std::string("Interpreter")
                                                               : std::string("Baseline");
                         });

}  // namespace
