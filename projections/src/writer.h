// Internal: the one write path of the projections. Collects every row change
// of one Apply() in a WriteBatch and remembers recent rows in memory, so that
// a projection reads its own pending writes and rarely touches RocksDB.
// Not thread-safe: used by the single writer only.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/base/clearing_cache.h"

namespace ledger::projections::internal {

// A versioned row: valid for positions [valid_from, valid_to); valid_to 0 = current.
struct Versioned {
  uint64_t valid_from = 0;
  uint64_t valid_to = 0;
  std::string row;
  bool ValidAt(uint64_t position) const { return valid_from <= position && (valid_to == 0 || position < valid_to); }
};
std::string EncodeVersioned(const Versioned& v);
bool DecodeVersioned(std::string_view value, Versioned* out);

std::string CurrentKey(std::string_view table, std::string_view logical);
std::string HistoryKey(std::string_view table, std::string_view logical, uint64_t valid_from);

// Joins fields into a '|'-terminated logical key: "a|b|".
std::string Logical(std::initializer_list<std::string_view> fields);

// Rows that are only ever written (Writer::Append, and the history row a
// PutVersioned leaves), gathered during a rebuild instead of being inserted
// into the memtable one by one: sorted in memory and, every `flush_bytes`,
// written as one table file in `dir` and ingested whole. The rows of a later
// file overrule an earlier file's, as later writes do. Not thread-safe.
class BulkSink {
 public:
  BulkSink(rocksdb::DB* db, std::string dir, uint64_t flush_bytes);
  void Add(std::string_view key, std::string_view value);
  bool Full() const { return bytes_ >= flush_bytes_; }
  // Writes and ingests what was added since the last flush (nothing when empty).
  rocksdb::Status Flush();

 private:
  rocksdb::DB* db_;
  std::string dir_;
  uint64_t flush_bytes_;
  uint64_t bytes_ = 0;
  int files_ = 0;
  // The rows' bytes, key then value, one after another; rows_ locates them,
  // in the order added.
  struct Row {
    uint64_t offset;
    uint32_t key_size;
    uint32_t value_size;
  };
  std::string arena_;
  std::vector<Row> rows_;
};

class Writer {
 public:
  Writer(rocksdb::DB* db, uint64_t cache_bytes) : db_(db), cache_(cache_bytes) {}

  void Put(const std::string& key, std::string value);
  // A row the projections never read back (an audit entry, a timeline
  // mark): written, not kept in memory.
  void Append(const std::string& key, const std::string& value);
  void Delete(const std::string& key);
  // The pending or stored value; nullopt when absent.
  std::optional<std::string> Get(const std::string& key);

  // Makes `row` the current row of `logical` from `position` on; the row it
  // replaces is kept as history valid up to `position`. An identical row is
  // not a change and writes nothing.
  void PutVersioned(std::string_view table, std::string_view logical, std::string row, uint64_t position);
  std::optional<Versioned> GetCurrent(std::string_view table, std::string_view logical);

  rocksdb::WriteBatch& batch() { return batch_; }
  // The heap the rows kept in memory hold (any thread).
  uint64_t cache_bytes() const { return cache_.bytes(); }
  // Writes the batch; trims the cache when it has grown past its limit.
  rocksdb::Status Commit(bool sync);
  // Forgets everything pending and cached (after a failed write or a drop).
  void Reset();

  // From StartBulk to FinishBulk the rows only written go to `sink` (a
  // rebuild); FinishBulk ingests the last of them. The caller makes sure an
  // interrupted bulk is not mistaken for a complete one (ProjectionDb's marker).
  void StartBulk(std::unique_ptr<BulkSink> sink);
  rocksdb::Status FinishBulk();

 private:
  rocksdb::DB* db_;
  rocksdb::WriteBatch batch_;
  std::unique_ptr<BulkSink> bulk_;  // set during a rebuild
  // Rows as the pending batch leaves them (nullopt: deleted or absent); only
  // emptied between batches, since RocksDB has not seen the pending ones.
  base::ClearingCache<std::optional<std::string>> cache_;
};

}  // namespace ledger::projections::internal
