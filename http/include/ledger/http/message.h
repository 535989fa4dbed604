// Request and Response: plain values, with no socket in sight.
//
// The server turns the bytes on the wire into a Request, calls HandleRequest
// and writes the Response back; tests build Requests by hand. A Response may
// instead open a Server-Sent Events stream (see EventStream below).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace ledger::http {

using HeaderField = std::pair<std::string, std::string>;

// Case-insensitive ASCII comparison of header names.
bool HeaderNameEquals(std::string_view a, std::string_view b);

// The media type of a Content-Type value: lower case, without parameters or blanks.
std::string MediaTypeOf(std::string_view content_type);

// URL decoding, the one implementation for the server, the router, the API
// and the portal, by Boost.URL (RFC 3986).
// Whether a request target is a path with an optional query as RFC 3986
// allows (origin-form, RFC 9112 3.2.1): every '%' starts an escape of two hex
// digits, and characters such as a space, '|', '{' or '^' are escaped. The
// server answers 400 to any other, so what follows may rely on it.
bool IsValidTarget(std::string_view target);
// Percent-decoding (RFC 3986 2.1) of a path segment: "%2F" is '/', '+' stays.
// A text with a '%' not followed by two hex digits is returned as it is.
std::string PercentDecode(std::string_view in);
// Percent-encoding: ASCII letters and digits and the bytes of `keep` stay,
// every other byte becomes %XX (upper-case hex).
std::string PercentEncode(std::string_view in, std::string_view keep);
// The name=value pairs of a query string or an
// application/x-www-form-urlencoded body, decoded ('+' is a space), in order,
// repeated names kept, empty pairs skipped; a pair without '=' has the value
// "". nullopt when the text is not a valid query (a bad escape, or a character
// that must be escaped).
std::optional<std::vector<std::pair<std::string, std::string>>> ParseUrlEncoded(std::string_view text);

struct Request;
// Behind a reverse proxy that terminates TLS: when the connection comes from
// one of `trusted` (IP addresses), "X-Forwarded-Proto: https" marks the request
// as received over TLS, and its client address becomes the last address of
// X-Forwarded-For that is not itself a trusted proxy (the one the nearest
// proxy of ours saw). From any other address both headers are ignored, since a
// client may send them to pass for another.
void ApplyTrustedProxy(Request& request, const std::vector<std::string>& trusted);

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // "/api/v1/claims/7?status=draft" (path and query, as sent)
  std::vector<HeaderField> headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1"; the client's address, for throttling and logs
  bool tls = false;            // whether the connection was encrypted (decides the cookie's Secure flag)

  // The first header with this name (case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // The path without the query string, e.g. "/api/v1/claims/7".
  std::string_view Path() const;
  // The query string without '?', or "".
  std::string_view RawQuery() const;
  // The value of one query parameter, percent-decoded; "" when absent.
  std::string Query(std::string_view name) const;
  // The value of one cookie from the Cookie header; "" when absent.
  std::string Cookie(std::string_view name) const;
  // The media type of Content-Type, lower-cased and without parameters.
  std::string MediaType() const;
};

class SseWriter;

// What a streaming response does once its headers are sent: it receives the
// writer and pushes frames to it from any thread until the writer reports it
// is closed. It runs on a server thread and must not block: hand the writer to
// whatever produces events (a subscription, a thread of your own) and return.
using EventStream = std::function<void(std::shared_ptr<SseWriter>)>;

struct Response {
  int status = 200;
  std::vector<HeaderField> headers;
  std::string body;
  // When set, the server sends the status and headers, then hands the
  // connection to this stream (Content-Type text/event-stream, no length).
  EventStream stream;

  // Replaces any header of that name.
  void Set(std::string_view name, std::string value);
  // Adds a header even if one of that name exists (Set-Cookie).
  void Add(std::string_view name, std::string value);
  std::string_view Header(std::string_view name) const;

  static Response Json(int status, const boost::json::value& body);
  static Response Text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response NoContent();
  static Response Stream(EventStream stream);
};

// The sending end of one Server-Sent Events connection. Thread-safe: any thread
// but the server's own may call Send. Frames are queued and written in order;
// the queue holds a bounded number of bytes, and a client that stops taking
// them is disconnected (ServerOptions::sse_queue_limit, sse_stall_timeout).
class SseWriter {
 public:
  virtual ~SseWriter() = default;
  // Queues "id: <id>\nevent: <event>\ndata: <line>\n...\n\n". Empty id or event
  // are left out; data is split on newlines into several data lines. Waits
  // while the queue is full, until the client has taken enough or the stream
  // closes: a producer goes no faster than its client reads. Returns false once
  // the stream is closed (client gone or too slow, server stopping, or Close).
  virtual bool Send(std::string_view id, std::string_view event, std::string_view data) = 0;
  // Queues a comment line (": text"), e.g. to tell the client it is live.
  // Never waits; left out while frames are queued (they show the stream is live).
  virtual bool Comment(std::string_view text) = 0;
  // Ends the stream; later Sends return false.
  virtual void Close() = 0;
  virtual bool open() const = 0;
  // Runs once when the stream closes for any reason (on the closing thread).
  // If the stream is already closed, runs immediately.
  virtual void OnClose(std::function<void()> callback) = 0;
};

// Formats one SSE frame exactly as SseWriter::Send queues it.
std::string FormatSseFrame(std::string_view id, std::string_view event, std::string_view data);

}  // namespace ledger::http
