// Problems: the one place where errors become HTTP statuses and RFC 9457
// application/problem+json bodies.
//
// Every error answer of the API goes through ToResponse(Problem). `type` is a
// stable relative URI ("/problems/validation"); `detail` is a sentence safe to
// show to the person using the API; internal messages (store errors,
// exceptions) never reach it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/rejection.h"
#include "ledger/eventstore/status.h"
#include "ledger/http/message.h"

namespace ledger::http {

struct Problem {
  int status = 500;
  std::string type;                      // "/problems/validation"
  std::string title;                     // short, fixed per type: "Validation failed"
  std::string detail;                    // human sentence for this occurrence
  std::string code;                      // optional stable machine code (a Rejection code), "" for none
  std::vector<core::FieldError> errors;  // for validation: every field problem
  int retry_after_seconds = 0;           // for 429: sent as Retry-After
};

// A problem type: "/problems/<name>", its status and title, and what it
// means, as the page at that address (GET /problems/{name}) explains it.
struct ProblemType {
  std::string_view name;  // "validation"
  int status;
  std::string_view title;
  std::string_view explanation;  // a paragraph for the people using the API
};
// Every type the API answers with.
std::span<const ProblemType> ProblemTypes();
// nullptr for a name that is none of them.
const ProblemType* FindProblemType(std::string_view name);

// Named factories; each fixes status, type and title.
namespace problems {
Problem Validation(std::string detail, std::vector<core::FieldError> errors);  // 400 /problems/validation
Problem Unauthenticated(std::string detail);                                   // 401 /problems/unauthenticated
Problem SignInFailed();                 // 401 /problems/sign-in-failed (same for unknown user and bad password)
Problem Forbidden(std::string detail);  // 403 /problems/forbidden
Problem Csrf();                         // 403 /problems/csrf
Problem NotFound(std::string detail);   // 404 /problems/not-found
Problem MethodNotAllowed();             // 405 /problems/method-not-allowed
Problem Conflict(std::string detail);   // 409 /problems/conflict
Problem PreconditionFailed(std::string detail);             // 412 /problems/precondition-failed
Problem PayloadTooLarge(std::size_t limit);                 // 413 /problems/payload-too-large
Problem UnsupportedMediaType(const std::string& expected);  // 415 /problems/unsupported-media-type
Problem IdempotencyKeyReused();                             // 422 /problems/idempotency-key-reused
Problem TooManyRequests(int retry_after_seconds);           // 429 /problems/too-many-requests
Problem BadRequest(std::string detail);                     // 400 /problems/bad-request (unparseable HTTP, bad header)
Problem Internal();                                         // 500 /problems/internal
Problem Unavailable();                                      // 503 /problems/unavailable
Problem StorageUnavailable();                               // 503 /problems/storage-unavailable, Retry-After: 30
Problem WritesRefused(std::string detail);  // 503 /problems/writes-refused (the log failed verification)
}  // namespace problems

// The mapping of store statuses. REQUIRES !status.ok(). The store's message is
// not exposed (log it yourself if it matters), except Unavailable's, which the
// store writes for people: it names the damaged position and what to do.
Problem FromStatus(const es::Status& status);
// The mapping of domain rejections; the rejection's message (written for the
// actor) becomes detail and its code becomes code. Invalid is 400, but an
// evidence file over the limit is 413 and one of a refused type 415.
Problem FromRejection(const core::Rejection& rejection);

// The problem+json response (status, Content-Type, body; Retry-After for 429 and 503,
// Allow is added by the router for 405).
Response ToResponse(const Problem& problem);
// Gives a problem+json answer its RFC 9457 `instance`, the URI of this
// occurrence: "urn:ledger:request:<request id>", the id X-Request-Id and the
// log line carry. Leaves any other answer, and one that has an instance (a
// kept answer replayed under its Idempotency-Key), as it is.
void AddProblemInstance(Response& response, std::string_view request_id);
// Shorthands.
inline Response ProblemResponse(const es::Status& status) { return ToResponse(FromStatus(status)); }
inline Response ProblemResponse(const core::Rejection& rejection) { return ToResponse(FromRejection(rejection)); }

}  // namespace ledger::http
