#include "cli/wast_runner.h"

#include <string>
#include <utility>

#include "cli/wast_session.h"
#include "engine/validate/validator.h"

namespace wasmrun::cli {

const char* wast_command_name(WastCommand::Kind kind) {
  switch (kind) {
    case WastCommand::Kind::Module: return "module";
    case WastCommand::Kind::ModuleInstance: return "module instance";
    case WastCommand::Kind::Register: return "register";
    case WastCommand::Kind::Action: return "action";
    case WastCommand::Kind::AssertReturn: return "assert_return";
    case WastCommand::Kind::AssertTrap: return "assert_trap";
    case WastCommand::Kind::AssertExhaustion: return "assert_exhaustion";
    case WastCommand::Kind::AssertException: return "assert_exception";
    case WastCommand::Kind::AssertInvalid: return "assert_invalid";
    case WastCommand::Kind::AssertMalformed: return "assert_malformed";
    case WastCommand::Kind::AssertUnlinkable: return "assert_unlinkable";
    case WastCommand::Kind::AssertUninstantiable: return "assert_uninstantiable";
  }
  return "?";
}

namespace {

// Expected messages are compared as in the reference interpreter's runner: our
// message must contain the expected text. (Some expected texts are abbreviated,
// e.g. "unknown operator" for "unknown operator i32.foo".)
bool message_matches(const std::string& actual, const std::string& expected) {
  return actual.find(expected) != std::string::npos;
}

// Checks a module assertion that needs only decoding and validation.
// Returns an empty string on success, else what differed.
std::string check_module_error(const WastCommand& cmd, ErrorKind want) {
  auto bytes = cmd.module->encode();
  Error err;
  if (!bytes) {
    err = std::move(bytes).error();
  } else {
    auto loaded = load_module(std::move(*bytes));
    if (loaded)
      return "module is valid, expected " + std::string(error_kind_name(want)) + " \"" +
             cmd.message + "\"";
    err = std::move(loaded).error();
  }
  if (err.kind != want) {
    return "expected " + std::string(error_kind_name(want)) + " \"" + cmd.message + "\", got " +
           error_kind_name(err.kind) + " \"" + err.to_string() + "\"";
  }
  if (!message_matches(err.message, cmd.message)) {
    return "expected \"" + cmd.message + "\", got \"" + err.to_string() + "\"";
  }
  return {};
}

}  // namespace

WastRunner::WastRunner(const WastOptions& options) : options_(options) {}
WastRunner::~WastRunner() = default;

WastFileResult WastRunner::run(const WastScript& script) {
  WastFileResult result;
  bool needs_runtime = options_.commands.empty();
  for (const std::string& c : options_.commands) {
    if (c != "assert_invalid" && c != "assert_malformed") needs_runtime = true;
  }
  std::unique_ptr<WastSession> session;
  if (needs_runtime) session = std::make_unique<WastSession>(options_.tier, options_.gc_heap_limit);

  for (const WastCommand& cmd : script.commands) {
    std::string failure;
    if (cmd.is_assertion()) {
      if (!options_.commands.empty() && !options_.commands.count(wast_command_name(cmd.kind))) {
        ++result.skipped;
        continue;
      }
      if (cmd.kind == WastCommand::Kind::AssertMalformed) {
        failure = check_module_error(cmd, ErrorKind::Malformed);
      } else if (cmd.kind == WastCommand::Kind::AssertInvalid) {
        failure = check_module_error(cmd, ErrorKind::Invalid);
      } else {
        failure = session->execute(cmd);
      }
      if (failure.empty()) {
        ++result.passed;
        result.passed_lines.push_back(cmd.line);
      } else {
        ++result.failed;
        result.failures.push_back({cmd.line, std::move(failure)});
      }
      continue;
    }
    // Commands that set up state: without a runtime, modules are still compiled
    // so that a module the engine wrongly rejects is reported.
    if (session) {
      failure = session->execute(cmd);
    } else if (cmd.kind == WastCommand::Kind::Module) {
      auto bytes = cmd.module->encode();
      if (!bytes) {
        failure = "module failed to parse: " + bytes.error().to_string();
      } else if (auto loaded = load_module(std::move(*bytes)); !loaded) {
        failure = "module failed to load: " + std::string(error_kind_name(loaded.error().kind)) +
                  " " + loaded.error().to_string();
      }
    }
    if (!failure.empty()) result.failures.push_back({cmd.line, std::move(failure)});
  }
  return result;
}

}  // namespace wasmrun::cli
