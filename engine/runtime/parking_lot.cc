#include "engine/runtime/parking_lot.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace wasmrun::rt {
namespace {

struct Waiter {
  const void* key = nullptr;
  uint64_t addr = 0;
  std::condition_variable cv;
  std::atomic<bool> woken{false};  ///< set by unpark under the bucket lock
  Waiter* next = nullptr;
  Waiter* prev = nullptr;
};

struct Bucket {
  std::mutex mu;
  Waiter* head = nullptr;  // FIFO: oldest first
  Waiter* tail = nullptr;

  void push(Waiter* w) {
    w->prev = tail;
    w->next = nullptr;
    (tail ? tail->next : head) = w;
    tail = w;
  }
  void remove(Waiter* w) {
    (w->prev ? w->prev->next : head) = w->next;
    (w->next ? w->next->prev : tail) = w->prev;
    w->next = w->prev = nullptr;
  }
};

// A fixed table: buckets are never freed, so a bucket outlives every memory. The
// size keeps unrelated addresses from sharing a lock in programs with many waiters.
constexpr size_t kBuckets = 512;
// Spin iterations before a waiter sleeps (a few microseconds of `pause`).
constexpr int kSpins = 4000;
Bucket g_buckets[kBuckets];

Bucket& bucket_of(const void* key, uint64_t addr) {
  uint64_t h = reinterpret_cast<uintptr_t>(key) ^ (addr * 0x9E3779B97F4A7C15ull);
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return g_buckets[h % kBuckets];
}

}  // namespace

uint32_t park(const void* key, uint64_t addr, const std::function<bool()>& still_expected,
              int64_t timeout_ns) {
  Bucket& b = bucket_of(key, addr);
  std::unique_lock lock(b.mu);
  if (!still_expected()) return kWaitNotEqual;
  Waiter w;
  w.key = key;
  w.addr = addr;
  b.push(&w);
  // Short finite timeouts skip the spin so they are not overshot.
  if (timeout_ns < 0 || timeout_ns >= 1'000'000) {
    // Spin briefly without the lock before sleeping: a partner that notifies
    // within microseconds (a ping-pong hand-off) is seen without a trip through
    // the kernel. Seeing `woken` is not enough to return: unpark may still be
    // inside notify_one on our condition variable, so retake the lock first.
    lock.unlock();
    for (int i = 0; i < kSpins && !w.woken.load(std::memory_order_acquire); ++i)
      __builtin_ia32_pause();
    lock.lock();
    if (w.woken.load(std::memory_order_relaxed)) return kWaitOk;
  }
  if (timeout_ns < 0) {
    w.cv.wait(lock, [&] { return w.woken.load(std::memory_order_relaxed); });
    return kWaitOk;
  }
  using clock = std::chrono::steady_clock;
  // Saturate: a deadline past the clock's range is an infinite wait.
  auto now = clock::now();
  auto room = std::chrono::duration_cast<std::chrono::nanoseconds>(clock::time_point::max() - now);
  if (std::chrono::nanoseconds(timeout_ns) >= room) {
    w.cv.wait(lock, [&] { return w.woken.load(std::memory_order_relaxed); });
    return kWaitOk;
  }
  auto deadline = now + std::chrono::nanoseconds(timeout_ns);
  if (w.cv.wait_until(lock, deadline, [&] { return w.woken.load(std::memory_order_relaxed); }))
    return kWaitOk;
  b.remove(&w);
  return kWaitTimedOut;
}

uint32_t unpark(const void* key, uint64_t addr, uint32_t count) {
  Bucket& b = bucket_of(key, addr);
  std::lock_guard lock(b.mu);
  uint32_t n = 0;
  for (Waiter* w = b.head; w && n < count;) {
    Waiter* next = w->next;
    if (w->key == key && w->addr == addr) {
      b.remove(w);
      w->woken.store(true, std::memory_order_release);
      // Notify under the lock: once unlocked, the woken waiter may return and
      // destroy `w` (it lives on its stack).
      w->cv.notify_one();
      ++n;
    }
    w = next;
  }
  return n;
}

uint32_t parked_count(const void* key, uint64_t addr) {
  Bucket& b = bucket_of(key, addr);
  std::lock_guard lock(b.mu);
  uint32_t n = 0;
  for (Waiter* w = b.head; w; w = w->next) n += w->key == key && w->addr == addr;
  return n;
}

}  // namespace wasmrun::rt
