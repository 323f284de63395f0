// wasi-threads: the `wasi.thread-spawn` import and the `wasi_thread_start`
// export convention (https://github.com/WebAssembly/wasi-threads).
//
// A wasi-threads module imports a shared memory and `(import "wasi"
// "thread-spawn" (func (param i32) (result i32)))`. Each spawn starts a real OS
// thread with its own Store and its own instance of the same module; the new
// instance imports the same shared memory (owned by the main thread's store,
// which lives until the program ends) and runs `wasi_thread_start(tid, arg)`.
// Thread ids are 1..0x1FFFFFFF; a spawn that fails returns a negative errno.
//
// Ending: when `_start` returns, or any thread calls proc_exit or traps, the
// whole program ends with that status: stdio is flushed and the process leaves
// with _exit, which stops every other thread wherever it is (blocked in
// memory.atomic.wait included) without running destructors that other threads
// might still be using. That is what a wasi-threads program expects of its host
// process (Wasmtime does the same), and it is why this runner is only for the CLI.
#pragma once

#include "wasi/wasi_linker.h"

namespace wasmrun::wasi {

inline constexpr char kThreadsModule[] = "wasi";
inline constexpr char kThreadSpawnName[] = "thread-spawn";
inline constexpr char kThreadStartExport[] = "wasi_thread_start";

/// Runs a WASI command with wasi-threads enabled (`wasmrun run -S threads`).
/// Returns only for errors before the guest starts (same statuses as
/// run_wasi_command); once the guest runs, the process ends through _exit.
int run_wasi_threads_command(const WasiCommand& command);

}  // namespace wasmrun::wasi
