// The real server on a loopback port: keep-alive, early 413, timeouts,
// Server-Sent Events and graceful shutdown.
#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <future>
#include <mutex>
#include <thread>

#include "http_test_support.h"
#include "ledger/http/server.h"

namespace ledger::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// A gate a handler waits at until the test opens it.
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Runs a Server on 127.0.0.1:<ephemeral> in a background thread.
struct LiveServer {
  explicit LiveServer(ServerOptions options = {}) {
    context.log = [](const RequestLogLine&) {};
    context.AddRoutes(BuiltinRoutes());
    context.AddRoutes({
        {"POST", "/echo", Access::Public(), [](Call& c) { return Response::Text(200, c.request().body); }},
        {"PUT", "/upload", Access::Public(),
         [](Call& c) { return Response::Text(200, std::to_string(c.request().body.size())); }, 4 * kMiB},
        {"GET", "/slow", Access::Public(),
         [this](Call&) {
           entered.set_value();
           release.Wait();
           return Response::Text(200, "finished");
         }},
        {"GET", "/events", Access::Public(),
         [this](Call& c) {
           std::string last(c.request().Header("last-event-id"));
           return Response::Stream([this, last](std::shared_ptr<SseWriter> writer) {
             int from = last.empty() ? 1 : std::stoi(last) + 1;
             for (int i = from; i < from + 3; ++i) {
               writer->Send(std::to_string(i), "claim", "{\"n\":" + std::to_string(i) + "}\nsecond line");
             }
             writer->OnClose([this] { stream_closed.set_value(); });
             {
               std::lock_guard lock(mu);
               writers.push_back(writer);
             }
             stream_opened.set_value();
           });
         }},
    });
    options.listen = "127.0.0.1:0";
    options.io_threads = 2;
    options.handler_threads = 4;
    server = std::make_unique<Server>(options, context);
    std::string error = server->Start();
    REQUIRE(error.empty());
    port = server->port();
    thread = std::thread([this] {
      server->Run();
      stopped = true;
    });
  }
  ~LiveServer() {
    release.Open();
    server->Stop();
    if (thread.joinable()) thread.join();
  }

  Context context{testing::TestContext::Options()};
  std::unique_ptr<Server> server;
  uint16_t port = 0;
  std::thread thread;
  std::atomic<bool> stopped{false};
  std::promise<void> entered;
  Gate release;
  std::promise<void> stream_opened;
  std::promise<void> stream_closed;
  std::mutex mu;
  std::vector<std::shared_ptr<SseWriter>> writers;
};

// A blocking client connection.
struct Client {
  explicit Client(uint16_t port) : stream(ioc) {
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }
  bhttp::response<bhttp::string_body> Send(bhttp::verb verb, const std::string& target, std::string body = "") {
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, "localhost");
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(stream, req);
    return Read();
  }
  bhttp::response<bhttp::string_body> Read() {
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    return res;
  }
  void WriteRaw(const std::string& bytes) { net::write(stream, net::buffer(bytes)); }
  // Reads until the server closes; returns what arrived.
  std::string ReadToEof() {
    std::string out(static_cast<const char*>(buffer.data().data()), buffer.size());
    buffer.consume(buffer.size());
    beast::error_code ec;
    char chunk[4096];
    while (true) {
      std::size_t n = stream.socket().read_some(net::buffer(chunk), ec);
      out.append(chunk, n);
      if (ec) break;
    }
    return out;
  }
  // Reads until text appears (or the connection ends).
  std::string ReadUntil(const std::string& text) {
    std::string out;
    char chunk[4096];
    beast::error_code ec;
    while (out.find(text) == std::string::npos) {
      std::size_t n = stream.socket().read_some(net::buffer(chunk), ec);
      out.append(chunk, n);
      if (ec) break;
    }
    return out;
  }

  net::io_context ioc;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

TEST_CASE("one connection serves several requests with keep-alive") {
  LiveServer s;
  Client c(s.port);
  for (int i = 0; i < 3; ++i) {
    auto res = c.Send(bhttp::verb::post, "/echo", "hello " + std::to_string(i));
    CHECK(res.result_int() == 200);
    CHECK(res.body() == "hello " + std::to_string(i));
    CHECK(res.keep_alive());
    CHECK(res["X-Content-Type-Options"] == "nosniff");
  }
  auto health = c.Send(bhttp::verb::get, "/healthz");
  CHECK(health.result_int() == 200);
  CHECK(health.body() == R"({"status":"ok"})");
}

TEST_CASE("a body declared larger than the route's limit is refused with 413 before it is read") {
  LiveServer s;
  Client c(s.port);
  // Only the header is sent: the answer must come without the 2 MiB body.
  c.WriteRaw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 2097152\r\n\r\n");
  auto res = c.Read();
  CHECK(res.result_int() == 413);
  CHECK(res[bhttp::field::content_type] == "application/problem+json");
  CHECK(res.body().find("/problems/payload-too-large") != std::string::npos);
  CHECK_FALSE(res.keep_alive());
  CHECK(res["Content-Security-Policy"] == "default-src 'self'; frame-ancestors 'none'");
}

TEST_CASE("a route with a larger limit accepts a body the default would refuse") {
  LiveServer s;
  Client c(s.port);
  auto res = c.Send(bhttp::verb::put, "/upload", std::string(2 * kMiB, 'x'));
  CHECK(res.result_int() == 200);
  CHECK(res.body() == std::to_string(2 * kMiB));
  // A chunked body without a declared length is cut off at the limit too.
  c.WriteRaw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  std::string chunk(64 * kKiB, 'y');
  beast::error_code ec;
  for (int i = 0; i < 20 && !ec; ++i) {
    std::string framed = "10000\r\n" + chunk + "\r\n";
    net::write(c.stream, net::buffer(framed), ec);
  }
  std::string rest = c.ReadToEof();
  CHECK(rest.find("HTTP/1.1 413") == 0);
}

TEST_CASE("an idle keep-alive connection is closed after the idle timeout") {
  ServerOptions o;
  o.idle_timeout = std::chrono::milliseconds(200);
  LiveServer s(o);
  Client c(s.port);
  CHECK(c.Send(bhttp::verb::get, "/healthz").result_int() == 200);
  // Nothing more is sent; the server hangs up rather than waiting forever.
  CHECK(c.ReadToEof().empty());
}

TEST_CASE("a request whose headers never finish is cut off") {
  ServerOptions o;
  o.idle_timeout = std::chrono::milliseconds(200);
  LiveServer s(o);
  Client c(s.port);
  c.WriteRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  CHECK(c.ReadToEof().find("200") == std::string::npos);
}

TEST_CASE("an event stream sends id and data frames and resumes after Last-Event-ID") {
  LiveServer s;
  Client c(s.port);
  c.WriteRaw("GET /events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 41\r\n\r\n");
  std::string got = c.ReadUntil("id: 44\n");
  CHECK(got.find("HTTP/1.1 200") == 0);
  CHECK(got.find("Content-Type: text/event-stream") != std::string::npos);
  CHECK(got.find("id: 42\nevent: claim\ndata: {\"n\":42}\ndata: second line\n\n") != std::string::npos);
  CHECK(got.find("id: 41\n") == std::string::npos);
  s.stream_opened.get_future().wait();
  std::shared_ptr<SseWriter> writer;
  {
    std::lock_guard lock(s.mu);
    writer = s.writers.front();
  }
  CHECK(writer->Send("45", "", "pushed later"));
  CHECK(c.ReadUntil("pushed later").find("id: 45\ndata: pushed later\n\n") != std::string::npos);
}

TEST_CASE("an event stream's writer learns when the client leaves") {
  LiveServer s;
  auto closed = s.stream_closed.get_future();
  {
    Client c(s.port);
    c.WriteRaw("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
    c.ReadUntil("id: 3\n");
    s.stream_opened.get_future().wait();
  }  // the client disconnects
  closed.wait();
  std::lock_guard lock(s.mu);
  CHECK_FALSE(s.writers.front()->open());
  CHECK_FALSE(s.writers.front()->Send("9", "", "too late"));
}

TEST_CASE("graceful shutdown finishes the request in flight, then Run returns") {
  LiveServer s;
  Client busy(s.port);
  busy.WriteRaw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  s.entered.get_future().wait();  // the handler is running
  Client idle(s.port);
  CHECK(idle.Send(bhttp::verb::get, "/healthz").result_int() == 200);
  s.server->Stop();
  CHECK(idle.ReadToEof().empty());  // an idle keep-alive connection is closed at once
  s.release.Open();
  auto res = busy.Read();
  CHECK(res.result_int() == 200);
  CHECK(res.body() == "finished");
  CHECK_FALSE(res.keep_alive());
  s.thread.join();
  CHECK(s.stopped);
  // Nothing listens any more.
  net::io_context ioc;
  tcp::socket probe(ioc);
  beast::error_code ec;
  probe.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), s.port), ec);
  CHECK(ec);
}

TEST_CASE("shutdown ends open event streams") {
  LiveServer s;
  Client c(s.port);
  c.WriteRaw("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
  c.ReadUntil("id: 3\n");
  s.stream_opened.get_future().wait();
  s.server->Stop();
  c.ReadToEof();  // returns because the server closed the stream
  s.thread.join();
  CHECK(s.stopped);
}

TEST_CASE("SIGTERM starts a graceful shutdown") {
  ServerOptions o;
  o.handle_signals = true;
  LiveServer s(o);
  Client c(s.port);
  CHECK(c.Send(bhttp::verb::get, "/healthz").result_int() == 200);
  std::raise(SIGTERM);
  s.thread.join();
  CHECK(s.stopped);
}

TEST_CASE("listen addresses are host:port") {
  std::string host;
  uint16_t port = 0;
  CHECK(ParseListenAddress("127.0.0.1:8080", &host, &port));
  CHECK(host == "127.0.0.1");
  CHECK(port == 8080);
  CHECK(ParseListenAddress("[::1]:0", &host, &port));
  CHECK(host == "::1");
  CHECK(ParseListenAddress(":9000", &host, &port));
  CHECK(host == "0.0.0.0");
  CHECK_FALSE(ParseListenAddress("8080", &host, &port));
  CHECK_FALSE(ParseListenAddress("host:99999", &host, &port));
}

}  // namespace
}  // namespace ledger::http
