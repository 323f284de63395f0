#include "engine/runtime/memory.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>

#include "engine/runtime/vmcontext.h"

namespace wasmrun::rt {
namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;
// Reservation for a 32-bit memory: 4 GiB addressable plus a 4 GiB guard region.
// Such a memory never moves (it cannot outgrow the reservation): the baseline
// JIT keeps its base in a register across calls (jit/baseline/compiler.cc).
constexpr uint64_t kReserve32 = 8 * kGiB;
// A memory64 memory reserves at most this much up front and remaps beyond it.
constexpr uint64_t kReserve64Default = 8 * kGiB;
// Upper bound we are willing to commit for one memory (keeps a wild grow from
// exhausting the machine; the spec allows grow to fail at any size).
constexpr uint64_t kMaxCommit = 16 * kGiB;

uint8_t* reserve(uint64_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
}

}  // namespace

MemoryInst::~MemoryInst() {
  if (base) munmap(base, reserved);
}

bool MemoryInst::init(const MemoryType& t) {
  type = t;
  uint64_t spec_max = t.limits.address64 ? (uint64_t{1} << 48) : 65536;
  max_pages = t.limits.max ? std::min(*t.limits.max, spec_max) : spec_max;
  uint64_t min_bytes = t.limits.min * kPageSize;
  if (t.limits.min > max_pages || min_bytes > kMaxCommit) return false;
  if (!t.limits.address64) {
    reserved = kReserve32;
  } else {
    uint64_t max_bytes = max_pages > kMaxCommit / kPageSize ? kMaxCommit : max_pages * kPageSize;
    reserved = t.limits.shared ? max_bytes : std::min(max_bytes, kReserve64Default);
    if (reserved < min_bytes) reserved = min_bytes;
    if (reserved == 0) reserved = kPageSize;
  }
  base = reserve(reserved);
  if (!base) return false;
  if (min_bytes && mprotect(base, min_bytes, PROT_READ | PROT_WRITE) != 0) return false;
  size = min_bytes;
  return true;
}

int64_t MemoryInst::grow(uint64_t delta) {
  std::lock_guard lock(mu);
  uint64_t old_pages = pages();
  if (delta == 0) return static_cast<int64_t>(old_pages);
  if (delta > max_pages || old_pages + delta > max_pages) return -1;
  uint64_t new_bytes = (old_pages + delta) * kPageSize;
  if (new_bytes > kMaxCommit) return -1;
  if (new_bytes > reserved) {
    if (type.limits.shared) return -1;  // shared memories never move
    uint64_t want = std::min(std::max(new_bytes, reserved * 2), kMaxCommit);
    void* p = mremap(base, reserved, want, MREMAP_MAYMOVE);
    if (p == MAP_FAILED) return -1;
    // mremap of PROT_NONE space keeps the old protections; the new tail is PROT_NONE.
    base = static_cast<uint8_t*>(p);
    reserved = want;
  }
  if (mprotect(base + size, new_bytes - size, PROT_READ | PROT_WRITE) != 0) return -1;
  size = new_bytes;
  type.limits.min = old_pages + delta;
  publish();
  return static_cast<int64_t>(old_pages);
}

void MemoryInst::add_observer(VMContext* ctx) {
  std::lock_guard lock(mu);
  observers.push_back(ctx);
  ctx->memory0_base = base;
  ctx->memory0_size = size;
}

void MemoryInst::remove_observer(VMContext* ctx) {
  std::lock_guard lock(mu);
  std::erase(observers, ctx);
}

void MemoryInst::publish() {
  for (VMContext* ctx : observers) {
    ctx->memory0_base = base;
    ctx->memory0_size = size;
  }
}

}  // namespace wasmrun::rt
