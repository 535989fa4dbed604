// Raw RocksDB access to a closed event store's directory (<data>/events) by
// its column families' names, for tests outside the event store that tamper
// with stored bytes to show that a check notices (docs/storage.md names the
// families). Every write is synced.
#pragma once

#include <doctest/doctest.h>
#include <rocksdb/db.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ledger::testing {

class RawStore {
 public:
  explicit RawStore(const std::string& events_dir) {
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : kFamilies) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(rocksdb::DBOptions(), events_dir, families, &handles_, &raw);
    REQUIRE_MESSAGE(s.ok(), s.ToString());
    db_.reset(raw);
  }
  ~RawStore() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  }
  RawStore(const RawStore&) = delete;
  RawStore& operator=(const RawStore&) = delete;

  std::string Get(std::string_view family, const std::string& key) {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Family(family), key, &value);
    REQUIRE_MESSAGE(s.ok(), s.ToString());
    return value;
  }
  void Put(std::string_view family, const std::string& key, const std::string& value) {
    rocksdb::WriteOptions write;
    write.sync = true;
    rocksdb::Status s = db_->Put(write, Family(family), key, value);
    REQUIRE_MESSAGE(s.ok(), s.ToString());
  }

 private:
  static constexpr std::array<const char*, 8> kFamilies = {"default",  "events", "stream_index", "stream_heads",
                                                           "commands", "meta",   "requests",     "merkle"};

  rocksdb::ColumnFamilyHandle* Family(std::string_view name) {
    for (size_t i = 0; i < kFamilies.size(); ++i) {
      if (name == kFamilies[i]) return handles_[i];
    }
    FAIL("no column family " << name);
    return nullptr;
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace ledger::testing
