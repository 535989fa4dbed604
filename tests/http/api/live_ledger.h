// The real `ledger serve` in a child process on an ephemeral loopback port,
// and a small blocking HTTP/1.1 client for it.
#pragma once

#include <doctest/doctest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "api_world.h"
#include "support/build_paths.h"
#include "support/temp_dir.h"

namespace ledger::http::testing {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

class LiveLedger {
 public:
  // Starts `ledger serve --data data_dir --listen 127.0.0.1:0 [extra_args...]` and waits until it listens.
  explicit LiveLedger(std::string data_dir, std::vector<std::string> extra_args = {})
      : data_(std::move(data_dir)), extra_args_(std::move(extra_args)) {
    Start();
  }
  ~LiveLedger() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ != nullptr) std::fclose(out_);
  }

  void Start() {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    std::string binary = std::string(LEDGER_BINARY_DIR) + "/tools/ledger";
    std::string log = data_ + ".stderr";
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (err >= 0) ::dup2(err, 2);
      ::close(fds[0]);
      std::vector<std::string> args = {binary, "serve", "--data", data_, "--listen", "127.0.0.1:0", "--threads", "2"};
      args.insert(args.end(), extra_args_.begin(), extra_args_.end());
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = ::fdopen(fds[0], "r");
    char line[4096];
    port_ = 0;
    while (port_ == 0 && std::fgets(line, sizeof line, out_) != nullptr) {
      std::string text(line);
      output_ += text;
      auto at = text.find("://127.0.0.1:");  // http or https
      if (at != std::string::npos && text.find("ledger serving") != std::string::npos) {
        port_ = static_cast<uint16_t>(std::stoi(text.substr(at + 13)));
      }
    }
    std::string failure = "the server did not start: " + output_;
    REQUIRE_MESSAGE(port_ != 0, failure);
  }

  // SIGTERM, then waits; returns the exit status (or -1 when killed by a signal).
  int Stop() {
    ::kill(pid_, SIGTERM);
    return Wait();
  }
  void Signal(int sig) { ::kill(pid_, sig); }
  int Wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    char line[4096];
    while (std::fgets(line, sizeof line, out_) != nullptr) output_ += line;
    std::fclose(out_);
    out_ = nullptr;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  uint16_t port() const { return port_; }
  const std::string& output() const { return output_; }

 private:
  std::string data_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  uint16_t port_ = 0;
  std::string output_;
};

struct Reply {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string Header(const std::string& name) const {
    for (const auto& [k, v] : headers)
      if (boost::beast::iequals(k, name)) return v;
    return "";
  }
};

// One keep-alive connection.
class Client {
 public:
  explicit Client(uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }

  Reply Send(const std::string& method, const std::string& target, const std::string& body = "",
             const std::string& token = "", std::vector<std::pair<std::string, std::string>> headers = {},
             const std::string& content_type = "application/json") {
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    if (!token.empty()) req.set(bhttp::field::authorization, "Bearer " + token);
    if (!body.empty()) req.set(bhttp::field::content_type, content_type);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    bhttp::write(socket_, req);
    return Read(method == "HEAD");
  }
  // `head`: the answer to a HEAD, whose Content-Length announces no body.
  Reply Read(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    parser.body_limit(64 * 1024 * 1024);
    bhttp::read(socket_, buffer_, parser);
    Reply r;
    r.status = static_cast<int>(parser.get().result_int());
    r.body = parser.get().body();
    for (const auto& f : parser.get()) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    return r;
  }
  // Writes raw bytes (a request in pieces).
  void Write(const std::string& bytes) { net::write(socket_, net::buffer(bytes)); }
  // Reads until `delimiter` has arrived; returns everything read so far.
  std::string ReadUntil(const std::string& delimiter) {
    net::read_until(socket_, net::dynamic_buffer(raw_), delimiter);
    return raw_;
  }

 private:
  net::io_context io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  std::string raw_;
};

// A data directory holding the standard world (tests/support/world.h), with
// its service open around the real today: the live server runs on the wall clock.
struct LiveWorld {
  LiveWorld() {
    auto store = es::EventStore::Open(dir.Sub("events"));
    REQUIRE(store.ok());
    SeedWorld(**store, app::HashPassword(kApiPassword, app::PasswordCost::kMinimum), today);
  }
  std::string data() const { return dir.str(); }
  // The day `offset` days from today; DayAgo(n) is n days back.
  std::string Day(int offset) const { return today.AddDays(offset).ToString(); }
  std::string DayAgo(int n) const { return Day(-n); }
  // A SPEND claim's body for the day `day` days back, costing `cost` pence.
  std::string ClaimBody(int day, int cost) const {
    return R"({"service_id":"SPEND","period":")" + DayAgo(day) + R"(","values":{"cost":)" + std::to_string(cost) + "}}";
  }

  ledger::testing::TempDir dir;
  core::Date today = core::Date::FromTimestamp(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
};

// Signs in over the wire as one of the standard world's people; the bearer token.
inline std::string SignIn(Client& c, const std::string& user) {
  Reply r = c.Send("POST", "/api/v1/session", R"({"username":")" + user + R"(","password":")" + kApiPassword + R"("})");
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return std::string(boost::json::parse(r.body).at("token").as_string());
}

}  // namespace ledger::http::testing
