// Internal: consistent reads for queries. A ReadView pins a RocksDB snapshot
// and the position (and time) a query is answered at; versioned tables are
// read "as of" that position.
#pragma once

#include <rocksdb/db.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/projections/claim_views.h"
#include "ledger/projections/projection_db.h"
#include "writer.h"

namespace ledger::projections::internal {

class ReadView {
 public:
  // Pins a snapshot and resolves `as_of` against it.
  static es::Result<std::unique_ptr<ReadView>> Open(const ProjectionDb& db, const AsOf& as_of);
  ~ReadView();

  const Answered& answered() const { return answered_; }
  uint64_t position() const { return answered_.position; }
  rocksdb::DB* db() const { return db_; }
  const rocksdb::ReadOptions& options() const { return options_; }
  std::unique_ptr<rocksdb::Iterator> NewIterator(std::string_view prefix) const;

  std::optional<std::string> Get(const std::string& key) const;
  // The version of `logical` valid at position(); nullopt when none.
  std::optional<Versioned> GetAsOf(std::string_view table, std::string_view logical) const;
  // Visits, in logical-key order, the row of each logical key under
  // `prefix` valid at position(), starting after logical key `after` ("" =
  // from the start); visit returns false to stop.
  es::Status ScanAsOf(std::string_view table, std::string_view prefix, std::string_view after,
                      const std::function<bool(std::string_view logical, const Versioned&)>& visit) const;

  // A claim as of position(), with its valid_from/valid_to.
  std::optional<ClaimView> Claim(std::string_view claim_id) const;

 private:
  ReadView() = default;
  rocksdb::DB* db_ = nullptr;
  const rocksdb::Snapshot* snapshot_ = nullptr;
  rocksdb::ReadOptions options_;
  Answered answered_;
  uint64_t checkpoint_min_ = 0;  // position at or above which no history row can be valid
};

std::string PrefixEnd(std::string_view prefix);
es::Status FromRocks(const rocksdb::Status& s, std::string_view what);

}  // namespace ledger::projections::internal
