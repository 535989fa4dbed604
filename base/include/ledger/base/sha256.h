// SHA-256 (FIPS 180-4) of bytes, as the raw digest or its lower-case hex, in
// one call (pure, thread-safe) or fed piece by piece (Sha256Hasher).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ledger::base {

inline constexpr std::size_t kSha256Bytes = 32;
using Sha256Digest = std::array<uint8_t, kSha256Bytes>;

Sha256Digest Sha256(std::string_view bytes);
// 64 lower-case hex digits: the content address of evidence files, the
// digest of an import, a session token's key.
std::string Sha256Hex(std::string_view bytes);

// Incremental SHA-256 over libcrypto, reusing one context (the event store
// hashes every envelope with one). Not thread-safe: one per thread.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  // Starts a new digest, forgetting what was fed before.
  void Reset();
  void Update(std::string_view bytes);
  // The digest of what was fed since the last Finish (or construction); the
  // next Update starts a new digest.
  Sha256Digest Finish();
  // SHA-256(prefix || data), on its own.
  Sha256Digest Digest(std::string_view prefix, std::string_view data);

 private:
  struct Context;
  Context* ctx_;
};

}  // namespace ledger::base
