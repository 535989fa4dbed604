// Claims in every status a person can meet through the API, for the table
// tests of the claim rules (tests/http/api_admin/claim_actions_matrix_test.cc
// and tests/portal/claim_actions_portal_test.cc). Each claim is a SPEND claim
// (of P1, or of P2 when the practice approves first) for a new day, made
// through the routes by the people of ApiWorld, so it is in its status by the
// same commands a person would give.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "api_world.h"

namespace ledger::http::testing {

class ClaimStates {
 public:
  explicit ClaimStates(ApiWorld& w) : w_(w) {}

  struct State {
    std::string name;
    std::function<std::string()> make;  // makes a fresh claim in this status; returns its id
  };

  // Every status reachable through the API: a draft with evidence, waiting
  // for each tier, approved, held, returned, rejected, withdrawn, deleted.
  std::vector<State> All() {
    return {
        {"draft", [this] { return Draft(); }},
        {"awaiting provider approval", [this] { return Through("p2user", {}); }},
        {"awaiting tier 1", [this] { return Through("p1user", {}); }},
        {"awaiting tier 2", [this] { return Through("p1user", {"c1tier1:approve"}); }},
        {"awaiting finance",
         [this] {
           return Through("p1user", {"c1tier1:approve", "c1tier2:approve"}, 1'500'000);
         }},
        {"approved for payment",
         [this] {
           return Through("p1user", {"c1tier1:approve", "c1tier2:approve"});
         }},
        {"payment held",
         [this] {
           return Through("p1user", {"c1tier1:approve", "c1tier2:approve", "c1tier2:hold"});
         }},
        {"returned", [this] { return Through("p1user", {"c1tier1:return"}); }},
        {"rejected", [this] { return Through("p1user", {"c1tier1:reject"}); }},
        {"withdrawn", [this] { return Through("p1user", {"p1user:withdraw"}); }},
        {"deleted",
         [this] {
           std::string id = Draft();
           Response r = w_.As("p1user", "DELETE", Path(id));
           REQUIRE_MESSAGE(r.status == 204, r.body);
           return id;
         }},
    };
  }

  // A draft of `user` (p1user or p2user) with its cost and one CSV file attached.
  std::string Draft(const std::string& user = "p1user", int64_t pence = 1'000) {
    core::Date period = Day(14).AddDays(next_day_);
    w_.now = kNow + next_day_ * kDayMicros + kDayMicros / 2;  // the day after: the claim window is open
    ++next_day_;
    Response r = w_.As(user, "POST", "/api/v1/claims",
                       R"({"service_id":"SPEND","period":")" + period.ToString() + R"(","values":{"cost":)" +
                           std::to_string(pence) + "}}");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    std::string id = Str(Json(r), "claim_id");
    r = w_.As(user, "PUT", Path(id) + "/evidence?filename=counts.csv", kCsv, {}, "text/csv");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return id;
  }

  // A draft of `preparer` submitted, then each "person:action" step in turn.
  std::string Through(const std::string& preparer, const std::vector<std::string>& steps, int64_t pence = 1'000) {
    std::string id = Draft(preparer, pence);
    Step(preparer, id, "submit");
    if (preparer == "p2user" && !steps.empty()) Step("p2approver", id, "approve");
    for (const std::string& step : steps) Step(step.substr(0, step.find(':')), id, step.substr(step.find(':') + 1));
    return id;
  }

  static std::string Path(const std::string& id) { return "/api/v1/claims/" + id; }

  // The body a decision route needs.
  static std::string BodyFor(const std::string& action) {
    if (action == "reject") return R"({"reason_code":"other","reason":"Not a service we commission"})";
    if (action == "return" || action == "hold" || action == "withdraw")
      return R"({"reason":"Please check the invoice"})";
    return "";
  }

  static constexpr const char* kCsv = "month,count\n2026-11,3\n";
  static constexpr core::Timestamp kDayMicros = 86'400'000'000;

 private:
  void Step(const std::string& user, const std::string& id, const std::string& action) {
    Response r = w_.As(user, "POST", Path(id) + "/" + action, BodyFor(action));
    REQUIRE_MESSAGE(r.status == 200, user << " " << action << ": " << r.body);
  }

  ApiWorld& w_;
  int next_day_ = 0;
};

// Every person of ApiWorld's cast.
inline const std::vector<std::string> kCast = {"op",        "c1admin",    "c1tier1", "c1tier2",   "c1tier2b",
                                               "c1finance", "c1auditor",  "c2tier1", "c2auditor", "p1user",
                                               "p2user",    "p2approver", "p3user"};

}  // namespace ledger::http::testing
