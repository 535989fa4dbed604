#include "rocksdb_options.h"

#include <rocksdb/cache.h>
#include <rocksdb/file_checksum.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

#include "storage_format.h"

namespace ledger::es {

rocksdb::Options StoreDbOptions() {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.IncreaseParallelism(2);
  options.max_background_jobs = 2;
  // Point-in-time recovery: after a crash the log is replayed up to the last
  // intact record, so every synced batch survives and no batch is half-applied.
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  // A whole-file CRC32C of every new table file, recorded in the MANIFEST, so
  // Verify (DB::VerifyFileChecksums) sees a changed byte anywhere in a file.
  options.file_checksum_gen_factory = rocksdb::GetFileChecksumGenCrc32cFactory();
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(64 << 20);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

rocksdb::ReadOptions ScanReadOptions() {
  rocksdb::ReadOptions read;
  read.readahead_size = 2 << 20;
  read.fill_cache = false;
  return read;
}

std::vector<rocksdb::ColumnFamilyDescriptor> StoreColumnFamilies(const rocksdb::Options& options) {
  rocksdb::ColumnFamilyOptions cf(options);
  return {
      {rocksdb::kDefaultColumnFamilyName, cf},
      {format::kEventsCf, cf},
      {format::kStreamIndexCf, cf},
      {format::kStreamHeadsCf, cf},
      {format::kCommandsCf, cf},
      {format::kMetaCf, cf},
      {format::kRequestsCf, cf},
      {format::kMerkleCf, cf},
  };
}

}  // namespace ledger::es
