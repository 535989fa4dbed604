// Routing: the route table, the per-request Call and HandleRequest.
//
// A route is one row {method, pattern, access, handler}. Patterns are paths
// whose segments are literals or "{name}" parameters ("/api/v1/claims/{id}").
// Access says who may call it: anyone, anyone signed in, or whoever
// core::Authorize allows to perform a core::Action. The router authenticates,
// authorizes, checks CSRF and catches exceptions; handlers never look at roles.
// The API and the portal share the table: a portal page is a route whose
// access is a page variant (Access::Page), refused in HTML by its PageHooks
// (a signed-out visitor is sent to sign in) instead of with problem JSON.
//
// Adding a route:
//   Response GetClaim(Call& call) { ... call.Param("id") ... }
//   routes.push_back({"GET", "/api/v1/claims/{id}", Access::For(core::Action::kViewClaim), GetClaim});
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/app/credentials.h"
#include "ledger/core/access.h"
#include "ledger/http/auth.h"
#include "ledger/http/message.h"
#include "ledger/http/metrics.h"
#include "ledger/http/problem.h"

namespace ledger::http {

class Call;
using Handler = std::function<Response(Call&)>;

// Who may call a route. A page (a portal route) is asked the same questions
// as an API route; only its refusals differ (see PageHooks).
struct Access {
  enum class Kind { kPublic, kSignedIn, kAction };
  Kind kind = Kind::kSignedIn;
  core::Action action{};  // for kAction
  bool page = false;      // refusals are answered by the route's PageHooks

  static Access Public() { return {Kind::kPublic, {}, false}; }
  static Access SignedIn() { return {Kind::kSignedIn, {}, false}; }
  static Access For(core::Action action) { return {Kind::kAction, action, false}; }
  static Access SignedInPage() { return {Kind::kSignedIn, {}, true}; }
  // A page anyone may open (signing in, requesting an account); its forms
  // carry a CSRF token all the same (Call::CsrfToken).
  static Access PublicPage() { return {Kind::kPublic, {}, true}; }
  static Access Page(core::Action action) { return {Kind::kAction, action, true}; }
};

// Why the router refused a request to a page before its handler ran.
enum class Refusal {
  kSignedOut,  // no session was presented
  kExpired,    // a session was presented but has ended (or its account is disabled)
  kCsrf,       // a write without its CSRF token (Call::CsrfToken)
  kForbidden,  // the person's roles do not allow the route's action
};

// What a page route adds to the router: how it answers a refusal (the portal
// sends a signed-out visitor to sign in, and shows its HTML error pages) and
// where its forms carry the CSRF token. Both REQUIRED and thread-safe.
struct PageHooks {
  std::function<Response(Call&, Refusal)> refuse;
  // The csrf_token field of the request's form ("" when none).
  std::function<std::string(const Request&)> form_csrf;
};

inline constexpr std::size_t kKiB = 1024;
inline constexpr std::size_t kMiB = 1024 * 1024;

struct Route {
  std::string method;   // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string pattern;  // "/api/v1/claims/{id}"
  Access access;
  Handler handler;
  // Largest request body accepted; 0 means RouterOptions::default_body_limit.
  // The server answers 413 before reading a body declared larger.
  std::size_t body_limit = 0;
  // REQUIRED when access.page; shared by the routes of one portal.
  std::shared_ptr<const PageHooks> page_hooks = nullptr;
  // Answered on the connection's I/O thread, without the hand-off to a
  // handler pool and back: only for reads that take a few point reads of
  // memory-resident data (a claim by id, the caller, health), never for work
  // that can wait on a lock, a scan, the disk or the network.
  bool quick = false;
};

// `route`, answered on the I/O thread (Route::quick).
inline Route Quick(Route route) {
  route.quick = true;
  return route;
}

struct RouterOptions {
  std::size_t default_body_limit = 1 * kMiB;
  SessionOptions sessions;
  ThrottleOptions throttle;
  app::PasswordCost dummy_hash_cost = app::PasswordCost::kInteractive;  // match the cost of real hashes
};

// One line per request, handed to Context::log. Carries no body, header value,
// token or cookie.
struct RequestLogLine {
  Micros at = 0;  // when the request arrived (wall clock, UTC)
  std::string request_id;
  std::string client;  // the peer's address ("" when unknown)
  std::string method;
  std::string route;  // the pattern, or "-" when nothing matched
  int status = 0;     // 0: a note of the server's own, not an answer
  double duration_ms = 0;
  std::string username;  // "" when anonymous
  std::string note;      // e.g. the exception text of a 500 (for the log only)
};
// A line as one JSON object: {"ts" (RFC 3339, UTC, milliseconds), "level"
// ("error" for a 5xx answer, "warn" for a note of the server's own, else
// "info"), "request_id", "client", "method", "route", "status", "duration_ms"
// (a decimal, to the microsecond), "user" and "note" when set}.
std::string FormatLogLine(const RequestLogLine& line);
// The default sink: FormatLogLine on stderr, one line each.
void LogToStderr(const RequestLogLine& line);
// A line of the server's own life (start-up, shutdown) in the same format:
// {"ts", "level", "event", then `fields`}. Never give it a secret.
std::string FormatEventLine(Micros at, std::string_view level, std::string_view event,
                            const boost::json::object& fields);

// What GET /healthz reports beyond "the process answers".
struct HealthCheck {
  bool healthy = true;                     // false: /healthz answers 503
  std::string status = "ok";               // the body's "status", e.g. "damaged"
  std::optional<boost::json::object> log;  // the body's "log" (bodies::Health)
};

// Everything HandleRequest needs, shared by all requests. Build one at start-up,
// add routes, set accounts, then treat as read-only (the members are themselves
// thread-safe). Handlers reach application state through their own captures.
class Context {
 public:
  explicit Context(RouterOptions options = {});
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // Adds routes. REQUIRES before serving; a duplicate (method, pattern) throws
  // std::invalid_argument.
  void AddRoutes(std::vector<Route> routes);
  // The route matched by method and path, if any (used by the server to pick a
  // body limit from the header alone).
  const Route* Match(std::string_view method, std::string_view path) const;
  std::size_t BodyLimit(std::string_view method, std::string_view path) const;
  std::size_t BodyLimit(const Route* route) const;  // of a route Match found (nullptr: none)
  const std::vector<Route>& routes() const { return routes_; }
  const RouterOptions& options() const { return options_; }

  const app::AccountDirectory* accounts = nullptr;  // REQUIRED for signed-in routes
  SessionStore sessions;
  SignInThrottle throttle;
  Metrics metrics;
  std::function<Micros()> now;                     // defaults to the system clock
  std::function<void(const RequestLogLine&)> log;  // defaults to LogToStderr
  // The policy; core::Authorize unless a test replaces it.
  std::function<core::AccessDecision(const core::Principal&, core::Action, const core::Scope&)> authorize;
  std::string dummy_password_hash;      // verified against when a username is unknown
  std::function<HealthCheck()> health;  // optional; must be thread-safe

 private:
  friend Response HandleRequest(const Request& request, Context& context);
  struct Matched {
    const Route* route = nullptr;
    std::map<std::string, std::string, std::less<>> params;
    std::string allow;  // methods for 405 when route == nullptr and the path exists
  };
  Matched Find(std::string_view method, std::string_view path) const;

  RouterOptions options_;
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> route_segments_;  // routes_[i].pattern split on '/', once
  // The routes of each method and number of segments, in the order added:
  // only they can match a path of that method and length.
  std::map<std::pair<std::string, std::size_t>, std::vector<std::size_t>> by_shape_;
};

// How the caller proved who they are.
enum class AuthMethod { kNone, kBearer, kCookie };

// One request as a handler sees it.
class Call {
 public:
  Call(const Request& request, Context& context, const Route& route,
       std::map<std::string, std::string, std::less<>> params);

  const Request& request() const { return request_; }
  Context& context() { return context_; }
  const Route& route() const { return route_; }
  // A path parameter ("{id}"), percent-decoded; "" when the pattern has none.
  const std::string& Param(std::string_view name) const;
  std::string Query(std::string_view name) const { return request_.Query(name); }

  // The signed-in principal. REQUIRES signed_in() (always so on non-public routes).
  const core::Principal& principal() const { return *principal_; }
  bool signed_in() const { return principal_.has_value(); }
  AuthMethod auth_method() const { return auth_method_; }
  // The session token the caller presented ("" when none).
  const std::string& token() const { return token_; }
  // This request's id, as X-Request-Id and the log line carry it.
  const std::string& request_id() const { return request_id_; }

  // Re-applies the route's action to a particular resource. nullopt when
  // allowed; otherwise the 404 answer (an unknown and a forbidden resource
  // look the same). REQUIRES route().access.kind == kAction.
  std::optional<Response> AuthorizeScope(const core::Scope& scope) const;
  // The one CSRF token of this browser: the HMAC (SessionStore::CsrfFor) of
  // its session token when it presents the session cookie, otherwise of its
  // pre-session cookie (kPreSessionCookie); "" when it holds neither. The
  // portal puts it in every form, the API's sign-in answers it as csrf_token.
  std::string CsrfToken() const;
  // Whether the request carries CsrfToken() (X-CSRF-Token, or the csrf_token
  // field of its form). The router asks it before every write to a page, and
  // before every cookie-authenticated write to a signed-in route.
  bool CsrfValid() const;

 private:
  friend Response HandleRequest(const Request& request, Context& context);
  const Request& request_;
  Context& context_;
  const Route& route_;
  std::map<std::string, std::string, std::less<>> params_;
  std::optional<core::Principal> principal_;
  AuthMethod auth_method_ = AuthMethod::kNone;
  std::string token_;
  std::string request_id_;
};

// Routes, authenticates, authorizes, checks CSRF, runs the handler, maps
// exceptions to a 500 problem, adds security headers and X-Request-Id,
// records metrics and writes one log line. Thread-safe given a Context whose
// routes are no longer changing.
Response HandleRequest(const Request& request, Context& context);

// The scope of the principal's own organisation: the route-level question
// "may this person do this at all" is Authorize(who, action, OwnScope(who)).
core::Scope OwnScope(const core::Principal& who);

// Security headers every response carries (the server also adds them to the
// answers it makes itself, such as 413); over TLS (`tls`: the request came
// encrypted, directly or through a trusted proxy) also Strict-Transport-Security.
void AddSecurityHeaders(Response& response, bool tls);

// The name of the session cookie, and its Set-Cookie value (HttpOnly,
// SameSite=Strict, Secure over TLS); max_age_seconds 0 with an empty token
// clears it.
inline constexpr const char* kSessionCookie = "ledger_session";
std::string SessionCookie(const std::string& token, const Request& request, int64_t max_age_seconds);

// The pre-session cookie of a signed-out browser: a random value the CSRF
// token of its forms is bound to (Call::CsrfToken), so that signing in and
// requesting an account cannot be forged from another site. NewPreSession
// makes a value, PreSessionCookie its Set-Cookie value (HttpOnly,
// SameSite=Strict, Secure over TLS, for the browser session).
inline constexpr const char* kPreSessionCookie = "ledger_presession";
std::string NewPreSession();
std::string PreSessionCookie(const std::string& value, const Request& request);

// The one sign-in: checks a username and password against context.accounts
// (app::CheckPassword), throttles failures per account and per address, and
// on success starts a session. The API's POST /api/v1/session and the
// portal's sign-in form both call it. Thread-safe.
struct SignInResult {
  // kAwaitingApproval and kDisabled: the password matched an account that may not sign in (yet).
  enum class Outcome { kSignedIn, kRefused, kThrottled, kUnavailable, kAwaitingApproval, kDisabled };
  Outcome outcome = Outcome::kRefused;
  std::chrono::seconds wait{0};  // kThrottled: how long to wait before trying again
  SessionStore::Issued session;  // kSignedIn
  std::string cookie;            // kSignedIn: the session cookie to set
};
SignInResult SignIn(Context& context, const Request& request, const std::string& username, std::string_view password);

// The built-in routes: POST/DELETE /api/v1/session, GET /api/v1/me,
// GET /healthz, GET /metrics. Add them with context.AddRoutes(BuiltinRoutes()).
std::vector<Route> BuiltinRoutes();

}  // namespace ledger::http
