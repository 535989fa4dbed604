// This version still reads and verifies the golden log written by format
// version 1 (tests/fixtures/eventstore/golden/, see golden_log.h).
#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <vector>

#include "golden_log.h"
#include "ledger/eventstore/merkle.h"
#include "store_test_util.h"
#include "support/build_paths.h"
#include "support/temp_dir.h"

namespace ledger::es {
namespace {

const std::string kGoldenDir = LEDGER_SOURCE_DIR "/tests/fixtures/eventstore/golden";

Head RecordedHead() {
  std::ifstream file(kGoldenDir + "/head.txt");
  std::string word, hex;
  Head head;
  file >> word >> head.position >> word >> hex;
  REQUIRE(HashFromHex(hex, &head.hash));
  return head;
}

std::unique_ptr<EventStore> LoadGolden(const ledger::testing::TempDir& dir) {
  std::string error;
  REQUIRE_MESSAGE(golden::LoadDump(kGoldenDir + "/store.dump", dir.str(), &error), error);
  return testing::OpenOrDie(dir.str());
}

TEST_CASE("the golden log of format version 1 verifies to its recorded head hash") {
  ledger::testing::TempDir dir;
  auto store = LoadGolden(dir);
  const Head recorded = RecordedHead();
  CHECK(recorded.position >= 24);
  CHECK(store->GetHead().position == recorded.position);
  CHECK(store->GetHead().hash == recorded.hash);
  auto report = store->Verify();
  REQUIRE(report.ok());
  CHECK_MESSAGE(report->ok, report->problem);
  CHECK(report->events_checked == recorded.position);
  CHECK(report->head.hash == recorded.hash);
}

TEST_CASE("the golden log, written before the Merkle tree, gets its tree at its first open for writing") {
  ledger::testing::TempDir dir;
  auto store = LoadGolden(dir);
  auto tree = store->GetTreeHead();
  REQUIRE_MESSAGE(tree.ok(), tree.status().ToString());
  CHECK(tree->size == RecordedHead().position);
  CHECK(tree->chain_hash == RecordedHead().hash);
  // The root, recomputed here from the event hashes by the plain definition.
  auto events = store->ReadAll(1, SIZE_MAX);
  REQUIRE(events.ok());
  std::vector<Hash> level;
  for (const Envelope& e : *events) level.push_back(merkle::EventLeaf(e.hash));
  std::function<Hash(size_t, size_t)> mth = [&](size_t begin, size_t end) {
    if (end - begin == 1) return level[begin];
    size_t k = 1;
    while (k * 2 < end - begin) k *= 2;
    return merkle::NodeHash(mth(begin, begin + k), mth(begin + k, end));
  };
  CHECK(tree->root == mth(0, level.size()));
  auto report = store->Verify();
  REQUIRE(report.ok());
  CHECK_MESSAGE(report->ok, report->problem);
  CHECK(report->tree_checked);
}

TEST_CASE("the golden log reads back the envelopes its commands wrote") {
  ledger::testing::TempDir dir;
  auto store = LoadGolden(dir);
  auto commands = golden::GoldenCommands();
  auto all = store->ReadAll(1, SIZE_MAX);
  REQUIRE(all.ok());
  size_t at = 0;
  for (const AppendRequest& req : commands) {
    for (const StreamAppend& stream : req.streams) {
      for (const EventData& event : stream.events) {
        REQUIRE(at < all->size());
        const Envelope& e = (*all)[at++];
        CHECK(e.position == at);
        CHECK(e.command_id == req.command_id);
        CHECK(e.actor_id == req.actor_id);
        CHECK(e.correlation_id == req.correlation_id);
        CHECK(e.stream_id == stream.stream_id);
        CHECK(e.type == event.type);
        CHECK(e.schema_version == event.schema_version);
        CHECK(e.payload == event.payload);
        CHECK(e.recorded_at_us == golden::kGoldenTimeMicros);
      }
    }
  }
  CHECK(at == all->size());
  auto stream = store->ReadStream("claim-2");
  REQUIRE(stream.ok());
  REQUIRE_FALSE(stream->empty());
  CHECK(store->StreamVersion("claim-2").value() == stream->back().stream_version);
}

TEST_CASE("golden commands retried against the golden log are duplicates, and new appends chain on") {
  ledger::testing::TempDir dir;
  auto store = LoadGolden(dir);
  auto commands = golden::GoldenCommands();
  auto retry = store->Append(commands[5]);
  REQUIRE_MESSAGE(retry.ok(), retry.status().ToString());
  CHECK(retry->duplicate);
  auto changed = commands[5];
  changed.actor_id = "someone-else";
  CHECK(store->Append(changed).status().code() == Status::Code::kIdempotencyMismatch);

  const Head before = store->GetHead();
  auto next = store->Append(testing::Simple("after-golden", "claim-0", ExpectedVersion::Any()));
  REQUIRE(next.ok());
  CHECK(next->first_position == before.position + 1);
  CHECK(store->ReadAll(before.position + 1, 1).value()[0].prev_hash == before.hash);
  CHECK(store->Verify().value().ok);
}

}  // namespace
}  // namespace ledger::es
