#include "operator.h"

#include <fmt/format.h>

#include "cli_support.h"
#include "ledger/core/streams.h"

namespace ledger::tools {

core::CommandMeta OperatorMeta(std::string_view what) {
  int64_t now = WallClockMicros();
  return core::CommandMeta{fmt::format("cli-{}-{}", what, now), fmt::format("cli-{}", now), "", now};
}

std::string RefusalText(const core::Rejection& rejection) {
  std::string text = rejection.message;
  for (const core::FieldError& field : rejection.errors) text += fmt::format(" {}: {}", field.path, field.message);
  return text;
}

int ReportExecuted(const app::ExecuteResult& result, std::string_view done) {
  if (result.ok()) {
    fmt::print("{}\n", done);
    return kExitOk;
  }
  if (result.rejected()) return Fail(kExitFailed, fmt::format("refused: {}", RefusalText(result.rejection())));
  return Fail(kExitFailed, fmt::format("the store failed: {}; retry", result.status().ToString()));
}

std::optional<app::ExecuteResult> EnsureSystemOrganisation(app::CommandBus& bus) {
  auto system = bus.LoadStream(core::OrgStream(core::kSystemOrgCode));
  if (!system.ok()) return app::ExecuteResult(system.status());
  if (system->version != 0) return std::nullopt;
  app::ExecuteResult registered = bus.Execute(OperatorMeta("register-system"),
                                              core::RegisterOrganisation{std::string(core::kSystemOrgCode),
                                                                         "Ledger operators",
                                                                         core::OrgKind::kSystem,
                                                                         "",
                                                                         "",
                                                                         core::ApprovalMode::kSingleLevel,
                                                                         {}});
  if (registered.ok()) return std::nullopt;
  return registered;
}

}  // namespace ledger::tools
