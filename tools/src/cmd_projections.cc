// ledger rebuild / ledger report: the read models (ledger_projections).
//
// NOT AVAILABLE YET: the projections library is not part of this build, so
// both subcommands parse their options and then say so (exit code 1).
#include <fmt/format.h>

#include "commands.h"

namespace ledger::tools {
namespace {

struct RebuildArgs {
  std::string data;
  std::string projection;
};

struct ReportArgs {
  std::string name;
  std::string data;
  std::string as_of;
  std::string format = "csv";
  std::string commissioner;
};

int NotAvailable(std::string_view what) {
  return Fail(kExitFailed, fmt::format("`ledger {}` is not available yet: this build has no projections library; "
                                       "use `ledger replay` for the raw history meanwhile",
                                       what));
}

}  // namespace

void RegisterProjections(CLI::App& app, CommandRegistry& registry) {
  auto rebuild_args = std::make_shared<RebuildArgs>();
  CLI::App* rebuild = app.add_subcommand("rebuild", "Rebuild projections from the log and print the checksum "
                                                    "(not available yet)");
  AddDataOption(rebuild, &rebuild_args->data);
  rebuild->add_option("--projection", rebuild_args->projection, "Only this projection");
  rebuild->footer("Example:\n  ledger rebuild --data /var/lib/ledger --projection claims");
  registry.Add(rebuild, [] { return NotAvailable("rebuild"); });

  auto report_args = std::make_shared<ReportArgs>();
  CLI::App* report = app.add_subcommand("report", "Print a projection report as CSV or JSON (not available yet)");
  report->add_option("name", report_args->name, "Report name")->required();
  AddDataOption(report, &report_args->data);
  report->add_option("--as-of", report_args->as_of, "A log position or a date (YYYY-MM-DD)");
  report->add_option("--format", report_args->format, "csv or json")->capture_default_str();
  report->add_option("--commissioner", report_args->commissioner, "Only this commissioner's data");
  report->footer("Example:\n  ledger report claims --data /var/lib/ledger --as-of 2024-06-30 --format csv");
  registry.Add(report, [] { return NotAvailable("report"); });
}

}  // namespace ledger::tools
