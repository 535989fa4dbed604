#include "ledger/http/auth.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "ledger/base/hex.h"
#include "ledger/base/sha256.h"

namespace ledger::http {
namespace {

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

constexpr Micros kMicrosPerSecond = 1'000'000;

Micros ToMicros(std::chrono::seconds s) { return static_cast<Micros>(s.count()) * kMicrosPerSecond; }

}  // namespace

std::string RandomHex(std::size_t n) {
  EnsureSodium();
  std::string raw(n, '\0');
  randombytes_buf(raw.data(), n);
  return base::ToHex(raw);
}

// ---- SessionStore ----------------------------------------------------------

SessionStore::SessionStore(SessionOptions options) : options_(options) {
  EnsureSodium();
  randombytes_buf(csrf_key_, sizeof csrf_key_);
}

SessionStore::Issued SessionStore::Create(const std::string& username, Micros now) {
  Issued issued;
  issued.token = RandomHex(32);
  issued.csrf_token = CsrfFor(issued.token);
  std::lock_guard lock(mu_);
  by_hash_[base::Sha256Hex(issued.token)] = Session{username, now, now};
  return issued;
}

bool SessionStore::Expired(const Session& s, Micros now) const {
  return now - s.last_seen >= ToMicros(options_.idle_timeout) ||
         now - s.created_at >= ToMicros(options_.absolute_timeout);
}

std::optional<SessionStore::Session> SessionStore::Touch(std::string_view token, Micros now) {
  if (token.empty()) return std::nullopt;
  std::string key = base::Sha256Hex(token);
  std::lock_guard lock(mu_);
  auto it = by_hash_.find(key);
  if (it == by_hash_.end()) return std::nullopt;
  if (Expired(it->second, now)) {
    by_hash_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

void SessionStore::Revoke(std::string_view token) {
  std::string key = base::Sha256Hex(token);
  std::lock_guard lock(mu_);
  by_hash_.erase(key);
}

std::string SessionStore::CsrfFor(std::string_view token) const {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(token.data()), token.size(), csrf_key_);
  return base::ToHex(std::span<const uint8_t>(mac, sizeof mac));
}

bool SessionStore::CsrfMatches(std::string_view token, std::string_view csrf) const {
  std::string expected = CsrfFor(token);
  if (csrf.size() != expected.size()) return false;
  return sodium_memcmp(expected.data(), csrf.data(), expected.size()) == 0;
}

std::size_t SessionStore::Sweep(Micros now) {
  std::lock_guard lock(mu_);
  std::erase_if(by_hash_, [&](const auto& kv) { return Expired(kv.second, now); });
  return by_hash_.size();
}

// ---- SignInThrottle --------------------------------------------------------

SignInThrottle::SignInThrottle(ThrottleOptions options) : options_(options) {}

Micros SignInThrottle::WaitFor(const std::string& key, Micros now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return 0;
  Entry& e = it->second;
  if (now - e.last_failure >= ToMicros(options_.window)) {
    entries_.erase(it);
    return 0;
  }
  int doublings = e.failures - options_.free_failures;  // 0 after the last free failure
  if (doublings < 0) return 0;
  Micros delay = ToMicros(options_.base_delay);
  for (int i = 0; i < doublings && delay < ToMicros(options_.max_delay); ++i) delay *= 2;
  delay = std::min(delay, ToMicros(options_.max_delay));
  Micros ready = e.last_failure + delay;
  return ready > now ? ready - now : 0;
}

std::chrono::seconds SignInThrottle::Wait(std::string_view username, std::string_view address, Micros now) {
  std::lock_guard lock(mu_);
  Micros wait = std::max(WaitFor("u:" + std::string(username), now), WaitFor("a:" + std::string(address), now));
  return std::chrono::seconds((wait + kMicrosPerSecond - 1) / kMicrosPerSecond);
}

void SignInThrottle::Fail(const std::string& key, Micros now) {
  Entry& e = entries_[key];
  if (e.failures > 0 && now - e.last_failure >= ToMicros(options_.window)) e = Entry{};
  ++e.failures;
  e.last_failure = now;
}

void SignInThrottle::RecordFailure(std::string_view username, std::string_view address, Micros now) {
  std::lock_guard lock(mu_);
  Fail("u:" + std::string(username), now);
  Fail("a:" + std::string(address), now);
  // Forget stale entries now and then so the map cannot grow without bound;
  // the next sweep waits until the map has doubled, so that a map of fresh
  // entries is not scanned at every failure.
  if (entries_.size() > sweep_at_) {
    std::erase_if(entries_, [&](const auto& kv) { return now - kv.second.last_failure >= ToMicros(options_.window); });
    sweep_at_ = std::max(kSweepAt, 2 * entries_.size());
  }
}

void SignInThrottle::RecordSuccess(std::string_view username) {
  std::lock_guard lock(mu_);
  entries_.erase("u:" + std::string(username));
}

}  // namespace ledger::http
