// Internal: the projection interface. A projection is a function of the
// envelope (and the event decoded from it): Apply writes its rows through the
// Writer; ProjectionDb adds the checkpoint to the same batch.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/domain.h"
#include "ledger/eventstore/envelope.h"
#include "writer.h"

namespace ledger::projections::internal {

class Projection {
 public:
  virtual ~Projection() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view key_namespace() const = 0;
  // `event` is nullptr when the envelope could not be decoded. Must depend only
  // on the envelopes applied so far, never on batch boundaries or caches.
  virtual void Apply(const es::Envelope& envelope, const core::Event* event, Writer& writer) = 0;
  // Called after the last Apply of a batch, before it is written: writes what
  // the projection kept in memory over the batch's events (a running maximum
  // written once per batch instead of once per event).
  virtual void Finish(Writer& /*writer*/) {}
  // The batch was not written (or the projection was dropped): forgets what
  // it kept in memory, to be read back from the database.
  virtual void Forget() {}
};

std::unique_ptr<Projection> MakeClaimsProjection();
std::unique_ptr<Projection> MakeAuditProjection();
std::unique_ptr<Projection> MakeDirectoryProjection();
std::unique_ptr<Projection> MakeTimelineProjection();
std::unique_ptr<Projection> MakeStatesProjection();
std::unique_ptr<Projection> MakeNoticesProjection();
// How many projections ProjectionDb feeds (the makers above).
inline constexpr size_t kProjectionCount = 6;

// An audit entry's JSON: the event at `env`, and `context` as the audit
// projection stored it (the amount and evidence in force for a claim
// decision; empty for none).
std::string AuditEntryJson(const es::Envelope& env, const core::Event* event, std::string_view context);

// The domain time of any event (every event carries `at`).
core::Timestamp EventTime(const core::Event& event);

}  // namespace ledger::projections::internal
