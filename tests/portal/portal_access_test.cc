// The portal's pages and the API's routes share one route table and one
// authorization path: the router authenticates, checks the session's CSRF
// token and asks core::Authorize for the route's action; a page only answers
// its refusals in HTML (a signed-out visitor is sent to sign in).
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

// `pattern` with every {name} parameter replaced by "x": the route-level
// check runs before any handler looks a parameter up.
std::string AnyTarget(const std::string& pattern) {
  std::string target;
  bool in_param = false;
  for (char c : pattern) {
    if (c == '{') {
      in_param = true;
      target += 'x';
    } else if (c == '}') {
      in_param = false;
    } else if (!in_param) {
      target += c;
    }
  }
  return target;
}

std::string ActionText(core::Action action) { return std::string(core::ActionName(action)); }

TEST_CASE("a portal page and an API route with the same action give every role the same yes or no") {
  PortalWorld w;
  AddPerson(w, "c2admin", "C2", R"(["commissioner_admin"])");
  AddPerson(w, "p3admin", "P3", R"(["provider_admin"])");
  // The world's route table with every handler replaced by a stub, so that an
  // answer is the router's alone: 204 when it let the request through.
  RouterOptions options;
  options.dummy_hash_cost = app::PasswordCost::kMinimum;
  Context probe(options);
  probe.accounts = w.context->accounts;
  probe.log = [](const RequestLogLine&) {};
  std::vector<Route> stubbed = w.context->routes();
  for (Route& r : stubbed) r.handler = [](Call&) { return Response::NoContent(); };
  probe.AddRoutes(stubbed);

  std::map<std::string, std::string> tokens;
  for (const std::string& person : kPeople) {
    Request sign_in;
    sign_in.remote_address = "192.0.2.10";
    SignInResult r = http::SignIn(probe, sign_in, person, kApiPassword);
    REQUIRE_MESSAGE(r.outcome == SignInResult::Outcome::kSignedIn, person);
    tokens[person] = r.session.token;
  }
  // Per action, per person: the answers of its page routes and of its API routes.
  struct Seen {
    std::set<bool> pages, api;
    std::string example_page, example_api;
  };
  std::map<std::string, Seen> by_action_person;
  std::set<std::string> page_actions, api_actions;
  for (const Route& route : probe.routes()) {
    if (route.access.kind != Access::Kind::kAction) continue;
    const std::string action = ActionText(route.access.action);
    (route.access.page ? page_actions : api_actions).insert(action);
    for (const std::string& person : kPeople) {
      Request req;
      req.method = route.method;
      req.target = AnyTarget(route.pattern);
      req.remote_address = "192.0.2.10";
      req.headers.emplace_back("Authorization", "Bearer " + tokens[person]);
      Response answer = HandleRequest(req, probe);
      const bool allowed = answer.status == 204;
      // A refusal is the page's HTML 404 page, or the API's 403 problem.
      CHECK_MESSAGE((allowed || answer.status == (route.access.page ? 404 : 403)),
                    route.method << " " << route.pattern << " as " << person << ": " << answer.status);
      Seen& seen = by_action_person[action + " as " + person];
      (route.access.page ? seen.pages : seen.api).insert(allowed);
      (route.access.page ? seen.example_page : seen.example_api) = route.method + " " + route.pattern;
    }
  }
  int shared = 0;
  for (const auto& entry : by_action_person) {
    const std::string& key = entry.first;  // named, not bound: INFO captures it
    const Seen& seen = entry.second;
    if (seen.pages.empty() || seen.api.empty()) continue;
    ++shared;
    INFO(key << ": " << seen.example_page << " and " << seen.example_api);
    CHECK(seen.pages.size() == 1);
    CHECK(seen.api.size() == 1);
    CHECK(seen.pages == seen.api);
  }
  // Most of the portal's actions are the API's too: the comparison is not empty.
  CHECK(shared >= 10 * static_cast<int>(kPeople.size()));
  CHECK(page_actions.size() >= 10);
}

TEST_CASE("a signed-out visitor of a portal page is sent to sign in where the API answers 401") {
  PortalWorld w;
  Browser b{w};
  Response r = b.Get("/worklist");
  CHECK(r.status == 303);
  CHECK(r.Header("location") == "/sign-in?return_to=/worklist");
  // The same route table answers the API's signed-out caller with 401 problem JSON.
  Response api = w.Handle("GET", "/api/v1/worklist");
  CHECK(api.status == 401);
  CHECK(api.Header("content-type").find("problem+json") != std::string::npos);
  // A session that has ended is sent to sign in too, and its cookie cleared.
  b.session = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  Response ended = b.Get("/claims");
  CHECK(ended.status == 303);
  CHECK(ended.Header("location") == "/sign-in?expired=1&return_to=/claims");
  CHECK(b.session.empty());
  // A form posted signed out is sent to sign in (and then home), and stores nothing.
  const uint64_t before = w.Head();
  Response posted = b.Post("/claims/new", {{"service", "SPEND"}});
  CHECK(posted.status == 303);
  CHECK(posted.Header("location") == "/sign-in?return_to=/");
  CHECK(w.Head() == before);
}

TEST_CASE("a portal form without the session's CSRF token, or with a wrong one, is refused and stores nothing") {
  PortalWorld w;
  Browser b{w};
  REQUIRE(b.SignIn("p1user"));
  const std::string draft = w.Draft("p1user", 3, 500);
  const std::string right = b.csrf;
  REQUIRE(right.size() == 64);
  const uint64_t before = w.Head();

  Response none = b.Post("/claims/" + draft + "/delete", {}, /*with_csrf=*/false);
  CHECK(none.status == 403);
  CHECK(Contains(none.body, "Your form could not be sent"));
  CHECK(w.Head() == before);

  b.csrf = std::string(64, 'a');
  Response wrong = b.Post("/claims/" + draft + "/delete", {});
  CHECK(wrong.status == 403);
  CHECK(w.Head() == before);

  // Another session's token is as wrong as any other.
  Browser other{w};
  REQUIRE(other.SignIn("p1user"));
  REQUIRE(other.csrf != right);
  b.csrf = other.csrf;
  CHECK(b.Post("/claims/" + draft + "/delete", {}).status == 403);
  CHECK(w.Head() == before);

  // The session's own token lets the same form through, and it is stored.
  b.csrf = right;
  Response deleted = b.Post("/claims/" + draft + "/delete", {});
  CHECK(deleted.status == 303);
  CHECK(deleted.Header("location") == "/claims");
  CHECK(w.Head() > before);
}

TEST_CASE(
    "a signed-out form carries the same kind of CSRF token, bound to its browser's pre-session cookie, and no "
    "other is accepted") {
  PortalWorld w;
  Browser visitor{w};
  Browser other{w};
  REQUIRE(visitor.Get("/account-request").status == 200);
  REQUIRE(other.Get("/account-request").status == 200);
  REQUIRE(visitor.presession.size() == 32);
  const std::string right = visitor.csrf;
  CHECK(right.size() == 64);           // an HMAC, as a session's token is
  CHECK(right != visitor.presession);  // not the cookie sent back
  CHECK(visitor.Get("/sign-in").status == 200);
  CHECK(visitor.csrf == right);  // one token per browser, on every signed-out form
  const std::vector<std::pair<std::string, std::string>> request = {
      {"full_name", "Robin New"}, {"email", "robin@nhs.invalid"},         {"org_code", "C1"},
      {"username", "robin.new"},  {"password", "a long enough password"}, {"roles_requested", "tier1"}};
  const uint64_t before = w.Head();
  for (const std::string& wrong : {std::string(), other.csrf, visitor.presession, std::string(64, 'a')}) {
    CAPTURE(wrong);
    visitor.csrf = wrong;
    Response r = visitor.Post("/account-request", request);
    CHECK(r.status == 403);
    CHECK(Contains(r.body, "Your form could not be sent"));
    visitor.csrf = wrong;
    CHECK(visitor.Post("/sign-in", {{"username", "p1user"}, {"password", kApiPassword}}).status == 403);
  }
  CHECK(visitor.session.empty());
  CHECK(w.Head() == before);
  // Without the pre-session cookie, even its own token is refused.
  Browser cookieless{w};
  cookieless.csrf = right;
  CHECK(cookieless.Post("/account-request", request).status == 403);
  CHECK(w.Head() == before);

  visitor.csrf = right;
  Response asked = visitor.Post("/account-request", request);
  CHECK(asked.status == 303);
  CHECK(w.Head() > before);
  visitor.Get("/sign-in");
  CHECK(visitor.Post("/sign-in", {{"username", "p1user"}, {"password", kApiPassword}}).status == 303);
  CHECK_FALSE(visitor.session.empty());
}

}  // namespace
}  // namespace ledger::http::testing
