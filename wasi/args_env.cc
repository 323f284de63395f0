// args_* and environ_*: both copy a list of strings into guest memory as an
// array of u32 pointers plus one buffer of NUL-terminated strings.
#include "wasi/preview1.h"

namespace wasmrun::wasi {
namespace {

Errno list_sizes(const std::vector<std::string>& list, const GuestMemory& mem, Ptr count_out,
                 Ptr size_out) {
  uint64_t bytes = 0;
  for (const std::string& s : list) bytes += s.size() + 1;
  if (bytes > UINT32_MAX || list.size() > UINT32_MAX) return Errno::Overflow;
  if (Errno e = mem.store<uint32_t>(count_out, static_cast<uint32_t>(list.size()));
      e != Errno::Success) {
    return e;
  }
  return mem.store<uint32_t>(size_out, static_cast<uint32_t>(bytes));
}

Errno list_get(const std::vector<std::string>& list, const GuestMemory& mem, Ptr ptrs, Ptr buf) {
  uint64_t at = buf;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string& s = list[i];
    if (at > UINT32_MAX) return Errno::Fault;
    if (Errno e = mem.store<uint32_t>(uint64_t{ptrs} + 4 * i, static_cast<uint32_t>(at));
        e != Errno::Success) {
      return e;
    }
    // The string and its NUL are written as one range so a partial write
    // cannot happen at the end of memory.
    uint8_t* dst = mem.range(at, s.size() + 1);
    if (!dst) return Errno::Fault;
    std::memcpy(dst, s.data(), s.size());
    dst[s.size()] = 0;
    at += s.size() + 1;
  }
  return Errno::Success;
}

}  // namespace

Errno args_get(WasiCtx& ctx, const GuestMemory& mem, Ptr argv, Ptr argv_buf) {
  return list_get(ctx.args(), mem, argv, argv_buf);
}

Errno args_sizes_get(WasiCtx& ctx, const GuestMemory& mem, Ptr argc_out, Ptr buf_size_out) {
  return list_sizes(ctx.args(), mem, argc_out, buf_size_out);
}

Errno environ_get(WasiCtx& ctx, const GuestMemory& mem, Ptr environ, Ptr environ_buf) {
  return list_get(ctx.env(), mem, environ, environ_buf);
}

Errno environ_sizes_get(WasiCtx& ctx, const GuestMemory& mem, Ptr count_out, Ptr buf_size_out) {
  return list_sizes(ctx.env(), mem, count_out, buf_size_out);
}

}  // namespace wasmrun::wasi
