// random_get: fills guest memory from the kernel's CSPRNG (getrandom).
#include <sys/random.h>

#include <cerrno>

#include "wasi/preview1.h"

namespace wasmrun::wasi {

Errno random_get(WasiCtx&, const GuestMemory& mem, Ptr buf, uint32_t len) {
  uint8_t* dst = mem.range(buf, len);
  if (!dst) return Errno::Fault;
  size_t done = 0;
  while (done < len) {
    // getrandom returns at most 32 MiB per call and can be interrupted.
    ssize_t n = getrandom(dst + done, len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_host_errno();
    }
    done += static_cast<size_t>(n);
  }
  return Errno::Success;
}

}  // namespace wasmrun::wasi
