// Threads: shared memories used from several OS threads at once, each thread
// with its own Store and instance importing one shared memory (the documented
// model in wasmrun.h). Every test checks a result that a data race, a lost
// wake-up or a non-atomic read-modify-write would break.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "engine/runtime/parking_lot.h"
#include "wasmrun/wasmrun.h"

namespace wasmrun {
namespace {

using api::Value;

// One guest module for all tests; imports the shared memory "env" "mem".
constexpr const char* kGuest = R"((module
  (import "env" "mem" (memory 1 1 shared))
  ;; [0] i32 counter, [8] i64 counter, [16] lock word, [20] plain counter,
  ;; [32] ping-pong turn, [64..) queue: [64] head, [68] tail, [128..) 64 slots
  (func (export "add32") (param $n i32)
    (loop $l
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "add64") (param $n i32)
    (loop $l
      (drop (i64.atomic.rmw.add (i32.const 8) (i64.const 3)))
      (drop (i64.atomic.rmw.sub (i32.const 8) (i64.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; A spin lock from cmpxchg guards a *plain* (non-atomic) increment: lost
  ;; updates would show if cmpxchg or the fences were not atomic.
  (func $lock
    (loop $spin
      (br_if $spin (i32.atomic.rmw.cmpxchg (i32.const 16) (i32.const 0) (i32.const 1)))))
  (func $unlock (i32.atomic.store (i32.const 16) (i32.const 0)))
  (func (export "locked_add") (param $n i32)
    (loop $l
      (call $lock)
      (i32.store (i32.const 20) (i32.add (i32.load (i32.const 20)) (i32.const 1)))
      (call $unlock)
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; Ping-pong: player $me (0 or 1) waits until turn == $me, then passes the turn.
  (func (export "play") (param $me i32) (param $rounds i32) (result i32)
    (local $r i32) (local $t i32)
    (loop $round
      (block $mine
        (loop $wait
          (local.set $t (i32.atomic.load (i32.const 32)))
          (br_if $mine (i32.eq (local.get $t) (local.get $me)))
          (drop (memory.atomic.wait32 (i32.const 32) (local.get $t) (i64.const -1)))
          (br $wait)))
      (i32.atomic.store (i32.const 32) (i32.sub (i32.const 1) (local.get $me)))
      (drop (memory.atomic.notify (i32.const 32) (i32.const 1)))
      (br_if $round (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                              (local.get $rounds))))
    (local.get $r))
  ;; Single-producer single-consumer ring of 64 i32 slots; head/tail are
  ;; free-running counters and both sides block with wait/notify.
  (func (export "produce") (param $n i32)
    (local $i i32) (local $h i32) (local $t i32)
    (loop $l
      (local.set $h (i32.atomic.load (i32.const 64)))
      (block $room
        (loop $full
          (local.set $t (i32.atomic.load (i32.const 68)))
          (br_if $room (i32.lt_u (i32.sub (local.get $h) (local.get $t)) (i32.const 64)))
          (drop (memory.atomic.wait32 (i32.const 68) (local.get $t) (i64.const -1)))
          (br $full)))
      (i32.store (i32.add (i32.const 128) (i32.shl (i32.and (local.get $h) (i32.const 63)) (i32.const 2)))
                 (i32.add (local.get $i) (i32.const 1)))
      (i32.atomic.store (i32.const 64) (i32.add (local.get $h) (i32.const 1)))
      (drop (memory.atomic.notify (i32.const 64) (i32.const 1)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
  (func (export "consume") (param $n i32) (result i64)
    (local $i i32) (local $t i32) (local $h i32) (local $sum i64)
    (loop $l
      (local.set $t (i32.atomic.load (i32.const 68)))
      (block $item
        (loop $empty
          (local.set $h (i32.atomic.load (i32.const 64)))
          (br_if $item (i32.ne (local.get $h) (local.get $t)))
          (drop (memory.atomic.wait32 (i32.const 64) (local.get $h) (i64.const -1)))
          (br $empty)))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u
        (i32.load (i32.add (i32.const 128) (i32.shl (i32.and (local.get $t) (i32.const 63)) (i32.const 2)))))))
      (i32.atomic.store (i32.const 68) (i32.add (local.get $t) (i32.const 1)))
      (drop (memory.atomic.notify (i32.const 68) (i32.const 1)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $sum))
  (func (export "wait32") (param i32 i32 i64) (result i32)
    (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32)
    (memory.atomic.notify (local.get 0) (local.get 1)))
  (func (export "load32") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.atomic.load (local.get 0)))
))";

/// A shared memory in its own store, plus one instance per thread.
struct Fixture {
  api::Engine engine;
  api::Module module;
  api::Store mem_store{engine};
  api::Memory mem;

  Fixture() {
    auto m = api::Module::compile(engine, std::string_view(kGuest));
    EXPECT_TRUE(m.ok()) << m.error().to_string();
    module = *m;
    MemoryType mt;
    mt.limits.min = 1;
    mt.limits.max = 1;
    mt.limits.shared = true;
    auto r = api::Memory::create(mem_store, mt);
    EXPECT_TRUE(r.ok());
    mem = *r;
  }
  /// An instance in `store` (one store per thread).
  api::Instance instantiate(api::Store& store) {
    api::Linker linker(engine);
    EXPECT_TRUE(linker.define("env", "mem", api::Extern::of(mem)).ok());
    auto inst = linker.instantiate(store, module);
    EXPECT_TRUE(inst.ok()) << inst.error().to_string();
    return *inst;
  }
  /// Calls export `name` on a fresh store/instance; the first result or 0.
  Value call(api::Store& store, const char* name, std::initializer_list<Value> args) {
    api::Instance inst = instantiate(store);
    auto r = inst.func(name)->call(args);
    EXPECT_TRUE(r.ok()) << name << ": " << r.error().to_string();
    return r.ok() && !r->empty() ? (*r)[0] : Value::i32(0);
  }
  uint32_t u32(uint64_t at) const {
    uint32_t v;
    std::memcpy(&v, mem.data() + at, 4);
    return v;
  }
  uint64_t u64(uint64_t at) const {
    uint64_t v;
    std::memcpy(&v, mem.data() + at, 8);
    return v;
  }
};

/// Runs `body(thread index)` on `n` threads, each with its own Store.
template <class F>
void on_threads(Fixture& fx, int n, F body) {
  std::vector<std::thread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&fx, &body, i] {
      api::Store store(fx.engine);
      body(store, i);
    });
  for (auto& t : ts) t.join();
}

TEST(Threads, AtomicCountersFromManyThreads) {
  Fixture fx;
  constexpr int kThreads = 8, kIters = 200000;
  on_threads(fx, kThreads, [&](api::Store& s, int) {
    fx.call(s, "add32", {Value::i32(kIters)});
    fx.call(s, "add64", {Value::i32(kIters)});
  });
  EXPECT_EQ(fx.u32(0), uint32_t{kThreads * kIters});
  EXPECT_EQ(fx.u64(8), uint64_t{2} * kThreads * kIters);
}

TEST(Threads, CmpxchgSpinLockProtectsPlainStores) {
  Fixture fx;
  constexpr int kThreads = 4, kIters = 50000;
  on_threads(fx, kThreads,
             [&](api::Store& s, int) { fx.call(s, "locked_add", {Value::i32(kIters)}); });
  EXPECT_EQ(fx.u32(20), uint32_t{kThreads * kIters});
  EXPECT_EQ(fx.u32(16), 0u);  // unlocked at the end
}

TEST(Threads, WaitNotifyPingPong) {
  Fixture fx;
  constexpr int kRounds = 20000;
  std::atomic<int> done{0};
  on_threads(fx, 2, [&](api::Store& s, int me) {
    Value r = fx.call(s, "play", {Value::i32(me), Value::i32(kRounds)});
    EXPECT_EQ(r.i32(), kRounds);
    done.fetch_add(1);
  });
  EXPECT_EQ(done.load(), 2);
  // Each player passed the turn kRounds times: it ends where it started.
  EXPECT_EQ(fx.u32(32), 0u);
}

TEST(Threads, ProducerConsumerQueue) {
  Fixture fx;
  constexpr int kItems = 100000;  // far more than the 64 slots: both sides block
  int64_t sum = 0;
  on_threads(fx, 2, [&](api::Store& s, int role) {
    if (role == 0)
      fx.call(s, "produce", {Value::i32(kItems)});
    else
      sum = fx.call(s, "consume", {Value::i32(kItems)}).i64();
  });
  EXPECT_EQ(sum, int64_t{kItems} * (kItems + 1) / 2);
  EXPECT_EQ(fx.u32(64), uint32_t{kItems});
  EXPECT_EQ(fx.u32(68), uint32_t{kItems});
}

TEST(Threads, WaitTimesOut) {
  Fixture fx;
  api::Store s(fx.engine);
  api::Instance inst = fx.instantiate(s);
  auto t0 = std::chrono::steady_clock::now();
  auto r = inst.func("wait32")->call({Value::i32(40), Value::i32(0), Value::i64(20'000'000)});
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].i32(), 2);  // timed out
  EXPECT_GE(ms.count(), 19);
  EXPECT_LT(ms.count(), 5000);
  // Not equal: returns at once with 1, whatever the timeout.
  r = inst.func("wait32")->call({Value::i32(40), Value::i32(7), Value::i64(-1)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].i32(), 1);
  // Zero timeout on an equal value: 2 without blocking.
  r = inst.func("wait32")->call({Value::i32(40), Value::i32(0), Value::i64(0)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].i32(), 2);
}

TEST(Threads, NotifyCountsWokenWaiters) {
  Fixture fx;
  constexpr int kWaiters = 3;
  std::atomic<int> ok_results{0};
  std::thread notifier([&] {
    // Only notify once all three are really parked on address 48.
    while (rt::parked_count(fx.mem.get(), 48) < kWaiters) std::this_thread::yield();
    api::Store s(fx.engine);
    api::Instance inst = fx.instantiate(s);
    auto first = inst.func("notify")->call({Value::i32(48), Value::i32(2)});
    ASSERT_TRUE(first.ok());
    EXPECT_EQ((*first)[0].i32(), 2);
    while (rt::parked_count(fx.mem.get(), 48) != 1) std::this_thread::yield();
    auto second = inst.func("notify")->call({Value::i32(48), Value::i32(100)});
    ASSERT_TRUE(second.ok());
    EXPECT_EQ((*second)[0].i32(), 1);
  });
  on_threads(fx, kWaiters, [&](api::Store& s, int) {
    Value r = fx.call(s, "wait32", {Value::i32(48), Value::i32(0), Value::i64(-1)});
    if (r.i32() == 0) ok_results.fetch_add(1);
  });
  notifier.join();
  EXPECT_EQ(ok_results.load(), kWaiters);
  // Nobody left: a notify now wakes no one.
  api::Store s(fx.engine);
  EXPECT_EQ(fx.call(s, "notify", {Value::i32(48), Value::i32(1)}).i32(), 0);
}

TEST(Threads, UnsharedMemoryWaitTrapsAndNotifyReturnsZero) {
  api::Engine engine;
  auto m = api::Module::compile(engine, std::string_view(R"((module (memory 1)
    (func (export "wait") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0)))
    (func (export "notify") (result i32) (memory.atomic.notify (i32.const 0) (i32.const 1)))
    (func (export "unaligned") (result i32) (i32.atomic.load (i32.const 2)))
    (func (export "oob") (result i32) (i32.atomic.load (i32.const 65534)))))"));
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  api::Store store(engine);
  api::Linker linker(engine);
  auto inst = linker.instantiate(store, *m);
  ASSERT_TRUE(inst.ok());
  auto w = inst->func("wait")->call({});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().message, "expected shared memory");
  auto n = inst->func("notify")->call({});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)[0].i32(), 0);
  auto u = inst->func("unaligned")->call({});
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().message, "unaligned atomic");
  // 65534 is both misaligned and out of bounds for 4 bytes: bounds win.
  auto o = inst->func("oob")->call({});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().message, "out of bounds memory access");
}

TEST(Threads, SharedMemoryNeverMovesOnGrow) {
  api::Engine engine;
  api::Store store(engine);
  MemoryType mt;
  mt.limits.min = 1;
  mt.limits.max = 1024;
  mt.limits.shared = true;
  auto mem = api::Memory::create(store, mt);
  ASSERT_TRUE(mem.ok());
  uint8_t* base = mem->data();
  EXPECT_EQ(mem->grow(100), 1);
  EXPECT_EQ(mem->grow(923), 101);
  EXPECT_EQ(mem->data(), base);
  EXPECT_EQ(mem->grow(1), -1);         // past the maximum
  mem->data()[1024 * 65536 - 1] = 42;  // the last committed byte is usable
  EXPECT_EQ(mem->data(), base);
}

// ---- wasi-threads through the CLI ----

struct CliRun {
  int status = -1;
  std::string out;
};

CliRun run_cli(const std::string& args) {
  std::string cmd = std::string(WASMRUN_CLI) + " run " + args + " 2>/dev/null";
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[256];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string guest(const char* name) {
  return std::string(WASMRUN_SOURCE_DIR) + "/tests/threads/" + name;
}

TEST(WasiThreads, FourThreadsTenMillionIncrements) {
  CliRun r = run_cli("-S threads " + guest("counter_wasi_threads.wat"));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "10000000\n");
  // --wasi threads is the same switch.
  r = run_cli("--wasi threads " + guest("counter_wasi_threads.wat"));
  EXPECT_EQ(r.status, 0);
}

TEST(WasiThreads, WithoutTheFlagThreadSpawnIsUnknown) {
  CliRun r = run_cli(guest("counter_wasi_threads.wat"));
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.out, "");
}

TEST(WasiThreads, ProcExitOnAThreadEndsTheProgram) {
  // Thread 1 exits with 7 while _start is blocked forever in wait.
  CliRun r = run_cli("-S threads " + guest("exit_from_thread.wat"));
  EXPECT_EQ(r.status, 7);
}

TEST(WasiThreads, TrapOnAThreadEndsTheProgram) {
  CliRun r = run_cli("-S threads " + guest("trap_in_thread.wat"));
  EXPECT_EQ(r.status, 134);
}

}  // namespace
}  // namespace wasmrun

namespace wasmrun {
namespace {

// Atomics address any memory: memory 1 of a multi-memory module and a memory64
// (64-bit addresses, 64-bit offsets), with zero-extended narrow results.
TEST(Threads, AtomicsOnMemory64AndSecondMemory) {
  api::Engine engine;
  auto m = api::Module::compile(engine, std::string_view(R"((module
    (memory $a 1)
    (memory $b i64 1 2 shared)
    (func (export "rmw8") (result i32)
      (i32.store8 $b (i64.const 100) (i32.const 250))
      (drop (i32.atomic.rmw8.add_u $b (i64.const 100) (i32.const 10)))  ;; wraps to 4
      (i32.atomic.load8_u $b (i64.const 100)))
    (func (export "xchg16") (result i64)
      (i64.atomic.store16 $b offset=0x10 (i64.const 0) (i64.const 0x1234))
      (i64.atomic.rmw16.xchg_u $b (i64.const 0x10) (i64.const 0xffffabcd)))  ;; old value
    (func (export "cmpxchg32") (result i64)
      (i64.atomic.store $b (i64.const 200) (i64.const 0x1111111100000005))
      ;; expected 0x1_0000_0005 wraps to 5 for a 32-bit cmpxchg: it succeeds.
      (drop (i64.atomic.rmw32.cmpxchg_u $b (i64.const 200) (i64.const 0x100000005) (i64.const 9)))
      (i64.atomic.load $b (i64.const 200)))
    (func (export "oob64") (result i32)
      (i32.atomic.load $b (i64.const 0x100000000)))
    (func (export "and_or_xor") (result i32)
      (i32.atomic.store $a (i32.const 8) (i32.const 0xf0))
      (drop (i32.atomic.rmw.and $a (i32.const 8) (i32.const 0x3c)))
      (drop (i32.atomic.rmw.or $a (i32.const 8) (i32.const 0x01)))
      (drop (i32.atomic.rmw.xor $a (i32.const 8) (i32.const 0xff)))
      (i32.atomic.load $a (i32.const 8)))
    (func (export "notify_b") (result i32) (memory.atomic.notify $b (i64.const 8) (i32.const 1)))
    (func (export "wait_b") (result i32)
      (memory.atomic.wait64 $b (i64.const 8) (i64.const 0) (i64.const 1000)))
    (func (export "wait_a") (result i32)
      (memory.atomic.wait32 $a (i32.const 8) (i32.const 0) (i64.const 0)))))"));
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  api::Store store(engine);
  api::Linker linker(engine);
  auto inst = linker.instantiate(store, *m);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  auto call = [&](const char* name) { return inst->func(name)->call({}); };
  EXPECT_EQ((*call("rmw8"))[0].i32(), 4);
  EXPECT_EQ((*call("xchg16"))[0].i64(), 0x1234);
  EXPECT_EQ((*call("cmpxchg32"))[0].i64(), 0x1111111100000009);
  auto oob = call("oob64");
  ASSERT_FALSE(oob.ok());
  EXPECT_EQ(oob.error().message, "out of bounds memory access");
  EXPECT_EQ((*call("and_or_xor"))[0].i32(), (((0xf0 & 0x3c) | 0x01) ^ 0xff));
  EXPECT_EQ((*call("notify_b"))[0].i32(), 0);
  EXPECT_EQ((*call("wait_b"))[0].i32(), 2);  // shared, equal (0), 1 us timeout
  auto wa = call("wait_a");                  // memory $a is not shared
  ASSERT_FALSE(wa.ok());
  EXPECT_EQ(wa.error().message, "expected shared memory");
}

}  // namespace
}  // namespace wasmrun
