#include "ledger/projections/runner.h"

#include <vector>

namespace ledger::projections {

namespace {
constexpr size_t kBatch = 4096;
}

Runner::Runner(es::EventStore& store, ProjectionDb& db) : store_(store), db_(db) {}

Runner::~Runner() { Stop(); }

void Runner::Start() {
  std::lock_guard lock(mu_);
  if (subscription_) return;
  running_ = true;
  subscription_ = store_.Subscribe(
      db_.Applied() + 1, [this](std::span<const es::Envelope> batch) { Deliver(batch); }, kBatch);
}

void Runner::Stop() {
  std::unique_ptr<es::Subscription> subscription;
  {
    std::lock_guard lock(mu_);
    subscription = std::move(subscription_);
    running_ = false;
  }
  if (subscription) subscription->Stop();
}

void Runner::Deliver(std::span<const es::Envelope> envelopes) {
  es::Status status;
  {
    std::lock_guard apply(apply_mu_);
    status = db_.Apply(envelopes);
  }
  std::lock_guard lock(mu_);
  if (!status.ok() && error_.ok()) error_ = status;
  Wake();
}

// Wakes the waiters whose position is applied, and all of them once the feed
// has failed. REQUIRES: mu_ held.
void Runner::Wake() {
  const uint64_t applied = db_.Applied();
  for (auto it = waiters_.begin(); it != waiters_.end(); ++it) {
    if (it->first > applied && error_.ok()) break;
    it->second->notify_one();
  }
}

es::Status Runner::CatchUpLocked(const std::function<void(uint64_t, uint64_t)>& progress) {
  const uint64_t head = store_.GetHead().position;
  uint64_t from = db_.Applied() + 1;
  while (from <= head) {
    es::Result<std::vector<es::Envelope>> batch = store_.ReadAll(from, kBatch);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    es::Status s = db_.Apply(*batch);
    if (!s.ok()) return s;
    from = batch->back().position + 1;
    if (progress) progress(batch->back().position, head);
  }
  return es::Status::Ok();
}

es::Status Runner::CatchUp() {
  es::Status s;
  {
    std::lock_guard apply(apply_mu_);
    s = CatchUpLocked({});
  }
  std::lock_guard lock(mu_);
  Wake();
  return s;
}

bool Runner::WaitFor(uint64_t position, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  if (db_.Applied() >= position) return true;
  std::condition_variable applied;
  auto waiter = waiters_.emplace(position, &applied);
  applied.wait_for(lock, timeout, [&] { return db_.Applied() >= position || !error_.ok(); });
  waiters_.erase(waiter);
  return db_.Applied() >= position;
}

uint64_t Runner::Lag() {
  uint64_t head = store_.GetHead().position;
  uint64_t applied = db_.Applied();
  return head > applied ? head - applied : 0;
}

es::Status Runner::Rebuild(std::string_view projection, const std::function<void(uint64_t, uint64_t)>& progress) {
  bool was_running;
  {
    std::lock_guard lock(mu_);
    was_running = running_;
  }
  Stop();
  es::Status s;
  {
    std::lock_guard apply(apply_mu_);
    if (projection.empty()) {
      for (const std::string& name : ProjectionDb::ProjectionNames()) {
        s = db_.Drop(name);
        if (!s.ok()) break;
      }
    } else {
      s = db_.Drop(projection);
    }
    // Rows only written go to table files on the way (ProjectionDb::BeginBulk);
    // what was applied is ingested even when the catch-up stops part way, so
    // that the live feed goes on from the checkpoints with every row behind them.
    if (s.ok()) s = db_.BeginBulk();
    if (s.ok()) {
      s = CatchUpLocked(progress);
      es::Status ended = db_.EndBulk();
      if (s.ok()) s = ended;
    }
  }
  {
    std::lock_guard lock(mu_);
    if (s.ok()) error_ = es::Status::Ok();
    Wake();
  }
  if (was_running) Start();
  return s;
}

es::Status Runner::last_error() const {
  std::lock_guard lock(mu_);
  return error_;
}

}  // namespace ledger::projections
