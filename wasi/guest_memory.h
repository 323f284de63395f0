// GuestMemory: a bounds-checked view of the guest's linear memory.
//
// WASI functions receive guest pointers as u32 offsets. Every access goes through
// this view, which refuses any range that does not lie entirely inside the memory
// and reports Errno::Fault instead, so a hostile pointer can never make the host
// touch bytes outside the guest's memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "wasi/abi.h"

namespace wasmrun::wasi {

struct GuestMemory {
  uint8_t* base = nullptr;
  uint64_t size = 0;

  /// True when [ptr, ptr + len) lies inside the memory (len may be zero).
  bool in_bounds(uint64_t ptr, uint64_t len) const noexcept {
    return ptr <= size && len <= size - ptr;
  }

  /// A pointer to `len` guest bytes at `ptr`, or nullptr when out of bounds.
  uint8_t* range(uint64_t ptr, uint64_t len) const noexcept {
    return in_bounds(ptr, len) ? base + ptr : nullptr;
  }

  /// Reads a little-endian integer of type T at `ptr`.
  template <class T>
  Errno load(uint64_t ptr, T& out) const noexcept {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!in_bounds(ptr, sizeof(T))) return Errno::Fault;
    std::memcpy(&out, base + ptr, sizeof(T));
    return Errno::Success;
  }

  /// Writes a little-endian integer of type T at `ptr`.
  template <class T>
  Errno store(uint64_t ptr, T value) const noexcept {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!in_bounds(ptr, sizeof(T))) return Errno::Fault;
    std::memcpy(base + ptr, &value, sizeof(T));
    return Errno::Success;
  }

  /// Copies `len` bytes from the host into guest memory at `ptr`.
  Errno write_bytes(uint64_t ptr, const void* data, uint64_t len) const noexcept {
    if (!in_bounds(ptr, len)) return Errno::Fault;
    if (len) std::memcpy(base + ptr, data, len);
    return Errno::Success;
  }

  /// Reads a guest string (a path, a symlink target) of `len` bytes at `ptr`.
  Errno read_string(uint64_t ptr, uint64_t len, std::string& out) const {
    if (!in_bounds(ptr, len)) return Errno::Fault;
    out.assign(reinterpret_cast<const char*>(base + ptr), len);
    return Errno::Success;
  }
};

}  // namespace wasmrun::wasi
