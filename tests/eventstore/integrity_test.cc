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

// Changes one byte of the payload "payload-<position>" of a stored event, recomputing nothing.
void TamperPayload(const std::string& dir, uint64_t position) {
  testing::RawDb raw(dir);
  std::string value = raw.Get(Cf::kEvents, format::PositionKey(position));
  size_t at = value.find("payload-" + std::to_string(position));
  REQUIRE(at != std::string::npos);
  value[at] ^= 0x20;
  raw.Put(Cf::kEvents, format::PositionKey(position), value);
}

TEST_CASE("the start-up check verifies the whole log once, then only what was appended since") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  Head first_head;
  {
    auto store = OpenOrDie(dir.str());
    CHECK(store->Integrity().verified.position == 0);
    CHECK_FALSE(store->Integrity().checked);
    auto report = store->VerifyNewEvents();
    REQUIRE(report.ok());
    CHECK(report->ok);
    CHECK(report->events_checked == kEvents);
    first_head = store->GetHead();
    IntegrityState state = store->Integrity();
    CHECK(state.checked);
    CHECK(state.ok);
    CHECK(state.verified.position == kEvents);
    CHECK(state.verified.hash == first_head.hash);
    for (int i = 0; i < 5; ++i) {
      REQUIRE(store->Append(Simple("more-" + std::to_string(i), "s1", ExpectedVersion::Any())).ok());
    }
  }
  {
    auto store = OpenOrDie(dir.str());
    // The recorded checkpoint survives the restart.
    CHECK(store->Integrity().verified.position == kEvents);
    CHECK(store->Integrity().verified.hash == first_head.hash);
    auto report = store->VerifyNewEvents();
    REQUIRE(report.ok());
    CHECK(report->ok);
    CHECK(report->events_checked == 5);
    CHECK(store->Integrity().verified.position == kEvents + 5);
    CHECK(store->Integrity().verified.hash == store->GetHead().hash);
    // Nothing new: nothing more to check, and the checkpoint stays.
    auto again = store->VerifyNewEvents();
    REQUIRE(again.ok());
    CHECK(again->ok);
    CHECK(again->events_checked == 0);
    CHECK(store->Integrity().verified.position == kEvents + 5);
  }
}

TEST_CASE("a start-up check that finds damage refuses every append, naming the position, and records nothing") {
  for (bool verified_before : {false, true}) {
    CAPTURE(verified_before);
    ledger::testing::TempDir dir;
    Fill(dir.str());
    uint64_t checkpoint = 0;
    if (verified_before) {
      auto store = OpenOrDie(dir.str());
      REQUIRE(store->VerifyNewEvents().value().ok);
      checkpoint = kEvents;
      for (int i = 0; i < 10; ++i) {
        AppendRequest req = Simple("late-" + std::to_string(i), "s2", ExpectedVersion::Any());
        req.streams[0].events[0].payload = "payload-" + std::to_string(kEvents + 1 + i);
        REQUIRE(store->Append(req).ok());
      }
    }
    // An old event without a checkpoint; an event after the checkpoint otherwise.
    const uint64_t target = verified_before ? kEvents + 4 : 3;
    TamperPayload(dir.str(), target);
    auto store = OpenOrDie(dir.str());
    auto report = store->VerifyNewEvents();
    REQUIRE(report.ok());
    CHECK_FALSE(report->ok);
    CHECK(report->first_bad_position == target);
    IntegrityState state = store->Integrity();
    CHECK(state.checked);
    CHECK_FALSE(state.ok);
    CHECK(state.bad_position == target);
    CHECK(state.verified.position == checkpoint);
    const uint64_t head = store->GetHead().position;
    auto append = store->Append(Simple("after-damage", "s1", ExpectedVersion::Any()));
    REQUIRE_FALSE(append.ok());
    CHECK(append.status().code() == Status::Code::kUnavailable);
    CHECK(append.status().message().find("position " + std::to_string(target)) != std::string::npos);
    CHECK(store->GetHead().position == head);
    // Reads still work.
    CHECK(store->ReadAll(1, 1).ok());
  }
}

TEST_CASE("the start-up check notices a verified event whose hash was changed and a log cut short") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  Hash stored;
  {
    auto store = OpenOrDie(dir.str());
    REQUIRE(store->VerifyNewEvents().value().ok);
    stored = store->GetHead().hash;
  }
  {
    testing::RawDb raw(dir.str());
    std::string value = raw.Get(Cf::kEvents, format::PositionKey(kEvents));
    size_t at = value.find(std::string(reinterpret_cast<const char*>(stored.data()), stored.size()));
    REQUIRE(at != std::string::npos);
    value[at] ^= 0x01;
    raw.Put(Cf::kEvents, format::PositionKey(kEvents), value);
  }
  {
    auto store = OpenOrDie(dir.str());
    auto report = store->VerifyNewEvents();
    REQUIRE(report.ok());
    CHECK_FALSE(report->ok);
    CHECK(report->first_bad_position == kEvents);
  }
  {
    // Cut the log short, consistently: the last event and the head record go together.
    testing::RawDb raw(dir.str());
    raw.Delete(Cf::kEvents, format::PositionKey(kEvents));
    std::string head = format::PositionKey(kEvents - 1);
    head.append(32, '\0');
    raw.Put(Cf::kMeta, format::kMetaHeadKey, head);
  }
  auto store = OpenOrDie(dir.str());
  auto report = store->VerifyNewEvents();
  REQUIRE(report.ok());
  CHECK_FALSE(report->ok);
  CHECK(report->column_family == "meta");
  CHECK(report->problem.find("events were removed") != std::string::npos);
}

TEST_CASE("the start-up check needs a store open for writing") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  Options options;
  options.read_only = true;
  auto store = OpenOrDie(dir.str(), options);
  CHECK(store->VerifyNewEvents().status().code() == Status::Code::kInvalid);
}

}  // namespace
}  // namespace ledger::es
