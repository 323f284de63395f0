// MemoryInst: one linear memory.
//
// Memory is reserved once with mmap(PROT_NONE) and committed page by page with
// mprotect as it grows, so the base pointer of a 32-bit memory never moves: it
// reserves 8 GiB (4 GiB of addressable space plus a 4 GiB guard), which lets JIT
// code skip bounds checks for a 32-bit address plus a 32-bit offset. A memory64
// memory reserves its maximum when that is modest, otherwise 8 GiB, and moves
// (mremap) if it must grow beyond the reservation. Shared memories reserve their
// maximum and never move. Growth failures return -1 and never crash.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "engine/types.h"

namespace wasmrun::rt {

struct VMContext;

inline constexpr uint64_t kPageSize = 65536;

struct MemoryInst {
  /// First two fields are read by the interpreter; keep them first.
  uint8_t* base = nullptr;
  uint64_t size = 0;  ///< bytes
  MemoryType type;    ///< current limits: type.limits.min is the current page count
  uint64_t max_pages = 0;
  uint64_t reserved = 0;  ///< bytes of address space reserved at base

  /// VMContexts that cache this memory as their memory 0; updated on grow.
  /// Guarded by `mu`: instances on other threads (other stores) may import a
  /// shared memory, instantiate and die concurrently.
  std::vector<VMContext*> observers;
  /// Serializes grow and observer changes (a shared memory grows from any thread).
  std::mutex mu;

  MemoryInst() = default;
  MemoryInst(const MemoryInst&) = delete;
  MemoryInst& operator=(const MemoryInst&) = delete;
  ~MemoryInst();

  /// Reserves and commits `type.limits.min` pages. False when the system refuses.
  bool init(const MemoryType& t);
  uint64_t pages() const { return size / kPageSize; }
  /// Grows by `delta` pages: the old page count, or -1 (max exceeded, no memory).
  int64_t grow(uint64_t delta);
  void add_observer(VMContext* ctx);
  void remove_observer(VMContext* ctx);

 private:
  void publish();
};

}  // namespace wasmrun::rt
