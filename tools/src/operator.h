// Commands the operator's tooling executes as the system (actor ""): their
// ids, reporting their outcome, and the system organisation they act in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ledger/app/command_bus.h"
#include "ledger/core/domain.h"

namespace ledger::tools {

// Ids "cli-<what>-<now>" and "cli-<now>", no actor, the wall clock's time.
core::CommandMeta OperatorMeta(std::string_view what);

// A refusal's message followed by each field's path and message.
std::string RefusalText(const core::Rejection& rejection);

// Prints `done` and returns kExitOk when the command was executed (or was
// already), else says why and returns kExitFailed.
int ReportExecuted(const app::ExecuteResult& result, std::string_view done);

// Registers the system organisation ("Ledger operators") unless the log has
// it; the outcome when registering it failed, else nullopt.
std::optional<app::ExecuteResult> EnsureSystemOrganisation(app::CommandBus& bus);

}  // namespace ledger::tools
