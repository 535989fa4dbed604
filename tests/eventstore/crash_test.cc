// Crash safety: a child process appends from several threads and reports each
// acknowledged command on a pipe; it is killed with SIGKILL at a random
// moment. After reopening, every acknowledged command must be present whole,
// no command half-present, positions dense, and the chain must verify.
//
// Trials accumulate in one data directory, so later trials also recover from
// the earlier crashes. LEDGER_CRASH_TRIALS sets the number of trials
// (default 10), e.g. LEDGER_CRASH_TRIALS=200 for a longer campaign.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "ledger/eventstore/event_store.h"
#include "store_test_util.h"
#include "support/build_paths.h"
#include "support/temp_dir.h"

namespace ledger::es {
namespace {

const char kChild[] = LEDGER_BINARY_DIR "/tests/eventstore/eventstore_crash_child";

int TrialCount() {
  const char* env = std::getenv("LEDGER_CRASH_TRIALS");
  int n = env ? std::atoi(env) : 0;
  return n > 0 ? n : 10;
}

struct Child {
  pid_t pid = -1;
  int read_fd = -1;
};

// Starts the helper with `args` (after the mode) and the pipe's write end.
Child Spawn(std::vector<std::string> args) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  args.insert(args.begin() + 2, std::to_string(fds[1]));
  args.insert(args.begin(), kChild);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(kChild, argv.data());
    _exit(127);
  }
  close(fds[1]);
  return Child{pid, fds[0]};
}

// Reads from fd until `deadline` (or EOF when deadline is max).
void ReadUntil(int fd, std::chrono::steady_clock::time_point deadline, std::string* out) {
  char buf[65536];
  for (;;) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return;
    int wait_ms = static_cast<int>(
        std::min<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1, 1000));
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, wait_ms) <= 0) continue;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return;
    out->append(buf, static_cast<size_t>(n));
  }
}

// Events a crash-child command writes (see crash_child.cc).
uint64_t ExpectedEvents(const std::string& command_id) {
  int n = std::atoi(command_id.substr(command_id.rfind('-') + 1).c_str());
  return 1 + n % 3 + 1;
}

struct LogSummary {
  std::map<std::string, uint64_t> events_per_command;
  uint64_t last_position = 0;
  bool dense = true;
  bool stream_versions_dense = true;
};

LogSummary Summarise(EventStore& store) {
  LogSummary s;
  std::map<std::string, uint64_t> versions;
  REQUIRE(store
              .Scan(1, 0,
                    [&](const Envelope& e) {
                      if (e.position != s.last_position + 1) s.dense = false;
                      s.last_position = e.position;
                      uint64_t& v = versions[e.stream_id];
                      if (e.stream_version != v + 1) s.stream_versions_dense = false;
                      v = e.stream_version;
                      ++s.events_per_command[e.command_id];
                      return true;
                    })
              .ok());
  return s;
}

TEST_CASE("after SIGKILL at a random moment every acknowledged command is present whole and the chain verifies") {
  ledger::testing::TempDir dir;
  const std::string data = dir.Sub("data");
  const int trials = TrialCount();
  std::random_device seed_source;
  const unsigned seed = seed_source();
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(5, 400);
  std::set<std::string> acknowledged;
  uint64_t total_acks_seen = 0;

  for (int trial = 0; trial < trials; ++trial) {
    const int delay = delay_ms(rng);
    INFO("trial " << trial << " of " << trials << ", kill after " << delay << " ms, seed " << seed);
    Child child = Spawn({"append", data, std::to_string(trial), "4"});
    // The random delay starts once the child has opened the store (odd
    // trials: once it has acknowledged its first command), so a slow start
    // under sanitizers or load does not turn trials into kills before any append.
    std::string output;
    const std::string wait_for = trial % 2 == 0 ? "READY\n" : "READY\ntr";
    while (output.find(wait_for) == std::string::npos && output.find("ERROR") == std::string::npos) {
      size_t before = output.size();
      ReadUntil(child.read_fd, std::chrono::steady_clock::now() + std::chrono::milliseconds(20), &output);
      if (output.size() == before && waitpid(child.pid, nullptr, WNOHANG) == child.pid)
        FAIL("the child died: " << output);
    }
    ReadUntil(child.read_fd, std::chrono::steady_clock::now() + std::chrono::milliseconds(delay), &output);
    REQUIRE(kill(child.pid, SIGKILL) == 0);
    ReadUntil(child.read_fd, std::chrono::steady_clock::time_point::max(), &output);
    close(child.read_fd);
    int status = 0;
    REQUIRE(waitpid(child.pid, &status, 0) == child.pid);
    REQUIRE(WIFSIGNALED(status));

    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
      if (lines.eof()) break;  // a line cut short by the kill (lines are written whole, so rare)
      if (line == "READY") continue;
      REQUIRE_MESSAGE(line.rfind("ERROR", 0) != 0, line);
      acknowledged.insert(line);
      ++total_acks_seen;
    }

    auto store = testing::OpenOrDie(data);
    LogSummary log = Summarise(*store);
    CHECK(log.dense);
    CHECK(log.stream_versions_dense);
    CHECK(log.last_position == store->GetHead().position);
    for (const auto& [command, count] : log.events_per_command) {
      CHECK_MESSAGE(count == ExpectedEvents(command), "command " << command << " is half-present");
    }
    for (const std::string& command : acknowledged) {
      auto it = log.events_per_command.find(command);
      CHECK_MESSAGE(it != log.events_per_command.end(), "acknowledged command " << command << " is missing");
    }
    auto report = store->Verify();
    REQUIRE(report.ok());
    CHECK_MESSAGE(report->ok, report->problem << " at " << report->first_bad_position);
    CHECK(report->head.hash == store->GetHead().hash);
  }
  CHECK(total_acks_seen > 0);
  MESSAGE(trials << " crash trials, " << total_acks_seen << " acknowledged commands checked");
}

TEST_CASE("an acknowledged command retried after a crash is a duplicate with its original positions") {
  ledger::testing::TempDir dir;
  const std::string data = dir.Sub("data");
  Child child = Spawn({"append", data, "0", "2"});
  std::string output;
  while (output.find("READY\ntr") == std::string::npos || output.find('\n', 6) == std::string::npos) {
    ReadUntil(child.read_fd, std::chrono::steady_clock::now() + std::chrono::milliseconds(50), &output);
  }
  kill(child.pid, SIGKILL);
  ReadUntil(child.read_fd, std::chrono::steady_clock::time_point::max(), &output);
  close(child.read_fd);
  waitpid(child.pid, nullptr, 0);
  std::string first = output.substr(6, output.find('\n', 6) - 6);
  REQUIRE(first.rfind("tr0-t", 0) == 0);

  auto store = testing::OpenOrDie(data);
  std::vector<Envelope> events;
  REQUIRE(store
              ->Scan(1, 0,
                     [&](const Envelope& e) {
                       if (e.command_id == first) events.push_back(e);
                       return true;
                     })
              .ok());
  REQUIRE_FALSE(events.empty());
  // Rebuild the same request the child sent (crash_child.cc) and retry it.
  int thread = std::atoi(first.substr(5).c_str());
  int n = std::atoi(first.substr(first.rfind('-') + 1).c_str());
  AppendRequest req;
  req.command_id = first;
  req.actor_id = "crash-test";
  StreamAppend own{"own-" + std::to_string(thread), ExpectedVersion::Any(), {}};
  for (int i = 0; i < 1 + n % 3; ++i) {
    own.events.push_back(EventData{"Written", 1, first + "/" + std::to_string(i) + std::string(100, 'x')});
  }
  req.streams = {own, StreamAppend{"shared-" + std::to_string(n % 4),
                                   ExpectedVersion::Any(),
                                   {EventData{"Shared", 1, first}}}};
  auto retry = store->Append(req);
  REQUIRE_MESSAGE(retry.ok(), retry.status().ToString());
  CHECK(retry->duplicate);
  CHECK(retry->first_position == events.front().position);
  CHECK(retry->last_position == events.back().position);
}

TEST_CASE("another process opening a store in use for writing is told the directory is busy") {
  ledger::testing::TempDir dir;
  auto store = testing::OpenOrDie(dir.str());
  Child child = Spawn({"open", dir.str()});
  std::string output;
  ReadUntil(child.read_fd, std::chrono::steady_clock::time_point::max(), &output);
  close(child.read_fd);
  int status = 0;
  REQUIRE(waitpid(child.pid, &status, 0) == child.pid);
  CHECK(WIFEXITED(status));
  CHECK(output.rfind("Busy: the data directory " + dir.str() + " is in use by another ledger process", 0) == 0);
  store.reset();

  Child again = Spawn({"open", dir.str()});
  output.clear();
  ReadUntil(again.read_fd, std::chrono::steady_clock::time_point::max(), &output);
  close(again.read_fd);
  waitpid(again.pid, nullptr, 0);
  CHECK(output == "OK");
}

}  // namespace
}  // namespace ledger::es
