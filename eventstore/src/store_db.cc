#include "store_db.h"

#include <cstring>

#include "envelope_codec.h"
#include "rocksdb_options.h"
#include "storage_format.h"

namespace ledger::es {
namespace {

constexpr uint64_t kProgressEvery = 1 << 16;

struct VerifyState {
  VerifyReport report;
  uint64_t expected;
  Hash prev{};
  Sha256 sha;
  std::string scratch;
};

bool Fail(VerifyState& st, uint64_t position, std::string problem) {
  st.report.ok = false;
  st.report.first_bad_position = position;
  st.report.problem = std::move(problem);
  return false;
}

// Checks one stored event against the chain so far; false when it is wrong.
bool CheckOne(VerifyState& st, uint64_t key_position, std::string_view value) {
  if (key_position != st.expected) {
    return Fail(st, st.expected,
                "position " + std::to_string(st.expected) + " is missing (next stored is " +
                    std::to_string(key_position) + ")");
  }
  EnvelopeView view;
  if (Status s = DecodeEnvelopeView(value, &view); !s.ok()) return Fail(st, key_position, s.message());
  if (view.position != key_position) {
    return Fail(st, key_position, "envelope records position " + std::to_string(view.position));
  }
  if (std::memcmp(view.prev_hash, st.prev.data(), format::kHashSize) != 0) {
    return Fail(st, key_position, "link broken: prev_hash is not the hash of the previous position");
  }
  Hash computed = ComputeEnvelopeHash(view, st.prev.data(), st.sha, &st.scratch);
  if (std::memcmp(view.hash, computed.data(), format::kHashSize) != 0) {
    return Fail(st, key_position, "hash mismatch: recomputed " + HashToHex(computed));
  }
  st.prev = computed;
  ++st.expected;
  ++st.report.events_checked;
  return true;
}

}  // namespace

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::Ok();
  std::string msg = std::string(what) + ": " + s.ToString();
  if (s.IsCorruption()) return Status::Corruption(std::move(msg));
  if (s.IsNotFound()) return Status::NotFound(std::move(msg));
  return Status::IoError(std::move(msg));
}

StoreDb::StoreDb(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> handles, std::string dir)
    : db_(db), handles_(std::move(handles)), dir_(std::move(dir)) {}

StoreDb::~StoreDb() {
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  db_->Close().PermitUncheckedError();
  delete db_;
}

Head StoreDb::head() const {
  std::lock_guard lock(head_mu_);
  return head_;
}

void StoreDb::PublishHead(const Head& head) {
  {
    std::lock_guard lock(head_mu_);
    head_ = head;
  }
  head_cv_.notify_all();
}

void StoreDb::Close() {
  {
    std::lock_guard lock(head_mu_);
    closed_ = true;
  }
  head_cv_.notify_all();
}

void StoreDb::Wake() {
  { std::lock_guard lock(head_mu_); }
  head_cv_.notify_all();
}

Head StoreDb::WaitForHead(uint64_t position, std::chrono::steady_clock::time_point deadline,
                          const std::function<bool()>& stop) {
  std::unique_lock lock(head_mu_);
  head_cv_.wait_until(lock, deadline, [&] { return head_.position >= position || closed_ || (stop && stop()); });
  return head_;
}

Result<uint64_t> StoreDb::StreamVersion(const std::string& stream_id) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Cf::kStreamHeads), stream_id, &value);
  if (s.IsNotFound()) return uint64_t{0};
  if (!s.ok()) return FromRocks(s, "reading the head of stream " + stream_id);
  if (value.size() != format::kStreamHeadValueSize) {
    return Status::Corruption("stream head of " + stream_id + " has " + std::to_string(value.size()) + " bytes");
  }
  return format::GetU64(value.data());
}

Result<std::vector<Envelope>> StoreDb::ReadStream(const std::string& stream_id, uint64_t from_version,
                                                  size_t max_count) const {
  std::vector<std::string> keys;
  std::string end = format::StreamIndexEnd(stream_id);
  rocksdb::Slice upper(end);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, cf(Cf::kStreamIndex)));
  for (it->Seek(format::StreamIndexKey(stream_id, std::max<uint64_t>(from_version, 1)));
       it->Valid() && keys.size() < max_count; it->Next()) {
    if (it->value().size() != format::kPositionKeySize) {
      return Status::Corruption("stream index entry of " + stream_id + " is not a position");
    }
    keys.emplace_back(it->value().data(), it->value().size());
  }
  if (!it->status().ok()) return FromRocks(it->status(), "reading the index of stream " + stream_id);
  std::vector<Envelope> out(keys.size());
  std::string value;
  for (size_t i = 0; i < keys.size(); ++i) {
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Cf::kEvents), keys[i], &value);
    uint64_t position = format::GetU64(keys[i].data());
    if (!s.ok()) return FromRocks(s, "reading position " + std::to_string(position) + " of stream " + stream_id);
    if (Status d = DecodeEnvelope(value, &out[i]); !d.ok()) {
      return Status::Corruption("position " + std::to_string(position) + ": " + d.message());
    }
  }
  return out;
}

Status StoreDb::ScanStored(uint64_t from, uint64_t to,
                           const std::function<bool(uint64_t, std::string_view)>& visit) const {
  std::string upper_key = to == UINT64_MAX ? std::string() : format::PositionKey(to + 1);
  rocksdb::Slice upper(upper_key);
  rocksdb::ReadOptions read = ScanReadOptions();
  if (!upper_key.empty()) read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, cf(Cf::kEvents)));
  for (it->Seek(format::PositionKey(from)); it->Valid(); it->Next()) {
    rocksdb::Slice key = it->key();
    if (key.size() != format::kPositionKeySize) return Status::Corruption("events key is not 8 bytes");
    if (!visit(format::GetU64(key.data()), std::string_view(it->value().data(), it->value().size()))) break;
  }
  return FromRocks(it->status(), "scanning the event log");
}

Result<std::vector<Envelope>> StoreDb::ReadAll(uint64_t from_position, size_t max_count) const {
  std::vector<Envelope> out;
  if (max_count == 0) return out;
  Status decode_error;
  Status s = ScanStored(std::max<uint64_t>(from_position, 1), UINT64_MAX, [&](uint64_t pos, std::string_view v) {
    out.emplace_back();
    if (Status d = DecodeEnvelope(v, &out.back()); !d.ok()) {
      decode_error = Status::Corruption("position " + std::to_string(pos) + ": " + d.message());
      return false;
    }
    return out.size() < max_count;
  });
  if (!s.ok()) return s;
  if (!decode_error.ok()) return decode_error;
  return out;
}

Status StoreDb::Scan(uint64_t from_position, uint64_t to_position,
                     const std::function<bool(const Envelope&)>& visit) const {
  if (to_position == 0) to_position = head().position;
  if (to_position == 0) return Status::Ok();
  Status decode_error;
  Envelope e;
  Status s = ScanStored(std::max<uint64_t>(from_position, 1), to_position, [&](uint64_t pos, std::string_view v) {
    if (Status d = DecodeEnvelope(v, &e); !d.ok()) {
      decode_error = Status::Corruption("position " + std::to_string(pos) + ": " + d.message());
      return false;
    }
    return visit(e);
  });
  return s.ok() ? decode_error : s;
}

Status StoreDb::PreviousHash(uint64_t position, Hash* out) const {
  if (position <= 1) {
    *out = Hash{};
    return Status::Ok();
  }
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Cf::kEvents), format::PositionKey(position - 1), &value);
  if (!s.ok()) return FromRocks(s, "reading position " + std::to_string(position - 1));
  EnvelopeView view;
  if (Status d = DecodeEnvelopeView(value, &view); !d.ok()) return d;
  std::memcpy(out->data(), view.hash, format::kHashSize);
  return Status::Ok();
}

Result<VerifyReport> StoreDb::Verify(uint64_t from_position, uint64_t to_position,
                                     const std::function<void(uint64_t)>& progress) const {
  const Head published = head();
  const uint64_t from = std::max<uint64_t>(from_position, 1);
  const uint64_t to = to_position == 0 ? published.position : to_position;
  VerifyState st;
  st.expected = from;
  if (Status s = PreviousHash(from, &st.prev); !s.ok()) {
    Fail(st, from - 1, "cannot read the link into position " + std::to_string(from) + ": " + s.message());
    return st.report;
  }
  if (to >= from) {
    Status s = ScanStored(from, to, [&](uint64_t pos, std::string_view value) {
      if (!CheckOne(st, pos, value)) return false;
      if (progress && st.report.events_checked % kProgressEvery == 0) progress(pos);
      return true;
    });
    if (!s.ok()) return s;
    if (st.report.ok && st.expected <= to) {
      Fail(st, st.expected,
           "position " + std::to_string(st.expected) + " is missing (the log ends at " +
               std::to_string(st.expected - 1) + ")");
    }
  }
  if (st.report.ok && to == published.position && to >= from && st.prev != published.hash) {
    Fail(st, to, "the head hash in metadata differs from the recomputed chain");
  }
  st.report.head = Head{st.expected - 1, st.prev};
  if (progress) progress(st.expected - 1);
  return st.report;
}

}  // namespace ledger::es
