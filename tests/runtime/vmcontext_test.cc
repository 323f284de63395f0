// The VMContext layout that JIT tiers address by offset must match the struct.
#include "engine/runtime/vmcontext.h"

#include <gtest/gtest.h>

#include <cstddef>

namespace wasmrun::rt {
namespace {

TEST(VMContext, OffsetsMatchStruct) {
  EXPECT_EQ(offsetof(VMContext, memory0_base), kOffsetMemory0Base);
  EXPECT_EQ(offsetof(VMContext, memory0_size), kOffsetMemory0Size);
  EXPECT_EQ(offsetof(VMContext, memories), kOffsetMemories);
  EXPECT_EQ(offsetof(VMContext, tables), kOffsetTables);
  EXPECT_EQ(offsetof(VMContext, globals), kOffsetGlobals);
  EXPECT_EQ(offsetof(VMContext, funcs), kOffsetFuncs);
  EXPECT_EQ(offsetof(VMContext, type_ids), kOffsetTypeIds);
  EXPECT_EQ(offsetof(VMContext, stack_limit), kOffsetStackLimit);
  EXPECT_EQ(offsetof(VMContext, pending_exception), kOffsetPendingException);
  EXPECT_EQ(offsetof(VMContext, instance), kOffsetInstance);
  EXPECT_EQ(sizeof(VMContext), kVMContextSize);
}

}  // namespace
}  // namespace wasmrun::rt
