#include "api_support.h"

#include <cctype>
#include <charconv>
#include <chrono>

#include "ledger/http/concurrency.h"
#include "ledger/http/problem.h"

namespace ledger::http::api {

std::optional<Response> Prepare(Call& call, ApiDeps& deps, const std::string& stream_id, uint64_t current_version,
                                CommandSetup* out) {
  std::optional<Response> bad;
  std::optional<std::string> key = IdempotencyKey(call.request(), &bad);
  if (bad) return bad;
  const std::string& username = call.principal().username;
  out->meta.actor = username;
  out->meta.at = deps.ledger.Now();
  out->idempotent = key.has_value();
  out->meta.command_id = key ? CommandIdFor(username, *key) : RandomHex(16);
  out->meta.correlation_id = out->meta.command_id;
  // Binds the command id to this request in the store, so another request under the key is refused.
  if (key) out->options.request_tag = RequestFingerprint(call.request());

  std::string_view header = call.request().Header("if-match");
  if (call.request().HasHeader("if-match")) {
    IfMatch match = ParseIfMatch(header);
    if (match.malformed || !match.single()) {
      // Lists and malformed headers are settled against the version read now.
      if (auto answer = CheckIfMatch(call.request(), current_version)) return answer;
    }
    if (auto single = match.single()) out->options.precondition = app::Precondition{stream_id, *single};
  }
  return std::nullopt;
}

Response SubmissionFailed(const std::vector<core::FieldError>& errors) {
  Problem p;
  p.status = 422;
  p.type = "/problems/submission-failed";
  p.title = "The claim cannot be submitted";
  p.detail = "The claim has problems to put right before it can be submitted; the attempt has been recorded.";
  p.code = "submission_failed";
  p.errors = errors;
  return ToResponse(p);
}

Response FailureResponse(const app::ExecuteResult& result) {
  if (result.rejected()) {
    const core::Rejection& r = result.rejection();
    if (r.code == "precondition_failed") {
      Problem p = problems::PreconditionFailed(
          "This was changed since you last read it; reload it, check the change and try again.");
      p.code = r.code;
      return ToResponse(p);
    }
    return ProblemResponse(r);
  }
  return ProblemResponse(result.status());
}

RunOutcome Run(ApiDeps& deps, const core::Command& command, const CommandSetup& setup) {
  // The ledger waits for the projections after a write (read-your-writes).
  app::ExecuteResult result = deps.ledger.Execute(setup.meta, command, setup.options);
  if (!result.ok()) return FailureResponse(result);
  const app::Executed& executed = result.executed();
  if (!executed.validation_errors.empty()) return SubmissionFailed(executed.validation_errors);
  return executed;
}

Response NotFound() { return ToResponse(problems::NotFound("Nothing was found at this address.")); }

std::optional<uint64_t> QueryNumber(const Call& call, const std::string& name, uint64_t max,
                                    std::optional<Response>* bad) {
  std::string text = call.Query(name);
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > max) {
    *bad = ToResponse(problems::Validation(
        "The query parameter " + name + " is not valid.",
        {core::FieldError{name, "out_of_range", "Enter a whole number from 0 to " + std::to_string(max) + "."}}));
    return std::nullopt;
  }
  return value;
}

Response TreeProblem(const es::Status& status) {
  if (status.code() == es::Status::Code::kInvalid) {
    std::string detail = status.message() + ".";
    detail[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(detail[0])));
    return ToResponse(problems::BadRequest(std::move(detail)));
  }
  if (status.code() == es::Status::Code::kUnavailable) return ToResponse(problems::Unavailable());
  return ProblemResponse(status);
}

}  // namespace ledger::http::api
