#include "ledger/http/problem.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <cctype>

#include "ledger/core/evidence.h"

namespace ledger::http {
namespace problems {
namespace {
Problem Make(int status, const char* type, const char* title, std::string detail) {
  Problem p;
  p.status = status;
  p.type = type;
  p.title = title;
  p.detail = std::move(detail);
  return p;
}
}  // namespace

Problem Validation(std::string detail, std::vector<core::FieldError> errors) {
  Problem p = Make(400, "/problems/validation", "Validation failed", std::move(detail));
  p.errors = std::move(errors);
  return p;
}
Problem Unauthenticated(std::string detail) {
  return Make(401, "/problems/unauthenticated", "Sign-in required", std::move(detail));
}
Problem SignInFailed() {
  return Make(401, "/problems/sign-in-failed", "Sign-in failed", "The username or password is incorrect.");
}
Problem Forbidden(std::string detail) { return Make(403, "/problems/forbidden", "Forbidden", std::move(detail)); }
Problem Csrf() {
  return Make(403, "/problems/csrf", "Missing or wrong CSRF token",
              "Requests authenticated by cookie that change data must send the session's CSRF token "
              "in the X-CSRF-Token header or the csrf_token form field.");
}
Problem NotFound(std::string detail) { return Make(404, "/problems/not-found", "Not found", std::move(detail)); }
Problem MethodNotAllowed() {
  return Make(405, "/problems/method-not-allowed", "Method not allowed",
              "This resource does not support that method; see the Allow header.");
}
Problem Conflict(std::string detail) { return Make(409, "/problems/conflict", "Conflict", std::move(detail)); }
Problem PreconditionFailed(std::string detail) {
  return Make(412, "/problems/precondition-failed", "Precondition failed", std::move(detail));
}
Problem PayloadTooLarge(std::size_t limit) {
  return Make(413, "/problems/payload-too-large", "Payload too large",
              "The request body is larger than the " + std::to_string(limit) + " bytes this resource accepts.");
}
Problem UnsupportedMediaType(const std::string& expected) {
  return Make(415, "/problems/unsupported-media-type", "Unsupported media type", "Send the body as " + expected + ".");
}
Problem IdempotencyKeyReused() {
  return Make(422, "/problems/idempotency-key-reused", "Idempotency key reused",
              "This Idempotency-Key was already used for a different request.");
}
Problem TooManyRequests(int retry_after_seconds) {
  Problem p = Make(429, "/problems/too-many-requests", "Too many requests",
                   "Too many attempts; try again in " + std::to_string(retry_after_seconds) + " seconds.");
  p.retry_after_seconds = retry_after_seconds;
  return p;
}
Problem BadRequest(std::string detail) { return Make(400, "/problems/bad-request", "Bad request", std::move(detail)); }
Problem Internal() {
  return Make(500, "/problems/internal", "Internal error",
              "Something went wrong on the server. The error has been logged; please try again.");
}
Problem Unavailable() {
  return Make(503, "/problems/unavailable", "Service unavailable",
              "The service cannot handle the request right now; please try again shortly.");
}
Problem StorageUnavailable() {
  Problem p = Make(503, "/problems/storage-unavailable", "Storage unavailable",
                   "The ledger could not write to its disk, so nothing of this request was stored. Reading still "
                   "works. Try the change again later; if this goes on, the operator must check the disk (free "
                   "space, errors) and restart the ledger.");
  p.retry_after_seconds = 30;
  return p;
}
Problem WritesRefused(std::string detail) {
  return Make(503, "/problems/writes-refused", "Changes are refused", std::move(detail));
}
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
  boost::json::object body;
  body["type"] = problem.type;
  body["title"] = problem.title;
  body["status"] = problem.status;
  body["detail"] = problem.detail;
  Response r;
  r.status = problem.status;
  if (!problem.code.empty()) body["code"] = problem.code;
  if (problem.retry_after_seconds > 0) r.Set("Retry-After", std::to_string(problem.retry_after_seconds));
  if ((problem.status == 400 && problem.type == "/problems/validation") || !problem.errors.empty()) {
    boost::json::array errors;
    for (const auto& e : problem.errors) {
      errors.push_back(boost::json::object{{"path", e.path}, {"code", e.code}, {"message", e.message}});
    }
    body["errors"] = std::move(errors);
  }
  r.body = boost::json::serialize(body);
  r.Set("Content-Type", "application/problem+json");
  return r;
}

}  // namespace ledger::http
