// Ping-pong latency: two threads hand a turn back and forth, each blocking until
// it is its turn. Native: an atomic int plus the futex syscall (FUTEX_WAIT /
// FUTEX_WAKE), the floor any runtime's wait/notify sits on. Wasm: the same
// protocol in wasm with i32.atomic.store + memory.atomic.notify and
// memory.atomic.wait32, two OS threads with one Store and instance each sharing
// one shared memory. Prints ns per round trip (two hand-offs) and the ratios.
// wasmrun's parking lot spins briefly before sleeping, so the native protocol
// is measured twice: always sleeping in the kernel, and with the same spin.
//
// usage: bench_threads_pingpong [ROUNDS] [REPEATS]   (defaults 100000, 5; best of REPEATS)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "wasmrun/wasmrun.h"

namespace {

using Clock = std::chrono::steady_clock;
using wasmrun::api::Value;

void futex_wait(std::atomic<int>* a, int expected) {
  syscall(SYS_futex, reinterpret_cast<int*>(a), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr, 0);
}
void futex_wake(std::atomic<int>* a) {
  syscall(SYS_futex, reinterpret_cast<int*>(a), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

// `spins`: how many `pause` iterations to poll before each futex_wait (0: always
// sleep in the kernel; 4000: the same budget as wasmrun's parking lot).
// With spinning, the waker skips the futex_wake syscall when nobody sleeps
// (a sleeper count, as the parking lot skips waking an empty queue).
double native_ns(int rounds, int spins) {
  std::atomic<int> turn{0};
  std::atomic<int> sleepers{0};
  auto player = [&](int me) {
    for (int r = 0; r < rounds; ++r) {
      int t;
      for (int i = 0; i < spins && turn.load() != me; ++i) __builtin_ia32_pause();
      while ((t = turn.load()) != me) {
        sleepers.fetch_add(1);
        futex_wait(&turn, t);
        sleepers.fetch_sub(1);
      }
      turn.store(1 - me);
      if (spins == 0 || sleepers.load() > 0) futex_wake(&turn);
    }
  };
  auto t0 = Clock::now();
  std::thread a(player, 0), b(player, 1);
  a.join();
  b.join();
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / rounds;
}

constexpr const char* kGuest = R"((module
  (import "env" "mem" (memory 1 1 shared))
  (func (export "play") (param $me i32) (param $rounds i32) (result i32)
    (local $r i32) (local $t i32)
    (loop $round
      (block $mine
        (loop $wait
          (local.set $t (i32.atomic.load (i32.const 0)))
          (br_if $mine (i32.eq (local.get $t) (local.get $me)))
          (drop (memory.atomic.wait32 (i32.const 0) (local.get $t) (i64.const -1)))
          (br $wait)))
      (i32.atomic.store (i32.const 0) (i32.sub (i32.const 1) (local.get $me)))
      (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
      (br_if $round (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                              (local.get $rounds))))
    (local.get $r))))";

double wasm_ns(const wasmrun::api::Engine& engine, const wasmrun::api::Module& module, int rounds) {
  using namespace wasmrun::api;
  Store mem_store(engine);
  wasmrun::MemoryType mt;
  mt.limits.min = 1;
  mt.limits.max = 1;
  mt.limits.shared = true;
  Memory mem = *Memory::create(mem_store, mt);
  auto player = [&](int me) {
    Store store(engine);
    Linker linker(engine);
    if (!linker.define("env", "mem", Extern::of(mem)).ok()) std::abort();
    auto inst = linker.instantiate(store, module);
    if (!inst.ok()) std::abort();
    auto r = inst->func("play")->call({Value::i32(me), Value::i32(rounds)});
    if (!r.ok() || (*r)[0].i32() != rounds) std::abort();
  };
  // Instantiation is inside the timed region but is microseconds against
  // rounds x microseconds of hand-offs.
  auto t0 = Clock::now();
  std::thread a(player, 0), b(player, 1);
  a.join();
  b.join();
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / rounds;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 100000;
  int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  wasmrun::api::Engine engine;
  auto module = wasmrun::api::Module::compile(engine, std::string_view(kGuest));
  if (!module.ok()) {
    std::fprintf(stderr, "%s\n", module.error().to_string().c_str());
    return 1;
  }
  double best_native = 1e30, best_spin = 1e30, best_wasm = 1e30;
  for (int i = 0; i < repeats; ++i) {
    best_native = std::min(best_native, native_ns(rounds, 0));
    best_spin = std::min(best_spin, native_ns(rounds, 4000));
    best_wasm = std::min(best_wasm, wasm_ns(engine, *module, rounds));
  }
  std::printf("ping-pong round trip, %d rounds, best of %d (hardware threads: %u)\n", rounds,
              repeats, std::thread::hardware_concurrency());
  std::printf("  native futex:            %9.0f ns\n", best_native);
  std::printf("  native spin+futex:       %9.0f ns\n", best_spin);
  std::printf("  wasmrun wait/notify:     %9.0f ns\n", best_wasm);
  std::printf("  ratio wasm/native futex: %9.2f\n", best_wasm / best_native);
  std::printf("  ratio wasm/native spin:  %9.2f\n", best_wasm / best_spin);
  return 0;
}
