// The real server on a loopback port over a real store holding thousands of
// events: event-stream subscribers that stop reading hold a bounded queue each
// and are dropped once they stall for the stall timeout, while a subscriber that
// reads gets the whole log in order and resumes after Last-Event-ID.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api_world.h"
#include "ledger/http/server.h"
#include "live_ledger.h"

namespace ledger::http::testing {
namespace {

constexpr std::size_t kQueueLimit = 32 * kKiB;
constexpr int kHistoryEvents = 12'000;
constexpr int kStalledSubscribers = 50;
constexpr auto kDeadline = std::chrono::seconds(180);

// Appends `count` list sizes to P1's organisation stream, 500 to a command.
void AppendHistory(es::EventStore& store, int count) {
  for (int done = 0; done < count;) {
    es::AppendRequest request;
    request.command_id = "history-" + std::to_string(done);
    request.actor_id = "c1admin";
    es::StreamAppend append;
    append.stream_id = core::OrgStream("P1");
    for (int i = 0; i < 500 && done < count; ++i, ++done) {
      core::EncodedEvent encoded = core::Encode(core::ListSizeRecorded{"P1", Day(1), 8000 + done, kNow});
      append.events.push_back({encoded.type, encoded.schema_version, encoded.payload});
    }
    request.streams.push_back(std::move(append));
    auto appended = store.Append(request);
    REQUIRE_MESSAGE(appended.ok(), appended.status().ToString());
  }
}

// The API world with a long history, served by the real server on
// 127.0.0.1:<ephemeral> with a small stream queue.
struct StreamServer {
  explicit StreamServer(std::chrono::milliseconds stall_timeout) {
    AppendHistory(*world.store, kHistoryEvents);
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.io_threads = 2;
    options.handler_threads = 4;
    options.handle_signals = false;
    options.sse_queue_limit = kQueueLimit;
    options.sse_stall_timeout = stall_timeout;
    server = std::make_unique<Server>(options, *world.context);
    REQUIRE(server->Start().empty());
    thread = std::thread([this] { server->Run(); });
    auditor = world.SignIn("c1auditor");
    REQUIRE(!auditor.empty());
  }
  ~StreamServer() {
    server->Stop();
    thread.join();
    world.deps->StopStreams();  // before the server (whose executors the writers post to) is gone
  }
  uint16_t port() const { return server->port(); }

  ApiWorld world;
  std::unique_ptr<Server> server;
  std::thread thread;
  std::string auditor;
};

std::string StreamRequest(const std::string& token, const std::string& extra) {
  return "GET /api/v1/events/stream" + extra + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n";
}

// A client that asks for the stream from position 1 and never reads; its
// small receive buffer fills at once, so the server's queue for it fills too.
class StalledSubscriber {
 public:
  StalledSubscriber(uint16_t port, const std::string& token) : socket_(io_) {
    socket_.open(tcp::v4());
    socket_.set_option(net::socket_base::receive_buffer_size(4096));
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    net::write(socket_, net::buffer(StreamRequest(token, "?from=1 HTTP/1.1")));
  }

 private:
  net::io_context io_;
  tcp::socket socket_;
};

// The value of one metric line of GET /metrics (-1 when absent).
double MetricValue(const std::string& text, const std::string& name) {
  std::size_t at = 0;
  while ((at = text.find(name + " ", at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') return std::stod(text.substr(at + name.size() + 1));
    at += name.size();
  }
  return -1;
}

struct StreamFigures {
  double subscribers = -1;
  double queued_bytes = -1;
  double dropped = -1;
};

StreamFigures ReadFigures(uint16_t port) {
  Client c(port);
  Reply r = c.Send("GET", "/metrics");
  REQUIRE(r.status == 200);
  return {MetricValue(r.body, "ledger_stream_subscribers"), MetricValue(r.body, "ledger_stream_queued_bytes"),
          MetricValue(r.body, "ledger_stream_dropped_total")};
}

// Polls the figures until `done` holds (or the deadline passes); every figure
// seen on the way must pass `check`. Returns whether `done` held.
bool WaitForFigures(uint16_t port, const std::function<bool(const StreamFigures&)>& done,
                    const std::function<void(const StreamFigures&)>& check) {
  auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (std::chrono::steady_clock::now() < deadline) {
    StreamFigures f = ReadFigures(port);
    check(f);
    if (done(f)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// The positions the auditor may see, read page by page from GET /api/v1/events.
std::vector<uint64_t> VisiblePositions(uint16_t port, const std::string& token, uint64_t head) {
  Client c(port);
  std::vector<uint64_t> out;
  uint64_t from = 1;
  while (from <= head) {
    Reply r = c.Send("GET", "/api/v1/events?from=" + std::to_string(from) + "&limit=1000", "", token);
    REQUIRE(r.status == 200);
    boost::json::value page = boost::json::parse(r.body);
    for (const auto& e : page.at("events").as_array()) out.push_back(e.at("position").to_number<uint64_t>());
    from = page.at("next_from").to_number<uint64_t>();
  }
  return out;
}

// Opens a stream and reads it until the frame with id `last` has arrived;
// returns the ids of every frame, in the order they came.
std::vector<uint64_t> ReadStreamIds(uint16_t port, const std::string& request, uint64_t last) {
  Client c(port);
  c.Write(request);
  std::string text = c.ReadUntil("\nid: " + std::to_string(last) + "\n");
  std::vector<uint64_t> ids;
  for (std::size_t at = text.find("\nid: "); at != std::string::npos; at = text.find("\nid: ", at + 1)) {
    ids.push_back(std::stoull(text.substr(at + 5, text.find('\n', at + 5) - at - 5)));
  }
  return ids;
}

// A reader from position 1 gets every visible event in order; one resuming
// after Last-Event-ID gets exactly the rest.
void CheckReadersGetTheLog(StreamServer& s) {
  uint64_t head = s.world.Head();
  std::vector<uint64_t> expected = VisiblePositions(s.port(), s.auditor, head);
  REQUIRE(expected.size() >= kHistoryEvents);
  CHECK(ReadStreamIds(s.port(), StreamRequest(s.auditor, "?from=1 HTTP/1.1"), expected.back()) == expected);
  std::size_t middle = expected.size() / 2;
  std::vector<uint64_t> rest(expected.begin() + static_cast<std::ptrdiff_t>(middle) + 1, expected.end());
  std::string resume = StreamRequest(s.auditor, " HTTP/1.1\r\nLast-Event-ID: " + std::to_string(expected[middle]));
  CHECK(ReadStreamIds(s.port(), resume, expected.back()) == rest);
}

TEST_CASE("event-stream subscribers that stop reading hold at most the queue limit each, and readers get the log") {
  StreamServer s(std::chrono::minutes(10));
  std::vector<std::unique_ptr<StalledSubscriber>> stalled;
  for (int i = 0; i < kStalledSubscribers; ++i)
    stalled.push_back(std::make_unique<StalledSubscriber>(s.port(), s.auditor));
  const double bound = kStalledSubscribers * static_cast<double>(kQueueLimit);
  auto within_bound = [&](const StreamFigures& f) { CHECK(f.queued_bytes <= bound); };
  // Every subscriber open and (near enough) every queue full: the log is far
  // larger than the queues and the kernel's buffers together.
  bool full = WaitForFigures(
      s.port(),
      [&](const StreamFigures& f) { return f.subscribers == kStalledSubscribers && f.queued_bytes >= bound * 0.9; },
      within_bound);
  REQUIRE_MESSAGE(full, "the stalled subscribers' queues did not fill");

  CheckReadersGetTheLog(s);
  // The readers have left; the stalled subscribers stay until their (long) timeout.
  bool readers_gone = WaitForFigures(
      s.port(), [&](const StreamFigures& f) { return f.subscribers == kStalledSubscribers; }, within_bound);
  CHECK(readers_gone);
  CHECK(ReadFigures(s.port()).dropped == 0);
}

TEST_CASE("event-stream subscribers that stop reading are dropped after the stall timeout") {
  StreamServer s(std::chrono::milliseconds(500));
  std::vector<std::unique_ptr<StalledSubscriber>> stalled;
  for (int i = 0; i < kStalledSubscribers; ++i)
    stalled.push_back(std::make_unique<StalledSubscriber>(s.port(), s.auditor));
  const double bound = kStalledSubscribers * static_cast<double>(kQueueLimit);
  bool dropped = WaitForFigures(
      s.port(),
      [&](const StreamFigures& f) {
        return f.dropped >= kStalledSubscribers && f.subscribers == 0 && f.queued_bytes == 0;
      },
      [&](const StreamFigures& f) { CHECK(f.queued_bytes <= bound); });
  REQUIRE_MESSAGE(dropped, "the stalled subscribers were not dropped");
  CheckReadersGetTheLog(s);
}

}  // namespace
}  // namespace ledger::http::testing
