// The timeline projection: maps event times to log positions for "as of a
// time" queries. Event times (the domain `at`) need not be monotonic, so the
// log is cut at the running maximum: "as of t" is the last position P such
// that every event up to P happened at or before t.
#include <optional>
#include <string>

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
    if (!loaded_) Load(w);
    if (max_ && *max_ >= at) return;
    std::string ordered;
    AppendBE64(&ordered, OrderedTime(at));
    std::string position;
    AppendBE64(&position, env.position);
    w.Append(std::string(keys::kTimelineByTime) + ordered, position);
    w.Append(std::string(keys::kTimelineByPosition) + position, ordered);
    max_ = at;
    dirty_ = true;
  }

  void Finish(Writer& w) override {
    if (!dirty_) return;
    std::string ordered;
    AppendBE64(&ordered, OrderedTime(*max_));
    w.Put(std::string(keys::kTimelineRunningMax), std::move(ordered));
    dirty_ = false;
  }

  void Forget() override {
    loaded_ = false;
    dirty_ = false;
    max_.reset();
  }

 private:
  void Load(Writer& w) {
    std::optional<std::string> stored = w.Get(std::string(keys::kTimelineRunningMax));
    if (stored && stored->size() == 8) max_ = FromOrderedTime(ReadBE64(*stored));
    loaded_ = true;
  }

  // The running maximum of event times, kept in memory between batches and
  // written once per batch (Finish).
  std::optional<core::Timestamp> max_;
  bool loaded_ = false;
  bool dirty_ = false;
};

}  // namespace

std::unique_ptr<Projection> MakeTimelineProjection() { return std::make_unique<TimelineProjection>(); }

}  // namespace ledger::projections::internal
