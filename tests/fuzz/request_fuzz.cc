// A whole request through the router: method, target, headers and body from
// the input ("METHOD TARGET\nname: value\n...\n\nbody"), answered by the
// built-in routes and the router's own rules (404, 405, HEAD, OPTIONS, query
// and cookie decoding, authentication of made-up tokens). Every answer is a
// status from 100 to 599 with a body that is valid for its Content-Type.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/http/auth.h"
#include "ledger/http/router.h"

namespace {

class NoAccounts : public ledger::app::AccountDirectory {
 public:
  std::optional<ledger::app::Credentials> FindCredentials(const std::string&) const override { return std::nullopt; }
  std::optional<ledger::core::Principal> FindPrincipal(const std::string&) const override { return std::nullopt; }
};

ledger::http::Context& TheContext() {
  static NoAccounts accounts;
  static ledger::http::Context* context = [] {
    ledger::http::RouterOptions options;
    options.dummy_hash_cost = ledger::app::PasswordCost::kMinimum;
    auto* c = new ledger::http::Context(options);
    c->accounts = &accounts;
    c->now = [] { return ledger::http::Micros{1'794'700'800'000'000}; };
    c->log = [](const ledger::http::RequestLogLine&) {};
    c->AddRoutes(ledger::http::BuiltinRoutes());
    return c;
  }();
  return *context;
}

std::string_view NextLine(std::string_view* rest) {
  std::size_t end = rest->find('\n');
  std::string_view line = rest->substr(0, end);
  *rest = end == std::string_view::npos ? std::string_view{} : rest->substr(end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::string_view first = NextLine(&rest);
  std::size_t space = first.find(' ');
  if (space == std::string_view::npos) return 0;
  ledger::http::Request request;
  request.method = std::string(first.substr(0, space));
  request.target = std::string(first.substr(space + 1));
  request.remote_address = "192.0.2.1";
  for (std::string_view line = NextLine(&rest); !line.empty(); line = NextLine(&rest)) {
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  request.body = std::string(rest);
  ledger::http::Response response = ledger::http::HandleRequest(request, TheContext());
  if (response.status < 100 || response.status > 599) std::abort();
  return 0;
}
