#include "jit/baseline/frame_roots.h"

#include <algorithm>
#include <cstddef>

#include "engine/runtime/objects.h"
#include "gc/heap.h"

namespace wasmrun::jit {
namespace {

/// Highest address of this thread's native stack that may hold JIT frames (the
/// outermost entry's frame), or 0 when the thread is not running generated code.
thread_local uintptr_t t_stack_top = 0;

/// Copies `n` words of the native stack: they include other frames' redzones
/// and uninitialized words, which the address sanitizer must not flag.
__attribute__((no_sanitize("address"))) void copy_stack_words(uint64_t* out, const uint64_t* in,
                                                              size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = __atomic_load_n(in + i, __ATOMIC_RELAXED);
}

}  // namespace

JitActivation::JitActivation(void* frame) {
  if (t_stack_top) return;
  outermost_ = true;
  t_stack_top = reinterpret_cast<uintptr_t>(frame);
}

JitActivation::~JitActivation() {
  if (outermost_) t_stack_top = 0;
}

}  // namespace wasmrun::jit

namespace wasmrun::rt {

// Not inlined, so that its frame (and the callee-saved registers captured
// below) lie below every frame it scans.
__attribute__((noinline)) void baseline_visit_roots(gc::RootVisitor& visit) {
  uintptr_t top = jit::t_stack_top;
  if (!top) return;
  // Callee-saved registers may still hold a C++ caller's value that no frame has
  // saved yet; put them where the scan sees them.
  uint64_t regs[6];
  asm volatile(
      "mov %%rbx, 0(%0)\n\tmov %%rbp, 8(%0)\n\tmov %%r12, 16(%0)\n\t"
      "mov %%r13, 24(%0)\n\tmov %%r14, 32(%0)\n\tmov %%r15, 40(%0)"
      :
      : "r"(regs)
      : "memory");
  visit.conservative(regs, 6);
  auto lo = reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) & ~uintptr_t{7};
  constexpr size_t kChunk = 512;
  uint64_t buf[kChunk];
  for (uintptr_t p = lo; p < top;) {
    size_t n = std::min<size_t>(kChunk, (top - p) / 8);
    if (n == 0) break;
    jit::copy_stack_words(buf, reinterpret_cast<const uint64_t*>(p), n);
    visit.conservative(buf, n);
    p += n * 8;
  }
}

}  // namespace wasmrun::rt
