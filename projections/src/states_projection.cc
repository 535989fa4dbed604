// The states projection: each stream's state evolved event by event, exactly
// as the command path folds it, with the stream's version.
#include "ledger/core/codec.h"
#include "ledger/projections/keys.h"
#include "projection.h"

namespace ledger::projections::internal {
namespace {

class StatesProjection final : public Projection {
 public:
  std::string_view name() const override { return keys::kStatesProjection; }
  std::string_view key_namespace() const override { return keys::kStatesNamespace; }

  // An event that does not decode leaves its stream's state as it was (the
  // command path refuses to fold that stream too, until the log is repaired).
  void Apply(const es::Envelope& env, const core::Event* event, Writer& w) override {
    if (event == nullptr) return;
    const std::string key = std::string(keys::kStatesNamespace).append(env.stream_id);
    core::LoadedStream stream{0, core::InitialState(env.stream_id)};
    if (std::optional<std::string> row = w.Get(key)) {
      if (std::optional<core::LoadedStream> stored = core::DecodeStreamState(*row)) stream = std::move(*stored);
    }
    stream.state = core::Evolve(std::move(stream.state), *event);
    stream.version = env.stream_version;
    w.Put(key, core::EncodeStreamState(stream));
  }
};

}  // namespace

std::unique_ptr<Projection> MakeStatesProjection() { return std::make_unique<StatesProjection>(); }

}  // namespace ledger::projections::internal
