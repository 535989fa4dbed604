// EventStore: an append-only, hash-chained log of opaque typed events on RocksDB.
//
// The store knows nothing of what events mean. It keeps, for every event, an
// envelope (see envelope.h) with a dense global position, a per-stream version
// and a SHA-256 link to the previous event. Appends are atomic per command,
// idempotent per command id, and fsynced before they are acknowledged.
//
// Thread-safety: every method may be called from any thread at any time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/base/histogram.h"
#include "ledger/eventstore/clock.h"
#include "ledger/eventstore/envelope.h"
#include "ledger/eventstore/status.h"

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace ledger::es {

// What the writer expects a stream's version to be before the append.
// Stream versions count events in the stream: a new stream is at version 0 and
// its first event has version 1.
class ExpectedVersion {
 public:
  static ExpectedVersion Any() { return ExpectedVersion(kAny); }
  static ExpectedVersion NoStream() { return ExpectedVersion(0); }
  static ExpectedVersion Exact(uint64_t version) { return ExpectedVersion(static_cast<int64_t>(version)); }
  // Parses "any", "no-stream" or a decimal version; nullopt for anything else.
  static std::optional<ExpectedVersion> Parse(std::string_view text);

  bool is_any() const { return v_ == kAny; }
  uint64_t exact() const { return static_cast<uint64_t>(v_); }  // REQUIRES: !is_any()
  bool operator==(const ExpectedVersion&) const = default;

 private:
  static constexpr int64_t kAny = -1;
  explicit ExpectedVersion(int64_t v) : v_(v) {}
  int64_t v_;
};

struct EventData {
  std::string type;             // e.g. "ClaimSubmitted"; [A-Za-z0-9._-], 1..128 bytes
  uint32_t schema_version = 1;  // version of the payload's schema
  std::string payload;          // opaque bytes, at most Options::max_event_bytes
  bool operator==(const EventData&) const = default;
};

struct StreamAppend {
  std::string stream_id;  // [A-Za-z0-9._:@/-], 1..200 bytes
  ExpectedVersion expected = ExpectedVersion::Any();
  std::vector<EventData> events;  // at least one
};

// One command's outcome: every event of every stream is written together or
// not at all. command_id makes the append idempotent, permanently.
struct AppendRequest {
  std::string command_id;             // 1..128 bytes, unique per command
  std::string actor_id;               // who caused it (may be empty for system events)
  std::string correlation_id;         // ties related commands together (may be empty)
  std::vector<StreamAppend> streams;  // at least one; each stream at most once
  // Opaque bytes the caller binds to the command id (e.g. a digest of the
  // request that caused it), at most 64 bytes; kept in the command record.
  // A retry whose tag differs from the stored one (both non-empty) is
  // IdempotencyMismatch, as is one with different content.
  std::string request_tag;
};

struct AppendResult {
  uint64_t first_position = 0;  // position of the first event written
  uint64_t last_position = 0;   // position of the last event written
  // New version of each stream, in the order of AppendRequest::streams.
  std::vector<uint64_t> stream_versions;
  bool duplicate = false;   // true when command_id was seen before with the same content
  std::string request_tag;  // the tag the command was stored with ("" when none)
};

struct Head {
  uint64_t position = 0;  // 0 for an empty log
  Hash hash{};            // all zero for an empty log
};

// The head of the Merkle tree over the log (RFC 9162, see merkle.h): the
// tree of its first `size` events, whose root an auditor can hold the store
// to with inclusion and consistency proofs.
struct TreeHead {
  uint64_t size = 0;  // events 1..size
  Hash root{};        // MTH of their leaves (merkle::EventLeaf); merkle::EmptyRoot() for 0
  Hash chain_hash{};  // the hash of the event at `size` (Head::hash); zeros for 0
};

struct VerifyReport {
  bool ok = true;
  uint64_t events_checked = 0;
  uint64_t first_bad_position = 0;  // when !ok: the event position, or 0 when the fault is not at one
  std::string problem;              // when !ok: what was wrong, naming the column family and key
  std::string column_family;        // when !ok: "events", "stream_index", "stream_heads", "commands", "merkle",
                                    // "meta"
  std::string key;                  // when !ok: the first bad key, printable (a position, a stream and
                                    // version, a stream, a command id, a tree node, or a table file)
  bool tree_checked = false;        // a whole-log verify also checked every node of the Merkle tree
  Head head;                        // the last position checked and its hash
};

// What the start-up verification (EventStore::VerifyNewEvents) found, for
// health checks and metrics.
struct IntegrityState {
  bool checked = false;       // VerifyNewEvents ran (and finished) on this open store
  bool ok = true;             // no damage found (meaningful when checked)
  Head verified;              // the last position proven intact, durably recorded in the store
  uint64_t bad_position = 0;  // when checked && !ok
  std::string problem;        // when checked && !ok: what was wrong there
};

struct Options {
  bool read_only = false;
  bool create_if_missing = true;
  const Clock* clock = nullptr;      // nullptr: the system clock
  size_t max_event_bytes = 1 << 20;  // payload limit per event (1 MiB)
  size_t max_events_per_append = 10'000;
  // fsync before acknowledging (the default). false acknowledges once the
  // batch is in the operating system's cache: it survives the process being
  // killed, not a power cut, until Sync(). For bulk writers that sync now and
  // then (the simulator) and for benchmarks' baselines.
  bool sync = true;
  // Appends are refused (IoError, nothing written) while the disk holding the
  // store has less free space than this; they succeed again once it has more.
  // 0: no reserve.
  uint64_t min_free_bytes = 64ull << 20;
  // Memory for the writer's caches of stream versions and command records
  // (half each); a cache past its half is emptied and refilled from RocksDB.
  uint64_t cache_bytes = 128ull << 20;
  // The write-ahead log kept, at most about: past it RocksDB flushes the
  // column families whose writes hold the oldest log file, so that file can
  // go. Without a limit a family that fills slowly (meta: one small record
  // per append) keeps every log file alive, and a restart replays them all.
  // 0: RocksDB's default (four times the write buffers, no real limit).
  uint64_t max_wal_bytes = 64ull << 20;
  // Opening for writing, clears the Merkle tree and builds it again from the
  // events (which the hash chain protects), for a tree Verify found damaged.
  // A writing open builds the tree anyway when the store has none or its
  // last nodes cannot be read.
  bool rebuild_tree = false;
  // Keep the Merkle tree (the default). false only for the benchmark's
  // baseline: no tree, no tree heads or proofs; an open for writing also
  // drops meta "tree", so that the next open with the tree rebuilds it.
  bool merkle_tree = true;
  // The RocksDB environment the store's files go through; nullptr: the
  // default. Tests pass one whose file system fails writes on command.
  std::shared_ptr<rocksdb::Env> env;
};

// Metrics for /metrics and the benchmark.
struct WriterStats {
  uint64_t appends = 0;  // commands acknowledged (duplicates included)
  uint64_t events = 0;   // events written
  uint64_t batches = 0;  // WriteBatches written (= fsyncs)
  uint64_t max_batch_commands = 0;
};

// Distributions of the write path, for /metrics: how long each append took
// from its call to its acknowledgement (queueing for the group included), how
// long each group's write to disk took (its fsync), and how many commands
// each group carried.
struct WriteHistograms {
  base::Histogram append_seconds{
      {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}};
  base::Histogram write_seconds{
      {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}};
  base::Histogram batch_commands{{1, 2, 4, 8, 16, 32, 64, 128, 256}};
};

// Memory held for one database, in bytes (/metrics): RocksDB's grows up to the
// configured write buffers and block cache and stays there, and the caches in
// front of it up to their limits: the soak test subtracts both from the
// process's resident size to see what the rest holds.
struct MemoryUsage {
  uint64_t memtables = 0;      // rocksdb.cur-size-all-mem-tables, every column family
  uint64_t block_cache = 0;    // rocksdb.block-cache-usage
  uint64_t table_readers = 0;  // rocksdb.estimate-table-readers-mem (indexes and filters)
  // Our own caches in front of RocksDB, as the heap holds them
  // (base::ClearingCache); emptied when they pass their budget.
  uint64_t caches = 0;
};

class Subscription;

class EventStore {
 public:
  // Opens (or creates) the store in `dir`. A second writer on the same
  // directory gets Status::Busy; read-only opens always work.
  static Result<std::unique_ptr<EventStore>> Open(const std::string& dir, const Options& options = {});
  virtual ~EventStore() = default;

  // Appends one command's events. Blocks until they are fsynced (group commit:
  // concurrent callers share one fsync). Conflict names the stream and its
  // actual version; Invalid and IdempotencyMismatch write nothing.
  // IoError: nothing was acknowledged. After a failed disk write the store
  // refuses every further append until it is reopened; that write's batch is
  // then either wholly in the log or wholly absent, so a retry with the same
  // command id is safe. Below Options::min_free_bytes of free disk, appends
  // are refused until space returns.
  virtual Result<AppendResult> Append(const AppendRequest& request) = 0;

  // Current version of a stream (0 when it does not exist).
  virtual Result<uint64_t> StreamVersion(const std::string& stream_id) = 0;

  // Events of one stream with version >= from_version, in order, at most max_count.
  virtual Result<std::vector<Envelope>> ReadStream(const std::string& stream_id, uint64_t from_version = 1,
                                                   size_t max_count = SIZE_MAX) = 0;

  // Events with position >= from_position, in order, at most max_count.
  virtual Result<std::vector<Envelope>> ReadAll(uint64_t from_position, size_t max_count) = 0;

  // Calls visit(envelope) for positions from..to inclusive (to = 0: the head)
  // without holding them all in memory; stops early when visit returns false.
  virtual Status Scan(uint64_t from_position, uint64_t to_position,
                      const std::function<bool(const Envelope&)>& visit) = 0;

  // The result a command id got when it was stored, or nullopt when the id was
  // never stored. Lets a caller answer a retried command without deciding again.
  virtual Result<std::optional<AppendResult>> FindCommand(const std::string& command_id) = 0;

  // Request records: one opaque value per key that a caller keeps beside the
  // log (the HTTP layer keeps the answer a command's request got, keyed by
  // the command id). The store does not interpret them; they are not events,
  // not hash-chained and not part of Verify. PutRequestRecord replaces any
  // record under `key` (1..128 printable ASCII bytes, value at most 64 MiB)
  // and is synced before it returns (per Options::sync); Invalid on a
  // read-only store.
  virtual Status PutRequestRecord(const std::string& key, std::string_view value) = 0;
  // The record under `key`, or nullopt when there is none.
  virtual Result<std::optional<std::string>> FindRequestRecord(const std::string& key) = 0;

  virtual Head GetHead() = 0;

  // The Merkle tree over the log (merkle.h), kept beside the events in the
  // same WriteBatch. Every call below is Unavailable, saying why, when the
  // store keeps no tree: one written before the tree existed and opened
  // read-only since (the first open for writing builds it from the events),
  // or one whose tree is damaged, opened read-only (Verify names the node).
  //
  // The tree head over the current head, read together with it.
  virtual Result<TreeHead> GetTreeHead() = 0;
  // The root of the tree of the first `size` events (0 <= size <= the head).
  virtual Result<Hash> TreeRoot(uint64_t size) = 0;
  // The RFC 9162 inclusion proof of the event at `position` in the tree of
  // `size` events (1 <= position <= size <= the head): with the event's leaf
  // (merkle::EventLeaf of its hash) it recomputes TreeRoot(size).
  virtual Result<std::vector<Hash>> InclusionProof(uint64_t position, uint64_t size) = 0;
  // The RFC 9162 consistency proof that the tree of `new_size` events
  // extends the tree of `old_size` (old_size <= new_size <= the head).
  virtual Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size) = 0;

  // Recomputes the hash chain over from..to (to = 0: the head) and reports the
  // first position whose hash or link is wrong. progress(pos) is called now and then.
  // Over the whole log (from 1 to the head) it also checks every table file's
  // block checksums (and whole-file checksums where recorded), that
  // stream_index, stream_heads and commands agree exactly with the events, and
  // that every node of the Merkle tree is the one the events imply (when the
  // store keeps the tree), and names the first bad key. Reads one consistent snapshot, so it may run
  // beside appends; memory grows with the number of streams, not of events.
  virtual Result<VerifyReport> Verify(uint64_t from_position = 1, uint64_t to_position = 0,
                                      const std::function<void(uint64_t)>& progress = {}) = 0;

  // The start-up check: recomputes the hash chain from the last verified
  // position recorded in the store (meta "verified"; the whole log the first
  // time) to the head. When intact, durably records the head as the new
  // verified position, so the next call checks only what was appended since.
  // When damaged, records nothing and from then on every Append of this open
  // store fails with Status::Unavailable naming the position. progress(pos) is
  // called now and then. REQUIRES: opened for writing.
  virtual Result<VerifyReport> VerifyNewEvents(const std::function<void(uint64_t)>& progress = {}) = 0;

  // The outcome of the last VerifyNewEvents and the recorded verified position.
  virtual IntegrityState Integrity() = 0;

  // Delivers every event from `from_position` in order, then live events, with
  // no gap and no duplicate, on a thread of its own. `deliver` gets batches of
  // at most `batch_size` envelopes, and a batch ends at the first envelope that
  // brings its payload bytes to `batch_bytes` (so a batch is at most
  // batch_bytes plus one payload). The next batch is read from the store only
  // after `deliver` returns: a subscriber that waits in `deliver` holds one
  // batch, whatever the length of the log. A slow subscriber never blocks appends.
  virtual std::unique_ptr<Subscription> Subscribe(uint64_t from_position,
                                                  std::function<void(std::span<const Envelope>)> deliver,
                                                  size_t batch_size = 1024, size_t batch_bytes = SIZE_MAX) = 0;

  // Blocks until the head is at least `position` or `timeout_ms` passes;
  // returns the head then.
  virtual Head WaitForHead(uint64_t position, int timeout_ms) = 0;

  // A consistent copy of the store (RocksDB checkpoint) in `dir`, which must not exist.
  virtual Status Checkpoint(const std::string& dir) = 0;

  // Makes every append acknowledged so far durable (fsyncs the write-ahead
  // log). Needed only on a store opened with Options::sync = false; cheap on
  // one opened with sync. IoError when the disk refused; Invalid when read-only.
  virtual Status Sync() = 0;

  virtual WriterStats Stats() = 0;
  // Lives as long as the store.
  virtual const WriteHistograms& Histograms() const = 0;

  virtual MemoryUsage Memory() const = 0;
};

// A running catch-up subscription. Destroying it (or Stop()) stops delivery
// and joins its thread. Thread-safe. Destroying the store ends delivery too;
// the database directory stays locked until its last subscription is gone.
class Subscription {
 public:
  virtual ~Subscription() = default;
  virtual void Stop() = 0;
  // Last position delivered so far (0 before the first).
  virtual uint64_t position() const = 0;
};

}  // namespace ledger::es
