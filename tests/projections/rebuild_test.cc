// Rebuild from position 0 gives byte-identical projections to the live ones,
// fed incrementally through the subscription while the history was written.
#include <doctest/doctest.h>

#include <chrono>

#include "history.h"
#include "ledger/projections/claim_views.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/reports.h"
#include "ledger/projections/runner.h"
#include "support/temp_dir.h"

namespace ledger::projections {
namespace {

std::map<std::string, std::string> Checksums(const ProjectionDb& db) {
  std::map<std::string, std::string> out;
  for (const std::string& name : ProjectionDb::ProjectionNames()) {
    auto sum = db.Checksum(name);
    REQUIRE(sum.ok());
    out[name] = *sum;
  }
  return out;
}

TEST_CASE("rebuilding every projection from zero gives the same bytes as the live projections on 100,000 events") {
  testing::TempDir dir;
  es::Options store_options;
  store_options.sync = false;
  auto store = es::EventStore::Open(dir.Sub("log"), store_options);
  REQUIRE(store.ok());
  auto live = ProjectionDb::Open(dir.Sub("live"));
  REQUIRE(live.ok());

  Runner runner(**store, **live);
  runner.Start();  // fed incrementally, in whatever batches the subscription delivers
  testing::History history(**store, {6, 40, 17});
  history.Setup();
  history.FillTo(100'000);
  const uint64_t head = (*store)->GetHead().position;
  REQUIRE(head >= 100'000);
  REQUIRE(runner.WaitFor(head, std::chrono::seconds(120)));
  REQUIRE(runner.last_error().ok());
  runner.Stop();
  CHECK((*live)->undecodable_events() == 0);
  const auto live_sums = Checksums(**live);
  const std::string live_report = TableToCsv(*RunReport(**live, "activity", {"C3", {}}));

  // The same log into a fresh database in one catch-up ...
  auto fresh = ProjectionDb::Open(dir.Sub("fresh"));
  REQUIRE(fresh.ok());
  Runner fresh_runner(**store, **fresh);
  REQUIRE(fresh_runner.CatchUp().ok());
  CHECK(Checksums(**fresh) == live_sums);

  // ... and the live database dropped and rebuilt in place.
  uint64_t last_progress = 0;
  REQUIRE(runner.Rebuild("", [&](uint64_t applied, uint64_t total) {
    CHECK(applied > last_progress);
    CHECK(total == head);
    last_progress = applied;
  }).ok());
  CHECK(last_progress == head);
  CHECK(Checksums(**live) == live_sums);
  CHECK(TableToCsv(*RunReport(**live, "activity", {"C3", {}})) == live_report);

  // Rebuilding one projection leaves it identical too, and the others untouched.
  REQUIRE(runner.Rebuild("claims").ok());
  CHECK(Checksums(**live) == live_sums);
  CHECK_FALSE(runner.Rebuild("nonsense").ok());
}

TEST_CASE("a dropped projection is empty and behind, and the checksum sees a changed row") {
  testing::TempDir dir;
  es::Options store_options;
  store_options.sync = false;
  auto store = es::EventStore::Open(dir.Sub("log"), store_options);
  REQUIRE(store.ok());
  auto db = ProjectionDb::Open(dir.Sub("p"));
  REQUIRE(db.ok());
  testing::History history(**store, {1, 3, 1});
  history.Setup();
  Runner runner(**store, **db);
  REQUIRE(runner.CatchUp().ok());
  const auto before = Checksums(**db);
  REQUIRE((*db)->Drop("directory").ok());
  CHECK((*db)->Checkpoint("directory") == 0u);
  CHECK((*db)->Applied() == 0u);
  CHECK(Checksums(**db).at("directory") != before.at("directory"));
  CHECK(Checksums(**db).at("claims") == before.at("claims"));
  REQUIRE(runner.CatchUp().ok());
  CHECK(Checksums(**db) == before);
}

}  // namespace
}  // namespace ledger::projections
