// Event codec: domain events <-> FlatBuffers payloads (schemas in core/schema/),
// plus a JSON view for replay, the API and audit. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/core/domain.h"
#include "ledger/core/rejection.h"

namespace ledger::core {

// The schema version every event type is currently written with.
inline constexpr uint32_t kCurrentSchemaVersion = 1;

struct EncodedEvent {
  std::string type;  // the event struct's name, e.g. "ClaimSubmitted"
  uint32_t schema_version = kCurrentSchemaVersion;
  std::string payload;  // a FlatBuffers table
  bool operator==(const EncodedEvent&) const = default;
};

EncodedEvent Encode(const Event& event);
// Rejects (kInvalid, code "unknown_event_type" / "unsupported_schema_version" /
// "corrupt_payload") what it cannot decode; never throws.
Outcome<Event> Decode(std::string_view type, uint32_t schema_version, std::string_view payload);
// Every described field by name (event_json.h), then "type": dates as
// "YYYY-MM-DD", enums by name; password hashes are replaced by "[redacted]".
boost::json::object ToJson(const Event& event);
std::string_view EventTypeName(const Event& event);

}  // namespace ledger::core
