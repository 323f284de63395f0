// The public API: compile errors, linking, instantiation errors, host functions
// (typed, untyped, re-entrant, trapping, exiting), cross-module references.
#include <gtest/gtest.h>

#include "wasmrun/wasmrun.h"

using namespace wasmrun::api;

namespace {

Module compile(const Engine& e, std::string_view wat) {
  auto m = Module::compile(e, wat);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().to_string());
  return m.ok() ? *m : Module();
}

TEST(Api, CompileErrorsHaveKinds) {
  Engine e;
  auto bad_text = Module::compile(e, "(module (func (i32.bogus)))");
  ASSERT_FALSE(bad_text.ok());
  EXPECT_EQ(bad_text.error().kind, ErrorKind::Malformed);
  auto invalid = Module::compile(e, "(module (func (result i32) (i64.const 1)))");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().kind, ErrorKind::Invalid);
  EXPECT_EQ(invalid.error().message.rfind("type mismatch", 0), 0u) << invalid.error().message;
  const uint8_t truncated[] = {0, 'a', 's', 'm', 1, 0};
  auto bin = Module::compile(e, std::span<const uint8_t>(truncated));
  ASSERT_FALSE(bin.ok());
  EXPECT_EQ(bin.error().kind, ErrorKind::Malformed);
}

TEST(Api, ImportsAndExportsDescribeTypes) {
  Engine e;
  Module m = compile(e, R"((module
    (import "env" "f" (func (param i32) (result i64)))
    (import "env" "g" (global (mut f32)))
    (memory (export "mem") 1 2)
    (table (export "tab") 3 externref)
    (func (export "h") (param f64))))");
  auto imps = m.imports();
  ASSERT_EQ(imps.size(), 2u);
  EXPECT_EQ(imps[0].module, "env");
  EXPECT_EQ(imps[0].name, "f");
  EXPECT_EQ(imps[0].type.kind, ExternKind::Func);
  EXPECT_EQ(imps[0].type.func.params, std::vector<ValType>{ValType::i32()});
  EXPECT_EQ(imps[0].type.func.results, std::vector<ValType>{ValType::i64()});
  EXPECT_EQ(imps[1].type.kind, ExternKind::Global);
  EXPECT_TRUE(imps[1].type.global.mut);
  auto exps = m.exports();
  ASSERT_EQ(exps.size(), 3u);
  EXPECT_EQ(exps[0].name, "mem");
  EXPECT_EQ(exps[0].type.memory.limits.min, 1u);
  EXPECT_EQ(exps[1].type.table.elem, ValType::externref());
  EXPECT_EQ(exps[2].type.func.params, std::vector<ValType>{ValType::f64()});
}

TEST(Api, LinkErrors) {
  Engine e;
  Store s(e);
  Linker l(e);
  Module m = compile(e, R"((module (import "env" "f" (func (param i32)))))");
  auto r = l.instantiate(s, m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Unlinkable);
  EXPECT_EQ(r.error().message.rfind("unknown import", 0), 0u);
  ASSERT_TRUE(l.func("env", "f", [](int64_t) {}).ok());
  r = l.instantiate(s, m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Unlinkable);
  EXPECT_EQ(r.error().message.rfind("incompatible import type", 0), 0u);
  // Duplicate definitions are refused unless shadowing is allowed.
  EXPECT_FALSE(l.func("env", "f", [](int32_t) {}).ok());
  l.allow_shadowing(true);
  EXPECT_TRUE(l.func("env", "f", [](int32_t) {}).ok());
  EXPECT_TRUE(l.instantiate(s, m).ok());
}

TEST(Api, UninstantiableAndStartTrap) {
  Engine e;
  Store s(e);
  Linker l(e);
  Module oob = compile(e, R"((module (memory 1) (data (i32.const 65535) "ab")))");
  auto r = l.instantiate(s, oob);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Uninstantiable);
  EXPECT_EQ(r.error().message, "out of bounds memory access");
  Module toob = compile(e, R"((module (table 1 funcref) (func $f) (elem (i32.const 1) $f)))");
  r = l.instantiate(s, toob);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "out of bounds table access");
  Module start = compile(e, R"((module (func $s unreachable) (start $s)))");
  r = l.instantiate(s, start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().message, "unreachable");
}

TEST(Api, HostFunctionsTypedUntypedAndReentrant) {
  Engine e;
  Store s(e);
  Linker l(e);
  int calls = 0;
  ASSERT_TRUE(l.func("env", "twice", [&calls](int64_t x) -> int64_t {
                 ++calls;
                 return x * 2;
               }).ok());
  FuncType pair{{ValType::f32()}, {ValType::f32(), ValType::i32()}};
  ASSERT_TRUE(l.func("env", "pair", pair,
                     [](Caller&, std::span<const Value> args, std::span<Value> results) -> Status {
                       results[0] = Value::f32(args[0].f32() + 1.0f);
                       results[1] = Value::i32(7);
                       return {};
                     })
                  .ok());
  // Re-entrancy: the host calls back into the instance's "inc" export.
  ASSERT_TRUE(l.func("env", "reenter", [](Caller& c, int32_t x) -> Result<int32_t> {
                 auto inc = c.instance().func("inc");
                 if (!inc) return host_trap("no inc");
                 return inc->call<int32_t(int32_t)>(x);
               }).ok());
  Module m = compile(e, R"((module
    (import "env" "twice" (func $twice (param i64) (result i64)))
    (import "env" "pair" (func $pair (param f32) (result f32 i32)))
    (import "env" "reenter" (func $reenter (param i32) (result i32)))
    (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func (export "quad") (param i64) (result i64) (call $twice (call $twice (local.get 0))))
    (func (export "pair") (result f32 i32) (call $pair (f32.const 1.5)))
    (func (export "deep") (param i32) (result i32) (call $reenter (call $reenter (local.get 0))))))");
  auto inst = l.instantiate(s, m);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  auto q = inst->func("quad")->call<int64_t(int64_t)>(5);
  ASSERT_TRUE(q.ok()) << q.error().to_string();
  EXPECT_EQ(*q, 20);
  EXPECT_EQ(calls, 2);
  auto p = inst->func("pair")->call<std::tuple<float, int32_t>()>();
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(std::get<0>(*p), 2.5f);
  EXPECT_EQ(std::get<1>(*p), 7);
  auto d = inst->func("deep")->call<int32_t(int32_t)>(40);
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(*d, 42);
  // A typed call with the wrong signature is a usage error, not a crash.
  auto wrong = inst->func("quad")->call<int32_t(int32_t)>(1);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::Usage);
}

TEST(Api, UnboundedHostReentrancyIsExhaustionNotACrash) {
  Engine e;
  Store s(e);
  Linker l(e);
  // wasm -> host -> wasm -> host ... forever: each level uses native stack.
  ASSERT_TRUE(l.func("env", "again", [](Caller& c) -> Status {
                 auto r = c.instance().func("loop")->call({});
                 if (!r.ok()) return std::move(r).error();
                 return {};
               }).ok());
  Module m = compile(e, R"((module
    (import "env" "again" (func $again))
    (func (export "loop") (call $again))))");
  auto inst = l.instantiate(s, m);
  ASSERT_TRUE(inst.ok());
  auto r = inst->func("loop")->call({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
  EXPECT_EQ(r.error().message, "call stack exhausted");
  // Everything unwound: a normal call works again.
  ASSERT_TRUE(l.func("env", "noop", [] {}).ok());
}

TEST(Api, HostExitUnwindsTheGuest) {
  Engine e;
  Store s(e);
  Linker l(e);
  ASSERT_TRUE(
      l.func("wasi", "proc_exit", [](int32_t code) -> Status { return exit_error(code); }).ok());
  Module m = compile(e, R"((module
    (import "wasi" "proc_exit" (func $exit (param i32)))
    (global $after (export "after") (mut i32) (i32.const 0))
    (func $inner (call $exit (i32.const 3)) (global.set $after (i32.const 1)))
    (func (export "main") (call $inner) (global.set $after (i32.const 2)))))");
  auto inst = l.instantiate(s, m);
  ASSERT_TRUE(inst.ok());
  auto r = inst->func("main")->call({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exit);
  EXPECT_EQ(r.error().exit_code, 3);
  EXPECT_EQ(inst->global("after")->get().i32(), 0);
  // The store is still usable afterwards.
  EXPECT_TRUE(inst->func("main")->call({}).error().exit_code == 3);
}

TEST(Api, CrossModuleFunctionReferencesAndSharedState) {
  Engine e;
  Store s(e);
  Linker l(e);
  Module a = compile(e, R"((module
    (type $t (func (result i32)))
    (func $f (export "f") (type $t) (i32.const 11))
    (table (export "tab") 2 funcref)
    (elem (i32.const 0) $f)
    (memory (export "mem") 1)
    (global (export "g") (mut i32) (i32.const 5))))");
  auto ia = l.instantiate(s, a);
  ASSERT_TRUE(ia.ok());
  ASSERT_TRUE(l.define_instance("a", *ia).ok());
  Module b = compile(e, R"((module
    (type $u (func (result i32)))
    (import "a" "tab" (table 2 funcref))
    (import "a" "mem" (memory 1))
    (import "a" "g" (global $g (mut i32)))
    (func (export "call0") (result i32) (call_indirect (type $u) (i32.const 0)))
    (func (export "bad") (result i64) (call_indirect (param) (result i64) (i32.const 0)))
    (func (export "poke") (i32.store (i32.const 4) (i32.const 99)) (global.set $g (i32.const 6)))))");
  auto ib = l.instantiate(s, b);
  ASSERT_TRUE(ib.ok()) << ib.error().to_string();
  // $t and $u are different indices in different modules but the same type.
  auto c = ib->func("call0")->call<int32_t()>();
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(*c, 11);
  auto bad = ib->func("bad")->call({});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "indirect call type mismatch");
  ASSERT_TRUE(ib->func("poke")->call({}).ok());
  EXPECT_EQ(ia->memory("mem")->data()[4], 99);
  EXPECT_EQ(ia->global("g")->get().i32(), 6);
  // Funcref identity: the table holds exactly the exported function.
  auto el = ia->table("tab")->get(0);
  ASSERT_TRUE(el.ok());
  EXPECT_TRUE(el->same_ref(Value::funcref(*ia->func("f"))));
  EXPECT_TRUE(ia->table("tab")->get(1)->is_null());
}

TEST(Api, ExternrefsRoundTrip) {
  Engine e;
  Store s(e);
  Linker l(e);
  Module m = compile(e, R"((module
    (table $t 4 externref)
    (func (export "put") (param i32 externref) (table.set $t (local.get 0) (local.get 1)))
    (func (export "get") (param i32) (result externref) (table.get $t (local.get 0)))
    (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))))");
  auto inst = l.instantiate(s, m);
  ASSERT_TRUE(inst.ok());
  ASSERT_TRUE(inst->func("put")->call({Value::i32(2), Value::externref(0)}).ok());
  auto r = inst->func("get")->call({Value::i32(2)});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE((*r)[0].is_null());
  EXPECT_EQ((*r)[0].extern_payload(), 0u);
  EXPECT_TRUE((*r)[0].same_ref(Value::externref(0)));
  EXPECT_FALSE((*r)[0].same_ref(Value::externref(1)));
  r = inst->func("get")->call({Value::i32(1)});
  EXPECT_TRUE((*r)[0].is_null());
  r = inst->func("is_null")->call({Value::null(ValType::externref())});
  EXPECT_EQ((*r)[0].i32(), 1);
}

TEST(Api, HostMemoryTableGlobal) {
  Engine e;
  Store s(e);
  Linker l(e);
  MemoryType mt;
  mt.limits.min = 1;
  mt.limits.max = 3;
  auto mem = Memory::create(s, mt);
  ASSERT_TRUE(mem.ok());
  auto g = Global::create(s, GlobalType{ValType::i64(), true}, Value::i64(40));
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(l.define("host", "mem", Extern::of(*mem)).ok());
  ASSERT_TRUE(l.define("host", "g", Extern::of(*g)).ok());
  Module m = compile(e, R"((module
    (import "host" "mem" (memory 1))
    (import "host" "g" (global $g (mut i64)))
    (func (export "run") (result i32)
      (global.set $g (i64.add (global.get $g) (i64.const 2)))
      (drop (memory.grow (i32.const 1)))
      (i32.load8_u (i32.const 70000)))))");
  auto inst = l.instantiate(s, m);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  auto r = inst->func("run")->call<int32_t()>();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 0);
  EXPECT_EQ(g->get().i64(), 42);
  EXPECT_EQ(mem->size_pages(), 2u);
  ASSERT_TRUE(mem->write(70000, "\x05", 1).ok());
  r = inst->func("run")->call<int32_t()>();
  EXPECT_EQ(*r, 5);
  EXPECT_EQ(mem->grow(5), -1);
  EXPECT_FALSE(mem->write(mem->size_bytes(), "x", 1).ok());
  EXPECT_FALSE(g->set(Value::i32(1)).ok());  // wrong type
  auto ig = Global::create(s, GlobalType{ValType::i32(), false}, Value::i32(1));
  EXPECT_FALSE(ig->set(Value::i32(2)).ok());  // immutable
}

TEST(Api, HostFuncCalledDirectlyAndAsFuncref) {
  Engine e;
  Store s(e);
  bool from_wasm = true;
  Func twice = Func::create(s, FuncType{{ValType::i32()}, {ValType::i32()}},
                            [&](Caller& c, std::span<const Value> a, std::span<Value> r) -> Status {
                              from_wasm = c.instance().valid();
                              r[0] = Value::i32(a[0].i32() * 2);
                              return {};
                            });
  auto r = twice.call<int32_t(int32_t)>(21);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 42);
  EXPECT_FALSE(from_wasm);  // called by the host: no calling instance
  // The same host function placed in a table and called through call_indirect.
  Linker l(e);
  TableType tt;
  tt.limits.min = 1;
  auto tab = Table::create(s, tt, Value::funcref(twice));
  ASSERT_TRUE(tab.ok());
  ASSERT_TRUE(l.define("host", "tab", Extern::of(*tab)).ok());
  Module m = compile(e, R"((module
    (import "host" "tab" (table 1 funcref))
    (func (export "go") (param i32) (result i32)
      (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0)))))");
  auto inst = l.instantiate(s, m);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  EXPECT_EQ(*inst->func("go")->call<int32_t(int32_t)>(5), 10);
  EXPECT_TRUE(from_wasm);
}

TEST(Api, SpectestModule) {
  Engine e;
  Store s(e);
  Linker l(e);
  ASSERT_TRUE(define_spectest(l, s).ok());
  Module m = compile(e, R"((module
    (import "spectest" "global_i32" (global $g i32))
    (import "spectest" "global_f64" (global $f f64))
    (import "spectest" "table" (table 10 20 funcref))
    (import "spectest" "memory" (memory 1 2))
    (import "spectest" "print_i32" (func $p (param i32)))
    (func (export "g") (result i32) (call $p (global.get $g)) (global.get $g))
    (func (export "f") (result f64) (global.get $f))
    (func (export "tsize") (result i32) (table.size 0))))");
  auto inst = l.instantiate(s, m);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  EXPECT_EQ(*inst->func("g")->call<int32_t()>(), 666);
  EXPECT_EQ(*inst->func("f")->call<double()>(), 666.6);
  EXPECT_EQ(*inst->func("tsize")->call<int32_t()>(), 10);
}

}  // namespace
