// Envelope encoding: the stored FlatBuffers form, and the canonical bytes the
// hash chain covers.
//
// Canonical bytes, version 1 (what SHA-256 covers after the 32-byte previous
// hash; all integers big-endian, every variable field length-prefixed):
//
//   u8  canonical version (= 1)
//   u64 position
//   u32 len | stream_id bytes
//   u64 stream_version
//   u32 len | type bytes
//   u32 schema_version
//   u64 recorded_at_us (two's complement of the signed value)
//   u32 len | actor_id bytes
//   u32 len | command_id bytes
//   u32 len | correlation_id bytes
//   u32 len | payload bytes
//
//   hash = SHA-256(prev_hash (32 bytes) || canonical bytes)
//
// The FlatBuffers bytes are a storage encoding only: two different builders
// may lay the same envelope out differently, so they are never hashed.
#pragma once

#include <string>
#include <string_view>

#include "ledger/base/aligned.h"
#include "ledger/base/sha256.h"
#include "ledger/eventstore/envelope.h"
#include "ledger/eventstore/status.h"

namespace ledger::es {

// The fields of a stored envelope without copying them out of the value bytes.
// Valid while the bytes it was decoded from live.
struct EnvelopeView {
  uint64_t position = 0;
  std::string_view stream_id;
  uint64_t stream_version = 0;
  std::string_view type;
  uint32_t schema_version = 0;
  int64_t recorded_at_us = 0;
  std::string_view actor_id;
  std::string_view command_id;
  std::string_view correlation_id;
  std::string_view payload;
  const uint8_t* prev_hash = nullptr;  // 32 bytes
  const uint8_t* hash = nullptr;       // 32 bytes
};

// Appends the canonical bytes of `e` (hash excluded) to `out`.
void AppendCanonicalBytes(const EnvelopeView& e, std::string* out);
EnvelopeView ViewOf(const Envelope& e);

// SHA-256 reusing one libcrypto context (base/sha256.h). Not thread-safe.
using Sha256 = base::Sha256Hasher;

// hash = SHA-256(prev_hash || canonical bytes of e). `scratch` is reused.
Hash ComputeEnvelopeHash(const EnvelopeView& e, const uint8_t* prev_hash, Sha256& sha, std::string* scratch);

// The stored value of an envelope.
std::string EncodeEnvelope(const Envelope& e);

// Checks the FlatBuffers structure and fills `out`; Corruption when malformed.
// FlatBuffers reads its fields in place and needs 8-byte alignment: when
// `bytes` is not aligned it is copied into `scratch` first (base/aligned.h),
// and `out` then points into `scratch`.
Status DecodeEnvelopeView(std::string_view bytes, EnvelopeView* out, base::AlignedCopy* scratch);
Status DecodeEnvelope(std::string_view bytes, Envelope* out);

}  // namespace ledger::es
