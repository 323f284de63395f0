// clock_res_get / clock_time_get: the four WASI clocks map to the Linux clocks
// of the same meaning. Times are u64 nanoseconds.
#include <time.h>

#include "wasi/preview1.h"

namespace wasmrun::wasi {
namespace {

bool host_clock(uint32_t id, clockid_t& out) {
  switch (static_cast<ClockId>(id)) {
    case ClockId::Realtime: out = CLOCK_REALTIME; return true;
    case ClockId::Monotonic: out = CLOCK_MONOTONIC; return true;
    case ClockId::ProcessCputime: out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case ClockId::ThreadCputime: out = CLOCK_THREAD_CPUTIME_ID; return true;
  }
  return false;
}

uint64_t to_ns(const timespec& ts) {
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

Errno clock_res_get(WasiCtx&, const GuestMemory& mem, uint32_t clock_id, Ptr res_out) {
  clockid_t c;
  if (!host_clock(clock_id, c)) return Errno::Inval;
  timespec ts;
  if (clock_getres(c, &ts) != 0) return last_host_errno();
  uint64_t ns = to_ns(ts);
  return mem.store<uint64_t>(res_out, ns ? ns : 1);  // a resolution of 0 would be a lie
}

// `precision` is a hint the host may ignore; Linux clocks are read at their
// best precision anyway.
Errno clock_time_get(WasiCtx&, const GuestMemory& mem, uint32_t clock_id, uint64_t, Ptr time_out) {
  clockid_t c;
  if (!host_clock(clock_id, c)) return Errno::Inval;
  timespec ts;
  if (clock_gettime(c, &ts) != 0) return last_host_errno();
  return mem.store<uint64_t>(time_out, to_ns(ts));
}

}  // namespace wasmrun::wasi
