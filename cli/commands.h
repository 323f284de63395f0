// The wasmrun command-line tool: one function per subcommand.
//
// Each command receives the arguments after its name and returns the process exit
// status. Commands print one-line errors for bad flags and unreadable files and
// never crash on bad input.
#pragma once

#include <string>
#include <vector>

namespace wasmrun::cli {

using Args = std::vector<std::string>;

int validate_command(const Args& args);
int wast_command(const Args& args);
int run_command(const Args& args);

/// Print "wasmrun: <message>" on stderr and return the usage-error status (2).
int usage_error(const std::string& message);

}  // namespace wasmrun::cli
