#include "writer.h"

#include <rocksdb/sst_file_writer.h>

#include <algorithm>

#include "ledger/projections/keys.h"
#include "row_codec.h"

namespace ledger::projections::internal {

std::string EncodeVersioned(const Versioned& v) {
  std::string out;
  out.reserve(16 + v.row.size());
  AppendBE64(&out, v.valid_from);
  AppendBE64(&out, v.valid_to);
  out.append(v.row);
  return out;
}

bool DecodeVersioned(std::string_view value, Versioned* out) {
  if (value.size() < 16) return false;
  out->valid_from = ReadBE64(value);
  out->valid_to = ReadBE64(value.substr(8));
  out->row.assign(value.substr(16));
  return true;
}

std::string CurrentKey(std::string_view table, std::string_view logical) {
  std::string key;
  key.reserve(table.size() + 2 + logical.size());
  key.append(table).append(keys::kCurrent).append(logical);
  return key;
}

std::string HistoryKey(std::string_view table, std::string_view logical, uint64_t valid_from) {
  std::string key;
  key.reserve(table.size() + 2 + logical.size() + 8);
  key.append(table).append(keys::kHistory).append(logical);
  AppendBE64(&key, valid_from);
  return key;
}

std::string Logical(std::initializer_list<std::string_view> fields) {
  std::string out;
  for (std::string_view f : fields) out.append(f).push_back(keys::kSeparator);
  return out;
}

void Writer::Put(const std::string& key, std::string value) {
  batch_.Put(key, value);
  cache_.Put(key, std::move(value));
}

BulkSink::BulkSink(rocksdb::DB* db, std::string dir, uint64_t flush_bytes)
    : db_(db), dir_(std::move(dir)), flush_bytes_(flush_bytes) {}

void BulkSink::Add(std::string_view key, std::string_view value) {
  rows_.push_back(Row{arena_.size(), static_cast<uint32_t>(key.size()), static_cast<uint32_t>(value.size())});
  arena_.append(key).append(value);
  bytes_ += key.size() + value.size() + sizeof(Row);
}

rocksdb::Status BulkSink::Flush() {
  if (rows_.empty()) return rocksdb::Status::OK();
  auto key = [this](const Row& r) { return std::string_view(arena_.data() + r.offset, r.key_size); };
  std::stable_sort(rows_.begin(), rows_.end(), [&](const Row& a, const Row& b) { return key(a) < key(b); });
  const std::string path = dir_ + "/" + std::to_string(++files_) + ".sst";
  rocksdb::SstFileWriter file(rocksdb::EnvOptions(), db_->GetOptions());
  rocksdb::Status s = file.Open(path);
  for (size_t i = 0; s.ok() && i < rows_.size(); ++i) {
    // Of rows with the same key, the last added is the one kept, as in a batch.
    if (i + 1 < rows_.size() && key(rows_[i + 1]) == key(rows_[i])) continue;
    const Row& r = rows_[i];
    s = file.Put(rocksdb::Slice(arena_.data() + r.offset, r.key_size),
                 rocksdb::Slice(arena_.data() + r.offset + r.key_size, r.value_size));
  }
  if (s.ok()) s = file.Finish();
  if (s.ok()) {
    rocksdb::IngestExternalFileOptions ingest;
    ingest.move_files = true;  // the file becomes the database's own
    s = db_->IngestExternalFile({path}, ingest);
  }
  rows_.clear();
  arena_.clear();
  bytes_ = 0;
  return s;
}

void Writer::Append(const std::string& key, const std::string& value) {
  if (bulk_) {
    bulk_->Add(key, value);
  } else {
    batch_.Put(key, value);
  }
}

void Writer::StartBulk(std::unique_ptr<BulkSink> sink) { bulk_ = std::move(sink); }

rocksdb::Status Writer::FinishBulk() {
  if (!bulk_) return rocksdb::Status::OK();
  rocksdb::Status s = bulk_->Flush();
  bulk_.reset();
  return s;
}

void Writer::Delete(const std::string& key) {
  batch_.Delete(key);
  cache_.Put(key, std::nullopt);
}

std::optional<std::string> Writer::Get(const std::string& key) {
  if (const std::optional<std::string>* cached = cache_.Find(key)) return *cached;
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), key, &value);
  std::optional<std::string> found;
  if (s.ok()) found = std::move(value);
  cache_.Put(key, found);
  return found;
}

void Writer::PutVersioned(std::string_view table, std::string_view logical, std::string row, uint64_t position) {
  std::string current_key = CurrentKey(table, logical);
  if (std::optional<std::string> prev_value = Get(current_key)) {
    Versioned prev;
    if (DecodeVersioned(*prev_value, &prev)) {
      if (prev.row == row) return;
      if (prev.valid_from < position) {
        prev.valid_to = position;
        Append(HistoryKey(table, logical, prev.valid_from), EncodeVersioned(prev));
      }
    }
  }
  Put(current_key, EncodeVersioned(Versioned{position, 0, std::move(row)}));
}

std::optional<Versioned> Writer::GetCurrent(std::string_view table, std::string_view logical) {
  std::optional<std::string> value = Get(CurrentKey(table, logical));
  if (!value) return std::nullopt;
  Versioned v;
  if (!DecodeVersioned(*value, &v)) return std::nullopt;
  return v;
}

rocksdb::Status Writer::Commit(bool sync) {
  rocksdb::WriteOptions options;
  options.sync = sync;
  // Without sync the write-ahead log is skipped: rows and their checkpoint sit
  // in the same memtable and reach disk in the same flush, so a crash loses a
  // suffix of applied positions (re-applied from the log), never half a batch.
  options.disableWAL = !sync;
  rocksdb::Status s = db_->Write(options, &batch_);
  batch_.Clear();
  if (!s.ok() || cache_.OverLimit()) cache_.Clear();
  if (s.ok() && bulk_ && bulk_->Full()) s = bulk_->Flush();
  return s;
}

void Writer::Reset() {
  batch_.Clear();
  cache_.Clear();
}

}  // namespace ledger::projections::internal
