// VMContext: the per-instance block that compiled code and the interpreter address
// by fixed offsets. This is the one definition of the layout; the kOffset*
// constants below are what JIT tiers must use, and tests/runtime checks them
// against offsetof. Order is deliberate: memory 0's base and size come first so
// the hottest loads get the shortest displacements.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wasmrun::rt {

struct MemoryInst;
struct TableInst;
struct GlobalInst;
struct FuncInst;
struct InstanceInst;

struct VMContext {
  /// Base of memory 0 (nullptr when the instance has no memory). Updated by every
  /// grow of that memory, including grows done through another instance.
  uint8_t* memory0_base = nullptr;
  /// Current byte size of memory 0.
  uint64_t memory0_size = 0;
  /// All memories of the instance, by memory index.
  MemoryInst** memories = nullptr;
  /// All tables, by table index.
  TableInst** tables = nullptr;
  /// All globals, by global index. Every global is a boxed cell (GlobalInst) so that
  /// imports and exports share one storage location.
  GlobalInst** globals = nullptr;
  /// Function references by function index (imports first): the code-pointer table.
  FuncInst** funcs = nullptr;
  /// Engine-wide canonical type id of each of the module's type indices.
  const uint32_t* type_ids = nullptr;
  /// Lowest address the native stack may grow to (for JIT prologue checks).
  uintptr_t stack_limit = 0;
  /// Exception in flight (exception handling: set by throw, tested after calls).
  void* pending_exception = nullptr;
  /// The owning instance.
  InstanceInst* instance = nullptr;
};

inline constexpr size_t kOffsetMemory0Base = 0;
inline constexpr size_t kOffsetMemory0Size = 8;
inline constexpr size_t kOffsetMemories = 16;
inline constexpr size_t kOffsetTables = 24;
inline constexpr size_t kOffsetGlobals = 32;
inline constexpr size_t kOffsetFuncs = 40;
inline constexpr size_t kOffsetTypeIds = 48;
inline constexpr size_t kOffsetStackLimit = 56;
inline constexpr size_t kOffsetPendingException = 64;
inline constexpr size_t kOffsetInstance = 72;
inline constexpr size_t kVMContextSize = 80;

}  // namespace wasmrun::rt
