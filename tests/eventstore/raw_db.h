// Raw RocksDB access to a closed store's directory, with the store's own
// options and column families, for tests that tamper with stored bytes.
#pragma once

#include <doctest/doctest.h>
#include <rocksdb/db.h>

#include <memory>
#include <string>
#include <vector>

#include "rocksdb_options.h"
#include "store_db.h"

namespace ledger::es::testing {

class RawDb {
 public:
  explicit RawDb(const std::string& dir) {
    rocksdb::Options options = StoreDbOptions();
    rocksdb::DB* db = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(options, dir, StoreColumnFamilies(options), &handles_, &db);
    REQUIRE_MESSAGE(s.ok(), s.ToString());
    db_.reset(db);
  }
  ~RawDb() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  rocksdb::DB* db() { return db_.get(); }
  rocksdb::ColumnFamilyHandle* cf(Cf which) { return handles_[static_cast<size_t>(which)]; }

  std::string Get(Cf which, const std::string& key) {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(which), key, &value);
    REQUIRE_MESSAGE(s.ok(), s.ToString());
    return value;
  }
  void Put(Cf which, const std::string& key, const std::string& value) {
    rocksdb::WriteOptions write;
    write.sync = true;
    REQUIRE(db_->Put(write, cf(which), key, value).ok());
  }
  void Delete(Cf which, const std::string& key) {
    rocksdb::WriteOptions write;
    write.sync = true;
    REQUIRE(db_->Delete(write, cf(which), key).ok());
  }
  // Drops a column family with its data, as a store written before the
  // family existed lacks it.
  void DropFamily(Cf which) { REQUIRE(db_->DropColumnFamily(cf(which)).ok()); }
  // Writes every memtable to table files, so what is stored is in .sst files on disk.
  void FlushAll() {
    rocksdb::FlushOptions flush;
    flush.wait = true;
    REQUIRE(db_->Flush(flush, handles_).ok());
  }
  // The full paths of the live table files of one column family.
  std::vector<std::string> TableFiles(Cf which) {
    std::vector<rocksdb::LiveFileMetaData> files;
    db_->GetLiveFilesMetaData(&files);
    std::vector<std::string> out;
    for (const auto& f : files) {
      if (f.column_family_name == cf(which)->GetName()) out.push_back(f.directory + "/" + f.relative_filename);
    }
    return out;
  }

 private:
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace ledger::es::testing
