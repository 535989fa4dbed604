#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "ledger/eventstore/event_store.h"
#include "ledger/tools/simulator.h"
#include "support/build_paths.h"
#include "support/temp_dir.h"

namespace ledger::tools {
namespace {

std::string PracticesCsv() { return std::string(LEDGER_SOURCE_DIR) + "/../shared/data/gp-practices-2021.csv"; }

struct SimulatedStore {
  testing::TempDir dir;
  SimulatedClock clock;
  std::unique_ptr<es::EventStore> store;

  SimulatedStore() {
    es::Options options;
    options.clock = &clock;
    auto opened = es::EventStore::Open(dir.Sub("events"), options);
    REQUIRE(opened.ok());
    store = std::move(opened).value();
  }

  SimulationReport Run(uint64_t seed, int months, int practices = 12, double unreviewed = 0.0) {
    SimulationOptions options;
    options.unreviewed_in_last_month = unreviewed;
    options.seed = seed;
    options.months = months;
    options.practices_limit = practices;
    options.csv_path = PracticesCsv();
    options.clock = &clock;
    options.password_hash = [] { return std::string("$argon2id$v=19$m=65536,t=2,p=1$test$test"); };
    auto report = Simulate(*store, options);
    INFO(report.status().ToString());
    REQUIRE(report.ok());
    return std::move(report).value();
  }
};

TEST_CASE("the same seed gives the same history, to the head hash") {
  SimulatedStore a, b;
  SimulationReport first = a.Run(42, 1);
  SimulationReport second = b.Run(42, 1);
  CHECK(first.head.position > 0);
  CHECK(first.head.position == second.head.position);
  CHECK(first.head.hash == second.head.hash);
}

// How many events of one type the store holds.
size_t CountOfType(es::EventStore& store, const std::string& type) {
  size_t n = 0;
  REQUIRE(store
              .Scan(1, 0,
                    [&](const es::Envelope& e) {
                      n += e.type == type;
                      return true;
                    })
              .ok());
  return n;
}

TEST_CASE("a history can end with the last month's claims still waiting for the commissioner") {
  SimulatedStore reviewed, waiting;
  reviewed.Run(5, 1);
  waiting.Run(5, 1, 12, /*unreviewed=*/1.0);
  CHECK(CountOfType(*waiting.store, "ClaimSubmitted") > 0);
  CHECK(CountOfType(*reviewed.store, "ClaimApprovedAtTier") > 0);
  CHECK(CountOfType(*waiting.store, "ClaimApprovedAtTier") == 0);
}

TEST_CASE("another seed gives another history") {
  SimulatedStore a, b;
  CHECK(a.Run(1, 1).head.hash != b.Run(2, 1).head.hash);
}

TEST_CASE("a month of simulation submits, approves and pays claims") {
  SimulatedStore s;
  SimulationReport report = s.Run(7, 1);
  REQUIRE(report.months.size() == 1);
  const MonthStats& month = report.months.front();
  CHECK(month.month == "2024-04");
  CHECK(report.setup_events > 0);
  CHECK(month.claims_submitted > 0);
  CHECK(month.payment_runs >= 1);
  CHECK(month.paid_pence > 0);
  CHECK(month.events == report.head.position - report.setup_events);
}

TEST_CASE("a second run continues with the next month, as if both had run at once") {
  SimulatedStore stepwise, at_once;
  stepwise.Run(5, 1);
  SimulationReport second = stepwise.Run(5, 1);
  CHECK(second.continued);
  REQUIRE(second.months.size() == 1);
  CHECK(second.months.front().month == "2024-05");
  CHECK(second.setup_events == 0);
  auto verified = stepwise.store->Verify();
  REQUIRE(verified.ok());
  CHECK(verified->ok);
  CHECK(verified->events_checked == second.head.position);

  SimulationReport both = at_once.Run(5, 2);
  CHECK(both.head.position == second.head.position);
  CHECK(both.head.hash == second.head.hash);
}

TEST_CASE("the practices limit takes the first practices of the file") {
  auto rows = ReadPractices(PracticesCsv());
  REQUIRE(rows.ok());
  CHECK(rows->size() == 6658);
  CHECK(rows->front().code == "A84002");
  CHECK(rows->front().commissioner == "00L");
  CHECK(rows->front().patients == 5903);
}

TEST_CASE("a missing practices file is reported, not simulated") {
  SimulatedStore s;
  SimulationOptions options;
  options.csv_path = s.dir.Sub("missing.csv");
  auto report = Simulate(*s.store, options);
  CHECK_FALSE(report.ok());
  CHECK(s.store->GetHead().position == 0);
}

}  // namespace
}  // namespace ledger::tools
