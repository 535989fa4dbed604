// The server: Beast's advanced-server shape (listener, one session per
// connection on a strand, bind_front_handler, tcp_stream timeouts), with
// handlers run on a separate pool and a Server-Sent Events mode.
#include "ledger/http/server.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "ledger/http/metrics.h"

namespace ledger::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

bool ParseListenAddress(const std::string& text, std::string* host, uint16_t* port) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  std::string h = text.substr(0, colon);
  std::string p = text.substr(colon + 1);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h.empty()) h = "0.0.0.0";
  if (h == "localhost") h = "127.0.0.1";
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (p.empty() || ec != std::errc() || ptr != p.data() + p.size() || value > 65535) return false;
  *host = h;
  *port = static_cast<uint16_t>(value);
  return true;
}

std::size_t DefaultMaxConnections() {
  constexpr rlim_t kCeiling = rlim_t{1} << 20;  // an unlimited soft limit still gets a finite cap
  rlimit limit{};
  rlim_t soft = 1024;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) soft = limit.rlim_cur == RLIM_INFINITY ? kCeiling : limit.rlim_cur;
  soft = std::min(soft, kCeiling);
  if (soft > 2 * kReservedDescriptors) return static_cast<std::size_t>(soft) - kReservedDescriptors;
  return std::max<std::size_t>(static_cast<std::size_t>(soft) / 2, 1);
}

namespace {

class Connection;

// Connection figures for /metrics; shared with the registry's callbacks so
// they stay valid however long the Context outlives the server.
struct ConnectionStats {
  std::atomic<uint64_t> open{0};
  std::atomic<uint64_t> shed{0};           // idle connections closed to make room
  std::atomic<uint64_t> refused{0};        // new connections closed at once: at the cap, none idle
  std::atomic<uint64_t> accept_errors{0};  // accepts that failed (mostly EMFILE/ENFILE)
};

// What the open event streams hold, for /metrics. Shared with the gauges,
// which may be read after the server is gone.
struct StreamStats {
  std::atomic<int64_t> subscribers{0};   // sessions streaming now
  std::atomic<int64_t> queued_bytes{0};  // frames queued or being written, over all streams
  std::atomic<uint64_t> dropped{0};      // streams cut because their client stopped reading
};

// The server-wide state sessions need.
struct Shared {
  Shared(ServerOptions o, Context& c, net::thread_pool& h, net::thread_pool& commands)
      : options(std::move(o)),
        context(c),
        handlers(h),
        commands(commands),
        max_connections(options.max_connections > 0 ? options.max_connections : DefaultMaxConnections()) {}
  ServerOptions options;
  Context& context;
  net::thread_pool& handlers;  // reads
  net::thread_pool& commands;  // changes: they wait for their fsync on the thread
  const std::size_t max_connections;
  std::shared_ptr<ConnectionStats> stats = std::make_shared<ConnectionStats>();
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> sessions;  // guarded by mu
  // Sessions waiting for a request's first byte, oldest first (keyed by a
  // serial taken when they became idle); guarded by mu.
  std::map<uint64_t, std::weak_ptr<Connection>> idle;
  uint64_t idle_serial = 0;  // guarded by mu
  std::size_t shedding = 0;  // sessions told to close but not yet gone; guarded by mu
  std::shared_ptr<StreamStats> streams = std::make_shared<StreamStats>();
};

// RFC 9112 section 3.2: a server answers 400 to an HTTP/1.1 request without a
// Host header, and to any request with more than one.
template <class Message>
std::optional<Problem> HostProblem(const Message& header) {
  auto range = header.equal_range(bhttp::field::host);
  auto count = std::distance(range.first, range.second);
  if (count > 1) return problems::BadRequest("The request has more than one Host header.");
  if (count == 0 && header.version() >= 11) return problems::BadRequest("An HTTP/1.1 request needs a Host header.");
  return std::nullopt;
}

// The writer end of an SSE stream; frames are drained by the session. At most
// `limit` bytes (or one larger frame) are queued or being written: Send waits
// for room, which the session makes as the client takes each chunk.
class StreamWriter : public SseWriter {
 public:
  StreamWriter(std::size_t limit, std::shared_ptr<StreamStats> stats, std::function<void()> wake,
               std::function<void()> end)
      : limit_(limit), stats_(std::move(stats)), wake_(std::move(wake)), end_(std::move(end)) {}
  ~StreamWriter() override { Discard(); }

  bool Send(std::string_view id, std::string_view event, std::string_view data) override {
    return Queue(FormatSseFrame(id, event, data));
  }
  bool Comment(std::string_view text) override {
    std::string line = ": ";
    for (char c : text) {
      if (c != '\n' && c != '\r') line.push_back(c);
    }
    line += "\n\n";
    {
      std::lock_guard lock(mu_);
      if (closed_) return false;
      if (queued_bytes_ > 0) return true;  // frames on their way say as much
      Add(std::move(line));
    }
    wake_();
    return true;
  }
  void Close() override {
    if (MarkClosed()) end_();
  }
  bool open() const override {
    std::lock_guard lock(mu_);
    return !closed_;
  }
  void OnClose(std::function<void()> callback) override {
    {
      std::lock_guard lock(mu_);
      if (!closed_) {
        on_close_.push_back(std::move(callback));
        return;
      }
    }
    callback();
  }
  // Takes everything queued (session strand). Its bytes stay counted against
  // the limit until Written reports them sent.
  std::string Drain() {
    std::lock_guard lock(mu_);
    std::string out;
    for (auto& f : queue_) out += f;
    queue_.clear();
    return out;
  }
  // `bytes` taken by Drain reached the socket: room for waiting Sends.
  void Written(std::size_t bytes) {
    std::lock_guard lock(mu_);
    Release(bytes);
  }
  // Forgets what is queued or unwritten (the connection is gone).
  void Discard() {
    std::lock_guard lock(mu_);
    queue_.clear();
    Release(queued_bytes_);
  }
  // Marks closed, wakes waiting Sends and runs callbacks; true the first time.
  bool MarkClosed() {
    std::vector<std::function<void()>> callbacks;
    {
      std::lock_guard lock(mu_);
      if (closed_) return false;
      closed_ = true;
      callbacks.swap(on_close_);
    }
    room_.notify_all();
    for (auto& cb : callbacks) cb();
    return true;
  }

 private:
  bool Queue(std::string frame) {
    bool was_empty = false;
    {
      std::unique_lock lock(mu_);
      room_.wait(lock, [&] { return closed_ || queued_bytes_ == 0 || queued_bytes_ + frame.size() <= limit_; });
      if (closed_) return false;
      was_empty = queue_.empty();
      Add(std::move(frame));
    }
    // A session already woken for the frames before this one drains it too.
    if (was_empty) wake_();
    return true;
  }
  // REQUIRES mu_ held.
  void Add(std::string frame) {
    queued_bytes_ += frame.size();
    stats_->queued_bytes += static_cast<int64_t>(frame.size());
    queue_.push_back(std::move(frame));
  }
  // REQUIRES mu_ held.
  void Release(std::size_t bytes) {
    bytes = std::min(bytes, queued_bytes_);
    queued_bytes_ -= bytes;
    stats_->queued_bytes -= static_cast<int64_t>(bytes);
    room_.notify_all();
  }

  const std::size_t limit_;
  std::shared_ptr<StreamStats> stats_;
  std::function<void()> wake_;
  std::function<void()> end_;
  mutable std::mutex mu_;
  std::condition_variable room_;
  bool closed_ = false;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;  // queue_ and the chunk the session is writing
  std::vector<std::function<void()>> on_close_;
};

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One connection as the server-wide lists hold it, whatever its stream
// (plain TCP or TLS): the listener sheds idle ones and shuts all down.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  virtual ~Connection() = default;
  virtual void PostShutdown() = 0;

  // Takes the oldest idle session out of the idle list and tells it to close;
  // false when none is idle. REQUIRES shared.mu is held.
  static bool ShedOldestIdleLocked(Shared& shared) {
    while (!shared.idle.empty()) {
      auto oldest = shared.idle.begin();
      std::shared_ptr<Connection> victim = oldest->second.lock();
      shared.idle.erase(oldest);
      if (!victim) continue;
      victim->idle_key_ = 0;
      victim->shed_ = true;
      ++shared.shedding;
      ++shared.stats->shed;
      victim->PostCloseIfIdle();
      return true;
    }
    return false;
  }

 protected:
  virtual void PostCloseIfIdle() = 0;

  uint64_t idle_key_ = 0;  // this session's key in shared_.idle, 0 when not idle; guarded by Shared::mu
  bool shed_ = false;      // told to close to make room; guarded by Shared::mu
};

// One connection over Stream: beast::tcp_stream, or TlsStream when the server
// has a certificate (the TLS handshake comes first, within read_timeout).
template <class Stream>
class Session final : public Connection {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  template <class... StreamArgs>
  Session(tcp::socket&& socket, Shared& shared, StreamArgs&... stream_args)
      : stream_(std::move(socket), stream_args...), shared_(shared), heartbeat_(stream_.get_executor()) {
    beast::error_code ec;
    auto endpoint = Lowest().socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }

  ~Session() override {
    ReleaseStream();  // when the server stopped before the stream closed
    std::lock_guard lock(shared_.mu);
    shared_.sessions.erase(this);
    if (idle_key_ != 0) shared_.idle.erase(idle_key_);
    if (shed_) --shared_.shedding;
    --shared_.stats->open;
  }

  // A new connection counts as idle at once, so a burst of accepts can shed
  // it before its strand first runs. REQUIRES shared_.mu is not held.
  void Start() {
    {
      std::lock_guard lock(shared_.mu);
      shared_.sessions[this] = weak_from_this();
    }
    ++shared_.stats->open;
    MarkIdle();
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::Begin, Self()));
  }

  void PostShutdown() override {
    net::post(stream_.get_executor(), beast::bind_front_handler(&Session::Shutdown, Self()));
  }

 private:
  std::shared_ptr<Session> Self() { return std::static_pointer_cast<Session>(shared_from_this()); }
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void PostCloseIfIdle() override {
    net::post(stream_.get_executor(), beast::bind_front_handler(&Session::CloseIfIdle, Self()));
  }

  // A TLS connection starts with its handshake, which must finish within
  // read_timeout; a plain one with its first request.
  void Begin() {
    if constexpr (kTls) {
      Lowest().expires_after(shared_.options.read_timeout);
      stream_.async_handshake(net::ssl::stream_base::server, beast::bind_front_handler(&Session::OnHandshake, Self()));
    } else {
      ReadHeader();
    }
  }

  void OnHandshake(beast::error_code ec) {
    if (ec) return Close();  // not TLS, an old version, or too slow
    ReadHeader();
  }

  // Graceful stop (on the strand): idle connections close now, a
  // request being handled or written finishes first, streams end.
  void Shutdown() {
    switch (state_) {
      case State::kIdle:
      case State::kReadingHeader: Lowest().cancel(); break;
      case State::kStreaming:
        if (writer_) writer_->Close();
        break;
      default: break;  // keep-alive is off once stopping; the connection closes after the write
    }
  }

  enum class State { kIdle, kReadingHeader, kReadingBody, kHandling, kWriting, kStreaming, kClosed };

  // Shedding (on the strand): a session that received a request meanwhile keeps it.
  void CloseIfIdle() {
    if (state_ == State::kIdle) Close();
  }

  // The idle list (for shedding) holds the session exactly while it waits for a request.
  void MarkIdle() {
    std::lock_guard lock(shared_.mu);
    if (idle_key_ == 0 && !shed_) {
      idle_key_ = ++shared_.idle_serial;
      shared_.idle.emplace(idle_key_, weak_from_this());
    }
  }
  void MarkBusy() {
    std::lock_guard lock(shared_.mu);
    if (idle_key_ != 0) shared_.idle.erase(idle_key_);
    idle_key_ = 0;
  }

  // Waits up to idle_timeout for the first byte of the next request (unless
  // a pipelined request is already buffered), then reads it.
  void ReadHeader() {
    if (shared_.stopping) return Close();
    if (buffer_.size() > 0) return ReadRequest();
    state_ = State::kIdle;
    MarkIdle();
    Lowest().expires_after(shared_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstRead), beast::bind_front_handler(&Session::OnFirstBytes, Self()));
  }

  void OnFirstBytes(beast::error_code ec, std::size_t n) {
    MarkBusy();
    if (ec || state_ != State::kIdle) return Close();  // gone, idle too long, shed or shut down
    buffer_.commit(n);
    ReadRequest();
  }

  // From its first byte, the whole request (header and body) has read_timeout.
  void ReadRequest() {
    state_ = State::kReadingHeader;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_.options.header_limit));
    // Unlimited while reading the header (the parser would otherwise refuse a
    // Content-Length over its default); OnHeader sets the route's limit.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    body_limit_ = shared_.context.options().default_body_limit;
    quick_ = false;
    Lowest().expires_after(shared_.options.read_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnHeader, Self()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    const auto& header = parser_->get();
    if (auto bad = HostProblem(header)) return WriteServerProblem(*bad);
    std::string_view target(header.target().data(), header.target().size());
    if (!IsValidTarget(target)) {
      return WriteServerProblem(problems::BadRequest(
          "The address is not a valid path and query (RFC 3986): escape characters such as spaces, '|', '{', '}' "
          "and '^' as %XX, and write '%' itself as %25."));
    }
    std::string_view path = target.substr(0, target.find('?'));
    std::string_view method(header.method_string().data(), header.method_string().size());
    const Route* route = shared_.context.Match(method, path);
    body_limit_ = shared_.context.BodyLimit(route);
    quick_ = route != nullptr && route->quick;
    if (auto length = parser_->content_length(); length && *length > body_limit_) {
      return WriteServerProblem(problems::PayloadTooLarge(body_limit_));
    }
    parser_->body_limit(body_limit_);
    state_ = State::kReadingBody;  // still within the deadline set at the request's first byte
    auto expect = header[bhttp::field::expect];
    if (HeaderNameEquals(std::string_view(expect.data(), expect.size()), "100-continue") && !parser_->is_done()) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue), beast::bind_front_handler(&Session::OnContinue, Self()));
      return;
    }
    ReadBody();
  }

  void OnContinue(beast::error_code ec, std::size_t) {
    if (ec) return Close();
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnBody, Self()));
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return WriteServerProblem(problems::PayloadTooLarge(body_limit_));
    if (ec == bhttp::error::header_limit) {
      Problem p = problems::BadRequest("The request headers are larger than the server accepts.");
      p.status = 431;
      return WriteServerProblem(p);
    }
    bool client_gone = ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
                       ec == beast::error::timeout || ec == net::error::connection_reset || ec == net::error::eof;
    if (client_gone || (state_ == State::kReadingHeader && !parser_->got_some())) return Close();
    WriteServerProblem(problems::BadRequest("The request is not valid HTTP/1.1."));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    auto message = parser_->release();
    keep_alive_ = message.keep_alive();
    head_ = message.method() == bhttp::verb::head;
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote_address = remote_;
    request.tls = kTls;
    ApplyTrustedProxy(request, shared_.options.trusted_proxies);
    state_ = State::kHandling;
    Lowest().expires_never();
    if (quick_) return Write(HandleRequest(request, shared_.context));  // on this I/O thread: see Route::quick
    const bool read = request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS";
    net::post(read ? shared_.handlers : shared_.commands, [self = Self(), request = std::move(request)]() mutable {
      Response response = HandleRequest(request, self->shared_.context);
      net::post(self->stream_.get_executor(),
                [self, response = std::move(response)]() mutable { self->Write(std::move(response)); });
    });
  }

  // An answer the server makes itself before any route ran; the body (if any)
  // is unread, so the connection closes afterwards.
  void WriteServerProblem(const Problem& problem) {
    Response response = ToResponse(problem);
    AddSecurityHeaders(response, kTls);
    RequestLogLine line;
    line.at = shared_.context.now();
    line.request_id = RandomHex(8);
    line.client = remote_;
    line.method = parser_ && parser_->is_header_done() ? std::string(parser_->get().method_string()) : "-";
    line.route = "-";
    line.status = response.status;
    response.Set("X-Request-Id", line.request_id);
    shared_.context.metrics.ObserveRequest(line.method, line.route, line.status, 0);
    if (shared_.context.log) shared_.context.log(line);
    keep_alive_ = false;
    head_ = false;  // written in full whatever the method: its body is what explains the refusal
    Write(std::move(response));
  }

  void Write(Response response) {
    if (response.stream) return StartStream(std::move(response));
    state_ = State::kWriting;
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(response.status),
                                                                         11);
    for (auto& [name, value] : response.headers) message->insert(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive_ && !shared_.stopping);
    // A HEAD answer keeps the Content-Length of the GET answer HandleRequest set.
    if (!head_) message->prepare_payload();
    bool close = !message->keep_alive();
    Lowest().expires_after(shared_.options.write_timeout);
    bhttp::async_write(stream_, *message, [self = Self(), message, close](beast::error_code ec, std::size_t) {
      self->OnWrite(close, ec);
    });
  }

  void OnWrite(bool close, beast::error_code ec) {
    if (ec || close || shared_.stopping) return Close();
    ReadHeader();
  }

  // ---- Server-Sent Events ----

  void StartStream(Response response) {
    state_ = State::kStreaming;
    auto header = std::make_shared<bhttp::response<bhttp::empty_body>>(static_cast<bhttp::status>(response.status), 11);
    for (auto& [name, value] : response.headers) header->insert(name, value);
    header->set(bhttp::field::cache_control, "no-store");
    header->keep_alive(false);  // the body runs until the connection closes
    std::weak_ptr<Session> weak = Self();
    auto executor = stream_.get_executor();
    writer_ = std::make_shared<StreamWriter>(
        shared_.options.sse_queue_limit, shared_.streams,
        [weak, executor] {
          net::post(executor, [weak] {
            if (auto self = weak.lock()) self->FlushStream();
          });
        },
        [weak, executor] {
          net::post(executor, [weak] {
            if (auto self = weak.lock()) self->EndStream();
          });
        });
    ++shared_.streams->subscribers;
    Lowest().expires_after(shared_.options.write_timeout);
    bhttp::async_write(stream_, *header,
                       [self = Self(), header, open = std::move(response.stream)](beast::error_code ec,
                                                                                  std::size_t) mutable {
                         if (ec) return self->EndStream();
                         self->Lowest().expires_never();
                         self->WatchClient();
                         self->ScheduleHeartbeat();
                         if (self->shared_.stopping) return self->writer_->Close();
                         net::post(self->shared_.handlers,
                                   [writer = self->writer_, open = std::move(open)] { open(writer); });
                       });
  }

  // The client sends nothing on an event stream; readability means it left.
  void WatchClient() {
    Lowest().socket().async_wait(tcp::socket::wait_read,
                                 net::bind_executor(stream_.get_executor(),
                                                    [self = Self()](beast::error_code) { self->EndStream(); }));
  }

  void ScheduleHeartbeat() {
    heartbeat_.expires_after(shared_.options.sse_heartbeat);
    heartbeat_.async_wait([self = Self()](beast::error_code ec) {
      if (ec || self->state_ != State::kStreaming) return;
      self->writer_->Comment("keep-alive");
      self->ScheduleHeartbeat();
    });
  }

  // Writes what is queued as one chunk; the client has sse_stall_timeout to
  // take it. Once the writer is closed and nothing is left, closes.
  void FlushStream() {
    if (state_ != State::kStreaming || writing_stream_) return;
    pending_ = writer_->Drain();
    if (pending_.empty()) {
      if (!writer_->open()) CloseStream();
      return;
    }
    writing_stream_ = true;
    Lowest().expires_after(shared_.options.sse_stall_timeout);
    net::async_write(stream_, net::buffer(pending_),
                     [self = Self()](beast::error_code ec, std::size_t) { self->OnStreamWrite(ec); });
  }

  void OnStreamWrite(beast::error_code ec) {
    writing_stream_ = false;
    Lowest().expires_never();
    writer_->Written(pending_.size());
    pending_ = std::string();  // an idle stream keeps no chunk
    if (!ec) return FlushStream();
    if (ec == beast::error::timeout) ++shared_.streams->dropped;
    CloseStream();
  }

  // Ends the stream once queued frames are out (FlushStream closes it).
  void EndStream() {
    if (state_ != State::kStreaming) return;
    writer_->MarkClosed();
    FlushStream();
  }

  void CloseStream() {
    heartbeat_.cancel();
    Close();
  }

  // Returns what the stream holds and stops counting it (once).
  void ReleaseStream() {
    if (!writer_ || stream_released_) return;
    stream_released_ = true;
    writer_->MarkClosed();
    writer_->Discard();
    --shared_.streams->subscribers;
  }

  void Close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    ReleaseStream();
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    Lowest().socket().close(ec);
    heartbeat_.cancel();
  }

  static constexpr std::size_t kFirstRead = 4 * kKiB;

  Stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  State state_ = State::kIdle;
  std::size_t body_limit_ = 0;
  bool quick_ = false;  // the request's route is answered on this I/O thread (Route::quick)
  bool keep_alive_ = true;
  bool head_ = false;  // the request being answered is a HEAD
  std::shared_ptr<StreamWriter> writer_;
  net::steady_timer heartbeat_;
  std::string pending_;
  bool writing_stream_ = false;
  bool stream_released_ = false;
};

// The event streams' figures in /metrics.
void AddStreamMetrics(Metrics& metrics, const std::shared_ptr<StreamStats>& stats) {
  metrics.AddGauge("ledger_stream_subscribers", "Open Server-Sent Events streams (API and portal)",
                   [stats] { return static_cast<double>(stats->subscribers.load()); });
  metrics.AddGauge("ledger_stream_queued_bytes", "Bytes of event-stream frames queued or being written",
                   [stats] { return static_cast<double>(stats->queued_bytes.load()); });
  metrics.AddCounter("ledger_stream_dropped_total", "Event streams cut because their client stopped reading",
                     [stats] { return static_cast<double>(stats->dropped.load()); });
}

}  // namespace

class Server::Impl {
 public:
  Impl(const ServerOptions& options, Context& context)
      : io_threads_(options.io_threads > 0 ? options.io_threads
                                           : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
        handlers_(static_cast<std::size_t>(std::max(1, options.handler_threads))),
        commands_(static_cast<std::size_t>(std::max(1, options.command_threads))),
        shared_(options, context, handlers_, commands_),
        ioc_(io_threads_),
        acceptor_(net::make_strand(ioc_)),
        accept_timer_(acceptor_.get_executor()),
        signals_(ioc_),
        drain_timer_(ioc_) {
    RegisterMetrics(context.metrics, shared_.stats);
    AddStreamMetrics(context.metrics, shared_.streams);
  }

  ~Impl() {
    Stop();
    handlers_.join();
    commands_.join();
  }

  std::string Start() {
    if (std::string error = LoadCertificate(); !error.empty()) return error;
    std::string host;
    uint16_t port = 0;
    if (!ParseListenAddress(shared_.options.listen, &host, &port)) {
      return "listen address must be host:port, not '" + shared_.options.listen + "'";
    }
    beast::error_code ec;
    auto address = net::ip::make_address(host, ec);
    if (ec) return "cannot listen on '" + host + "': not an IP address";
    tcp::endpoint endpoint(address, port);
    if (acceptor_.open(endpoint.protocol(), ec); ec) return "open: " + ec.message();
    if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec) return "reuse_address: " + ec.message();
    if (acceptor_.bind(endpoint, ec); ec) return "bind " + shared_.options.listen + ": " + ec.message();
    if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec) return "listen: " + ec.message();
    if (shared_.options.handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](beast::error_code e, int) {
        if (!e) Stop();
      });
    }
    Accept();
    return {};
  }

  uint16_t port() const {
    beast::error_code ec;
    auto endpoint = acceptor_.local_endpoint(ec);
    return ec ? 0 : endpoint.port();
  }

  void Run() {
    std::vector<std::thread> threads;
    for (int i = 1; i < io_threads_; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
    handlers_.wait();
    commands_.wait();
  }

  void Stop() {
    if (shared_.stopping.exchange(true)) return;
    net::post(ioc_, [this] {
      beast::error_code ec;
      acceptor_.close(ec);
      net::post(acceptor_.get_executor(), [this] { accept_timer_.cancel(); });
      signals_.cancel(ec);
      std::vector<std::shared_ptr<Connection>> live;
      {
        std::lock_guard lock(shared_.mu);
        for (auto& [ptr, weak] : shared_.sessions) {
          if (auto s = weak.lock()) live.push_back(std::move(s));
        }
      }
      for (auto& s : live) {
        // Session's strand is its socket's executor; Shutdown must run there.
        s->PostShutdown();
      }
      drain_deadline_ = std::chrono::steady_clock::now() + shared_.options.shutdown_grace;
      WaitForDrain();
    });
  }

 private:
  // With a certificate and key (PEM files), every connection speaks TLS 1.2
  // or 1.3; returns what is wrong with them, "" when none is set or both load.
  std::string LoadCertificate() {
    const ServerOptions& o = shared_.options;
    if (o.tls_certificate.empty() && o.tls_key.empty()) return {};
    if (o.tls_certificate.empty() || o.tls_key.empty()) return "TLS needs both a certificate and its private key";
    tls_.emplace(net::ssl::context::tls_server);
    beast::error_code ec;
    tls_->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                          net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1 |
                          net::ssl::context::single_dh_use,
                      ec);
    if (ec) return "cannot set up TLS: " + ec.message();
    if (tls_->use_certificate_chain_file(o.tls_certificate, ec); ec) {
      return "cannot read the TLS certificate " + o.tls_certificate + ": " + ec.message();
    }
    // OpenSSL checks here that the key is the certificate's ("key values mismatch").
    if (tls_->use_private_key_file(o.tls_key, net::ssl::context::pem, ec); ec) {
      return "cannot use the TLS private key " + o.tls_key + " with the certificate " + o.tls_certificate + ": " +
             ec.message();
    }
    return {};
  }

  void Accept() { acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&Impl::OnAccept, this)); }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (shared_.stopping) return;
    if (ec) return OnAcceptError(ec);
    if (MakeRoom()) {
      if (tls_) {
        std::make_shared<Session<TlsStream>>(std::move(socket), shared_, *tls_)->Start();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(std::move(socket), shared_)->Start();
      }
    } else {
      ++shared_.stats->refused;
      beast::error_code ignored;
      socket.close(ignored);
    }
    Accept();
  }

  // True when the new connection may stay: under the cap, or an idle one was
  // shed to make room (the cap is soft by the connections still closing).
  bool MakeRoom() {
    std::lock_guard lock(shared_.mu);
    if (shared_.sessions.size() - shared_.shedding < shared_.max_connections) return true;
    return Connection::ShedOldestIdleLocked(shared_);
  }

  // Accepting again at once would spin while descriptors are short (EMFILE,
  // ENFILE): the pending connection stays queued and every retry fails. So
  // shed an idle connection to free one, and retry after accept_backoff.
  void OnAcceptError(beast::error_code ec) {
    if (ec == net::error::operation_aborted) return;  // the acceptor closed
    ++shared_.stats->accept_errors;
    if (ec == net::error::connection_aborted) return Accept();  // that connection left before it was taken
    if (!warned_accept_) {
      warned_accept_ = true;
      RequestLogLine line;
      line.at = shared_.context.now();
      line.request_id = "-";
      line.method = "-";
      line.route = "-";
      line.note = "accepting connections failed (" + ec.message() + "); retrying every " +
                  std::to_string(shared_.options.accept_backoff.count()) +
                  " ms, further failures are counted in ledger_http_accept_errors_total";
      if (shared_.context.log) shared_.context.log(line);
    }
    {
      std::lock_guard lock(shared_.mu);
      Connection::ShedOldestIdleLocked(shared_);
    }
    accept_timer_.expires_after(shared_.options.accept_backoff);
    accept_timer_.async_wait([this](beast::error_code e) {
      if (!e && !shared_.stopping) Accept();
    });
  }

  static void RegisterMetrics(Metrics& metrics, const std::shared_ptr<ConnectionStats>& stats) {
    metrics.AddGauge("ledger_http_connections", "Open HTTP connections",
                     [stats] { return static_cast<double>(stats->open.load()); });
    metrics.AddCounter("ledger_http_connections_shed_total", "Idle connections closed to make room for new ones",
                       [stats] { return static_cast<double>(stats->shed.load()); });
    metrics.AddCounter("ledger_http_connections_refused_total",
                       "New connections closed at once: at the cap with none idle",
                       [stats] { return static_cast<double>(stats->refused.load()); });
    metrics.AddCounter("ledger_http_accept_errors_total", "Accepts that failed (mostly for lack of descriptors)",
                       [stats] { return static_cast<double>(stats->accept_errors.load()); });
  }

  // Polls until every connection has closed, then lets Run return; cuts the
  // rest when the grace period ends.
  void WaitForDrain() {
    bool empty;
    {
      std::lock_guard lock(shared_.mu);
      empty = shared_.sessions.empty();
    }
    if (empty) return;
    if (std::chrono::steady_clock::now() >= drain_deadline_) {
      ioc_.stop();
      return;
    }
    drain_timer_.expires_after(std::chrono::milliseconds(20));
    drain_timer_.async_wait([this](beast::error_code e) {
      if (!e) WaitForDrain();
    });
  }

  // Order matters for destruction: the io_context (and the sessions its
  // pending handlers own) goes before shared_, which they reference.
  int io_threads_;
  net::thread_pool handlers_;
  net::thread_pool commands_;
  Shared shared_;
  std::optional<net::ssl::context> tls_;  // set by Start when the options name a certificate; outlives the sessions
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer accept_timer_;  // on the acceptor's strand
  bool warned_accept_ = false;      // the first failed accept is logged, the rest counted
  net::signal_set signals_;
  net::steady_timer drain_timer_;
  std::chrono::steady_clock::time_point drain_deadline_;
};

Server::Server(const ServerOptions& options, Context& context) : impl_(std::make_unique<Impl>(options, context)) {}
Server::~Server() = default;
std::string Server::Start() { return impl_->Start(); }
uint16_t Server::port() const { return impl_->port(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace ledger::http
