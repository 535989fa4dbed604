// ledger export-payments: the payment file of one payment run.
#include <map>

#include <fmt/format.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "commands.h"
#include "ledger/app/command_bus.h"
#include "ledger/base/csv.h"
#include "ledger/core/codec.h"
#include "ledger/core/streams.h"

namespace ledger::tools {
namespace {

struct ExportArgs {
  std::string data;
  std::string run;
  std::string format = "csv";
};

struct ProviderLine {
  std::string name;
  core::Pence amount = 0;
  std::vector<std::string> claim_ids;
};

// The payment file as CSV: one row per provider, its claims joined by ';'.
void PrintCsv(const std::string& run_id, const core::PaymentRunCreated& created, const std::string& status,
              const std::string& reference, const std::map<std::string, ProviderLine>& providers) {
  base::CsvWriter csv;
  csv.TextRow({"run_id", "commissioner", "pay_date", "status", "provider_code", "provider_name", "amount",
               "payment_reference", "claim_ids"});
  for (const auto& [code, p] : providers) {
    std::string ids;
    for (const std::string& id : p.claim_ids) ids += (ids.empty() ? "" : ";") + id;
    csv.Text(run_id).Text(created.commissioner).Text(created.pay_date.ToString()).Text(status).Text(code);
    csv.Text(p.name).Number(core::FormatPoundsPlain(p.amount)).Text(reference).Text(ids).EndRow();
  }
  const std::string& out = csv.str();
  fmt::print("{}", out);
}

// The payment file as one JSON object with a line per provider.
void PrintJson(const std::string& run_id, const core::PaymentRunCreated& created, const std::string& status,
               const std::string& reference, const std::map<std::string, ProviderLine>& providers) {
  boost::json::object run;
  run["run_id"] = run_id;
  run["commissioner"] = created.commissioner;
  run["pay_date"] = created.pay_date.ToString();
  run["status"] = status;
  run["payment_reference"] = reference;
  run["total"] = core::FormatPoundsPlain(created.total);
  boost::json::array lines;
  for (const auto& [code, p] : providers) {
    boost::json::array ids;
    for (const std::string& id : p.claim_ids) ids.emplace_back(id);
    lines.push_back(boost::json::object{{"provider_code", code},
                                        {"provider_name", p.name},
                                        {"amount", core::FormatPoundsPlain(p.amount)},
                                        {"claim_ids", ids}});
  }
  run["providers"] = std::move(lines);
  fmt::print("{}\n", boost::json::serialize(run));
}

int RunExport(const CLI::App& app, const ExportArgs& args) {
  if (args.format != "csv" && args.format != "json") return UsageError(app, "--format must be csv or json");
  if (!core::IsValidId(args.run)) return UsageError(app, "--run must be a payment run id such as 00L-2024-05");
  int exit_code = kExitOk;
  auto store = OpenStoreReadOnly(DataDir(args.data), &exit_code);
  if (!store) return exit_code;
  auto events = store->ReadStream(core::PaymentRunStream(args.run));
  if (!events.ok()) return Fail(kExitFailed, fmt::format("cannot read the run: {}", events.status().ToString()));
  if (events->empty())
    return Fail(kExitFailed, fmt::format("there is no payment run {}: check the id (`ledger replay --type "
                                         "PaymentRunCreated` lists them)",
                                         args.run));
  const core::PaymentRunCreated* created = nullptr;
  std::vector<core::Event> decoded;
  std::string reference;
  std::string status = "created";
  decoded.reserve(events->size());
  for (const es::Envelope& env : *events) {
    auto event = core::Decode(env.type, env.schema_version, env.payload);
    if (!event.ok()) return Fail(kExitFailed, "the run's events do not decode: use a newer `ledger`");
    decoded.push_back(std::move(event).value());
  }
  for (const core::Event& event : decoded) {
    if (auto* e = std::get_if<core::PaymentRunCreated>(&event)) created = e;
    if (std::holds_alternative<core::PaymentRunConfirmed>(event)) status = "sent_for_payment";
    if (auto* e = std::get_if<core::PaymentRunPaid>(&event)) {
      status = "paid";
      reference = e->payment_reference;
    }
  }
  if (created == nullptr) return Fail(kExitFailed, "the run has no PaymentRunCreated event: run `ledger verify`");
  app::CommandBus bus(*store);
  std::map<std::string, ProviderLine> providers;
  for (const core::PaymentRunLine& line : created->claims) {
    ProviderLine& p = providers[line.provider];
    if (p.name.empty()) {
      auto org = bus.LoadStream(core::OrgStream(line.provider));
      if (org.ok())
        if (auto* state = std::get_if<core::OrgState>(&org->state)) p.name = state->name;
    }
    p.amount += line.amount;
    p.claim_ids.push_back(line.claim_id);
  }
  if (status == "created")
    fmt::print(stderr, "note: run {} is not confirmed yet; the file has no payment reference\n", args.run);
  if (args.format == "csv") {
    PrintCsv(args.run, *created, status, reference, providers);
  } else {
    PrintJson(args.run, *created, status, reference, providers);
  }
  return kExitOk;
}

}  // namespace

void RegisterExportPayments(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand("export-payments",
                                     "Print the payment file of a payment run, one line per "
                                     "provider");
  AddDataOption(cmd, &args->data);
  cmd->add_option("--run", args->run, "Payment run id")->required()->type_name("ID");
  cmd->add_option("--format", args->format, "csv or json")->capture_default_str();
  cmd->footer(
      "CSV columns: run_id, commissioner, pay_date, status, provider_code, provider_name, amount (pounds),\n"
      "payment_reference, claim_ids (separated by ';'). RFC 4180 with CRLF line ends; a text cell that\n"
      "could start a spreadsheet formula (= + - @ tab CR LF) is prefixed with ' and quoted.\n\n"
      "Example:\n  ledger export-payments --data /var/lib/ledger --run 00L-2024-05 > 00L-2024-05.csv");
  registry.Add(cmd, [cmd, args] { return RunExport(*cmd, *args); });
}

}  // namespace ledger::tools
