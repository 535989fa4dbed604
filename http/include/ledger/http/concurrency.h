// Optimistic concurrency and safe retries at the HTTP edge.
//
// ETag: a resource's stream version as a strong entity tag ("\"7\"").
// If-Match: the version the client last saw; stale -> 412.
// Idempotency-Key: a client-chosen key turned into a deterministic command id,
// and a fingerprint of the request bound to it (api/idempotency.h keeps each
// key's first answer and replays it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/http/message.h"

namespace ledger::http {

// "\"7\"" for version 7.
std::string ETagFor(uint64_t version);

struct IfMatch {
  bool present = false;    // the header was sent
  bool any = false;        // "*"
  bool malformed = false;  // not "*" nor a list of our ETags (weak tags are malformed: If-Match is strong)
  std::vector<uint64_t> versions;
  // The version to expect when exactly one was given.
  std::optional<uint64_t> single() const;
};
IfMatch ParseIfMatch(std::string_view header);

// nullopt when the request may proceed against current_version: no If-Match,
// "*", or a list containing current_version. Otherwise the 412 answer
// (a malformed header is a 400).
std::optional<Response> CheckIfMatch(const Request& request, uint64_t current_version);

// Idempotency-Key: 1 to 200 visible ASCII characters. nullopt when the header
// is absent; the 400 answer in *bad when it is malformed.
std::optional<std::string> IdempotencyKey(const Request& request, std::optional<Response>* bad);
// Hex SHA-256 of username, a NUL byte and key: the same caller retrying with
// the same key always names the same command; two callers never collide.
std::string CommandIdFor(std::string_view username, std::string_view key);

// What makes two requests "the same request" under one Idempotency-Key: hex
// SHA-256 (64 characters) of "ledger.http.request.v1", method, target (path
// and query, as sent), Content-Type and body, each but the body followed by a
// NUL byte. Stable across versions: it is kept with every key's answer.
std::string RequestFingerprint(const Request& request);

}  // namespace ledger::http
