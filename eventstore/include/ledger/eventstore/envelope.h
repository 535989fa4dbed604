// Envelope: what the store records around every event.
//
// Stored as a FlatBuffers table (eventstore/envelope.fbs). The hash is
// SHA-256(prev_hash || CanonicalBytes(envelope without hash)); see
// docs/storage.md for the canonical byte layout.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace ledger::es {

using Hash = std::array<uint8_t, 32>;

struct Envelope {
  uint64_t position = 0;  // global, dense, from 1
  std::string stream_id;
  uint64_t stream_version = 0;  // from 1 within the stream
  std::string type;
  uint32_t schema_version = 1;
  int64_t recorded_at_us = 0;  // microseconds since the Unix epoch
  std::string actor_id;
  std::string command_id;
  std::string correlation_id;
  std::string payload;
  Hash prev_hash{};
  Hash hash{};
  bool operator==(const Envelope&) const = default;
};

// Lower-case hex of a hash (64 characters).
std::string HashToHex(const Hash& hash);
// Parses 64 hex characters; false when malformed.
bool HashFromHex(const std::string& hex, Hash* out);

}  // namespace ledger::es
