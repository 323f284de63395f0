// Reading a module from a file: binary .wasm or text .wat, told apart by content
// (the "\0asm" magic), so `.wat` is accepted wherever `.wasm` is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wasmrun/result.h"

namespace wasmrun::cli {

/// Reads a whole file. Io error with the OS's reason if it cannot be read.
Result<std::vector<uint8_t>> read_file(const std::string& path);

/// Reads a module file and returns its binary encoding (text is encoded to binary).
Result<std::vector<uint8_t>> read_module_file(const std::string& path);

/// True if `bytes` starts with the binary magic number.
bool is_binary_module(const std::vector<uint8_t>& bytes);

}  // namespace wasmrun::cli
