// Idempotency-Key on every write of /api/v1: a key is permanent per signed-in
// caller. The first request under a key that stores something (or answers
// below 400) has its answer kept; the same request again (RequestFingerprint)
// gets exactly that answer, another request under the key 422
// /problems/idempotency-key-reused, also after a restart. Concurrent uses of
// one key run one at a time, so one applies and the others replay it.
//
// The answer is kept as an event-store request record under the command id
// (CommandIdFor(user, key)), written right after the handler stored its
// events and before answering. The command record itself carries the
// fingerprint as its request tag (api::Prepare), so if the process stops
// between the two writes the key still refuses another request, and the
// same request runs the route again: it is answered from the stored command
// (no second event), and that answer is kept.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "ledger/http/api.h"
#include "ledger/http/message.h"
#include "ledger/http/router.h"

namespace ledger::http {

// One lock per key held while it is in use. Thread-safe.
class IdempotencyLocks {
 public:
  // Holds `key` from construction until destruction; blocks while another holds it.
  class Held {
   public:
    Held(IdempotencyLocks& locks, std::string key);
    ~Held();
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

   private:
    IdempotencyLocks& locks_;
    std::string key_;
  };

 private:
  std::mutex mu_;
  std::condition_variable released_;
  std::unordered_set<std::string> held_;
};

namespace api {

// The answer a key's first request got, as kept in the request record:
//   [ version u8 = 1 ][ fingerprint length u8 ][ fingerprint ]
//   [ status u16 BE ][ header count u8 ]
//   per header: [ name length u8 ][ name ][ value length u16 BE ][ value ]
//   [ body: the rest ]
// Headers kept: Content-Type, Location, ETag, Content-Disposition and
// Cache-Control (never Set-Cookie; the router adds the rest to every answer).
struct KeptAnswer {
  std::string fingerprint;  // RequestFingerprint of the request that got it
  Response response;        // status, kept headers and body
};
inline constexpr uint8_t kKeptAnswerVersion = 1;

std::string EncodeKeptAnswer(const KeptAnswer& kept);
// nullopt when the bytes are not a kept answer of a version this build reads.
std::optional<KeptAnswer> DecodeKeptAnswer(std::string_view bytes);

// Wraps the handler of a write route: requests without Idempotency-Key, and
// public routes (no signed-in caller), go straight to `inner`.
// REQUIRES: deps outlives the handler.
Handler Idempotent(ApiDeps& deps, Handler inner);

}  // namespace api
}  // namespace ledger::http
