// Routing, authorization, problems, security headers, logs and metrics,
// all through HandleRequest with a toy route table.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <chrono>
#include <cstdlib>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "http_test_support.h"
#include "ledger/http/json_input.h"

namespace ledger::http {
namespace {

using testing::Body;
using testing::Make;
using testing::WithBearer;

std::vector<Route> ToyRoutes() {
  return {
      {"GET", "/api/v1/things/{id}", Access::For(core::Action::kViewClaim),
       [](Call& c) {
         return Response::Json(200, {{"id", c.Param("id")}, {"route", "param"}});
       }},
      {"GET", "/api/v1/things/special", Access::For(core::Action::kViewClaim),
       [](Call&) {
         return Response::Json(200, {{"route", "literal"}});
       }},
      {"POST", "/api/v1/things", Access::For(core::Action::kPrepareClaim),
       [](Call&) {
         return Response::Json(201, {{"created", true}});
       }},
      {"POST", "/api/v1/things/{id}/approve", Access::For(core::Action::kApproveTier1),
       [](Call&) {
         return Response::Json(200, {{"approved", true}});
       }},
      // The thing's owner is the practice named by the id, for the scope test.
      {"GET", "/api/v1/practices/{code}/things", Access::For(core::Action::kViewClaim),
       [](Call& c) {
         core::Scope scope;
         scope.provider_code = c.Param("code");
         scope.commissioner_code = "C1";
         if (auto hidden = c.AuthorizeScope(scope)) return *hidden;
         return Response::Json(200, {{"practice", c.Param("code")}});
       }},
      {"GET", "/api/v1/boom", Access::Public(),
       [](Call&) -> Response { throw std::runtime_error("rocksdb said: /var/secret/path is corrupt"); }},
      {"GET", "/api/v1/rejected", Access::Public(),
       [](Call&) {
         return ProblemResponse(core::Rejection::Invalid("claim_invalid", "The claim has problems.",
                                                         {{"period", "outside_window", "The period is closed."},
                                                          {"components.flu", "value_out_of_range",
                                                           "Enter a number between 0 and 5,000."}}));
       }},
  };
}

struct Fixture : testing::TestContext {
  Fixture() { context.AddRoutes(ToyRoutes()); }
  Response Get(const std::string& target, const std::string& token = "") {
    Request r = Make("GET", target);
    return HandleRequest(token.empty() ? r : WithBearer(r, token), context);
  }
};

TEST_CASE("an unknown path answers 404 with a problem body") {
  Fixture f;
  Response r = f.Get("/api/v1/nowhere");
  CHECK(r.status == 404);
  CHECK(r.Header("content-type") == "application/problem+json");
  auto body = Body(r).as_object();
  CHECK(body.at("type") == "/problems/not-found");
  CHECK(body.at("status") == 404);
  CHECK(!body.at("detail").as_string().empty());
}

TEST_CASE("a known path with the wrong method answers 405 and lists the allowed methods") {
  Fixture f;
  Response r = HandleRequest(Make("DELETE", "/api/v1/things"), f.context);
  CHECK(r.status == 405);
  CHECK(r.Header("allow") == "POST, OPTIONS");
  CHECK(r.Header("content-type") == "application/problem+json");
  CHECK(Body(r).at("type") == "/problems/method-not-allowed");
  Response session = HandleRequest(Make("PUT", "/api/v1/session"), f.context);
  CHECK(session.Header("allow") == "POST, DELETE, OPTIONS");
  Response thing = HandleRequest(Make("PATCH", "/api/v1/things/7"), f.context);
  CHECK(thing.status == 405);
  CHECK(thing.Header("allow") == "GET, HEAD, OPTIONS");
}

TEST_CASE("HEAD answers like GET, with the GET body's length and no body") {
  Fixture f;
  std::string token = testing::SignIn(f.context, "alice").token;
  REQUIRE(!token.empty());
  Response get = f.Get("/api/v1/things/7", token);
  Response head = HandleRequest(WithBearer(Make("HEAD", "/api/v1/things/7"), token), f.context);
  REQUIRE(get.status == 200);
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.Header("content-length") == std::to_string(get.body.size()));
  CHECK(head.Header("content-type") == get.Header("content-type"));
  CHECK(head.Header("cache-control") == get.Header("cache-control"));
  // Errors too: the same status as GET, without the problem body.
  Response anonymous = HandleRequest(Make("HEAD", "/api/v1/things/7"), f.context);
  CHECK(anonymous.status == 401);
  CHECK(anonymous.body.empty());
  CHECK(anonymous.Header("www-authenticate") == f.Get("/api/v1/things/7").Header("www-authenticate"));
  Response nowhere = HandleRequest(Make("HEAD", "/api/v1/nowhere"), f.context);
  CHECK(nowhere.status == 404);
  CHECK(nowhere.body.empty());
  // A path with no GET route has no HEAD either.
  Response post_only = HandleRequest(Make("HEAD", "/api/v1/things"), f.context);
  CHECK(post_only.status == 405);
  CHECK(post_only.Header("allow") == "POST, OPTIONS");
}

TEST_CASE("OPTIONS answers 204 with the path's methods in Allow, without a session; an unknown path is 404") {
  Fixture f;
  Response thing = HandleRequest(Make("OPTIONS", "/api/v1/things/7"), f.context);
  CHECK(thing.status == 204);
  CHECK(thing.body.empty());
  CHECK(thing.Header("allow") == "GET, HEAD, OPTIONS");
  CHECK(!thing.Header("x-request-id").empty());
  CHECK(HandleRequest(Make("OPTIONS", "/api/v1/session"), f.context).Header("allow") == "POST, DELETE, OPTIONS");
  CHECK(HandleRequest(Make("OPTIONS", "/api/v1/nowhere"), f.context).status == 404);
}

TEST_CASE("a route of parameters only still answers any path, but Allow and OPTIONS name only the real routes") {
  testing::TestContext t;
  auto answer = [](const char* who) { return [who](Call&) { return Response::Json(200, {{"route", who}}); }; };
  t.context.AddRoutes({{"GET", "/things/{id}", Access::Public(), answer("thing")},
                       {"GET", "/{a}/{b}", Access::Public(), answer("catch-all")},
                       {"POST", "/{a}/{b}", Access::Public(), answer("catch-all")}});
  CHECK(HandleRequest(Make("OPTIONS", "/things/7"), t.context).Header("allow") == "GET, HEAD, OPTIONS");
  Response patch = HandleRequest(Make("PATCH", "/things/7"), t.context);
  CHECK(patch.status == 405);
  CHECK(patch.Header("allow") == "GET, HEAD, OPTIONS");
  CHECK(Body(HandleRequest(Make("POST", "/things/7"), t.context)).at("route") == "catch-all");
  CHECK(Body(HandleRequest(Make("GET", "/other/7"), t.context)).at("route") == "catch-all");
  CHECK(HandleRequest(Make("OPTIONS", "/other/7"), t.context).status == 404);
  CHECK(HandleRequest(Make("PATCH", "/other/7"), t.context).status == 404);
}

TEST_CASE("a literal segment wins over a parameter, and parameters are percent-decoded") {
  Fixture f;
  std::string token = testing::SignIn(f.context, "alice").token;
  REQUIRE(!token.empty());
  CHECK(Body(f.Get("/api/v1/things/special", token)).at("route") == "literal");
  Response r = f.Get("/api/v1/things/a%20b?x=1", token);
  CHECK(Body(r).at("route") == "param");
  CHECK(Body(r).at("id") == "a b");
}

TEST_CASE("a protected route without credentials answers 401 and asks for a bearer token") {
  Fixture f;
  Response r = f.Get("/api/v1/things/1");
  CHECK(r.status == 401);
  CHECK(r.Header("www-authenticate").find("Bearer") == 0);
  CHECK(Body(r).at("type") == "/problems/unauthenticated");
  CHECK(f.Get("/api/v1/things/1", "not-a-real-token").status == 401);
}

TEST_CASE("authorization follows the core policy: a practice user prepares claims but cannot approve at Tier 1") {
  Fixture f;
  std::string alice = testing::SignIn(f.context, "alice").token;
  std::string tom = testing::SignIn(f.context, "tom").token;
  REQUIRE(!alice.empty());
  REQUIRE(!tom.empty());
  CHECK(HandleRequest(WithBearer(Make("POST", "/api/v1/things"), alice), f.context).status == 201);
  Response denied = HandleRequest(WithBearer(Make("POST", "/api/v1/things/7/approve"), alice), f.context);
  CHECK(denied.status == 403);
  CHECK(Body(denied).at("type") == "/problems/forbidden");
  CHECK(HandleRequest(WithBearer(Make("POST", "/api/v1/things/7/approve"), tom), f.context).status == 200);
  CHECK(HandleRequest(WithBearer(Make("POST", "/api/v1/things"), tom), f.context).status == 403);
}

TEST_CASE("another organisation's resource answers the same 404 as an unknown one") {
  Fixture f;
  std::string alice = testing::SignIn(f.context, "alice").token;
  CHECK(f.Get("/api/v1/practices/P1/things", alice).status == 200);
  Response other = f.Get("/api/v1/practices/P2/things", alice);
  Response unknown = f.Get("/api/v1/no/such/thing", alice);
  CHECK(other.status == 404);
  CHECK(unknown.status == 404);
  CHECK(testing::SameAnswer(other.body) == testing::SameAnswer(unknown.body));
  // The commissioner's approver sees every practice of the commissioner.
  std::string tom = testing::SignIn(f.context, "tom").token;
  CHECK(f.Get("/api/v1/practices/P2/things", tom).status == 200);
}

TEST_CASE("an exception in a handler becomes a 500 problem that reveals nothing, and one log line") {
  Fixture f;
  Response r = f.Get("/api/v1/boom");
  CHECK(r.status == 500);
  CHECK(Body(r).at("type") == "/problems/internal");
  CHECK(r.body.find("rocksdb") == std::string::npos);
  CHECK(r.body.find("secret") == std::string::npos);
  REQUIRE(f.logs.size() == 1);
  CHECK(f.logs[0].status == 500);
  CHECK(f.logs[0].route == "/api/v1/boom");
  CHECK(f.logs[0].note.find("corrupt") != std::string::npos);
  CHECK(r.Header("x-request-id") == f.logs[0].request_id);
}

TEST_CASE("every response carries the security headers") {
  Fixture f;
  std::string alice = testing::SignIn(f.context, "alice").token;
  for (const Response& r : {f.Get("/api/v1/nowhere"), f.Get("/api/v1/things/1"), f.Get("/api/v1/things/1", alice),
                            f.Get("/api/v1/boom"), f.Get("/healthz")}) {
    CAPTURE(r.status);
    CHECK(r.Header("content-security-policy") ==
          "default-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'");
    CHECK(r.Header("permissions-policy") == "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
    CHECK(r.Header("x-content-type-options") == "nosniff");
    CHECK(r.Header("referrer-policy") == "no-referrer");
    CHECK(r.Header("cache-control") == "no-store");
    CHECK(r.Header("x-request-id").size() == 16);
  }
}

TEST_CASE("a domain rejection becomes a validation problem listing every field error") {
  Fixture f;
  Response r = f.Get("/api/v1/rejected");
  CHECK(r.status == 400);
  auto body = Body(r).as_object();
  CHECK(body.at("type") == "/problems/validation");
  CHECK(body.at("code") == "claim_invalid");
  CHECK(body.at("detail") == "The claim has problems.");
  CHECK(testing::ErrorCodes(r) ==
        std::vector<std::string>{"period:outside_window", "components.flu:value_out_of_range"});
}

TEST_CASE("rejection kinds map to 403, 404 and 409 with their codes") {
  CHECK(FromRejection(core::Rejection::Forbidden("separation_of_duties", "x")).status == 403);
  CHECK(FromRejection(core::Rejection::NotFound("no_claim", "x")).status == 404);
  Problem conflict = FromRejection(core::Rejection::Conflict("not_submitted", "Submit it first."));
  CHECK(conflict.status == 409);
  CHECK(conflict.type == "/problems/conflict");
  CHECK(conflict.code == "not_submitted");
}

TEST_CASE("store statuses map to stable problem types and never show the store's message") {
  struct Case {
    es::Status status;
    int http;
    const char* type;
  };
  std::vector<Case> cases = {
      {es::Status::Conflict("stream claim-1 is at version 3"), 409, "/problems/conflict"},
      {es::Status::NotFound("no stream claim-9"), 404, "/problems/not-found"},
      {es::Status::Invalid("payload too big for key x"), 400, "/problems/validation"},
      {es::Status::IdempotencyMismatch("cmd abc reused"), 422, "/problems/idempotency-key-reused"},
      {es::Status::Corruption("hash chain broken at 17"), 500, "/problems/internal"},
      {es::Status::IoError("fsync /data/000012.log: EIO"), 503, "/problems/storage-unavailable"},
      {es::Status::Busy("LOCK held by pid 4242"), 503, "/problems/unavailable"},
  };
  for (const auto& c : cases) {
    Response r = ProblemResponse(c.status);
    CAPTURE(c.type);
    CHECK(r.status == c.http);
    CHECK(Body(r).at("type") == c.type);
    CHECK(r.body.find(c.status.message()) == std::string::npos);
  }
}

TEST_CASE("one log line per request names the route pattern and never a password, token or body") {
  Fixture f;
  testing::SignedIn s = testing::SignIn(f.context, "alice");
  Request cookie = Make("GET", "/api/v1/things/42");
  cookie.headers.emplace_back("Cookie", "ledger_session=" + s.token);
  HandleRequest(cookie, f.context);
  REQUIRE(f.logs.size() == 2);
  CHECK(f.logs[0].route == "/api/v1/session");
  CHECK(f.logs[0].status == 201);
  CHECK(f.logs[1].route == "/api/v1/things/{id}");
  CHECK(f.logs[1].username == "alice");
  for (const auto& line : f.logs) {
    CHECK(line.at == f.now);
    const std::string text = FormatLogLine(line);
    CHECK(text.find(testing::kPassword) == std::string::npos);
    CHECK(text.find(s.token) == std::string::npos);
  }
}

TEST_CASE("a log line is one JSON object: time to the millisecond, a level, the client and a decimal duration") {
  RequestLogLine line;
  line.at = 1'794'700'800'123'456;
  line.request_id = "7f3a";
  line.client = "192.0.2.7";
  line.method = "GET";
  line.route = "/api/v1/things/{id}";
  line.status = 200;
  line.duration_ms = 0.0123;
  line.username = "alice";
  const std::string text = FormatLogLine(line);
  CHECK(text.find('\n') == std::string::npos);
  CHECK(text.find("\"duration_ms\":0.012") != std::string::npos);  // a decimal, never 1.23E-2
  boost::json::object o = boost::json::parse(text).as_object();
  CHECK(o.at("ts") == "2026-11-15T00:00:00.123Z");
  CHECK(o.at("level") == "info");
  CHECK(o.at("client") == "192.0.2.7");
  CHECK(o.at("route") == "/api/v1/things/{id}");
  CHECK(o.at("status") == 200);
  CHECK(o.at("user") == "alice");
  CHECK_FALSE(o.contains("note"));
  line.status = 503;
  line.note = "storage \"unavailable\"";
  o = boost::json::parse(FormatLogLine(line)).as_object();
  CHECK(o.at("level") == "error");
  CHECK(o.at("note") == "storage \"unavailable\"");
  line.status = 0;  // a note of the server's own
  CHECK(boost::json::parse(FormatLogLine(line)).at("level") == "warn");
  // A request's line carries its client's address.
  Fixture f;
  Request r = Make("GET", "/api/v1/things/1");
  r.remote_address = "198.51.100.4";
  HandleRequest(r, f.context);
  REQUIRE_FALSE(f.logs.empty());
  CHECK(f.logs.back().client == "198.51.100.4");
}

TEST_CASE("metrics count requests by route pattern and status and render Prometheus text") {
  Fixture f;
  std::string alice = testing::SignIn(f.context, "alice").token;
  f.Get("/api/v1/things/1", alice);
  f.Get("/api/v1/things/2", alice);
  f.Get("/api/v1/nowhere");
  double appends = 41;
  f.context.metrics.AddCounter("ledger_appends_total", "Events appended.", [&] { return appends + 1; });
  f.context.metrics.AddHistogram("ledger_fsync_batch_size", "Commands per fsync.", {1, 8, 64}).Observe(5);
  std::string text = HandleRequest(Make("GET", "/metrics"), f.context).body;
  CHECK(text.find("ledger_http_requests_total{method=\"GET\",route=\"/api/v1/things/{id}\",status=\"200\"} 2") !=
        std::string::npos);
  CHECK(text.find("ledger_http_requests_total{method=\"GET\",route=\"-\",status=\"404\"} 1") != std::string::npos);
  CHECK(text.find("ledger_http_request_duration_seconds_count{route=\"/api/v1/things/{id}\"} 2") != std::string::npos);
  CHECK(text.find("# TYPE ledger_appends_total counter\nledger_appends_total 42\n") != std::string::npos);
  CHECK(text.find("ledger_fsync_batch_size_bucket{le=\"8\"} 1") != std::string::npos);
  CHECK(text.find("ledger_fsync_batch_size_bucket{le=\"1\"} 0") != std::string::npos);
}

TEST_CASE("requests with made-up methods are counted as one series, method=\"other\"") {
  Fixture f;
  for (int i = 0; i < 500; ++i) HandleRequest(Make("BREW" + std::to_string(i), "/api/v1/things/1"), f.context);
  std::string text = HandleRequest(Make("GET", "/metrics"), f.context).body;
  CHECK(text.find("BREW") == std::string::npos);
  CHECK(text.find("method=\"other\",route=\"-\"") != std::string::npos);
  size_t series = 0;
  for (size_t at = text.find("ledger_http_requests_total{"); at != std::string::npos;
       at = text.find("ledger_http_requests_total{", at + 1))
    ++series;
  CHECK(series <= 3);  // "other", and the GET of /metrics itself, whatever the 500 methods were
}

// The value of the unlabelled series `name` in Prometheus text; -1 when absent.
double SeriesValue(const std::string& text, const std::string& name) {
  size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::strtod(text.c_str() + at + name.size() + 2, nullptr);
}

TEST_CASE("the process's own metrics read /proc as Prometheus' clients name them, and the build is labelled") {
  Fixture f;
  AddProcessMetrics(f.context.metrics, "9.8.7");
  std::string text = HandleRequest(Make("GET", "/metrics"), f.context).body;
  CHECK(SeriesValue(text, "process_resident_memory_bytes") > 1 << 20);
  CHECK(SeriesValue(text, "process_virtual_memory_bytes") >= SeriesValue(text, "process_resident_memory_bytes"));
  CHECK(SeriesValue(text, "process_open_fds") >= 3);
  CHECK(SeriesValue(text, "process_max_fds") >= SeriesValue(text, "process_open_fds"));
  CHECK(SeriesValue(text, "process_cpu_seconds_total") >= 0);  // present; a young process may have used under a tick
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const double start = SeriesValue(text, "process_start_time_seconds");
  CHECK(start > now - 24 * 3600);
  CHECK(start <= now + 1);
  CHECK(text.find("# TYPE process_cpu_seconds_total counter\n") != std::string::npos);
  CHECK(text.find("\nledger_build_info{version=\"9.8.7\"} 1\n") != std::string::npos);
}

TEST_CASE("the server's own lines (start-up, shutdown) are JSON in the request log's format") {
  const std::string line = FormatEventLine(1'796'000'000'123'456, "info", "started",
                                           boost::json::object{{"listen", "127.0.0.1:8080"}, {"log_head", 42}});
  boost::json::value v = boost::json::parse(line);
  CHECK(v.at("ts").as_string() == "2026-11-30T00:53:20.123Z");
  CHECK(v.at("level").as_string() == "info");
  CHECK(v.at("event").as_string() == "started");
  CHECK(v.at("listen").as_string() == "127.0.0.1:8080");
  CHECK(v.at("log_head").to_number<int>() == 42);
  CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("every problem answer names its occurrence, and every problem type has a page saying what it means") {
  Fixture f;
  Response missing = f.Get("/api/v1/nowhere");
  REQUIRE(missing.status == 404);
  boost::json::value problem = boost::json::parse(missing.body);
  CHECK(problem.at("instance").as_string() == "urn:ledger:request:" + std::string(missing.Header("X-Request-Id")));
  const std::string type(problem.at("type").as_string());

  std::set<std::string_view> names;
  for (const ProblemType& t : ProblemTypes()) {
    CAPTURE(t.name);
    CHECK(names.insert(t.name).second);
    Response page = f.Get("/problems/" + std::string(t.name));
    CHECK(page.status == 200);
    CHECK(page.Header("Content-Type") == "text/html; charset=utf-8");
    CHECK(page.body.find("<h1>" + std::string(t.title) + "</h1>") != std::string::npos);
    CHECK(page.body.find("HTTP status " + std::to_string(t.status)) != std::string::npos);
    CHECK(page.body.find("<token>") == std::string::npos);  // escaped
  }
  CHECK(names.contains(std::string_view(type).substr(10)));  // "/problems/not-found": its page exists
  CHECK(f.Get("/problems/no-such-thing").status == 404);
}

TEST_CASE("health answers ok without signing in") {
  Fixture f;
  Response r = f.Get("/healthz");
  CHECK(r.status == 200);
  CHECK(Body(r).at("status") == "ok");
}

TEST_CASE("a duplicate route is refused when the table is built") {
  Fixture f;
  CHECK_THROWS_AS(f.context.AddRoutes(ToyRoutes()), std::invalid_argument);
}

TEST_CASE("a page route is asked the same questions as an API route and answers its refusals by its hooks") {
  Fixture f;
  auto hooks = std::make_shared<const PageHooks>(
      PageHooks{[](Call&, Refusal refusal) { return Response::Text(299, std::to_string(static_cast<int>(refusal))); },
                [](const Request& r) { return std::string(r.Header("x-form-csrf")); }});
  auto ok = [](Call& c) { return Response::Text(200, c.principal().username); };
  f.context.AddRoutes({{"POST", "/approve", Access::Page(core::Action::kApproveTier1), ok, 0, hooks},
                       {"GET", "/home", Access::SignedInPage(), ok, 0, hooks}});
  auto refusal = [](Refusal r) { return std::to_string(static_cast<int>(r)); };
  Response signed_out = HandleRequest(Make("GET", "/home"), f.context);
  CHECK(signed_out.status == 299);
  CHECK(signed_out.body == refusal(Refusal::kSignedOut));
  Request ended = Make("GET", "/home");
  ended.headers.emplace_back("Cookie", "ledger_session=ended");
  CHECK(HandleRequest(ended, f.context).body == refusal(Refusal::kExpired));

  testing::SignedIn alice = testing::SignIn(f.context, "alice");
  testing::SignedIn tom = testing::SignIn(f.context, "tom");
  auto post = [&](const testing::SignedIn& who, const std::string& csrf) {
    Request r = Make("POST", "/approve");
    r.headers.emplace_back("Cookie", "ledger_session=" + who.token);
    r.headers.emplace_back("X-Form-Csrf", csrf);
    return HandleRequest(r, f.context);
  };
  CHECK(post(tom, "").body == refusal(Refusal::kCsrf));
  CHECK(post(tom, alice.csrf).body == refusal(Refusal::kCsrf));  // another session's token
  CHECK(post(alice, alice.csrf).body == refusal(Refusal::kForbidden));
  Response approved = post(tom, tom.csrf);
  CHECK(approved.status == 200);
  CHECK(approved.body == "tom");
  // A page route without its hooks cannot be added.
  CHECK_THROWS_AS(f.context.AddRoutes({{"GET", "/bare", Access::SignedInPage(), ok}}), std::invalid_argument);
}

TEST_CASE("body limits come from the route, else the default") {
  Fixture f;
  f.context.AddRoutes({{"PUT", "/api/v1/things/{id}/evidence", Access::For(core::Action::kPrepareClaim),
                        [](Call&) { return Response::NoContent(); }, 10 * kMiB}});
  CHECK(f.context.BodyLimit("PUT", "/api/v1/things/3/evidence") == 10 * kMiB);
  CHECK(f.context.BodyLimit("POST", "/api/v1/things") == 1 * kMiB);
  CHECK(f.context.BodyLimit("POST", "/nowhere") == 1 * kMiB);
}

}  // namespace
}  // namespace ledger::http
