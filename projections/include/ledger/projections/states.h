// The read model of current states: every stream's state and version as the
// write side folds it (core::Evolve), kept by the "states" projection, so that
// a page or an answer that shows a service, an offer, an organisation, an
// account, a claim or a payment run reads one row instead of the stream.
// Current only (the applied head); "as of" questions go to the claims and
// directory projections. Thread-safe.
#pragma once

#include <string_view>

#include "ledger/core/domain.h"
#include "ledger/eventstore/status.h"
#include "ledger/projections/projection_db.h"

namespace ledger::projections {

// The state and version of `stream_id` at the applied head, as
// app::CommandBus::LoadStream gives it: version 0 (and the initial state) when
// no event of the stream is applied yet. An account's state carries no
// password hash.
es::Result<core::LoadedStream> FindStreamState(const ProjectionDb& db, std::string_view stream_id);

}  // namespace ledger::projections
