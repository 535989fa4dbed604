// ledger backup / ledger restore: a consistent copy of the store (RocksDB
// checkpoint) plus the evidence files, and its way back.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "commands.h"

namespace ledger::tools {
namespace {

namespace fs = std::filesystem;

struct BackupArgs {
  std::string data;
  std::string to;
};

struct RestoreArgs {
  std::string from;
  std::string data;
};

bool CopyTree(const fs::path& from, const fs::path& to, std::string* error) {
  std::error_code ec;
  if (!fs::exists(from, ec)) return true;
  fs::create_directories(to, ec);
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::skip_existing, ec);
  if (ec) {
    *error = fmt::format("cannot copy {} to {}: {}", from.string(), to.string(), ec.message());
    return false;
  }
  return true;
}

int RunBackup(const BackupArgs& args) {
  DataDir data(args.data);
  DataDir target(args.to);
  std::error_code ec;
  if (fs::exists(target.root(), ec) && !fs::is_empty(target.root(), ec))
    return Fail(kExitFailed, fmt::format("{} already exists and is not empty: choose a new directory for the backup",
                                         target.root().string()));
  if (!fs::exists(data.events() / "CURRENT", ec))
    return Fail(kExitFailed, fmt::format("there is no event store in {}: check --data", data.root().string()));
  // The checkpoint needs a writable handle; while the server holds the store a
  // read-only handle is tried instead.
  int exit_code = kExitOk;
  std::unique_ptr<es::EventStore> store;
  es::Options options;
  options.create_if_missing = false;
  auto writable = es::EventStore::Open(data.events().string(), options);
  if (writable.ok()) {
    store = std::move(writable).value();
  } else if (writable.status().code() == es::Status::Code::kBusy) {
    store = OpenStoreReadOnly(data, &exit_code);
    if (!store) return exit_code;
  } else {
    return Fail(kExitFailed, fmt::format("cannot open the event store: {}", writable.status().ToString()));
  }
  fs::create_directories(target.root(), ec);
  es::Head head = store->GetHead();
  if (es::Status s = store->Checkpoint(target.events().string()); !s.ok()) {
    int code = writable.ok() ? kExitFailed : kExitBusy;
    return Fail(code, fmt::format("the checkpoint failed: {}{}", s.ToString(),
                                  writable.ok() ? "" : "; stop the server, or retry when it is idle"));
  }
  std::string error;
  if (!CopyTree(data.evidence(), target.evidence(), &error)) return Fail(kExitFailed, error + "; retry with space");
  // The checkpoint may hold events appended after `head` was read: record its own head.
  store.reset();
  auto copy = OpenStoreReadOnly(target, &exit_code);
  if (!copy) return exit_code;
  head = copy->GetHead();
  std::ofstream manifest(target.root() / kBackupManifestName);
  manifest << "head " << FormatHead(head) << "\n";
  if (!manifest) return Fail(kExitFailed, "cannot write the backup manifest: check the target directory");
  fmt::print(stderr, "backed up {} events and the evidence files to {}\n", head.position, target.root().string());
  fmt::print("{}\n", FormatHead(head));
  return kExitOk;
}

int RunRestore(const RestoreArgs& args) {
  DataDir source(args.from);
  DataDir data(args.data);
  std::error_code ec;
  if (!fs::exists(source.events() / "CURRENT", ec))
    return Fail(kExitFailed,
                fmt::format("{} is not a backup (no events/ store): check --from", source.root().string()));
  if (fs::exists(data.events(), ec))
    return Fail(kExitFailed, fmt::format("{} already holds an event store: restore into a new data directory, then "
                                         "swap directories",
                                         data.root().string()));
  std::string error;
  if (!CopyTree(source.events(), data.events(), &error) || !CopyTree(source.evidence(), data.evidence(), &error))
    return Fail(kExitFailed, error);
  int exit_code = kExitOk;
  auto store = OpenStoreReadOnly(data, &exit_code);
  if (!store) return exit_code;
  auto report = store->Verify();
  if (!report.ok() || !report->ok)
    return Fail(kExitFailed, fmt::format("the restored copy does not verify ({}): use another backup",
                                         report.ok() ? report->problem : report.status().ToString()));
  std::ifstream manifest(source.root() / kBackupManifestName);
  std::string word, recorded;
  if (manifest >> word >> recorded && recorded != FormatHead(report->head))
    return Fail(kExitFailed, fmt::format("the restored copy ends at {}, but the backup recorded {}: the backup is "
                                         "incomplete",
                                         FormatHead(report->head), recorded));
  fmt::print(stderr, "restored and verified {} events into {}\n", report->events_checked, data.root().string());
  fmt::print("{}\n", FormatHead(report->head));
  return kExitOk;
}

}  // namespace

void RegisterBackup(CLI::App& app, CommandRegistry& registry) {
  auto backup_args = std::make_shared<BackupArgs>();
  CLI::App* backup = app.add_subcommand("backup", "Copy the store (a consistent checkpoint) and the evidence files");
  AddDataOption(backup, &backup_args->data);
  backup->add_option("--to", backup_args->to, "A new, empty directory for the backup")->required()->type_name("DIR2");
  backup->footer(
      "Prints the head of the copy as POS:HASH; the copy also records it in DIR2/BACKUP.\n\n"
      "Example:\n  ledger backup --data /var/lib/ledger --to /backups/ledger-2024-06-30");
  registry.Add(backup, [backup_args] { return RunBackup(*backup_args); });

  auto restore_args = std::make_shared<RestoreArgs>();
  CLI::App* restore = app.add_subcommand("restore", "Restore a backup into a new data directory and verify it");
  restore->add_option("--from", restore_args->from, "The backup directory")->required()->type_name("DIR2");
  AddDataOption(restore, &restore_args->data);
  restore->footer(
      "Projections are not copied: they are rebuilt from the log. Prints the verified head as POS:HASH.\n\n"
      "Example:\n  ledger restore --from /backups/ledger-2024-06-30 --data /var/lib/ledger-restored");
  registry.Add(restore, [restore_args] { return RunRestore(*restore_args); });
}

}  // namespace ledger::tools
