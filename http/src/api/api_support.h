// What every domain route shares: the command's meta (actor, time, command id
// from Idempotency-Key), If-Match as a precondition, running a command through
// the command bus and mapping its outcome, and read-your-writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ledger/app/command_bus.h"
#include "ledger/core/domain.h"
#include "ledger/http/api.h"
#include "ledger/http/router.h"

namespace ledger::http::api {

// One command as the caller issues it.
struct CommandSetup {
  core::CommandMeta meta;
  app::ExecuteOptions options;
  bool idempotent = false;  // the caller sent an Idempotency-Key
};

// Builds the meta of a command by the signed-in caller: a deterministic
// command id when the request carries an Idempotency-Key (so a retry is the
// same command, and the request's fingerprint its request tag), a random one
// otherwise; and, when the request carries
// If-Match, a precondition on `stream_id` (current_version answers lists of
// tags). Returns the 400/412 answer when a header is malformed or stale.
std::optional<Response> Prepare(Call& call, ApiDeps& deps, const std::string& stream_id, uint64_t current_version,
                                CommandSetup* out);

// A command that took effect, or the answer explaining why not (rejection,
// stale If-Match 412, lost race 409, validation 422 with the attempt stored).
using RunOutcome = std::variant<app::Executed, Response>;
RunOutcome Run(ApiDeps& deps, const core::Command& command, const CommandSetup& setup);

// The problem answer of an outcome that did not go through.
Response FailureResponse(const app::ExecuteResult& result);
// 422: the command was recorded but failed validation; lists every field error.
Response SubmissionFailed(const std::vector<core::FieldError>& errors);

// The same 404 for an unknown and a forbidden resource.
Response NotFound();

// Parses a decimal unsigned integer query parameter; nullopt when absent.
// *bad is set to the 400 answer when malformed or above max.
std::optional<uint64_t> QueryNumber(const Call& call, const std::string& name, uint64_t max,
                                    std::optional<Response>* bad);

// The answer to a tree head or proof the store refused: a size or position
// the log does not have is 400 in the store's words; a ledger without a tree
// or a signing key is 503.
Response TreeProblem(const es::Status& status);

}  // namespace ledger::http::api
