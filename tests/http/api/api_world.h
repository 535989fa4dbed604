// A real world for the API tests: a real event store and read models in a
// temporary directory, the routes of ApiRoutes, and a small cast.
//
//   C1 (commissioner): c1admin, c1tier1, c1tier2, c1tier2b (a second Tier 2),
//                      c1finance, c1auditor
//   C2 (commissioner): c2tier1, c2auditor
//   P1 (C1, single-level): p1user         P2 (C1, multi-level): p2user, p2approver
//   P3 (C2): p3user                        SYSTEM: op (operator)
//   Service SPEND of C1: one-off (period = the day of the activity), one money
//   component "cost" priced 1p per penny (a claim's amount is its value),
//   window 30 days; accepted by P1 and P2.
// "Now" is 15 November 2026; claims are for days of early November 2026.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ledger/app/command_bus.h"
#include "ledger/core/codec.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/http/api.h"
#include "ledger/http/router.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/runner.h"
#include "support/temp_dir.h"

namespace ledger::http::testing {

inline constexpr const char* kApiPassword = "correct horse battery staple";
inline constexpr core::Timestamp kNow = 1'794'700'800'000'000;  // 2026-11-15T00:00:00Z

inline core::Date Day(int d) { return core::Date::FromYmd(2026, 11, d); }

// Writes events straight to a stream (the world as given, not as decided).
inline void Seed(es::EventStore& store, const std::string& stream, const std::vector<core::Event>& events) {
  es::AppendRequest request;
  request.command_id = "seed-" + stream;
  request.actor_id = "";
  es::StreamAppend append;
  append.stream_id = stream;
  for (const core::Event& e : events) {
    core::EncodedEvent encoded = core::Encode(e);
    append.events.push_back({encoded.type, encoded.schema_version, encoded.payload});
  }
  request.streams.push_back(std::move(append));
  auto result = store.Append(request);
  REQUIRE_MESSAGE(result.ok(), result.status().ToString());
}

inline core::RoleSet RolesOf(std::initializer_list<core::Role> roles) {
  core::RoleSet set;
  for (core::Role r : roles) set.Add(r);
  return set;
}

// `today`: the service runs from 200 days before it to 200 days after.
inline void SeedWorld(es::EventStore& store, const std::string& hash, core::Date today = Day(15)) {
  using namespace core;  // NOLINT: the world reads better unqualified
  using R = Role;
  auto org = [&](const std::string& code, OrgKind kind, const std::string& comm, ApprovalMode mode) {
    Seed(store, OrgStream(code),
         {OrganisationRegistered{code, "Organisation " + code, kind, comm, "LS1 4AP", mode, {}, kNow},
          ListSizeRecorded{code, today.AddDays(-200), 8000, kNow}});
  };
  Seed(store, OrgStream("SYSTEM"),
       {OrganisationRegistered{"SYSTEM", "Operators", OrgKind::kSystem, "", "", ApprovalMode::kSingleLevel, {}, kNow}});
  for (const char* c : {"C1", "C2"}) {
    Seed(store, OrgStream(c),
         {OrganisationRegistered{c, std::string("Commissioner ") + c, OrgKind::kCommissioner, c, "", ApprovalMode::kSingleLevel,
                                 {}, kNow},
          CommissionerConfigured{c, kDefaultFinanceThresholdPence, true, kNow}});
  }
  org("P1", OrgKind::kPractice, "C1", ApprovalMode::kSingleLevel);
  org("P2", OrgKind::kPractice, "C1", ApprovalMode::kMultiLevel);
  org("P3", OrgKind::kPractice, "C2", ApprovalMode::kSingleLevel);
  auto person = [&](const std::string& username, const std::string& org_code, OrgKind kind, const std::string& comm,
                    RoleSet roles) {
    Seed(store, AccountStream(username),
         {AccountCreated{username, org_code, kind, comm, "Person " + username, username + "@nhs.invalid", roles, hash,
                         IsDualTier(roles), kNow}});
  };
  person("op", "SYSTEM", OrgKind::kSystem, "", RolesOf({R::kOperator}));
  person("c1admin", "C1", OrgKind::kCommissioner, "C1", RolesOf({R::kCommissionerAdmin}));
  person("c1tier1", "C1", OrgKind::kCommissioner, "C1", RolesOf({R::kApproverTier1}));
  person("c1tier2", "C1", OrgKind::kCommissioner, "C1", RolesOf({R::kApproverTier2}));
  person("c1tier2b", "C1", OrgKind::kCommissioner, "C1", RolesOf({R::kApproverTier2}));
  person("c1finance", "C1", OrgKind::kCommissioner, "C1", RolesOf({R::kFinance}));
  person("c1auditor", "C1", OrgKind::kCommissioner, "C1", RolesOf({R::kAuditor}));
  person("c2tier1", "C2", OrgKind::kCommissioner, "C2", RolesOf({R::kApproverTier1}));
  person("c2auditor", "C2", OrgKind::kCommissioner, "C2", RolesOf({R::kAuditor}));
  person("p1user", "P1", OrgKind::kPractice, "C1", RolesOf({R::kProviderUser, R::kProviderAdmin}));
  person("p2user", "P2", OrgKind::kPractice, "C1", RolesOf({R::kProviderUser}));
  person("p2approver", "P2", OrgKind::kPractice, "C1", RolesOf({R::kProviderApprover}));
  person("p3user", "P3", OrgKind::kPractice, "C2", RolesOf({R::kProviderUser}));

  ServiceDefinition d;
  d.code = "SPEND";
  d.name = "Care home support costs";
  d.description = "Costs of supporting care home residents.";
  d.category = ServiceCategory::kLes;
  d.frequency = Frequency::kOneOff;
  d.window_days = 30;
  d.components = {Component{"cost", "Costs incurred", UnitKind::kMoney, 0, 100'000'000, true, ""}};
  d.questions = {Question{"notes", "Anything the commissioner should know?", QuestionKind::kText, false}};
  d.start = today.AddDays(-200);
  d.end = today.AddDays(200);
  Tariff t;
  t.effective_from = d.start;
  t.payment_type = PaymentType::kItemOfService;
  t.unit_rates = {ComponentRate{"cost", 1}};
  Seed(store, ServiceStream("SPEND"),
       {ServiceDefined{"SPEND", "C1", d, kNow}, TariffVersionAdded{"SPEND", t, kNow}, ServicePublished{"SPEND", kNow}});
  for (const char* p : {"P1", "P2"}) {
    Seed(store, OfferStream("SPEND", p),
         {ServiceOffered{"SPEND", p, "C1", d.start, d.end, d.start.AddDays(-1), kNow},
          OfferAccepted{"SPEND", p, d.start, d.end, "p1user", kNow}});
  }
}

// Everything the server has, minus the sockets.
struct ApiWorld {
  ApiWorld() : ApiWorld(std::make_unique<ledger::testing::TempDir>()) {}
  // `store_options`: how the event store is opened (e.g. on a file system that fails on command).
  explicit ApiWorld(std::unique_ptr<ledger::testing::TempDir> temp, bool seed = true, es::Options store_options = {})
      : dir(std::move(temp)) {
    auto opened = es::EventStore::Open(dir->Sub("events"), store_options);
    REQUIRE_MESSAGE(opened.ok(), opened.status().ToString());
    store = std::move(opened).value();
    bus = std::make_unique<app::CommandBus>(*store);
    if (seed && store->GetHead().position == 0)
      SeedWorld(*store, app::HashPassword(kApiPassword, app::PasswordCost::kMinimum));
    auto db_opened = projections::ProjectionDb::Open(dir->Sub("projections"));
    REQUIRE_MESSAGE(db_opened.ok(), db_opened.status().ToString());
    db = std::move(db_opened).value();
    runner = std::make_unique<projections::Runner>(*store, *db);
    REQUIRE(runner->CatchUp().ok());
    runner->Start();
    accounts = std::make_unique<app::LogAccountDirectory>(*bus, *store);
    RouterOptions options;
    options.dummy_hash_cost = app::PasswordCost::kMinimum;
    context = std::make_unique<Context>(options);
    context->accounts = accounts.get();
    context->log = [](const RequestLogLine&) {};
    context->dummy_password_hash = app::HashPassword("unused", app::PasswordCost::kMinimum);
    context->AddRoutes(BuiltinRoutes());
    deps = std::make_unique<ApiDeps>(*store, *bus, *db, *runner, dir->path() / "evidence");
    deps->now = [this] { return now; };
    context->AddRoutes(ApiRoutes(*deps));
  }
  ~ApiWorld() {
    deps->StopStreams();
    runner->Stop();
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

  Response Handle(std::string method, std::string target, std::string body = "",
                  std::vector<HeaderField> headers = {}, std::string content_type = "application/json") {
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

  std::unique_ptr<ledger::testing::TempDir> dir;
  std::unique_ptr<es::EventStore> store;
  std::unique_ptr<app::CommandBus> bus;
  std::unique_ptr<projections::ProjectionDb> db;
  std::unique_ptr<projections::Runner> runner;
  std::unique_ptr<app::LogAccountDirectory> accounts;
  std::unique_ptr<Context> context;
  std::unique_ptr<ApiDeps> deps;
  core::Timestamp now = kNow;
  std::map<std::string, std::string> tokens;
};

inline boost::json::value Json(const Response& r) { return boost::json::parse(r.body); }
inline std::string Str(const boost::json::value& v, const char* key) {
  return std::string(v.at(key).as_string());
}

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
