// The one JSON form of a log envelope, printed by `ledger replay` and served by
// /api/v1/events and its stream (docs/api.md, "An envelope in JSON"):
//   {position, stream, version, type, schema_version, recorded_at, actor,
//    command_id, correlation_id, prev_hash, hash, payload}
// `payload` is the event decoded (core::ToJson, from the events' descriptions);
// when it cannot be decoded, `payload` is null and `payload_error` holds the
// decoder's rejection code. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "ledger/eventstore/envelope.h"

namespace ledger::app {

boost::json::object EnvelopeJson(const es::Envelope& envelope);

}  // namespace ledger::app
