// Result and Error: how every fallible wasmrun operation reports failure.
//
// wasmrun does not throw exceptions across its API or on hot paths. Each fallible
// operation returns Result<T>, which holds either a T or an Error. Errors carry a
// kind (so the spec runner can tell a malformed module from an invalid one), the
// message text the spec tests expect, and the byte offset in the input where the
// problem was found (kNoOffset when there is none, e.g. for link errors).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>

namespace wasmrun {

/// What went wrong, in the spec's vocabulary.
enum class ErrorKind : uint8_t {
  Malformed,       ///< the bytes or text are not a well-formed module (decode error)
  Invalid,         ///< well-formed but fails validation
  Unlinkable,      ///< imports could not be resolved or do not match
  Uninstantiable,  ///< instantiation failed (e.g. a start function or segment trapped)
  Trap,            ///< a runtime trap
  Exhaustion,      ///< resource exhaustion (call stack, memory) during execution
  Exception,       ///< an uncaught WebAssembly exception reached the host
  Io,              ///< a file could not be read or written
  Usage,           ///< bad arguments from the user (CLI flags, API misuse)
  Unsupported,     ///< a feature this build or configuration does not implement
  Exit,            ///< a host function ended the program (Error::exit_code; WASI proc_exit)
};

struct TrapInfo;  // wasmrun/trap.h
namespace api {
class Exception;  // wasmrun/wasmrun.h
}

/// Human-readable name of an error kind ("malformed", "invalid", ...).
const char* error_kind_name(ErrorKind kind) noexcept;

/// An error: kind, spec-compatible message, and byte offset of the culprit.
struct Error {
  static constexpr size_t kNoOffset = static_cast<size_t>(-1);

  ErrorKind kind = ErrorKind::Invalid;
  std::string message;
  size_t offset = kNoOffset;
  /// For kind Trap / Exhaustion raised by execution: trap kind and wasm backtrace.
  std::shared_ptr<const TrapInfo> trap;
  /// For kind Exception: the uncaught exception (tag and payload). A host function
  /// that returns such an Error rethrows it into the calling wasm code.
  std::shared_ptr<const api::Exception> exception;
  /// For kind Exit: the program's exit code.
  int32_t exit_code = 0;

  Error() = default;
  Error(ErrorKind k, std::string msg, size_t off = kNoOffset)
      : kind(k), message(std::move(msg)), offset(off) {}

  /// "message (at byte 0x1f)" or just "message" when there is no offset.
  std::string to_string() const;
};

/// Either a value of type T or an Error. A minimal std::expected for C++20.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

/// Result of an operation with no value: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& { return err_; }
  Error&& error() && { return std::move(err_); }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace wasmrun
