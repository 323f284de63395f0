// Builds and runs examples/embed.cc as a test.
#include <gtest/gtest.h>

#define WASMRUN_EMBED_NO_MAIN
#include "examples/embed.cc"

TEST(EmbedExample, RunsAndPrints) {
  std::string out;
  EXPECT_EQ(run_embed_example(out), 0) << out;
  EXPECT_NE(out.find("sum3(1, 2, 3) = 6"), std::string::npos) << out;
  EXPECT_NE(out.find("hello from wasm"), std::string::npos) << out;
  EXPECT_NE(out.find("peek(100) = 77"), std::string::npos) << out;
  EXPECT_NE(out.find("divide(1, 0) trapped: integer divide by zero"), std::string::npos) << out;
  EXPECT_NE(out.find("check(-1) trapped: negative value rejected by the host"), std::string::npos)
      << out;
}
