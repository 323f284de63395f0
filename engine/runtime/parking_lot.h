// The parking lot behind memory.atomic.wait / memory.atomic.notify.
//
// Waiters are keyed by (memory, byte address): the key is the MemoryInst, whose
// address is stable for its whole life and shared by every instance (of any
// store, on any thread) that imports the memory. Keys hash into a fixed array of
// buckets, each a mutex plus a FIFO list of waiters, every waiter with its own
// condition variable so notify wakes exactly the threads it counts.
//
// No lost wake-ups: wait compares the memory value while holding the bucket
// lock, and notify takes the same lock, so a store followed by a notify on
// another thread either happens before the comparison (wait returns
// "not-equal") or finds the waiter already queued.
#pragma once

#include <cstdint>
#include <functional>

namespace wasmrun::rt {

/// memory.atomic.wait results.
inline constexpr uint32_t kWaitOk = 0;
inline constexpr uint32_t kWaitNotEqual = 1;
inline constexpr uint32_t kWaitTimedOut = 2;

/// Blocks on (key, addr) if `still_expected()` (called under the bucket lock)
/// holds, until a notify wakes this thread or `timeout_ns` elapses (negative:
/// no timeout). Returns kWaitOk, kWaitNotEqual or kWaitTimedOut.
uint32_t park(const void* key, uint64_t addr, const std::function<bool()>& still_expected,
              int64_t timeout_ns);

/// Wakes up to `count` threads parked on (key, addr), oldest first; returns how
/// many were woken.
uint32_t unpark(const void* key, uint64_t addr, uint32_t count);

/// Threads currently parked on (key, addr) (for tests that must wait until a
/// peer is really blocked before notifying it).
uint32_t parked_count(const void* key, uint64_t addr);

}  // namespace wasmrun::rt
