// The baseline tier's native frame and calling convention, shared by the compiler
// (which lays frames out), the trap machinery (which walks them) and the entry
// code (which calls into them).
//
// Every compiled function is `void* f(FuncInst* self, uint64_t* args_and_results,
// VMContext* caller)` (returning the pending exception, or null) (SysV: rdi, rsi, rdx): the
// array-call convention, the same for compiled code, the interpreter trampoline and host functions,
// so tiers mix freely. Arguments are read from the array in the prologue and results written back
// to it before returning.
//
//   [rbp + 8]   return address
//   [rbp + 0]   caller's rbp            (frames form an rbp chain: traps walk it)
//   [rbp - 8]   FuncInst* self          (the backtrace's function)
//   [rbp - 16]  args_and_results pointer
//   [rbp - 24]  u32 bytecode offset of the current call site (backtraces)
//   [rbp - 32], [rbp - 40]  saved r14, r15
//   [rbp - 48 .. rbp - 64]  saved rbx, r12, r13 when the function pins locals there
//   [rsp + 8*i] slot i: locals first (v128 takes two), then operand-stack homes
// rsp stays 16-byte aligned in the body (nothing is pushed after the prologue).
//
// Fixed registers in the body: r15 = VMContext*, r14 = memory 0 base (callee-
// saved; reloaded after every call only for a memory64, which a callee's grow
// may move), r11 = scratch, xmm14/xmm15 = scratch, rbx/r12/r13 and
// xmm8..xmm13 = pinned locals (compiler.cc).
#pragma once

#include <cstdint>

namespace wasmrun::rt {
struct FuncInst;
struct VMContext;
}  // namespace wasmrun::rt

namespace wasmrun::jit {

/// rdx carries the caller's VMContext (null from C++): compiled code ignores it;
/// the host trampoline uses it to give host functions their calling instance.
/// The return value (rax) is the exception the call ends with (an rt::ExnInst*),
/// or null when it returned normally with its results in the array. Callers test
/// it after every call and branch to their handler or return it in turn
/// (docs/jit-baseline.md, "Exceptions"); traps never return (they unwind to the
/// landing pad, uncatchable).
using EntryFn = void* (*)(rt::FuncInst* self, uint64_t* args_and_results, rt::VMContext* caller);

/// Tail calls whose callee's parameters do not fit the caller's args_and_results
/// array (docs/jit-baseline.md, "Tail calls"): the function stores the callee and
/// its arguments with h_tail_call, tears its frame down, then either jumps to
/// tail_call_adapter (as if its own caller had called the adapter) or, when the
/// adapter already called it, returns kTailCallPending to it. Only the adapter
/// ever receives this value (exceptions are aligned pointers: never 1).
inline constexpr uintptr_t kTailCallPending = 1;

/// Called from generated code at a tail call that does not fit: records `callee`,
/// its arguments `args[0 .. slots)` and the calling instance `ctx` for the
/// adapter. Returns kTailCallPending when `own_args` (the calling function's
/// args_and_results array) is the one the innermost adapter passed, so the
/// function returns to the adapter; else 0, and it jumps to the adapter.
uint64_t h_tail_call(rt::FuncInst* callee, const uint64_t* args, const uint64_t* own_args,
                     rt::VMContext* ctx, uint64_t slots);

/// An EntryFn (its `self` unused) that runs the pending tail call and every tail
/// call that does not fit after it, one after the other from an array big enough
/// for each, then copies the last callee's results to `results`.
void* tail_call_adapter(rt::FuncInst* self, uint64_t* results, rt::VMContext* caller);

inline constexpr int32_t kFrameSelf = -8;
inline constexpr int32_t kFrameArgs = -16;
inline constexpr int32_t kFrameOffset = -24;
inline constexpr int32_t kFrameSaveR14 = -32;
inline constexpr int32_t kFrameSaveR15 = -40;
inline constexpr int32_t kFrameSavePinned = -48;  ///< rbx, r12, r13 (when pinned) downward
inline constexpr int32_t kFrameHeader = 72;       ///< bytes above the slot area

}  // namespace wasmrun::jit
