// The on-disk format of the event store: every column family name, key
// layout, format version and limit, in one place. Mirrored in docs/storage.md.
//
// All integers in keys and in fixed-layout values are big-endian, so RocksDB's
// bytewise order is numeric order.
//
//   column family   key                                   value
//   -------------   -----------------------------------   ------------------------------------------
//   events          position u64 BE (8)                   FlatBuffers Envelope (envelope.fbs)
//   stream_index    stream_id | 0x00 | version u64 BE     position u64 BE (8)
//   stream_heads    stream_id                             version u64 BE (8) | last position u64 BE (8)
//   commands        command_id                            CommandRecord (below)
//   requests        request key (a command id)            opaque request record (the caller's bytes)
//   meta            "format_version"                      u32 BE (4)
//   meta            "head"                                position u64 BE (8) | hash (32)
//   meta            "verified"                            position u64 BE (8) | hash (32)
//
//   events key:        [ p7 p6 p5 p4 p3 p2 p1 p0 ]
//   stream_index key:  [ s t r e a m _ i d ... ][ 00 ][ v7 .. v0 ]
//                      (0x00 cannot occur in a stream id, so one stream's
//                       entries are contiguous and ordered by version)
//   CommandRecord:     [ record version u8 = 1 or 2 ]
//                      [ request digest, SHA-256 (32) ]
//                      [ first position u64 BE ][ last position u64 BE ]
//                      [ stream count u32 BE ][ stream version u64 BE ] * count
//                      version 2 only: [ tag length u8 (1..64) ][ request tag ]
//                      (a command without a request tag is written as version 1,
//                       byte for byte as before tags existed)
//
// The "default" column family exists (RocksDB requires it) and stays empty.
// Every append writes its events, index entries, stream heads, its command
// record and the meta "head" key in one WriteBatch. meta "verified" is the last
// position (and its hash) the start-up check proved intact; only that check
// writes it. Request records are written on their own (synced), never by an
// append; "requests" is created when a store written before it existed is
// first opened for writing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/base/big_endian.h"

namespace ledger::es::format {

// Version of this whole layout, stored under meta/"format_version". A store
// with any other value is refused at open.
inline constexpr uint32_t kFormatVersion = 1;

inline constexpr char kEventsCf[] = "events";
inline constexpr char kStreamIndexCf[] = "stream_index";
inline constexpr char kStreamHeadsCf[] = "stream_heads";
inline constexpr char kCommandsCf[] = "commands";
inline constexpr char kMetaCf[] = "meta";
inline constexpr char kRequestsCf[] = "requests";

inline constexpr char kMetaFormatVersionKey[] = "format_version";
inline constexpr char kMetaHeadKey[] = "head";
inline constexpr char kMetaVerifiedKey[] = "verified";

inline constexpr char kStreamIndexSeparator = '\0';
inline constexpr uint8_t kCommandRecordVersion = 1;        // no request tag
inline constexpr uint8_t kCommandRecordTaggedVersion = 2;  // with a request tag

inline constexpr size_t kHashSize = 32;
inline constexpr size_t kPositionKeySize = 8;
inline constexpr size_t kHeadValueSize = 8 + kHashSize;
inline constexpr size_t kStreamHeadValueSize = 16;

// Version byte that starts the canonical bytes an envelope's hash covers.
inline constexpr uint8_t kCanonicalVersion = 1;

// Input limits (checked before anything is queued).
inline constexpr size_t kMaxStreamIdBytes = 200;
inline constexpr size_t kMaxEventTypeBytes = 128;
inline constexpr size_t kMaxCommandIdBytes = 128;
inline constexpr size_t kMaxActorIdBytes = 256;
inline constexpr size_t kMaxCorrelationIdBytes = 256;
inline constexpr size_t kMaxRequestTagBytes = 64;
inline constexpr size_t kMaxRequestKeyBytes = 128;
inline constexpr size_t kMaxRequestRecordBytes = 64u << 20;

inline void PutU32(std::string* out, uint32_t v) { base::AppendBE32(out, v); }
inline void PutU64(std::string* out, uint64_t v) { base::AppendBE64(out, v); }
inline uint32_t GetU32(const char* p) { return base::ReadBE32(std::string_view(p, 4)); }
inline uint64_t GetU64(const char* p) { return base::ReadBE64(std::string_view(p, 8)); }

inline std::string PositionKey(uint64_t position) {
  std::string key;
  key.reserve(kPositionKeySize);
  PutU64(&key, position);
  return key;
}

inline std::string StreamIndexKey(std::string_view stream_id, uint64_t version) {
  std::string key(stream_id);
  key.push_back(kStreamIndexSeparator);
  PutU64(&key, version);
  return key;
}

// Exclusive upper bound of one stream's stream_index entries.
inline std::string StreamIndexEnd(std::string_view stream_id) {
  std::string key(stream_id);
  key.push_back(static_cast<char>(kStreamIndexSeparator + 1));
  return key;
}

}  // namespace ledger::es::format
