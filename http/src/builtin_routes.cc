// The routes every deployment has: sign-in, sign-out, who am I, health,
// metrics, and the page of each problem type.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "ledger/http/builtin_bodies.h"
#include "ledger/http/json_input.h"
#include "ledger/http/router.h"
#include "ledger/http/wire_input.h"

namespace ledger::http {
namespace {

// POST /api/v1/session {username, password}
Response PostSession(Call& call) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  auto [username, password] = wire::Read<bodies::SignIn>(in.body());
  if (auto bad = in.Finish()) return *bad;
  using Outcome = SignInResult::Outcome;
  SignInResult signed_in = http::SignIn(call.context(), call.request(), username, password);
  if (signed_in.outcome == Outcome::kUnavailable) return ToResponse(problems::Unavailable());
  if (signed_in.outcome == Outcome::kThrottled) {
    return ToResponse(problems::TooManyRequests(static_cast<int>(signed_in.wait.count())));
  }
  if (signed_in.outcome != Outcome::kSignedIn) return ToResponse(problems::SignInFailed());
  const SessionOptions& o = call.context().sessions.options();
  Response r = Response::Json(201, wire::ToJson(bodies::Session{
                                       .token = signed_in.session.token,
                                       .csrf_token = signed_in.session.csrf_token,
                                       .username = username,
                                       .idle_timeout_seconds = o.idle_timeout.count(),
                                       .absolute_timeout_seconds = o.absolute_timeout.count(),
                                   }));
  r.Add("Set-Cookie", signed_in.cookie);
  return r;
}

// DELETE /api/v1/session
Response SignOut(Call& call) {
  call.context().sessions.Revoke(call.token());
  Response r = Response::NoContent();
  r.Add("Set-Cookie", SessionCookie("", call.request(), 0));
  return r;
}

// GET /api/v1/me
Response Me(Call& call) {
  const core::Principal& p = call.principal();
  bodies::Me me{.username = p.username,
                .organisation = {.code = p.org_code,
                                 .kind = std::string(core::OrgKindName(p.org_kind)),
                                 .commissioner_code = p.commissioner_code}};
  for (core::Role role : p.roles.List()) me.roles.emplace_back(core::RoleName(role));
  for (int a = 0; a < core::kActionCount; ++a) {
    auto action = static_cast<core::Action>(a);
    if (call.context().authorize(p, action, OwnScope(p)).allowed) me.permissions.emplace_back(core::ActionName(action));
  }
  return Response::Json(200, wire::ToJson(me));
}

// GET /healthz: {"status":"ok"} and the log's check when the application has one.
Response Health(Call& call) {
  if (!call.context().health) return Response::Json(200, wire::ToJson(bodies::Health{.status = "ok"}));
  HealthCheck check = call.context().health();
  return Response::Json(check.healthy ? 200 : 503, wire::ToJson(bodies::Health{check.status, check.log}));
}

Response MetricsText(Call& call) {
  return Response::Text(200, call.context().metrics.Render(), "text/plain; version=0.0.4; charset=utf-8");
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// GET /problems/{name}: what a problem type means, for whoever follows the
// `type` of a problem answer (RFC 9457 3.1.1).
Response ProblemPage(Call& call) {
  const ProblemType* type = FindProblemType(call.Param("name"));
  if (type == nullptr) return ToResponse(problems::NotFound("There is no problem type of that name."));
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} - Claims ledger API</title>"
      "</head>\n<body><main><h1>{title}</h1>\n<p>HTTP status {status}. Problem type "
      "<code>/problems/{name}</code>.</p>\n<p>{explanation}</p>\n</main></body></html>\n",
      fmt::arg("title", EscapeHtml(type->title)), fmt::arg("status", type->status),
      fmt::arg("name", EscapeHtml(type->name)), fmt::arg("explanation", EscapeHtml(type->explanation)));
  Response r = Response::Text(200, std::move(html), "text/html; charset=utf-8");
  r.Set("Cache-Control", "public, max-age=86400");
  return r;
}

}  // namespace

std::vector<Route> BuiltinRoutes() {
  return {
      {"POST", "/api/v1/session", Access::Public(), PostSession, 16 * kKiB},
      {"DELETE", "/api/v1/session", Access::SignedIn(), SignOut},
      Quick({"GET", "/api/v1/me", Access::SignedIn(), Me}),
      Quick({"GET", "/healthz", Access::Public(), Health}),
      {"GET", "/metrics", Access::Public(), MetricsText},
      {"GET", "/problems/{name}", Access::Public(), ProblemPage},
  };
}

}  // namespace ledger::http
