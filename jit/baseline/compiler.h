// The baseline compiler: one pass over a validated function body emitting x86-64
// with asmjit's Assembler. See docs/jit-baseline.md for the design.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "wasmrun/result.h"

namespace wasmrun::rt {
struct CompiledModule;
}

namespace wasmrun::jit {

/// Byte offsets into runtime objects that generated code needs but that offsetof
/// cannot give for non-standard-layout types; measured once at run time.
struct RuntimeOffsets {
  int32_t func_instance = 0;  ///< FuncInst::instance
  int32_t func_entry = 0;     ///< FuncInst::jit_entry
  int32_t instance_ctx = 0;   ///< InstanceInst::ctx
};
const RuntimeOffsets& runtime_offsets();

struct FrameMap;

struct CompiledFunction {
  void* entry = nullptr;  ///< EntryFn (frame.h)
  size_t code_bytes = 0;
  std::shared_ptr<const FrameMap> frame_map;  ///< GC roots per call site (frame_roots.h)
};

/// Compiles defined function `defined_index` of `cm`. Errors: Unsupported (an
/// instruction this tier does not compile; the caller runs the function in the
/// interpreter instead), or Exhaustion when code memory is exhausted.
/// `lazy_entry` is what a call site invokes when the callee has no entry yet.
/// With `install` false the code is generated and laid out but not copied into
/// executable memory (entry stays null): for measuring compile throughput.
Result<CompiledFunction> compile_function(const rt::CompiledModule& cm, uint32_t defined_index,
                                          void* lazy_entry, bool install = true);

}  // namespace wasmrun::jit
