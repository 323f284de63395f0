// `wasmrun run [OPTIONS] FILE [ARGS...]`
//
// Options come before the module, as in Wasmtime; everything after the module
// belongs to the guest. With --invoke NAME the export NAME is called with ARGS
// parsed by its parameter types and the results are printed one per line.
// Without --invoke the module runs as a WASI command (`_start`).
//
// Exit status: the guest's exit code for WASI commands; 0 after a successful
// --invoke; 1 when the module cannot be loaded, compiled or linked; 2 for usage
// errors; 134 when the guest traps (as Wasmtime does).
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/gc_flags.h"
#include "cli/module_file.h"
#include "cli/run_options.h"
#include "cli/tier.h"
#include "wasmrun/trap.h"
#include "wasmrun/wasmrun.h"

namespace wasmrun::cli {

namespace {

void print_help() {
  std::printf(
      "usage: wasmrun run [OPTIONS] FILE [ARGS...]\n"
      "Runs a module (.wasm or .wat): a WASI command, or one export with --invoke.\n"
      "  --invoke NAME          call export NAME with ARGS (i32/i64/f32/f64, v128 as hex)\n"
      "  --tier=T               execution tier: baseline (default: the JIT, compiling\n"
      "                         each function at its first call), interp\n"
      "  --gc-heap-limit=SIZE   cap on the GC heap, bytes or with K/M/G (default 4G);\n"
      "                         exceeding it traps \"out of memory: GC heap exhausted\"\n"
      "  --dir HOST[::GUEST]    preopen a host directory (append :readonly to forbid writes)\n"
      "  --env K=V              set a guest environment variable (repeatable)\n"
      "  --inherit-env          pass the host's environment to the guest\n"
      "  -S threads             enable wasi-threads (also --wasi threads)\n");
}

// Parses one command-line argument as a value of `type`.
std::optional<api::Value> parse_arg(const std::string& s, const ValType& type) {
  const char* b = s.data();
  const char* e = s.data() + s.size();
  switch (type.kind) {
    case ValKind::I32: {
      int64_t v = 0;
      auto [p, ec] = std::from_chars(b, e, v, 10);
      if (ec != std::errc() || p != e || v < INT32_MIN || v > UINT32_MAX) return std::nullopt;
      return api::Value::i32(static_cast<int32_t>(static_cast<uint32_t>(v)));
    }
    case ValKind::I64: {
      if (!s.empty() && s[0] == '-') {
        int64_t v = 0;
        auto [p, ec] = std::from_chars(b, e, v, 10);
        if (ec != std::errc() || p != e) return std::nullopt;
        return api::Value::i64(v);
      }
      uint64_t v = 0;
      auto [p, ec] = std::from_chars(b, e, v, 10);
      if (ec != std::errc() || p != e) return std::nullopt;
      return api::Value::i64(static_cast<int64_t>(v));
    }
    case ValKind::F32:
    case ValKind::F64: {
      if (s.empty()) return std::nullopt;
      errno = 0;
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (*end != '\0') return std::nullopt;
      if (type.kind == ValKind::F32) {
        float f = std::strtof(s.c_str(), &end);
        return api::Value::f32(f);
      }
      return api::Value::f64(d);
    }
    case ValKind::V128: {
      std::string h = s;
      if (h.rfind("0x", 0) == 0 || h.rfind("0X", 0) == 0) h = h.substr(2);
      if (h.size() != 32) return std::nullopt;
      api::V128 v;
      // Written as one 128-bit hex number: the last two digits are byte 0.
      for (int i = 0; i < 16; ++i) {
        unsigned byte = 0;
        auto [p, ec] = std::from_chars(h.data() + 30 - 2 * i, h.data() + 32 - 2 * i, byte, 16);
        if (ec != std::errc() || p != h.data() + 32 - 2 * i) return std::nullopt;
        v.bytes[i] = static_cast<uint8_t>(byte);
      }
      return api::Value::v128(v);
    }
    default: return std::nullopt;
  }
}

template <class F>
std::string format_float(F f) {
  if (std::isnan(f)) return std::signbit(f) ? "-nan" : "nan";
  if (std::isinf(f)) return std::signbit(f) ? "-inf" : "inf";
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, f);
  (void)ec;
  return std::string(buf, p);
}

std::string format_result(const api::Value& v) {
  switch (v.type().kind) {
    case ValKind::I32: return std::to_string(v.i32());
    case ValKind::I64: return std::to_string(v.i64());
    case ValKind::F32: return format_float(v.f32());
    case ValKind::F64: return format_float(v.f64());
    case ValKind::V128: {
      api::V128 b = v.v128();
      std::string s = "0x";
      char buf[3];
      for (int i = 15; i >= 0; --i) {
        std::snprintf(buf, sizeof buf, "%02x", b.bytes[i]);
        s += buf;
      }
      return s;
    }
    default: return v.to_string();
  }
}

// Prints an execution error the way users of other runtimes expect, and maps it
// to the exit status.
int report_failure(const Error& e, const std::string& file) {
  if (e.kind == ErrorKind::Exit) return e.exit_code;
  if (e.kind == ErrorKind::Trap || e.kind == ErrorKind::Exhaustion ||
      e.kind == ErrorKind::Exception) {
    std::fprintf(stderr, "error: wasm trap: %s\n", e.message.c_str());
    if (e.trap && !e.trap->backtrace.empty()) {
      std::fprintf(stderr, "wasm backtrace:\n%s", e.trap->backtrace_string().c_str());
    }
    return 134;
  }
  std::fprintf(stderr, "error: %s: %s: %s\n", file.c_str(), error_kind_name(e.kind),
               e.to_string().c_str());
  return 1;
}

int invoke(const RunOptions& opts) {
  api::EngineConfig config;
  config.tier = opts.tier;
  config.gc_heap_limit = opts.gc_heap_limit;
  api::Engine engine(config);
  auto bytes = read_module_file(opts.file);
  if (!bytes) return report_failure(bytes.error(), opts.file);
  auto module =
      api::Module::compile(engine, std::span<const uint8_t>(bytes->data(), bytes->size()));
  if (!module) return report_failure(module.error(), opts.file);
  api::Store store(engine);
  api::Linker linker(engine);
  if (Status s = define_wasi_if_imported(linker, store, *module, opts); !s.ok()) {
    return report_failure(s.error(), opts.file);
  }
  auto instance = linker.instantiate(store, *module);
  if (!instance) return report_failure(instance.error(), opts.file);
  auto func = instance->func(opts.invoke);
  if (!func) {
    std::fprintf(stderr, "error: %s has no exported function \"%s\"\n", opts.file.c_str(),
                 opts.invoke.c_str());
    return 1;
  }
  const FuncType& type = func->type();
  if (opts.guest_args.size() != type.params.size()) {
    return usage_error("run: " + opts.invoke + " takes " + std::to_string(type.params.size()) +
                       " arguments, " + std::to_string(opts.guest_args.size()) + " given");
  }
  std::vector<api::Value> args;
  for (size_t i = 0; i < type.params.size(); ++i) {
    auto v = parse_arg(opts.guest_args[i], type.params[i]);
    if (!v) {
      return usage_error("run: argument " + std::to_string(i + 1) + " '" + opts.guest_args[i] +
                         "' is not a valid " + to_string(type.params[i]));
    }
    args.push_back(*v);
  }
  auto results = func->call(std::span<const api::Value>(args.data(), args.size()));
  if (!results) return report_failure(results.error(), opts.file);
  for (const api::Value& v : *results) std::printf("%s\n", format_result(v).c_str());
  return 0;
}

}  // namespace

int run_command(const Args& args) {
  RunOptions opts;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) -> std::optional<std::string> {
      size_t n = std::strlen(flag);
      if (a.size() > n && a.compare(0, n, flag) == 0 && a[n] == '=') return a.substr(n + 1);
      if (a == flag && i + 1 < args.size()) return args[++i];
      return std::nullopt;
    };
    if (a == "--help" || a == "-h") {
      print_help();
      return 0;
    }
    if (a == "--") {
      ++i;
      break;
    }
    if (a.empty() || a[0] != '-') break;
    if (auto v = value("--invoke")) {
      opts.invoke = *v;
    } else if (auto v = value("--tier")) {
      auto tier = parse_tier(*v);
      if (!tier)
        return usage_error("run: unknown tier '" + *v + "' (available: " + kTierNames + ")");
      opts.tier = *tier;
    } else if (auto v = value("--gc-heap-limit")) {
      auto limit = parse_byte_size(*v);
      if (!limit)
        return usage_error("run: bad --gc-heap-limit '" + *v +
                           "' (bytes, or a number with K, M or G)");
      opts.gc_heap_limit = *limit;
    } else if (auto v = value("--dir")) {
      opts.dirs.push_back(*v);
    } else if (auto v = value("--env")) {
      if (v->find('=') == std::string::npos) return usage_error("run: --env needs K=V");
      opts.env.push_back(*v);
    } else if (a == "--inherit-env") {
      opts.inherit_env = true;
    } else if (auto v = a == "-S" ? value("-S") : value("--wasi")) {
      // Wasmtime's WASI options; wasi-threads is the only one so far.
      if (*v != "threads" && *v != "threads=y")
        return usage_error("run: unknown WASI option '" + *v + "' (available: threads)");
      opts.wasi_threads = true;
    } else {
      return usage_error("run: unknown or incomplete option '" + a + "'");
    }
  }
  if (i >= args.size()) return usage_error("run: no module file given");
  opts.file = args[i++];
  opts.guest_args.assign(args.begin() + static_cast<long>(i), args.end());
  if (!opts.invoke.empty()) return invoke(opts);
  return run_wasi(opts);
}

}  // namespace wasmrun::cli
