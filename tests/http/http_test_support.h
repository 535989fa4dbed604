// Shared helpers for the HTTP tests: a fake account directory, a context with
// cheap password hashes and a controllable clock, and request builders.
#pragma once

#include <boost/json/serialize.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ledger/http/router.h"

namespace ledger::http::testing {

inline constexpr const char* kPassword = "correct horse battery staple";

class FakeAccounts : public app::AccountDirectory {
 public:
  void Add(core::Principal principal, const std::string& password = kPassword) {
    std::lock_guard lock(mu_);
    accounts_[principal.username] = app::Credentials{app::HashPassword(password, app::PasswordCost::kMinimum),
                                                     principal};
  }
  void SetActive(const std::string& username, bool active) {
    std::lock_guard lock(mu_);
    accounts_.at(username).principal.active = active;
  }
  std::optional<app::Credentials> FindCredentials(const std::string& username) const override {
    std::lock_guard lock(mu_);
    auto it = accounts_.find(username);
    if (it == accounts_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<core::Principal> FindPrincipal(const std::string& username) const override {
    std::lock_guard lock(mu_);
    auto it = accounts_.find(username);
    if (it == accounts_.end()) return std::nullopt;
    return it->second.principal;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, app::Credentials> accounts_;
};

inline core::Principal Person(std::string username, std::string org, core::OrgKind kind, std::string commissioner,
                              std::vector<core::Role> roles) {
  core::Principal p;
  p.username = std::move(username);
  p.org_code = std::move(org);
  p.org_kind = kind;
  p.commissioner_code = std::move(commissioner);
  for (core::Role r : roles) p.roles.Add(r);
  p.active = true;
  return p;
}

// alice prepares claims at practice P1 (commissioner C1); tom approves at
// Tier 1 for C1; paula prepares claims at practice P2.
inline void AddStandardPeople(FakeAccounts& accounts) {
  accounts.Add(Person("alice", "P1", core::OrgKind::kPractice, "C1", {core::Role::kProviderUser}));
  accounts.Add(Person("tom", "C1", core::OrgKind::kCommissioner, "C1", {core::Role::kApproverTier1}));
  accounts.Add(Person("paula", "P2", core::OrgKind::kPractice, "C1", {core::Role::kProviderUser}));
}

// A context with the built-in routes, cheap hashes, a clock the test moves
// and log lines captured instead of printed.
// A problem answer's body without its `instance` (the request id, which
// differs between any two requests), for tests that two answers say the same.
inline std::string SameAnswer(const std::string& body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return body;
  v.as_object().erase("instance");
  return boost::json::serialize(v);
}

struct TestContext {
  TestContext() : context(Options()) {
    context.accounts = &accounts;
    context.now = [this] { return now; };
    context.log = [this](const RequestLogLine& line) { logs.push_back(line); };
    context.AddRoutes(BuiltinRoutes());
    AddStandardPeople(accounts);
  }
  static RouterOptions Options() {
    RouterOptions o;
    o.dummy_hash_cost = app::PasswordCost::kMinimum;
    return o;
  }
  void Advance(std::chrono::seconds s) { now += static_cast<Micros>(s.count()) * 1'000'000; }

  FakeAccounts accounts;
  Micros now = 1'800'000'000'000'000;  // 2027-01-15
  std::vector<RequestLogLine> logs;
  Context context;
};

inline Request Make(std::string method, std::string target, std::string body = "",
                    std::string content_type = "application/json") {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  if (!r.body.empty()) r.headers.emplace_back("Content-Type", std::move(content_type));
  r.remote_address = "192.0.2.10";
  return r;
}

inline Request WithBearer(Request r, const std::string& token) {
  r.headers.emplace_back("Authorization", "Bearer " + token);
  return r;
}

inline boost::json::value Body(const Response& r) { return boost::json::parse(r.body); }

struct SignedIn {
  std::string token;
  std::string csrf;
};

inline SignedIn SignIn(Context& context, const std::string& username, const std::string& password = kPassword) {
  Response r = HandleRequest(Make("POST", "/api/v1/session",
                                  R"({"username":")" + username + R"(","password":")" + password + R"("})"),
                             context);
  if (r.status != 201) return {};
  auto body = Body(r).as_object();
  return {std::string(body.at("token").as_string()), std::string(body.at("csrf_token").as_string())};
}

// The fields of the problem body's errors array as "path:code" strings.
inline std::vector<std::string> ErrorCodes(const Response& r) {
  std::vector<std::string> out;
  boost::json::value body = Body(r);
  for (const auto& e : body.as_object().at("errors").as_array()) {
    out.push_back(std::string(e.at("path").as_string()) + ":" + std::string(e.at("code").as_string()));
  }
  return out;
}

}  // namespace ledger::http::testing
