// ledger verify: recomputes the whole hash chain and checks every table file,
// every index and the Merkle tree of the store against the events.
#include <fmt/format.h>

#include "commands.h"

namespace ledger::tools {
namespace {

// "the log is damaged at position 37 (events key 37): hash mismatch ..." or,
// for a fault at no position, "the store is damaged: <problem>", whose problem
// names the column family and the key or table file.
// A damaged Merkle tree is derived data: the events it was computed from are
// intact (the chain was checked first), so it is rebuilt rather than restored.
std::string DamageMessage(const es::VerifyReport& report) {
  std::string at = "the store is damaged";
  if (report.first_bad_position != 0) {
    at = fmt::format("the log is damaged at position {} ({} key {})", report.first_bad_position, report.column_family,
                     report.key);
  }
  if (report.column_family == "merkle") {
    return fmt::format(
        "{}: {}; the events are intact, so rebuild the tree from them: stop the ledger and run "
        "`ledger rebuild-tree --data DIR`",
        at, report.problem);
  }
  return fmt::format("{}: {}; restore from a backup taken before the damage (`ledger restore`)", at, report.problem);
}

struct VerifyArgs {
  std::string data;
  std::string expect_head;
};

int RunVerify(const CLI::App& app, const VerifyArgs& args) {
  es::Head expected;
  if (!args.expect_head.empty() && !ParseHead(args.expect_head, &expected))
    return UsageError(app, "--expect-head must be POS:HASH as `ledger verify` prints it, e.g. 1234:9f86d0...");
  int exit_code = kExitOk;
  auto store = OpenStoreReadOnly(DataDir(args.data), &exit_code);
  if (!store) return exit_code;
  es::Head head = store->GetHead();
  ProgressBar bar("verifying");
  auto report = store->Verify(1, 0, [&](uint64_t position) { bar.Update(position, head.position); });
  bar.Update(head.position, head.position);
  bar.Finish();
  if (!report.ok())
    return Fail(kExitFailed, fmt::format("verification could not finish: {}; check the data directory and retry",
                                         report.status().ToString()));
  if (!report->ok) return Fail(kExitFailed, DamageMessage(*report));
  if (!args.expect_head.empty()) {
    if (expected.position > report->head.position)
      return Fail(kExitFailed, fmt::format("the log ends at position {}, before the expected head {}: events are "
                                           "missing (an older or truncated copy?)",
                                           report->head.position, expected.position));
    if (expected.position > 0) {
      auto events = store->ReadAll(expected.position, 1);
      if (!events.ok() || events->empty())
        return Fail(kExitFailed,
                    fmt::format("cannot read position {}: the log does not hold the expected head", expected.position));
      if (events->front().hash != expected.hash)
        return Fail(kExitFailed,
                    fmt::format("position {} has hash {}, not the expected {}: this log is not the "
                                "one the head was recorded from",
                                expected.position, es::HashToHex(events->front().hash), es::HashToHex(expected.hash)));
    }
    fmt::print(stderr, "the log contains the expected head {}\n", expected.position);
  }
  fmt::print(stderr, "verified {} events{}\n", report->events_checked,
             report->tree_checked ? " and their Merkle tree" : "");
  fmt::print("{}\n", FormatHead(report->head));
  return kExitOk;
}

}  // namespace

void RegisterVerify(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Recompute the hash chain, check every file and index of the store; print the head as POS:HASH");
  AddDataOption(cmd, &args->data);
  cmd->add_option("--expect-head", args->expect_head,
                  "Also prove the log still holds this head (recorded earlier, e.g. on a payment run)")
      ->type_name("POS:HASH");
  cmd->footer(
      "Opens the store read-only, so it works while the server runs. Shows a progress bar on a terminal.\n"
      "Also checks every table file's checksums, that the stream index, stream heads and command records\n"
      "agree with the events, and every node of the Merkle tree over them.\n"
      "Exit code 0 with POS:HASH as the last line; 1 naming the first bad position or key.\n\n"
      "Example:\n  ledger verify --data /var/lib/ledger --expect-head 120345:5e88489...");
  registry.Add(cmd, [cmd, args] { return RunVerify(*cmd, *args); });
}

}  // namespace ledger::tools
