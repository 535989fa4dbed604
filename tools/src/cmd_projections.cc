// ledger rebuild / ledger report: the read models (ledger_projections).
//
// Both read the event store read-only; they write only the projection
// database <data>/projections. `rebuild` refuses (exit 3) while another
// process (the server) holds that database. `report` first catches the
// projection database up with the log; when the server holds it, the report
// is computed from a fresh copy built from the log in a temporary directory.
// Report bytes come from projections::TableToCsv / TableToJsonText, as the
// API's GET /api/v1/reports/{name} does.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <random>

#include <fmt/format.h>

#include "commands.h"
#include "ledger/app/tree_heads.h"
#include "ledger/core/types.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/reports.h"
#include "ledger/projections/runner.h"
#include "ledger/projections/table.h"

namespace ledger::tools {
namespace {

namespace fs = std::filesystem;

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
  std::string provider;
  std::vector<std::string> filters;  // NAME=VALUE
};

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

int BusyProjections(const DataDir& data) {
  return Fail(kExitBusy, fmt::format("the projection database {} is in use by another process (probably `ledger "
                                     "serve`): stop the server and run the command again",
                                     data.projections().string()));
}

int RunRebuild(const CLI::App& app, const RebuildArgs& args) {
  std::vector<std::string> names = projections::ProjectionDb::ProjectionNames();
  if (!args.projection.empty() && std::find(names.begin(), names.end(), args.projection) == names.end())
    return UsageError(app, fmt::format("unknown projection '{}': use one of {}", args.projection, Joined(names)));
  DataDir data(args.data);
  int exit_code = kExitOk;
  auto store = OpenStoreReadOnly(data, &exit_code);
  if (!store) return exit_code;
  auto db = projections::ProjectionDb::Open(data.projections().string());
  if (!db.ok()) {
    if (db.status().code() == es::Status::Code::kBusy) return BusyProjections(data);
    return Fail(kExitFailed, fmt::format("cannot open the projection database {}: {}", data.projections().string(),
                                         db.status().ToString()));
  }
  projections::Runner runner(*store, **db);
  ProgressBar bar(args.projection.empty() ? "rebuilding" : "rebuilding " + args.projection);
  es::Status s = runner.Rebuild(args.projection,
                                [&bar](uint64_t applied, uint64_t head) { bar.Update(applied, head); });
  bar.Finish();
  if (!s.ok())
    return Fail(kExitFailed,
                fmt::format("the rebuild stopped: {}; the log is unchanged, run the rebuild again", s.ToString()));
  if (!args.projection.empty()) names = {args.projection};
  for (const std::string& name : names) {
    auto checksum = (*db)->Checksum(name);
    if (!checksum.ok())
      return Fail(kExitFailed,
                  fmt::format("computing the checksum of {} failed: {}", name, checksum.status().ToString()));
    fmt::print("{} {} {}\n", name, (*db)->Checkpoint(name).value_or(0), *checksum);
  }
  return kExitOk;
}

// A directory under the system temporary directory, removed on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device random;
    path_ = fs::temp_directory_path() / fmt::format("ledger-report-{}-{:08x}", getpid(), random());
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The report's scope and filters from the command line into *params, or the
// exit code of the usage error when they do not fit the report.
std::optional<int> ReadReportParams(const CLI::App& app, const ReportArgs& args, const projections::ReportInfo& info,
                                    projections::ReportParams* params) {
  auto has_filter = [&info](std::string_view name) {
    return std::find(info.filters.begin(), info.filters.end(), name) != info.filters.end();
  };
  if (info.scope == projections::ScopeKind::kProvider) {
    if (args.provider.empty())
      return UsageError(app, fmt::format("the {} report is a provider's: name it with --provider CODE", info.name));
    params->scope = args.provider;
  } else {
    if (args.commissioner.empty())
      return UsageError(app,
                        fmt::format("the {} report is a commissioner's: name it with --commissioner CODE", info.name));
    params->scope = args.commissioner;
    if (!args.provider.empty()) {
      if (!has_filter("provider"))
        return UsageError(app, fmt::format("the {} report cannot be narrowed to a provider", info.name));
      params->filters["provider"] = args.provider;
    }
  }
  for (const std::string& filter : args.filters) {
    size_t eq = filter.find('=');
    std::string name = filter.substr(0, eq);
    if (eq == std::string::npos || !has_filter(name) || name == "provider")
      return UsageError(app, fmt::format("--filter {}: the {} report takes NAME=VALUE with NAME one of {}", filter,
                                         info.name, info.filters.empty() ? "(none)" : Joined(info.filters)));
    params->filters[name] = filter.substr(eq + 1);
  }
  if (has_filter("run") && !params->filters.contains("run"))
    return UsageError(app, fmt::format("the {} report needs --filter run=RUN_ID", info.name));
  return std::nullopt;
}

int RunReportCommand(const CLI::App& app, const ReportArgs& args) {
  const projections::ReportInfo* info = projections::FindReport(args.name);
  if (info == nullptr)
    return UsageError(app,
                      fmt::format("unknown report '{}': use one of {}", args.name, Joined(projections::ReportNames())));
  auto as_of = projections::AsOf::Parse(args.as_of);
  if (!as_of) return UsageError(app, "--as-of takes a log position (123), a date (2026-11-15) or 2026-11-15T12:30:00Z");
  projections::ReportParams params;
  if (std::optional<int> error = ReadReportParams(app, args, *info, &params)) return *error;

  DataDir data(args.data);
  int exit_code = kExitOk;
  auto store = OpenStoreReadOnly(data, &exit_code);
  if (!store) return exit_code;
  std::unique_ptr<ScratchDir> scratch;
  auto db = projections::ProjectionDb::Open(data.projections().string());
  if (!db.ok() && db.status().code() == es::Status::Code::kBusy) {
    // The server holds the projection database; build a private copy from the log.
    scratch = std::make_unique<ScratchDir>();
    db = projections::ProjectionDb::Open(scratch->path().string());
  }
  if (!db.ok())
    return Fail(kExitFailed, fmt::format("cannot open the projection database {}: {}", data.projections().string(),
                                         db.status().ToString()));
  uint64_t head = store->GetHead().position;
  uint64_t before = (*db)->Applied();
  projections::Runner runner(*store, **db);
  if (scratch) {
    ProgressBar bar("building a private copy of the projections");
    es::Status s = runner.Rebuild("", [&bar](uint64_t applied, uint64_t total) { bar.Update(applied, total); });
    bar.Finish();
    if (!s.ok()) return Fail(kExitFailed, fmt::format("building the projections failed: {}; retry", s.ToString()));
    fmt::print(stderr,
               "ledger: the projection database {} is in use by another process (probably `ledger serve`); this "
               "report was computed from a private copy built from the log up to position {}\n",
               data.projections().string(), runner.applied());
  } else if (before < head) {
    if (es::Status s = runner.CatchUp(); !s.ok())
      return Fail(kExitFailed,
                  fmt::format("catching up the projections failed: {}; run `ledger rebuild`", s.ToString()));
    fmt::print(stderr, "ledger: the projections were {} position(s) behind the log; caught up to position {}\n",
               head - before, runner.applied());
  }
  auto table = projections::RunReport(**db, info->name, params, *as_of);
  if (!table.ok()) {
    if (table.status().code() == es::Status::Code::kInvalid)
      return UsageError(app, fmt::format("the report's filters are not valid ({}): periods such as 2026-10, "
                                         "2026-Q3 or 2026/27; statuses and risk bands by name",
                                         table.status().message()));
    return Fail(kExitFailed, fmt::format("the report failed: {}", table.status().ToString()));
  }
  if (es::Status s = app::StampLogHead(*store, &*table); !s.ok())
    return Fail(kExitFailed, fmt::format("reading the log head of the report failed: {}", s.ToString()));
  if (args.format == "csv") {  // the JSON carries it in as_of
    fmt::print(stderr, "ledger: computed as of log position {} (event hash {}{}{})\n", table->as_of.position,
               table->head_hash, table->tree_root.empty() ? "" : ", tree root ", table->tree_root);
  }
  std::string bytes = args.format == "csv" ? projections::TableToCsv(*table) : projections::TableToJsonText(*table);
  std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  return std::fflush(stdout) == 0 ? kExitOk : Fail(kExitFailed, "writing the report to standard output failed");
}

}  // namespace

void RegisterProjections(CLI::App& app, CommandRegistry& registry) {
  auto rebuild_args = std::make_shared<RebuildArgs>();
  CLI::App* rebuild = app.add_subcommand("rebuild", "Rebuild the projections from the log and print their checksums");
  AddDataOption(rebuild, &rebuild_args->data);
  rebuild
      ->add_option("--projection", rebuild_args->projection,
                   "Only this projection: " + Joined(projections::ProjectionDb::ProjectionNames()))
      ->type_name("NAME");
  rebuild->footer(
      "Reads the log read-only and rewrites only <data>/projections; refused (exit 3) while `ledger serve`\n"
      "holds that database. Prints one line per projection: NAME POSITION SHA256.\n\n"
      "Example:\n  ledger rebuild --data /var/lib/ledger --projection claims");
  registry.Add(rebuild, [rebuild, rebuild_args] { return RunRebuild(*rebuild, *rebuild_args); });

  auto report_args = std::make_shared<ReportArgs>();
  CLI::App* report = app.add_subcommand("report", "Print a report as CSV or JSON, the same bytes as the API's");
  report->add_option("name", report_args->name, "Report name: " + Joined(projections::ReportNames()))
      ->required()
      ->type_name("NAME");
  AddDataOption(report, &report_args->data);
  report->add_option("--as-of", report_args->as_of, "A log position, a date (YYYY-MM-DD) or YYYY-MM-DDTHH:MM:SSZ")
      ->type_name("POS|DATE");
  report->add_option("--format", report_args->format, "csv or json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  report->add_option("--commissioner", report_args->commissioner, "The commissioner whose report it is (ODS code)")
      ->type_name("CODE");
  report
      ->add_option("--provider", report_args->provider,
                   "The provider for the statement; for other reports, only this provider's rows")
      ->type_name("CODE");
  report
      ->add_option("--filter", report_args->filters,
                   "A report filter NAME=VALUE (service, status, risk_band, period_from, period_to, run, org); "
                   "repeat for several")
      ->type_name("NAME=VALUE");
  report->footer(
      "Reads the log read-only. The projection database is caught up with the log first; while `ledger serve`\n"
      "holds it, the report is computed from a temporary copy built from the log.\n\n"
      "Examples:\n"
      "  ledger report claims --data /var/lib/ledger --commissioner 00L --as-of 2024-06-30\n"
      "  ledger report statement --data /var/lib/ledger --provider A84002 --format json\n"
      "  ledger report payment_run_claims --data /var/lib/ledger --commissioner 00L --filter run=00L-2024-04");
  registry.Add(report, [report, report_args] { return RunReportCommand(*report, *report_args); });
}

}  // namespace ledger::tools
