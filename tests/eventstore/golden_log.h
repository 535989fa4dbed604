// The golden log: a small store written once by format version 1 and kept
// under tests/fixtures/eventstore/golden/ so later versions prove they still
// read and verify it.
//
// Files there:
//   store.dump  every key and value of every column family except "default",
//               in the portable dump format below (independent of RocksDB's
//               own file format);
//   head.txt    "position <n>\nhash <64 hex>\n" as recorded when written.
//
// Dump format v1: the 26 bytes "ledger-eventstore-dump v1\n", then records
// until end of file, each: u8 column family name length | name |
// u32 BE key length | key | u32 BE value length | value.
#pragma once

#include <rocksdb/db.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "ledger/eventstore/event_store.h"
#include "rocksdb_options.h"
#include "storage_format.h"

namespace ledger::es::golden {

inline constexpr char kDumpMagic[] = "ledger-eventstore-dump v1\n";
inline constexpr int64_t kGoldenTimeMicros = 1'735'689'600'000'000;  // 2025-01-01T00:00:00Z

// The commands that built the golden log, in order. Never change them: the
// fixture was written from exactly these.
inline std::vector<AppendRequest> GoldenCommands() {
  std::vector<AppendRequest> out;
  for (int i = 0; i < 12; ++i) {
    AppendRequest r;
    r.command_id = "golden-" + std::to_string(i);
    r.actor_id = i % 3 == 0 ? "" : "user:" + std::to_string(i % 3);
    r.correlation_id = i % 4 == 0 ? "" : "corr-" + std::to_string(i / 4);
    StreamAppend main{"claim-" + std::to_string(i % 5), ExpectedVersion::Any(), {}};
    for (int e = 0; e <= i % 3; ++e) {
      std::string payload = "{\"i\":" + std::to_string(i) + ",\"e\":" + std::to_string(e) + "}";
      if (i == 7) payload = std::string("\0\x01\xff binary", 10);
      main.events.push_back(EventData{"Event" + std::to_string(e), static_cast<uint32_t>(1 + e), payload});
    }
    r.streams.push_back(main);
    if (i % 4 == 1) {
      r.streams.push_back(StreamAppend{"uniq:P" + std::to_string(i) + "/svc/2025-01",
                                       ExpectedVersion::NoStream(),
                                       {EventData{"Reserved", 1, r.command_id}}});
    }
    out.push_back(std::move(r));
  }
  return out;
}

inline void PutU32(std::string* out, uint32_t v) { format::PutU32(out, v); }

// Writes every column family of the (closed) store in `dir` to `dump_path`.
inline bool WriteDump(const std::string& dir, const std::string& dump_path, std::string* error) {
  rocksdb::Options options = StoreDbOptions();
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto families = StoreColumnFamilies(options);
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(options, dir, families, &handles, &raw);
  if (!s.ok()) {
    *error = s.ToString();
    return false;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string out = kDumpMagic;
  for (size_t i = 1; i < families.size(); ++i) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handles[i]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out.push_back(static_cast<char>(families[i].name.size()));
      out += families[i].name;
      PutU32(&out, static_cast<uint32_t>(it->key().size()));
      out.append(it->key().data(), it->key().size());
      PutU32(&out, static_cast<uint32_t>(it->value().size()));
      out.append(it->value().data(), it->value().size());
    }
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  std::ofstream file(dump_path, std::ios::binary | std::ios::trunc);
  file.write(out.data(), static_cast<std::streamsize>(out.size()));
  return file.good();
}

// Creates a store in `dir` holding exactly the records of `dump_path`.
inline bool LoadDump(const std::string& dump_path, const std::string& dir, std::string* error) {
  std::ifstream file(dump_path, std::ios::binary);
  std::string in((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const std::string magic = kDumpMagic;
  if (in.compare(0, magic.size(), magic) != 0) {
    *error = "not a dump: " + dump_path;
    return false;
  }
  rocksdb::Options options = StoreDbOptions();
  auto families = StoreColumnFamilies(options);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, families, &handles, &raw);
  if (!s.ok()) {
    *error = s.ToString();
    return false;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteBatch batch;
  size_t p = magic.size();
  auto take = [&](size_t n, std::string* field) {
    if (p + n > in.size()) return false;
    field->assign(in, p, n);
    p += n;
    return true;
  };
  bool ok = true;
  while (ok && p < in.size()) {
    std::string name, len, key, value;
    size_t name_len = static_cast<uint8_t>(in[p++]);
    ok = take(name_len, &name) && take(4, &len) && take(format::GetU32(len.data()), &key) && take(4, &len) &&
         take(format::GetU32(len.data()), &value);
    size_t index = 0;
    for (size_t i = 0; i < families.size(); ++i) {
      if (families[i].name == name) index = i;
    }
    if (!ok || index == 0) {
      *error = "malformed record in " + dump_path;
      ok = false;
      break;
    }
    batch.Put(handles[index], key, value);
  }
  if (ok) {
    rocksdb::WriteOptions write;
    write.sync = true;
    s = db->Write(write, &batch);
    if (!s.ok()) *error = s.ToString();
    ok = s.ok();
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  return ok;
}

}  // namespace ledger::es::golden
