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

 private:
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace ledger::es::testing
