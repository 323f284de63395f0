// `wasmrun validate FILE...`: decode and validate, exit 0 when every module is valid.
#include <cstdio>

#include "cli/commands.h"
#include "cli/module_file.h"
#include "engine/validate/validator.h"

namespace wasmrun::cli {

int validate_command(const Args& args) {
  std::vector<std::string> files;
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::printf(
          "usage: wasmrun validate FILE...\n"
          "Decodes and validates each module (.wasm or .wat). Exit status 0 when all\n"
          "are valid, 1 otherwise, with the error and its byte offset on stderr.\n");
      return 0;
    }
    if (a.size() > 1 && a[0] == '-') return usage_error("validate: unknown option '" + a + "'");
    files.push_back(a);
  }
  if (files.empty()) return usage_error("validate: no module file given");
  int status = 0;
  for (const std::string& path : files) {
    auto bytes = read_module_file(path);
    if (!bytes) {
      std::fprintf(stderr, "%s: %s: %s\n", path.c_str(), error_kind_name(bytes.error().kind),
                   bytes.error().to_string().c_str());
      status = 1;
      continue;
    }
    auto module = load_module(std::move(*bytes));
    if (!module) {
      std::fprintf(stderr, "%s: %s: %s\n", path.c_str(), error_kind_name(module.error().kind),
                   module.error().to_string().c_str());
      status = 1;
    }
  }
  return status;
}

}  // namespace wasmrun::cli
