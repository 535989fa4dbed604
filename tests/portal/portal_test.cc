// The portal's pages through HandleRequest: sign-in with a cookie session and
// CSRF tokens, a practice claim from draft to submitted, validation errors in
// the NHS error summary, 404 for another practice's claim, static assets, the
// commissioner administrator's service and account forms, the live-refresh
// stream, paged lists. What a page shows is asserted on its view model (the
// model its template renders, PortalWorld::rendered); the HTML only where the
// markup itself matters (titles, field names, links, the error summary's links).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "ledger/app/claim_import.h"
#include "portal_world.h"

namespace ledger::http::testing {
namespace {

TEST_CASE("the sign-in page is an NHS page with a CSRF token and the API's security headers") {
  PortalWorld w;
  Browser b{w};
  Response r = b.Get("/sign-in");
  CHECK(r.status == 200);
  CHECK(r.Header("content-type") == "text/html; charset=utf-8");
  CHECK(r.Header("cache-control") == "no-store");
  CHECK(Contains(std::string(r.Header("content-security-policy")), "default-src 'self'"));
  CHECK(Contains(r.body, "<title>Sign in – Claims ledger – NHS</title>"));
  CHECK(Contains(r.body, "Sign in to the claims ledger"));
  CHECK(w.rendered_page == "sign_in");
  CHECK(ModelText(w.rendered, "csrf_token") == b.csrf);
  CHECK(b.csrf.size() == 64);
}

TEST_CASE("a signed-out visitor is sent to sign in and comes back to the page asked for") {
  PortalWorld w;
  Browser b{w};
  Response r = b.Get("/claims");
  CHECK(r.status == 303);
  CHECK(r.Header("location") == "/sign-in?return_to=/claims");
  b.Get("/sign-in?return_to=/claims");
  Response in = b.Post("/sign-in", {{"username", "p1user"}, {"password", kApiPassword}, {"return_to", "/claims"}});
  CHECK(in.status == 303);
  CHECK(in.Header("location") == "/claims");
  CHECK(b.Get("/claims").status == 200);
}

TEST_CASE("a wrong password and an unknown user get the same message, and empty fields name each field") {
  PortalWorld w;
  Browser b{w};
  b.Get("/sign-in");
  Response wrong = b.Post("/sign-in", {{"username", "p1user"}, {"password", "nope"}});
  Response unknown = b.Post("/sign-in", {{"username", "nobody"}, {"password", "nope"}});
  CHECK(wrong.status == 401);
  CHECK(Contains(wrong.body, "<title>Error: Sign in"));  // the title says there is an error
  CHECK(unknown.status == 401);
  CHECK(w.rendered_page == "sign_in");
  CHECK(ModelText(w.rendered, "fields.username.error").empty());  // said once, above the form
  CHECK(SummaryErrors(w.rendered) ==
        std::map<std::string, std::string>{{"username", "Enter a correct username and password"}});
  Response empty = b.Post("/sign-in", {{"username", ""}, {"password", ""}});
  CHECK(empty.status == 422);
  CHECK(SummaryErrors(w.rendered) ==
        std::map<std::string, std::string>{{"username", "Enter your username"}, {"password", "Enter your password"}});
  CHECK(Contains(empty.body, "href=\"#username\""));  // the summary links to the field
}

TEST_CASE("an account awaiting approval or disabled is told so once its password matched, never before") {
  PortalWorld w;
  Browser visitor{w};
  visitor.Get("/account-request");
  REQUIRE(visitor
              .Post("/account-request", {{"full_name", "Robin Waiting"},
                                         {"email", "robin@nhs.invalid"},
                                         {"org_code", "P1"},
                                         {"username", "robin.waits"},
                                         {"password", "a long enough password"},
                                         {"roles_requested", "provider_user"}})
              .status == 303);
  // The sign-in page's one error for robin.waits with this password (401 each time).
  auto refusal = [&w](const std::string& password) {
    Browser b{w};
    b.Get("/sign-in");
    CHECK(b.Post("/sign-in", {{"username", "robin.waits"}, {"password", password}}).status == 401);
    return SummaryErrors(w.rendered)["username"];
  };
  const std::string right = "a long enough password", wrong = "not the password at all";
  CHECK(refusal(right) ==
        "Your account is waiting for your administrator's approval. You can sign in once they approve it.");
  CHECK(refusal(wrong) == "Enter a correct username and password");  // nothing said about the account

  Browser admin{w};
  REQUIRE(admin.SignIn("p1user"));
  REQUIRE(admin.Post("/admin/accounts/robin.waits/approve", {{"roles", "provider_user"}}).status == 303);
  REQUIRE(admin.Post("/admin/accounts/robin.waits/disable", {{"disable_reason", "On leave"}}).status == 303);
  CHECK(refusal(right) == "Your account has been disabled. Ask your administrator to enable it.");
  CHECK(refusal(wrong) == "Enter a correct username and password");
}

TEST_CASE("a form posted without the session's CSRF token is refused and changes nothing") {
  PortalWorld w;
  Browser b{w};
  REQUIRE(b.SignIn("p1user"));
  uint64_t head = w.Head();
  Response r = b.Post("/claims/new", {{"service", "SPEND"}, {"period", Day(10).ToString()}}, /*with_csrf=*/false);
  CHECK(r.status == 403);
  CHECK(w.Head() == head);
}

TEST_CASE("a form carrying a Latin-1 byte, a NUL or another control character is refused and changes nothing") {
  PortalWorld w;
  std::string id = w.Draft("p1user", 9, 50000);
  Browser b{w};
  REQUIRE(b.SignIn("p1user"));
  REQUIRE(b.Get("/claims/" + id + "/edit").status == 200);
  for (std::string bad :
       {std::string("caf\xE9"), std::string("a\0b", 3), std::string("\x1B[2J"), std::string("\xC2\x85")}) {
    CAPTURE(bad);
    uint64_t head = w.Head();
    Response r = b.Post("/claims/" + id + "/edit", {{"component.cost", "10.00"}, {"question.notes", bad}});
    CHECK(r.status == 400);
    CHECK(w.rendered_page == "error");
    CHECK(ModelText(w.rendered, "heading") == "Your form could not be saved");
    CHECK(w.Head() == head);
  }
  // The same in a field without a name (found by form_fuzz: such a field passed), url-encoded and multipart.
  uint64_t before = w.Head();
  Response nameless = b.Post("/claims/" + id + "/edit", {{"component.cost", "10.00"}, {"", std::string("a\0b", 3)}});
  CHECK(nameless.status == 400);
  CHECK(w.Head() == before);
  Response nameless_part = b.PostFile("/claims/" + id + "/evidence", {{"", std::string("a\0b", 3)}}, "file", "scan.pdf",
                                      "%PDF-1.7\n");
  CHECK(nameless_part.status == 400);
  CHECK(w.Head() == before);
  // A url-encoded body that does not decode (a bad escape, a character that must be escaped) is no form either:
  // not even its CSRF token is read from it, so it is refused as a form that could not be sent.
  for (const char* body : {"component.cost=10.00&question.notes=%zz", "component.cost=10|00", "question.notes=%"}) {
    CAPTURE(body);
    Response undecodable = b.Send("POST", "/claims/" + id + "/edit", std::string(body) + "&csrf_token=" + b.csrf,
                                  "application/x-www-form-urlencoded");
    CHECK(undecodable.status == 403);
    CHECK(ModelText(w.rendered, "heading") == "Your form could not be sent");
    CHECK(w.Head() == before);
  }
  // A textarea's CRLF and lone CR new lines are kept as LF; a new line in a one-line field is refused by the domain.
  Response saved = b.Post("/claims/" + id + "/edit",
                          {{"component.cost", "10.00"}, {"question.notes", "one\r\ntwo\rthree"}});
  REQUIRE_MESSAGE(saved.status == 303, saved.body);
  Response claim = w.As("p1user", "GET", "/api/v1/claims/" + id);
  CHECK(boost::json::parse(claim.body).at("answers").at("notes") == "one\ntwo\nthree");
  uint64_t head = w.Head();
  Response period = b.Post("/claims/new", {{"service", "SPEND"}, {"period", Day(10).ToString() + "\n"}});
  CHECK(period.status == 422);
  CHECK(w.Head() == head);
}

TEST_CASE("a practice user starts, fills in, checks and submits a claim, and sees it awaiting approval") {
  PortalWorld w;
  Browser b{w};
  REQUIRE(b.SignIn("p1user"));
  Response form = b.Get("/claims/new");
  REQUIRE(form.status == 200);
  CHECK(ModelText(w.rendered, "fields.service.items.0.item_text") == "Care home support costs");
  std::string period = core::Date::FromTimestamp(w.ledger().Now()).AddDays(-1).ToString();
  Response created = b.Post("/claims/new", {{"service", "SPEND"}, {"period", period}});
  REQUIRE_MESSAGE(created.status == 303, created.body);
  std::string location(created.Header("location"));
  std::smatch m;
  REQUIRE(std::regex_match(location, m, std::regex("/claims/([^/]+)/edit")));
  std::string id = m[1];
  Response edit = b.Get(location);
  REQUIRE(edit.status == 200);
  CHECK(Contains(edit.body, "name=\"component.cost\""));  // the name the form posts back

  // A value that is not money comes back with the error on the field and in the summary.
  Response bad = b.Post(location, {{"component.cost", "12.345"}, {"next", "check"}});
  CHECK(bad.status == 422);
  CHECK(w.rendered_page == "claim_edit");
  CHECK(SummaryErrors(w.rendered).count("component-cost") == 1);
  CHECK_FALSE(ModelText(w.rendered, "components.0.error").empty());
  CHECK(ModelText(w.rendered, "components.0.value") == "12.345");

  Response saved = b.Post(location, {{"component.cost", "1,234.50"}, {"question.notes", "none"}, {"next", "check"}});
  REQUIRE(saved.status == 303);
  CHECK(saved.Header("location") == "/claims/" + id + "/check");
  Response check = b.Get("/claims/" + id + "/check");
  REQUIRE(check.status == 200);
  CHECK(ModelText(w.rendered, "claim.amount") == "£1,234.50");
  Response submitted = b.Post("/claims/" + id + "/submit", {});
  REQUIRE_MESSAGE(submitted.status == 303, submitted.body);
  Response claim = b.Get("/claims/" + id);
  REQUIRE(claim.status == 200);
  CHECK(ModelText(w.rendered, "flash.heading") == "Claim submitted");  // the flash, once
  CHECK(ModelText(w.rendered, "claim.status.text") == "Awaiting Commissioning Organisation Approval");
  CHECK(ModelText(w.rendered, "timeline.0.title") == "Submitted");
  REQUIRE(b.Get("/claims/" + id).status == 200);
  CHECK(ModelAt(w.rendered, "flash")->is_bool());
  CHECK(w.StatusOf("p1user", id) == "Awaiting Commissioning Organisation Approval");
}

TEST_CASE("another practice's claim is not found, exactly like an unknown id") {
  PortalWorld w;
  std::string theirs = w.Draft("p2user", 10, 5000);
  Browser b{w};
  REQUIRE(b.SignIn("p1user"));
  Response other = b.Get("/claims/" + theirs);
  Response unknown = b.Get("/claims/c-doesnotexist");
  CHECK(other.status == 404);
  CHECK(unknown.status == 404);
  CHECK(other.body == unknown.body);
  CHECK(ModelText(w.rendered, "heading") == "Page not found");
  for (const char* suffix : {"/edit", "/check", "/decision", "/withdraw"}) {
    CHECK_MESSAGE(b.Get("/claims/" + theirs + suffix).status == 404, suffix);
  }
}

TEST_CASE("Tier 1 must give a code and a reason to reject, and the practice then sees both") {
  PortalWorld w;
  std::string id = w.Draft("p1user", 9, 50000);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit", "{}").status / 100 == 2);
  Browser tier1{w};
  REQUIRE(tier1.SignIn("c1tier1"));
  Response list = tier1.Get("/worklist");
  CHECK(Contains(list.body, "/claims/" + id + "/decision"));  // the worklist links to the decision form
  REQUIRE(tier1.Get("/claims/" + id + "/decision").status == 200);
  Response missing = tier1.Post("/claims/" + id + "/decision",
                                {{"decision", "reject"}, {"reason_code", ""}, {"reason", ""}});
  CHECK(missing.status == 422);
  CHECK(SummaryErrors(w.rendered).count("reason_code") == 1);
  CHECK(SummaryErrors(w.rendered).count("reason") == 1);
  const auto& code = core::RejectionReasonCodes().front();
  Response done = tier1.Post("/claims/" + id + "/decision", {{"decision", "reject"},
                                                             {"reason_code", std::string(code.code)},
                                                             {"reason", "Receipts missing"}});
  REQUIRE_MESSAGE(done.status == 303, done.body);
  Browser practice{w};
  REQUIRE(practice.SignIn("p1user"));
  REQUIRE(practice.Get("/claims/" + id).status == 200);
  CHECK(ModelText(w.rendered, "claim.status.text") == "Rejected");
  CHECK(ModelText(w.rendered, "claim.decision_reason") == "Receipts missing");
  CHECK(ModelText(w.rendered, "claim.decision_code") == std::string(code.description));
}

TEST_CASE("static assets have content types and are cached for a year only with the current version") {
  PortalWorld w;
  Browser b{w};
  Response css = b.Get("/static/app.css");
  REQUIRE(css.status == 200);
  CHECK(css.Header("content-type") == "text/css; charset=utf-8");
  CHECK(css.Header("cache-control") == "public, max-age=3600");
  std::string page = b.Get("/sign-in").body;
  std::smatch m;
  REQUIRE(std::regex_search(page, m, std::regex(R"re(/static/app\.js\?v=([0-9a-f]+))re")));
  Response js = b.Get("/static/app.js?v=" + m[1].str());
  CHECK(js.Header("content-type") == "text/javascript; charset=utf-8");
  CHECK(js.Header("cache-control") == "public, max-age=31536000, immutable");
  CHECK(b.Get("/static/%2e%2e/CMakeCache.txt").status == 404);
  CHECK(b.Get("/static/../portal/static/VERSION").status == 404);
}

TEST_CASE("unknown pages are HTML, unknown API paths stay problems") {
  PortalWorld w;
  Browser b{w};
  Response page = b.Get("/no/such/page");
  CHECK(page.status == 404);
  CHECK(page.Header("content-type") == "text/html; charset=utf-8");
  CHECK(w.rendered_page == "error");
  CHECK(ModelText(w.rendered, "heading") == "Page not found");
  Response api = b.Get("/api/v1/no-such-thing");
  CHECK(api.status == 404);
  CHECK(api.Header("content-type") == "application/problem+json");
}

TEST_CASE("signing out ends the session, and an old cookie then asks to sign in again with an expiry message") {
  PortalWorld w;
  Browser b{w};
  REQUIRE(b.SignIn("p1user"));
  std::string old = b.session;
  Response out = b.Post("/sign-out", {});
  CHECK(out.status == 303);
  CHECK(out.Header("location") == "/sign-in?signed_out=1");
  b.session = old;
  Response r = b.Get("/claims");
  CHECK(r.status == 303);
  CHECK(r.Header("location") == "/sign-in?expired=1&return_to=/claims");
  REQUIRE(b.Get("/sign-in?expired=1").status == 200);
  CHECK(ModelAt(w.rendered, "session_expired")->as_bool());
}

// ---- Commissioner administration ---------------------------------------------------------

template <typename State>
State StateOf(PortalWorld& w, const std::string& stream) {
  auto loaded = w.bus->LoadStream(stream);
  REQUIRE(loaded.ok());
  const State* s = std::get_if<State>(&loaded.value().state);
  REQUIRE(s != nullptr);
  return *s;
}

TEST_CASE(
    "an administrator creates a draft service, fixes its errors, adds a component and a tariff in pounds, "
    "and publishes it") {
  PortalWorld w;
  Browser b{w};
  REQUIRE(b.SignIn("c1admin"));
  REQUIRE(b.Get("/admin/services/new").status == 200);
  std::vector<std::pair<std::string, std::string>> details = {{"name", "Diabetes care"},  {"code", ""},
                                                              {"description", "Reviews"}, {"category", "LES"},
                                                              {"frequency", "quarterly"}, {"window_days", "-3"},
                                                              {"start", "2027-04-01"},    {"end", "2027-03-01"},
                                                              {"evidence_required", "no"}};
  // Every error at once: the form's own (no code) and core's rules on what it read (window, dates).
  Response bad = b.Post("/admin/services/new", details);
  CHECK(bad.status == 422);
  const auto all = SummaryErrors(w.rendered);
  CHECK(all.count("code") == 1);
  CHECK(all.count("window_days") == 1);
  CHECK(all.count("end") == 1);
  CHECK(all.size() == 3);
  CHECK(ModelText(w.rendered, "fields.name.value") == "Diabetes care");
  details[1].second = "LES-DIAB";
  details[5].second = "30";
  Response dates = b.Post("/admin/services/new", details);
  CHECK(dates.status == 422);
  CHECK(SummaryErrors(w.rendered).count("end") == 1);
  CHECK(SummaryErrors(w.rendered).size() == 1);
  details[7].second = "2028-03-31";
  Response created = b.Post("/admin/services/new", details);
  REQUIRE_MESSAGE(created.status == 303, created.body);
  CHECK(created.Header("location") == "/admin/services/les-diab");
  CHECK(StateOf<core::ServiceState>(w, core::ServiceStream("les-diab")).status == core::ServiceStatus::kDraft);

  Response component = b.Post("/admin/services/les-diab/components/new", {{"component_id", "reviews"},
                                                                          {"name", "Annual reviews"},
                                                                          {"unit", "count"},
                                                                          {"min", "0"},
                                                                          {"max", "500"},
                                                                          {"required", "yes"},
                                                                          {"numerator_of", ""}});
  REQUIRE_MESSAGE(component.status == 303, component.body);
  Response duplicate = b.Post("/admin/services/les-diab/components/new", {{"component_id", "reviews"},
                                                                          {"name", "Again"},
                                                                          {"unit", "count"},
                                                                          {"min", "0"},
                                                                          {"max", "5"},
                                                                          {"required", "yes"},
                                                                          {"numerator_of", ""}});
  CHECK(duplicate.status == 422);
  CHECK(SummaryErrors(w.rendered).count("component_id") == 1);
  Response change = b.Get("/admin/services/les-diab/components/reviews/edit");
  REQUIRE(change.status == 200);
  CHECK(ModelText(w.rendered, "heading") == "Change a component");
  CHECK(ModelText(w.rendered, "fields.name.value") == "Annual reviews");
  REQUIRE(b.Post("/admin/services/les-diab/components/reviews/edit", {{"name", "Annual reviews"},
                                                                      {"unit", "count"},
                                                                      {"min", "0"},
                                                                      {"max", "600"},
                                                                      {"required", "yes"},
                                                                      {"numerator_of", ""}})
              .status == 303);
  CHECK(StateOf<core::ServiceState>(w, core::ServiceStream("les-diab")).definition.components.at(0).max == 600);
  CHECK(b.Get("/admin/services/les-diab/components/nosuch/edit").status == 404);

  std::vector<std::pair<std::string, std::string>> tariff = {{"effective_from", "2027-04-01"},
                                                             {"payment_type", "item_of_service"},
                                                             {"rate.reviews", "12.345"}};
  Response fractional = b.Post("/admin/services/les-diab/tariffs/new", tariff);
  CHECK(fractional.status == 422);
  CHECK(Contains(SummaryErrors(w.rendered)["rate-reviews"], "fractions of a penny"));
  tariff[2].second = "12.50";
  Response priced = b.Post("/admin/services/les-diab/tariffs/new", tariff);
  REQUIRE_MESSAGE(priced.status == 303, priced.body);
  auto s = StateOf<core::ServiceState>(w, core::ServiceStream("les-diab"));
  REQUIRE(s.tariffs.size() == 1);
  REQUIRE(s.tariffs[0].unit_rates.size() == 1);
  CHECK(s.tariffs[0].unit_rates[0].pence_per_unit == 1250);

  REQUIRE(b.Get("/admin/services/les-diab").status == 200);
  CHECK(Contains(ModelText(w.rendered, "tariffs.0.rates_text"), "Annual reviews: £12.50 each"));
  REQUIRE(b.Post("/admin/services/les-diab/publish", {}).status == 303);
  CHECK(StateOf<core::ServiceState>(w, core::ServiceStream("les-diab")).status == core::ServiceStatus::kPublished);
  // Once published, components no longer change.
  CHECK(b.Get("/admin/services/les-diab/components/new").status == 404);
}

TEST_CASE(
    "a stale version on a service form is shown as a change by someone else and changes nothing, and the "
    "current one removes the question") {
  PortalWorld w;
  Browser b{w};
  REQUIRE(b.SignIn("c1admin"));
  std::vector<std::pair<std::string, std::string>> details = {
      {"name", "Flu"},         {"code", "FLU"},          {"description", ""},
      {"category", "LIS"},     {"frequency", "monthly"}, {"window_days", "20"},
      {"start", "2027-01-01"}, {"end", "2027-12-31"},    {"evidence_required", "no"}};
  REQUIRE(b.Post("/admin/services/new", details).status == 303);
  REQUIRE(
      b.Post("/admin/services/flu/questions/new",
             {{"question_id", "lead"}, {"text", "Who leads?"}, {"kind", "text"}, {"required", "no"}, {"version", "1"}})
          .status == 303);
  uint64_t head = w.Head();
  Response stale =
      b.Post("/admin/services/flu/questions/new",
             {{"question_id", "other"}, {"text", "Another?"}, {"kind", "text"}, {"required", "no"}, {"version", "1"}});
  CHECK(stale.status == 422);
  CHECK(Contains(SummaryText(w.rendered), "changed by someone else"));
  CHECK(w.Head() == head);
  CHECK(StateOf<core::ServiceState>(w, core::ServiceStream("flu")).definition.questions.size() == 1);
  REQUIRE(b.Post("/admin/services/flu/questions/lead/remove", {{"version", "2"}}).status == 303);
  CHECK(StateOf<core::ServiceState>(w, core::ServiceStream("flu")).definition.questions.empty());
}

TEST_CASE(
    "an administrator approves a requested account with roles and disables it, and another organisation's "
    "administrator cannot open it") {
  PortalWorld w;
  Browser visitor{w};
  visitor.Get("/account-request");
  Response asked = visitor.Post("/account-request", {{"full_name", "Robin New"},
                                                     {"email", "robin@nhs.invalid"},
                                                     {"org_code", "C1"},
                                                     {"username", "robin.new"},
                                                     {"password", "a long enough password"},
                                                     {"roles_requested", "tier1"}});
  REQUIRE_MESSAGE(asked.status == 303, asked.body);

  Browser admin{w};
  REQUIRE(admin.SignIn("c1admin"));
  Response page = admin.Get("/admin/accounts/robin.new");
  REQUIRE(page.status == 200);
  CHECK(ModelText(w.rendered, "account.roles_text") == "Asked for: Approver Tier 1");
  Response none = admin.Post("/admin/accounts/robin.new/approve", {});
  CHECK(none.status == 422);
  CHECK(SummaryErrors(w.rendered).count("roles") == 1);
  Response approved = admin.Post("/admin/accounts/robin.new/approve", {{"roles", "tier1"}, {"roles", "auditor"}});
  REQUIRE_MESSAGE(approved.status == 303, approved.body);
  auto a = StateOf<core::AccountState>(w, core::AccountStream("robin.new"));
  CHECK(a.status == core::AccountStatus::kActive);
  CHECK(a.roles.Has(core::Role::kApproverTier1));
  CHECK(a.roles.Has(core::Role::kAuditor));
  Browser robin{w};
  CHECK(robin.SignIn("robin.new", "a long enough password"));

  Browser other{w};
  REQUIRE(other.SignIn("p1user"));  // a practice's administrator: its own accounts only
  CHECK(Contains(other.Get("/").body, "href=\"/admin/accounts\""));  // the home page links to it
  Response list = other.Get("/admin/accounts");
  REQUIRE(list.status == 200);
  CHECK(HasText(ModelColumn(w.rendered, "accounts", "username"), "p1user"));
  CHECK_FALSE(Contains(list.body, "robin.new"));  // nowhere on the page
  CHECK(other.Get("/admin/accounts/p1user").status == 200);
  Response hidden = other.Get("/admin/accounts/robin.new");
  CHECK(hidden.status == 404);
  CHECK(hidden.body == other.Get("/admin/accounts/no.such.person").body);
  CHECK(other.Post("/admin/accounts/robin.new/disable", {{"disable_reason", "x"}}).status == 404);

  Response reasonless = admin.Post("/admin/accounts/robin.new/disable", {{"disable_reason", " "}});
  CHECK(reasonless.status == 422);
  CHECK(SummaryErrors(w.rendered).count("disable_reason") == 1);
  REQUIRE(admin.Post("/admin/accounts/robin.new/disable", {{"disable_reason", "Left the ICB"}}).status == 303);
  CHECK(StateOf<core::AccountState>(w, core::AccountStream("robin.new")).status == core::AccountStatus::kDisabled);
  Browser again{w};
  CHECK_FALSE(again.SignIn("robin.new", "a long enough password"));
}

// Asks for an account at `org` through the signed-out form.
void RequestAccount(PortalWorld& w, const std::string& username, const std::string& org, const std::string& role) {
  Browser visitor{w};
  visitor.Get("/account-request");
  Response r = visitor.Post("/account-request", {{"full_name", "Person " + username},
                                                 {"email", username + "@nhs.invalid"},
                                                 {"org_code", org},
                                                 {"username", username},
                                                 {"password", "a long enough password"},
                                                 {"roles_requested", role}});
  REQUIRE_MESSAGE(r.status == 303, r.body);
}

TEST_CASE("a practice administrator refuses a request with a reason, changes an account's roles and enables it again") {
  PortalWorld w;
  RequestAccount(w, "sam.no", "P1", "provider_user");
  RequestAccount(w, "sam.yes", "P1", "provider_user");
  Browser admin{w};
  REQUIRE(admin.SignIn("p1user"));
  Response reasonless = admin.Post("/admin/accounts/sam.no/refuse", {{"refuse_reason", ""}});
  CHECK(reasonless.status == 422);
  CHECK(SummaryErrors(w.rendered).count("refuse_reason") == 1);
  REQUIRE(admin.Post("/admin/accounts/sam.no/refuse", {{"refuse_reason", "Not on our staff list"}}).status == 303);
  CHECK(StateOf<core::AccountState>(w, core::AccountStream("sam.no")).status == core::AccountStatus::kRefused);

  REQUIRE(admin.Post("/admin/accounts/sam.yes/approve", {{"roles", "provider_user"}}).status == 303);
  // A role that does not fit a practice comes back from the ledger as an error on the roles.
  Response unfit = admin.Post("/admin/accounts/sam.yes/roles", {{"roles", "tier2"}});
  CHECK(unfit.status == 422);
  CHECK(Contains(SummaryErrors(w.rendered)["roles"], "The role tier2 is not available to a practice."));
  REQUIRE(admin.Post("/admin/accounts/sam.yes/roles", {{"roles", "provider_user"}, {"roles", "provider_approver"}})
              .status == 303);
  CHECK(StateOf<core::AccountState>(w, core::AccountStream("sam.yes")).roles.Has(core::Role::kProviderApprover));
  REQUIRE(admin.Post("/admin/accounts/sam.yes/disable", {{"disable_reason", "On leave"}}).status == 303);
  REQUIRE(admin.Get("/admin/accounts/sam.yes").status == 200);
  CHECK(ModelAt(w.rendered, "can_enable")->as_bool());
  REQUIRE(admin.Post("/admin/accounts/sam.yes/enable", {}).status == 303);
  CHECK(StateOf<core::AccountState>(w, core::AccountStream("sam.yes")).status == core::AccountStatus::kActive);
  Browser sam{w};
  CHECK(sam.SignIn("sam.yes", "a long enough password"));
}

TEST_CASE("an administrator resets a lost password: the old one stops working and the new one signs in") {
  PortalWorld w;
  RequestAccount(w, "sam.lost", "P1", "provider_user");
  Browser admin{w};
  REQUIRE(admin.SignIn("p1user"));
  REQUIRE(admin.Post("/admin/accounts/sam.lost/approve", {{"roles", "provider_user"}}).status == 303);
  REQUIRE(admin.Get("/admin/accounts/sam.lost").status == 200);
  CHECK(ModelAt(w.rendered, "can_reset_password")->as_bool());
  Response short_one = admin.Post("/admin/accounts/sam.lost/password", {{"new_password", "too short"}});
  CHECK(short_one.status == 422);
  CHECK(SummaryErrors(w.rendered).count("new_password") == 1);
  CHECK_FALSE(Contains(short_one.body, "too short"));  // a password is never echoed back
  REQUIRE(admin.Post("/admin/accounts/sam.lost/password", {{"new_password", "a brand new password"}}).status == 303);
  Browser old_password{w};
  CHECK_FALSE(old_password.SignIn("sam.lost", "a long enough password"));
  Browser sam{w};
  CHECK(sam.SignIn("sam.lost", "a brand new password"));

  Browser other{w};
  REQUIRE(other.SignIn("p2user"));  // another practice, and no administrator
  CHECK(other.Post("/admin/accounts/sam.lost/password", {{"new_password", "an attacker's password"}}).status != 303);
  Browser still{w};
  CHECK(still.SignIn("sam.lost", "a brand new password"));
}

// The previous or next page's address of the page last rendered ("" when none).
std::string PageLink(const PortalWorld& w, const std::string& which) {
  return ModelText(w.rendered, "pagination." + which + "_href");
}

TEST_CASE("the claims list pages by cursor, and its previous and next links keep the filter") {
  PortalWorld w(2);
  std::set<std::string> drafted;
  for (int day = 1; day <= 5; ++day) drafted.insert(w.Draft("p1user", day, 100 * day));
  Browser b{w};
  REQUIRE(b.SignIn("p1user"));
  std::vector<std::string> visited = {"/claims?status=draft"};
  std::set<std::string> seen;
  const char* captions[] = {"2 claims on page 1", "2 claims on page 2", "1 claim on page 3"};
  for (int n = 1; n <= 3; ++n) {
    Response r = b.Get(visited.back());
    REQUIRE(r.status == 200);
    CHECK(ModelText(w.rendered, "caption") == captions[n - 1]);
    CHECK(Contains(r.body, "class=\"nhsuk-pagination\""));
    for (const std::string& id : ModelColumn(w.rendered, "claims", "claim_id"))
      CHECK_MESSAGE(seen.insert(id).second, id);
    std::string previous = PageLink(w, "previous");
    std::string next = PageLink(w, "next");
    CHECK(previous == (n == 1 ? "" : visited[n - 2]));
    if (n < 3) {
      REQUIRE(next.rfind("/claims?status=draft&cursor=", 0) == 0);
      visited.push_back(next);
    } else {
      CHECK(next.empty());
    }
  }
  CHECK(seen == drafted);
  // A list that fits on one page shows its total and no pagination; a made-up cursor shows the first page.
  REQUIRE(b.Get("/claims?status=paid").status == 200);
  CHECK(ModelAt(w.rendered, "pagination")->is_bool());
  Response made_up = b.Get("/claims?status=draft&cursor=zz&back=-");
  REQUIRE(made_up.status == 200);
  CHECK(ModelText(w.rendered, "caption") == "2 claims on page 1");
  CHECK(PageLink(w, "previous").empty());
}

TEST_CASE("a worklist pages oldest first with previous and next links") {
  PortalWorld w(2);
  std::vector<std::string> submitted;
  for (int day = 1; day <= 3; ++day) {
    std::string id = w.Draft("p1user", day, 1000 + day);
    Response r = w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    submitted.push_back(id);
  }
  Browser b{w};
  REQUIRE(b.SignIn("c1tier1"));
  Response first = b.Get("/worklist");
  REQUIRE(first.status == 200);
  CHECK(ModelColumn(w.rendered, "items", "claim_id") == std::vector<std::string>{submitted[0], submitted[1]});
  CHECK(ModelText(w.rendered, "count_text") == "2 claims on page 1");
  CHECK(Contains(first.body, "2 claims on page 1, oldest first"));
  CHECK(PageLink(w, "previous").empty());
  std::string next = PageLink(w, "next");
  REQUIRE(next.rfind("/worklist?cursor=", 0) == 0);
  Response second = b.Get(next);
  REQUIRE(second.status == 200);
  CHECK(ModelColumn(w.rendered, "items", "claim_id") == std::vector<std::string>{submitted[2]});
  CHECK(ModelText(w.rendered, "count_text") == "1 claim on page 2");
  CHECK(PageLink(w, "previous") == "/worklist");
  CHECK(PageLink(w, "next").empty());
}

// The receiving end of a live stream: keeps every frame sent to it.
class RecordingWriter : public SseWriter {
 public:
  bool Send(std::string_view id, std::string_view event, std::string_view data) override {
    std::lock_guard lock(mu_);
    frames_.push_back(FormatSseFrame(id, event, data));
    changed_.notify_all();
    return open_;
  }
  bool Comment(std::string_view) override { return open_; }
  void Close() override {
    std::vector<std::function<void()>> callbacks;
    {
      std::lock_guard lock(mu_);
      open_ = false;
      callbacks.swap(on_close_);
    }
    for (auto& c : callbacks) c();
  }
  bool open() const override { return open_; }
  void OnClose(std::function<void()> callback) override {
    std::lock_guard lock(mu_);
    on_close_.push_back(std::move(callback));
  }
  // Whether a frame mentioning `text` arrives (the subscription delivers on its own thread).
  bool WaitFor(const std::string& text) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(20), [&] {
      for (const auto& f : frames_) {
        if (Contains(f, text)) return true;
      }
      return false;
    });
  }
  std::vector<std::string> Frames() {
    std::lock_guard lock(mu_);
    return frames_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::string> frames_;
  std::vector<std::function<void()>> on_close_;
  std::atomic<bool> open_{true};
};

std::shared_ptr<RecordingWriter> OpenLiveStream(Browser& b) {
  Response r = b.Get("/live/stream");
  REQUIRE(r.status == 200);
  REQUIRE(r.Header("content-type") == "text/event-stream");
  REQUIRE(r.stream);
  auto writer = std::make_shared<RecordingWriter>();
  r.stream(writer);
  return writer;
}

TEST_CASE("the live stream tells a person only which of the claims they may see changed") {
  PortalWorld w;
  Browser practice{w};
  Browser tier1{w};
  REQUIRE(practice.SignIn("p1user"));
  REQUIRE(tier1.SignIn("c1tier1"));
  auto practice_seen = OpenLiveStream(practice);
  auto tier1_seen = OpenLiveStream(tier1);
  std::string other = w.Draft("p2user", 3, 500);  // P2: another practice of the same commissioner
  std::string own = w.Draft("p1user", 4, 700);
  REQUIRE(practice_seen->WaitFor("claim-" + own));
  REQUIRE(tier1_seen->WaitFor("claim-" + own));
  CHECK(tier1_seen->WaitFor("claim-" + other));
  // Events arrive in log order, so P2's draft (appended first) would have arrived before P1's own.
  std::vector<std::string> frames = practice_seen->Frames();
  REQUIRE_FALSE(frames.empty());
  for (const std::string& f : frames) {
    std::regex only_own("id: [0-9]+\ndata: \\{\"stream_id\":\"claim-" + own + "\"\\}\n\n");
    CHECK_MESSAGE(std::regex_match(f, only_own), f);
  }
}

TEST_CASE("the live stream needs a session; the auditors' event stream stays closed to approvers") {
  PortalWorld w;
  Browser b{w};
  Response signed_out = b.Get("/live/stream");
  CHECK(signed_out.status == 303);
  CHECK(signed_out.Header("location") == "/sign-in?return_to=/live/stream");
  CHECK_FALSE(signed_out.stream);
  CHECK(w.As("c1tier1", "GET", "/api/v1/events/stream").status == 403);
}

}  // namespace
}  // namespace ledger::http::testing

namespace ledger::http::testing {
namespace {

// Every POST route of the table that a signed-in person can reach (all the
// portal's forms, sign-out among them, and every API route that needs a
// session), sent with the session cookie but without the CSRF token.
TEST_CASE("every POST route refuses a signed-in request without the CSRF token with 403 and stores nothing") {
  PortalWorld w;
  Browser b{w};
  REQUIRE(b.SignIn("c1admin"));
  REQUIRE(!b.session.empty());
  uint64_t head = w.Head();
  static const std::regex kParam(R"(\{[^}]+\})");
  std::set<std::string> checked;
  for (const Route& route : w.context->routes()) {
    if (route.method != "POST") continue;
    if (route.pattern.rfind("/{p1}", 0) == 0) continue;  // the catch-all 404 page
    bool api = route.pattern.rfind("/api/", 0) == 0;
    if (api && route.access.kind == Access::Kind::kPublic) continue;  // signing in needs no session
    std::string target = std::regex_replace(route.pattern, kParam, "x1");
    CAPTURE(route.pattern);
    Response r = b.Post(target, {{"note", "no token"}}, /*with_csrf=*/false);
    CHECK(r.status == 403);
    if (api) CHECK(boost::json::parse(r.body).at("type") == "/problems/csrf");
    checked.insert(route.pattern);
  }
  CHECK(checked.count("/sign-out") == 1);
  CHECK(checked.count("/claims/new") == 1);
  CHECK(checked.count("/api/v1/claims") == 1);
  CHECK(checked.size() > 30);
  CHECK(w.Head() == head);  // nothing stored
  // The refused sign-out did not end the session; with the token it does.
  CHECK(b.Get("/").status == 200);
  std::string old = b.session;
  Response out = b.Post("/sign-out", {});
  CHECK(out.status == 303);
  CHECK(out.Header("location") == "/sign-in?signed_out=1");
  b.session = old;
  CHECK(b.Get("/").status == 303);
}

TEST_CASE("a session made through the API cannot be signed out from the portal without the portal's token") {
  PortalWorld w;
  std::string token = w.Token("p1user");
  std::vector<HeaderField> cookie = {{"Cookie", "ledger_session=" + token}};
  Response refused = w.Handle("POST", "/sign-out", "", cookie, "application/x-www-form-urlencoded");
  CHECK(refused.status == 403);
  CHECK(w.Handle("GET", "/api/v1/me", "", {{"Authorization", "Bearer " + token}}, "").status == 200);
}

TEST_CASE("a bulk file over the row limit is refused in the portal at once, saying the limit, and nothing is stored") {
  PortalWorld w;
  Browser b{w};
  REQUIRE(b.SignIn("p1user"));
  REQUIRE(b.Get("/claims/bulk").status == 200);
  std::string csv = "provider_code,service_code,period,cost\n";
  for (int i = 0; i < app::kMaxImportRows + 1; ++i) csv += "P1,SPEND,2026-11,1\n";
  const uint64_t before = w.Head();
  Response r = b.PostFile("/claims/bulk", {}, "csv_file", "claims.csv", csv);
  CHECK(r.status == 413);
  CHECK(w.rendered_page == "claims_bulk");
  const std::string error = ModelText(w.rendered, "fields.csv_file.error");
  CHECK(Contains(error, "more than 2,500 rows; nothing was saved"));
  CHECK(Contains(error, "files of up to 2,500"));
  CHECK(SummaryErrors(w.rendered).at("csv_file") == error);
  CHECK(w.Head() == before);
}

}  // namespace
}  // namespace ledger::http::testing

namespace ledger::http::testing {
namespace {

TEST_CASE("the decision page shows the values, evidence, tariff and earlier returns of the claim decided") {
  PortalWorld w;
  std::string id = w.Draft("p1user", 12, 50000);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit", "{}").status / 100 == 2);
  REQUIRE(w.As("c1tier1", "POST", "/api/v1/claims/" + id + "/return", R"({"reason":"Add the receipts"})").status ==
          200);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit", "{}").status / 100 == 2);
  Browser tier1{w};
  REQUIRE(tier1.SignIn("c1tier1"));
  REQUIRE(tier1.Get("/claims/" + id + "/decision").status == 200);
  CHECK(w.rendered_page == "claim_decision");
  CHECK(ModelText(w.rendered, "details.answers.0.value_text") == "£500.00");
  CHECK(ModelText(w.rendered, "details.returns.0.reason") == "Add the receipts");
  CHECK(ModelText(w.rendered, "details.tariff").find("in force from") != std::string::npos);
  CHECK(ModelText(w.rendered, "claim.status.text") == "Awaiting Commissioning Organisation Approval");
  // Once approved there, the decision page is the claim page saying why there is nothing to decide.
  REQUIRE(w.As("c1tier1", "POST", "/api/v1/claims/" + id + "/approve").status == 200);
  Response after = tier1.Get("/claims/" + id + "/decision");
  CHECK(after.status == 200);
  CHECK(w.rendered_page == "claim");
  CHECK(ModelText(w.rendered, "flash.body").find("is no longer waiting for Tier 1 approval") != std::string::npos);
}

}  // namespace
}  // namespace ledger::http::testing
