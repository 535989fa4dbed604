// The RocksDB options the store opens its database with. Shared with the
// benchmark so its raw-RocksDB baselines run with exactly the same settings.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <string>
#include <vector>

namespace ledger::es {

// Database and column-family options (one set for every column family).
rocksdb::Options StoreDbOptions();
// Read options for long forward scans (replay, verify, subscriptions).
rocksdb::ReadOptions ScanReadOptions();
// Descriptors of every column family of storage_format.h, "default" first.
std::vector<rocksdb::ColumnFamilyDescriptor> StoreColumnFamilies(const rocksdb::Options& options);

}  // namespace ledger::es
