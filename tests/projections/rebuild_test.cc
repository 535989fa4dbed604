// Rebuild from position 0 gives byte-identical projections to the live ones,
// fed incrementally through the subscription while the history was written.
#include <doctest/doctest.h>

#include <rocksdb/db.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "history.h"
#include "ledger/projections/claim_views.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/reports.h"
#include "ledger/projections/runner.h"
#include "ledger/tools/simulator.h"
#include "support/build_paths.h"
#include "support/temp_dir.h"
#include "support/world.h"

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

// The simulator (the real deciders through the command path, from the real GP
// practice list) writes the history while the runner's subscription feeds the
// live projections; 160 practices over 12 months give about 108,000 events.
constexpr int kPractices = 160;
constexpr int kMonths = 12;

TEST_CASE(
    "rebuilding every projection from zero gives the same bytes as the live projections on 100,000 simulated events") {
  testing::TempDir dir;
  tools::SimulatedClock clock;
  es::Options store_options = testing::UnsyncedStore();
  store_options.clock = &clock;
  auto store = es::EventStore::Open(dir.Sub("log"), store_options);
  REQUIRE(store.ok());
  auto live = ProjectionDb::Open(dir.Sub("live"));
  REQUIRE(live.ok());

  Runner runner(**store, **live);
  runner.Start();  // fed incrementally, in whatever batches the subscription delivers
  tools::SimulationOptions simulation;
  simulation.seed = 5;
  simulation.months = kMonths;
  simulation.practices_limit = kPractices;
  simulation.csv_path = std::string(LEDGER_SOURCE_DIR) + "/../shared/data/gp-practices-2021.csv";
  simulation.clock = &clock;
  simulation.unreviewed_in_last_month = 0.3;  // worklists and pending claims at the head
  auto simulated = tools::Simulate(**store, simulation);
  INFO(simulated.status().ToString());
  REQUIRE(simulated.ok());
  const uint64_t head = (*store)->GetHead().position;
  REQUIRE(head >= 100'000);
  REQUIRE(runner.WaitFor(head, std::chrono::seconds(120)));
  REQUIRE(runner.last_error().ok());
  runner.Stop();
  CHECK((*live)->undecodable_events() == 0);
  const auto live_sums = Checksums(**live);
  // The first practices of the file belong to one commissioner, whose reports must not be empty.
  auto practices = tools::ReadPractices(simulation.csv_path);
  REQUIRE(practices.ok());
  const ReportParams scope{practices->front().commissioner, {}};
  const std::string live_report = TableToCsv(*RunReport(**live, "activity", scope));
  REQUIRE(RunReport(**live, "activity", scope)->rows.size() > 0);
  const AsOf mid = AsOf::Position(head / 2);
  const std::string live_mid_report = TableToCsv(*RunReport(**live, "claims", scope, mid));
  REQUIRE(RunReport(**live, "claims", scope, mid)->rows.size() > 0);

  // The same log into a fresh database in one catch-up ...
  auto fresh = ProjectionDb::Open(dir.Sub("fresh"));
  REQUIRE(fresh.ok());
  Runner fresh_runner(**store, **fresh);
  REQUIRE(fresh_runner.CatchUp().ok());
  CHECK(Checksums(**fresh) == live_sums);

  // ... and the live database dropped and rebuilt in place.
  uint64_t last_progress = 0;
  REQUIRE(runner
              .Rebuild("",
                       [&](uint64_t applied, uint64_t total) {
                         CHECK(applied > last_progress);
                         CHECK(total == head);
                         last_progress = applied;
                       })
              .ok());
  CHECK(last_progress == head);
  CHECK(Checksums(**live) == live_sums);
  CHECK(TableToCsv(*RunReport(**live, "activity", scope)) == live_report);
  CHECK(TableToCsv(*RunReport(**live, "claims", scope, mid)) == live_mid_report);

  // Rebuilding one projection leaves it identical too, and the others untouched.
  REQUIRE(runner.Rebuild("claims").ok());
  CHECK(Checksums(**live) == live_sums);
  CHECK_FALSE(runner.Rebuild("nonsense").ok());

  // A rebuild's rows that are only written go to table files; with small
  // files, dozens of them are written and ingested, later over earlier.
  ProjectionDbOptions small_files;
  small_files.bulk_file_bytes = 256 << 10;
  {
    auto bulk = ProjectionDb::Open(dir.Sub("bulk"), small_files);
    REQUIRE(bulk.ok());
    Runner bulk_runner(**store, **bulk);
    REQUIRE(bulk_runner.Rebuild("").ok());
    CHECK(Checksums(**bulk) == live_sums);
    CHECK_FALSE(std::filesystem::exists(std::filesystem::path(dir.Sub("bulk")) / "bulk"));
  }

  // A rebuild that stops part way (the process dies) leaves its marker: the
  // next open for writing starts every projection again from zero.
  {
    auto interrupted = ProjectionDb::Open(dir.Sub("interrupted"), small_files);
    REQUIRE(interrupted.ok());
    REQUIRE((*interrupted)->BeginBulk().ok());
    auto part = (*store)->ReadAll(1, 20'000);
    REQUIRE(part.ok());
    REQUIRE((*interrupted)->Apply(*part).ok());
    REQUIRE((*interrupted)->Applied() == 20'000u);
    REQUIRE((*interrupted)->rocks()->Flush(rocksdb::FlushOptions()).ok());
  }  // closed without EndBulk: some rows were ingested, the rest are lost
  {
    auto read_only = ProjectionDb::OpenReadOnly(dir.Sub("interrupted"));
    REQUIRE(read_only.ok());
    CHECK((*read_only)->Applied() == 20'000u);  // what a reader sees meanwhile: not to be trusted
  }
  auto reopened = ProjectionDb::Open(dir.Sub("interrupted"), small_files);
  REQUIRE(reopened.ok());
  CHECK((*reopened)->Applied() == 0u);
  for (const std::string& name : ProjectionDb::ProjectionNames()) CHECK((*reopened)->Checkpoint(name) == 0u);
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path(dir.Sub("interrupted")) / "bulk"));
  Runner reopened_runner(**store, **reopened);
  REQUIRE(reopened_runner.CatchUp().ok());
  CHECK(Checksums(**reopened) == live_sums);
}

// A small history (one commissioner, three practices) caught up into db.
// On the shared test world's ledger; its runner is caught up by hand, never started.
struct SmallHistory : testing::LedgerWorld {
  es::EventStore* store = &ledger().store();
  ProjectionDb* db = &ledger().projections();
  Runner* runner = &ledger().runner();

  SmallHistory() : LedgerWorld(std::make_unique<testing::TempDir>(), testing::UnsyncedStore()) {
    testing::History history(*store, {1, 3, 1});
    history.Setup();
    REQUIRE(runner->CatchUp().ok());
    REQUIRE(db->Applied() > 0);
  }
};

TEST_CASE("a dropped projection is empty and behind, and the checksum sees a changed row") {
  SmallHistory h;
  const auto before = Checksums(*h.db);
  REQUIRE(h.db->Drop("directory").ok());
  CHECK(h.db->Checkpoint("directory") == 0u);
  CHECK(h.db->Applied() == 0u);
  CHECK(Checksums(*h.db).at("directory") != before.at("directory"));
  CHECK(Checksums(*h.db).at("claims") == before.at("claims"));
  REQUIRE(h.runner->CatchUp().ok());
  CHECK(Checksums(*h.db) == before);
}

TEST_CASE("a read-only open sees what the writer has flushed, beside the open writer, and refuses to write") {
  testing::TempDir empty;
  CHECK(ProjectionDb::OpenReadOnly(empty.Sub("p")).status().code() == es::Status::Code::kNotFound);
  SmallHistory h;
  REQUIRE(h.db->rocks()->Flush(rocksdb::FlushOptions()).ok());

  auto reader = ProjectionDb::OpenReadOnly(h.dir->Sub("projections"));  // the writer stays open
  INFO(reader.status().ToString());
  REQUIRE(reader.ok());
  CHECK((*reader)->Applied() == h.db->Applied());
  CHECK(Checksums(**reader) == Checksums(*h.db));
  CHECK(TableToCsv(*RunReport(**reader, "organisations", {"C1", {}})) ==
        TableToCsv(*RunReport(*h.db, "organisations", {"C1", {}})));
  CHECK_FALSE((*reader)->Drop("claims").ok());
  auto events = h.store->ReadAll(1, 10);
  REQUIRE(events.ok());
  CHECK_FALSE((*reader)->Apply(*events).ok());
  CHECK(Checksums(**reader) == Checksums(*h.db));
}

TEST_CASE("a projection database of another format is emptied on open and rebuilt from the log") {
  SmallHistory h;
  const auto live = Checksums(*h.db);
  const std::string dir = h.dir->Sub("older-projections");
  {
    auto db = ProjectionDb::Open(dir);
    REQUIRE(db.ok());
    Runner runner(*h.store, **db);
    REQUIRE(runner.CatchUp().ok());
    REQUIRE(Checksums(**db) == live);
    // As a database written by another version of the ledger leaves it.
    REQUIRE((*db)->rocks()->Put(rocksdb::WriteOptions(), "M|format", "1").ok());
    REQUIRE((*db)->rocks()->Flush(rocksdb::FlushOptions()).ok());
  }
  auto read_only = ProjectionDb::OpenReadOnly(dir);
  CHECK(read_only.status().code() == es::Status::Code::kCorruption);
  CHECK(read_only.status().ToString().find("ledger rebuild") != std::string::npos);

  auto db = ProjectionDb::Open(dir);
  REQUIRE(db.ok());
  CHECK((*db)->Applied() == 0u);
  for (const std::string& name : ProjectionDb::ProjectionNames()) CHECK((*db)->Checkpoint(name) == 0u);
  CHECK(Checksums(**db) != live);
  Runner runner(*h.store, **db);
  REQUIRE(runner.CatchUp().ok());
  CHECK(Checksums(**db) == live);
}

}  // namespace
}  // namespace ledger::projections
