#include "cli/commands.h"

namespace wasmrun::cli {

int run_command(const Args&) { return usage_error("run: not available yet"); }

}  // namespace wasmrun::cli
