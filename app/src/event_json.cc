#include "ledger/app/event_json.h"

#include "ledger/core/codec.h"
#include "ledger/projections/claim_views.h"

namespace ledger::app {

boost::json::object EnvelopeJson(const es::Envelope& e) {
  boost::json::object o;
  o["position"] = e.position;
  o["stream"] = e.stream_id;
  o["version"] = e.stream_version;
  o["type"] = e.type;
  o["schema_version"] = e.schema_version;
  o["recorded_at"] = projections::FormatTimestamp(e.recorded_at_us);
  o["actor"] = e.actor_id;
  o["command_id"] = e.command_id;
  o["correlation_id"] = e.correlation_id;
  o["prev_hash"] = es::HashToHex(e.prev_hash);
  o["hash"] = es::HashToHex(e.hash);
  auto event = core::Decode(e.type, e.schema_version, e.payload);
  if (event.ok()) {
    o["payload"] = core::ToJson(*event);
  } else {
    o["payload"] = nullptr;
    o["payload_error"] = event.rejection().code;
  }
  return o;
}

}  // namespace ledger::app
