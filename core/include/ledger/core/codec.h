// Event codec: domain events <-> FlatBuffers payloads (schemas in core/schema/),
// plus a JSON view for replay, the API and audit. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
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
// The event whose ToJson is `json` (the inverse, for read models that keep
// events as JSON): every described field must be there with its JSON type;
// keys ToJson does not write are ignored. A redacted password hash comes
// back empty. Rejects (kInvalid, "unknown_event_type" / "corrupt_payload")
// anything else; never throws.
Outcome<Event> FromJson(const boost::json::object& json);

// A stream's state and version as bytes, for the read model of current states
// (projections' "states"): the state is a FlatBuffers table written from its
// description (BOOST_DESCRIBE_STRUCT beside it), like an event's payload. An
// account's password hash is never written; the decoded state has none.
std::string EncodeStreamState(const LoadedStream& stream);
// nullopt when `bytes` is not what EncodeStreamState wrote (or is damaged).
std::optional<LoadedStream> DecodeStreamState(std::string_view bytes);

}  // namespace ledger::core
