// ProjectionDb: the read models' own RocksDB database, separate from the log.
//
// Holds four projections (claims, audit, directory, timeline; see keys.h and
// docs/projections.md). Each is a function of the event envelopes: Apply()
// feeds a batch of envelopes to every projection whose checkpoint is behind,
// writing all their rows and checkpoints in ONE atomic WriteBatch. Positions a
// projection has already applied are skipped, so replaying is harmless.
//
// Thread-safety: Apply, Drop and Close need one writer at a time (the Runner
// serializes them); every const method and every query may run concurrently
// with them (queries read a RocksDB snapshot).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/types.h"
#include "ledger/eventstore/envelope.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/eventstore/status.h"

namespace rocksdb {
class DB;
class Snapshot;
}  // namespace rocksdb

namespace ledger::projections {

// "As of" a log position or an event time; neither = everything applied so far.
struct AsOf {
  std::optional<uint64_t> position;
  std::optional<core::Timestamp> at;  // the last position whose event time <= at
  static AsOf Head() { return {}; }
  static AsOf Position(uint64_t p) { return {p, std::nullopt}; }
  static AsOf Time(core::Timestamp t) { return {std::nullopt, t}; }
  // Parses what the API's ?as_of= and the CLI's --as-of take: "" (the head),
  // "123" (a log position), "2026-11-15" (the end of that day, UTC) or
  // "2026-11-15T12:30:00Z" (RFC 3339 in UTC, a fraction allowed). nullopt when
  // malformed.
  static std::optional<AsOf> Parse(const std::string& text);
};

struct ProjectionDbOptions {
  // false: no write-ahead log and no fsync. Rows and checkpoints still reach
  // disk together (same memtable flush); a crash only loses a suffix of
  // applied positions, which the runner re-applies from the log.
  bool sync = false;
  // Memory for the rows the writer keeps between batches (the rows it reads
  // back most: claims, keys, directory entries); past it, the cache is
  // emptied after the batch and refilled from RocksDB.
  uint64_t cache_bytes = 128ull << 20;
  // During a rebuild (BeginBulk), each lane writes its rows that are only
  // ever written as a table file, and ingests it, every this many bytes.
  uint64_t bulk_file_bytes = 64ull << 20;
};

class ProjectionDb {
 public:
  // Opens or creates the database in `dir`. A database written in another
  // format (by another version of the ledger) is emptied: every projection
  // then starts from position 0 and is rebuilt from the log as it catches up.
  static es::Result<std::unique_ptr<ProjectionDb>> Open(const std::string& dir,
                                                        const ProjectionDbOptions& options = {});
  // Opens an existing database in `dir` for reading only, also while another
  // process (a running server) has it open for writing. It sees what that
  // writer has flushed to disk: with sync=false rows and checkpoints reach
  // disk together at memtable flushes, so the view is consistent at Applied(),
  // which may be behind the writer. Apply and Drop are refused. NotFound when
  // there is no database there.
  static es::Result<std::unique_ptr<ProjectionDb>> OpenReadOnly(const std::string& dir);
  ~ProjectionDb();
  ProjectionDb(const ProjectionDb&) = delete;
  ProjectionDb& operator=(const ProjectionDb&) = delete;

  // "audit", "claims", "directory", "timeline", "states".
  static std::vector<std::string> ProjectionNames();

  // Last position applied by one projection (0 = none); nullopt for an unknown name.
  std::optional<uint64_t> Checkpoint(std::string_view projection) const;
  // The position every projection has applied (the minimum of the checkpoints).
  uint64_t Applied() const;

  // Applies envelopes in ascending position order to every projection whose
  // checkpoint is below them, in one atomic write. REQUIRES: one writer at a time.
  es::Status Apply(std::span<const es::Envelope> envelopes);

  // Deletes a projection's rows and resets its checkpoint to 0 (one write).
  es::Status Drop(std::string_view projection);

  // Around a rebuild: between them, the rows that are only ever written
  // (audit entries, timeline marks, notices, superseded rows) are sorted in
  // memory and ingested as table files rather than inserted into the memtable
  // one by one; EndBulk ingests the last of them. A marker written (durably)
  // by BeginBulk and removed by EndBulk makes an open for writing that finds
  // it (the rebuild was interrupted) drop every projection, so none is ever
  // read back with some of its rows missing for good. REQUIRES: the writer's
  // thread, no Apply in between but the rebuild's.
  es::Status BeginBulk();
  es::Status EndBulk();

  // SHA-256 (lower-case hex) over every row of the projection in key order
  // (length-prefixed keys and values); the checkpoint is not included.
  es::Result<std::string> Checksum(std::string_view projection) const;

  // Events Apply could not decode (counted, skipped by the domain projections).
  uint64_t undecodable_events() const;

  // Memory RocksDB holds for the read models (memtables, block cache, table readers).
  es::MemoryUsage Memory() const;

  // For the query code in this module only.
  rocksdb::DB* rocks() const;
  // A snapshot of the database (release it with rocks()->ReleaseSnapshot) and,
  // in *applied, the position it has applied (its lowest checkpoint): taken
  // together, so that no batch is written between them. Costs no read.
  const rocksdb::Snapshot* SnapshotApplied(uint64_t* applied) const;
  // The time a read view last found for a position (the timeline's running
  // maximum there, fixed once the position is applied), so that the next
  // view of the same position needs no read for it; nullopt for another.
  std::optional<core::Timestamp> RecallTimeAt(uint64_t position) const;
  void RememberTimeAt(uint64_t position, core::Timestamp at) const;

 private:
  class Impl;
  explicit ProjectionDb(std::unique_ptr<Impl> impl);
  es::Status DiscardInterruptedBulk();  // at an open for writing: see BeginBulk
  static es::Result<std::unique_ptr<ProjectionDb>> OpenImpl(const std::string& dir, const ProjectionDbOptions& options,
                                                            bool read_only);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ledger::projections
