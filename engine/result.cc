#include "wasmrun/result.h"

#include <cstdio>

namespace wasmrun {

const char* error_kind_name(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Malformed: return "malformed";
    case ErrorKind::Invalid: return "invalid";
    case ErrorKind::Unlinkable: return "unlinkable";
    case ErrorKind::Uninstantiable: return "uninstantiable";
    case ErrorKind::Trap: return "trap";
    case ErrorKind::Exhaustion: return "exhaustion";
    case ErrorKind::Exception: return "exception";
    case ErrorKind::Io: return "io";
    case ErrorKind::Usage: return "usage";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::Exit: return "exit";
  }
  return "error";
}

std::string Error::to_string() const {
  if (offset == kNoOffset) return message;
  char buf[48];
  std::snprintf(buf, sizeof buf, " (at byte 0x%zx)", offset);
  return message + buf;
}

}  // namespace wasmrun
