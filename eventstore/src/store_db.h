// StoreDb: the open RocksDB database behind an EventStore, its column
// families, the published head, and every read path (reads, scans, verify).
//
// Shared (std::shared_ptr) by the store and its subscriptions, so a
// subscription thread never outlives the database it reads. Thread-safe.
#pragma once

#include <rocksdb/db.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ledger/eventstore/event_store.h"

namespace ledger::es {

struct VerifyState;  // store_db.cc

enum class Cf { kDefault = 0, kEvents, kStreamIndex, kStreamHeads, kCommands, kMeta, kRequests, kMerkle };

class StoreDb {
 public:
  // Takes ownership of `db` and `handles` (in the order of StoreColumnFamilies();
  // nullptr for a family a read-only open did not find).
  StoreDb(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> handles, std::string dir);
  ~StoreDb();
  StoreDb(const StoreDb&) = delete;
  StoreDb& operator=(const StoreDb&) = delete;

  rocksdb::DB* db() const { return db_; }
  // nullptr only for kRequests and kMerkle on a read-only store written
  // before they existed.
  rocksdb::ColumnFamilyHandle* cf(Cf which) const { return handles_[static_cast<size_t>(which)]; }
  const std::string& dir() const { return dir_; }
  // Keeps the environment the database was opened with alive until it is closed.
  void KeepEnv(std::shared_ptr<rocksdb::Env> env) { env_ = std::move(env); }

  Head head() const;
  // Makes `head` visible to readers, with the root of the Merkle tree over it
  // (nullopt: the store keeps no tree), and wakes every waiter.
  void PublishHead(const Head& head, const std::optional<Hash>& tree_root);
  // Why the store keeps no tree (set at open, before the store is shared);
  // empty when it keeps one.
  void SetNoTreeReason(std::string why) { no_tree_reason_ = std::move(why); }
  // The head and its tree head, read together; Unavailable (with the reason)
  // when the store keeps no tree.
  Result<TreeHead> tree_head() const;
  // Wakes every waiter without changing the head; after Close() waits return at once.
  void Close();
  bool closed() const;
  void Wake();
  // Blocks until head.position >= position, `deadline` passes, `stop()` turns
  // true (checked whenever woken), or the store closes. Returns the head then.
  Head WaitForHead(uint64_t position, std::chrono::steady_clock::time_point deadline,
                   const std::function<bool()>& stop);

  Result<uint64_t> StreamVersion(const std::string& stream_id) const;
  Result<std::vector<Envelope>> ReadStream(const std::string& stream_id, uint64_t from_version, size_t max_count) const;
  Result<std::vector<Envelope>> ReadAll(uint64_t from_position, size_t max_count) const;
  // Positions from..to inclusive (to = 0: the head) in order; stops when visit returns false.
  Status Scan(uint64_t from_position, uint64_t to_position, const std::function<bool(const Envelope&)>& visit) const;
  // The stored hash of every event from..to inclusive, in order, decoding
  // nothing else; Corruption at a gap or an undecodable event.
  // Stops early, with Ok, when visit returns false.
  // The stored hash of the event at `position` (>= 1), by a point read.
  Status EventHash(uint64_t position, Hash* out) const;
  Status ScanHashes(uint64_t from_position, uint64_t to_position,
                    const std::function<bool(uint64_t, const Hash&)>& visit) const;
  // EventStore::Verify, as of one snapshot.
  Result<VerifyReport> Verify(uint64_t from_position, uint64_t to_position,
                              const std::function<void(uint64_t)>& progress) const;
  // The hash chain from verified.position + 1 to the head, linked to
  // verified.hash; also checks the event at verified.position still has that hash.
  Result<VerifyReport> VerifyFrom(const Head& verified, const std::function<void(uint64_t)>& progress) const;
  // meta/"verified" (position 0 when never recorded), and writing it (synced).
  Result<Head> VerifiedHead() const;
  Status RecordVerified(const Head& verified);

 private:
  // Iterates stored events with from <= position <= to (to = UINT64_MAX: all).
  // `at_most`: how many events the caller will take at most (it stops the
  // visit after them); a short read is made without the long scans' read-ahead.
  Status ScanStored(uint64_t from, uint64_t to, const std::function<bool(uint64_t, std::string_view)>& visit,
                    const rocksdb::Snapshot* snapshot = nullptr, uint64_t at_most = UINT64_MAX) const;
  // The stored hash of position - 1 (zeros for position 1).
  Status PreviousHash(uint64_t position, const rocksdb::Snapshot* snapshot, Hash* out) const;
  // A meta record laid out like meta/head; Head{} when absent.
  Result<Head> ReadHeadRecord(const char* key, const rocksdb::Snapshot* snapshot) const;
  Status CheckChain(VerifyState& st, uint64_t to, const rocksdb::Snapshot* snapshot,
                    const std::function<void(uint64_t)>& progress) const;

  rocksdb::DB* db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::string dir_;
  std::shared_ptr<rocksdb::Env> env_;  // released after the database is closed

  mutable std::mutex head_mu_;
  std::condition_variable head_cv_;
  Head head_;
  std::optional<Hash> tree_root_;  // of the tree over head_
  bool closed_ = false;
  std::string no_tree_reason_;
};

// "IoError: ..." style mapping of a RocksDB status; `what` says what failed.
Status FromRocks(const rocksdb::Status& s, std::string_view what);

}  // namespace ledger::es
