// Payment runs, the provider statement and the reports through HandleRequest.
#include <doctest/doctest.h>

#include "admin_world.h"

namespace ledger::http::testing {
namespace {

TEST_CASE("a second payment run made while the first is unconfirmed takes only the claims approved since") {
  ApiWorld w;
  std::string first = ApprovedClaim(w, 2, 1'000);
  Response run1 = w.As("c1tier2", "POST", "/api/v1/payment-runs", R"({"pay_date":"2026-11-30","run_id":"R1"})");
  REQUIRE_MESSAGE(run1.status == 201, run1.body);
  std::string second = ApprovedClaim(w, 3, 2'000);
  uint64_t head = w.Head();
  Response run2 = w.As("c1finance", "POST", "/api/v1/payment-runs", R"({"pay_date":"2026-12-07","run_id":"R2"})");
  REQUIRE_MESSAGE(run2.status == 201, run2.body);
  CHECK(Column(run2, "claims", "claim_id") == std::vector<std::string>{second});
  CHECK(Json(run2).at("total_pence").as_int64() == 2'000);
  CHECK(Column(w.As("c1tier2", "GET", "/api/v1/payment-runs/R1"), "claims", "claim_id") ==
        std::vector<std::string>{first});
  CHECK(w.Head() == head + 2);  // the run and the one claim added to it
  // Nothing new to pay: 400, nothing stored.
  head = w.Head();
  Response none = w.As("c1tier2", "POST", "/api/v1/payment-runs", R"({"pay_date":"2026-12-14","run_id":"R3"})");
  CHECK(none.status == 400);
  CHECK(ErrorCodesOf(none) == std::vector<std::string>{"claim_ids:no_claims"});
  CHECK(w.Head() == head);
  // Each run is confirmed on its own.
  CHECK(w.As("c1finance", "POST", "/api/v1/payment-runs/R2/confirm").status == 200);
  CHECK(w.As("c1finance", "POST", "/api/v1/payment-runs/R1/confirm").status == 200);
}

TEST_CASE("a payment run takes every approved unheld claim, is confirmed and paid with a stable reference") {
  ApiWorld w;
  std::string paid = ApprovedClaim(w, 2, 12'345);
  std::string held = ApprovedClaim(w, 3, 50'000);
  REQUIRE(w.As("c1tier2", "POST", "/api/v1/claims/" + held + "/hold", R"({"reason":"Query on evidence"})").status ==
          200);
  std::string waiting = w.Draft("p1user", 4, 700);  // a draft is not payable

  CHECK(w.As("c1tier1", "POST", "/api/v1/payment-runs", R"({"pay_date":"2026-11-30"})").status == 403);
  CHECK(w.As("c1tier2", "POST", "/api/v1/payment-runs", R"({"pay_date":"30/11/2026"})").status == 400);
  Response created = w.As("c1tier2", "POST", "/api/v1/payment-runs", R"({"pay_date":"2026-11-30","run_id":"NOV"})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  boost::json::value run = Json(created);
  CHECK(Str(run, "status") == "created");
  REQUIRE(run.at("claims").as_array().size() == 1);
  CHECK(Str(run.at("claims").as_array()[0], "claim_id") == paid);
  CHECK(run.at("total_pence").as_int64() == 12'345);
  CHECK(w.StatusOf("p1user", paid) == "Approved for Payment");
  CHECK(w.StatusOf("p1user", held) == "Payment Held");

  // The run records the log head its selection was computed from.
  Response runs = w.As("c1finance", "GET", "/api/v1/payment-runs");
  REQUIRE_MESSAGE(runs.status == 200, runs.body);
  REQUIRE(Json(runs).at("payment_runs").as_array().size() == 1);
  CHECK(Json(runs).at("payment_runs").as_array()[0].at("head_position").as_int64() > 0);

  Response confirmed = w.As("c1finance", "POST", "/api/v1/payment-runs/NOV/confirm");
  REQUIRE_MESSAGE(confirmed.status == 200, confirmed.body);
  CHECK(Str(Json(confirmed), "status") == "confirmed");
  CHECK(w.StatusOf("p1user", paid) == "Sent for Payment");
  // Before its pay date the run cannot be marked paid: 409, nothing stored.
  uint64_t early = w.Head();
  Response too_soon = w.As("c1tier2", "POST", "/api/v1/payment-runs/NOV/paid");
  CHECK(too_soon.status == 409);
  CHECK(too_soon.body.find("before_pay_date") != std::string::npos);
  CHECK(w.Head() == early);
  w.now = core::Date::FromYmd(2026, 11, 30).days * 86'400'000'000LL + 9 * 3'600'000'000LL;  // the pay date, 9am
  Response marked = w.As("c1tier2", "POST", "/api/v1/payment-runs/NOV/paid");
  REQUIRE_MESSAGE(marked.status == 200, marked.body);
  std::string reference = Str(Json(marked), "payment_reference");
  CHECK(reference.rfind("PAY-", 0) == 0);
  CHECK(reference.size() == 20);
  CHECK(w.StatusOf("p1user", paid) == "Paid");
  // Marking it paid again is a no-op with the same generated reference.
  uint64_t before = w.Head();
  CHECK(w.As("c1tier2", "POST", "/api/v1/payment-runs/NOV/paid").status == 200);
  CHECK(w.Head() == before);

  CHECK(w.As("c2auditor", "GET", "/api/v1/payment-runs/NOV").status == 404);
  CHECK(w.As("c1auditor", "GET", "/api/v1/payment-runs/NOV").status == 200);
  CHECK(w.As("c1tier2", "GET", "/api/v1/payment-runs/NOPE").status == 404);
  (void)waiting;
}

TEST_CASE("a payment run whose pay date has passed is refused and stores nothing") {
  ApiWorld w;
  ApprovedClaim(w, 2, 1'000);
  uint64_t before = w.Head();
  Response r = w.As("c1tier2", "POST", "/api/v1/payment-runs", R"({"pay_date":"2026-11-14","run_id":"OLD"})");
  CHECK(r.status == 400);
  CHECK(ErrorCodesOf(r) == std::vector<std::string>{"pay_date:pay_date_in_past"});
  CHECK(w.Head() == before);
  CHECK(w.As("c1tier2", "POST", "/api/v1/payment-runs", R"({"pay_date":"2026-11-15","run_id":"TODAY"})").status == 201);
}

TEST_CASE("a payment run with nothing to pay is refused and stores nothing") {
  ApiWorld w;
  uint64_t before = w.Head();
  Response r = w.As("c1tier2", "POST", "/api/v1/payment-runs", R"({"pay_date":"2026-11-30"})");
  CHECK(r.status >= 400);
  CHECK(r.status < 500);
  CHECK(w.Head() == before);
}

TEST_CASE("a provider reads its own statement; its commissioner's finance names the provider; others get 404") {
  ApiWorld w;
  std::string id = ApprovedClaim(w, 2, 9'999);
  Response mine = w.As("p1user", "GET", "/api/v1/statement");
  REQUIRE_MESSAGE(mine.status == 200, mine.body);
  boost::json::value table = Json(mine);
  CHECK(Str(table, "scope") == "P1");
  REQUIRE(table.at("rows").as_array().size() == 1);
  CHECK(table.at("rows").as_array()[0].as_array()[0].as_string() == id);
  Response csv = w.As("p1user", "GET", "/api/v1/statement?format=csv");
  REQUIRE(csv.status == 200);
  CHECK(csv.Header("Content-Type").starts_with("text/csv"));
  CHECK(csv.body.rfind("claim_id,", 0) == 0);
  CHECK(w.As("c1finance", "GET", "/api/v1/statement?provider=P1").status == 200);
  CHECK(w.As("c1finance", "GET", "/api/v1/statement").status == 400);
  CHECK(w.As("c2auditor", "GET", "/api/v1/statement?provider=P1").status == 404);
  CHECK(w.As("c1tier1", "GET", "/api/v1/statement?provider=P1").status == 403);
}

TEST_CASE("the reports list shows what each person may run") {
  ApiWorld w;
  auto names = [&](const std::string& user) {
    Response r = w.As(user, "GET", "/api/v1/reports");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return Column(r, "reports", "name");
  };
  auto tier1 = names("c1tier1");
  CHECK(Contains(tier1, "claims"));
  CHECK(!Contains(tier1, "liability"));
  auto finance = names("c1finance");
  CHECK(Contains(finance, "liability"));
  CHECK(Contains(finance, "payment_runs"));
  auto practice = names("p1user");
  CHECK(Contains(practice, "statement"));
  CHECK(Contains(practice, "claims"));
  CHECK(!Contains(practice, "payment_runs"));
  CHECK(!Contains(practice, "liability"));
  CHECK(names("op").empty());
}

TEST_CASE("a report is scoped to the caller's organisation, as of a position, as JSON or CSV") {
  ApiWorld w;
  std::string p1_claim = w.Draft("p1user", 2, 100);
  uint64_t after_first = w.Head();
  std::string p2_claim = w.Draft("p2user", 3, 200);

  Response c1 = w.As("c1tier1", "GET", "/api/v1/reports/claims");
  REQUIRE_MESSAGE(c1.status == 200, c1.body);
  CHECK(Json(c1).at("rows").as_array().size() == 2);
  Response p1 = w.As("p1user", "GET", "/api/v1/reports/claims");
  REQUIRE_MESSAGE(p1.status == 200, p1.body);
  REQUIRE(Json(p1).at("rows").as_array().size() == 1);
  CHECK(Json(p1).at("rows").as_array()[0].as_array()[0].as_string() == p1_claim);
  // A provider cannot widen its scope with a filter.
  Response widened = w.As("p1user", "GET", "/api/v1/reports/claims?provider=P2");
  REQUIRE(widened.status == 200);
  CHECK(Json(widened).at("rows").as_array().size() == 1);
  Response c2 = w.As("c2tier1", "GET", "/api/v1/reports/claims");
  REQUIRE(c2.status == 200);
  CHECK(Json(c2).at("rows").as_array().empty());

  Response then = w.As("c1tier1", "GET", "/api/v1/reports/claims?as_of=" + std::to_string(after_first));
  REQUIRE_MESSAGE(then.status == 200, then.body);
  CHECK(Json(then).at("rows").as_array().size() == 1);
  // A report names the log it was computed from: the event hash at its position and the tree's root there.
  const boost::json::value then_body = Json(then);
  const auto& as_of = then_body.at("as_of");
  const uint64_t at = as_of.at("position").to_number<uint64_t>();
  CHECK(at == after_first);
  CHECK(as_of.at("hash").as_string() == es::HashToHex(w.store->ReadAll(at, 1).value().front().hash));
  CHECK(as_of.at("tree_root").as_string() == es::HashToHex(w.store->TreeRoot(at).value()));
  Response then_csv = w.As("c1tier1", "GET", "/api/v1/reports/claims?format=csv&as_of=" + std::to_string(after_first));
  REQUIRE(then_csv.status == 200);
  CHECK(then_csv.Header("Ledger-As-Of-Position") == std::to_string(at));
  CHECK(then_csv.Header("Ledger-As-Of-Hash") == as_of.at("hash").as_string());
  CHECK(then_csv.Header("Ledger-As-Of-Tree-Root") == as_of.at("tree_root").as_string());
  Response by_date = w.As("c1tier1", "GET", "/api/v1/reports/claims?as_of=2026-11-14");
  REQUIRE_MESSAGE(by_date.status == 200, by_date.body);
  CHECK(Json(by_date).at("rows").as_array().empty());  // "now" in the world is 15 November

  Response csv = w.As("c1tier1", "GET", "/api/v1/reports/claims?format=csv&provider=P2");
  REQUIRE(csv.status == 200);
  CHECK(csv.Header("Content-Type").starts_with("text/csv"));
  CHECK(csv.body.find(p2_claim) != std::string::npos);
  CHECK(csv.body.find(p1_claim) == std::string::npos);

  CHECK(w.As("c1tier1", "GET", "/api/v1/reports/claims?format=xml").status == 400);
  CHECK(w.As("c1tier1", "GET", "/api/v1/reports/claims?as_of=yesterday").status == 400);
  CHECK(w.As("c1tier1", "GET", "/api/v1/reports/claims?colour=red").status == 400);
  CHECK(w.As("c1tier1", "GET", "/api/v1/reports/nope").status == 404);
  CHECK(w.As("c1tier1", "GET", "/api/v1/reports/liability").status == 404);  // a finance report
  CHECK(w.As("c1finance", "GET", "/api/v1/reports/liability").status == 200);
  CHECK(w.As("p1user", "GET", "/api/v1/reports/payment_runs").status == 404);
  CHECK(w.As("op", "GET", "/api/v1/reports/claims").status == 403);
}

TEST_CASE("every report runs for a commissioner's finance person and an auditor without error") {
  ApiWorld w;
  ApprovedClaim(w, 2, 5'000);
  for (const char* user : {"c1finance", "c1auditor"}) {
    Response list = w.As(user, "GET", "/api/v1/reports");
    REQUIRE(list.status == 200);
    boost::json::value listed = Json(list);
    for (const auto& report : listed.at("reports").as_array()) {
      std::string name = Str(report, "name");
      std::string target = "/api/v1/reports/" + name;
      if (name == "statement") target += "?provider=P1";
      if (name == "payment_run_claims") {
        CHECK(w.As(user, "GET", target).status == 400);  // names its run
        target += "?run=NONE";
      }
      Response r = w.As(user, "GET", target);
      CHECK_MESSAGE(r.status == 200, user << " " << name << ": " << r.body);
    }
  }
}

}  // namespace
}  // namespace ledger::http::testing
