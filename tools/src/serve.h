// The registration point of `ledger serve` (the HTTP server).
//
// The server's subcommand is implemented in tools/src/serve.cc, which the
// build uses (and links ledger_http) as soon as that file exists; until then
// tools/src/serve_stub.cc registers a `serve` that says the server is not
// built yet. Use DataDir (ledger/tools/data_dir.h) for the store, projection
// and evidence paths, and the exit codes of cli_support.h.
#pragma once

#include <CLI/CLI.hpp>

#include "cli_support.h"

namespace ledger::tools {

void RegisterServe(CLI::App& app, CommandRegistry& registry);

}  // namespace ledger::tools
