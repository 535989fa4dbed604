// Server: HTTP/1.1 over TCP with keep-alive, serving a Context's routes.
//
// Shape: one acceptor; one session per connection on its own strand; a pool of
// I/O threads sized to the cores; handlers run on separate pools (reads, and
// changes, which wait for their fsync) so a waiting handler does not stall
// other connections. Headers are read
// first, the body limit is taken from the matched route, and a body declared
// larger is refused with 413 before it is read; an HTTP/1.1 request without
// exactly one Host header is refused with 400. Deadlines: an idle connection
// (new, or keep-alive between requests) waits idle_timeout for the first byte
// of a request; from that byte, the whole request (header and body) must
// arrive within read_timeout; a response must be written within write_timeout.
// Connections are capped at max_connections: at the cap the oldest idle
// connection is closed to make room (a new one is refused only when none is
// idle), and an accept that fails for lack of file descriptors is retried
// after accept_backoff, logged once, never in a busy loop. SIGINT/SIGTERM (or Stop) stop
// accepting, close idle connections, let in-flight requests finish and make
// Run return; the caller then closes the store.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "ledger/http/router.h"

namespace ledger::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  int io_threads = 0;                     // 0: one per core
  int handler_threads = 16;               // reads (GET, HEAD, OPTIONS); they may block on the store
  // Changes (every other method) run on a pool of their own: a command waits
  // for its fsync and for the read models on its thread, so this is how many
  // commands can be in flight, and share one fsync, at once; and reads never
  // queue behind commands that wait.
  int command_threads = 64;
  std::size_t header_limit = 16 * kKiB;
  std::chrono::milliseconds read_timeout{30'000};   // a whole request, header and body, from its first byte
  std::chrono::milliseconds write_timeout{30'000};  // a whole response
  std::chrono::milliseconds idle_timeout{60'000};   // wait for a request's first byte (new or keep-alive)
  std::size_t max_connections = 0;                  // open connections; 0: DefaultMaxConnections()
  std::chrono::milliseconds accept_backoff{100};    // pause after accept failed for lack of descriptors
  std::chrono::milliseconds sse_heartbeat{15'000};  // comment frames keep streams alive
  // Event streams: at most sse_queue_limit bytes of frames (plus one frame) are
  // queued or being written per stream; SseWriter::Send waits for room, so the
  // producer reads no further ahead. A stream whose client has not taken the
  // chunk being written within sse_stall_timeout is dropped.
  std::size_t sse_queue_limit = 256 * kKiB;
  std::chrono::milliseconds sse_stall_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{10'000};  // then remaining connections are cut
  bool handle_signals = true;                        // SIGINT/SIGTERM trigger Stop
  // TLS: a certificate chain and its private key, PEM files; both empty for
  // plain HTTP. With them every connection must speak TLS 1.2 or later.
  std::string tls_certificate;
  std::string tls_key;
  // Addresses of reverse proxies in front of the server (ApplyTrustedProxy):
  // their X-Forwarded-Proto and X-Forwarded-For are believed; anyone else's are ignored.
  std::vector<std::string> trusted_proxies;
};

class Server {
 public:
  // REQUIRES context outlives the server and its routes are complete.
  Server(const ServerOptions& options, Context& context);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns an error message, or "" on success.
  std::string Start();
  // The bound port (after Start), useful when listen asked for port 0.
  uint16_t port() const;
  // Serves until Stop or a signal, then returns once in-flight requests have
  // finished (or the grace period ran out). REQUIRES Start succeeded.
  void Run();
  // Begins a graceful shutdown. Thread-safe; callable from any thread, repeatedly.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Descriptors kept free of connections for the stores (both RocksDB
// databases keep their table files open), evidence files and logs.
inline constexpr std::size_t kReservedDescriptors = 256;

// The default connection cap: the soft RLIMIT_NOFILE less kReservedDescriptors
// (half the limit when it is small), at least 1.
std::size_t DefaultMaxConnections();

// Parses "host:port" ("127.0.0.1:8080", "[::1]:8080", ":8080"). false when malformed.
bool ParseListenAddress(const std::string& text, std::string* host, uint16_t* port);

}  // namespace ledger::http
