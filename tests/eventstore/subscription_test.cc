// Catch-up subscriptions: every event from the start position, in order, then
// live events, with no gap and no duplicate while appenders run.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "ledger/eventstore/event_store.h"
#include "store_test_util.h"
#include "support/temp_dir.h"

namespace ledger::es {
namespace {

using testing::Command;
using testing::Event;
using testing::OpenOrDie;
using testing::Simple;
using testing::ToStream;

// Collects delivered envelopes' positions and per-stream versions.
class Collector {
 public:
  void Deliver(std::span<const Envelope> batch) {
    std::lock_guard lock(mu_);
    for (const Envelope& e : batch) {
      positions_.push_back(e.position);
      uint64_t& last = stream_versions_[e.stream_id];
      if (e.stream_version != last + 1) stream_order_ok_ = false;
      last = e.stream_version;
    }
    cv_.notify_all();
  }
  // Waits until `count` positions arrived (fails the test after a generous bound).
  void WaitFor(size_t count) {
    std::unique_lock lock(mu_);
    bool arrived = cv_.wait_for(lock, std::chrono::minutes(2), [&] { return positions_.size() >= count; });
    REQUIRE_MESSAGE(arrived, "only " << positions_.size() << " of " << count << " events arrived");
  }
  std::vector<uint64_t> positions() {
    std::lock_guard lock(mu_);
    return positions_;
  }
  bool stream_order_ok() {
    std::lock_guard lock(mu_);
    return stream_order_ok_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<uint64_t> positions_;
  std::map<std::string, uint64_t> stream_versions_;
  bool stream_order_ok_ = true;
};

void CheckDense(const std::vector<uint64_t>& positions, uint64_t first, uint64_t last) {
  REQUIRE(positions.size() == last - first + 1);
  for (size_t i = 0; i < positions.size(); ++i) {
    if (positions[i] != first + i) {
      FAIL("position " << first + i << " expected at index " << i << ", got " << positions[i]);
    }
  }
}

TEST_CASE("subscribers see 100k events from concurrent appenders with no gap and no duplicate") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  constexpr int kThreads = 4;
  constexpr int kCommandsPerThread = 50;
  constexpr int kEventsPerCommand = 500;
  constexpr uint64_t kTotal = uint64_t{kThreads} * kCommandsPerThread * kEventsPerCommand;

  // Some history before anyone subscribes, so catch-up reads from disk.
  REQUIRE(store->Append(Simple("history", "warmup", ExpectedVersion::Any(), 1000)).ok());
  Collector from_start, from_middle;
  auto sub_start = store->Subscribe(
      1, [&](auto batch) { from_start.Deliver(batch); }, 700);
  auto sub_middle = store->Subscribe(501, [&](auto batch) { from_middle.Deliver(batch); });

  std::vector<std::thread> appenders;
  for (int t = 0; t < kThreads; ++t) {
    appenders.emplace_back([&, t] {
      for (int c = 0; c < kCommandsPerThread; ++c) {
        std::string id = "t" + std::to_string(t) + "-" + std::to_string(c);
        auto r = store->Append(
            Simple(id, "stream-" + std::to_string(c % 3), ExpectedVersion::Any(), kEventsPerCommand, id));
        REQUIRE(r.ok());
      }
    });
  }
  for (auto& t : appenders) t.join();
  const uint64_t last = 1000 + kTotal;
  CHECK(store->GetHead().position == last);

  from_start.WaitFor(last);
  from_middle.WaitFor(last - 500);
  CheckDense(from_start.positions(), 1, last);
  CheckDense(from_middle.positions(), 501, last);
  CHECK(from_start.stream_order_ok());
  sub_start->Stop();  // joins: position() is final after the last callback returned
  CHECK(sub_start->position() == last);
  sub_middle.reset();
}

TEST_CASE("a subscriber stuck in its callback does not hold up appends and catches up afterwards") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  std::mutex gate_mu;
  std::condition_variable gate_cv;
  bool open = false;
  Collector collector;
  auto sub = store->Subscribe(
      1,
      [&](std::span<const Envelope> batch) {
        std::unique_lock lock(gate_mu);
        gate_cv.wait(lock, [&] { return open; });
        collector.Deliver(batch);
      },
      16);

  // The subscriber blocks on its first batch; appends keep completing.
  for (int i = 0; i < 200; ++i) {
    REQUIRE(store->Append(Simple("c" + std::to_string(i), "s", ExpectedVersion::Exact(i))).ok());
  }
  CHECK(collector.positions().empty());
  {
    std::lock_guard lock(gate_mu);
    open = true;
  }
  gate_cv.notify_all();
  collector.WaitFor(200);
  CheckDense(collector.positions(), 1, 200);
}

TEST_CASE("a subscription's batches end once their payloads reach the byte bound") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  const std::string payload(1000, 'x');
  for (int i = 0; i < 100; ++i) {
    REQUIRE(store
                ->Append(Command("c" + std::to_string(i),
                                 {ToStream("s", ExpectedVersion::Exact(i), {Event("Happened", payload)})}))
                .ok());
  }
  std::mutex mu;
  std::vector<size_t> sizes;
  Collector collector;
  // 3500 bytes: a batch takes events until their payloads reach it, so 4 of 1000 bytes.
  auto sub = store->Subscribe(
      1,
      [&](std::span<const Envelope> batch) {
        {
          std::lock_guard lock(mu);
          sizes.push_back(batch.size());
        }
        collector.Deliver(batch);
      },
      50, 3500);
  collector.WaitFor(100);
  sub->Stop();
  CheckDense(collector.positions(), 1, 100);
  REQUIRE(sizes.size() == 25);
  for (size_t n : sizes) CHECK(n == 4);
}

TEST_CASE("a subscription from beyond the head delivers only the live events from there") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  REQUIRE(store->Append(Simple("c0", "s", ExpectedVersion::Any(), 3)).ok());
  Collector collector;
  auto sub = store->Subscribe(5, [&](auto batch) { collector.Deliver(batch); });
  REQUIRE(store->Append(Simple("c1", "s", ExpectedVersion::Any(), 4)).ok());
  collector.WaitFor(3);
  CheckDense(collector.positions(), 5, 7);
  sub->Stop();
  sub->Stop();
  CHECK(sub->position() == 7);
}

TEST_CASE("a subscription may stop itself from inside its callback") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  REQUIRE(store->Append(Simple("c0", "s", ExpectedVersion::Any(), 10)).ok());
  std::atomic<int> batches{0};
  std::promise<void> first_batch;
  std::unique_ptr<Subscription> sub;
  std::mutex mu;  // held until `sub` is assigned, so the callback can use it
  {
    std::lock_guard lock(mu);
    sub = store->Subscribe(
        1,
        [&](auto) {
          std::lock_guard inner(mu);
          if (++batches == 1) {
            sub->Stop();
            first_batch.set_value();
          }
        },
        2);
  }
  first_batch.get_future().wait();
  sub.reset();
  CHECK(batches.load() == 1);
}

TEST_CASE("closing the store ends its subscriptions' delivery without hanging") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  REQUIRE(store->Append(Simple("c0", "s", ExpectedVersion::Any(), 3)).ok());
  Collector collector;
  auto sub = store->Subscribe(1, [&](auto batch) { collector.Deliver(batch); });
  collector.WaitFor(3);
  store.reset();
  sub->Stop();
  CHECK(sub->position() == 3);
  // The directory is free again once the subscription has gone.
  sub.reset();
  CHECK(EventStore::Open(dir.str()).ok());
}

}  // namespace
}  // namespace ledger::es
