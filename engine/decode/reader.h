// Reader: bounds-checked reading of the binary format's primitives (LEB128,
// fixed-width numbers, names). Every read either succeeds or records the first
// error with its byte offset; callers check ok() at convenient points. Error paths
// are out of line so the happy path stays small.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "wasmrun/result.h"

namespace wasmrun {

class Reader {
 public:
  /// Reads [begin, end). `base` is the absolute offset of `begin` in the module,
  /// so errors report module offsets.
  Reader(const uint8_t* begin, const uint8_t* end, size_t base = 0)
      : begin_(begin), p_(begin), end_(end), base_(base) {}

  bool ok() const { return !failed_; }
  bool at_end() const { return p_ >= end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  /// Absolute offset of the next byte.
  size_t offset() const { return base_ + static_cast<size_t>(p_ - begin_); }
  const uint8_t* pos() const { return p_; }
  void seek(const uint8_t* p) { p_ = p; }
  const Error& error() const { return error_; }
  Error take_error() { return std::move(error_); }

  /// One byte. Running out of input anywhere records "unexpected end of section
  /// or function" (the spec's shorter "unexpected end" is a substring of it).
  uint8_t u8() {
    if (p_ >= end_) [[unlikely]] {
      fail_eof();
      return 0;
    }
    return *p_++;
  }
  /// Unsigned LEB128, at most 5 bytes, unused high bits zero.
  uint32_t u32() {
    if (p_ < end_ && *p_ < 0x80) [[likely]]
      return *p_++;
    return u32_slow();
  }
  /// Unsigned LEB128, at most 10 bytes.
  uint64_t u64() {
    if (p_ < end_ && *p_ < 0x80) [[likely]]
      return *p_++;
    return u64_slow();
  }
  /// Signed LEB128, at most 5 bytes.
  int32_t s32() {
    if (p_ < end_ && *p_ < 0x80) [[likely]]
      return static_cast<int32_t>(static_cast<int8_t>(*p_++ << 1) >> 1);
    return s32_slow();
  }
  /// Signed LEB128, at most 10 bytes.
  int64_t s64() {
    if (p_ < end_ && *p_ < 0x80) [[likely]]
      return static_cast<int64_t>(static_cast<int8_t>(*p_++ << 1) >> 1);
    return s64_slow();
  }
  int64_t s33();  ///< signed 33-bit LEB128 (block types, heap types)
  uint32_t f32_bits();
  uint64_t f64_bits();
  void bytes(void* out, size_t n);
  /// A length-prefixed UTF-8 name; invalid UTF-8 fails with "malformed UTF-8 encoding".
  std::string name();
  void skip(size_t n);

  /// Record an error (only the first one is kept) and stop further reads.
  void fail(std::string message, size_t at);
  void fail(std::string message) { fail(std::move(message), offset()); }

 private:
  [[gnu::cold, gnu::noinline]] void fail_eof();
  // Multi-byte (and error) paths of the LEB128 readers.
  uint32_t u32_slow();
  uint64_t u64_slow();
  int32_t s32_slow();
  int64_t s64_slow();

  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  size_t base_;
  bool failed_ = false;
  Error error_;
};

}  // namespace wasmrun
