// Embedding wasmrun: host functions, calls in both directions, memory access from
// the host, and traps raised by the guest and by the host.
//
// Build as part of the tree (tests/api compiles this file with
// WASMRUN_EMBED_NO_MAIN and calls run_embed_example()) or on its own:
//   clang++-19 -std=c++20 -I. -Iinclude examples/embed.cc <wasmrun libraries>
#include <cstdio>
#include <cstring>
#include <string>

#include "wasmrun/wasmrun.h"

using namespace wasmrun::api;

namespace {

constexpr const char* kGuest = R"((module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32 i32)))
  (import "env" "fail" (func $fail (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello from wasm")
  ;; Calls the host's add, so host -> guest -> host.
  (func (export "sum3") (param i32 i32 i32) (result i32)
    (call $add (call $add (local.get 0) (local.get 1)) (local.get 2)))
  ;; Passes a (pointer, length) string in linear memory to the host.
  (func (export "greet") (call $log (i32.const 0) (i32.const 15)))
  ;; Reads a byte that the host wrote.
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  ;; A guest trap.
  (func (export "divide") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  ;; A host trap (the host refuses negative values).
  (func (export "check") (param i32) (call $fail (local.get 0))))
)";

}  // namespace

/// Runs the example; returns 0 on success. `out` receives what it printed.
int run_embed_example(std::string& out) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);

  // A typed host function: its wasm type (i32, i32) -> i32 comes from the lambda.
  (void)linker.func("env", "add", [](int32_t a, int32_t b) { return a + b; });
  // A host function that reads the caller's memory.
  (void)linker.func("env", "log", [&out](Caller& caller, int32_t ptr, int32_t len) -> Status {
    auto mem = caller.memory();
    if (!mem) return host_trap("no memory export");
    std::string s(static_cast<size_t>(len), '\0');
    if (Status st = mem->read(static_cast<uint32_t>(ptr), s.data(), s.size()); !st.ok()) return st;
    out += s + "\n";
    return {};
  });
  // A host function that traps.
  (void)linker.func("env", "fail", [](int32_t v) -> Status {
    if (v < 0) return host_trap("negative value rejected by the host");
    return {};
  });

  auto module = Module::compile(engine, kGuest);
  if (!module.ok()) {
    out += "compile error: " + module.error().to_string() + "\n";
    return 1;
  }
  auto instance = linker.instantiate(store, *module);
  if (!instance.ok()) {
    out += "instantiate error: " + instance.error().to_string() + "\n";
    return 1;
  }

  // Typed call into the guest, which calls back into the host twice.
  auto sum = instance->func("sum3")->call<int32_t(int32_t, int32_t, int32_t)>(1, 2, 3);
  if (!sum.ok() || *sum != 6) return 2;
  out += "sum3(1, 2, 3) = " + std::to_string(*sum) + "\n";

  // The guest hands a string to the host through linear memory.
  if (!instance->func("greet")->call({}).ok()) return 3;

  // The host writes guest memory directly; the guest reads it.
  Memory mem = *instance->memory("memory");
  mem.data()[100] = 77;
  auto peek = instance->func("peek")->call<int32_t(int32_t)>(100);
  if (!peek.ok() || *peek != 77) return 4;
  out += "peek(100) = " + std::to_string(*peek) + "\n";

  // A guest trap comes back as an Error with kind Trap and a backtrace.
  auto div = instance->func("divide")->call<int32_t(int32_t, int32_t)>(1, 0);
  if (div.ok() || div.error().kind != ErrorKind::Trap) return 5;
  out += "divide(1, 0) trapped: " + div.error().message + "\n";

  // A host trap unwinds the guest and comes back unchanged.
  auto chk = instance->func("check")->call<void(int32_t)>(-1);
  if (chk.ok() || chk.error().kind != ErrorKind::Trap) return 6;
  out += "check(-1) trapped: " + chk.error().message + "\n";
  return 0;
}

#ifndef WASMRUN_EMBED_NO_MAIN
int main() {
  std::string out;
  int rc = run_embed_example(out);
  std::fputs(out.c_str(), stdout);
  return rc;
}
#endif
