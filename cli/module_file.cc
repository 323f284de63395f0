#include "cli/module_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "engine/text/wat.h"

namespace wasmrun::cli {

Result<std::vector<uint8_t>> read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Error(ErrorKind::Io, "cannot open " + path + ": " + std::strerror(errno));
  std::vector<uint8_t> bytes;
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.insert(bytes.end(), buf, buf + n);
  bool failed = std::ferror(f) != 0;
  int err = errno;
  std::fclose(f);
  if (failed) return Error(ErrorKind::Io, "cannot read " + path + ": " + std::strerror(err));
  return bytes;
}

bool is_binary_module(const std::vector<uint8_t>& bytes) {
  return bytes.size() >= 4 && std::memcmp(bytes.data(), "\0asm", 4) == 0;
}

Result<std::vector<uint8_t>> read_module_file(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) return std::move(bytes).error();
  if (is_binary_module(*bytes)) return std::move(*bytes);
  std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  return wat_to_wasm(text);
}

}  // namespace wasmrun::cli
