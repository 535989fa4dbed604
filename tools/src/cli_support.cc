#include "cli_support.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ledger::tools {

int Fail(int code, std::string_view message) {
  fmt::print(stderr, "ledger: {}\n", message);
  return code;
}

int UsageError(const CLI::App& app, std::string_view message) {
  fmt::print(stderr, "ledger: {}\n\n{}", message, app.help());
  return kExitUsage;
}

namespace {
const CLI::App* Deepest(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) return Deepest(*sub);
  return &app;
}
}  // namespace

int CommandRegistry::RunChosen(const CLI::App& root) const {
  const CLI::App* chosen = Deepest(root);
  for (const Entry& e : entries_)
    if (e.app == chosen) return e.run();
  return UsageError(*chosen, "choose a subcommand");
}

std::unique_ptr<es::EventStore> OpenStoreReadOnly(const DataDir& data, int* exit_code) {
  std::error_code ec;
  if (!std::filesystem::exists(data.events() / "CURRENT", ec)) {
    *exit_code = Fail(kExitFailed, fmt::format("there is no event store in {}: check --data (it names the data "
                                               "directory that holds events/)",
                                               data.root().string()));
    return nullptr;
  }
  es::Options options;
  options.read_only = true;
  options.create_if_missing = false;
  auto store = es::EventStore::Open(data.events().string(), options);
  if (!store.ok()) {
    *exit_code = Fail(kExitFailed, fmt::format("cannot open the event store in {}: {}", data.events().string(),
                                               store.status().ToString()));
    return nullptr;
  }
  return std::move(store).value();
}

std::unique_ptr<es::EventStore> OpenStoreForWriting(const DataDir& data, bool create_if_missing, int* exit_code,
                                                    const es::Clock* clock, uint64_t cache_bytes) {
  es::Options options;
  options.create_if_missing = create_if_missing;
  options.clock = clock;
  options.cache_bytes = cache_bytes;
  return OpenStoreForWriting(data, options, exit_code);
}

std::unique_ptr<es::EventStore> OpenStoreForWriting(const DataDir& data, const es::Options& options, int* exit_code) {
  std::error_code ec;
  if (!options.create_if_missing && !std::filesystem::exists(data.events() / "CURRENT", ec)) {
    *exit_code = Fail(kExitFailed, fmt::format("there is no event store in {}: check --data, or create one with "
                                               "`ledger user create` or `ledger simulate`",
                                               data.root().string()));
    return nullptr;
  }
  std::filesystem::create_directories(data.root(), ec);
  auto store = es::EventStore::Open(data.events().string(), options);
  if (!store.ok()) {
    if (store.status().code() == es::Status::Code::kBusy) {
      *exit_code = Fail(kExitBusy, fmt::format("the store in {} is in use by another process (probably `ledger "
                                               "serve`): stop it and retry, or use a read-only command",
                                               data.root().string()));
    } else {
      *exit_code = Fail(kExitFailed, fmt::format("cannot open the event store in {}: {}", data.events().string(),
                                                 store.status().ToString()));
    }
    return nullptr;
  }
  return std::move(store).value();
}

void AddDataOption(CLI::App* app, std::string* data) {
  app->add_option("--data", *data, "Data directory (holds events/, projections/, evidence/)")
      ->required()
      ->type_name("DIR");
}

int64_t WallClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatHead(const es::Head& head) { return fmt::format("{}:{}", head.position, es::HashToHex(head.hash)); }

bool ParseHead(std::string_view text, es::Head* out) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  uint64_t position = 0;
  for (char c : text.substr(0, colon)) {
    if (c < '0' || c > '9') return false;
    position = position * 10 + static_cast<uint64_t>(c - '0');
  }
  es::Head head;
  head.position = position;
  if (!es::HashFromHex(std::string(text.substr(colon + 1)), &head.hash)) return false;
  *out = head;
  return true;
}

ProgressBar::ProgressBar(std::string label) : label_(std::move(label)), terminal_(isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::PrintLine() {
  const uint64_t permille = std::min<uint64_t>(1000, done_ * 1000 / total_);
  fmt::print(stderr, "{}: {}.{}% ({}/{})\n", label_, permille / 10, permille % 10, done_, total_);
  std::fflush(stderr);
  last_line_ = std::chrono::steady_clock::now();
}

void ProgressBar::Update(uint64_t done, uint64_t total) {
  if (total == 0) return;
  done_ = done;
  total_ = total;
  if (!terminal_) {
    if (std::chrono::steady_clock::now() - last_line_ >= kProgressLinePeriod) PrintLine();
    return;
  }
  int permille = static_cast<int>(std::min<uint64_t>(1000, done * 1000 / total));
  if (permille == last_permille_) return;
  last_permille_ = permille;
  constexpr int kWidth = 30;
  int filled = permille * kWidth / 1000;
  fmt::print(stderr, "\r{} [{}{}] {:3}.{}% {}/{}", label_, std::string(filled, '#'), std::string(kWidth - filled, '.'),
             permille / 10, permille % 10, done, total);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (drawn_) {
    fmt::print(stderr, "\n");
    drawn_ = false;
  }
  if (!terminal_ && total_ > 0) PrintLine();
  total_ = 0;
}

void ProgressBar::Restart(std::string label) {
  Finish();
  label_ = std::move(label);
  last_permille_ = -1;
}

namespace {

// The fewest single-character insertions, deletions and substitutions that turn a into b.
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string UnknownCommandMessage(std::string_view name, const std::vector<std::string>& known) {
  std::string closest;
  std::size_t best = std::string_view::npos;
  for (const std::string& k : known) {
    const std::size_t d = EditDistance(name, k);
    if (d < best) {
      best = d;
      closest = k;
    }
  }
  if (!closest.empty() && best <= std::max<std::size_t>(2, closest.size() / 3)) {
    return fmt::format("there is no command '{}': did you mean '{}'?", name, closest);
  }
  return fmt::format("there is no command '{}': the commands are {}", name, fmt::join(known, ", "));
}

std::string DefaultPracticesPath() {
  return (std::filesystem::path(LEDGER_SOURCE_DIR) / ".." / "shared" / "data" / "gp-practices-2021.csv")
      .lexically_normal()
      .string();
}

}  // namespace ledger::tools
