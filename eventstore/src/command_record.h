// The permanent idempotency record of one command (column family "commands")
// and the digest of a request's content that it keeps.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "envelope_codec.h"
#include "ledger/base/clearing_cache.h"
#include "ledger/eventstore/event_store.h"

namespace ledger::es {

struct CommandRecord {
  Hash digest{};
  AppendResult result;  // duplicate is always false here; result.request_tag is the request's tag
};

// The heap a record holds beyond its own object (for the writer's cache, base/clearing_cache.h).
inline uint64_t HeapBytes(const CommandRecord& r) {
  return base::HeapBytes(r.result.request_tag) + base::HeapBytes(r.result.stream_versions);
}

// SHA-256 over the request's content, command id excluded (it is the key):
//   "ledger.es.request.v1" | u32 len | actor_id | u32 len | correlation_id |
//   u32 stream count | per stream: u32 len | stream_id | u8 expected kind
//   (0 any, 1 exact) | u64 expected version | u32 event count | per event:
//   u32 len | type | u32 schema_version | u32 len | payload
// Integers big-endian. Stable across versions: it is stored in every record.
Hash RequestDigest(const AppendRequest& request, Sha256& sha);

// Version 1 when the record has no request tag (the bytes of every record
// written before tags existed), version 2 otherwise; decoding reads both.
std::string EncodeCommandRecord(const CommandRecord& record);
std::optional<CommandRecord> DecodeCommandRecord(std::string_view bytes);

}  // namespace ledger::es
