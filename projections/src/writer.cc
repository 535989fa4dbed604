#include "writer.h"

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

void Writer::Append(const std::string& key, const std::string& value) { batch_.Put(key, value); }

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
        batch_.Put(HistoryKey(table, logical, prev.valid_from), EncodeVersioned(prev));
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
  return s;
}

void Writer::Reset() {
  batch_.Clear();
  cache_.Clear();
}

}  // namespace ledger::projections::internal
