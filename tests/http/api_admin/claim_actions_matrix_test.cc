// The claim rules through the API: every claim status x every person x every
// claim action. GET /api/v1/claims/{id} lists the caller's `actions`; each
// listed action succeeds and stores events, each unlisted one stores nothing
// and is refused (4xx), or, for a repeat of a decision already taken (a
// second withdrawal), answers 2xx having changed nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../api/claim_states.h"
#include "admin_world.h"

namespace ledger::http::testing {
namespace {

struct Attempt {
  std::string method;
  std::string suffix;  // after /api/v1/claims/{id}
  std::string body;
  std::string content_type = "application/json";
};

// The request that takes `action` on a claim whose evidence file is `sha`.
Attempt RequestFor(const std::string& action, const std::string& sha) {
  if (action == "edit") return {"PUT", "", R"({"values":{"cost":1234}})"};
  if (action == "attach_evidence") return {"PUT", "/evidence?filename=list.csv", "nhs_number\n1\n", "text/csv"};
  if (action == "remove_evidence") return {"DELETE", "/evidence/" + sha, ""};
  if (action == "delete_draft") return {"DELETE", "", ""};
  if (action == "hold_payment") return {"POST", "/hold", ClaimStates::BodyFor("hold")};
  if (action == "release_payment") return {"POST", "/release", ""};
  return {"POST", "/" + action, ClaimStates::BodyFor(action)};
}

const std::vector<std::string> kActions = {"edit",   "attach_evidence", "remove_evidence", "delete_draft",
                                           "submit", "withdraw",        "approve",         "return",
                                           "reject", "hold_payment",    "release_payment"};

std::vector<std::string> ActionsOf(const Response& r) {
  std::vector<std::string> out;
  const boost::json::value body = Json(r);
  for (const auto& a : body.at("actions").as_array()) out.emplace_back(a.as_string());
  return out;
}

std::string EvidenceSha(ApiWorld& w, const std::string& id) {
  Response r = w.As("p1user", "GET", ClaimStates::Path(id));
  if (r.status != 200) r = w.As("p2user", "GET", ClaimStates::Path(id));
  REQUIRE(r.status == 200);
  return Str(Json(r).at("evidence").as_array().at(0), "sha256");
}

TEST_CASE(
    "claim actions: the API accepts exactly the actions GET /api/v1/claims/{id} lists, for every status, "
    "person and action") {
  ApiWorld w;
  ClaimStates states(w);
  std::vector<std::string> mismatches;
  int listed_total = 0, refused_total = 0;
  for (const ClaimStates::State& state : states.All()) {
    std::string id = state.make();
    const std::string sha = EvidenceSha(w, id);
    for (const std::string& person : kCast) {
      Response got = w.As(person, "GET", ClaimStates::Path(id));
      REQUIRE_MESSAGE((got.status == 200 || got.status == 404 || got.status == 403), got.body);
      const std::vector<std::string> listed = got.status == 200 ? ActionsOf(got) : std::vector<std::string>{};
      for (const std::string& name : listed) {
        CHECK_MESSAGE(std::find(kActions.begin(), kActions.end(), name) != kActions.end(), name);
      }
      for (const std::string& action : kActions) {
        const bool offered = std::find(listed.begin(), listed.end(), action) != listed.end();
        const Attempt a = RequestFor(action, sha);
        const uint64_t before = w.Head();
        Response r = w.As(person, a.method, ClaimStates::Path(id) + a.suffix, a.body, {}, a.content_type);
        const bool stored = w.Head() != before;
        const bool success = r.status >= 200 && r.status < 300;
        const std::string cell = state.name + " / " + person + " / " + action + ": ";
        if (offered) {
          ++listed_total;
          if (!success || !stored)
            mismatches.push_back(cell + "listed, but " + std::to_string(r.status) + " " + r.body.substr(0, 160));
          id = state.make();  // the action changed the claim: the next one meets a fresh claim in this status
        } else {
          ++refused_total;
          if (stored) mismatches.push_back(cell + "not listed, but stored events (" + std::to_string(r.status) + ")");
          if (success && !stored) continue;  // a repeat of a decision already taken changes nothing
          if (r.status < 400) mismatches.push_back(cell + "not listed, but answered " + std::to_string(r.status));
        }
      }
    }
  }
  std::string lines;
  for (const std::string& m : mismatches) lines += m + "\n";
  CHECK_MESSAGE(mismatches.empty(), lines);
  // Every person could do something somewhere, and most cells are refusals.
  CHECK(listed_total >= 25);
  CHECK(refused_total > 10 * listed_total);
}

TEST_CASE("GET /api/v1/claims/{id} lists withdraw for the practice while the claim awaits Tier 2") {
  ApiWorld w;
  ClaimStates states(w);
  std::string id = states.Through("p1user", {"c1tier1:approve"});
  Response r = w.As("p1user", "GET", ClaimStates::Path(id));
  REQUIRE(r.status == 200);
  CHECK(ActionsOf(r) == std::vector<std::string>{"withdraw"});
  CHECK(ActionsOf(w.As("c1tier2", "GET", ClaimStates::Path(id))) ==
        std::vector<std::string>{"approve", "return", "reject"});
  CHECK(ActionsOf(w.As("c1auditor", "GET", ClaimStates::Path(id))).empty());
}

}  // namespace
}  // namespace ledger::http::testing
