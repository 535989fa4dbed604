// The write path reads each stream once: a route reads the claim (or the
// organisation) to authorize the caller, the command reads the other streams
// it needs, and the answer is built from the state the command left.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "api_world.h"

namespace ledger::http::testing {
namespace {

// The stream reads of one request as `user`, after its token is in hand.
std::map<std::string, int> ReadsOf(ApiWorld& w, const std::string& user, const std::string& method,
                                   const std::string& target, const std::string& body, Response* answer) {
  (void)w.Token(user);
  (void)w.As(user, "GET", "/api/v1/worklist");  // the person's account is known to the sign-in directory
  w.reads().ResetReads();
  *answer = w.As(user, method, target, body);
  return w.reads().Reads();
}

void CheckEachReadOnce(const std::map<std::string, int>& reads) {
  CHECK_FALSE(reads.empty());
  for (const auto& [stream, count] : reads) CHECK_MESSAGE(count == 1, stream << " read " << count << " times");
}

// The answer's body equals a fresh GET of the claim, ETag included.
void CheckAnswerIsTheClaimNow(ApiWorld& w, const std::string& user, const std::string& id, const Response& answer) {
  Response fresh = w.As(user, "GET", "/api/v1/claims/" + id);
  REQUIRE(fresh.status == 200);
  CHECK(Json(answer) == Json(fresh));
  CHECK(answer.Header("etag") == fresh.Header("etag"));
}

TEST_CASE("submitting a claim reads each stream at most once and answers with the claim as a GET then shows it") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 3, 12'345);
  Response answer;
  auto reads = ReadsOf(w, "p1user", "POST", "/api/v1/claims/" + id + "/submit", "", &answer);
  REQUIRE_MESSAGE(answer.status == 200, answer.body);
  CheckEachReadOnce(reads);
  CHECK(reads.count(core::ClaimStream(id)) == 0);  // the bus folded it when the draft was made
  CHECK(reads.count(core::AccountStream("p1user")) == 1);
  CHECK(Str(Json(answer), "status") != "Draft");
  CheckAnswerIsTheClaimNow(w, "p1user", id, answer);
}

TEST_CASE("each decision on a claim reads each stream once and answers with the claim as it now is") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 4, 2'000);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  struct Step {
    std::string user, action, body;
  };
  std::vector<Step> steps;
  SUBCASE("approved at both tiers") { steps = {{"c1tier1", "approve", ""}, {"c1tier2", "approve", ""}}; }
  SUBCASE("returned, edited and withdrawn") {
    steps = {{"c1tier1", "return", R"({"reason":"Add the invoices."})"},
             {"p1user", "", R"({"values":{"cost":2500}})"},
             {"p1user", "withdraw", ""}};
  }
  SUBCASE("rejected") { steps = {{"c1tier1", "reject", R"({"reason_code":"other","reason":"Outside the scheme."})"}}; }
  for (const Step& step : steps) {
    CAPTURE(step.action);
    Response answer;
    std::string target = "/api/v1/claims/" + id + (step.action.empty() ? "" : "/" + step.action);
    auto reads = ReadsOf(w, step.user, step.action.empty() ? "PUT" : "POST", target, step.body, &answer);
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
    CheckEachReadOnce(reads);
    CheckAnswerIsTheClaimNow(w, step.user, id, answer);
  }
}

TEST_CASE("creating a claim answers with the claim as a GET then shows it") {
  ApiWorld w;
  Response created = w.As("p1user", "POST", "/api/v1/claims",
                          R"({"service_id":"SPEND","period":")" + Day(5).ToString() + R"(","values":{"cost":700}})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  CheckAnswerIsTheClaimNow(w, "p1user", Str(Json(created), "claim_id"), created);
}

TEST_CASE("changing an organisation reads each stream once and answers with it as a GET then shows it") {
  ApiWorld w;
  Response answer;
  auto reads = ReadsOf(w, "c1admin", "PUT", "/api/v1/organisations/C1/finance",
                       R"({"finance_threshold_pence":2000000,"uses_finance_role":true})", &answer);
  REQUIRE_MESSAGE(answer.status == 200, answer.body);
  CheckEachReadOnce(reads);
  CHECK(reads.count(core::OrgStream("C1")) == 1);
  Response fresh = w.As("c1admin", "GET", "/api/v1/organisations/C1");
  REQUIRE(fresh.status == 200);
  CHECK(Json(answer) == Json(fresh));
  CHECK(answer.Header("etag") == fresh.Header("etag"));
  CHECK(Json(answer).at("finance_threshold_pence").as_int64() == 2000000);
}

}  // namespace
}  // namespace ledger::http::testing
