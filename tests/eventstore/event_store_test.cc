// Behaviour of the event store through its public API, on a real RocksDB.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
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

TEST_CASE("appended events read back from their stream and from the log with every envelope field") {
  ledger::testing::TempDir dir;
  testing::FixedClock clock(1'700'000'000'123'456);
  Options options;
  options.clock = &clock;
  auto store = OpenOrDie(dir.str(), options);

  AppendRequest req = Command("cmd-1", {ToStream("claim-1", ExpectedVersion::NoStream(),
                                                 {Event("Submitted", "a"), Event("Noted", std::string("\0b", 2))})});
  req.streams[0].events[1].schema_version = 3;
  auto result = store->Append(req);
  REQUIRE(result.ok());
  CHECK(result->first_position == 1);
  CHECK(result->last_position == 2);
  CHECK(result->stream_versions == std::vector<uint64_t>{2});
  CHECK_FALSE(result->duplicate);

  auto events = store->ReadStream("claim-1");
  REQUIRE(events.ok());
  REQUIRE(events->size() == 2);
  const Envelope& second = (*events)[1];
  CHECK(second.position == 2);
  CHECK(second.stream_id == "claim-1");
  CHECK(second.stream_version == 2);
  CHECK(second.type == "Noted");
  CHECK(second.schema_version == 3);
  CHECK(second.recorded_at_us == 1'700'000'000'123'456);
  CHECK(second.actor_id == "user:alice");
  CHECK(second.command_id == "cmd-1");
  CHECK(second.correlation_id == "corr-1");
  CHECK(second.payload == std::string("\0b", 2));
  CHECK(second.prev_hash == (*events)[0].hash);
  CHECK((*events)[0].prev_hash == Hash{});

  auto all = store->ReadAll(1, 10);
  REQUIRE(all.ok());
  CHECK(*all == *events);
  Head head = store->GetHead();
  CHECK(head.position == 2);
  CHECK(head.hash == second.hash);
  CHECK(store->StreamVersion("claim-1").value() == 2);
  CHECK(store->StreamVersion("nothing-here").value() == 0);
}

TEST_CASE("reads honour from-version, from-position and limits") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  for (int i = 0; i < 5; ++i) {
    REQUIRE(store->Append(Simple("a" + std::to_string(i), "s-a", ExpectedVersion::Any())).ok());
    REQUIRE(store->Append(Simple("b" + std::to_string(i), "s-ab", ExpectedVersion::Any())).ok());
  }
  auto a = store->ReadStream("s-a", 3, 2);
  REQUIRE(a.ok());
  REQUIRE(a->size() == 2);
  CHECK((*a)[0].stream_version == 3);
  CHECK((*a)[1].stream_version == 4);
  CHECK((*a)[0].stream_id == "s-a");
  CHECK(store->ReadStream("s-ab").value().size() == 5);
  CHECK(store->ReadStream("s").value().empty());

  auto page = store->ReadAll(4, 3);
  REQUIRE(page.ok());
  REQUIRE(page->size() == 3);
  CHECK((*page)[0].position == 4);
  CHECK((*page)[2].position == 6);
  CHECK(store->ReadAll(11, 5).value().empty());

  std::vector<uint64_t> seen;
  REQUIRE(store
              ->Scan(7, 0,
                     [&](const Envelope& e) {
                       seen.push_back(e.position);
                       return true;
                     })
              .ok());
  CHECK(seen == std::vector<uint64_t>{7, 8, 9, 10});
}

TEST_CASE("a wrong expected version is a conflict naming the stream and its actual version") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  REQUIRE(store->Append(Simple("c1", "claim-7", ExpectedVersion::NoStream(), 3)).ok());

  auto stale = store->Append(Simple("c2", "claim-7", ExpectedVersion::Exact(2)));
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.status().code() == Status::Code::kConflict);
  CHECK(stale.status().message().find("claim-7") != std::string::npos);
  CHECK(stale.status().message().find("version 3") != std::string::npos);

  auto exists = store->Append(Simple("c3", "claim-7", ExpectedVersion::NoStream()));
  CHECK(exists.status().code() == Status::Code::kConflict);
  auto missing = store->Append(Simple("c4", "claim-8", ExpectedVersion::Exact(1)));
  CHECK(missing.status().code() == Status::Code::kConflict);
  CHECK(missing.status().message().find("claim-8 is at version 0") != std::string::npos);

  CHECK(store->GetHead().position == 3);
  CHECK(store->Append(Simple("c2", "claim-7", ExpectedVersion::Exact(3))).ok());
  CHECK(store->StreamVersion("claim-7").value() == 4);
}

TEST_CASE("a retried command with the same content returns the original result and writes nothing") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  REQUIRE(store->Append(Simple("first", "s1", ExpectedVersion::Any())).ok());
  AppendRequest req = Command("cmd-x", {ToStream("s1", ExpectedVersion::Exact(1), {Event("E", "1"), Event("E", "2")}),
                                        ToStream("s2", ExpectedVersion::NoStream(), {Event("E", "3")})});
  auto original = store->Append(req);
  REQUIRE(original.ok());
  REQUIRE(store->Append(Simple("later", "s3", ExpectedVersion::Any())).ok());

  auto retry = store->Append(req);
  REQUIRE(retry.ok());
  CHECK(retry->duplicate);
  CHECK(retry->first_position == original->first_position);
  CHECK(retry->last_position == original->last_position);
  CHECK(retry->stream_versions == original->stream_versions);
  CHECK(store->GetHead().position == 5);
  CHECK(store->StreamVersion("s1").value() == 3);
}

TEST_CASE("a command id reused with different content is refused and writes nothing") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  REQUIRE(store->Append(Simple("cmd-1", "s1", ExpectedVersion::Any(), 1, "original")).ok());
  auto changed = store->Append(Simple("cmd-1", "s1", ExpectedVersion::Any(), 1, "changed"));
  REQUIRE_FALSE(changed.ok());
  CHECK(changed.status().code() == Status::Code::kIdempotencyMismatch);
  CHECK(changed.status().message().find("cmd-1") != std::string::npos);
  auto other_stream = store->Append(Simple("cmd-1", "s2", ExpectedVersion::Any(), 1, "original"));
  CHECK(other_stream.status().code() == Status::Code::kIdempotencyMismatch);
  CHECK(store->GetHead().position == 1);
}

TEST_CASE("idempotency survives reopening the store") {
  ledger::testing::TempDir dir;
  AppendRequest req = Simple("cmd-keep", "s1", ExpectedVersion::NoStream(), 2);
  AppendResult original;
  {
    auto store = OpenOrDie(dir.str());
    original = store->Append(req).value();
  }
  auto store = OpenOrDie(dir.str());
  auto retry = store->Append(req);
  REQUIRE(retry.ok());
  CHECK(retry->duplicate);
  CHECK(retry->first_position == original.first_position);
  CHECK(retry->stream_versions == original.stream_versions);
  CHECK(store->Append(Simple("cmd-keep", "s1", ExpectedVersion::NoStream(), 3)).status().code() ==
        Status::Code::kIdempotencyMismatch);
}

TEST_CASE("a conflict on one stream of a multi-stream command writes nothing on any stream") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  REQUIRE(store->Append(Simple("reserve", "uniq:P1/flu/2025-01", ExpectedVersion::NoStream())).ok());

  AppendRequest req = Command("claim", {ToStream("claim-9", ExpectedVersion::NoStream(), {Event("Submitted", "x")}),
                                        ToStream("uniq:P1/flu/2025-01", ExpectedVersion::NoStream(),
                                                 {Event("Reserved", "claim-9")})});
  auto result = store->Append(req);
  CHECK(result.status().code() == Status::Code::kConflict);
  CHECK(result.status().message().find("uniq:P1/flu/2025-01") != std::string::npos);
  CHECK(store->StreamVersion("claim-9").value() == 0);
  CHECK(store->ReadStream("claim-9").value().empty());
  CHECK(store->GetHead().position == 1);

  // The failed command id was not recorded: it may be used once the conflict is resolved.
  req.streams[1].stream_id = "uniq:P1/flu/2025-02";
  auto retry = store->Append(req);
  REQUIRE(retry.ok());
  CHECK_FALSE(retry->duplicate);
  CHECK(retry->stream_versions == std::vector<uint64_t>{1, 1});
  CHECK(retry->first_position == 2);
  CHECK(retry->last_position == 3);
}

TEST_CASE("bad input is rejected as invalid and writes nothing") {
  ledger::testing::TempDir dir;
  Options options;
  options.max_event_bytes = 1000;
  options.max_events_per_append = 5;
  auto store = OpenOrDie(dir.str(), options);
  auto check_invalid = [&](const AppendRequest& req, const std::string& mentions) {
    auto r = store->Append(req);
    CHECK_MESSAGE(r.status().code() == Status::Code::kInvalid, r.status().ToString());
    CHECK_MESSAGE(r.status().message().find(mentions) != std::string::npos, r.status().ToString());
  };
  check_invalid(Command("c", {}), "no stream");
  check_invalid(Command("c", {ToStream("s", ExpectedVersion::Any(), {})}), "no events");
  check_invalid(Simple("c", "", ExpectedVersion::Any()), "stream id is empty");
  check_invalid(Simple("c", "has space", ExpectedVersion::Any()), "character outside");
  check_invalid(Simple("c", std::string("nul\0x", 5), ExpectedVersion::Any()), "character outside");
  check_invalid(Simple("c", std::string(201, 's'), ExpectedVersion::Any()), "limit is 200");
  CHECK(store->Append(Simple("ok-200", std::string(200, 's'), ExpectedVersion::Any())).ok());
  check_invalid(Simple("", "s", ExpectedVersion::Any()), "command id is empty");
  check_invalid(Simple("a b", "s", ExpectedVersion::Any()), "command id");
  check_invalid(Simple(std::string(129, 'c'), "s", ExpectedVersion::Any()), "limit is 128");
  check_invalid(Command("c", {ToStream("s", ExpectedVersion::Any(), {Event("Bad Type", "x")})}), "event type");
  check_invalid(Command("c", {ToStream("s", ExpectedVersion::Any(), {Event("", "x")})}), "event type is empty");
  check_invalid(Command("c", {ToStream("s", ExpectedVersion::Any(), {Event("E", std::string(1001, 'x'))})}),
                "limit is 1000");
  CHECK(store->Append(Command("ok-1000", {ToStream("s", ExpectedVersion::Any(), {Event("E", std::string(1000, 'x'))})}))
            .ok());
  check_invalid(Simple("c", "s", ExpectedVersion::Any(), 6), "limit is 5");
  check_invalid(Command("c", {ToStream("s", ExpectedVersion::Any(), {Event("E", "1")}),
                              ToStream("s", ExpectedVersion::Any(), {Event("E", "2")})}),
                "more than once");
  CHECK(store->GetHead().position == 2);
}

TEST_CASE("expected versions parse from text and unknown forms are refused") {
  CHECK(ExpectedVersion::Parse("any") == ExpectedVersion::Any());
  CHECK(ExpectedVersion::Parse("no-stream") == ExpectedVersion::NoStream());
  CHECK(ExpectedVersion::Parse("17") == ExpectedVersion::Exact(17));
  CHECK_FALSE(ExpectedVersion::Parse("").has_value());
  CHECK_FALSE(ExpectedVersion::Parse("-1").has_value());
  CHECK_FALSE(ExpectedVersion::Parse("latest").has_value());
  CHECK_FALSE(ExpectedVersion::Parse("12x").has_value());
  CHECK_FALSE(ExpectedVersion::Parse("99999999999999999999").has_value());
}

TEST_CASE("hashes round trip through hex and malformed hex is refused") {
  Hash h{};
  for (size_t i = 0; i < h.size(); ++i) h[i] = static_cast<uint8_t>(i * 7 + 1);
  Hash back{};
  REQUIRE(HashFromHex(HashToHex(h), &back));
  CHECK(back == h);
  CHECK(HashToHex(Hash{}) == std::string(64, '0'));
  CHECK_FALSE(HashFromHex("abc", &back));
  CHECK_FALSE(HashFromHex(std::string(63, '0') + "g", &back));
}

TEST_CASE("the log, heads and stream versions survive close and reopen") {
  ledger::testing::TempDir dir;
  Head before;
  {
    auto store = OpenOrDie(dir.str());
    for (int i = 0; i < 20; ++i) {
      REQUIRE(
          store->Append(Simple("c" + std::to_string(i), "s" + std::to_string(i % 3), ExpectedVersion::Any(), 2)).ok());
    }
    before = store->GetHead();
  }
  auto store = OpenOrDie(dir.str());
  CHECK(store->GetHead().position == 40);
  CHECK(store->GetHead().hash == before.hash);
  CHECK(store->StreamVersion("s0").value() == 14);
  auto next = store->Append(Simple("after", "s0", ExpectedVersion::Exact(14)));
  REQUIRE(next.ok());
  CHECK(next->first_position == 41);
  auto report = store->Verify();
  REQUIRE(report.ok());
  CHECK(report->ok);
  CHECK(report->events_checked == 41);
  CHECK(report->head.position == 41);
  CHECK(report->head.hash == store->GetHead().hash);
}

TEST_CASE("a second writer on the same directory is told it is busy") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  auto second = EventStore::Open(dir.str());
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == Status::Code::kBusy);
  CHECK(second.status().message().find("in use by another ledger process") != std::string::npos);
  CHECK(second.status().message().find(dir.str()) != std::string::npos);
}

TEST_CASE("a read-only open reads what the writer had stored and refuses appends") {
  ledger::testing::TempDir dir;
  auto writer = OpenOrDie(dir.str());
  REQUIRE(writer->Append(Simple("c1", "s1", ExpectedVersion::Any(), 3)).ok());
  Options ro;
  ro.read_only = true;
  auto reader = OpenOrDie(dir.str(), ro);
  CHECK(reader->GetHead().position == 3);
  CHECK(reader->GetHead().hash == writer->GetHead().hash);
  CHECK(reader->ReadStream("s1").value().size() == 3);
  CHECK(reader->Verify().value().ok);
  CHECK(reader->Append(Simple("c2", "s1", ExpectedVersion::Any())).status().code() == Status::Code::kInvalid);
  CHECK(writer->Append(Simple("c2", "s1", ExpectedVersion::Any())).ok());
}

TEST_CASE("opening a missing directory read-only is not found and creates nothing") {
  ledger::testing::TempDir dir;
  Options ro;
  ro.read_only = true;
  auto r = EventStore::Open(dir.Sub("absent"), ro);
  CHECK(r.status().code() == Status::Code::kNotFound);
  CHECK_FALSE(std::filesystem::exists(dir.Sub("absent")));
}

TEST_CASE("wait for head returns once the position is written, or at the timeout") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  CHECK(store->WaitForHead(1, 10).position == 0);
  std::thread appender([&] { REQUIRE(store->Append(Simple("c1", "s", ExpectedVersion::Any(), 2)).ok()); });
  Head head = store->WaitForHead(2, 60'000);
  appender.join();
  CHECK(head.position == 2);
}

TEST_CASE("a checkpoint is a consistent store that opens on its own") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.Sub("db"));
  REQUIRE(store->Append(Simple("c1", "s", ExpectedVersion::Any(), 4)).ok());
  REQUIRE(store->Checkpoint(dir.Sub("copy")).ok());
  REQUIRE(store->Append(Simple("c2", "s", ExpectedVersion::Any())).ok());
  auto copy = OpenOrDie(dir.Sub("copy"));
  CHECK(copy->GetHead().position == 4);
  CHECK(copy->Verify().value().ok);
  CHECK(store->Checkpoint(dir.Sub("copy")).code() != Status::Code::kOk);
}

TEST_CASE("writer stats count commands, events and synced batches") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  REQUIRE(store->Append(Simple("c1", "s", ExpectedVersion::Any(), 3)).ok());
  REQUIRE(store->Append(Simple("c1", "s", ExpectedVersion::Any(), 3)).ok());
  WriterStats stats = store->Stats();
  CHECK(stats.appends == 2);
  CHECK(stats.events == 3);
  CHECK(stats.batches == 1);
  CHECK(stats.max_batch_commands == 1);
}

// The bytes of the write-ahead log files (*.log) in dir.
uint64_t WalBytes(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".log") total += entry.file_size();
  }
  return total;
}

// A store at dir with 4 MiB appended in 1 KiB events.
std::unique_ptr<EventStore> FourMiB(const std::string& dir, uint64_t max_wal_bytes) {
  Options options;
  options.sync = false;
  options.max_wal_bytes = max_wal_bytes;
  auto store = OpenOrDie(dir, options);
  const std::string payload(1000, 'x');
  for (int i = 0; i < 4096; ++i) {
    auto appended = store->Append(
        Command("c" + std::to_string(i),
                {ToStream("s" + std::to_string(i % 64), ExpectedVersion::Any(), {Event("Happened", payload)})}));
    REQUIRE(appended.ok());
  }
  return store;
}

TEST_CASE("the write-ahead log stays bounded by Options::max_wal_bytes, and a flushed store loses nothing") {
  ledger::testing::TempDir dir;
  uint64_t later = 0;  // the head once the old files are gone
  {
    // RocksDB's own default: nothing is flushed, every WAL file stays.
    auto store = FourMiB(dir.Sub("unbounded"), 0);
    CHECK(WalBytes(dir.Sub("unbounded")) > (4u << 20));
  }
  {
    auto store = FourMiB(dir.Sub("bounded"), 1 << 20);
    // Past the limit RocksDB flushes in the background and starts a new file
    // at the next write once that flush is done (while it runs, the newest file
    // keeps growing). A store in use keeps writing: so does this one, one small
    // event per 100 ms, until the old files are gone (a bound, not a speed: at
    // most 30 s).
    uint64_t wal = WalBytes(dir.Sub("bounded"));
    for (int i = 0; i < 300 && wal >= (2u << 20); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      REQUIRE(store
                  ->Append(Command("later" + std::to_string(i),
                                   {ToStream("later", ExpectedVersion::Any(), {Event("Happened", "{}")})}))
                  .ok());
      wal = WalBytes(dir.Sub("bounded"));
    }
    CHECK(wal < (2u << 20));
    later = store->GetHead().position;
  }
  auto reopened = OpenOrDie(dir.Sub("bounded"));
  CHECK(later >= 4096);
  CHECK(reopened->GetHead().position == later);
  CHECK(reopened->Verify().value().ok);
}

TEST_CASE("the memory figures count the block cache, which every column family shares, once") {
  ledger::testing::TempDir dir;
  Options unsynced;
  unsynced.sync = false;
  const std::string payload(1000, 'x');
  {
    // About 24 MB of events; closing and reopening flushes them to table files.
    auto store = OpenOrDie(dir.str(), unsynced);
    for (int c = 0; c < 240; ++c) {
      std::vector<EventData> events(100, Event("Happened", payload));
      REQUIRE(
          store->Append(Command("fill-" + std::to_string(c), {ToStream("s", ExpectedVersion::Any(), events)})).ok());
    }
  }
  auto store = OpenOrDie(dir.str(), unsynced);
  auto events = store->ReadStream("s");  // point reads, which go through the block cache
  REQUIRE(events.ok());
  REQUIRE(events->size() == 24'000);
  const MemoryUsage memory = store->Memory();
  CHECK(memory.block_cache > (8u << 20));    // the reads filled it
  CHECK(memory.block_cache <= (64u << 20));  // its capacity: counted once, not once per column family
}

}  // namespace
}  // namespace ledger::es
