// A real world for the API tests: the shared test world (tests/support/world.h:
// a Ledger in a temporary directory, its fixed clock and the standard cast),
// with the routes of ApiRoutes on it.
#pragma once

#include <doctest/doctest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ledger/app/command_bus.h"
#include "ledger/app/ledger.h"
#include "ledger/core/codec.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/http/api.h"
#include "ledger/http/router.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/runner.h"
#include "support/temp_dir.h"
#include "support/world.h"

namespace ledger::http::testing {

inline constexpr const char* kApiPassword = "correct horse battery staple";
inline constexpr core::Timestamp kNow = ledger::testing::kWorldNow;  // 2026-11-15T00:00:00Z

inline core::Date Day(int d) { return ledger::testing::November(d); }

using ledger::testing::RolesOf;
using ledger::testing::Seed;
using ledger::testing::SeedWorld;

// Everything the server has, minus the sockets.
struct ApiWorld : ledger::testing::LedgerWorld {
  ApiWorld() : ApiWorld(std::make_unique<ledger::testing::TempDir>()) {}
  // `store_options`: how the event store is opened (e.g. on a file system that fails on command).
  explicit ApiWorld(std::unique_ptr<ledger::testing::TempDir> temp, bool seed = true, es::Options store_options = {})
      : LedgerWorld(std::move(temp), store_options),
        store(&ledger().store()),
        bus(&ledger().bus()),
        db(&ledger().projections()),
        runner(&ledger().runner()) {
    if (seed && store->GetHead().position == 0)
      SeedWorld(*store, app::HashPassword(kApiPassword, app::PasswordCost::kMinimum));
    Start();
    accounts = std::make_unique<app::LogAccountDirectory>(*bus, *store);
    RouterOptions options;
    options.dummy_hash_cost = app::PasswordCost::kMinimum;
    context = std::make_unique<Context>(options);
    context->accounts = accounts.get();
    context->log = [](const RequestLogLine&) {};
    context->dummy_password_hash = app::HashPassword("unused", app::PasswordCost::kMinimum);
    context->AddRoutes(BuiltinRoutes());
    deps = std::make_unique<ApiDeps>(ledger());
    context->AddRoutes(ApiRoutes(*deps));
  }
  ~ApiWorld() {
    deps->StopStreams();
    ledger().StopProjections();
  }

  // Signs in and returns the bearer token ("" on failure).
  std::string SignIn(const std::string& username) {
    Response r = Handle("POST", "/api/v1/session",
                        R"({"username":")" + username + R"(","password":")" + kApiPassword + R"("})");
    if (r.status != 201) return "";
    return std::string(boost::json::parse(r.body).at("token").as_string());
  }
  const std::string& Token(const std::string& username) {
    auto it = tokens.find(username);
    if (it == tokens.end()) it = tokens.emplace(username, SignIn(username)).first;
    return it->second;
  }

  Response Handle(std::string method, std::string target, std::string body = "", std::vector<HeaderField> headers = {},
                  std::string content_type = "application/json") {
    Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    if (!r.body.empty() && !content_type.empty()) r.headers.emplace_back("Content-Type", content_type);
    for (auto& h : headers) r.headers.push_back(std::move(h));
    r.remote_address = "192.0.2.10";
    return HandleRequest(r, *context);
  }
  // A request as `username` (bearer token).
  Response As(const std::string& username, std::string method, std::string target, std::string body = "",
              std::vector<HeaderField> headers = {}, std::string content_type = "application/json") {
    headers.emplace_back("Authorization", "Bearer " + Token(username));
    return Handle(std::move(method), std::move(target), std::move(body), std::move(headers), std::move(content_type));
  }

  // Creates a SPEND draft for day `day` of November with `pence` as its cost; returns the claim id.
  std::string Draft(const std::string& user, int day, int64_t pence) {
    Response r = As(user, "POST", "/api/v1/claims",
                    R"({"service_id":"SPEND","period":")" + Day(day).ToString() + R"(","values":{"cost":)" +
                        std::to_string(pence) + "}}");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    return std::string(boost::json::parse(r.body).at("claim_id").as_string());
  }
  std::string StatusOf(const std::string& user, const std::string& id) {
    Response r = As(user, "GET", "/api/v1/claims/" + id);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return std::string(boost::json::parse(r.body).at("status").as_string());
  }
  uint64_t Head() { return store->GetHead().position; }

  // The ledger's parts, for tests that seed or read them directly.
  es::EventStore* store;
  app::CommandBus* bus;
  projections::ProjectionDb* db;
  projections::Runner* runner;
  std::unique_ptr<app::LogAccountDirectory> accounts;
  std::unique_ptr<Context> context;
  std::unique_ptr<ApiDeps> deps;
  std::map<std::string, std::string> tokens;
};

inline boost::json::value Json(const Response& r) { return boost::json::parse(r.body); }
inline std::string Str(const boost::json::value& v, const char* key) { return std::string(v.at(key).as_string()); }

// The problem body's errors as "path:code" strings.
inline std::vector<std::string> ErrorCodesOf(const Response& r) {
  std::vector<std::string> out;
  boost::json::value body = boost::json::parse(r.body);
  if (!body.as_object().contains("errors")) return out;
  for (const auto& e : body.at("errors").as_array())
    out.push_back(std::string(e.at("path").as_string()) + ":" + std::string(e.at("code").as_string()));
  return out;
}

}  // namespace ledger::http::testing
