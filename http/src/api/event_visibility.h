// The JSON view of the log's envelopes for /api/v1/events and its stream.
// Which envelopes a person may see is app::EventVisibility
// (ledger/app/event_visibility.h), shared with the portal.
#pragma once

#include <boost/json/object.hpp>

#include "ledger/app/event_visibility.h"
#include "ledger/eventstore/envelope.h"

namespace ledger::http::api {

// The JSON view of one envelope with its payload decoded.
boost::json::object EnvelopeJson(const es::Envelope& envelope);

}  // namespace ledger::http::api
