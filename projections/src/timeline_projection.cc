// The timeline projection: maps event times to log positions for "as of a
// time" queries. Event times (the domain `at`) need not be monotonic, so the
// log is cut at the running maximum: "as of t" is the last position P such
// that every event up to P happened at or before t.
#include "ledger/projections/keys.h"
#include "projection.h"
#include "row_codec.h"

namespace ledger::projections::internal {
namespace {

class TimelineProjection final : public Projection {
 public:
  std::string_view name() const override { return keys::kTimelineProjection; }
  std::string_view key_namespace() const override { return keys::kTimelineNamespace; }

  void Apply(const es::Envelope& env, const core::Event* event, Writer& w) override {
    const core::Timestamp at = event ? EventTime(*event) : env.recorded_at_us;
    const std::string max_key(keys::kTimelineRunningMax);
    std::optional<std::string> max = w.Get(max_key);
    if (max && max->size() == 8 && FromOrderedTime(ReadBE64(*max)) >= at) return;
    std::string ordered;
    AppendBE64(&ordered, OrderedTime(at));
    std::string position;
    AppendBE64(&position, env.position);
    w.Append(std::string(keys::kTimelineByTime) + ordered, position);
    w.Append(std::string(keys::kTimelineByPosition) + position, ordered);
    w.Put(max_key, std::move(ordered));
  }
};

}  // namespace

std::unique_ptr<Projection> MakeTimelineProjection() { return std::make_unique<TimelineProjection>(); }

}  // namespace ledger::projections::internal
