// wasmrun: run, validate and test WebAssembly modules.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/commands.h"

#ifndef WASMRUN_VERSION
#define WASMRUN_VERSION "0.0.0"
#endif

namespace {

void print_help() {
  std::printf(
      "wasmrun %s: a WebAssembly 3.0 runtime\n"
      "\n"
      "usage: wasmrun <command> [options] ...\n"
      "\n"
      "commands:\n"
      "  run [OPTIONS] FILE [ARGS...]   run a module: a WASI command, or --invoke an export\n"
      "  validate FILE...               decode and validate modules (.wasm or .wat)\n"
      "  wast [OPTIONS] FILE...         run WebAssembly spec test scripts\n"
      "\n"
      "options:\n"
      "  --help, -h       show this help (or `wasmrun <command> --help`)\n"
      "  --version, -V    show the version\n",
      WASMRUN_VERSION);
}

}  // namespace

namespace wasmrun::cli {

int usage_error(const std::string& message) {
  std::fprintf(stderr, "wasmrun: %s (see `wasmrun --help`)\n", message.c_str());
  return 2;
}

}  // namespace wasmrun::cli

int main(int argc, char** argv) {
  using namespace wasmrun::cli;
  if (argc < 2) {
    print_help();
    return 2;
  }
  std::string cmd = argv[1];
  Args rest(argv + 2, argv + argc);
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    print_help();
    return 0;
  }
  if (cmd == "--version" || cmd == "-V") {
    std::printf("wasmrun %s\n", WASMRUN_VERSION);
    return 0;
  }
  if (cmd == "validate") return validate_command(rest);
  if (cmd == "wast") return wast_command(rest);
  if (cmd == "run") return run_command(rest);
  return usage_error("unknown command '" + cmd + "'");
}
