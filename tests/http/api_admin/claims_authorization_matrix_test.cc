// The authorization matrix of the claim, worklist, event, verify, session and
// operations routes (letters as in authorization_matrix.h), and the check that
// every route of the route table has a row in one of the two matrices.
//
// Claims are P1's (single-level) or, for the provider approval routes, P2's
// (multi-level), both of C1. Each row that changes a claim gets a claim in the
// state it is about (awaiting Tier 1 for the Tier 1 approval, held for the
// release, ...), made afresh after every person the route let through, so a
// 403 or 404 is never explained by a state some earlier person left behind.
#include <doctest/doctest.h>

#include <set>

#include "authorization_matrix.h"

namespace ledger::http::testing {
namespace {

// kPeople plus a Tier 2 approver and a Finance approver of C2, who hold the
// payment actions in another commissioner.
std::vector<std::string> ClaimPeople() {
  std::vector<std::string> people = kPeople;
  people.push_back("c2tier2");
  people.push_back("c2finance");
  return people;
}

constexpr core::Timestamp kDayMicros = 86'400'000'000;

// Makes SPEND claims in a given state. Each claim is for a new day (a one-off
// claim's period), and the world's clock moves to the day after it so the
// claim window is open when it is submitted.
class ClaimMaker {
 public:
  explicit ClaimMaker(ApiWorld& w) : w_(w) {}

  std::string Draft(const std::string& user = "p1user", int64_t pence = 1'000) {
    core::Date period = Day(14).AddDays(next_day_);
    w_.now = kNow + next_day_ * kDayMicros + kDayMicros / 2;
    ++next_day_;
    Response r = w_.As(user, "POST", "/api/v1/claims",
                       R"({"service_id":"SPEND","period":")" + period.ToString() + R"(","values":{"cost":)" +
                           std::to_string(pence) + "}}");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    return Str(Json(r), "claim_id");
  }
  // A draft with one CSV file attached; returns the evidence's path.
  std::string EvidenceOfDraft() {
    std::string id = Draft();
    Response r = w_.As("p1user", "PUT", Path(id) + "/evidence?filename=counts.csv", kCsv, {}, "text/csv");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return Path(id) + "/evidence/" + Str(Json(r).at("evidence").as_array().at(0), "sha256");
  }
  // A claim of P1 submitted and approved by each of `approvers` in turn.
  std::string Through(const std::vector<std::string>& approvers, int64_t pence = 1'000) {
    std::string id = Draft("p1user", pence);
    Step("p1user", id, "submit");
    for (const std::string& approver : approvers) Step(approver, id, "approve");
    return id;
  }
  std::string Held() {
    std::string id = Through({"c1tier1", "c1tier2"});
    Step("c1tier2", id, "hold", R"({"reason":"Query the invoice"})");
    return id;
  }
  // A claim of P2 (multi-level) waiting for its practice's approver.
  std::string AwaitingPractice() {
    std::string id = Draft("p2user");
    Step("p2user", id, "submit");
    return id;
  }

  static std::string Path(const std::string& id) { return "/api/v1/claims/" + id; }

 private:
  static constexpr const char* kCsv = "month,count\n2026-11,3\n";

  void Step(const std::string& user, const std::string& id, const std::string& action, const std::string& body = "") {
    Response r = w_.As(user, "POST", Path(id) + "/" + action, body);
    REQUIRE_MESSAGE(r.status == 200, user << " " << action << ": " << r.body);
  }

  ApiWorld& w_;
  int next_day_ = 0;
};

std::vector<Row> ClaimMatrix(ClaimMaker& make) {
  const std::string claim = "/api/v1/claims/{id}";
  auto at = [](std::function<std::string()> id, std::string suffix = "") {
    return [id = std::move(id), suffix = std::move(suffix)] { return ClaimMaker::Path(id()) + suffix; };
  };
  auto draft = [&make] { return make.Draft(); };
  auto tier1 = [&make] { return make.Through({}); };
  auto tier2 = [&make] { return make.Through({"c1tier1"}); };
  auto finance = [&make] { return make.Through({"c1tier1", "c1tier2"}, 1'500'000); };
  auto approved = [&make] { return make.Through({"c1tier1", "c1tier2"}); };
  auto held = [&make] { return make.Held(); };
  auto practice = [&make] { return make.AwaitingPractice(); };
  auto evidence = [&make] { return make.EvidenceOfDraft(); };
  const std::string reject = R"({"reason_code":"other","reason":"Not a service we commission"})";
  const std::string reason = R"({"reason":"Please attach the invoice"})";
  // Shorthand: a row about a claim made by `fresh`.
  auto on = [](std::string method, std::string pattern, std::function<std::string()> fresh, std::string body,
               std::string expected, std::string content_type = "application/json") {
    return Row{std::move(method),       std::move(pattern), "", std::move(body), std::move(expected),
               std::move(content_type), std::move(fresh)};
  };
  return {
      //  method  pattern  target  body  expected (op c1admin c1tier1 c1tier2 c1finance c1auditor p1user p2user
      //                                            p2approver c2admin c2tier1 c2auditor p3admin p3user c2tier2
      //                                            c2finance)
      // P3 is not offered SPEND; the service of another commissioner is as unknown to it.
      {"POST", "/api/v1/claims", "/api/v1/claims", R"({"service_id":"SPEND","period":"2026-11-01"})",
       "DDDDDDAAADDDDHDD"},
      {"GET", "/api/v1/claims", "/api/v1/claims?provider=P1", "", "DAAAAAAAAAAAAAAA"},
      on("GET", claim, at(tier1), "", "DAAAAAAHHHHHHHHH"),
      on("GET", claim + "/history", at(tier1, "/history"), "", "DAAAAAAHHHHHHHHH"),
      on("GET", claim + "/proof", at(tier1, "/proof"), "", "DAAAAAAHHHHHHHHH"),
      on("GET", claim + "/evidence/{sha256}", evidence, "", "DAAAAAAHHHHHHHHH"),
      on("PUT", claim, at(draft), R"({"values":{"cost":2000}})", "DDDDDDAHHDDDDHDD"),
      on("PUT", claim + "/evidence", at(draft, "/evidence?filename=list.csv"), "nhs_number,date\n1,2026-11-01\n",
         "DDDDDDAHHDDDDHDD", "text/csv"),
      on("DELETE", claim + "/evidence/{sha256}", evidence, "", "DDDDDDAHHDDDDHDD"),
      on("DELETE", claim, at(draft), "", "DDDDDDAHHDDDDHDD"),
      on("POST", claim + "/submit", at(draft, "/submit"), "", "DDDDDDAHHDDDDHDD"),
      // Approve means the tier the claim waits for: only that tier's people (and never its preparer).
      on("POST", claim + "/approve", at(tier1, "/approve"), "", "DDADDDDHHHHHHHHH"),
      // A tier the claim has passed answers 409 (or, for the person who approved there, an idempotent 200).
      on("POST", claim + "/approve", at(tier2, "/approve"), "", "DDAADDDHHHHHHHHH"),
      on("POST", claim + "/approve", at(finance, "/approve"), "", "DDAAADDHHHHHHHHH"),
      on("POST", claim + "/approve", at(practice, "/approve"), "", "DDDDDDHDAHHHHHHH"),
      on("POST", claim + "/reject", at(tier1, "/reject"), reject, "DDADDDDDDDHDDDHH"),
      on("POST", claim + "/return", at(tier1, "/return"), reason, "DDADDDDHHHHHHHHH"),
      on("POST", claim + "/return", at(practice, "/return"), reason, "DDDDDDHDAHHHHHHH"),
      on("POST", claim + "/withdraw", at(tier1, "/withdraw"), "", "DDDDDDAHHDDDHHDD"),
      on("POST", claim + "/hold", at(approved, "/hold"), reason, "DDDAADDDDDDDDDHH"),
      on("POST", claim + "/release", at(held, "/release"), "", "DDDAADDDDDDDDDHH"),
      on("POST", claim + "/provider-approve", at(practice, "/provider-approve"), "", "DDDDDDHDADDDHDDD"),
      on("POST", claim + "/provider-return", at(practice, "/provider-return"), reason, "DDDDDDHDADDDHDDD"),
      {"GET", "/api/v1/worklist", "/api/v1/worklist", "", "AAAAAAAAAAAAAAAA"},
      {"GET", "/api/v1/events", "/api/v1/events?from=1&limit=10", "", "ADDDDADDDDDADDDD"},
      {"GET", "/api/v1/events/stream", "/api/v1/events/stream", "", "ADDDDADDDDDADDDD"},
      {"GET", "/api/v1/verify", "/api/v1/verify", "", "ADDDDADDDDDADDDD"},
      {"GET", "/api/v1/ledger/public-key", "/api/v1/ledger/public-key", "", "AAAAAAAAAAAAAAAA"},
      {"GET", "/api/v1/ledger/heads", "/api/v1/ledger/heads", "", "AAAAAAAAAAAAAAAA"},
      {"GET", "/api/v1/ledger/proofs/inclusion", "/api/v1/ledger/proofs/inclusion?position=1", "", "ADDDDADDDDDADDDD"},
      {"GET", "/api/v1/ledger/proofs/consistency", "/api/v1/ledger/proofs/consistency?from=1", "", "ADDDDADDDDDADDDD"},
      {"GET", "/api/v1/me", "/api/v1/me", "", "AAAAAAAAAAAAAAAA"},
      {"GET", "/healthz", "/healthz", "", "AAAAAAAAAAAAAAAA"},
      {"GET", "/metrics", "/metrics", "", "AAAAAAAAAAAAAAAA"},
      {"GET", "/problems/{name}", "/problems/validation", "", "AAAAAAAAAAAAAAAA"},
      {"POST", "/api/v1/session", "/api/v1/session",
       R"({"username":"c1admin","password":")" + std::string(kApiPassword) + R"("})", "AAAAAAAAAAAAAAAA"},
      // Last: it ends each person's session.
      {"DELETE", "/api/v1/session", "/api/v1/session", "", "AAAAAAAAAAAAAAAA"},
  };
}

// The world of the administration matrix plus C2's payment people.
void AddClaimPeople(ApiWorld& w) {
  AddPerson(w, "c2admin", "C2", R"(["commissioner_admin"])");
  AddPerson(w, "p3admin", "P3", R"(["provider_admin"])");
  AddPerson(w, "c2tier2", "C2", R"(["tier2"])");
  AddPerson(w, "c2finance", "C2", R"(["finance"])");
}

TEST_CASE(
    "authorization matrix: every person against every claim, event and session route, own and other "
    "organisations") {
  ApiWorld w;
  AddClaimPeople(w);
  ClaimMaker make(w);
  std::vector<std::string> mismatches = RunMatrix(w, ClaimPeople(), ClaimMatrix(make));
  CHECK_MESSAGE(mismatches.empty(), Lines(mismatches));
}

TEST_CASE("without a session every claim and event route answers 401") {
  ApiWorld w;
  ClaimMaker make(w);
  std::string id = make.Through({});
  for (const Row& row : ClaimMatrix(make)) {
    if (row.pattern == "/healthz" || row.pattern == "/metrics" || row.pattern == "/api/v1/ledger/public-key" ||
        row.pattern == "/problems/{name}" || row.method + " " + row.pattern == "POST /api/v1/session")
      continue;
    std::string target = row.fresh_target ? ClaimMaker::Path(id) + row.pattern.substr(row.pattern.find("{id}") + 4)
                                          : row.target;
    Response r = w.Handle(row.method, target, row.body, {}, row.content_type);
    INFO(row.method << " " << target);
    CHECK(r.status == 401);
  }
}

TEST_CASE("every route of the route table has a row in an authorization matrix") {
  ApiWorld w;
  ClaimMaker make(w);
  std::set<std::string> covered;
  for (const std::vector<Row>& matrix : {AdminMatrix(), ClaimMatrix(make)})
    for (const Row& row : matrix) covered.insert(row.method + " " + row.pattern);
  REQUIRE(w.context->routes().size() > 60);
  for (const Route& route : w.context->routes())
    CHECK_MESSAGE(covered.contains(route.method + " " + route.pattern), route.method << " " << route.pattern);
}

}  // namespace
}  // namespace ledger::http::testing
