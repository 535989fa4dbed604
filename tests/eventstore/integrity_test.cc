// The hash chain: Verify finds the exact position of any change to stored
// events, and the store refuses formats it does not know.
#include <doctest/doctest.h>

#include "ledger/eventstore/event_store.h"
#include "raw_db.h"
#include "storage_format.h"
#include "store_test_util.h"
#include "support/temp_dir.h"

namespace ledger::es {
namespace {

using testing::OpenOrDie;
using testing::Simple;

constexpr int kEvents = 60;

// A store with kEvents events whose payloads are "payload-<position>".
void Fill(const std::string& dir) {
  auto store = OpenOrDie(dir);
  for (int i = 1; i <= kEvents; ++i) {
    AppendRequest req = Simple("c" + std::to_string(i), "s" + std::to_string(i % 4), ExpectedVersion::Any());
    req.streams[0].events[0].payload = "payload-" + std::to_string(i);
    REQUIRE(store->Append(req).ok());
  }
}

VerifyReport VerifyDir(const std::string& dir) {
  auto store = OpenOrDie(dir);
  auto report = store->Verify();
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  return *report;
}

TEST_CASE("an intact log verifies and reports its head hash") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  auto store = OpenOrDie(dir.str());
  std::vector<uint64_t> progress;
  auto report = store->Verify(1, 0, [&](uint64_t p) { progress.push_back(p); });
  REQUIRE(report.ok());
  CHECK(report->ok);
  CHECK(report->events_checked == kEvents);
  CHECK(report->head.position == kEvents);
  CHECK(report->head.hash == store->GetHead().hash);
  CHECK_FALSE(progress.empty());

  auto middle = store->Verify(20, 30);
  REQUIRE(middle.ok());
  CHECK(middle->ok);
  CHECK(middle->events_checked == 11);
  CHECK(middle->head.position == 30);
  CHECK(middle->head.hash == store->ReadAll(30, 1).value()[0].hash);
}

TEST_CASE("changing one byte of one stored event's payload makes verify name that position") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  const uint64_t target = 37;
  {
    testing::RawDb raw(dir.str());
    std::string value = raw.Get(Cf::kEvents, format::PositionKey(target));
    size_t at = value.find("payload-37");
    REQUIRE(at != std::string::npos);
    value[at + 3] ^= 0x01;
    raw.Put(Cf::kEvents, format::PositionKey(target), value);
  }
  VerifyReport report = VerifyDir(dir.str());
  CHECK_FALSE(report.ok);
  CHECK(report.first_bad_position == target);
  CHECK(report.problem.find("hash") != std::string::npos);
  CHECK(report.events_checked == target - 1);
}

TEST_CASE("changing one byte of a stored hash makes verify name that position") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  const uint64_t target = 12;
  Hash stored;
  {
    auto store = OpenOrDie(dir.str());
    stored = store->ReadAll(target, 1).value()[0].hash;
  }
  {
    testing::RawDb raw(dir.str());
    std::string value = raw.Get(Cf::kEvents, format::PositionKey(target));
    size_t at = value.find(std::string(reinterpret_cast<const char*>(stored.data()), stored.size()));
    REQUIRE(at != std::string::npos);
    value[at + 31] ^= 0x80;
    raw.Put(Cf::kEvents, format::PositionKey(target), value);
  }
  VerifyReport report = VerifyDir(dir.str());
  CHECK_FALSE(report.ok);
  CHECK(report.first_bad_position == target);
}

TEST_CASE("a stored event that no longer decodes is reported at its position") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  {
    testing::RawDb raw(dir.str());
    raw.Put(Cf::kEvents, format::PositionKey(5), "not a flatbuffer");
  }
  VerifyReport report = VerifyDir(dir.str());
  CHECK_FALSE(report.ok);
  CHECK(report.first_bad_position == 5);
  auto store = OpenOrDie(dir.str());
  CHECK(store->ReadAll(5, 1).status().code() == Status::Code::kCorruption);
}

TEST_CASE("a deleted event in the middle of the log is reported as a gap at its position") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  {
    testing::RawDb raw(dir.str());
    raw.Delete(Cf::kEvents, format::PositionKey(44));
  }
  VerifyReport report = VerifyDir(dir.str());
  CHECK_FALSE(report.ok);
  CHECK(report.first_bad_position == 44);
  CHECK(report.problem.find("missing") != std::string::npos);
}

TEST_CASE("an event swapped in from another position breaks the link at that position") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  {
    testing::RawDb raw(dir.str());
    raw.Put(Cf::kEvents, format::PositionKey(21), raw.Get(Cf::kEvents, format::PositionKey(20)));
  }
  VerifyReport report = VerifyDir(dir.str());
  CHECK_FALSE(report.ok);
  CHECK(report.first_bad_position == 21);
}

TEST_CASE("verify names the exact position of a change anywhere in a log of several thousand events") {
  ledger::testing::TempDir dir;
  {
    auto store = OpenOrDie(dir.str());
    for (int c = 0; c < 10; ++c) {
      AppendRequest req = Simple("bulk-" + std::to_string(c), "bulk", ExpectedVersion::Any(), 1000);
      for (int i = 0; i < 1000; ++i) req.streams[0].events[i].payload = "payload-" + std::to_string(c * 1000 + i + 1);
      REQUIRE(store->Append(req).ok());
    }
    REQUIRE(store->Verify().value().ok);
  }
  // Positions around the boundaries of the chunks verify works in.
  for (uint64_t target : {uint64_t{4096}, uint64_t{4097}, uint64_t{8193}, uint64_t{10000}}) {
    CAPTURE(target);
    std::string original;
    {
      testing::RawDb raw(dir.str());
      original = raw.Get(Cf::kEvents, format::PositionKey(target));
      std::string value = original;
      size_t at = value.find("payload-" + std::to_string(target));
      REQUIRE(at != std::string::npos);
      value[at] ^= 0x20;
      raw.Put(Cf::kEvents, format::PositionKey(target), value);
    }
    VerifyReport report = VerifyDir(dir.str());
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_position == target);
    CHECK(report.events_checked == target - 1);
    {
      testing::RawDb raw(dir.str());
      if (target != 10000) {
        raw.Delete(Cf::kEvents, format::PositionKey(target));
      } else {
        raw.Put(Cf::kEvents, format::PositionKey(target), original);
      }
    }
    if (target != 10000) {
      report = VerifyDir(dir.str());
      CHECK_FALSE(report.ok);
      CHECK(report.first_bad_position == target);
      CHECK(report.problem.find("missing") != std::string::npos);
      testing::RawDb raw(dir.str());
      raw.Put(Cf::kEvents, format::PositionKey(target), original);
    }
    CHECK(VerifyDir(dir.str()).ok);
  }
}

TEST_CASE("a store written in an unknown format version is refused with a clear error") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  {
    testing::RawDb raw(dir.str());
    std::string version;
    format::PutU32(&version, format::kFormatVersion + 1);
    raw.Put(Cf::kMeta, format::kMetaFormatVersionKey, version);
  }
  auto store = EventStore::Open(dir.str());
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().message().find("format version 2") != std::string::npos);
  CHECK(store.status().message().find("reads version 1") != std::string::npos);
}

TEST_CASE("a head record that disagrees with the stored events is refused at open") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  {
    testing::RawDb raw(dir.str());
    raw.Delete(Cf::kEvents, format::PositionKey(kEvents));
  }
  auto store = EventStore::Open(dir.str());
  CHECK(store.status().code() == Status::Code::kCorruption);
}

}  // namespace
}  // namespace ledger::es
