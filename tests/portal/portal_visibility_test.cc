// What the portal shows whom: the event log follows the API's visibility rule
// (app::EventVisibility) for every filter, a decision posted after the claim
// moved on is a clear 409 on the claim page, and a session's one CSRF token
// works in portal forms and API headers alike.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "portal_world.h"

namespace ledger::http::testing {
namespace {

// A service of C2 offered to and accepted by P3, so C2 has claims of its own.
void AddC2Service(PortalWorld& w) {
  using namespace core;  // NOLINT: the world reads better unqualified
  ServiceDefinition d;
  d.code = "C2SPEND";
  d.name = "C2 support costs";
  d.category = ServiceCategory::kLes;
  d.frequency = Frequency::kOneOff;
  d.window_days = 30;
  d.components = {Component{"cost", "Costs incurred", UnitKind::kMoney, 0, 100'000'000, true, ""}};
  d.start = Day(15).AddDays(-200);
  d.end = Day(15).AddDays(200);
  Tariff t;
  t.effective_from = d.start;
  t.payment_type = PaymentType::kItemOfService;
  t.unit_rates = {ComponentRate{"cost", 1}};
  Seed(*w.store, ServiceStream("C2SPEND"),
       {ServiceDefined{"C2SPEND", "C2", d, kNow}, TariffVersionAdded{"C2SPEND", t, kNow},
        ServicePublished{"C2SPEND", kNow}});
  Seed(*w.store, OfferStream("C2SPEND", "P3"),
       {ServiceOffered{"C2SPEND", "P3", "C2", d.start, d.end, d.start.AddDays(-1), kNow},
        OfferAccepted{"C2SPEND", "P3", d.start, d.end, "p3user", kNow}});
}

std::string C2Claim(PortalWorld& w) {
  Response r = w.As("p3user", "POST", "/api/v1/claims",
                    R"({"service_id":"C2SPEND","period":")" + Day(5).ToString() + R"(","values":{"cost":100}})");
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return Str(Json(r), "claim_id");
}

// The positions in the event log's rows ("numeric">1,234</td>) of one page.
// Plain searching: std::regex recurses per character and overflows the stack
// on a page this long.
void AddRowPositions(const std::string& html, std::set<uint64_t>* out) {
  const std::string open = "numeric\">";
  for (std::size_t at = html.find(open); at != std::string::npos; at = html.find(open, at)) {
    at += open.size();
    std::size_t end = html.find("</td>", at);
    if (end == std::string::npos) break;
    std::string digits;
    bool number = end > at;
    for (std::size_t i = at; i < end; ++i) {
      if (html[i] == ',') continue;
      if (html[i] < '0' || html[i] > '9') number = false;
      digits += html[i];
    }
    if (number && !digits.empty()) out->insert(std::stoull(digits));
  }
}

std::string Unescaped(std::string text) {
  for (std::size_t at = text.find("&amp;"); at != std::string::npos; at = text.find("&amp;", at + 1))
    text.replace(at, 5, "&");
  return text;
}

// The positions of every event the portal's event log lists for `query`, over all its pages.
std::set<uint64_t> PortalPositions(Browser& b, const std::string& query) {
  std::set<uint64_t> out;
  std::string target = "/audit/events" + query;
  for (int pages = 0; pages < 5 && !target.empty(); ++pages) {
    Response r = b.Get(target);
    REQUIRE(r.status == 200);
    AddRowPositions(r.body, &out);
    const std::string prev = "nhsuk-pagination__link--prev\" href=\"";
    std::size_t at = r.body.find(prev);
    target.clear();
    if (at != std::string::npos) {
      at += prev.size();
      target = Unescaped(r.body.substr(at, r.body.find('"', at) - at));
    }
  }
  return out;
}

// The positions of the events the API's /api/v1/events shows `user`, on `stream` and of `type` when given.
std::set<uint64_t> ApiPositions(PortalWorld& w, const std::string& user, const std::string& stream,
                                const std::string& type) {
  Response r = w.As(user, "GET", "/api/v1/events?from=1&limit=1000");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  std::set<uint64_t> out;
  const boost::json::value body = Json(r);  // kept alive: the loop reads into it
  for (const auto& e : body.at("events").as_array()) {
    if (!stream.empty() && Str(e, "stream") != stream) continue;
    if (!type.empty() && Str(e, "type") != type) continue;
    out.insert(e.at("position").to_number<uint64_t>());
  }
  return out;
}

TEST_CASE("the portal's event log lists exactly what the API shows the same person, with and without filters") {
  PortalWorld w;
  AddC2Service(w);
  std::string c1_claim = w.Draft("p1user", 3, 500);
  std::string c2_claim = C2Claim(w);
  REQUIRE(w.Head() < 1000);
  for (const char* user : {"c1auditor", "c2auditor", "op"}) {
    Browser b{w};
    REQUIRE(b.SignIn(user));
    const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> filters = {
        {"", {"", ""}},
        {"?type=ClaimDrafted", {"", "ClaimDrafted"}},
        {"?type=AccountCreated", {"", "AccountCreated"}},
        {"?type=ServiceOffered", {"", "ServiceOffered"}},
        {"?claim=" + c1_claim, {core::ClaimStream(c1_claim), ""}},
        {"?claim=" + c2_claim, {core::ClaimStream(c2_claim), ""}},
    };
    for (const auto& [query, filter] : filters) {
      CAPTURE(user);
      CAPTURE(query);
      CHECK(PortalPositions(b, query) == ApiPositions(w, user, filter.first, filter.second));
    }
  }
  // And the page bodies: C1's auditor never sees C2's claim, people or service, and the other way round.
  Browser c1{w};
  REQUIRE(c1.SignIn("c1auditor"));
  for (const std::string& query :
       {std::string(""), std::string("?type=ClaimDrafted"), std::string("?type=AccountCreated")}) {
    std::string body = c1.Get("/audit/events" + query).body;
    CHECK_FALSE(Contains(body, c2_claim));
    CHECK_FALSE(Contains(body, "account-c2tier1"));
    CHECK_FALSE(Contains(body, "account-p3user"));
    CHECK_FALSE(Contains(body, "service-C2SPEND"));
    CHECK(Contains(body, "account-c1tier1") == (query != "?type=ClaimDrafted"));
  }
  Browser c2{w};
  REQUIRE(c2.SignIn("c2auditor"));
  std::string body = c2.Get("/audit/events").body;
  CHECK(Contains(body, c2_claim));
  CHECK_FALSE(Contains(body, c1_claim));
  CHECK_FALSE(Contains(body, "account-c1tier1"));
}

// A second Tier 1 approver of C1.
void AddSecondTier1(PortalWorld& w) {
  Seed(*w.store, core::AccountStream("c1tier1b"),
       {core::AccountCreated{"c1tier1b", "C1", core::OrgKind::kCommissioner, "C1", "Person c1tier1b",
                             "c1tier1b@nhs.invalid", RolesOf({core::Role::kApproverTier1}),
                             app::HashPassword(kApiPassword, app::PasswordCost::kMinimum), false, kNow}});
}

std::string VersionIn(const std::string& html) {
  std::smatch m;
  static const std::regex kVersion(R"re(name="version" value="([0-9]+)")re");
  return std::regex_search(html, m, kVersion) ? m[1].str() : "";
}

TEST_CASE("a decision posted after a colleague decided shows the claim page with a 409 naming its status now") {
  PortalWorld w;
  AddSecondTier1(w);
  std::string id = w.Draft("p1user", 9, 5000);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  Browser late{w};
  REQUIRE(late.SignIn("c1tier1b"));
  Response form = late.Get("/claims/" + id + "/decision");
  REQUIRE(form.status == 200);
  std::string version = VersionIn(form.body);
  REQUIRE(!version.empty());
  REQUIRE(w.As("c1tier1", "POST", "/api/v1/claims/" + id + "/approve").status == 200);
  uint64_t head = w.Head();
  const std::string code(core::RejectionReasonCodes().front().code);
  using Fields = std::vector<std::pair<std::string, std::string>>;
  for (Fields fields : {Fields{{"decision", "reject"}, {"reason_code", code}, {"reason", "Not ours"}},
                        Fields{{"decision", "return"}, {"reason", "Fix it"}}, Fields{{"decision", "approve"}}}) {
    for (bool with_version : {true, false}) {
      Fields sent = fields;
      if (with_version) sent.emplace_back("version", version);
      Response r = late.Post("/claims/" + id + "/decision", sent);
      CAPTURE(fields.front().second);
      CAPTURE(with_version);
      CHECK(r.status == 409);
      CHECK(Contains(r.body, "Your decision was not recorded"));
      CHECK(Contains(r.body, "it is now Awaiting Tier 2 Approval"));
      CHECK(Contains(r.body, "Claim "));
    }
  }
  CHECK(w.Head() == head);
  // Someone who never could decide on it still gets the plain 404.
  Browser finance{w};
  REQUIRE(finance.SignIn("c1finance"));
  CHECK(finance.Post("/claims/" + id + "/decision", {{"decision", "approve"}}).status == 404);
}

TEST_CASE("a session has one CSRF token: the API's csrf_token is the portal's, and each works in the other") {
  PortalWorld w;
  // Signed in through the API: its csrf_token is the one on portal pages.
  Response session = w.Handle("POST", "/api/v1/session",
                              R"({"username":"p1user","password":")" + std::string(kApiPassword) + R"("})");
  REQUIRE(session.status == 201);
  Browser api_signed{w};
  api_signed.session = Str(Json(session), "token");
  api_signed.Get("/claims/new");
  CHECK(api_signed.csrf == Str(Json(session), "csrf_token"));
  Response form = api_signed.Post("/claims/new", {{"service", "SPEND"}, {"period", Day(10).ToString()}});
  CHECK(form.status == 303);

  // Signed in through the portal: the page's token goes in X-CSRF-Token on the API.
  Browser b{w};
  REQUIRE(b.SignIn("p1user"));
  REQUIRE(b.csrf.size() == 64);
  auto api_post = [&](const std::string& csrf) {
    std::vector<HeaderField> headers;
    headers.emplace_back("Cookie", "ledger_session=" + b.session);
    if (!csrf.empty()) headers.emplace_back("X-CSRF-Token", csrf);
    return w.Handle("POST", "/api/v1/claims", R"({"service_id":"SPEND","period":")" + Day(11).ToString() + R"("})",
                    headers);
  };
  uint64_t head = w.Head();
  CHECK(api_post("").status == 403);
  CHECK(api_post(std::string(64, '0')).status == 403);
  CHECK(api_post(api_signed.csrf).status == 403);  // another session's token
  CHECK(w.Head() == head);
  CHECK(api_post(b.csrf).status == 201);
}

}  // namespace
}  // namespace ledger::http::testing
