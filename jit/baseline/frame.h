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
// Fixed registers in the body: r15 = VMContext*, r14 = memory 0 base (reloaded
// after every call, since a callee may grow memory), r11 = scratch, xmm14/xmm15 =
// scratch, rbx/r12/r13 and xmm8..xmm13 = pinned locals (compiler.cc).
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

inline constexpr int32_t kFrameSelf = -8;
inline constexpr int32_t kFrameArgs = -16;
inline constexpr int32_t kFrameOffset = -24;
inline constexpr int32_t kFrameSaveR14 = -32;
inline constexpr int32_t kFrameSaveR15 = -40;
inline constexpr int32_t kFrameSavePinned = -48;  ///< rbx, r12, r13 (when pinned) downward
inline constexpr int32_t kFrameHeader = 72;       ///< bytes above the slot area

}  // namespace wasmrun::jit
