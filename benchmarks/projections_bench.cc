// projections_bench: rebuild every projection from a history of >= 1M events
// written by the simulator (the real deciders through the command path, from
// the real GP practice list), then time every report and claim lookups on it.
// Run by hand:
//
//   projections_bench [--events N] [--practices N] [--seed N] [--log DIR]
//
// The simulator adds month after month until the log holds --events events.
// With --log DIR the log there is reused and only extended when it is shorter
// than --events (and kept), so the history is generated once. Targets (docs/performance.md):
// rebuild >= 500k events/s, each report < 200 ms, a claim lookup < 1 ms.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "ledger/projections/claim_views.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/reports.h"
#include "ledger/projections/runner.h"
#include "ledger/tools/simulator.h"

namespace {

using Clock = std::chrono::steady_clock;
double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

int Fail(const std::string& what) {
  std::fprintf(stderr, "projections_bench: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ledger;
  CLI::App app{"Projection rebuild and query benchmark"};
  uint64_t events = 1'000'000;
  std::string log_dir;
  int practices = 1000;
  uint64_t seed = 42;
  std::string csv_path = std::string(LEDGER_SOURCE_DIR) + "/../shared/data/gp-practices-2021.csv";
  app.add_option("--events", events, "events in the history (at least)");
  app.add_option("--log", log_dir, "reuse or keep the log in this directory");
  app.add_option("--practices", practices, "the first N practices of the practices file take part");
  app.add_option("--seed", seed, "the simulator's seed");
  app.add_option("--practices-file", csv_path, "gp-practices-2021.csv");
  CLI11_PARSE(app, argc, argv);

  const std::string base =
      (std::filesystem::temp_directory_path() / ("projections_bench_" + std::to_string(getpid()))).string();
  const bool temp_log = log_dir.empty();
  if (temp_log) log_dir = base + "/log";
  std::filesystem::create_directories(base);

  // recorded-at follows the simulated calendar, as in a real history.
  tools::SimulatedClock clock;
  es::Options options;
  options.sync = false;
  options.clock = &clock;
  auto store = es::EventStore::Open(log_dir, options);
  if (!store.ok()) return Fail(store.status().ToString());
  if ((*store)->GetHead().position < events) {
    std::fprintf(stderr, "simulating %d practices month by month up to %llu events ...\n", practices,
                 static_cast<unsigned long long>(events));
    auto start = Clock::now();
    tools::SimulationOptions simulation;
    simulation.seed = seed;
    simulation.months = 1;
    simulation.practices_limit = practices;
    simulation.csv_path = csv_path;
    simulation.clock = &clock;
    // One month first, to see how many events a month adds; then the rest in one call whose last month
    // leaves some claims unreviewed, so worklists are not empty at the head.
    int months = 0;
    uint64_t per_month = 0;
    while ((*store)->GetHead().position < events) {
      const uint64_t before = (*store)->GetHead().position;
      simulation.months = 1;
      simulation.unreviewed_in_last_month = 0.0;
      if (per_month > 0) {
        simulation.months = static_cast<int>((events - before + per_month - 1) / per_month);
        simulation.unreviewed_in_last_month = 0.3;
      }
      auto report = tools::Simulate(**store, simulation);
      if (!report.ok()) return Fail(report.status().ToString());
      months += simulation.months;
      per_month = std::max<uint64_t>(1, report->months.back().events);
      std::fprintf(stderr, "  to %s: %llu events\n", report->months.back().month.c_str(),
                   static_cast<unsigned long long>(report->head.position));
    }
    std::fprintf(stderr, "  %d months, %llu events in %.1f s\n", months,
                 static_cast<unsigned long long>((*store)->GetHead().position), Ms(Clock::now() - start) / 1000);
  }
  const uint64_t head = (*store)->GetHead().position;

  // 1. Rebuild every projection from position 0 into a fresh database.
  auto db = projections::ProjectionDb::Open(base + "/projections");
  if (!db.ok()) return Fail(db.status().ToString());
  projections::Runner runner(**store, **db);
  auto start = Clock::now();
  const std::clock_t cpu_start = std::clock();
  es::Status rebuilt = runner.Rebuild("");
  const double rebuild_ms = Ms(Clock::now() - start);
  const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  if (!rebuilt.ok()) return Fail(rebuilt.ToString());
  // CPU time too: on a shared machine the wall clock includes waiting for a core.
  std::printf("rebuild all projections: %llu events in %.0f ms wall = %.0f events/s; %.0f ms CPU = %.0f events/CPU-s\n",
              static_cast<unsigned long long>(head), rebuild_ms, head / (rebuild_ms / 1000), cpu_ms,
              head / (cpu_ms / 1000));

  // 2. Every report, for one commissioner (the largest scope a user asks for), at the head and as of mid-log.
  // The first practice of the file and its commissioner; a payment run of that commissioner from early in the log.
  auto practice_rows = tools::ReadPractices(csv_path);
  if (!practice_rows.ok() || practice_rows->empty()) return Fail("cannot read " + csv_path);
  projections::ReportParams commissioner{practice_rows->front().commissioner, {}};
  projections::ReportParams provider{practice_rows->front().code, {}};
  auto runs = projections::RunReport(**db, "payment_runs", commissioner);
  if (!runs.ok() || runs->rows.empty()) return Fail("no payment runs for " + commissioner.scope);
  const std::string run_id = std::get<std::string>(runs->rows[runs->rows.size() / 4][0]);
  for (const std::string& name : projections::ReportNames()) {
    projections::ReportParams p = name == "statement" ? provider : commissioner;
    if (name == "payment_run_claims") p.filters["run"] = run_id;
    for (auto [label, as_of] :
         {std::pair{"head", projections::AsOf::Head()}, std::pair{"mid", projections::AsOf::Position(head / 2)}}) {
      double best = 1e18;
      size_t rows = 0, bytes = 0;
      for (int i = 0; i < 3; ++i) {
        auto t0 = Clock::now();
        auto table = projections::RunReport(**db, name, p, as_of);
        if (!table.ok()) return Fail(name + ": " + table.status().ToString());
        std::string csv = projections::TableToCsv(*table);
        best = std::min(best, Ms(Clock::now() - t0));
        rows = table->rows.size();
        bytes = csv.size();
      }
      std::printf("report %-20s as of %-4s %8.2f ms  (%zu rows, %zu CSV bytes)\n", name.c_str(), label, best, rows,
                  bytes);
    }
  }

  // 3. Claim lookups by id, at the head and as of mid-log.
  projections::ClaimQuery q;
  q.commissioner = commissioner.scope;
  q.limit = 1000;
  auto page = projections::ListClaims(**db, q);
  if (!page.ok() || page->claims.empty()) return Fail("no claims to look up");
  for (auto [label, as_of] :
       {std::pair{"head", projections::AsOf::Head()}, std::pair{"mid", projections::AsOf::Position(head / 2)}}) {
    const int n = 5000;
    auto t0 = Clock::now();
    for (int i = 0; i < n; ++i) {
      auto c = projections::GetClaim(**db, page->claims[(i * 7919) % page->claims.size()].claim_id, as_of);
      if (!c.ok()) return Fail(c.status().ToString());
    }
    std::printf("claim lookup as of %-4s %8.3f ms each\n", label, Ms(Clock::now() - t0) / n);
  }
  auto t0 = Clock::now();
  auto worklist = projections::Worklist(**db, "tier1", commissioner.scope);
  if (!worklist.ok()) return Fail(worklist.status().ToString());
  std::printf("worklist tier1 first page %8.3f ms (%zu claims)\n", Ms(Clock::now() - t0), worklist->claims.size());
  t0 = Clock::now();
  q.limit = 100;
  auto first = projections::ListClaims(**db, q);
  if (!first.ok()) return Fail(first.status().ToString());
  std::printf("claim list first page of 100 %8.3f ms\n", Ms(Clock::now() - t0));

  db->reset();
  store->reset();
  std::filesystem::remove_all(base);  // the projections (and a temporary log)
  return 0;
}
