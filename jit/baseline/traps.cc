#include "jit/baseline/traps.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "engine/interp/interp.h"
#include "engine/runtime/objects.h"
#include "jit/baseline/frame.h"
#include "jit/baseline/frame_roots.h"
#include "wasmrun/trap.h"

namespace wasmrun::jit {
namespace {

// The code arena and the previous signal actions are the signal handler's state:
// the handler must decide, without locks or allocation, whether a PC is ours.
constexpr size_t kArenaBytes = size_t{1} << 30;
std::atomic<uint8_t*> g_arena_base{nullptr};
std::atomic<size_t> g_arena_used{0};
std::mutex g_arena_mu;  // serializes allocation and commit, never taken by the handler
size_t g_arena_committed = 0;
struct sigaction g_old_segv, g_old_bus;

uint8_t* arena() {
  static uint8_t* base = [] {
    void* p =
        mmap(nullptr, kArenaBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    auto* b = p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
    g_arena_base.store(b, std::memory_order_release);
    return b;
  }();
  return base;
}

thread_local LandingPad* t_pad = nullptr;
// Read by every prologue as fs:[offset] (initial-exec TLS: a fixed offset from
// the thread pointer in every thread).
__attribute__((tls_model("initial-exec"))) thread_local uintptr_t t_stack_limit = 0;

uintptr_t thread_pointer() {
  uintptr_t tp;
  asm("mov %%fs:0, %0" : "=r"(tp));
  return tp;
}

TrapFrame frame_of(uintptr_t rbp, uint32_t offset) {
  TrapFrame fr;
  auto* f = *reinterpret_cast<rt::FuncInst**>(rbp + kFrameSelf);
  fr.func_index = f->index;
  fr.offset = offset;
  if (f->instance) {
    const auto& names = f->instance->m().names.functions;
    auto it = names.find(f->index);
    if (it != names.end()) fr.func_name = it->second;
  }
  return fr;
}

/// Appends a run of JIT frames from `fp` (at bytecode offset `at`) outward: a
/// frame's caller is generated code exactly when the return address is in the
/// arena; the first frame entered from C++ ends it. Returns the last frame's rbp.
uintptr_t walk_run(std::vector<TrapFrame>& bt, uintptr_t fp, uint32_t at) {
  bt.push_back(frame_of(fp, at));
  while (in_jit_code(*reinterpret_cast<uintptr_t*>(fp + 8))) {
    fp = *reinterpret_cast<uintptr_t*>(fp);
    bt.push_back(frame_of(fp, *reinterpret_cast<uint32_t*>(fp + kFrameOffset)));
  }
  return fp;
}

/// Appends the frames outside the innermost point of a backtrace, innermost
/// first: past C++ frames (the lazy stub, interpreter and host trampolines,
/// baseline_invoke), the runs of JIT frames that called them, from the
/// activation chain (frame_roots.h), and between them the interpreter frames
/// each activation encloses (those at its interp_depth and above, not yet
/// listed). `last` is the outermost frame of the run already walked (a run
/// above it, e.g. of a helper called by the trapping frame, is not walked
/// again); `depth` the interpreter frames not yet listed.
void append_outer_frames(std::vector<TrapFrame>& bt, uintptr_t last, uint32_t depth) {
  for (const JitActivation* a = innermost_activation(); a; a = a->prev) {
    if (a->interp_depth < depth) {
      interp::append_frames(bt, a->interp_depth, depth);
      depth = a->interp_depth;
    }
    if (a->caller_frame > last)
      last = walk_run(bt, a->caller_frame,
                      *reinterpret_cast<uint32_t*>(a->caller_frame + kFrameOffset));
  }
  interp::append_frames(bt, 0, depth);
}

/// Stores the trap (kind, backtrace from `rbp` outward) in the current landing pad.
void record_trap(TrapKind kind, uint32_t offset, uintptr_t rbp, uint64_t arg) {
  auto info = std::make_shared<TrapInfo>();
  info->kind = kind;
  // Generated code runs inside the innermost activation, so every live
  // interpreter frame is outside the trapping run.
  append_outer_frames(info->backtrace, walk_run(info->backtrace, rbp, offset),
                      interp::frame_depth());
  if (kind == TrapKind::HeapExhausted) {
    auto* f = *reinterpret_cast<rt::FuncInst**>(rbp + kFrameSelf);
    arg = f->store->engine->config.gc_heap_limit;
  }
  Error e(kind == TrapKind::StackExhausted ? ErrorKind::Exhaustion : ErrorKind::Trap,
          trap_message(kind, arg));
  e.trap = std::move(info);
  t_pad->error = std::move(e);
}

void fault_handler(int sig, siginfo_t* info, void* uctx) {
  auto* uc = static_cast<ucontext_t*>(uctx);
  auto pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  if (t_pad && in_jit_code(pc)) {
    // Resume in raise_trap as if the faulting instruction had called it: the body
    // keeps rsp 16-byte aligned, so pushing the PC gives a normal call frame.
    auto& g = uc->uc_mcontext.gregs;
    g[REG_RSP] -= 8;
    *reinterpret_cast<uintptr_t*>(g[REG_RSP]) = pc;
    g[REG_RDI] = static_cast<greg_t>(pc);
    g[REG_RSI] = g[REG_RBP];
    g[REG_RIP] = reinterpret_cast<greg_t>(&raise_fault);
    return;
  }
  const struct sigaction& old = sig == SIGSEGV ? g_old_segv : g_old_bus;
  if (old.sa_flags & SA_SIGINFO) {
    old.sa_sigaction(sig, info, uctx);
    return;
  }
  if (old.sa_handler == SIG_IGN) return;
  if (old.sa_handler != SIG_DFL) {
    old.sa_handler(sig);
    return;
  }
  // Default action: restore it and return, so the fault repeats and kills us.
  signal(sig, SIG_DFL);
}

}  // namespace

void* alloc_code(size_t bytes) {
  uint8_t* base = arena();
  if (!base) return nullptr;
  std::lock_guard lock(g_arena_mu);
  // Code never starts at the arena's first byte: UBSan's -fsanitize=function
  // reads the 8 bytes before the target of every indirect call from C++ (looking
  // for a type signature), and the page before the arena is not mapped. The
  // first 64 bytes stay zero, and every later entry is preceded by committed code
  // or zero padding.
  size_t used = std::max(g_arena_used.load(std::memory_order_relaxed), size_t{64});
  size_t start = (used + 63) & ~size_t{63};
  if (start + bytes > kArenaBytes) return nullptr;
  size_t end = start + bytes;
  if (end > g_arena_committed) {
    size_t commit = (end + (size_t{1} << 20) - 1) & ~((size_t{1} << 20) - 1);
    if (commit > kArenaBytes) commit = kArenaBytes;
    if (mprotect(base + g_arena_committed, commit - g_arena_committed,
                 PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
      return nullptr;
    g_arena_committed = commit;
  }
  g_arena_used.store(end, std::memory_order_release);
  return base + start;
}

bool in_jit_code(uintptr_t pc) {
  auto base = reinterpret_cast<uintptr_t>(g_arena_base.load(std::memory_order_acquire));
  return base && pc >= base && pc < base + g_arena_used.load(std::memory_order_acquire);
}

void install_fault_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &g_old_segv);
    sigaction(SIGBUS, &sa, &g_old_bus);
  });
}

LandingPad*& current_pad() { return t_pad; }

void raise_trap(uint32_t kind, uint32_t offset, uintptr_t rbp) {
  record_trap(static_cast<TrapKind>(kind), offset, rbp, 0);
  unwind();
}

void raise_fault(uintptr_t pc, uintptr_t rbp) {
  auto* f = *reinterpret_cast<rt::FuncInst**>(rbp + kFrameSelf);
  const FrameMap* map = frame_map_of(f);
  record_trap(TrapKind::OutOfBoundsMemory, map ? map->access_offset_at(pc) : 0, rbp, 0);
  unwind();
}

void raise_helper_trap(uint64_t code, uintptr_t rbp) {
  record_trap(static_cast<TrapKind>((code & 0xFF) - 1),
              *reinterpret_cast<uint32_t*>(rbp + kFrameOffset), rbp, code >> 8);
  unwind();
}

void unwind() { siglongjmp(t_pad->buf, 1); }

}  // namespace wasmrun::jit

namespace wasmrun::interp {

// The interpreter's traps: the frames outside the trapping interpreter frame.
void baseline_outer_backtrace(std::vector<TrapFrame>& bt, uint32_t depth) {
  jit::append_outer_frames(bt, 0, depth);
}

}  // namespace wasmrun::interp

namespace wasmrun::jit {

void publish_stack_limit() {
  if (!t_stack_limit) t_stack_limit = thread_stack_limit();
}

intptr_t stack_limit_tls_offset() {
  return static_cast<intptr_t>(reinterpret_cast<uintptr_t>(&t_stack_limit) - thread_pointer());
}

uintptr_t thread_stack_limit() {
  thread_local uintptr_t limit = [] {
    pthread_attr_t attr;
    uintptr_t lo = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* addr = nullptr;
      size_t size = 0;
      if (pthread_attr_getstack(&attr, &addr, &size) == 0) lo = reinterpret_cast<uintptr_t>(addr);
      pthread_attr_destroy(&attr);
    }
    // Leave room for the trap path itself (it allocates and formats the backtrace)
    // and for C++ helpers and host functions called from the deepest frame.
    return lo + (size_t{256} << 10);
  }();
  return limit;
}

}  // namespace wasmrun::jit
