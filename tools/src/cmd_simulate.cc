// ledger simulate: a deterministic simulated history (docs/simulator.md).
#include <chrono>

#include <fmt/format.h>

#include "commands.h"
#include "ledger/app/credentials.h"
#include "ledger/core/types.h"
#include "ledger/tools/simulator.h"

namespace ledger::tools {
namespace {

// Every simulated account signs in with this password (documented in docs/simulator.md).
constexpr char kSimulatedPassword[] = "simulated-password";

struct SimulateArgs {
  std::string data;
  uint64_t seed = 1;
  int months = 1;
  int practices_limit = 0;
  std::string practices = DefaultPracticesPath();
  std::string start_month = "2024-04";
  bool sync_every_command = false;
};

int RunSimulate(const CLI::App& app, const SimulateArgs& args) {
  if (args.months < 1 || args.months > 120) return UsageError(app, "--months must be between 1 and 120");
  if (args.practices_limit < 0) return UsageError(app, "--practices-limit must be 0 (every practice) or more");
  SimulatedClock clock;
  int exit_code = kExitOk;
  // Batch durability: appends go to the operating system's cache and the
  // simulator syncs after every month (and the set-up), instead of one fsync
  // per command.
  es::Options store_options;
  store_options.clock = &clock;
  store_options.sync = args.sync_every_command;
  auto store = OpenStoreForWriting(DataDir(args.data), store_options, &exit_code);
  if (!store) return exit_code;
  SimulationOptions options;
  options.seed = args.seed;
  options.months = args.months;
  options.practices_limit = args.practices_limit;
  options.csv_path = args.practices;
  options.start_month = args.start_month;
  options.clock = &clock;
  uint64_t seed = args.seed;
  options.password_hash = [seed] { return app::HashPasswordDeterministic(kSimulatedPassword, seed); };
  ProgressBar bar("simulating");
  std::string phase;
  auto started = std::chrono::steady_clock::now();
  auto report = Simulate(*store, options, [&](const SimulationProgress& p) {
    if (p.phase != phase) {
      bar.Restart(p.phase);
      phase = p.phase;
    }
    bar.Update(p.done, p.total);
  });
  bar.Finish();
  // Whatever happened, what was appended is kept (a failed month's events too).
  es::Status synced = store->Sync();
  if (report.ok() && !synced.ok()) report = synced;
  if (!report.ok())
    return Fail(kExitFailed, fmt::format("the simulation stopped: {}; the events before it are stored and a rerun "
                                         "continues from them",
                                         report.status().ToString()));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("{} {} practices under {} commissioners, {} services; setup wrote {} events\n",
             report->continued ? "continued a history with" : "simulated", report->practices, report->commissioners,
             report->services, report->setup_events);
  for (const MonthStats& m : report->months) {
    fmt::print(
        "{}: {} events, {} commands, {} claims submitted, {} failed validation, {} rejected, {} returned, "
        "{} held, {} payment runs paying {}\n",
        m.month, m.events, m.commands, m.claims_submitted, m.failed_submissions, m.rejected, m.returned, m.held,
        m.payment_runs, core::FormatPounds(m.paid_pence));
  }
  fmt::print("took {:.1f} s\n", seconds);
  fmt::print("{}\n", FormatHead(report->head));
  return kExitOk;
}

}  // namespace

void RegisterSimulate(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "Create (or continue) a realistic simulated history from every GP practice in England");
  AddDataOption(cmd, &args->data);
  cmd->add_option("--seed", args->seed, "Seed of the simulation: the same seed gives the same history")
      ->capture_default_str();
  cmd->add_option("--months", args->months, "Months to simulate (continues after the last stored month)")
      ->capture_default_str();
  cmd->add_option("--practices-limit", args->practices_limit,
                  "Simulate only the first K practices of the file (0 = all 6,658)")
      ->capture_default_str();
  cmd->add_option("--practices", args->practices, "The practices file (gp-practices-2021.csv)")
      ->capture_default_str()
      ->type_name("FILE");
  cmd->add_option("--start-month", args->start_month, "First simulated month of a new history (YYYY-MM)")
      ->capture_default_str();
  cmd->add_flag("--sync-every-command", args->sync_every_command,
                "Fsync every command as the server does (slower); by default the store is synced after every "
                "month, and a power cut loses at most the month in progress");
  cmd->footer(
      "Simulated accounts sign in with the password `simulated-password`. Prints one line per month\n"
      "and, last, the head as POS:HASH.\n\n"
      "Example:\n  ledger simulate --data ./demo --seed 7 --months 3 --practices-limit 300");
  registry.Add(cmd, [cmd, args] { return RunSimulate(*cmd, *args); });
}

}  // namespace ledger::tools
