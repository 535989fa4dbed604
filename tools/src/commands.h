// Each subcommand adds itself to the `ledger` command line here.
#pragma once

#include <CLI/CLI.hpp>

#include "cli_support.h"

namespace ledger::tools {

void RegisterSimulate(CLI::App& app, CommandRegistry& registry);
void RegisterReplay(CLI::App& app, CommandRegistry& registry);
void RegisterVerify(CLI::App& app, CommandRegistry& registry);
void RegisterProjections(CLI::App& app, CommandRegistry& registry);  // rebuild, report
void RegisterImportClaims(CLI::App& app, CommandRegistry& registry);
void RegisterExportPayments(CLI::App& app, CommandRegistry& registry);
void RegisterBackup(CLI::App& app, CommandRegistry& registry);  // backup, restore
void RegisterUser(CLI::App& app, CommandRegistry& registry);    // user create, user reset-password
void RegisterTree(CLI::App& app, CommandRegistry& registry);    // prove, key show, rebuild-tree

}  // namespace ledger::tools
