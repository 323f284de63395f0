#include "cli/wast_session.h"

namespace wasmrun::cli {

struct WastSession::Impl {};

WastSession::WastSession(const std::string&) : impl_(std::make_unique<Impl>()) {}
WastSession::~WastSession() = default;

std::string WastSession::execute(const WastCommand&) {
  return "runtime commands are not supported yet";
}

}  // namespace wasmrun::cli
