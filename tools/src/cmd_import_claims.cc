// ledger import-claims: bulk upload of claims from a CSV file.
//
// The whole file is checked first by the shared importer (app::PlanClaimImport,
// also behind POST /api/v1/claims/bulk): every row is decided by the real
// deciders against one set of loaded streams, in file order, so rows see each
// other (a duplicate is caught as such). Only when every row is valid are all
// the decisions appended as ONE atomic append; otherwise nothing is stored.
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "commands.h"
#include "ledger/app/claim_import.h"
#include "ledger/core/streams.h"

namespace ledger::tools {
namespace {

struct ImportArgs {
  std::string file;
  std::string data;
  std::string as;
  bool submit = false;
  bool dry_run = false;
};

int RunImport(const CLI::App& app, const ImportArgs& args) {
  if (!core::IsValidUsername(args.as)) return UsageError(app, "--as must be a username");
  std::ifstream in(args.file, std::ios::binary);
  if (!in) return Fail(kExitFailed, fmt::format("cannot read {}: check the file name", args.file));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  int exit_code = kExitOk;
  DataDir data(args.data);
  auto store = args.dry_run ? OpenStoreReadOnly(data, &exit_code)
                            : OpenStoreForWriting(data, /*create_if_missing=*/false, &exit_code);
  if (!store) return exit_code;
  app::ClaimImportOptions options;
  options.actor = args.as;
  options.submit = args.submit;
  options.at = WallClockMicros();
  options.digest = app::ImportDigest(text, args.as, args.submit);
  auto plan = app::PlanClaimImport(*store, text, options);
  if (!plan.ok())
    return Fail(kExitFailed, fmt::format("checking the file failed: {}; retry", plan.status().ToString()));
  if (plan->too_many_rows) {
    return Fail(kExitFailed, fmt::format("{}: {}; nothing was stored", args.file, plan->errors.front().message));
  }
  if (!plan->errors.empty()) {
    for (const app::ClaimImportError& e : plan->errors)
      fmt::print(stderr, "{}:{}: {}{}\n", args.file, e.line, e.column.empty() ? "" : "column " + e.column + ": ",
                 e.message);
    return Fail(kExitFailed, fmt::format("{} error(s) in {}; nothing was stored: correct the rows listed above and "
                                         "run the import again",
                                         plan->errors.size(), args.file));
  }
  if (args.dry_run) {
    fmt::print("{} claim(s) checked and valid; nothing stored (dry run)\n", plan->claim_ids.size());
    return kExitOk;
  }
  if (plan->request.streams.empty()) {
    fmt::print("this file was already imported; nothing new stored\n");
    return kExitOk;
  }
  auto appended = store->Append(plan->request);
  if (!appended.ok()) {
    if (appended.status().code() == es::Status::Code::kConflict)
      return Fail(kExitFailed, fmt::format("someone changed these claims while the file was checked ({}); nothing "
                                           "was stored: run the import again",
                                           appended.status().message()));
    return Fail(kExitFailed, fmt::format("nothing was stored: {}", appended.status().ToString()));
  }
  if (appended->duplicate) {
    fmt::print("this file was already imported (positions {}..{}); nothing new stored\n", appended->first_position,
               appended->last_position);
    return kExitOk;
  }
  fmt::print("imported {} claim(s){} at positions {}..{}\n", plan->claim_ids.size(),
             args.submit ? " and submitted them" : "", appended->first_position, appended->last_position);
  return kExitOk;
}

}  // namespace

void RegisterImportClaims(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand("import-claims", "Bulk upload of claims from a CSV file: all rows or none");
  cmd->add_option("file", args->file, "The CSV file")->required()->type_name("FILE.csv");
  AddDataOption(cmd, &args->data);
  cmd->add_option("--as", args->as, "Username of the provider user making the claims")->required()->type_name("USER");
  cmd->add_flag("--submit", args->submit, "Submit every claim (otherwise they are stored as drafts)");
  cmd->add_flag("--dry-run", args->dry_run, "Check the whole file and store nothing");
  cmd->footer(
      "Columns (header line required; order free):\n"
      "  provider        the provider's ODS code, e.g. A84002\n"
      "  service         the service code (e.g. ACM) or service id (e.g. 00L-ACM)\n"
      "  period          2024-05 (monthly), 2024-Q1 (quarterly), 2024/25 (annual), 2024-05-14 (one-off)\n"
      "  <component id>  one column per component: a whole number (money: pounds, e.g. 12.50); empty = not entered\n"
      "  answer:<id>     the answer to a supplementary question (yes/no, a number or text)\n"
      "Every row is checked before anything is stored; each error is listed as FILE:LINE: column C: message.\n"
      "All rows valid -> one atomic append; any row invalid -> nothing stored, exit code 1.\n"
      "UTF-8 with or without BOM, LF or CRLF, quoted fields; blank lines are skipped.\n"
      "At most " +
      std::to_string(app::kMaxImportRows) +
      " claim rows per file (split larger files).\n\n"
      "Example:\n  ledger import-claims may.csv --data /var/lib/ledger --as a84002.user --submit");
  registry.Add(cmd, [cmd, args] { return RunImport(*cmd, *args); });
}

}  // namespace ledger::tools
