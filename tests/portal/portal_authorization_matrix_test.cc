// The portal's authorization matrix: every person of the administration world
// (every role, in C1/P1 and in other organisations) and a signed-out visitor
// against every portal page, aimed at C1's and P1's resources. The letters are
// those of the API's matrices (authorization_matrix.h), plus
//   S  sent to sign in (303 to /sign-in), for the signed-out visitor.
// A page a person's roles do not allow answers 404, like a resource of an
// organisation they may not see, so the portal's D and H are both 'H'.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "../api_admin/admin_world.h"
#include "../api_admin/authorization_matrix.h"
#include "portal_world.h"

namespace ledger::http::testing {
namespace {

// kPeople, then the signed-out visitor.
std::vector<std::string> PortalPeople() {
  std::vector<std::string> people = kPeople;
  people.push_back("anonymous");
  return people;
}

using Values = std::vector<std::pair<std::string, std::string>>;

// `text` with every occurrence of each name replaced by its value.
std::string Substituted(std::string text, const Values& values) {
  for (const auto& [name, value] : values) {
    for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + value.size()))
      text.replace(at, name.size(), value);
  }
  return text;
}

char PortalOutcome(const Response& r) {
  if (r.status == 303 && r.Header("location").rfind("/sign-in", 0) == 0) return 'S';
  return Outcome(r.status);
}

struct PortalRow {
  std::string method;
  std::string pattern;
  std::string target;
  std::string expected;  // one letter per person of PortalPeople()
};

const char* kDraftService = R"({"service_id":"FLU","code":"FLU","name":"Flu clinics","description":"Clinics.",
  "category":"LES","frequency":"monthly","window_days":30,"start":"2026-04-01","end":"2027-03-31",
  "components":[{"id":"vaccinations","name":"Vaccinations given","unit_kind":"count","min":0,"max":5000}],
  "questions":[{"id":"cold_chain","text":"Was the cold chain kept?","kind":"yes_no","required":false}]})";

// The world of the administration matrix with the portal's routes: a draft and
// a submitted claim of P1 (awaiting Tier 1), a claim approved for payment in
// run RUN1 and one in no run (which may still be held), a pending account request at P1, a draft service FLU of C1, and
// SPEND2 offered to P1 and not yet answered.
struct MatrixWorld {
  PortalWorld w;
  std::string draft;
  std::string submitted;
  std::string approved;
  std::string holdable;
  std::map<std::string, Browser> browsers;

  MatrixWorld() {
    AddPerson(w, "c2admin", "C2", R"(["commissioner_admin"])");
    AddPerson(w, "p3admin", "P3", R"(["provider_admin"])");
    REQUIRE(RequestAccount(w, "p1pending", "P1", R"(["provider_user"])").status == 202);
    approved = ApprovedClaim(w, 2, 1'000);
    Response run = w.As("c1tier2", "POST", "/api/v1/payment-runs", R"({"pay_date":"2026-11-20","run_id":"RUN1"})");
    REQUIRE_MESSAGE(run.status == 201, run.body);
    const std::string pending_offer = Substituted(kDraftService, {{"FLU", "SPEND2"}, {"Flu clinics", "Spend two"}});
    REQUIRE(w.As("c1admin", "POST", "/api/v1/services", pending_offer).status == 201);
    const std::string tariff = R"({"effective_from":"2026-04-01","payment_type":"item_of_service",
      "unit_rates":{"vaccinations":1000}})";
    REQUIRE(w.As("c1admin", "POST", "/api/v1/services/SPEND2/tariffs", tariff).status == 201);
    REQUIRE(w.As("c1admin", "POST", "/api/v1/services/SPEND2/publish").status == 200);
    Response offered =
        w.As("c1admin", "POST", "/api/v1/services/SPEND2/offers",
             R"({"providers":["P1"],"start":"2026-04-01","end":"2027-03-31","respond_by":"2026-12-31"})");
    REQUIRE_MESSAGE(offered.status / 100 == 2, offered.body);
    REQUIRE(w.As("c1admin", "POST", "/api/v1/services", kDraftService).status == 201);
    holdable = ApprovedClaim(w, 5, 1'000);
    draft = w.Draft("p1user", 4, 700);
    submitted = w.Draft("p1user", 3, 500);
    Response s = w.As("p1user", "POST", "/api/v1/claims/" + submitted + "/submit");
    REQUIRE_MESSAGE(s.status == 200, s.body);
    for (const std::string& person : PortalPeople()) {
      Browser b{w};
      if (person != "anonymous") REQUIRE_MESSAGE(b.SignIn(person), person);
      browsers.emplace(person, b);
    }
  }
};

// The claim pages are aimed at a claim awaiting Tier 1 (`{claim}`), the
// payment pages at RUN1 and `{approved}`; the hold page at `{holdable}` (a
// claim in a payment run can no longer be held, so core offers no hold).
std::vector<PortalRow> PortalGetMatrix() {
  //                                               op c1admin c1tier1 c1tier2 c1finance c1auditor p1user p2user
  //                                               p2approver c2admin c2tier1 c2auditor p3admin p3user anonymous
  // Reports in the portal are the commissioners' (a provider's money is on its
  // statement); the operator, who holds no report role, sees an empty index.
  return {
      {"GET", "/", "/", "AAAAAAAAAAAAAAS"},
      {"GET", "/claims", "/claims", "HAAAAAAAAAAAAAS"},
      {"GET", "/claims/new", "/claims/new", "HHHHHHAAAHHHHAS"},
      {"GET", "/claims/bulk", "/claims/bulk", "HHHHHHAAAHHHHAS"},
      {"GET", "/claims/bulk/template.csv", "/claims/bulk/template.csv?service=SPEND", "HHHHHHAAAHHHHHS"},
      {"GET", "/claims/{id}", "/claims/{claim}", "HAAAAAAHHHHHHHS"},
      {"GET", "/claims/{id}/edit", "/claims/{draft}/edit", "HHHHHHAHHHHHHHS"},
      {"GET", "/claims/{id}/check", "/claims/{draft}/check", "HHHHHHAHHHHHHHS"},
      {"GET", "/claims/{id}/withdraw", "/claims/{claim}/withdraw", "HHHHHHAHHHHHHHS"},
      {"GET", "/claims/{id}/decision", "/claims/{claim}/decision", "HHAHHHHHHHHHHHS"},
      {"GET", "/claims/{id}/hold", "/claims/{holdable}/hold", "HHHAAHHHHHHHHHS"},
      {"GET", "/claims/{id}/evidence/{sha}", "/claims/{claim}/evidence/" + std::string(64, '0'), "HHHHHHHHHHHHHHS"},
      {"GET", "/worklist", "/worklist", "HHAAAHHHAHAHHHS"},
      {"GET", "/services", "/services", "HHHHHHAHHHHHAHS"},
      {"GET", "/offers/{id}/respond", "/offers/offer-SPEND2-P1/respond", "HHHHHHAHHHHHHHS"},
      {"GET", "/payments/statement", "/payments/statement", "HHHAAAAAAHHAAAS"},
      {"GET", "/payment-runs", "/payment-runs", "HHHAAHHHHHHHHHS"},
      {"GET", "/payment-runs/new", "/payment-runs/new", "HHHAAHHHHHHHHHS"},
      {"GET", "/payment-runs/{id}", "/payment-runs/RUN1", "HHHAAHHHHHHHHHS"},
      {"GET", "/admin/services", "/admin/services", "HAHHHHHHHAHHHHS"},
      {"GET", "/admin/services/new", "/admin/services/new", "HAHHHHHHHAHHHHS"},
      {"GET", "/admin/services/{id}", "/admin/services/SPEND", "HAHHHHHHHHHHHHS"},
      {"GET", "/admin/services/{id}/edit", "/admin/services/FLU/edit", "HAHHHHHHHHHHHHS"},
      {"GET", "/admin/services/{id}/components/new", "/admin/services/FLU/components/new", "HAHHHHHHHHHHHHS"},
      {"GET", "/admin/services/{id}/components/{component}/edit", "/admin/services/FLU/components/vaccinations/edit",
       "HAHHHHHHHHHHHHS"},
      {"GET", "/admin/services/{id}/questions/new", "/admin/services/FLU/questions/new", "HAHHHHHHHHHHHHS"},
      {"GET", "/admin/services/{id}/questions/{question}/edit", "/admin/services/FLU/questions/cold_chain/edit",
       "HAHHHHHHHHHHHHS"},
      {"GET", "/admin/services/{id}/tariffs/new", "/admin/services/SPEND/tariffs/new", "HAHHHHHHHHHHHHS"},
      {"GET", "/offers", "/offers", "HAHHHHHHHAHHHHS"},
      {"GET", "/offers/new", "/offers/new", "HAHHHHHHHAHHHHS"},
      {"GET", "/admin/providers", "/admin/providers", "AAHHHHHHHAHHHHS"},
      {"GET", "/admin/providers/{code}", "/admin/providers/P1", "AAHHHHHHHHHHHHS"},
      {"GET", "/admin/accounts", "/admin/accounts", "AAHHHHAHHAHHAHS"},
      {"GET", "/admin/accounts/{username}", "/admin/accounts/p1pending", "AAHHHHAHHHHHHHS"},
      {"GET", "/audit/events", "/audit/events", "AHHHHAHHHHHAHHS"},
      {"GET", "/audit/events", "/audit/events?claim={claim}", "AHHHHAHHHHHAHHS"},
      {"GET", "/audit/verify", "/audit/verify", "AHHHHAHHHHHAHHS"},
      {"GET", "/reports", "/reports", "AAAAAAAAAAAAAAS"},
      {"GET", "/reports/{name}", "/reports/claims", "HAAAAAHHHAAAHHS"},
  };
}

std::string Aimed(const std::string& target, const MatrixWorld& m) {
  return Substituted(
      target, {{"{claim}", m.submitted}, {"{draft}", m.draft}, {"{approved}", m.approved}, {"{holdable}", m.holdable}});
}

TEST_CASE("portal authorization matrix: every person against every page, own and other organisations") {
  MatrixWorld m;
  const std::vector<std::string> people = PortalPeople();
  std::vector<std::string> mismatches;
  for (const PortalRow& row : PortalGetMatrix()) {
    REQUIRE_MESSAGE(row.expected.size() == people.size(), row.target);
    const std::string target = Aimed(row.target, m);
    for (size_t i = 0; i < people.size(); ++i) {
      Response r = m.browsers.at(people[i]).Get(target);
      char got = PortalOutcome(r);
      if (got != row.expected[i])
        mismatches.push_back(row.method + " " + row.target + " as " + people[i] + ": expected " + row.expected[i] +
                             ", got " + std::to_string(r.status) + " " + std::string(r.Header("location")));
    }
  }
  CHECK_MESSAGE(mismatches.empty(), Lines(mismatches));
}

TEST_CASE("every portal page route has a row in the portal matrix, and every form is refused to whom its page is") {
  MatrixWorld m;
  std::set<std::string> covered;
  for (const PortalRow& row : PortalGetMatrix()) covered.insert(row.method + " " + row.pattern);
  // Routes that are not pages of the matrix: the signed-out pages, assets, the
  // live stream (tested by the live-stream cases), the catch-alls and the
  // API's own routes (its problem pages too; the API's matrix covers them).
  auto outside = [](const Route& r) {
    const std::string& p = r.pattern;
    return p.rfind("/static", 0) == 0 || p.rfind("/{p1}", 0) == 0 || p == "/sign-in" || p == "/sign-out" ||
           p == "/accessibility" || p == "/account-request" || p == "/live/stream" || p.rfind("/api/", 0) == 0 ||
           p == "/healthz" || p == "/metrics" || p == "/problems/{name}";
  };
  std::vector<std::string> missing;
  for (const Route& r : m.w.context->routes()) {
    if (r.method == "GET" && !outside(r) && !covered.count("GET " + r.pattern)) missing.push_back(r.pattern);
  }
  CHECK_MESSAGE(missing.empty(), "portal pages without a matrix row: " << Lines(missing));

  // A form posted by a person whose roles do not allow it is refused as not
  // found and stores nothing: c1auditor (no claim, payment or administration
  // action) against every form, and p3user (a practice of another
  // commissioner) against every form about a C1 or P1 resource.
  for (const Route& r : m.w.context->routes()) {
    if (r.method != "POST" || outside(r)) continue;
    std::string target = Substituted(r.pattern, {{"{id}", m.submitted},
                                                 {"{code}", "P1"},
                                                 {"{username}", "p1pending"},
                                                 {"{sha}", std::string(64, '0')},
                                                 {"{component}", "cost"},
                                                 {"{question}", "notes"}});
    REQUIRE_MESSAGE(target.find('{') == std::string::npos, "no value for a parameter of " << r.pattern);
    std::vector<std::string> refused = {"c1auditor"};
    if (r.pattern.find('{') != std::string::npos) refused.push_back("p3user");
    for (const std::string& person : refused) {
      const uint64_t before = m.w.Head();
      Response r2 = m.browsers.at(person).Post(target, {});
      INFO("POST " << target << " as " << person << ": " << r2.status);
      CHECK(r2.status == 404);
      CHECK(m.w.Head() == before);
    }
  }
}

}  // namespace
}  // namespace ledger::http::testing
