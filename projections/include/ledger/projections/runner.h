// Runner: keeps every projection of a ProjectionDb caught up with the live
// log through the event store's catch-up subscription, in the server process.
//
// Thread-safe: every method may be called from any thread. Apply errors stop
// the feed and are reported by last_error() (and by WaitFor returning false).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "ledger/eventstore/event_store.h"
#include "ledger/projections/projection_db.h"

namespace ledger::projections {

class Runner {
 public:
  // REQUIRES: store and db outlive the runner.
  Runner(es::EventStore& store, ProjectionDb& db);
  ~Runner();  // stops the subscription
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Subscribes from the lowest checkpoint + 1; live events follow as they are appended.
  void Start();
  void Stop();

  // Applies everything up to the current head on the calling thread (no subscription needed).
  es::Status CatchUp();

  // Blocks until every projection has applied `position` (read-your-writes
  // after a command), or the timeout passes; true when applied.
  bool WaitFor(uint64_t position, std::chrono::milliseconds timeout);

  uint64_t applied() const { return db_.Applied(); }
  // Positions behind the log head (head - applied), for /metrics.
  uint64_t Lag();

  // Drops `projection` ("" = all) and rebuilds it from position 0 up to the
  // head, calling progress(applied, head) now and then. Restarts the live feed
  // if it was running.
  es::Status Rebuild(std::string_view projection,
                     const std::function<void(uint64_t applied, uint64_t head)>& progress = {});

  es::Status last_error() const;

 private:
  void Deliver(std::span<const es::Envelope> envelopes);
  es::Status CatchUpLocked(const std::function<void(uint64_t, uint64_t)>& progress);
  void Wake();

  es::EventStore& store_;
  ProjectionDb& db_;
  std::mutex apply_mu_;  // one writer: the subscription thread, CatchUp or Rebuild
  mutable std::mutex mu_;
  // Each waiter's position and wake-up: a batch applied wakes only those it
  // reaches (guarded by mu_).
  std::multimap<uint64_t, std::condition_variable*> waiters_;
  es::Status error_;
  std::unique_ptr<es::Subscription> subscription_;
  bool running_ = false;
};

}  // namespace ledger::projections
