// ledger replay: every envelope with its payload decoded, streamed to stdout.
#include <cstdio>

#include <fmt/format.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "commands.h"
#include "ledger/app/event_json.h"
#include "ledger/base/time.h"

namespace ledger::tools {
namespace {

struct ReplayArgs {
  std::string data;
  uint64_t from = 1;
  uint64_t to = 0;
  std::string stream;
  std::string type;
  std::string format = "jsonl";
};

int RunReplay(const CLI::App& app, const ReplayArgs& args) {
  if (args.to != 0 && args.to < args.from) return UsageError(app, "--to must not be before --from");
  int exit_code = kExitOk;
  auto store = OpenStoreReadOnly(DataDir(args.data), &exit_code);
  if (!store) return exit_code;
  if (args.format == "table")
    fmt::print("{:>10}  {:<27}  {:<40}  {:<26}  {}\n", "POSITION", "RECORDED AT", "STREAM", "TYPE", "ACTOR");
  uint64_t undecodable = 0;
  uint64_t first_undecodable = 0;
  es::Status status = store->Scan(std::max<uint64_t>(args.from, 1), args.to, [&](const es::Envelope& env) {
    if (!args.stream.empty() && env.stream_id != args.stream) return true;
    if (!args.type.empty() && env.type != args.type) return true;
    if (args.format == "table") {
      fmt::print("{:>10}  {:<27}  {:<40}  {:<26}  {}\n", env.position, base::FormatRfc3339Micros(env.recorded_at_us),
                 env.stream_id, env.type, env.actor_id);
      return true;
    }
    const boost::json::object json = app::EnvelopeJson(env);
    if (json.contains("payload_error") && undecodable++ == 0) first_undecodable = env.position;
    std::string line = boost::json::serialize(json);
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), stdout);
    return true;
  });
  std::fflush(stdout);
  if (!status.ok())
    return Fail(kExitFailed,
                fmt::format("replay stopped: {}; run `ledger verify` to find the damage", status.ToString()));
  if (undecodable > 0)
    return Fail(kExitFailed, fmt::format("{} event(s) could not be decoded, the first at position {}: this binary "
                                         "may be older than the data; use a newer `ledger`",
                                         undecodable, first_undecodable));
  return kExitOk;
}

}  // namespace

void RegisterReplay(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<ReplayArgs>();
  CLI::App* cmd = app.add_subcommand("replay", "Print every event with its envelope, payload decoded");
  AddDataOption(cmd, &args->data);
  cmd->add_option("--from", args->from, "First position")->capture_default_str();
  cmd->add_option("--to", args->to, "Last position (0 = the head)")->capture_default_str();
  cmd->add_option("--stream", args->stream, "Only this stream, e.g. claim-A84002-ACM-2024-03");
  cmd->add_option("--type", args->type, "Only this event type, e.g. ClaimSubmitted");
  cmd->add_option("--format", args->format, "jsonl (one JSON object per line) or table")
      ->check(CLI::IsMember({"jsonl", "table"}))
      ->capture_default_str();
  cmd->footer(
      "Streams from the log without holding it in memory; opens the store read-only.\n\n"
      "Example:\n  ledger replay --data /var/lib/ledger --from 1000 --type ClaimPaid > paid.jsonl");
  registry.Add(cmd, [cmd, args] { return RunReplay(*cmd, *args); });
}

}  // namespace ledger::tools
