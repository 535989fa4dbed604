// Sessions: in-memory sessions, their CSRF tokens and sign-in throttling.
// Passwords and the account directory are the application's
// (ledger/app/credentials.h); the one sign-in is http::SignIn (router.h).
//
// Sessions are random 32-byte tokens; the server keeps only their SHA-256, so a
// memory dump does not reveal a usable token. A session expires after an idle
// period and after an absolute lifetime, whichever comes first. Sessions do not
// survive a restart.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace ledger::http {

// Microseconds since the Unix epoch; injectable so tests can move time.
using Micros = int64_t;

// ---- Sessions --------------------------------------------------------------

struct SessionOptions {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{12 * 60 * 60};
};

// Thread-safe.
class SessionStore {
 public:
  explicit SessionStore(SessionOptions options = {});

  struct Issued {
    std::string token;       // 64 hex characters; given to the client once
    std::string csrf_token;  // echo in X-CSRF-Token when authenticating by cookie
  };
  Issued Create(const std::string& username, Micros now);

  struct Session {
    std::string username;
    Micros created_at = 0;
    Micros last_seen = 0;
  };
  // The live session of a token, refreshing its idle timer; nullopt when
  // unknown or expired (an expired session is removed).
  std::optional<Session> Touch(std::string_view token, Micros now);
  // Ends a session; harmless if unknown.
  void Revoke(std::string_view token);
  // The CSRF token bound to `binding` (64 hex digits, an HMAC of it under a
  // key of this process): a session token, or a signed-out browser's
  // pre-session cookie (Call::CsrfToken). The sign-in answer's csrf_token,
  // the API's X-CSRF-Token and the portal's csrf_token form field are all
  // this value.
  std::string CsrfFor(std::string_view binding) const;
  // Whether csrf is the CSRF token bound to `binding` (constant time).
  bool CsrfMatches(std::string_view binding, std::string_view csrf) const;
  // Drops every expired session; returns how many remain.
  std::size_t Sweep(Micros now);
  const SessionOptions& options() const { return options_; }

 private:
  bool Expired(const Session& s, Micros now) const;

  SessionOptions options_;
  unsigned char csrf_key_[32];  // per process: CSRF tokens are HMAC(csrf_key_, token)
  mutable std::mutex mu_;
  std::map<std::string, Session, std::less<>> by_hash_;  // hex SHA-256 of token -> session
};

// ---- Throttling ------------------------------------------------------------

struct ThrottleOptions {
  int free_failures = 5;                 // failures answered without delay; the next attempt waits
  std::chrono::seconds window{15 * 60};  // failures older than this are forgotten
  std::chrono::seconds base_delay{1};    // wait after failure free_failures, doubled with each failure after
  std::chrono::seconds max_delay{15 * 60};
};

// Counts failed sign-ins per account name and per client address; a count is
// forgotten once `window` passes without a failure. The first free_failures
// attempts are never delayed; after failure free_failures + n (n >= 0), the
// next attempt for that account (or from that address) must wait
// base_delay * 2^n, capped at max_delay, counted from that failure: with the
// defaults, the 6th attempt after 5 failures waits 1 s, the 7th 2 s, ... Keys are the strings given, whether or
// not an account exists. Thread-safe.
class SignInThrottle {
 public:
  explicit SignInThrottle(ThrottleOptions options = {});
  // How long the caller must still wait before trying; 0 when free to try.
  std::chrono::seconds Wait(std::string_view username, std::string_view address, Micros now);
  void RecordFailure(std::string_view username, std::string_view address, Micros now);
  // A successful sign-in clears the account's count (not the address's).
  void RecordSuccess(std::string_view username);

 private:
  struct Entry {
    int failures = 0;
    Micros last_failure = 0;
  };
  Micros WaitFor(const std::string& key, Micros now);
  void Fail(const std::string& key, Micros now);

  static constexpr std::size_t kSweepAt = 100'000;  // entries before stale ones are swept

  ThrottleOptions options_;
  std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::size_t sweep_at_ = kSweepAt;
};

// n random bytes as 2n hex characters (libsodium randombytes_buf).
std::string RandomHex(std::size_t n);

}  // namespace ledger::http
