// Passwords, sign-in, sessions, throttling and CSRF through HandleRequest.
#include <doctest/doctest.h>

#include "http_test_support.h"
#include "ledger/base/sha256.h"

namespace ledger::http {
namespace {

using testing::Body;
using testing::Make;
using testing::WithBearer;

Request SignInRequest(const std::string& username, const std::string& password) {
  return Make("POST", "/api/v1/session", R"({"username":")" + username + R"(","password":")" + password + R"("})");
}

struct Fixture : testing::TestContext {
  Fixture() {
    context.AddRoutes({{"POST", "/api/v1/things", Access::For(core::Action::kPrepareClaim), [](Call& c) {
                          return Response::Json(201, {{"by", c.principal().username}});
                        }}});
  }
  Response Me(const std::string& token) { return HandleRequest(WithBearer(Make("GET", "/api/v1/me"), token), context); }
};

TEST_CASE("passwords are hashed with Argon2id and verify only with the right password") {
  std::string hash = app::HashPassword("s3cret", app::PasswordCost::kMinimum);
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  CHECK(hash != app::HashPassword("s3cret", app::PasswordCost::kMinimum));  // salted
  CHECK(app::VerifyPassword(hash, "s3cret"));
  CHECK_FALSE(app::VerifyPassword(hash, "s3cret "));
  CHECK_FALSE(app::VerifyPassword("not a hash", "s3cret"));
  CHECK_FALSE(app::VerifyPassword("", ""));
}

TEST_CASE("the interactive cost is the production default") {
  std::string hash = app::HashPassword("s3cret");
  CHECK(hash.find("m=65536") != std::string::npos);  // crypto_pwhash_MEMLIMIT_INTERACTIVE: 64 MiB
  CHECK(app::VerifyPassword(hash, "s3cret"));
}

TEST_CASE("signing in returns a token, a CSRF token and an HttpOnly SameSite=Strict cookie") {
  Fixture f;
  Response r = HandleRequest(SignInRequest("alice", testing::kPassword), f.context);
  REQUIRE(r.status == 201);
  auto body = Body(r).as_object();
  std::string token(body.at("token").as_string());
  CHECK(token.size() == 64);
  CHECK(body.at("csrf_token").as_string().size() == 64);
  CHECK(body.at("idle_timeout_seconds") == 1800);
  std::string cookie(r.Header("set-cookie"));
  CHECK(cookie.rfind("ledger_session=" + token + ";", 0) == 0);
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(cookie.find("Secure") == std::string::npos);
  CHECK(f.Me(token).status == 200);

  Request tls = SignInRequest("alice", testing::kPassword);
  tls.tls = true;
  CHECK(std::string(HandleRequest(tls, f.context).Header("set-cookie")).find("; Secure") != std::string::npos);
}

TEST_CASE("an unknown username and a wrong password get identical answers") {
  Fixture f;
  Response unknown = HandleRequest(SignInRequest("mallory", testing::kPassword), f.context);
  Response wrong = HandleRequest(SignInRequest("alice", "guess"), f.context);
  CHECK(unknown.status == 401);
  CHECK(wrong.status == 401);
  CHECK(testing::SameAnswer(unknown.body) == testing::SameAnswer(wrong.body));
  CHECK(Body(unknown).at("type") == "/problems/sign-in-failed");
  CHECK(unknown.Header("set-cookie").empty());
}

TEST_CASE("a disabled account cannot sign in and its open session stops working at once") {
  Fixture f;
  std::string token = testing::SignIn(f.context, "alice").token;
  REQUIRE(f.Me(token).status == 200);
  f.accounts.SetActive("alice", false);
  CHECK(f.Me(token).status == 401);
  Response r = HandleRequest(SignInRequest("alice", testing::kPassword), f.context);
  CHECK(r.status == 401);
  CHECK(testing::SameAnswer(r.body) ==
        testing::SameAnswer(HandleRequest(SignInRequest("nobody", "x"), f.context).body));
}

TEST_CASE("a sign-in body is read strictly") {
  Fixture f;
  Response r = HandleRequest(Make("POST", "/api/v1/session", R"({"username":"alice","pasword":"x"})"), f.context);
  CHECK(r.status == 400);
  CHECK(testing::ErrorCodes(r) == std::vector<std::string>{"password:required", "pasword:unknown_field"});
}

TEST_CASE("a session ends after the idle limit") {
  Fixture f;
  std::string token = testing::SignIn(f.context, "alice").token;
  f.Advance(std::chrono::minutes(29));
  CHECK(f.Me(token).status == 200);  // activity refreshes the idle timer
  f.Advance(std::chrono::minutes(29));
  CHECK(f.Me(token).status == 200);
  f.Advance(std::chrono::minutes(30));
  Response r = f.Me(token);
  CHECK(r.status == 401);
  CHECK(Body(r).at("detail").as_string().find("expired") != std::string::npos);
}

TEST_CASE("a session ends after the absolute limit however active it is") {
  Fixture f;
  std::string token = testing::SignIn(f.context, "alice").token;
  for (int i = 0; i < 12 * 4 - 1; ++i) {  // every 15 minutes for just under 12 hours
    f.Advance(std::chrono::minutes(15));
    REQUIRE(f.Me(token).status == 200);
  }
  f.Advance(std::chrono::minutes(15));
  CHECK(f.Me(token).status == 401);
}

TEST_CASE("session limits are configurable") {
  SessionStore store(SessionOptions{std::chrono::seconds(10), std::chrono::seconds(100)});
  auto issued = store.Create("alice", 0);
  CHECK(store.Touch(issued.token, 9'000'000).has_value());
  CHECK_FALSE(store.Touch(issued.token, 19'000'001).has_value());
  CHECK(store.Sweep(20'000'000) == 0);
}

TEST_CASE("signing out ends the session and clears the cookie") {
  Fixture f;
  std::string token = testing::SignIn(f.context, "alice").token;
  Response r = HandleRequest(WithBearer(Make("DELETE", "/api/v1/session"), token), f.context);
  CHECK(r.status == 204);
  CHECK(std::string(r.Header("set-cookie")).find("Max-Age=0") != std::string::npos);
  CHECK(f.Me(token).status == 401);
}

TEST_CASE("GET /me shows the person, organisation, roles and the permissions the policy grants") {
  Fixture f;
  Response r = f.Me(testing::SignIn(f.context, "alice").token);
  REQUIRE(r.status == 200);
  auto body = Body(r).as_object();
  CHECK(body.at("username") == "alice");
  CHECK(body.at("organisation").at("code") == "P1");
  CHECK(body.at("organisation").at("kind") == "practice");
  CHECK(body.at("roles").as_array() == boost::json::array{"provider_user"});
  const auto& permissions = body.at("permissions").as_array();
  CHECK(std::find(permissions.begin(), permissions.end(), boost::json::value("submit_claim")) != permissions.end());
  CHECK(std::find(permissions.begin(), permissions.end(), boost::json::value("approve_tier1")) == permissions.end());
}

TEST_CASE("after five failures within the window, the sixth attempt is throttled and the fifth is not") {
  Fixture f;
  for (int i = 1; i <= 4; ++i) CHECK(HandleRequest(SignInRequest("alice", "guess"), f.context).status == 401);
  // The fifth attempt, after four failures, is still answered...
  CHECK(HandleRequest(SignInRequest("alice", "guess"), f.context).status == 401);
  // ...but the sixth, right after five failures, must wait, even with the right password.
  Response slowed = HandleRequest(SignInRequest("alice", testing::kPassword), f.context);
  CHECK(slowed.status == 429);
  CHECK(slowed.Header("retry-after") == "1");
  CHECK(Body(slowed).at("type") == "/problems/too-many-requests");
  f.Advance(std::chrono::seconds(1));
  CHECK(HandleRequest(SignInRequest("alice", "guess"), f.context).status == 401);  // the sixth failure
  f.Advance(std::chrono::seconds(1));
  Response doubled = HandleRequest(SignInRequest("alice", testing::kPassword), f.context);
  CHECK(doubled.status == 429);  // 2 s after the sixth failure
  CHECK(doubled.Header("retry-after") == "1");
  f.Advance(std::chrono::seconds(1));
  CHECK(HandleRequest(SignInRequest("alice", testing::kPassword), f.context).status == 201);
}

TEST_CASE("five failures from one address throttle that address's sixth attempt, four do not") {
  Fixture f;
  for (int i = 0; i < 4; ++i) HandleRequest(SignInRequest("user" + std::to_string(i), "guess"), f.context);
  CHECK(HandleRequest(SignInRequest("user4", "guess"), f.context).status == 401);
  CHECK(HandleRequest(SignInRequest("tom", testing::kPassword), f.context).status == 429);
}

TEST_CASE("an unknown username is slowed exactly like a real one, so throttling reveals nothing") {
  Fixture f;
  auto attempt = [&](const std::string& username, int from) {
    Request r = SignInRequest(username, "guess");
    r.remote_address = "10.0.0." + std::to_string(from);  // a new address each time: only the account counts
    return HandleRequest(r, f.context);
  };
  for (int i = 0; i < 5; ++i) {
    CHECK(attempt("alice", i).status == 401);
    CHECK(attempt("mallory", i).status == 401);
  }
  Response real = attempt("alice", 99);
  Response unknown = attempt("mallory", 99);
  CHECK(real.status == 429);
  CHECK(unknown.status == 429);
  CHECK(testing::SameAnswer(real.body) == testing::SameAnswer(unknown.body));
  CHECK(real.Header("retry-after") == unknown.Header("retry-after"));
}

TEST_CASE("past 100,000 remembered failures the stale ones are swept, and fresh ones still throttle") {
  SignInThrottle throttle;
  const Micros start = 1'794'700'800'000'000;
  const Micros later = start + 16LL * 60 * 1'000'000;  // past the 15-minute window
  for (int i = 0; i < 60'000; ++i) throttle.RecordFailure("u" + std::to_string(i), "a" + std::to_string(i), start);
  // 120,000 entries: the next failure sweeps every stale one...
  throttle.RecordFailure("fresh", "203.0.113.9", later);
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("fresh", "203.0.113.9", later);
  // ...and keeps the fresh ones: six failures of one account throttle it.
  CHECK(throttle.Wait("fresh", "198.51.100.1", later).count() > 0);
  CHECK(throttle.Wait("u1", "a1", later).count() == 0);
  // Fresh entries past the limit are kept too (swept again only once the map has doubled).
  for (int i = 0; i < 150'000; ++i)
    throttle.RecordFailure("v" + std::to_string(i), "b" + std::to_string(i % 1000), later);
  for (int i = 0; i < 6; ++i) throttle.RecordFailure("w", "192.0.2.77", later);
  CHECK(throttle.Wait("w", "198.51.100.1", later).count() > 0);
  CHECK(throttle.Wait("v7", "198.51.100.1", later).count() == 0);  // one failure: free to try
}

TEST_CASE("failures are forgotten once the window passes") {
  Fixture f;
  for (int i = 0; i < 6; ++i) HandleRequest(SignInRequest("alice", "guess"), f.context);
  f.Advance(std::chrono::minutes(15));
  CHECK(HandleRequest(SignInRequest("alice", testing::kPassword), f.context).status == 201);
}

TEST_CASE("many failures from one address slow that address for every username") {
  Fixture f;
  for (int i = 0; i < 6; ++i) {
    HandleRequest(SignInRequest("user" + std::to_string(i), "guess"), f.context);
  }
  CHECK(HandleRequest(SignInRequest("tom", testing::kPassword), f.context).status == 429);
  Request elsewhere = SignInRequest("tom", testing::kPassword);
  elsewhere.remote_address = "203.0.113.5";
  CHECK(HandleRequest(elsewhere, f.context).status == 201);
}

TEST_CASE("a cookie-authenticated change needs the session's CSRF token; a bearer request does not") {
  Fixture f;
  testing::SignedIn s = testing::SignIn(f.context, "alice");
  auto with_cookie = [&](Request r) {
    r.headers.emplace_back("Cookie", "theme=dark; ledger_session=" + s.token);
    return r;
  };
  Response missing = HandleRequest(with_cookie(Make("POST", "/api/v1/things")), f.context);
  CHECK(missing.status == 403);
  CHECK(Body(missing).at("type") == "/problems/csrf");

  Request wrong = with_cookie(Make("POST", "/api/v1/things"));
  wrong.headers.emplace_back("X-CSRF-Token", std::string(64, 'a'));
  CHECK(HandleRequest(wrong, f.context).status == 403);

  Request header = with_cookie(Make("POST", "/api/v1/things"));
  header.headers.emplace_back("X-CSRF-Token", s.csrf);
  CHECK(HandleRequest(header, f.context).status == 201);

  Request form = with_cookie(
      Make("POST", "/api/v1/things", "note=hi&csrf_token=" + s.csrf, "application/x-www-form-urlencoded"));
  CHECK(HandleRequest(form, f.context).status == 201);

  // Reads need no token, and bearer requests never do.
  CHECK(HandleRequest(with_cookie(Make("GET", "/api/v1/me")), f.context).status == 200);
  CHECK(HandleRequest(WithBearer(Make("POST", "/api/v1/things"), s.token), f.context).status == 201);

  // Another session's CSRF token does not fit this session.
  testing::SignedIn other = testing::SignIn(f.context, "alice");
  Request crossed = with_cookie(Make("POST", "/api/v1/things"));
  crossed.headers.emplace_back("X-CSRF-Token", other.csrf);
  CHECK(HandleRequest(crossed, f.context).status == 403);
}

TEST_CASE("tokens are random and only their hash identifies the session") {
  SessionStore store;
  auto a = store.Create("alice", 0);
  auto b = store.Create("alice", 0);
  CHECK(a.token != b.token);
  CHECK(store.Touch(a.token, 1).has_value());
  CHECK_FALSE(store.Touch(base::Sha256Hex(a.token), 1).has_value());
  store.Revoke(a.token);
  CHECK_FALSE(store.Touch(a.token, 2).has_value());
  CHECK(store.Touch(b.token, 2).has_value());
}

}  // namespace
}  // namespace ledger::http
