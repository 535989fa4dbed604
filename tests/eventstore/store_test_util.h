// Small builders for event store tests.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "ledger/eventstore/event_store.h"

namespace ledger::es::testing {

class FixedClock final : public Clock {
 public:
  explicit FixedClock(int64_t now) : now_(now) {}
  int64_t NowMicros() const override { return now_; }

 private:
  int64_t now_;
};

inline EventData Event(std::string type, std::string payload) {
  return EventData{std::move(type), 1, std::move(payload)};
}

inline StreamAppend ToStream(std::string stream_id, ExpectedVersion expected, std::vector<EventData> events) {
  return StreamAppend{std::move(stream_id), expected, std::move(events)};
}

inline AppendRequest Command(std::string command_id, std::vector<StreamAppend> streams) {
  AppendRequest r;
  r.command_id = std::move(command_id);
  r.actor_id = "user:alice";
  r.correlation_id = "corr-1";
  r.streams = std::move(streams);
  return r;
}

// One stream, `n` events "T" with payloads "<prefix>-<i>".
inline AppendRequest Simple(std::string command_id, std::string stream_id, ExpectedVersion expected, int n = 1,
                            const std::string& prefix = "p") {
  std::vector<EventData> events;
  for (int i = 0; i < n; ++i) events.push_back(Event("Happened", prefix + "-" + std::to_string(i)));
  return Command(std::move(command_id), {ToStream(std::move(stream_id), expected, std::move(events))});
}

inline std::unique_ptr<EventStore> OpenOrDie(const std::string& dir, const Options& options = {}) {
  auto store = EventStore::Open(dir, options);
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  return std::move(store).value();
}

}  // namespace ledger::es::testing
