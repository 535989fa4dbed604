// projections_bench: rebuild every projection from a history written by the
// simulator (the real deciders through the command path, from the real GP
// practice list), then time every report and claim lookups on it. Run by hand:
//
//   projections_bench [--events N] [--practices N] [--seed N] [--log DIR]
//   projections_bench --log DIR --national      (the store `ledger simulate --months 12` wrote in DIR/events)
//
// The simulator adds month after month until the log holds --events events.
// With --log DIR the log there is reused and only extended when it is shorter
// than --events (and kept), so the history is generated once. It prints the
// store's size and open time, the rebuild, every report for one commissioner
// (and, with --national, for every commissioner in turn: what a national view
// costs), and claim lookups. Targets (docs/performance.md): rebuild >= 500k
// events/s in under a minute, each report < 200 ms for one commissioner and
// < 2 s nationally, a claim lookup < 1 ms, the store < 10 GB and open < 1 s.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "ledger/projections/claim_views.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/reports.h"
#include "ledger/projections/runner.h"
#include "ledger/tools/simulator.h"

namespace {

using namespace ledger;
using Clock = std::chrono::steady_clock;
double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

int Fail(const std::string& what) {
  std::fprintf(stderr, "projections_bench: %s\n", what.c_str());
  return 1;
}

struct Config {
  uint64_t events = 1'000'000;
  std::string log_dir;
  int practices = 1000;
  uint64_t seed = 42;
  std::string csv_path = std::string(LEDGER_SOURCE_DIR) + "/../shared/data/gp-practices-2021.csv";
  bool national = false;
};

uint64_t DirectoryBytes(const std::filesystem::path& dir) {
  uint64_t bytes = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) bytes += entry.file_size(ec);
  }
  return bytes;
}

// Extends the log month by month until it holds cfg.events events: one month
// first, to see how many events a month adds; then the rest in one call whose
// last month leaves some claims unreviewed, so worklists are not empty.
es::Status Generate(es::EventStore& store, tools::SimulatedClock& clock, const Config& cfg) {
  std::fprintf(stderr, "simulating %d practices month by month up to %llu events ...\n", cfg.practices,
               static_cast<unsigned long long>(cfg.events));
  auto start = Clock::now();
  tools::SimulationOptions simulation;
  simulation.seed = cfg.seed;
  simulation.practices_limit = cfg.practices;
  simulation.csv_path = cfg.csv_path;
  simulation.clock = &clock;
  int months = 0;
  uint64_t per_month = 0;
  while (store.GetHead().position < cfg.events) {
    const uint64_t before = store.GetHead().position;
    simulation.months = 1;
    simulation.unreviewed_in_last_month = 0.0;
    if (per_month > 0) {
      simulation.months = static_cast<int>((cfg.events - before + per_month - 1) / per_month);
      simulation.unreviewed_in_last_month = 0.3;
    }
    auto report = tools::Simulate(store, simulation);
    if (!report.ok()) return report.status();
    months += simulation.months;
    per_month = std::max<uint64_t>(1, report->months.back().events);
    std::fprintf(stderr, "  to %s: %llu events\n", report->months.back().month.c_str(),
                 static_cast<unsigned long long>(report->head.position));
  }
  std::printf("generated %d months, %llu events in %.1f s\n", months,
              static_cast<unsigned long long>(store.GetHead().position), Ms(Clock::now() - start) / 1000);
  return es::Status::Ok();
}

// Opens the store for writing and prints how long that took.
es::Result<std::unique_ptr<es::EventStore>> OpenTimed(const std::string& dir, tools::SimulatedClock& clock) {
  es::Options options;
  options.sync = false;
  options.clock = &clock;  // recorded-at follows the simulated calendar, as in a real history
  auto t0 = Clock::now();
  auto store = es::EventStore::Open(dir, options);
  if (store.ok()) std::printf("open the event store: %.0f ms\n", Ms(Clock::now() - t0));
  return store;
}

int Rebuild(es::EventStore& store, projections::ProjectionDb& db) {
  const uint64_t head = store.GetHead().position;
  projections::Runner runner(store, db);
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
  return 0;
}

// Best of three runs of one report, CSV rendering included.
es::Result<double> TimeReport(const projections::ProjectionDb& db, const std::string& name,
                              const projections::ReportParams& p, const projections::AsOf& as_of, size_t* rows,
                              size_t* bytes) {
  double best = 1e18;
  for (int i = 0; i < 3; ++i) {
    auto t0 = Clock::now();
    auto table = projections::RunReport(db, name, p, as_of);
    if (!table.ok()) return es::Status::Invalid(name + ": " + table.status().ToString());
    std::string csv = projections::TableToCsv(*table);
    best = std::min(best, Ms(Clock::now() - t0));
    *rows = table->rows.size();
    *bytes = csv.size();
  }
  return best;
}

// Every report for one commissioner (statement: for one of its practices), at the head and as of mid-log.
int CommissionerReports(const projections::ProjectionDb& db, const tools::PracticeRow& practice, uint64_t head) {
  projections::ReportParams commissioner{practice.commissioner, {}};
  projections::ReportParams provider{practice.code, {}};
  auto runs = projections::RunReport(db, "payment_runs", commissioner);
  if (!runs.ok() || runs->rows.empty()) return Fail("no payment runs for " + commissioner.scope);
  const std::string run_id = std::get<std::string>(runs->rows[runs->rows.size() / 4][0]);
  for (const std::string& name : projections::ReportNames()) {
    projections::ReportParams p = name == "statement" ? provider : commissioner;
    if (name == "payment_run_claims") p.filters["run"] = run_id;
    for (auto [label, as_of] :
         {std::pair{"head", projections::AsOf::Head()}, std::pair{"mid", projections::AsOf::Position(head / 2)}}) {
      size_t rows = 0, bytes = 0;
      auto ms = TimeReport(db, name, p, as_of, &rows, &bytes);
      if (!ms.ok()) return Fail(ms.status().ToString());
      std::printf("report %-20s as of %-4s %8.2f ms  (%zu rows, %zu CSV bytes)\n", name.c_str(), label, *ms, rows,
                  bytes);
    }
  }
  return 0;
}

// Every commissioner-scoped report for every commissioner in turn, at the head:
// the product has no national scope, so this is what a national view costs.
int NationalReports(const projections::ProjectionDb& db, const std::vector<tools::PracticeRow>& practices) {
  std::set<std::string> commissioners;
  for (const tools::PracticeRow& p : practices) commissioners.insert(p.commissioner);
  for (const std::string& name : projections::ReportNames()) {
    if (name == "statement" || name == "payment_run_claims") continue;  // a practice's, a run's
    double total = 0;
    size_t rows = 0;
    for (const std::string& code : commissioners) {
      auto t0 = Clock::now();
      auto table = projections::RunReport(db, name, {code, {}});
      if (!table.ok()) return Fail(name + " for " + code + ": " + table.status().ToString());
      std::string csv = projections::TableToCsv(*table);
      total += Ms(Clock::now() - t0);
      rows += table->rows.size();
    }
    std::printf("national %-20s %9.1f ms  (%zu commissioners, %zu rows)\n", name.c_str(), total, commissioners.size(),
                rows);
  }
  return 0;
}

int Lookups(const projections::ProjectionDb& db, const std::string& commissioner, uint64_t head) {
  projections::ClaimQuery q;
  q.commissioner = commissioner;
  q.limit = 1000;
  auto page = projections::ListClaims(db, q);
  if (!page.ok() || page->claims.empty()) return Fail("no claims to look up");
  for (auto [label, as_of] :
       {std::pair{"head", projections::AsOf::Head()}, std::pair{"mid", projections::AsOf::Position(head / 2)}}) {
    const int n = 5000;
    auto t0 = Clock::now();
    for (int i = 0; i < n; ++i) {
      auto c = projections::GetClaim(db, page->claims[(i * 7919) % page->claims.size()].claim_id, as_of);
      if (!c.ok()) return Fail(c.status().ToString());
    }
    std::printf("claim lookup as of %-4s %8.3f ms each\n", label, Ms(Clock::now() - t0) / n);
  }
  auto t0 = Clock::now();
  auto worklist = projections::Worklist(db, "tier1", commissioner);
  if (!worklist.ok()) return Fail(worklist.status().ToString());
  std::printf("worklist tier1 first page %8.3f ms (%zu claims)\n", Ms(Clock::now() - t0), worklist->claims.size());
  t0 = Clock::now();
  q.limit = 100;
  auto first = projections::ListClaims(db, q);
  if (!first.ok()) return Fail(first.status().ToString());
  std::printf("claim list first page of 100 %8.3f ms\n", Ms(Clock::now() - t0));
  return 0;
}

int Run(const Config& cfg, const std::string& log_dir, const std::string& base) {
  tools::SimulatedClock clock;
  auto store = OpenTimed(log_dir, clock);
  if (!store.ok()) return Fail(store.status().ToString());
  if ((*store)->GetHead().position < cfg.events) {
    if (es::Status s = Generate(**store, clock, cfg); !s.ok()) return Fail(s.ToString());
    if (es::Status s = (*store)->Sync(); !s.ok()) return Fail(s.ToString());
    store->reset();
    store = OpenTimed(log_dir, clock);  // the open time of the store as generated
    if (!store.ok()) return Fail(store.status().ToString());
  }
  const uint64_t head = (*store)->GetHead().position;
  std::printf("event store: %llu events, %.2f GB on disk\n", static_cast<unsigned long long>(head),
              static_cast<double>(DirectoryBytes(log_dir)) / 1e9);

  auto db = projections::ProjectionDb::Open(base + "/projections");
  if (!db.ok()) return Fail(db.status().ToString());
  if (int rc = Rebuild(**store, **db); rc != 0) return rc;
  std::printf("projection database: %.2f GB on disk\n",
              static_cast<double>(DirectoryBytes(base + "/projections")) / 1e9);

  // The first practice of the file and its commissioner.
  auto practices = tools::ReadPractices(cfg.csv_path);
  if (!practices.ok() || practices->empty()) return Fail("cannot read " + cfg.csv_path);
  if (int rc = CommissionerReports(**db, practices->front(), head); rc != 0) return rc;
  if (cfg.national) {
    if (int rc = NationalReports(**db, *practices); rc != 0) return rc;
  }
  return Lookups(**db, practices->front().commissioner, head);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Projection rebuild and query benchmark"};
  Config cfg;
  app.add_option("--events", cfg.events, "events in the history (at least)")->capture_default_str();
  app.add_option("--log", cfg.log_dir, "reuse or keep the event store in this directory")->type_name("DIR");
  app.add_option("--practices", cfg.practices, "the first N practices of the practices file take part (0: all)")
      ->capture_default_str();
  app.add_option("--seed", cfg.seed, "the simulator's seed")->capture_default_str();
  app.add_option("--practices-file", cfg.csv_path, "gp-practices-2021.csv")->capture_default_str();
  app.add_flag("--national", cfg.national, "also run every report for every commissioner in turn");
  CLI11_PARSE(app, argc, argv);

  const std::string base =
      (std::filesystem::temp_directory_path() / ("projections_bench_" + std::to_string(getpid()))).string();
  const std::string log_dir = cfg.log_dir.empty() ? base + "/log" : cfg.log_dir;
  std::filesystem::create_directories(base);
  int rc = Run(cfg, log_dir, base);
  std::filesystem::remove_all(base);  // the projections (and a temporary log)
  return rc;
}
