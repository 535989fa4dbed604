#include "ledger/http/router.h"

#include <fmt/format.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>

#include "ledger/base/sha256.h"
#include "ledger/base/time.h"

namespace ledger::http {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool IsParam(std::string_view segment) { return segment.size() > 2 && segment.front() == '{' && segment.back() == '}'; }

// How well a route's pattern (split into segments) matches the path's
// segments: nullopt for no match; otherwise a key that is larger for more
// literal segments earlier on (so /claims/bulk beats /claims/{id}). Allocates nothing.
std::optional<uint64_t> MatchScore(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path) {
  if (pattern.size() != path.size()) return std::nullopt;
  uint64_t score = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    score <<= 1;
    if (IsParam(pattern[i])) {
      if (path[i].empty()) return std::nullopt;
    } else if (pattern[i] == path[i]) {
      score |= 1;
    } else {
      return std::nullopt;
    }
  }
  return score;
}

// The {name} parameters of a pattern that matched, percent-decoded.
std::map<std::string, std::string, std::less<>> ParamsOf(const std::vector<std::string>& pattern,
                                                         const std::vector<std::string_view>& path) {
  std::map<std::string, std::string, std::less<>> params;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (IsParam(pattern[i])) params[pattern[i].substr(1, pattern[i].size() - 2)] = PercentDecode(path[i]);
  }
  return params;
}

bool IsSafeMethod(std::string_view method) { return method == "GET" || method == "HEAD" || method == "OPTIONS"; }

Micros SystemNow() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string BearerToken(const Request& request) {
  std::string_view auth = request.Header("authorization");
  if (auth.size() > 7 && HeaderNameEquals(auth.substr(0, 7), "bearer ")) {
    std::string_view token = auth.substr(7);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    return std::string(token);
  }
  return {};
}

// The csrf_token field of an application/x-www-form-urlencoded body.
std::string FormCsrfToken(const Request& request) {
  if (request.MediaType() != "application/x-www-form-urlencoded") return {};
  Request form;
  form.target = "?" + request.body;
  return form.Query("csrf_token");
}

}  // namespace

core::Scope OwnScope(const core::Principal& who) {
  core::Scope scope;
  scope.org_code = who.org_code;
  return scope;
}

namespace {

// "2026-12-07T08:12:00.123Z": RFC 3339, UTC, to the millisecond.
std::string LogTime(Micros at) {
  std::string ts = base::FormatRfc3339Micros(at);  // "...T08:12:00.123456Z": keep the milliseconds
  if (ts.size() == 27) ts.erase(23, 3);
  return ts;
}

}  // namespace

std::string FormatEventLine(Micros at, std::string_view level, std::string_view event,
                            const boost::json::object& fields) {
  boost::json::object line{{"ts", LogTime(at)}, {"level", level}, {"event", event}};
  for (const auto& field : fields) line[field.key()] = field.value();
  return boost::json::serialize(line);
}

std::string FormatLogLine(const RequestLogLine& line) {
  auto text = [](std::string_view s) { return boost::json::serialize(boost::json::string(s)); };
  const std::string ts = LogTime(line.at);
  const char* level = line.status >= 500 ? "error" : line.status == 0 ? "warn" : "info";
  std::string out = fmt::format(R"({{"ts":{},"level":"{}","request_id":{},"client":{},"method":{},"route":{},)"
                                R"("status":{},"duration_ms":{:.3f})",
                                text(ts), level, text(line.request_id), text(line.client), text(line.method),
                                text(line.route), line.status, line.duration_ms);
  if (!line.username.empty()) out += R"(,"user":)" + text(line.username);
  if (!line.note.empty()) out += R"(,"note":)" + text(line.note);
  out += '}';
  return out;
}

void LogToStderr(const RequestLogLine& line) { fmt::print(stderr, "{}\n", FormatLogLine(line)); }

void AddSecurityHeaders(Response& response, bool tls) {
  response.Set("Content-Security-Policy",
               "default-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'");
  response.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
  response.Set("X-Content-Type-Options", "nosniff");
  response.Set("Referrer-Policy", "no-referrer");
  response.Set("X-Frame-Options", "DENY");
  if (response.Header("cache-control").empty()) response.Set("Cache-Control", "no-store");
  // A year, the figure browsers' preload lists ask for; only where the browser
  // reached us over TLS, since a header over plain HTTP is ignored (RFC 6797 8.1).
  if (tls) response.Set("Strict-Transport-Security", "max-age=31536000");
}

// ---- Context ---------------------------------------------------------------

Context::Context(RouterOptions options)
    : sessions(options.sessions),
      throttle(options.throttle),
      now(SystemNow),
      log(LogToStderr),
      authorize(core::Authorize),
      dummy_password_hash(app::HashPassword(RandomHex(16), options.dummy_hash_cost)),
      options_(options) {}

void Context::AddRoutes(std::vector<Route> routes) {
  for (auto& r : routes) {
    for (const auto& existing : routes_) {
      if (existing.method == r.method && existing.pattern == r.pattern) {
        throw std::invalid_argument("duplicate route " + r.method + " " + r.pattern);
      }
    }
    if (r.pattern.empty() || r.pattern.front() != '/' || !r.handler) {
      throw std::invalid_argument("bad route " + r.method + " " + r.pattern);
    }
    if (r.access.page && (!r.page_hooks || !r.page_hooks->refuse || !r.page_hooks->form_csrf)) {
      throw std::invalid_argument("page route without its hooks " + r.method + " " + r.pattern);
    }
    std::vector<std::string> segments;
    for (std::string_view segment : Segments(r.pattern)) segments.emplace_back(segment);
    by_shape_[{r.method, segments.size()}].push_back(routes_.size());
    route_segments_.push_back(std::move(segments));
    routes_.push_back(std::move(r));
  }
}

namespace {

// HEAD is answered by the GET route of the path (RFC 9110 9.3.2).
std::string_view RoutedMethod(std::string_view method) { return method == "HEAD" ? "GET" : method; }

// The Allow header: the routed methods in table order, HEAD beside GET, and OPTIONS.
std::string AllowHeader(const std::vector<std::string>& methods) {
  std::string allow;
  auto add = [&allow](std::string_view m) { allow.append(allow.empty() ? "" : ", ").append(m); };
  for (const auto& m : methods) {
    add(m);
    if (m == "GET") add("HEAD");
  }
  add("OPTIONS");
  return allow;
}

}  // namespace

Context::Matched Context::Find(std::string_view method, std::string_view path) const {
  method = RoutedMethod(method);
  Matched best;
  std::vector<std::string_view> segments = Segments(path);
  std::optional<uint64_t> best_score;
  std::size_t best_index = 0;
  if (auto shape = by_shape_.find({std::string(method), segments.size()}); shape != by_shape_.end()) {
    for (std::size_t i : shape->second) {
      std::optional<uint64_t> score = MatchScore(route_segments_[i], segments);
      if (score && (!best_score || *score > *best_score)) {
        best_score = score;
        best_index = i;
      }
    }
  }
  if (best_score) {
    best.route = &routes_[best_index];
    best.params = ParamsOf(route_segments_[best_index], segments);
    return best;
  }
  // No route of this method: the methods the path has, for 405 and OPTIONS. A pattern of parameters only
  // (the portal's "page not found" for any path) matches every path of its length, so it does not make a
  // path known: it adds nothing to Allow.
  std::vector<std::string> allowed;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    std::optional<uint64_t> score = MatchScore(route_segments_[i], segments);
    if (!score || *score == 0) continue;
    if (std::find(allowed.begin(), allowed.end(), routes_[i].method) == allowed.end())
      allowed.push_back(routes_[i].method);
  }
  if (!allowed.empty()) best.allow = AllowHeader(allowed);
  return best;
}

const Route* Context::Match(std::string_view method, std::string_view path) const { return Find(method, path).route; }

std::size_t Context::BodyLimit(std::string_view method, std::string_view path) const {
  return BodyLimit(Match(method, path));
}

std::size_t Context::BodyLimit(const Route* route) const {
  return (route != nullptr && route->body_limit != 0) ? route->body_limit : options_.default_body_limit;
}

// ---- Call ------------------------------------------------------------------

Call::Call(const Request& request, Context& context, const Route& route,
           std::map<std::string, std::string, std::less<>> params)
    : request_(request), context_(context), route_(route), params_(std::move(params)) {}

const std::string& Call::Param(std::string_view name) const {
  static const std::string kEmpty;
  auto it = params_.find(name);
  return it == params_.end() ? kEmpty : it->second;
}

std::optional<Response> Call::AuthorizeScope(const core::Scope& scope) const {
  if (route_.access.kind != Access::Kind::kAction) {
    throw std::logic_error("AuthorizeScope on a route without an action: " + route_.pattern);
  }
  if (principal_ && context_.authorize(*principal_, route_.access.action, scope).allowed) return std::nullopt;
  return ToResponse(problems::NotFound("Nothing was found at this address."));
}

namespace {

constexpr std::size_t kPreSessionBytes = 16;  // NewPreSession: 32 hex digits

// What the browser's CSRF token is bound to: the session token it presents by
// cookie, or else its pre-session cookie ("" when it holds neither).
std::string CsrfBinding(const Request& request, AuthMethod method, const std::string& token) {
  if (method == AuthMethod::kCookie) return token;
  std::string pre = request.Cookie(kPreSessionCookie);
  return pre.size() == 2 * kPreSessionBytes ? pre : std::string();
}

}  // namespace

std::string Call::CsrfToken() const {
  std::string binding = CsrfBinding(request_, auth_method_, token_);
  return binding.empty() ? binding : context_.sessions.CsrfFor(binding);
}

bool Call::CsrfValid() const {
  std::string csrf(request_.Header("x-csrf-token"));
  if (csrf.empty()) csrf = route_.page_hooks ? route_.page_hooks->form_csrf(request_) : FormCsrfToken(request_);
  std::string binding = CsrfBinding(request_, auth_method_, token_);
  return !csrf.empty() && !binding.empty() && context_.sessions.CsrfMatches(binding, csrf);
}

std::string NewPreSession() { return RandomHex(kPreSessionBytes); }

namespace {

// A cookie for every path of this site, hidden from scripts and never sent
// from another site; Secure over TLS. `max_age`: "" for the browser session.
std::string SiteCookie(std::string_view name, const std::string& value, const Request& request,
                       const std::string& max_age) {
  std::string cookie = std::string(name) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  if (!max_age.empty()) cookie += "; Max-Age=" + max_age;
  if (request.tls) cookie += "; Secure";
  return cookie;
}

}  // namespace

std::string PreSessionCookie(const std::string& value, const Request& request) {
  return SiteCookie(kPreSessionCookie, value, request, "");
}

std::string SessionCookie(const std::string& token, const Request& request, int64_t max_age_seconds) {
  return SiteCookie(kSessionCookie, token, request, std::to_string(max_age_seconds));
}

SignInResult SignIn(Context& context, const Request& request, const std::string& username, std::string_view password) {
  using Outcome = SignInResult::Outcome;
  SignInResult result;
  if (context.accounts == nullptr) {
    result.outcome = Outcome::kUnavailable;
    return result;
  }
  result.wait = context.throttle.Wait(username, request.remote_address, context.now());
  if (result.wait.count() > 0) {
    result.outcome = Outcome::kThrottled;
    return result;
  }
  using Checked = app::PasswordCheck::Outcome;
  app::PasswordCheck checked = app::CheckSignIn(*context.accounts, username, password, context.dummy_password_hash);
  if (checked.outcome != Checked::kSignedIn) {
    context.throttle.RecordFailure(username, request.remote_address, context.now());
    result.outcome = checked.outcome == Checked::kAwaitingApproval ? Outcome::kAwaitingApproval
                     : checked.outcome == Checked::kDisabled       ? Outcome::kDisabled
                                                                   : Outcome::kRefused;
    return result;
  }
  context.throttle.RecordSuccess(username);
  result.outcome = Outcome::kSignedIn;
  result.session = context.sessions.Create(username, context.now());
  result.cookie = SessionCookie(result.session.token, request, context.sessions.options().absolute_timeout.count());
  return result;
}

// ---- HandleRequest ---------------------------------------------------------

namespace {

// The refusal of a request, as its route answers it: a page by its hooks
// (HTML), any other route by `problem`.
Response Refuse(Call& call, Refusal refusal, Response problem) {
  if (call.route().access.page) return call.route().page_hooks->refuse(call, refusal);
  return problem;
}

// Steps that may end the request early return the answer.
std::optional<Response> Authenticate(const Request& request, Context& context, Call& call, AuthMethod* method,
                                     std::string* token, std::optional<core::Principal>* principal) {
  *token = BearerToken(request);
  *method = token->empty() ? AuthMethod::kNone : AuthMethod::kBearer;
  if (token->empty()) {
    *token = request.Cookie("ledger_session");
    if (!token->empty()) *method = AuthMethod::kCookie;
  }
  if (!token->empty() && context.accounts != nullptr) {
    if (auto session = context.sessions.Touch(*token, context.now())) {
      auto found = context.accounts->FindPrincipal(session->username);
      if (found && found->active) *principal = std::move(*found);
    }
  }
  if (call.route().access.kind == Access::Kind::kPublic || principal->has_value()) return std::nullopt;
  Response r = ToResponse(problems::Unauthenticated(token->empty()
                                                        ? "Sign in first: send a bearer token or the session cookie."
                                                        : "Your session has expired or was ended; sign in again."));
  r.Set("WWW-Authenticate", "Bearer realm=\"ledger\"");
  return Refuse(call, token->empty() ? Refusal::kSignedOut : Refusal::kExpired, std::move(r));
}

// Every write to a page needs the browser's CSRF token, signed in or not
// (signing in, requesting an account); every other write authenticated by
// the session cookie needs its session's. A bearer token is never sent by a
// browser on its own, so it needs none.
std::optional<Response> CheckCsrf(const Request& request, Call& call) {
  if (IsSafeMethod(request.method) || call.auth_method() == AuthMethod::kBearer) return std::nullopt;
  const Access& access = call.route().access;
  const bool cookie_write = call.auth_method() == AuthMethod::kCookie && access.kind != Access::Kind::kPublic;
  if (!access.page && !cookie_write) return std::nullopt;
  if (call.CsrfValid()) return std::nullopt;
  return Refuse(call, Refusal::kCsrf, ToResponse(problems::Csrf()));
}

std::optional<Response> CheckAccess(Context& context, Call& call) {
  if (call.route().access.kind != Access::Kind::kAction) return std::nullopt;
  // "May this person do this at all?": asked for their own organisation, where
  // every scope rule of the policy holds; handlers then narrow it to the
  // resource with Call::AuthorizeScope.
  core::AccessDecision d = context.authorize(call.principal(), call.route().access.action, OwnScope(call.principal()));
  if (d.allowed) return std::nullopt;
  return Refuse(call, Refusal::kForbidden,
                ToResponse(problems::Forbidden(d.reason.empty() ? "You may not do this." : d.reason)));
}

// A HEAD answer: the GET answer's status and headers, its length, no body (and no event stream).
void WithoutBody(Response& response) {
  if (response.stream) {
    response.stream = nullptr;
  } else {
    response.Set("Content-Length", std::to_string(response.body.size()));
  }
  response.body.clear();
}

// Whether an If-None-Match field names `etag`: "*", or one of its entity
// tags by the weak comparison RFC 9110 (13.1.2) asks for (W/ ignored).
bool NoneMatchNames(std::string_view field, std::string_view etag) {
  auto opaque = [](std::string_view tag) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    return tag;
  };
  etag = opaque(etag);
  while (!field.empty()) {
    size_t comma = field.find(',');
    std::string_view tag = field.substr(0, comma);
    field = comma == std::string_view::npos ? std::string_view() : field.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == "*" || (!tag.empty() && opaque(tag) == etag)) return true;
  }
  return false;
}

// Conditional GET on the API (RFC 9110 13.1.2): every successful GET or HEAD
// of an /api/ route carries an ETag, the handler's own (a stream version, an
// evidence file's SHA-256) or else a digest of the body, and an
// If-None-Match that names it turns the answer into 304 Not Modified with
// the same ETag and no body.
void ApplyConditionalGet(const Request& request, const Route& route, Response& response) {
  if ((request.method != "GET" && request.method != "HEAD") || response.status != 200 || response.stream ||
      !route.pattern.starts_with("/api/")) {
    return;
  }
  std::string etag(response.Header("etag"));
  if (etag.empty()) {
    etag = "\"" + base::Sha256Hex(response.body).substr(0, 32) + "\"";
    response.Set("ETag", etag);
  }
  std::string_view asked = request.Header("if-none-match");
  if (asked.empty() || !NoneMatchNames(asked, etag)) return;
  response.status = 304;
  response.body.clear();
}

}  // namespace

Response HandleRequest(const Request& request, Context& context) {
  auto started = std::chrono::steady_clock::now();
  RequestLogLine line;
  line.at = context.now();
  line.request_id = RandomHex(8);
  line.client = request.remote_address;
  line.method = request.method;
  line.route = "-";
  Response response;
  Context::Matched matched = context.Find(request.method, request.Path());
  if (matched.route == nullptr) {
    if (matched.allow.empty()) {
      response = ToResponse(problems::NotFound("Nothing was found at this address."));
    } else {
      // OPTIONS names the methods of a path, as the public OpenAPI document does, so it needs no session.
      response = request.method == "OPTIONS" ? Response::NoContent() : ToResponse(problems::MethodNotAllowed());
      response.Set("Allow", matched.allow);
    }
  } else {
    const Route& route = *matched.route;
    line.route = route.pattern;
    Call call(request, context, route, std::move(matched.params));
    call.request_id_ = line.request_id;
    try {
      std::optional<Response> early = Authenticate(request, context, call, &call.auth_method_, &call.token_,
                                                   &call.principal_);
      if (call.principal_) line.username = call.principal_->username;
      if (!early) early = CheckCsrf(request, call);
      if (!early) early = CheckAccess(context, call);
      response = early ? std::move(*early) : route.handler(call);  // a page's refusal renders HTML, so inside the try
      ApplyConditionalGet(request, route, response);
    } catch (const std::exception& e) {
      response = ToResponse(problems::Internal());
      line.note = std::string("exception: ") + e.what();
    } catch (...) {
      response = ToResponse(problems::Internal());
      line.note = "exception of unknown type";
    }
  }
  AddProblemInstance(response, line.request_id);
  if (request.method == "HEAD" && response.status != 304) WithoutBody(response);
  AddSecurityHeaders(response, request.tls);
  response.Set("X-Request-Id", line.request_id);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  line.status = response.status;
  line.duration_ms = seconds * 1000.0;
  context.metrics.ObserveRequest(request.method, line.route, response.status, seconds);
  if (context.log) context.log(line);
  return response;
}

}  // namespace ledger::http
