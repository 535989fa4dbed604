// Storage faults: the store on a file system that fails writes and syncs, runs
// out of space, or loses power. Nothing is acknowledged that is not durable,
// every command of a failed group hears why, and the log stays whole.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store_test_util.h"
#include "support/fault_fs.h"
#include "support/temp_dir.h"

namespace ledger::es {
namespace {

using testing::Simple;
using Fault = ledger::testing::FaultFs::Fault;

struct FaultyStore {
  explicit FaultyStore(bool sync = true) : fs(std::make_shared<ledger::testing::FaultFs>()) { Open(sync); }
  void Open(bool sync = true) {
    Options options;
    options.sync = sync;
    options.env = ledger::testing::FaultFs::EnvFor(fs);
    store = testing::OpenOrDie(dir.str(), options);
  }
  Result<AppendResult> Append(const std::string& command_id) {
    return store->Append(Simple(command_id, "stream-" + command_id, ExpectedVersion::NoStream(), 2, command_id));
  }

  ledger::testing::TempDir dir;
  std::shared_ptr<ledger::testing::FaultFs> fs;
  std::unique_ptr<EventStore> store;
};

// Every acknowledged command is in the reopened store with both its events,
// and the chain verifies from the first event to the head.
void CheckReopened(const std::string& dir, const std::set<std::string>& acknowledged) {
  auto store = testing::OpenOrDie(dir);
  for (const std::string& id : acknowledged) {
    auto found = store->FindCommand(id);
    REQUIRE(found.ok());
    REQUIRE_MESSAGE(found->has_value(), "acknowledged command " << id << " is missing");
    auto events = store->ReadStream("stream-" + id);
    REQUIRE(events.ok());
    CHECK(events->size() == 2);
  }
  auto report = store->Verify();
  REQUIRE(report.ok());
  CHECK_MESSAGE(report->ok, report->problem);
  CHECK(report->head.position == store->GetHead().position);
}

// `threads` writers append one command each at once; returns the results.
std::vector<Result<AppendResult>> AppendAtOnce(FaultyStore& s, const std::string& prefix, int threads) {
  std::vector<std::optional<Result<AppendResult>>> slots(threads);
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&, i] { slots[i].emplace(s.Append(prefix + std::to_string(i))); });
  }
  for (auto& w : workers) w.join();
  std::vector<Result<AppendResult>> results;
  for (auto& slot : slots) results.push_back(std::move(*slot));
  return results;
}

// After the store is reopened, each command of a group whose write failed is
// either wholly stored (its record and both events) or wholly absent.
void CheckWhollyStoredOrAbsent(EventStore& store, const std::string& id) {
  auto found = store.FindCommand(id);
  REQUIRE(found.ok());
  auto events = store.ReadStream("stream-" + id);
  REQUIRE(events.ok());
  CHECK(events->size() == (found->has_value() ? 2u : 0u));
}

TEST_CASE("a failed fsync acknowledges nothing, tells every writer, and writing stops until the store is reopened") {
  FaultyStore s;
  std::set<std::string> acknowledged;
  for (int i = 0; i < 5; ++i) {
    REQUIRE(s.Append("before-" + std::to_string(i)).ok());
    acknowledged.insert("before-" + std::to_string(i));
  }
  uint64_t head_before = s.store->GetHead().position;

  s.fs->FailSyncs(Fault::kEio);
  for (const auto& r : AppendAtOnce(s, "during-", 8)) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kIoError);
    CHECK(r.status().message().find("not stored") != std::string::npos);
  }
  CHECK(s.store->GetHead().position == head_before);

  // The disk works again, but the outcome of the failed write is unknown
  // until the store is reopened: it keeps refusing, and says what to do.
  s.fs->FailSyncs(Fault::kNone);
  auto refused = s.Append("after-fault");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message().find("restart") != std::string::npos);
  CHECK(s.store->GetHead().position == head_before);

  s.store.reset();
  s.Open();
  for (int i = 0; i < 8; ++i) CheckWhollyStoredOrAbsent(*s.store, "during-" + std::to_string(i));
  // A retry with the same command id is stored once: new, or the original.
  auto retried = s.Append("during-0");
  REQUIRE_MESSAGE(retried.ok(), retried.status().ToString());
  acknowledged.insert("during-0");
  REQUIRE(s.Append("after-restart").ok());
  acknowledged.insert("after-restart");
  s.store.reset();
  CheckReopened(s.dir.str(), acknowledged);
}

TEST_CASE("a write that finds the disk full is refused with a clear error and the reopened store writes again") {
  FaultyStore s;
  REQUIRE(s.Append("first").ok());
  s.fs->FailWrites(Fault::kNoSpace);
  for (const auto& r : AppendAtOnce(s, "full-", 4)) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kIoError);
    CHECK(r.status().message().find("not stored") != std::string::npos);
  }
  s.fs->FailWrites(Fault::kNone);
  s.store.reset();
  s.Open();
  for (int i = 0; i < 4; ++i) CheckWhollyStoredOrAbsent(*s.store, "full-" + std::to_string(i));
  REQUIRE(s.Append("space-again").ok());
  s.store.reset();
  CheckReopened(s.dir.str(), {"first", "space-again"});
}

TEST_CASE("below the free-space reserve appends are refused, and they succeed by themselves once space returns") {
  FaultyStore s;
  REQUIRE(s.Append("first").ok());
  uint64_t head = s.store->GetHead().position;
  s.fs->ReportFreeSpace(10ull << 20);  // 10 MiB, under the 64 MiB reserve
  for (const auto& r : AppendAtOnce(s, "low-", 4)) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kIoError);
    CHECK(r.status().message().find("10 MiB free") != std::string::npos);
    CHECK(r.status().message().find("not stored") != std::string::npos);
  }
  CHECK(s.store->GetHead().position == head);

  s.fs->ReportFreeSpace(std::nullopt);
  auto again = s.Append("low-0");
  REQUIRE_MESSAGE(again.ok(), again.status().ToString());
  CHECK_FALSE(again->duplicate);
  s.store.reset();
  CheckReopened(s.dir.str(), {"first", "low-0"});
}

TEST_CASE("after a power cut every acknowledged command is present and the chain verifies") {
  for (int trial = 0; trial < 4; ++trial) {
    CAPTURE(trial);
    FaultyStore s;
    std::mutex mu;
    std::set<std::string> acknowledged;
    std::atomic<int> acks{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        for (int i = 0; !stop.load(); ++i) {
          std::string id = "t" + std::to_string(trial) + "-w" + std::to_string(w) + "-" + std::to_string(i);
          if (s.Append(id).ok()) {
            std::lock_guard lock(mu);
            acknowledged.insert(id);
            acks.fetch_add(1);
          }
        }
      });
    }
    // Cut the power at a different point of each trial, with writers in flight.
    int cut_after = 50 + 70 * trial;
    while (acks.load() < cut_after) std::this_thread::yield();
    s.fs->PowerCut();
    // Writers in flight now fail; none may be told "stored" from here on, so
    // every command they were told about must survive the cut.
    for (int i = 0; i < 100; ++i) std::this_thread::yield();
    stop = true;
    for (auto& w : writers) w.join();
    s.store.reset();
    s.fs->DropUnsynced();
    CheckReopened(s.dir.str(), acknowledged);
  }
}

TEST_CASE("a store opened without sync keeps, after a power cut, what was appended before its last Sync") {
  FaultyStore s(/*sync=*/false);
  for (int i = 0; i < 5; ++i) REQUIRE(s.Append("kept-" + std::to_string(i)).ok());
  uint64_t synced_head = s.store->GetHead().position;
  REQUIRE(s.store->Sync().ok());
  for (int i = 0; i < 5; ++i) REQUIRE(s.Append("lost-" + std::to_string(i)).ok());
  CHECK(s.store->GetHead().position == synced_head + 10);
  s.fs->PowerCut();
  s.store.reset();
  s.fs->DropUnsynced();
  std::set<std::string> kept;
  for (int i = 0; i < 5; ++i) kept.insert("kept-" + std::to_string(i));
  CheckReopened(s.dir.str(), kept);
  auto reopened = testing::OpenOrDie(s.dir.str());
  CHECK(reopened->GetHead().position == synced_head);
  auto lost = reopened->FindCommand("lost-0");
  REQUIRE(lost.ok());
  CHECK_FALSE(lost->has_value());
}

TEST_CASE("Sync reports a disk that refuses to sync") {
  FaultyStore s(/*sync=*/false);
  REQUIRE(s.Append("a").ok());
  s.fs->FailSyncs(Fault::kEio);
  Status failed = s.store->Sync();
  CHECK(failed.code() == Status::Code::kIoError);
  CHECK(failed.ToString().find("syncing the write-ahead log") != std::string::npos);
}

}  // namespace
}  // namespace ledger::es
