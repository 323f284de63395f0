// proc_exit, proc_raise and sched_yield.
#include <sched.h>

#include "wasi/preview1.h"

namespace wasmrun::wasi {
namespace {

// witx `signal` numbers 1..30 (hup .. sys) in order; the value is 1 when the
// POSIX default action ends the process and 0 when it is ignored or stops it.
// Stopping is not something a guest can do, so it is treated as ignored.
constexpr uint8_t kTerminates[31] = {
    0,                          // none
    1, 1, 1, 1, 1, 1, 1, 1, 1,  // hup int quit ill trap abrt bus fpe kill
    1, 1, 1, 1, 1, 1,           // usr1 segv usr2 pipe alrm term
    0, 0, 0, 0, 0, 0, 0,        // chld cont stop tstp ttin ttou urg
    1, 1, 1, 1, 0, 1, 1, 1,     // xcpu xfsz vtalrm prof winch poll pwr sys
};

}  // namespace

void proc_exit(WasiCtx& ctx, uint32_t code) { ctx.request_exit(code); }

Errno proc_raise(WasiCtx& ctx, uint32_t sig) {
  if (sig >= sizeof(kTerminates)) return Errno::Inval;
  if (kTerminates[sig]) ctx.request_exit(128 + sig);
  return Errno::Success;
}

Errno sched_yield(WasiCtx&) {
  ::sched_yield();
  return Errno::Success;
}

}  // namespace wasmrun::wasi
