// Internal: the projection interface. A projection is a function of the
// envelope (and the event decoded from it): Apply writes its rows through the
// Writer; ProjectionDb adds the checkpoint to the same batch.
#pragma once

#include <memory>
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
};

std::unique_ptr<Projection> MakeClaimsProjection();
std::unique_ptr<Projection> MakeAuditProjection();
std::unique_ptr<Projection> MakeDirectoryProjection();
std::unique_ptr<Projection> MakeTimelineProjection();
std::unique_ptr<Projection> MakeStatesProjection();
// How many projections ProjectionDb feeds (the makers above).
inline constexpr size_t kProjectionCount = 5;

// The domain time of any event (every event carries `at`).
core::Timestamp EventTime(const core::Event& event);

}  // namespace ledger::projections::internal
