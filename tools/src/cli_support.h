// What every `ledger` subcommand shares: exit codes, one-sentence errors,
// opening the store read-only or for writing, the progress bar, and the
// registry that maps a parsed subcommand to the function that runs it.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/eventstore/clock.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/tools/data_dir.h"

namespace ledger::tools {

// Exit codes, documented in docs/cli.md and `ledger --help`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // a check failed, or the command could not be carried out
inline constexpr int kExitUsage = 2;   // the command line is wrong
inline constexpr int kExitBusy = 3;    // the store is held by another process (e.g. `ledger serve`)

// Prints "ledger: <message>" to stderr and returns `code`.
int Fail(int code, std::string_view message);
// Prints the message and the subcommand's help to stderr; returns kExitUsage.
int UsageError(const CLI::App& app, std::string_view message);

// Registers subcommands and finds the one the user chose.
class CommandRegistry {
 public:
  // `run` is called after a successful parse when `app` was chosen.
  void Add(CLI::App* app, std::function<int()> run) { entries_.push_back({app, std::move(run)}); }
  // Runs the chosen subcommand; nullptr-safe. Returns kExitUsage when none was chosen.
  int RunChosen(const CLI::App& root) const;

 private:
  struct Entry {
    CLI::App* app;
    std::function<int()> run;
  };
  std::vector<Entry> entries_;
};

// Opens <data>/events. Read-only opens refuse a missing store; writing opens
// report a busy store with kExitBusy. On failure prints the error and sets *exit_code.
// `cache_bytes`: es::Options::cache_bytes of a writing open.
std::unique_ptr<es::EventStore> OpenStoreReadOnly(const DataDir& data, int* exit_code);
std::unique_ptr<es::EventStore> OpenStoreForWriting(const DataDir& data, bool create_if_missing, int* exit_code,
                                                    const es::Clock* clock = nullptr,
                                                    uint64_t cache_bytes = es::Options{}.cache_bytes);
// The same with every option of the store given (read_only must be false).
std::unique_ptr<es::EventStore> OpenStoreForWriting(const DataDir& data, const es::Options& options, int* exit_code);

// Adds the --data option every subcommand takes.
void AddDataOption(CLI::App* app, std::string* data);

// Microseconds since the Unix epoch, from the wall clock (CommandMeta::at for CLI commands).
int64_t WallClockMicros();

// "POS:HASH" as verify prints it and --expect-head takes it.
std::string FormatHead(const es::Head& head);
bool ParseHead(std::string_view text, es::Head* out);

// Progress on stderr: a bar redrawn in place when stderr is a terminal;
// otherwise (a log, a pipe) a line "label: 42.0% (420/1000)" every
// kProgressLinePeriod, and one when the work finishes.
class ProgressBar {
 public:
  static constexpr std::chrono::seconds kProgressLinePeriod{10};

  explicit ProgressBar(std::string label);
  ~ProgressBar();
  void Update(uint64_t done, uint64_t total);
  void Finish();
  // Finishes the current line and starts a new bar with another label.
  void Restart(std::string label);

 private:
  void PrintLine();

  std::string label_;
  bool terminal_ = false;
  int last_permille_ = -1;
  bool drawn_ = false;
  uint64_t done_ = 0;
  uint64_t total_ = 0;  // 0: nothing to report yet
  std::chrono::steady_clock::time_point last_line_ = std::chrono::steady_clock::now();
};

// What to say about a command that does not exist: the closest of `known`
// when one is near enough to be a typing slip, else every command.
std::string UnknownCommandMessage(std::string_view name, const std::vector<std::string>& known);

// The payments file path default: <source>/../shared/data/gp-practices-2021.csv.
std::string DefaultPracticesPath();

}  // namespace ledger::tools
