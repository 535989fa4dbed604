// The deterministic simulator: builds a realistic claims history by driving
// the real deciders through the command path (app::CommandBus), from the list
// of every GP practice in England (../shared/data/gp-practices-2021.csv).
//
// Every id, command id and timestamp derives from the seed and the simulated
// calendar, never from the wall clock: the same options on an empty store give
// the same events, and, when the store was opened with the simulator's
// SimulatedClock, the same head hash. Run on a store that already holds a
// simulated history, it continues with the month after the last one stored.
// The model is documented in docs/simulator.md.
//
// The store is synced (EventStore::Sync) after the set-up and after every
// month. Opened with Options::sync = false, it then shares one fsync among a
// month's commands instead of paying one per command, and a power cut loses
// at most the month in progress (a rerun continues from the last month kept).
//
// Thread-compatible: one Simulate at a time per store.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ledger/core/types.h"
#include "ledger/eventstore/clock.h"
#include "ledger/eventstore/event_store.h"

namespace ledger::tools {

// A clock the simulator sets to the simulated time before every command, so
// that envelopes' recorded-at follow the simulated calendar. Open the store
// with Options::clock = &clock and pass the same clock in SimulationOptions.
class SimulatedClock final : public es::Clock {
 public:
  int64_t NowMicros() const override { return now_.load(std::memory_order_relaxed); }
  void Set(int64_t micros) { now_.store(micros, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> now_{0};
};

struct SimulationOptions {
  uint64_t seed = 1;
  int months = 1;                       // months to simulate in this call (>= 1)
  int practices_limit = 0;              // the first N practices of the file (0 = every practice)
  std::string csv_path;                 // gp-practices-2021.csv
  std::string start_month = "2024-04";  // "YYYY-MM": the first simulated month of a new history
  // Returns the password hash stored for every simulated account. Called once.
  // The default stores a fixed placeholder that no password verifies against.
  std::function<std::string()> password_hash;
  // When set, the simulator moves it to the simulated time before each command.
  SimulatedClock* clock = nullptr;
  // The share (0..1) of the last simulated month's submitted claims that the
  // commissioner has not reviewed yet: a history that ends while work is in
  // flight, so worklists are not empty. 0 (the default) reviews every claim.
  double unreviewed_in_last_month = 0.0;
};

// What one simulated month produced.
struct MonthStats {
  std::string month;  // "YYYY-MM"
  uint64_t events = 0;
  uint64_t commands = 0;
  uint64_t claims_submitted = 0;
  uint64_t failed_submissions = 0;
  uint64_t rejected = 0;
  uint64_t returned = 0;
  uint64_t held = 0;
  uint64_t payment_runs = 0;
  core::Pence paid_pence = 0;
};

struct SimulationReport {
  bool continued = false;     // the store already held a simulated history
  uint64_t setup_events = 0;  // organisations, accounts, services and offers written by this call
  uint64_t practices = 0;
  uint64_t commissioners = 0;
  uint64_t services = 0;
  std::vector<MonthStats> months;
  es::Head head;
};

struct SimulationProgress {
  std::string phase;  // "setup" or the month being simulated
  uint64_t done = 0;  // practices handled so far in this phase
  uint64_t total = 0;
};

// Simulates options.months months on `store` (setting up organisations,
// accounts, services and offers first when they are missing). Returns the
// first failure: a store error, or a domain rejection the model did not
// expect (reported as Status::Invalid naming the command). progress, when
// given, is called now and then from the calling thread.
es::Result<SimulationReport> Simulate(es::EventStore& store, const SimulationOptions& options,
                                      const std::function<void(const SimulationProgress&)>& progress = {});

// A practice row of gp-practices-2021.csv.
struct PracticeRow {
  std::string code;
  std::string name;
  std::string postcode;
  std::string commissioner;  // sub_icb_location_code
  int64_t patients = 0;
};
// Reads the practices file; Status::Invalid names the first bad line.
es::Result<std::vector<PracticeRow>> ReadPractices(const std::string& csv_path);

}  // namespace ledger::tools
