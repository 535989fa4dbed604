#include "store_db.h"

#include <cstring>
#include <deque>
#include <future>
#include <optional>

#include "consistency.h"
#include "envelope_codec.h"
#include "rocksdb_options.h"
#include "storage_format.h"
#include "tree_store.h"

namespace ledger::es {

struct VerifyState {
  VerifyReport report;
  uint64_t expected = 0;        // next position to stitch
  Hash prev{};                  // hash of position expected - 1
  IndexTally* tally = nullptr;  // fed every event that passes, for a whole-log verify
  TreeTally* tree = nullptr;    // likewise, when the store keeps the Merkle tree
};

namespace {

constexpr uint64_t kProgressEvery = 1 << 16;

// Scans of fewer events than this are read without ScanReadOptions' read-ahead.
constexpr uint64_t kReadAheadFromEvents = 64;

// Verify works on chunks of consecutive stored events. Each event carries its
// own prev_hash, so a chunk's hashes can be recomputed without the chunks
// before it; chunks are checked on worker threads while the iterator reads
// ahead, and stitched in order (gap and link at each chunk boundary).
constexpr size_t kVerifyChunkEvents = 4096;
constexpr size_t kVerifyChunksInFlight = 3;

struct VerifyChunk {
  // Stored values, each starting at a multiple of 8 so FlatBuffers reads
  // them in place (the string's heap storage is itself aligned).
  std::string bytes;
  std::vector<std::pair<uint64_t, size_t>> items;  // (position, begin offset in bytes)
  std::vector<size_t> sizes;
  bool collect_keys = false;  // also hand each event's keys to the IndexTally
  // Also hash the chunk's part of the Merkle tree (its first leaf is a
  // multiple of kVerifyChunkEvents, so its subtrees are the tree's own).
  bool hash_tree = false;

  void Add(uint64_t position, std::string_view value) {
    bytes.resize((bytes.size() + 7) & ~size_t{7});
    items.emplace_back(position, bytes.size());
    sizes.push_back(value.size());
    bytes.append(value);
  }
};

struct ChunkResult {
  uint64_t first_position = 0;
  uint64_t last_position = 0;  // of the events that passed
  bool first_decoded = false;
  Hash first_prev{};  // stored prev_hash of the first event
  Hash last_hash{};   // hash of the last event that passed
  uint64_t checked = 0;
  bool ok = true;
  uint64_t bad_position = 0;
  std::string problem;
  std::vector<EventKeys> keys;  // of the events that passed, when collect_keys
  // When hash_tree, over the events that passed: the stored-level nodes they
  // complete, in the order they complete, and the chunk's complete subtrees.
  std::vector<std::pair<merkle::NodeId, Hash>> tree_nodes;
  std::vector<std::pair<merkle::NodeId, Hash>> tree_peaks;
};

// The chunk's part of the tree, hashed as a tree of its own: node (level, i)
// of it is node (level, i + first_leaf / 2^level) of the log's.
class ChunkTree {
 public:
  explicit ChunkTree(uint64_t first_leaf) : first_leaf_(first_leaf) {}

  void Add(const Hash& event_hash, ChunkResult& r) {
    completed_.clear();
    frontier_.Add(merkle::EventLeaf(event_hash), &completed_);
    for (const auto& [id, hash] : completed_) {
      if (id.level >= format::kMerkleLowestStoredLevel) r.tree_nodes.emplace_back(Global(id), hash);
    }
  }
  void Finish(ChunkResult& r) const {
    for (const auto& [id, hash] : frontier_.Peaks()) r.tree_peaks.emplace_back(Global(id), hash);
  }

 private:
  merkle::NodeId Global(merkle::NodeId id) const { return {id.level, id.index + (first_leaf_ >> id.level)}; }

  uint64_t first_leaf_;
  merkle::Frontier frontier_;
  std::vector<std::pair<merkle::NodeId, Hash>> completed_;
};

void ChunkFail(ChunkResult& r, uint64_t position, std::string problem) {
  r.ok = false;
  r.bad_position = position;
  r.problem = std::move(problem);
}

// Checks one chunk on its own: density, decoding, positions, the links inside
// it, and every hash against the event's stored prev_hash.
ChunkResult CheckChunk(const VerifyChunk& chunk) {
  ChunkResult r;
  Sha256 sha;
  std::string scratch;
  base::AlignedCopy aligned;
  r.first_position = chunk.items.front().first;
  std::optional<ChunkTree> tree;
  if (chunk.hash_tree && (r.first_position - 1) % kVerifyChunkEvents == 0) tree.emplace(r.first_position - 1);
  uint64_t expected = r.first_position;
  for (size_t i = 0; i < chunk.items.size(); ++i) {
    const auto [position, begin] = chunk.items[i];
    std::string_view value(chunk.bytes.data() + begin, chunk.sizes[i]);
    if (position != expected) {
      ChunkFail(r, expected,
                "position " + std::to_string(expected) + " is missing (next stored is " + std::to_string(position) +
                    ")");
      break;
    }
    EnvelopeView view;
    if (Status s = DecodeEnvelopeView(value, &view, &aligned); !s.ok()) {
      ChunkFail(r, position, s.message());
      break;
    }
    if (view.position != position) {
      ChunkFail(r, position, "envelope records position " + std::to_string(view.position));
      break;
    }
    if (position == r.first_position) {
      r.first_decoded = true;
      std::memcpy(r.first_prev.data(), view.prev_hash, format::kHashSize);
    } else if (std::memcmp(view.prev_hash, r.last_hash.data(), format::kHashSize) != 0) {
      ChunkFail(r, position, "link broken: prev_hash is not the hash of the previous position");
      break;
    }
    Hash computed = ComputeEnvelopeHash(view, view.prev_hash, sha, &scratch);
    if (std::memcmp(view.hash, computed.data(), format::kHashSize) != 0) {
      ChunkFail(r, position, "hash mismatch: recomputed " + HashToHex(computed));
      break;
    }
    if (chunk.collect_keys) {
      r.keys.push_back(EventKeys{position, std::string(view.stream_id), view.stream_version,
                                 std::string(view.command_id), computed});
    }
    if (tree) tree->Add(computed, r);
    r.last_hash = computed;
    r.last_position = position;
    ++r.checked;
    ++expected;
  }
  if (tree) tree->Finish(r);
  return r;
}

bool FailAt(VerifyState& st, const Fault& fault) {
  st.report.ok = false;
  st.report.first_bad_position = fault.position;
  st.report.problem = fault.problem;
  st.report.column_family = fault.column_family;
  st.report.key = fault.key;
  return false;
}

// A fault of the chain at an events key.
bool Fail(VerifyState& st, uint64_t position, std::string problem) {
  return FailAt(st, Fault{position, format::kEventsCf, std::to_string(position), std::move(problem)});
}

// Joins a checked chunk onto the chain verified so far; false on the first fault.
bool Stitch(VerifyState& st, const ChunkResult& r) {
  if (!st.report.ok) return false;
  if (r.first_position != st.expected) {
    return Fail(st, st.expected,
                "position " + std::to_string(st.expected) + " is missing (next stored is " +
                    std::to_string(r.first_position) + ")");
  }
  if (r.first_decoded && r.first_prev != st.prev) {
    return Fail(st, r.first_position, "link broken: prev_hash is not the hash of the previous position");
  }
  st.report.events_checked += r.checked;
  if (r.checked > 0) {
    st.prev = r.last_hash;
    st.expected = r.last_position + 1;
  }
  // The tree's faults interleave with the index's by position, as if every
  // event were fed to both in turn.
  const bool tree_hashed = !r.tree_peaks.empty();
  auto node = r.tree_nodes.begin();
  for (const EventKeys& keys : r.keys) {
    if (st.tally != nullptr) {
      if (auto fault = st.tally->Add(keys)) return FailAt(st, *fault);
    }
    if (st.tree == nullptr) continue;
    if (!tree_hashed) {
      if (auto fault = st.tree->Add(keys)) return FailAt(st, *fault);
      continue;
    }
    for (; node != r.tree_nodes.end() && merkle::EndLeaf(node->first) == keys.position; ++node) {
      if (auto fault = st.tree->CheckNode(node->first, node->second)) return FailAt(st, *fault);
    }
  }
  if (st.tree != nullptr) {
    for (const auto& [id, hash] : r.tree_peaks) {
      if (auto fault = st.tree->AddSubtree(id, hash)) return FailAt(st, *fault);
    }
  }
  return r.ok ? true : Fail(st, r.bad_position, r.problem);
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
  for (auto* h : handles_) {
    if (h != nullptr) db_->DestroyColumnFamilyHandle(h);
  }
  db_->Close().PermitUncheckedError();
  delete db_;
}

Head StoreDb::head() const {
  std::lock_guard lock(head_mu_);
  return head_;
}

void StoreDb::PublishHead(const Head& head, const std::optional<Hash>& tree_root) {
  {
    std::lock_guard lock(head_mu_);
    head_ = head;
    tree_root_ = tree_root;
  }
  head_cv_.notify_all();
}

Result<TreeHead> StoreDb::tree_head() const {
  std::lock_guard lock(head_mu_);
  if (!tree_root_) return Status::Unavailable(no_tree_reason_);
  return TreeHead{head_.position, *tree_root_, head_.hash};
}

void StoreDb::Close() {
  {
    std::lock_guard lock(head_mu_);
    closed_ = true;
  }
  head_cv_.notify_all();
}

bool StoreDb::closed() const {
  std::lock_guard lock(head_mu_);
  return closed_;
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
  // The stream's events, in position order, in one batched lookup (RocksDB
  // MultiGet: each table block is read once for all the keys it holds).
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(rocksdb::ReadOptions(), cf(Cf::kEvents), keys.size(), slices.data(), values.data(), statuses.data(),
                /*sorted_input=*/true);
  std::vector<Envelope> out(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    uint64_t position = format::GetU64(keys[i].data());
    if (!statuses[i].ok()) {
      return FromRocks(statuses[i], "reading position " + std::to_string(position) + " of stream " + stream_id);
    }
    if (Status d = DecodeEnvelope(values[i].ToStringView(), &out[i]); !d.ok()) {
      return Status::Corruption("position " + std::to_string(position) + ": " + d.message());
    }
  }
  return out;
}

Status StoreDb::ScanStored(uint64_t from, uint64_t to, const std::function<bool(uint64_t, std::string_view)>& visit,
                           const rocksdb::Snapshot* snapshot, uint64_t at_most) const {
  std::string upper_key = to == UINT64_MAX ? std::string() : format::PositionKey(to + 1);
  rocksdb::Slice upper(upper_key);
  // A few events (one for an audit entry or a proof's event) would pay for
  // the scan's 2 MiB of read-ahead many times over.
  const uint64_t span = to < from ? 0 : to - from;
  rocksdb::ReadOptions read = std::min(span, at_most) < kReadAheadFromEvents ? rocksdb::ReadOptions()
                                                                             : ScanReadOptions();
  read.snapshot = snapshot;
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
  Status s = ScanStored(
      std::max<uint64_t>(from_position, 1), UINT64_MAX,
      [&](uint64_t pos, std::string_view v) {
        out.emplace_back();
        if (Status d = DecodeEnvelope(v, &out.back()); !d.ok()) {
          decode_error = Status::Corruption("position " + std::to_string(pos) + ": " + d.message());
          return false;
        }
        return out.size() < max_count;
      },
      /*snapshot=*/nullptr, max_count);
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

Status StoreDb::ScanHashes(uint64_t from_position, uint64_t to_position,
                           const std::function<bool(uint64_t, const Hash&)>& visit) const {
  if (to_position < from_position) return Status::Ok();
  Status decode_error;
  EnvelopeView view;
  base::AlignedCopy aligned;
  Hash hash;
  uint64_t expected = from_position;
  bool stopped = false;
  Status s = ScanStored(from_position, to_position, [&](uint64_t pos, std::string_view v) {
    if (pos != expected) {
      decode_error = Status::Corruption("position " + std::to_string(expected) + " is missing");
      return false;
    }
    if (Status d = DecodeEnvelopeView(v, &view, &aligned); !d.ok()) {
      decode_error = Status::Corruption("position " + std::to_string(pos) + ": " + d.message());
      return false;
    }
    std::memcpy(hash.data(), view.hash, format::kHashSize);
    ++expected;
    if (visit(pos, hash)) return true;
    stopped = true;
    return false;
  });
  if (!s.ok()) return s;
  if (!decode_error.ok()) return decode_error;
  if (!stopped && expected != to_position + 1) {
    return Status::Corruption("position " + std::to_string(expected) + " is missing");
  }
  return Status::Ok();
}

Status StoreDb::EventHash(uint64_t position, Hash* out) const { return PreviousHash(position + 1, nullptr, out); }

Status StoreDb::PreviousHash(uint64_t position, const rocksdb::Snapshot* snapshot, Hash* out) const {
  if (position <= 1) {
    *out = Hash{};
    return Status::Ok();
  }
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db_->Get(read, cf(Cf::kEvents), format::PositionKey(position - 1), &value);
  if (!s.ok()) return FromRocks(s, "reading position " + std::to_string(position - 1));
  EnvelopeView view;
  base::AlignedCopy aligned;
  if (Status d = DecodeEnvelopeView(std::string_view(value.data(), value.size()), &view, &aligned); !d.ok()) return d;
  std::memcpy(out->data(), view.hash, format::kHashSize);
  return Status::Ok();
}

Result<Head> StoreDb::ReadHeadRecord(const char* key, const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  std::string value;
  rocksdb::Status s = db_->Get(read, cf(Cf::kMeta), key, &value);
  if (s.IsNotFound()) return Head{};
  if (!s.ok()) return FromRocks(s, std::string("reading meta/") + key);
  if (value.size() != format::kHeadValueSize) return Status::Corruption(std::string("meta/") + key + " is malformed");
  Head head;
  head.position = format::GetU64(value.data());
  std::memcpy(head.hash.data(), value.data() + 8, format::kHashSize);
  return head;
}

Result<Head> StoreDb::VerifiedHead() const { return ReadHeadRecord(format::kMetaVerifiedKey, nullptr); }

Status StoreDb::RecordVerified(const Head& verified) {
  std::string value;
  format::PutU64(&value, verified.position);
  value.append(reinterpret_cast<const char*>(verified.hash.data()), verified.hash.size());
  rocksdb::WriteOptions write;
  write.sync = true;
  return FromRocks(db_->Put(write, cf(Cf::kMeta), format::kMetaVerifiedKey, value), "recording the verified head");
}

// Checks the chain from st.expected to `to` as of `snapshot`, chunk by chunk
// on worker threads; the first fault lands in st.report.
Status StoreDb::CheckChain(VerifyState& st, uint64_t to, const rocksdb::Snapshot* snapshot,
                           const std::function<void(uint64_t)>& progress) const {
  if (to < st.expected) return Status::Ok();
  const uint64_t from = st.expected;
  std::deque<std::future<ChunkResult>> in_flight;
  uint64_t last_progress = 0;
  auto stitch_oldest = [&] {
    bool ok = Stitch(st, in_flight.front().get());
    in_flight.pop_front();
    if (progress && st.report.events_checked - last_progress >= kProgressEvery) {
      last_progress = st.report.events_checked;
      progress(st.expected - 1);
    }
    return ok;
  };
  auto submit = [&](VerifyChunk&& chunk) {
    in_flight.push_back(std::async(std::launch::async, [c = std::move(chunk)] { return CheckChunk(c); }));
  };
  // Every chunk but the last holds kVerifyChunkEvents events, so from an
  // aligned start (position 1, where a verify of the tree starts) each
  // chunk's subtrees are the tree's own and a worker hashes them.
  const bool hash_tree = st.tree != nullptr && (from - 1) % kVerifyChunkEvents == 0;
  auto fresh_chunk = [&] {
    VerifyChunk chunk;
    chunk.collect_keys = st.tally != nullptr || st.tree != nullptr;
    chunk.hash_tree = hash_tree;
    return chunk;
  };
  VerifyChunk chunk = fresh_chunk();
  bool ok = true;
  Status s = ScanStored(
      from, to,
      [&](uint64_t pos, std::string_view value) {
        chunk.Add(pos, value);
        if (chunk.items.size() < kVerifyChunkEvents) return true;
        submit(std::move(chunk));
        chunk = fresh_chunk();
        while (ok && in_flight.size() > kVerifyChunksInFlight) ok = stitch_oldest();
        return ok;
      },
      snapshot);
  if (ok && !chunk.items.empty()) submit(std::move(chunk));
  while (!in_flight.empty()) stitch_oldest();
  if (!s.ok()) return s;
  if (st.report.ok && st.expected <= to) {
    Fail(st, st.expected,
         "position " + std::to_string(st.expected) + " is missing (the log ends at " + std::to_string(st.expected - 1) +
             ")");
  }
  return Status::Ok();
}

namespace {

// The chain's end must be the head recorded in meta/head.
void CheckHeadRecord(VerifyState& st, const Head& head) {
  if (st.report.ok && st.expected - 1 == head.position && st.prev != head.hash) {
    FailAt(st, Fault{head.position, format::kMetaCf, format::kMetaHeadKey,
                     "the head hash in metadata differs from the recomputed chain"});
  }
}

}  // namespace

Result<VerifyReport> StoreDb::Verify(uint64_t from_position, uint64_t to_position,
                                     const std::function<void(uint64_t)>& progress) const {
  rocksdb::ManagedSnapshot snapshot(db_);
  auto head = ReadHeadRecord(format::kMetaHeadKey, snapshot.snapshot());
  if (!head.ok()) return head.status();
  const uint64_t from = std::max<uint64_t>(from_position, 1);
  const uint64_t to = to_position == 0 ? head->position : to_position;
  const bool whole_log = from == 1 && to == head->position;
  VerifyState st;
  st.expected = from;
  std::optional<IndexTally> tally;
  std::optional<TreeTally> tree;
  if (whole_log) {
    if (auto fault = CheckTableFiles(db_)) FailAt(st, *fault);
    tally.emplace(*this, snapshot.snapshot());
    st.tally = &*tally;
    auto kept = TreeKept(*this, snapshot.snapshot());
    if (!kept.ok()) return kept.status();
    if (*kept) {
      tree.emplace(*this, snapshot.snapshot());
      st.tree = &*tree;
      st.report.tree_checked = true;
    }
  }
  if (st.report.ok) {
    if (Status s = PreviousHash(from, snapshot.snapshot(), &st.prev); !s.ok()) {
      Fail(st, from - 1, "cannot read the link into position " + std::to_string(from) + ": " + s.message());
    }
  }
  if (st.report.ok) {
    if (Status s = CheckChain(st, to, snapshot.snapshot(), progress); !s.ok()) return s;
  }
  if (st.report.ok && tally) {
    if (auto fault = tally->Finish()) FailAt(st, *fault);
  }
  if (st.report.ok && tree) {
    if (auto fault = tree->Finish()) FailAt(st, *fault);
  }
  if (to >= from) CheckHeadRecord(st, *head);
  st.report.head = Head{st.expected - 1, st.prev};
  if (progress) progress(st.expected - 1);
  return st.report;
}

Result<VerifyReport> StoreDb::VerifyFrom(const Head& verified, const std::function<void(uint64_t)>& progress) const {
  rocksdb::ManagedSnapshot snapshot(db_);
  auto head = ReadHeadRecord(format::kMetaHeadKey, snapshot.snapshot());
  if (!head.ok()) return head.status();
  VerifyState st;
  st.expected = verified.position + 1;
  st.prev = verified.hash;
  if (verified.position > head->position) {
    FailAt(st, Fault{head->position + 1, format::kMetaCf, format::kMetaVerifiedKey,
                     "the log ends at position " + std::to_string(head->position) + ", before position " +
                         std::to_string(verified.position) + " that was verified earlier: events were removed"});
  } else if (verified.position > 0) {
    Hash stored;
    Status s = PreviousHash(verified.position + 1, snapshot.snapshot(), &stored);
    if (!s.ok() || stored != verified.hash) {
      Fail(st, verified.position,
           s.ok() ? "the stored hash differs from the one verified earlier" : "cannot read it: " + s.message());
    }
  }
  if (st.report.ok) {
    if (Status s = CheckChain(st, head->position, snapshot.snapshot(), progress); !s.ok()) return s;
  }
  CheckHeadRecord(st, *head);
  st.report.head = Head{st.expected - 1, st.prev};
  if (progress) progress(st.expected - 1);
  return st.report;
}

}  // namespace ledger::es
