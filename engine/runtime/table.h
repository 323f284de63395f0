// TableInst: a table of references. Elements are raw reference bits (0 = null,
// a FuncInst* for funcref, the gc/value.h encoding for any/extern references).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/types.h"

namespace wasmrun::rt {

struct StoreImpl;

struct TableInst {
  /// Read by the interpreter (and JIT code): keep first.
  uint64_t* data = nullptr;
  uint64_t size = 0;
  TableType type;  ///< canonical element type; limits.min is the current size
  uint64_t max = 0;
  std::vector<uint64_t> elems;
  StoreImpl* store = nullptr;  ///< owner (roots the GC references Table::get returns)

  /// A table of `t.limits.min` elements set to `init`. False if too large.
  bool init(const TableType& t, uint64_t init);
  /// Grows by `delta` elements set to `init`: old size, or -1.
  int64_t grow(uint64_t delta, uint64_t init);
};

}  // namespace wasmrun::rt
