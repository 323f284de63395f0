// The GC integration seen through the public API: reference encodings at the
// host boundary, allocation traps, cross-module casts, and the roots that are
// easy to miss (element segments built by constant expressions, frames below a
// host call that re-enters wasm and allocates).
#include <gtest/gtest.h>

#include <string>

#include "wasmrun/wasmrun.h"

using namespace wasmrun;
using namespace wasmrun::api;

namespace {

Module compile(const Engine& e, const std::string& wat) {
  auto m = Module::compile(
      e, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(wat.data()), wat.size()));
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().to_string());
  return m.ok() ? *m : Module();
}

TEST(GcApi, HostReferencesKeepTheirPayloadAcrossHierarchies) {
  Engine e;
  Store s(e);
  Linker l(e);
  Module m = compile(e, R"((module
    (func (export "internalize") (param externref) (result anyref)
      (any.convert_extern (local.get 0)))
    (func (export "externalize") (param anyref) (result externref)
      (extern.convert_any (local.get 0)))
    (func (export "is_eq") (param anyref) (result i32) (ref.test eqref (local.get 0)))
    (func (export "i31") (param i32) (result externref)
      (extern.convert_any (ref.i31 (local.get 0))))
    (type $s (struct (field i32)))
    (func (export "obj") (result anyref) (struct.new $s (i32.const 7)))))");
  auto inst = l.instantiate(s, m);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  // Payload 2 would have collided with i31 1 under the old `payload + 1` encoding.
  for (uint64_t payload : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{1} << 40}) {
    auto any = inst->func("internalize")->call({Value::externref(payload)});
    ASSERT_TRUE(any.ok());
    EXPECT_TRUE((*any)[0].is_host_ref());
    EXPECT_FALSE((*any)[0].is_i31_ref());
    EXPECT_EQ((*any)[0].extern_payload(), payload);
    EXPECT_TRUE((*any)[0].same_ref(Value::anyref_host(payload)));
    auto eq = inst->func("is_eq")->call({(*any)[0]});
    ASSERT_TRUE(eq.ok());
    EXPECT_EQ((*eq)[0].i32(), 0);  // a host reference is not an eqref
    auto ext = inst->func("externalize")->call({(*any)[0]});
    ASSERT_TRUE(ext.ok());
    EXPECT_TRUE((*ext)[0].same_ref(Value::externref(payload)));
    EXPECT_EQ((*ext)[0].to_string(), "ref.extern " + std::to_string(payload));
  }
  // An externalized i31 is an externref that is not a host reference.
  auto i31 = inst->func("i31")->call({Value::i32(-1)});
  ASSERT_TRUE(i31.ok());
  EXPECT_FALSE((*i31)[0].is_host_ref());
  EXPECT_TRUE((*i31)[0].is_i31_ref());
  auto obj = inst->func("obj")->call({});
  ASSERT_TRUE(obj.ok());
  EXPECT_TRUE((*obj)[0].is_struct_ref());
  EXPECT_FALSE((*obj)[0].is_array_ref());
  EXPECT_EQ((*obj)[0].to_string(), "ref.struct");
}

TEST(GcApi, TrapsHaveSpecMessagesAndAllocationFailureIsATrap) {
  Engine e;
  Store s(e);
  Linker l(e);
  Module m = compile(e, R"((module
    (type $s (struct (field (mut i32))))
    (type $a (array (mut i64)))
    (func (export "null_struct") (result i32) (struct.get $s 0 (ref.null $s)))
    (func (export "null_array") (result i32) (array.len (ref.null $a)))
    (func (export "oob") (result i64) (array.get $a (array.new_default $a (i32.const 3)) (i32.const 3)))
    (func (export "null_i31") (result i32) (i31.get_s (ref.null i31)))
    (func (export "cast") (result anyref) (ref.cast (ref $s) (ref.i31 (i32.const 1))))
    (func (export "huge") (result i32) (array.len (array.new_default $a (i32.const -1))))))");
  auto inst = l.instantiate(s, m);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  auto expect_trap = [&](const char* f, const char* msg, TrapKind kind) {
    auto r = inst->func(f)->call({});
    ASSERT_FALSE(r.ok()) << f;
    EXPECT_EQ(r.error().kind, ErrorKind::Trap) << f;
    EXPECT_EQ(r.error().message, msg) << f;
    ASSERT_TRUE(r.error().trap) << f;
    EXPECT_EQ(r.error().trap->kind, kind) << f;
  };
  expect_trap("null_struct", "null structure reference", TrapKind::NullStructReference);
  expect_trap("null_array", "null array reference", TrapKind::NullArrayReference);
  expect_trap("oob", "out of bounds array access", TrapKind::OutOfBoundsArrayAccess);
  expect_trap("null_i31", "null i31 reference", TrapKind::NullI31Reference);
  expect_trap("cast", "cast failure", TrapKind::CastFailure);
  // 2^32-1 i64 elements (32 GiB) exceed the 4 GiB heap cap.
  expect_trap("huge", "out of memory: array too large", TrapKind::ArrayTooLarge);
}

TEST(GcApi, CastsAcrossModulesUseCanonicalTypes) {
  Engine e;
  Store s(e);
  Linker l(e);
  Module a = compile(e, R"((module
    (type $point (struct (field i32) (field i32)))
    (type $other (struct (field i32) (field i64)))
    (func (export "point") (result anyref) (struct.new $point (i32.const 1) (i32.const 2)))
    (func (export "other") (result anyref) (struct.new $other (i32.const 1) (i64.const 2)))))");
  auto ia = l.instantiate(s, a);
  ASSERT_TRUE(ia.ok());
  ASSERT_TRUE(l.define_instance("a", *ia).ok());
  Module b = compile(e, R"((module
    (type $pt (struct (field i32) (field i32)))
    (import "a" "point" (func $point (result anyref)))
    (import "a" "other" (func $other (result anyref)))
    (func (export "test") (result i32 i32)
      (ref.test (ref $pt) (call $point))
      (ref.test (ref $pt) (call $other)))
    (func (export "sum") (result i32)
      (local $p (ref $pt))
      (local.set $p (ref.cast (ref $pt) (call $point)))
      (i32.add (struct.get $pt 0 (local.get $p)) (struct.get $pt 1 (local.get $p))))))");
  auto ib = l.instantiate(s, b);
  ASSERT_TRUE(ib.ok()) << ib.error().to_string();
  auto t = ib->func("test")->call({});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)[0].i32(), 1);
  EXPECT_EQ((*t)[1].i32(), 0);
  auto sum = ib->func("sum")->call({});
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ((*sum)[0].i32(), 3);
}

TEST(GcApi, ElementSegmentObjectsSurviveCollectionsDuringInstantiation) {
  // 2000 arrays of 1000 i64 (16 MiB) built by constant expressions: the heap
  // collects (8 MiB threshold) while later items are evaluated, so the earlier
  // items must be rooted through the segment being built.
  const int n = 2000;
  std::string wat = R"((module
    (type $a (array (mut i64)))
    (elem $e (ref $a))";
  for (int i = 0; i < n; ++i)
    wat += " (item (array.new $a (i64.const " + std::to_string(i) + ") (i32.const 1000)))";
  wat += R"()
    (type $all (array (ref $a)))
    (func (export "sum") (result i64)
      (local $all (ref $all)) (local $i i32) (local $s i64)
      (local.set $all (array.new_elem $all $e (i32.const 0) (i32.const )" +
         std::to_string(n) + R"()))
      (loop $l
        (local.set $s (i64.add (local.get $s)
          (array.get $a (array.get $all (local.get $all) (local.get $i)) (i32.const 999))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (array.len (local.get $all)))))
      (local.get $s))))";
  Engine e;
  Store s(e);
  Linker l(e);
  Module m = compile(e, wat);
  auto inst = l.instantiate(s, m);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  auto r = inst->func("sum")->call({});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)[0].i64(), int64_t{n} * (n - 1) / 2);
}

TEST(GcApi, FramesBelowAHostCallStayRooted) {
  // "outer" keeps a struct only in a local, then calls the host, which re-enters
  // wasm to allocate 64 MiB of garbage (several collections). The struct must
  // survive: the frames below the host call are scanned.
  Engine e;
  Store s(e);
  Linker l(e);
  ASSERT_TRUE(l.func("env", "churn", [](Caller& c) -> Status {
                 auto f = c.instance().func("churn");
                 if (!f) return host_trap("no churn");
                 auto r = f->call({});
                 return r.ok() ? Status{} : Status(r.error());
               }).ok());
  Module m = compile(e, R"((module
    (import "env" "churn" (func $host_churn))
    (type $s (struct (field i32) (field (ref null $s))))
    (type $a (array (mut i8)))
    (func (export "churn")
      (local $i i32)
      (loop $l
        (drop (array.new_default $a (i32.const 4096)))
        ;; same size class as "outer"'s structs, so a freed one would be reused
        (drop (struct.new $s (i32.const 0) (ref.null $s)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 16384)))))
    (func (export "outer") (result i32)
      (local $keep (ref null $s))
      (local.set $keep (struct.new $s (i32.const 41)
                         (struct.new $s (i32.const 1) (ref.null $s))))
      (call $host_churn)
      (call $host_churn)
      (i32.add (struct.get $s 0 (local.get $keep))
               (struct.get $s 0 (struct.get $s 1 (local.get $keep)))))))");
  auto inst = l.instantiate(s, m);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  auto r = inst->func("outer")->call({});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)[0].i32(), 42);
}

}  // namespace
