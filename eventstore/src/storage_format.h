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
//   merkle          level u8 | index u64 BE (9)           node hash (32)
//   meta            "format_version"                      u32 BE (4)
//   meta            "head"                                position u64 BE (8) | hash (32)
//   meta            "verified"                            position u64 BE (8) | hash (32)
//   meta            "tree"                                tree version u32 BE (4) = 1
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
//   merkle key:        [ level ][ i7 .. i0 ]: the complete subtree over leaves
//                      [index * 2^level, (index + 1) * 2^level); leaf i is
//                      RFC 9162's leaf hash of the event hash at position i + 1
//                      (merkle.h). Level-major, so one level's nodes are
//                      contiguous and in index order.
//
// The "default" column family exists (RocksDB requires it) and stays empty.
// Every append writes its events, index entries, stream heads, its command
// record, the Merkle nodes its events complete and the meta "head" key in one
// WriteBatch. meta "verified" is the last
// position (and its hash) the start-up check proved intact; only that check
// writes it. Request records are written on their own (synced), never by an
// append; "requests" is created when a store written before it existed is
// first opened for writing.
//
// meta "tree" says the merkle family holds every node of the tree over the
// whole log. A store written before the tree existed has neither; the first
// open for writing builds the tree from the events (resuming where an
// interrupted build stopped: its nodes are written in batches of whole
// leaves) and writes "tree" with the last batch. Until then a read-only open
// serves no tree heads or proofs, and Verify checks no tree.
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
inline constexpr char kMerkleCf[] = "merkle";

inline constexpr char kMetaFormatVersionKey[] = "format_version";
inline constexpr char kMetaHeadKey[] = "head";
inline constexpr char kMetaVerifiedKey[] = "verified";
inline constexpr char kMetaTreeKey[] = "tree";
inline constexpr uint32_t kTreeVersion = 1;

inline constexpr char kStreamIndexSeparator = '\0';
inline constexpr uint8_t kCommandRecordVersion = 1;        // no request tag
inline constexpr uint8_t kCommandRecordTaggedVersion = 2;  // with a request tag

inline constexpr size_t kHashSize = 32;
inline constexpr size_t kPositionKeySize = 8;
inline constexpr size_t kHeadValueSize = 8 + kHashSize;
inline constexpr size_t kStreamHeadValueSize = 16;
inline constexpr size_t kMerkleKeySize = 9;
// The merkle family keeps the tree's nodes from this level up (a node per 8
// events and above: a quarter of a key per event). The nodes below, at most
// 7 of them on a proof's path, are hashed again from the events they cover:
// storing them cost the append 10-15% at 8 and 64 writers (docs/performance.md).
inline constexpr unsigned kMerkleLowestStoredLevel = 3;

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

inline std::string MerkleKey(unsigned level, uint64_t index) {
  std::string key;
  key.reserve(kMerkleKeySize);
  key.push_back(static_cast<char>(level));
  PutU64(&key, index);
  return key;
}

// Exclusive upper bound of one stream's stream_index entries.
inline std::string StreamIndexEnd(std::string_view stream_id) {
  std::string key(stream_id);
  key.push_back(static_cast<char>(kStreamIndexSeparator + 1));
  return key;
}

}  // namespace ledger::es::format
