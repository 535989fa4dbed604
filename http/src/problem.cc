#include "ledger/http/problem.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cctype>

#include "ledger/core/evidence.h"
#include "ledger/http/builtin_bodies.h"

namespace ledger::http {
namespace {

// Every problem type: its status, title and what it means, for the answers
// and for the page at its type's address (GET /problems/{name}).
constexpr ProblemType kTypes[] = {
    {"validation", 400, "Validation failed",
     "The request was understood, but a field is missing, unknown, of the wrong kind or outside what the ledger "
     "accepts. `errors` lists every field problem at once, each with its path, a stable code and a message; fix "
     "them all and send the request again. Nothing was stored."},
    {"bad-request", 400, "Bad request",
     "The request could not be read: unparseable HTTP, a missing or repeated Host, or a malformed header such as "
     "If-Match, If-None-Match or Idempotency-Key, or a query parameter out of range. `detail` says which. Nothing "
     "was stored."},
    {"unauthenticated", 401, "Sign-in required",
     "There is no session, or it expired or was ended. Sign in with POST /api/v1/session and send the token as "
     "`Authorization: Bearer <token>`."},
    {"sign-in-failed", 401, "Sign-in failed",
     "The username or password is incorrect, or the account is not active. The answer is the same for an unknown "
     "username, so that it does not tell which accounts exist."},
    {"forbidden", 403, "Forbidden",
     "Your roles do not allow this action. An administrator of your organisation can change your roles."},
    {"csrf", 403, "Missing or wrong CSRF token",
     "A request authenticated by the session cookie that changes data must carry the session's CSRF token in the "
     "X-CSRF-Token header or the csrf_token form field. Requests with a bearer token need none."},
    {"not-found", 404, "Not found",
     "Nothing is at this address, or it belongs to an organisation you cannot see: both answer the same."},
    {"method-not-allowed", 405, "Method not allowed",
     "This address does not take that method; the Allow header lists the ones it does."},
    {"conflict", 409, "Conflict",
     "The resource is not in a state that allows this (a claim already approved, a draft already submitted), or "
     "someone changed it at the same time. Read it again and decide with what it is now."},
    {"precondition-failed", 412, "Precondition failed",
     "The If-Match you sent names a version the resource has moved on from: someone changed it since you read it. "
     "Nothing was stored; read it again (the answer carries the current ETag) and retry."},
    {"payload-too-large", 413, "Payload too large",
     "The request body is larger than this address accepts; `detail` gives the limit."},
    {"unsupported-media-type", 415, "Unsupported media type",
     "The body is not of a type this address accepts (JSON unless the route says otherwise; evidence as PDF, PNG, "
     "JPEG, CSV, XLSX, DOCX or plain text, judged by its content)."},
    {"idempotency-key-reused", 422, "Idempotency key reused",
     "This Idempotency-Key was already used by you for a different request. A key is permanent: the same request "
     "under it always gets its first answer, any other request this problem. Use a new key for a new request."},
    {"too-many-requests", 429, "Too many requests",
     "Too many failed sign-ins for this username or from this address. Wait the seconds Retry-After gives."},
    {"internal", 500, "Internal error",
     "Something went wrong on the server. It was logged with the request id (X-Request-Id, and this problem's "
     "`instance`); quote it to the ledger's operator."},
    {"unavailable", 503, "Service unavailable",
     "The service cannot handle the request right now (starting, stopping, or without what this needs); try again "
     "shortly."},
    {"storage-unavailable", 503, "Storage unavailable",
     "The ledger could not write to its disk, so nothing of this request was stored; reading still works. Retry "
     "after Retry-After; if it goes on, the operator must check the disk and restart the ledger."},
    {"writes-refused", 503, "Changes are refused",
     "The ledger's start-up check found its event log damaged, so it refuses every change until an operator "
     "restores it; reading still works. `detail` names the position."},
};

}  // namespace

std::span<const ProblemType> ProblemTypes() { return kTypes; }

const ProblemType* FindProblemType(std::string_view name) {
  for (const ProblemType& t : kTypes) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

namespace problems {
namespace {
// REQUIRES: `name` is one of kTypes.
Problem Make(std::string_view name, std::string detail) {
  const ProblemType* type = FindProblemType(name);
  Problem p;
  p.status = type->status;
  p.type = "/problems/" + std::string(type->name);
  p.title = std::string(type->title);
  p.detail = std::move(detail);
  return p;
}
}  // namespace

Problem Validation(std::string detail, std::vector<core::FieldError> errors) {
  Problem p = Make("validation", std::move(detail));
  p.errors = std::move(errors);
  return p;
}
Problem Unauthenticated(std::string detail) { return Make("unauthenticated", std::move(detail)); }
Problem SignInFailed() { return Make("sign-in-failed", "The username or password is incorrect."); }
Problem Forbidden(std::string detail) { return Make("forbidden", std::move(detail)); }
Problem Csrf() {
  return Make("csrf",
              "Requests authenticated by cookie that change data must send the session's CSRF token "
              "in the X-CSRF-Token header or the csrf_token form field.");
}
Problem NotFound(std::string detail) { return Make("not-found", std::move(detail)); }
Problem MethodNotAllowed() {
  return Make("method-not-allowed", "This resource does not support that method; see the Allow header.");
}
Problem Conflict(std::string detail) { return Make("conflict", std::move(detail)); }
Problem PreconditionFailed(std::string detail) { return Make("precondition-failed", std::move(detail)); }
Problem PayloadTooLarge(std::size_t limit) {
  return Make("payload-too-large",
              "The request body is larger than the " + std::to_string(limit) + " bytes this resource accepts.");
}
Problem UnsupportedMediaType(const std::string& expected) {
  return Make("unsupported-media-type", "Send the body as " + expected + ".");
}
Problem IdempotencyKeyReused() {
  return Make("idempotency-key-reused", "This Idempotency-Key was already used for a different request.");
}
Problem TooManyRequests(int retry_after_seconds) {
  Problem p = Make("too-many-requests",
                   "Too many attempts; try again in " + std::to_string(retry_after_seconds) + " seconds.");
  p.retry_after_seconds = retry_after_seconds;
  return p;
}
Problem BadRequest(std::string detail) { return Make("bad-request", std::move(detail)); }
Problem Internal() {
  return Make("internal", "Something went wrong on the server. The error has been logged; please try again.");
}
Problem Unavailable() {
  return Make("unavailable", "The service cannot handle the request right now; please try again shortly.");
}
Problem StorageUnavailable() {
  Problem p = Make("storage-unavailable",
                   "The ledger could not write to its disk, so nothing of this request was stored. Reading still "
                   "works. Try the change again later; if this goes on, the operator must check the disk (free "
                   "space, errors) and restart the ledger.");
  p.retry_after_seconds = 30;
  return p;
}
Problem WritesRefused(std::string detail) { return Make("writes-refused", std::move(detail)); }
}  // namespace problems

Problem FromStatus(const es::Status& status) {
  using Code = es::Status::Code;
  switch (status.code()) {
    case Code::kConflict:
      return problems::Conflict("Someone else changed this at the same time; reload it and try again.");
    case Code::kNotFound: return problems::NotFound("Nothing was found at this address.");
    case Code::kInvalid: return problems::Validation("The request could not be stored as sent.", {});
    case Code::kIdempotencyMismatch: return problems::IdempotencyKeyReused();
    case Code::kBusy: return problems::Unavailable();
    case Code::kIoError: return problems::StorageUnavailable();
    case Code::kUnavailable: {
      // The store wrote this message for people: it names the damaged position and what to do.
      std::string detail = status.message();
      if (!detail.empty()) detail[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(detail[0])));
      return problems::WritesRefused(detail + ".");
    }
    case Code::kOk:  // a caller bug: ok is not an error
    case Code::kCorruption: break;
  }
  return problems::Internal();
}

Problem FromRejection(const core::Rejection& rejection) {
  using Kind = core::Rejection::Kind;
  Problem p;
  switch (rejection.kind) {
    case Kind::kForbidden: p = problems::Forbidden(rejection.message); break;
    case Kind::kNotFound: p = problems::NotFound(rejection.message); break;
    case Kind::kInvalid:
      // An evidence file too large, or of a type that is not accepted, is about the body as a whole.
      if (rejection.code == core::kEvidenceTooLarge) {
        p = problems::PayloadTooLarge(static_cast<std::size_t>(core::kEvidenceMaxBytes));
        p.detail = rejection.message;
      } else if (rejection.code == core::kEvidenceTypeNotAccepted || rejection.code == core::kEvidenceTypeMismatch) {
        p = problems::UnsupportedMediaType("");
        p.detail = rejection.message;
      } else {
        p = problems::Validation(rejection.message, rejection.errors);
      }
      break;
    case Kind::kConflict: p = problems::Conflict(rejection.message); break;
  }
  p.code = rejection.code;
  return p;
}

Response ToResponse(const Problem& problem) {
  bodies::Problem body{.type = problem.type,
                       .title = problem.title,
                       .status = problem.status,
                       .detail = problem.detail};
  Response r;
  r.status = problem.status;
  if (!problem.code.empty()) body.code = problem.code;
  if (problem.retry_after_seconds > 0) r.Set("Retry-After", std::to_string(problem.retry_after_seconds));
  if ((problem.status == 400 && problem.type == "/problems/validation") || !problem.errors.empty()) {
    body.errors.emplace();
    for (const auto& e : problem.errors) body.errors->push_back({e.path, e.code, e.message});
  }
  r.body = boost::json::serialize(wire::ToJson(body));
  r.Set("Content-Type", "application/problem+json");
  return r;
}

boost::json::object bodies::Problem::Notes() {
  boost::json::array types;
  for (const ProblemType& t : ProblemTypes()) types.emplace_back("/problems/" + std::string(t.name));
  return {{"type", {{"enum", std::move(types)}, {"description", "GET it for a page that explains the problem"}}},
          {"instance", {{"description", "this occurrence: the request id, as X-Request-Id and the log carry it"}}},
          {"code", {{"description", "a stable machine code for a refusal by the rules (e.g. duplicate_claim)"}}},
          {"errors", {{"description", "for a validation problem: every field that is wrong"}}}};
}

void AddProblemInstance(Response& response, std::string_view request_id) {
  if (!response.Header("content-type").starts_with("application/problem+json")) return;
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(response.body, ec);
  if (ec || !body.is_object() || body.as_object().contains("instance")) return;
  body.as_object()["instance"] = "urn:ledger:request:" + std::string(request_id);
  response.body = boost::json::serialize(body);
}

}  // namespace ledger::http
