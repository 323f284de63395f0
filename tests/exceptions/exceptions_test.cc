// Exception handling through the public API and the interpreter: try_table and
// legacy try/catch/delegate/rethrow, exnref values kept in locals, globals and
// tables, payloads of every kind, exceptions crossing host functions, uncaught
// exceptions reaching the embedder, and unwinding of deep recursion.
#include <gtest/gtest.h>

#include "wasmrun/wasmrun.h"

using namespace wasmrun::api;

namespace {

Module compile(const Engine& e, std::string_view wat) {
  auto m = Module::compile(e, wat);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().to_string());
  return m.ok() ? *m : Module();
}

Instance instantiate(Linker& l, Store& s, const Module& m) {
  auto i = l.instantiate(s, m);
  EXPECT_TRUE(i.ok()) << (i.ok() ? "" : i.error().to_string());
  return i.ok() ? *i : Instance();
}

int32_t call_i32(const Instance& inst, std::string_view name, std::vector<Value> args = {}) {
  if (!inst.valid()) return -1;
  auto f = inst.func(name);
  EXPECT_TRUE(f.has_value()) << name;
  if (!f) return -1;
  auto r = f->call(std::span<const Value>(args));
  EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().to_string());
  if (!r.ok() || r->empty()) return -1;
  return (*r)[0].i32();
}

TEST(Exceptions, ThrowCatchAcrossCalls) {
  Engine e;
  Store s(e);
  Linker l(e);
  Instance inst = instantiate(l, s, compile(e, R"((module
    (tag $e (param i32 i64))
    (tag $other)
    (func $leaf (param i32) (throw $e (local.get 0) (i64.const 40)))
    (func $mid (param i32) (result i32)
      (call $leaf (i32.add (local.get 0) (i32.const 1))) (i32.const -1))
    (func (export "f") (param i32) (result i32)
      (block $o
        (block $h (result i32 i64)
          (try_table (result i32) (catch $other $o) (catch $e $h)
            (call $mid (local.get 0)))
          (return))
        (i32.wrap_i64) (i32.add) (return))
      (i32.const -2))
    ;; catch_all skips an inner try_table that only catches another tag.
    (func (export "g") (result i32)
      (block $all
        (try_table (catch_all $all)
          (block $o (try_table (catch $other $o) (call $leaf (i32.const 0))))))
      (i32.const 7)))
  )"));
  EXPECT_EQ(call_i32(inst, "f", {Value::i32(1)}), 42);
  EXPECT_EQ(call_i32(inst, "g"), 7);
}

TEST(Exceptions, LegacyRethrowInNestedHandlers) {
  Engine e;
  Store s(e);
  Linker l(e);
  Instance inst = instantiate(l, s, compile(e, R"((module
    (tag $a (param i32))
    (tag $b (param i32))
    ;; The inner catch of $b rethrows the outer caught $a (label 1), not $b.
    (func (export "f") (result i32)
      (try (result i32)
        (do
          (try (result i32)
            (do (throw $a (i32.const 5)))
            (catch $a
              (drop)
              (try (result i32)
                (do (throw $b (i32.const 9)))
                (catch $b (drop) (rethrow 1))))))
        (catch $a (i32.add (i32.const 100)))
        (catch $b (i32.add (i32.const 200)))))
    ;; catch_all + rethrow 0 keeps the payload.
    (func (export "g") (result i32)
      (try (result i32)
        (do (try (do (throw $b (i32.const 3))) (catch_all (rethrow 0))) (i32.const 0))
        (catch $b (i32.const 1000) (i32.add)))))
  )"));
  EXPECT_EQ(call_i32(inst, "f"), 105);
  EXPECT_EQ(call_i32(inst, "g"), 1003);
}

TEST(Exceptions, DelegateToOuterTry) {
  Engine e;
  Store s(e);
  Linker l(e);
  Instance inst = instantiate(l, s, compile(e, R"((module
    (tag $t (param i32))
    ;; delegate 1 skips the middle try (which would answer 2) for the outer one.
    (func (export "f") (result i32)
      (try $outer (result i32)
        (do
          (try (result i32)
            (do
              (try (do (throw $t (i32.const 1))) (delegate $outer))
              (i32.const 0))
            (catch $t (drop) (i32.const 2))))
        (catch $t (i32.const 10) (i32.add))))
    ;; Delegating to the function label leaves the function.
    (func $out (try (do (throw $t (i32.const 4))) (delegate 0)))
    (func (export "g") (result i32)
      (try (result i32) (do (call $out) (i32.const 0)) (catch $t))))
  )"));
  EXPECT_EQ(call_i32(inst, "f"), 11);
  EXPECT_EQ(call_i32(inst, "g"), 4);
}

TEST(Exceptions, ExnrefStoredInLocalGlobalTableRethrownLater) {
  Engine e;
  Store s(e);
  Linker l(e);
  Instance inst = instantiate(l, s, compile(e, R"((module
    (tag $t (param i32))
    (global $g (mut exnref) (ref.null exn))
    (table $tab 2 exnref)
    (func $catch_simple (param i32) (result exnref)
      (block $h (result exnref)
        (try_table (catch_all_ref $h) (throw $t (local.get 0)))
        (unreachable)))
    (func $value (param exnref) (result i32)
      (block $h (result i32)
        (try_table (catch $t $h) (throw_ref (local.get 0)))
        (unreachable)))
    (func (export "f") (result i32)
      (local $x exnref)
      (local.set $x (call $catch_simple (i32.const 1)))
      (global.set $g (call $catch_simple (i32.const 20)))
      (table.set $tab (i32.const 1) (call $catch_simple (i32.const 300)))
      (i32.add (call $value (local.get $x))
        (i32.add (call $value (global.get $g))
                 (call $value (table.get $tab (i32.const 1))))))
    (func (export "null") (throw_ref (ref.null exn))))
  )"));
  EXPECT_EQ(call_i32(inst, "f"), 321);
  ASSERT_TRUE(inst.valid());
  auto r = inst.func("null")->call({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().message, "null exception reference");
}

TEST(Exceptions, MultiValuePayloadWithV128AndReferences) {
  Engine e;
  Store s(e);
  Linker l(e);
  Instance inst = instantiate(l, s, compile(e, R"((module
    (type $ft (func (result i32)))
    (tag $t (param i32 v128 f64 externref (ref null $ft) i64))
    (func $f (type $ft) (i32.const 77))
    (elem declare func $f)
    (func $thrower (param externref)
      (throw $t (i32.const 1) (v128.const i32x4 2 3 4 5) (f64.const 6.5)
                (local.get 0) (ref.func $f) (i64.const 8)))
    ;; Catches with catch_ref so the exnref rides after the payload, then
    ;; checks every field and rethrows the exnref to a catch that sums.
    (func (export "f") (param externref) (result i32)
      (local $sum i32) (local $ex exnref)
      (block $h (result i32 v128 f64 externref (ref null $ft) i64 exnref)
        (try_table (catch_ref $t $h) (call $thrower (local.get 0)))
        (unreachable))
      local.set $ex
      i32.wrap_i64
      local.set $sum                                   ;; 8
      call_ref $ft
      local.get $sum
      i32.add
      local.set $sum                                   ;; +77
      ref.is_null
      (if (then (unreachable)))
      i32.trunc_f64_s
      local.get $sum
      i32.add
      local.set $sum                                   ;; +6
      i32x4.extract_lane 3
      local.get $sum
      i32.add
      local.set $sum                                   ;; +5
      local.get $sum
      i32.add
      local.set $sum                                   ;; +1
      (block $h2 (result i32 v128 f64 externref (ref null $ft) i64)
        (try_table (catch $t $h2) (throw_ref (local.get $ex)))
        (unreachable))
      drop drop drop drop
      i32x4.extract_lane 0
      local.get $sum
      i32.add
      i32.add))
  )"));
  // 8 + 77 + 6 + 5 + 1, then the rethrown payload's lane 0 (2) and i32 (1).
  EXPECT_EQ(call_i32(inst, "f", {Value::externref(5)}), 100);
}

TEST(Exceptions, ThroughHostFunctions) {
  Engine e;
  Store s(e);
  Linker l(e);
  Tag tag = Tag::create(s, FuncType{{ValType::i32()}, {}});
  ASSERT_TRUE(l.define("env", "tag", Extern::of(tag)).ok());
  // wasm -> host -> wasm (throws) -> back through the host to the outer handler.
  ASSERT_TRUE(l.func("env", "reenter", [](Caller& c, int32_t x) -> Status {
                 auto f = c.instance().func("thrower");
                 if (!f) return host_trap("no thrower");
                 auto r = f->call({Value::i32(x)});
                 if (!r.ok()) return std::move(r).error();
                 return {};
               }).ok());
  // A host function throwing a new exception of an imported tag.
  ASSERT_TRUE(l.func("env", "host_throw", FuncType{{ValType::i32()}, {}},
                     [tag](Caller& c, std::span<const Value> args, std::span<Value>) -> Status {
                       Value v = Value::i32(args[0].i32() * 2);
                       return Exception::error(c.store(), tag, std::span<const Value>(&v, 1));
                     })
                  .ok());
  Instance inst = instantiate(l, s, compile(e, R"((module
    (import "env" "tag" (tag $t (param i32)))
    (import "env" "reenter" (func $reenter (param i32)))
    (import "env" "host_throw" (func $host_throw (param i32)))
    (func (export "thrower") (param i32) (throw $t (local.get 0)))
    (func (export "f") (result i32)
      (block $h (result i32)
        (try_table (catch $t $h) (call $reenter (i32.const 41)))
        (i32.const -1))
      (i32.const 1) (i32.add))
    (func (export "g") (result i32)
      (block $h (result i32)
        (try_table (catch $t $h) (call $host_throw (i32.const 21)))
        (i32.const -1)))
    (func $tail (param i32) (return_call $host_throw (local.get 0)))
    (func (export "tail") (result i32)
      (block $h (result i32)
        (try_table (catch $t $h) (call $tail (i32.const 5)))
        (i32.const -1))))
  )"));
  EXPECT_EQ(call_i32(inst, "f"), 42);
  EXPECT_EQ(call_i32(inst, "g"), 42);
  EXPECT_EQ(call_i32(inst, "tail"), 10);
}

TEST(Exceptions, UncaughtReachesEmbedderWithPayload) {
  Engine e;
  Store s(e);
  Linker l(e);
  Instance inst = instantiate(l, s, compile(e, R"((module
    (tag $t (export "t") (param i32 f32))
    (func $inner (throw $t (i32.const 3) (f32.const 1.5)))
    (func (export "f") (call $inner)))
  )"));
  ASSERT_TRUE(inst.valid());
  auto r = inst.func("f")->call({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exception);
  ASSERT_TRUE(r.error().exception);
  const Exception& ex = *r.error().exception;
  auto exported = inst.get_export("t");
  ASSERT_TRUE(exported.has_value());
  EXPECT_EQ(ex.tag().get(), exported->tag.get());
  ASSERT_EQ(ex.payload().size(), 2u);
  EXPECT_EQ(ex.payload()[0].i32(), 3);
  EXPECT_EQ(ex.payload()[1].f32(), 1.5f);
  // The store stays usable after an uncaught exception.
  auto again = inst.func("f")->call({});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::Exception);
}

TEST(Exceptions, TagIdentityAcrossModules) {
  Engine e;
  Store s(e);
  Linker l(e);
  Instance a = instantiate(l, s, compile(e, R"((module
    (tag $t (export "t") (param i32))
    (tag $u (export "u") (param i32))
    (func (export "throw_t") (param i32) (throw $t (local.get 0)))
    (func (export "throw_u") (param i32) (throw $u (local.get 0))))
  )"));
  ASSERT_TRUE(l.define_instance("a", a).ok());
  // $t is imported: caught. $u has the same type but is another tag: not caught.
  Instance b = instantiate(l, s, compile(e, R"((module
    (import "a" "t" (tag $t (param i32)))
    (import "a" "throw_t" (func $throw_t (param i32)))
    (import "a" "throw_u" (func $throw_u (param i32)))
    (tag $local (param i32))
    (func (export "catch_t") (result i32)
      (block $h (result i32)
        (try_table (catch $t $h) (call $throw_t (i32.const 12)))
        (i32.const -1)))
    (func (export "catch_u") (result i32)
      (block $h (result i32)
        (try_table (catch $t $h) (catch $local $h) (call $throw_u (i32.const 13)))
        (i32.const -1))))
  )"));
  EXPECT_EQ(call_i32(b, "catch_t"), 12);
  ASSERT_TRUE(b.valid());
  auto r = b.func("catch_u")->call({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exception);
}

TEST(Exceptions, DeepRecursionUnwinds) {
  Engine e;
  Store s(e);
  Linker l(e);
  Instance inst = instantiate(l, s, compile(e, R"((module
    (tag $t (param i32))
    (func $rec (param i32) (result i32)
      (if (i32.eqz (local.get 0)) (then (throw $t (i32.const 99))))
      (i32.add (call $rec (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))
    (func (export "f") (param i32) (result i32)
      (block $h (result i32)
        (try_table (result i32) (catch $t $h) (call $rec (local.get 0)))
        (return))))
  )"));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call_i32(inst, "f", {Value::i32(20000)}), 99);
  // The frame stack was fully unwound: a shallow call still works.
  EXPECT_EQ(call_i32(inst, "f", {Value::i32(1)}), 99);
}

TEST(Exceptions, GcPayloadSurvivesCollections) {
  // The struct is reachable only through the exception object's payload (the
  // exnref sits in a global, which is not a GC root): exception payloads are
  // roots of their own, so 64 MiB of churn does not free it.
  Engine e;
  Store s(e);
  Linker l(e);
  Instance inst = instantiate(l, s, compile(e, R"((module
    (type $s (struct (field i32) (field (ref null $s))))
    (type $a (array (mut i8)))
    (tag $t (param (ref null $s)))
    (global $g (mut exnref) (ref.null exn))
    (func (export "stash")
      (block $h (result exnref)
        (try_table (catch_all_ref $h)
          (throw $t (struct.new $s (i32.const 41) (struct.new $s (i32.const 1) (ref.null $s)))))
        (unreachable))
      (global.set $g))
    (func (export "churn")
      (local $i i32)
      (loop $l
        (drop (array.new_default $a (i32.const 4096)))
        (drop (struct.new $s (i32.const 0) (ref.null $s)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 16384)))))
    (func (export "fetch") (result i32)
      (local $k (ref null $s))
      (block $h (result (ref null $s))
        (try_table (catch $t $h) (throw_ref (global.get $g)))
        (unreachable))
      (local.set $k)
      (i32.add (struct.get $s 0 (local.get $k))
               (struct.get $s 0 (struct.get $s 1 (local.get $k))))))
  )"));
  ASSERT_TRUE(inst.valid());
  ASSERT_TRUE(inst.func("stash")->call({}).ok());
  ASSERT_TRUE(inst.func("churn")->call({}).ok());
  ASSERT_TRUE(inst.func("churn")->call({}).ok());
  EXPECT_EQ(call_i32(inst, "fetch"), 42);
}

}  // namespace
