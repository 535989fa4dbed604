// Sign-in: password hashing, the account directory the application provides,
// in-memory sessions and sign-in throttling.
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

#include "ledger/core/access.h"

namespace ledger::http {

// Microseconds since the Unix epoch; injectable so tests can move time.
using Micros = int64_t;

// ---- Passwords (Argon2id via libsodium) -----------------------------------

// The shortest password anyone may choose or be given.
inline constexpr std::size_t kMinPasswordLength = 12;

enum class PasswordCost {
  kInteractive,  // crypto_pwhash_*_INTERACTIVE: the production setting
  kMinimum,      // crypto_pwhash_*_MIN: only for tests and fixtures
};
// An encoded "$argon2id$..." string with its own salt and parameters.
// Thread-safe. Throws std::bad_alloc if the memory limit cannot be met.
std::string HashPassword(std::string_view password, PasswordCost cost = PasswordCost::kInteractive);
// Whether password matches hash; false for a malformed hash. Thread-safe.
bool VerifyPassword(std::string_view hash, std::string_view password);

// ---- Accounts --------------------------------------------------------------

struct Credentials {
  std::string password_hash;  // from HashPassword
  core::Principal principal;
};

// Where sign-in finds people. The application implements it over its
// projections. Implementations must be thread-safe.
class AccountDirectory {
 public:
  virtual ~AccountDirectory() = default;
  // The stored hash and principal of a username; nullopt when unknown.
  virtual std::optional<Credentials> FindCredentials(const std::string& username) const = 0;
  // The current principal (roles, active flag) of a username; asked on every
  // request so a disabled account or a changed role takes effect at once.
  virtual std::optional<core::Principal> FindPrincipal(const std::string& username) const = 0;
};

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
  // The one CSRF token of the session of token (64 hex digits, an HMAC of the
  // token): the sign-in answer's csrf_token, the API's X-CSRF-Token and the
  // portal's csrf_token form field are all this value.
  std::string CsrfFor(std::string_view token) const;
  // Whether csrf matches the CSRF token of the session of token (constant time).
  bool CsrfMatches(std::string_view token, std::string_view csrf) const;
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

  ThrottleOptions options_;
  std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// n random bytes as 2n hex characters (libsodium randombytes_buf).
std::string RandomHex(std::size_t n);

}  // namespace ledger::http
