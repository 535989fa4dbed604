// The authorization matrix of the accounts, organisations, services, offers,
// payments, reports, bulk and OpenAPI routes (see authorization_matrix.h for
// the letters; claims_authorization_matrix_test.cc has the claim, event and
// session routes and checks that every route has a row).
#include <doctest/doctest.h>

#include "authorization_matrix.h"

namespace ledger::http::testing {
namespace {

const char* kSpendDefinition = R"({"code":"SPEND","name":"Care home support costs","frequency":"one-off",
  "window_days":30,"start":"2026-04-29","end":"2027-06-03",
  "components":[{"id":"cost","name":"Costs incurred","unit_kind":"money","min":0,"max":100000000}]})";

}  // namespace

std::vector<Row> AdminMatrix() {
  const std::string acct = "/api/v1/accounts/{username}";
  const std::string p1pending = "/api/v1/accounts/p1pending";
  const std::string svc = "/api/v1/services/{id}";
  const std::string offer = "/api/v1/offers/{service}/{provider}";
  const std::string run = "/api/v1/payment-runs/{id}";
  std::string new_service = kSpendDefinition;
  new_service.insert(1, R"("service_id":"MX",)");
  return {
      //  method  pattern  target  body  expected (op c1admin c1tier1 c1tier2 c1finance c1auditor p1user p2user
      //                                            p2approver c2admin c2tier1 c2auditor p3admin p3user)
      {"GET", "/api/v1/accounts", "/api/v1/accounts?org=P1", "", "AADDDAADDHDHHD"},
      {"GET", acct, p1pending, "", "AADDDAADDHDHHD"},
      {"POST", acct + "/approve", p1pending + "/approve", R"({"roles":["provider_user"]})", "AADDDDADDHDDHD"},
      {"POST", acct + "/refuse", p1pending + "/refuse", R"({"reason":"Not known here"})", "AADDDDADDHDDHD"},
      {"POST", acct + "/disable", p1pending + "/disable", R"({"reason":"Left"})", "AADDDDADDHDDHD"},
      {"POST", acct + "/enable", p1pending + "/enable", "", "AADDDDADDHDDHD"},
      {"PUT", acct + "/roles", p1pending + "/roles", R"({"roles":["provider_user"]})", "AHDDDDADDHDDHD"},
      {"POST", "/api/v1/accounts", "/api/v1/accounts",
       R"({"username":"matrixreq","org_code":"P1","full_name":"M","email":"m@nhs.invalid","roles":["provider_user"],)"
       R"("password":"a long enough password"})",
       "AAAAAAAAAAAAAA"},
      {"GET", "/api/v1/organisations/{code}", "/api/v1/organisations/P1", "", "AAAAAAAHHHHHHH"},
      {"GET", "/api/v1/organisations", "/api/v1/organisations", "", "AAAAAAAAAAAAAA"},
      {"GET", "/api/v1/providers", "/api/v1/providers", "", "AAAAAAAAAAAAAA"},
      {"PUT", "/api/v1/providers/{code}", "/api/v1/providers/P1", R"({"approval_mode":"single"})", "AADDDDDDDHDDDD"},
      {"POST", "/api/v1/providers/{code}/list-sizes", "/api/v1/providers/P1/list-sizes",
       R"({"effective_from":"2026-10-01","patients":8100})", "AADDDDDDDHDDDD"},
      {"PUT", "/api/v1/organisations/{code}/finance", "/api/v1/organisations/C1/finance",
       R"({"finance_threshold_pence":1500000,"uses_finance_role":true})", "AADDDDDDDHDDDD"},
      {"POST", "/api/v1/organisations", "/api/v1/organisations", R"({"code":"CX","name":"Commissioner X"})",
       "ADDDDDDDDDDDDD"},
      // The decider refuses C2's administrator a provider of C1 (403: it names C1 itself).
      {"POST", "/api/v1/providers", "/api/v1/providers", R"({"code":"PX","name":"X","commissioner_code":"C1"})",
       "AADDDDDDDDDDDD"},
      {"GET", "/api/v1/services", "/api/v1/services", "", "AAAAAAAAAAAAAA"},
      {"GET", svc, "/api/v1/services/SPEND", "", "AAAAAAAAAHHHHH"},
      {"PUT", svc, "/api/v1/services/SPEND", kSpendDefinition, "DADDDDDDDHDDDD"},
      {"POST", svc + "/publish", "/api/v1/services/SPEND/publish", "", "DADDDDDDDHDDDD"},
      {"POST", svc + "/tariffs", "/api/v1/services/SPEND/tariffs",
       R"({"effective_from":"2026-12-01","payment_type":"item_of_service","unit_rates":{"cost":1}})", "DADDDDDDDHDDDD"},
      {"POST", "/api/v1/services", "/api/v1/services", new_service, "DADDDDDDDADDDD"},
      {"POST", svc + "/offers", "/api/v1/services/SPEND/offers",
       R"({"providers":["P1"],"start":"2026-04-29","end":"2027-06-03","respond_by":"2026-12-31"})", "DADDDDDDDHDDDD"},
      {"GET", "/api/v1/offers", "/api/v1/offers", "", "AAAAAAAAAAAAAA"},
      {"GET", offer, "/api/v1/offers/SPEND/P1", "", "AAAAAAAHHHHHHH"},
      {"POST", offer + "/accept", "/api/v1/offers/SPEND/P1/accept", "", "DDDDDDADDDDDHD"},
      {"POST", offer + "/decline", "/api/v1/offers/SPEND/P1/decline", R"({"reason":"No"})", "DDDDDDADDDDDHD"},
      {"POST", offer + "/withdraw", "/api/v1/offers/SPEND/P1/withdraw", "", "DADDDDDDDHDDDD"},
      {"POST", "/api/v1/payment-runs", "/api/v1/payment-runs", R"({"pay_date":"2026-11-30"})", "DDDAADDDDDDDDD"},
      {"GET", "/api/v1/payment-runs", "/api/v1/payment-runs", "", "DDDAAADDDDDADD"},
      {"GET", run, "/api/v1/payment-runs/RUN1", "", "DDDAAADDDDDHDD"},
      {"POST", run + "/confirm", "/api/v1/payment-runs/RUN1/confirm", "", "DDDAADDDDDDDDD"},
      {"POST", run + "/paid", "/api/v1/payment-runs/RUN1/paid", "", "DDDAADDDDDDDDD"},
      {"GET", "/api/v1/statement", "/api/v1/statement?provider=P1", "", "DDDAAAAAADDHAA"},
      {"GET", "/api/v1/reports", "/api/v1/reports", "", "AAAAAAAAAAAAAA"},
      {"GET", "/api/v1/reports/{name}", "/api/v1/reports/claims", "", "DAAAAAAAAAAAAA"},
      {"GET", "/api/v1/reports/{name}", "/api/v1/reports/liability", "", "DHHAAAHHHHHAHH"},
      {"GET", "/api/v1/reports/{name}", "/api/v1/reports/statement?provider=P1", "", "DHHAAAAAAHHHAA"},
      {"POST", "/api/v1/claims/bulk", "/api/v1/claims/bulk", "provider,service,period,cost\nP1,SPEND,2026-11-09,1.00\n",
       "DDDDDDAAADDDDA", "text/csv"},
      {"GET", "/api/v1/openapi.json", "/api/v1/openapi.json", "", "AAAAAAAAAAAAAA"},
      // Last: sharing SPEND with C2 changes what C2 sees.
      {"POST", svc + "/shares", "/api/v1/services/SPEND/shares", R"({"with_commissioner":"C2"})", "DADDDDDDDHDDDD"},
      {"POST", svc + "/retire", "/api/v1/services/SPEND/retire", "", "DADDDDDDDHDDDD"},
  };
}

namespace {

TEST_CASE("authorization matrix: every person against every administration route, own and other organisations") {
  ApiWorld w;
  AddPerson(w, "c2admin", "C2", R"(["commissioner_admin"])");
  AddPerson(w, "p3admin", "P3", R"(["provider_admin"])");
  REQUIRE(RequestAccount(w, "p1pending", "P1", R"(["provider_user"])").status == 202);
  ApprovedClaim(w, 2, 1'000);
  Response run = w.As("c1tier2", "POST", "/api/v1/payment-runs", R"({"pay_date":"2026-11-20","run_id":"RUN1"})");
  REQUIRE_MESSAGE(run.status == 201, run.body);

  std::vector<std::string> mismatches = RunMatrix(w, kPeople, AdminMatrix());
  CHECK_MESSAGE(mismatches.empty(), Lines(mismatches));
}

TEST_CASE("without a session every administration route but the public ones answers 401") {
  ApiWorld w;
  for (const Row& row : AdminMatrix()) {
    Response r = w.Handle(row.method, row.target, row.body, {}, row.content_type);
    bool is_public = row.pattern == "/api/v1/openapi.json" ||
                     (row.method == "POST" && row.pattern == "/api/v1/accounts");
    INFO(row.method << " " << row.target << ": " << r.status);
    if (is_public)
      CHECK(r.status != 401);
    else
      CHECK(r.status == 401);
  }
}

}  // namespace
}  // namespace ledger::http::testing
