// `ledger`: the command line for operators, auditors and finance teams.
// See docs/cli.md. Exit codes: 0 ok, 1 failed check, 2 usage error, 3 store busy.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli_support.h"
#include "commands.h"
#include "serve.h"

int main(int argc, char** argv) {
  using namespace ledger::tools;  // NOLINT: main only
  CLI::App app{"ledger: the claims ledger for NHS local incentive schemes (LES/LIS).", "ledger"};
  app.require_subcommand(1, 1);
  app.footer(
      "Examples:\n"
      "  ledger simulate --data ./demo --seed 7 --months 3 --practices-limit 300\n"
      "  ledger verify --data ./demo\n"
      "  ledger replay --data ./demo --type ClaimSubmitted | head\n"
      "  ledger report claims --data ./demo --commissioner 00L --as-of 2024-06-30\n"
      "\n"
      "Exit codes: 0 ok, 1 a check failed or the command could not be done, 2 usage error,\n"
      "3 the store is in use by another process. Run `ledger <command> --help` for each command.");
  app.set_version_flag("--version", "ledger " LEDGER_VERSION);
  CommandRegistry registry;
  RegisterServe(app, registry);
  RegisterSimulate(app, registry);
  RegisterReplay(app, registry);
  RegisterVerify(app, registry);
  RegisterTree(app, registry);
  RegisterProjections(app, registry);
  RegisterImportClaims(app, registry);
  RegisterExportPayments(app, registry);
  RegisterBackup(app, registry);
  RegisterUser(app, registry);
  if (argc > 1 && argv[1][0] != '-') {  // a command name: say which one was meant
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      return UsageError(app, UnknownCommandMessage(argv[1], names));
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const CLI::App* failed = &app;
    while (!failed->get_subcommands().empty()) failed = failed->get_subcommands().front();
    return UsageError(*failed, e.what());
  }
  try {
    return registry.RunChosen(app);
  } catch (const std::exception& e) {
    return Fail(kExitFailed, fmt::format("unexpected error: {}; please report it with the command you ran", e.what()));
  }
}
