// Accounts, organisations, services, offers and the OpenAPI document through
// HandleRequest with a real store and real read models.
#include <doctest/doctest.h>
#include <boost/json/serialize.hpp>

#include <cctype>
#include <set>

#include "admin_world.h"

namespace ledger::http::testing {
namespace {

const char* kDefinition = R"({"service_id":"FLU","code":"FLU","name":"Flu clinics","description":"Clinics.",
  "category":"LES","frequency":"monthly","window_days":30,"start":"2026-04-01","end":"2027-03-31",
  "components":[{"id":"vaccinations","name":"Vaccinations given","unit_kind":"count","min":0,"max":5000}],
  "questions":[{"id":"cold_chain","text":"Was the cold chain kept?","kind":"yes_no","required":false}]})";

const char* kTariff = R"({"effective_from":"2026-04-01","payment_type":"item_of_service",
  "unit_rates":{"vaccinations":1000}})";

// ---- Accounts ---------------------------------------------------------------

TEST_CASE("anyone may request an account; the practice administrator sees it first and approves it") {
  ApiWorld w;
  Response requested = RequestAccount(w, "newnurse", "P1", R"(["provider_user"])");
  REQUIRE_MESSAGE(requested.status == 202, requested.body);
  CHECK(Str(Json(requested), "status") == "requested");
  CHECK(w.SignIn("newnurse").empty());  // not yet approved

  Response list = w.As("p1user", "GET", "/api/v1/accounts");
  REQUIRE_MESSAGE(list.status == 200, list.body);
  std::vector<std::string> names = Column(list, "accounts", "username");
  REQUIRE(!names.empty());
  CHECK(names.front() == "newnurse");  // waiting requests first
  CHECK(Contains(names, "p1user"));
  CHECK(!Contains(names, "p2user"));  // another practice's people are not listed

  Response approved = w.As("p1user", "POST", "/api/v1/accounts/newnurse/approve", R"({"roles":["provider_user"]})");
  REQUIRE_MESSAGE(approved.status == 200, approved.body);
  CHECK(Str(Json(approved), "status") == "active");
  CHECK(!approved.Header("ETag").empty());
  CHECK(!w.SignIn("newnurse").empty());
  CHECK(approved.body.find("password") == std::string::npos);
}

TEST_CASE("an account request with bad fields lists every problem and a taken username is a conflict") {
  ApiWorld w;
  uint64_t before = w.Head();
  Response bad = w.Handle("POST", "/api/v1/accounts",
                          R"({"username":"Bad Name","org_code":"P1","full_name":"","email":"x@y","roles":["pilot"],)"
                          R"("password":"short","extra":1})");
  CHECK(bad.status == 400);
  auto codes = ErrorCodesOf(bad);
  for (const char* expected : {"username:invalid_username", "full_name:required", "roles[0]:invalid",
                               "password:too_short", "extra:unknown_field"})
    CHECK_MESSAGE(Contains(codes, expected), expected);
  CHECK(RequestAccount(w, "p1user", "P1", R"(["provider_user"])").status == 409);
  CHECK(RequestAccount(w, "someone", "NOWHERE", R"(["provider_user"])").status == 404);
  CHECK(w.Head() == before);
}

TEST_CASE("a commissioner administrator may approve a provider's request but not assign roles outside C1") {
  ApiWorld w;
  REQUIRE(RequestAccount(w, "p1clerk", "P1", R"(["provider_user"])").status == 202);
  Response approved = w.As("c1admin", "POST", "/api/v1/accounts/p1clerk/approve");
  REQUIRE_MESSAGE(approved.status == 200, approved.body);
  // Roles are assigned within one's own organisation only: the same 404 as an unknown account.
  CHECK(w.As("c1admin", "PUT", "/api/v1/accounts/p1clerk/roles", R"({"roles":["provider_approver"]})").status == 404);
  CHECK(w.As("c1admin", "PUT", "/api/v1/accounts/nobody/roles", R"({"roles":["provider_approver"]})").status == 404);
  Response assigned = w.As("p1user", "PUT", "/api/v1/accounts/p1clerk/roles", R"({"roles":["provider_approver"]})");
  REQUIRE_MESSAGE(assigned.status == 200, assigned.body);
  CHECK(Json(assigned).at("roles").as_array().size() == 1);
  CHECK(Json(assigned).at("roles").as_array()[0].as_string() == "provider_approver");
}

TEST_CASE("an administrator of another organisation gets 404 for an account it may not manage") {
  ApiWorld w;
  REQUIRE(RequestAccount(w, "p3clerk", "P3", R"(["provider_user"])").status == 202);
  CHECK(w.As("p1user", "POST", "/api/v1/accounts/p3clerk/approve").status == 404);
  CHECK(w.As("c1admin", "POST", "/api/v1/accounts/p3clerk/refuse", R"({"reason":"no"})").status == 404);
  CHECK(w.As("p1user", "GET", "/api/v1/accounts?org=P3").status == 404);
  CHECK(w.As("c1tier1", "GET", "/api/v1/accounts").status == 403);
}

TEST_CASE("refusing needs a reason; disabling stops sign-in and requests, enabling restores them") {
  ApiWorld w;
  REQUIRE(RequestAccount(w, "p1temp", "P1", R"(["provider_user"])").status == 202);
  Response no_reason = w.As("p1user", "POST", "/api/v1/accounts/p1temp/refuse");
  CHECK(no_reason.status == 400);
  CHECK(ErrorCodesOf(no_reason) == std::vector<std::string>{"reason:required"});
  Response refused = w.As("p1user", "POST", "/api/v1/accounts/p1temp/refuse", R"({"reason":"Not one of ours"})");
  REQUIRE_MESSAGE(refused.status == 200, refused.body);
  CHECK(Str(Json(refused), "status") == "refused");

  REQUIRE(w.As("c1tier1", "GET", "/api/v1/claims").status == 200);
  Response disabled = w.As("c1admin", "POST", "/api/v1/accounts/c1tier1/disable", R"({"reason":"Left"})");
  REQUIRE_MESSAGE(disabled.status == 200, disabled.body);
  CHECK(Str(Json(disabled), "status") == "disabled");
  CHECK(w.As("c1tier1", "GET", "/api/v1/claims").status != 200);
  CHECK(w.SignIn("c1tier1").empty());
  CHECK(w.As("c1admin", "POST", "/api/v1/accounts/c1admin/disable").status == 409);  // not oneself
  Response enabled = w.As("c1admin", "POST", "/api/v1/accounts/c1tier1/enable");
  REQUIRE_MESSAGE(enabled.status == 200, enabled.body);
  CHECK(!w.SignIn("c1tier1").empty());
}

TEST_CASE("assigning both approver tiers is allowed and flagged") {
  ApiWorld w;
  Response r = w.As("c1admin", "PUT", "/api/v1/accounts/c1tier1/roles", R"({"roles":["tier1","tier2"]})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(Json(r).at("dual_tier_warning").as_bool());
  CHECK(w.As("c1admin", "PUT", "/api/v1/accounts/c1tier1/roles", R"({"roles":["provider_user"]})").status == 400);
}

// ---- Organisations ------------------------------------------------------------

TEST_CASE("organisations: a commissioner sees its providers, a practice sees only itself") {
  ApiWorld w;
  Response c1 = w.As("c1tier1", "GET", "/api/v1/organisations");
  REQUIRE_MESSAGE(c1.status == 200, c1.body);
  auto codes = Column(c1, "organisations", "code");
  CHECK(Contains(codes, "P1"));
  CHECK(Contains(codes, "P2"));
  CHECK(!Contains(codes, "P3"));
  Response p1 = w.As("p1user", "GET", "/api/v1/organisations");
  REQUIRE(p1.status == 200);
  CHECK(Column(p1, "organisations", "code") == std::vector<std::string>{"P1"});
  CHECK(w.As("p1user", "GET", "/api/v1/organisations/P1").status == 200);
  CHECK(w.As("p1user", "GET", "/api/v1/organisations/P2").status == 404);
  CHECK(w.As("c2tier1", "GET", "/api/v1/organisations/P1").status == 404);
  CHECK(w.As("c2tier1", "GET", "/api/v1/organisations/NOPE").status == 404);
  CHECK(w.As("op", "GET", "/api/v1/organisations").status == 400);  // the operator names a commissioner
  CHECK(w.As("op", "GET", "/api/v1/organisations?commissioner=C2").status == 200);
}

TEST_CASE("a commissioner administrator registers and configures a provider and records its list size") {
  ApiWorld w;
  Response created = w.As("c1admin", "POST", "/api/v1/providers",
                          R"({"code":"P9","name":"New Street Surgery","postcode":"LS2 9JT"})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  CHECK(Str(Json(created), "commissioner_code") == "C1");
  CHECK(Str(Json(created), "approval_mode") == "single");
  CHECK(created.Header("Location") == "/api/v1/organisations/P9");
  CHECK(Contains(Column(w.As("c1admin", "GET", "/api/v1/providers"), "providers", "code"), "P9"));

  Response multi = w.As("c1admin", "PUT", "/api/v1/providers/P9", R"({"approval_mode":"multi"})");
  REQUIRE_MESSAGE(multi.status == 200, multi.body);
  CHECK(Str(Json(multi), "approval_mode") == "multi");
  Response sized = w.As("c1admin", "POST", "/api/v1/providers/P9/list-sizes",
                        R"({"effective_from":"2026-04-01","patients":5400})");
  REQUIRE_MESSAGE(sized.status == 200, sized.body);
  CHECK(Json(sized).at("list_sizes").as_array().at(0).at("patients").as_int64() == 5400);

  CHECK(w.As("c1admin", "PUT", "/api/v1/providers/P9", R"({"approval_mode":"triple"})").status == 400);
  CHECK(w.As("c1admin", "PUT", "/api/v1/providers/P3", R"({"approval_mode":"multi"})").status == 404);
  CHECK(w.As("c1tier1", "POST", "/api/v1/providers", R"({"code":"P8","name":"X"})").status == 403);
  CHECK(w.As("c1admin", "POST", "/api/v1/providers", R"({"code":"P9","name":"Again"})").status == 409);
}

TEST_CASE("the operator registers a commissioner; a commissioner configures its finance threshold") {
  ApiWorld w;
  Response c3 = w.As("op", "POST", "/api/v1/organisations", R"({"code":"C3","name":"Commissioner C3"})");
  REQUIRE_MESSAGE(c3.status == 201, c3.body);
  CHECK(Str(Json(c3), "kind") == "commissioner");
  CHECK(w.As("c1admin", "POST", "/api/v1/organisations", R"({"code":"C4","name":"No"})").status == 403);
  Response finance = w.As("c1admin", "PUT", "/api/v1/organisations/C1/finance",
                          R"({"finance_threshold_pence":2000000,"uses_finance_role":true})");
  REQUIRE_MESSAGE(finance.status == 200, finance.body);
  CHECK(Json(finance).at("finance_threshold_pence").as_int64() == 2000000);
  CHECK(w.As("c1admin", "PUT", "/api/v1/organisations/C1/finance",
             R"({"finance_threshold_pence":-1,"uses_finance_role":true})")
            .status == 400);
}

// ---- Services -----------------------------------------------------------------

TEST_CASE("a service is defined as a draft, edited, priced, published, shared and retired") {
  ApiWorld w;
  Response defined = w.As("c1admin", "POST", "/api/v1/services", kDefinition);
  REQUIRE_MESSAGE(defined.status == 201, defined.body);
  CHECK(Str(Json(defined), "status") == "draft");
  CHECK(defined.Header("Location") == "/api/v1/services/FLU");

  std::string edited_body = kDefinition;
  edited_body.replace(edited_body.find("Flu clinics"), 11, "Flu clinics 2026");
  edited_body.erase(edited_body.find(R"("service_id":"FLU",)"), 19);
  Response stale = w.As("c1admin", "PUT", "/api/v1/services/FLU", edited_body, {{"If-Match", "\"7\""}});
  CHECK(stale.status == 412);
  Response edited = w.As("c1admin", "PUT", "/api/v1/services/FLU", edited_body, {{"If-Match", "\"1\""}});
  REQUIRE_MESSAGE(edited.status == 200, edited.body);
  CHECK(Str(Json(edited).at("definition"), "name") == "Flu clinics 2026");

  Response priced = w.As("c1admin", "POST", "/api/v1/services/FLU/tariffs", kTariff);
  REQUIRE_MESSAGE(priced.status == 201, priced.body);
  CHECK(Json(priced).at("tariffs").as_array().size() == 1);
  Response published = w.As("c1admin", "POST", "/api/v1/services/FLU/publish");
  REQUIRE_MESSAGE(published.status == 200, published.body);
  CHECK(Str(Json(published), "status") == "published");
  CHECK(w.As("c1admin", "PUT", "/api/v1/services/FLU", edited_body).status == 409);  // no longer a draft

  CHECK(w.As("c2tier1", "GET", "/api/v1/services/FLU").status == 404);
  Response shared = w.As("c1admin", "POST", "/api/v1/services/FLU/shares", R"({"with_commissioner":"C2"})");
  REQUIRE_MESSAGE(shared.status == 200, shared.body);
  CHECK(w.As("c2tier1", "GET", "/api/v1/services/FLU").status == 200);
  CHECK(Contains(Column(w.As("c2tier1", "GET", "/api/v1/services"), "services", "service_id"), "FLU"));

  Response retired = w.As("c1admin", "POST", "/api/v1/services/FLU/retire");
  REQUIRE_MESSAGE(retired.status == 200, retired.body);
  CHECK(Str(Json(retired), "status") == "retired");
}

TEST_CASE("a service definition with problems lists them all and stores nothing") {
  ApiWorld w;
  uint64_t before = w.Head();
  Response bad = w.As("c1admin", "POST", "/api/v1/services",
                      R"({"service_id":"BAD","code":"BAD","name":"Bad","frequency":"weekly","window_days":0,
                          "start":"2026-13-01","end":"2027-03-31",
                          "components":[{"id":"x","name":"X","unit_kind":"litres","max":1.5,"colour":"red"}]})");
  CHECK(bad.status == 400);
  auto codes = ErrorCodesOf(bad);
  for (const char* expected :
       {"frequency:invalid", "window_days:out_of_range", "start:invalid_date", "components.0.unit_kind:invalid",
        "components.0.max:fractional", "components.0.colour:unknown_field"})
    CHECK_MESSAGE(Contains(codes, expected), expected);
  CHECK(w.Head() == before);
  CHECK(w.As("c1tier1", "POST", "/api/v1/services", kDefinition).status == 403);
}

TEST_CASE("a practice lists the services offered to it with the offer's status; others see nothing of them") {
  ApiWorld w;
  Response p1 = w.As("p1user", "GET", "/api/v1/services");
  REQUIRE_MESSAGE(p1.status == 200, p1.body);
  REQUIRE(Column(p1, "services", "service_id") == std::vector<std::string>{"SPEND"});
  CHECK(Str(Json(p1).at("services").as_array()[0], "offer_status") == "accepted");
  CHECK(w.As("p1user", "GET", "/api/v1/services/SPEND").status == 200);
  Response p3 = w.As("p3user", "GET", "/api/v1/services");
  REQUIRE(p3.status == 200);
  CHECK(Json(p3).at("services").as_array().empty());
  CHECK(w.As("p3user", "GET", "/api/v1/services/SPEND").status == 404);
  CHECK(w.As("p3user", "GET", "/api/v1/services/NOPE").status == 404);
}

// ---- Offers -------------------------------------------------------------------

TEST_CASE("offering a service to several providers answers per provider; they accept or decline") {
  ApiWorld w;
  REQUIRE(w.As("c1admin", "POST", "/api/v1/services", kDefinition).status == 201);
  REQUIRE(w.As("c1admin", "POST", "/api/v1/services/FLU/tariffs", kTariff).status == 201);
  REQUIRE(w.As("c1admin", "POST", "/api/v1/services/FLU/publish").status == 200);
  AddPerson(w, "p2admin", "P2", R"(["provider_admin"])");

  const std::string dates = R"("start":"2026-04-01","end":"2027-03-31","respond_by":"2026-12-31")";
  Response offered = w.As("c1admin", "POST", "/api/v1/services/FLU/offers",
                          R"({"providers":["P1","P2","P3"],)" + dates + "}");
  REQUIRE_MESSAGE(offered.status == 207, offered.body);  // P3 belongs to another commissioner
  auto results = Json(offered).at("results").as_array();
  REQUIRE(results.size() == 3);
  CHECK(results[0].at("status").as_int64() == 201);
  CHECK(results[1].at("status").as_int64() == 201);
  CHECK(results[2].at("status").as_int64() >= 400);
  CHECK(results[2].at("problem").at("status").as_int64() == results[2].at("status").as_int64());

  CHECK(w.As("p2user", "POST", "/api/v1/offers/FLU/P2/accept").status == 403);  // not an administrator
  CHECK(w.As("p1user", "POST", "/api/v1/offers/FLU/P2/accept").status == 404);  // not theirs
  Response accepted = w.As("p1user", "POST", "/api/v1/offers/FLU/P1/accept");
  REQUIRE_MESSAGE(accepted.status == 200, accepted.body);
  CHECK(Str(Json(accepted), "status") == "accepted");
  CHECK(Json(accepted).at("participation").as_array().size() == 1);
  CHECK(w.As("p2admin", "POST", "/api/v1/offers/FLU/P2/decline").status == 400);  // a reason is needed
  Response declined = w.As("p2admin", "POST", "/api/v1/offers/FLU/P2/decline", R"({"reason":"No fridge"})");
  REQUIRE_MESSAGE(declined.status == 200, declined.body);
  CHECK(Str(Json(declined), "status") == "declined");

  Response mine = w.As("p1user", "GET", "/api/v1/offers");
  REQUIRE(mine.status == 200);
  for (const std::string& provider : Column(mine, "offers", "provider")) CHECK(provider == "P1");
  Response responses = w.As("c1admin", "GET", "/api/v1/offers?service=FLU");
  REQUIRE(responses.status == 200);
  std::set<std::string> statuses;
  boost::json::value offers = Json(responses);
  for (const auto& o : offers.at("offers").as_array()) statuses.insert(Str(o, "provider") + ":" + Str(o, "status"));
  CHECK(statuses == std::set<std::string>{"P1:accepted", "P2:declined"});
  // Offering again to a provider that participates is refused and stores nothing.
  uint64_t before = w.Head();
  Response again = w.As("c1admin", "POST", "/api/v1/services/FLU/offers", R"({"providers":["P1"],)" + dates + "}");
  CHECK(again.status == 207);  // P1 already participates
  CHECK(w.Head() == before);
}

TEST_CASE("a commissioner withdraws a pending offer; another commissioner cannot offer its service") {
  ApiWorld w;
  REQUIRE(w.As("c1admin", "POST", "/api/v1/services", kDefinition).status == 201);
  REQUIRE(w.As("c1admin", "POST", "/api/v1/services/FLU/tariffs", kTariff).status == 201);
  REQUIRE(w.As("c1admin", "POST", "/api/v1/services/FLU/publish").status == 200);
  AddPerson(w, "c2admin", "C2", R"(["commissioner_admin"])");
  const std::string body = R"({"providers":["P1"],"start":"2026-04-01","end":"2027-03-31","respond_by":"2026-12-31"})";
  CHECK(w.As("c2admin", "POST", "/api/v1/services/FLU/offers", body).status == 404);
  REQUIRE(w.As("c1admin", "POST", "/api/v1/services/FLU/offers", body).status == 201);
  CHECK(w.As("c2admin", "POST", "/api/v1/offers/FLU/P1/withdraw").status == 404);
  Response withdrawn = w.As("c1admin", "POST", "/api/v1/offers/FLU/P1/withdraw", R"({"reason":"Budget"})");
  REQUIRE_MESSAGE(withdrawn.status == 200, withdrawn.body);
  CHECK(Str(Json(withdrawn), "status") == "withdrawn");
  CHECK(w.As("p1user", "POST", "/api/v1/offers/FLU/P1/accept").status == 409);
}

// ---- OpenAPI ------------------------------------------------------------------

TEST_CASE("the OpenAPI document describes every API route, and only those, each with its bodies") {
  ApiWorld w;
  Response r = w.Handle("GET", "/api/v1/openapi.json");
  REQUIRE(r.status == 200);
  boost::json::value doc = Json(r);
  CHECK(Str(doc, "openapi") == "3.1.0");
  const auto& paths = doc.at("paths").as_object();
  size_t operations = 0;
  for (const Route& route : w.context->routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    INFO(route.method << " " << route.pattern);
    bool api = route.pattern.starts_with("/api/") || route.pattern == "/healthz" || route.pattern == "/metrics";
    if (!api) {
      CHECK_FALSE(paths.contains(route.pattern));
      continue;
    }
    REQUIRE(paths.contains(route.pattern));
    REQUIRE(paths.at(route.pattern).as_object().contains(method));
    const auto& op = paths.at(route.pattern).at(method);
    CHECK_FALSE(Str(op, "summary").empty());
    if (route.access.kind == Access::Kind::kPublic) CHECK(op.at("security").as_array().empty());
    const auto& responses = op.at("responses").as_object();
    CHECK(responses.contains("default"));
    // A success with a JSON body names its schema, never a bare object.
    for (const auto& [status, response] : responses) {
      if (status.empty() || status[0] != '2') continue;
      const auto* content = response.as_object().if_contains("content");
      if (content == nullptr) continue;
      if (const auto* json = content->as_object().if_contains("application/json")) {
        CHECK(json->at("schema").as_object().contains("$ref"));
      }
    }
    if (route.method == "GET" && route.pattern.starts_with("/api/") && route.pattern != "/api/v1/events/stream") {
      CHECK(responses.contains("304"));
    }
    // Idempotency-Key and If-Match are offered on changes, not on reads or sign-in.
    bool idempotency = false;
    if (const auto* params = op.as_object().if_contains("parameters")) {
      for (const auto& p : params->as_array()) idempotency = idempotency || Str(p, "name") == "Idempotency-Key";
    }
    CHECK(idempotency == (route.method != "GET" && route.pattern != "/api/v1/session"));
    ++operations;
  }
  CHECK(operations > 60);
  CHECK(paths.at("/metrics")
            .at("get")
            .at("responses")
            .at("200")
            .at("content")
            .as_object()
            .contains("text/plain; version=0.0.4; charset=utf-8"));
  CHECK(paths.at("/api/v1/events/stream")
            .at("get")
            .at("responses")
            .at("200")
            .at("content")
            .as_object()
            .contains("text/event-stream"));
  // Every schema a request or response names exists.
  const auto& schemas = doc.at("components").at("schemas").as_object();
  std::string text = boost::json::serialize(doc);
  for (size_t at = text.find("#/components/schemas/"); at != std::string::npos;
       at = text.find("#/components/schemas/", at + 1)) {
    size_t start = at + std::string_view("#/components/schemas/").size();
    std::string name = text.substr(start, text.find('"', start) - start);
    CHECK_MESSAGE(schemas.contains(name), name);
  }
  // The claim's schema is the one its serialiser is described by.
  const auto& claim = schemas.at("Claim").at("properties").as_object();
  CHECK(claim.contains("amount_pence"));
  CHECK(claim.contains("amount"));
  CHECK(claim.contains("actions"));
  CHECK(schemas.at("Claim").at("additionalProperties") == false);
}

}  // namespace
}  // namespace ledger::http::testing
