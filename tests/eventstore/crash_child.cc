// Helper process for crash_test.cc (not a test itself).
//
//   eventstore_crash_child append <dir> <fd> <trial> <threads>
//     Opens the store, writes "READY\n" to file descriptor <fd>, then appends
//     commands from <threads> threads until killed, writing each acknowledged
//     command id and a newline to <fd>.
//     Command "tr<trial>-t<thread>-<n>" appends 1 + n % 3 events to stream
//     "own-<thread>" and one event to stream "shared-<n % 4>".
//   eventstore_crash_child open <dir> <fd>
//     Tries to open <dir> for writing and writes the status to <fd>.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger/eventstore/event_store.h"

namespace {

using ledger::es::AppendRequest;
using ledger::es::EventData;
using ledger::es::ExpectedVersion;
using ledger::es::StreamAppend;

void WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) _exit(4);
    done += static_cast<size_t>(n);
  }
}

AppendRequest CrashCommand(int trial, int thread, int n) {
  AppendRequest req;
  req.command_id = "tr" + std::to_string(trial) + "-t" + std::to_string(thread) + "-" + std::to_string(n);
  req.actor_id = "crash-test";
  StreamAppend own{"own-" + std::to_string(thread), ExpectedVersion::Any(), {}};
  for (int i = 0; i < 1 + n % 3; ++i) {
    own.events.push_back(EventData{"Written", 1, req.command_id + "/" + std::to_string(i) + std::string(100, 'x')});
  }
  StreamAppend shared{"shared-" + std::to_string(n % 4),
                      ExpectedVersion::Any(),
                      {EventData{"Shared", 1, req.command_id}}};
  req.streams = {std::move(own), std::move(shared)};
  return req;
}

int Append(const std::string& dir, int fd, int trial, int threads) {
  auto store = ledger::es::EventStore::Open(dir);
  if (!store.ok()) {
    WriteAll(fd, "ERROR " + store.status().ToString() + "\n");
    return 2;
  }
  WriteAll(fd, "READY\n");
  std::mutex pipe_mu;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int n = 0;; ++n) {
        AppendRequest req = CrashCommand(trial, t, n);
        auto result = (*store)->Append(req);
        std::lock_guard lock(pipe_mu);
        WriteAll(fd, result.ok() ? req.command_id + "\n" : "ERROR " + result.status().ToString() + "\n");
      }
    });
  }
  for (auto& w : workers) w.join();  // never: the parent kills this process
  return 0;
}

int TryOpen(const std::string& dir, int fd) {
  auto store = ledger::es::EventStore::Open(dir);
  WriteAll(fd, store.ok() ? std::string("OK") : store.status().ToString());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 6 && std::strcmp(argv[1], "append") == 0) {
    return Append(argv[2], std::atoi(argv[3]), std::atoi(argv[4]), std::atoi(argv[5]));
  }
  if (argc == 4 && std::strcmp(argv[1], "open") == 0) return TryOpen(argv[2], std::atoi(argv[3]));
  std::cerr << "usage: eventstore_crash_child append <dir> <fd> <trial> <threads> | open <dir> <fd>\n";
  return 64;
}
