// RocksEventStore: the EventStore on RocksDB with group commit. One appending
// thread at a time holds the writer role and writes everything queued as one
// synced WriteBatch (a leader/follower queue, like RocksDB's own write groups:
// an uncontended append pays no thread hand-off). Reads go straight to
// StoreDb from the caller's thread.
#include "ledger/eventstore/event_store.h"

#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "command_record.h"
#include "envelope_codec.h"
#include "ledger/base/clearing_cache.h"
#include "rocksdb_options.h"
#include "storage_format.h"
#include "store_db.h"
#include "tree_store.h"
#include "validation.h"

namespace ledger::es {
namespace {

struct PendingAppend {
  const AppendRequest* request = nullptr;
  Hash digest{};
  Result<AppendResult> result = Status::IoError("append was not processed");
  bool in_group_write = false;  // its success depends on this group's WriteBatch
  bool done = false;
};

// What one group has staged so far, on top of the committed state.
struct GroupState {
  rocksdb::WriteBatch batch;
  std::unordered_map<std::string, uint64_t> versions;
  std::unordered_map<std::string, uint64_t> last_positions;
  std::unordered_map<std::string, CommandRecord> commands;
  Head head;
  merkle::Frontier frontier;  // the tree over `head`
  uint64_t events = 0;
  uint64_t commands_written = 0;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool IsLockError(const rocksdb::Status& s) {
  std::string text = s.ToString();
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return s.IsIOError() && text.find("lock") != std::string::npos;
}

class SubscriptionImpl final : public Subscription {
 public:
  SubscriptionImpl(std::shared_ptr<StoreDb> db, uint64_t from, std::function<void(std::span<const Envelope>)> deliver,
                   size_t batch_size, size_t batch_bytes)
      : db_(std::move(db)),
        deliver_(std::move(deliver)),
        batch_size_(std::max<size_t>(batch_size, 1)),
        batch_bytes_(std::max<size_t>(batch_bytes, 1)) {
    thread_ = std::thread([this, from] { Run(std::max<uint64_t>(from, 1)); });
  }
  ~SubscriptionImpl() override {
    Stop();
    if (thread_.joinable()) {
      if (thread_.get_id() == std::this_thread::get_id()) {
        thread_.detach();
      } else {
        thread_.join();
      }
    }
  }
  void Stop() override {
    stop_.store(true);
    db_->Wake();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }
  uint64_t position() const override { return position_.load(); }

 private:
  void Run(uint64_t next) {
    auto stopped = [this] { return stop_.load(); };
    std::vector<Envelope> batch;
    while (!stopped()) {
      Head head = db_->WaitForHead(next, std::chrono::steady_clock::now() + std::chrono::seconds(1), stopped);
      if (db_->closed()) break;  // the store was closed: nothing more will arrive
      if (stopped() || head.position < next) continue;
      uint64_t to = std::min<uint64_t>(head.position, next + batch_size_ - 1);
      batch.clear();
      size_t bytes = 0;
      Status s = db_->Scan(next, to, [&](const Envelope& e) {
        batch.push_back(e);
        bytes += e.payload.size();
        return bytes < batch_bytes_;
      });
      // A failed or short read is retried from the same position; nothing is skipped.
      if (!s.ok() || batch.empty() || batch.front().position != next) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      size_t dense = 1;
      while (dense < batch.size() && batch[dense].position == next + dense) ++dense;
      deliver_(std::span<const Envelope>(batch.data(), dense));
      next += dense;
      position_.store(next - 1);
    }
  }

  std::shared_ptr<StoreDb> db_;
  std::function<void(std::span<const Envelope>)> deliver_;
  size_t batch_size_;
  size_t batch_bytes_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> position_{0};
  std::thread thread_;
};

class RocksEventStore final : public EventStore {
 public:
  RocksEventStore(std::shared_ptr<StoreDb> db, const Options& options, merkle::Frontier frontier)
      : db_(std::move(db)),
        options_(options),
        clock_(options.clock ? options.clock : &SystemClock()),
        frontier_(std::move(frontier)),
        version_cache_(options.cache_bytes / 2),
        command_cache_(options.cache_bytes / 2) {}

  ~RocksEventStore() override {
    {
      // REQUIRES: no Append still running; waits out a group being written.
      std::unique_lock lock(queue_mu_);
      stopping_ = true;
      done_cv_.wait(lock, [&] { return !writer_active_ && queue_.empty(); });
    }
    db_->Close();
  }

  Result<AppendResult> Append(const AppendRequest& request) override {
    if (options_.read_only) return Status::Invalid("the store at " + db_->dir() + " is open read-only");
    if (Status refused = RefusedByVerification(); !refused.ok()) return refused;
    if (Status s = ValidateAppend(request, options_); !s.ok()) return s;
    const auto called = std::chrono::steady_clock::now();
    PendingAppend pending;
    pending.request = &request;
    {
      thread_local Sha256 sha;
      pending.digest = RequestDigest(request, sha);
    }
    std::unique_lock lock(queue_mu_);
    if (stopping_) return Status::Invalid("the store at " + db_->dir() + " is closing");
    queue_.push_back(&pending);
    while (!pending.done) {
      if (writer_active_) {
        done_cv_.wait(lock);
        continue;
      }
      // No group is being written: this caller writes everything queued,
      // its own append included, then wakes the callers it completed.
      writer_active_ = true;
      std::vector<PendingAppend*> group;
      group.swap(queue_);
      lock.unlock();
      CommitGroup(group);
      lock.lock();
      for (PendingAppend* p : group) p->done = true;
      writer_active_ = false;
      done_cv_.notify_all();
    }
    lock.unlock();
    histograms_.append_seconds.Observe(SecondsSince(called));
    return std::move(pending.result);
  }

  Result<uint64_t> StreamVersion(const std::string& stream_id) override { return db_->StreamVersion(stream_id); }

  Result<std::vector<Envelope>> ReadStream(const std::string& stream_id, uint64_t from_version,
                                           size_t max_count) override {
    return db_->ReadStream(stream_id, from_version, max_count);
  }

  Result<std::vector<Envelope>> ReadAll(uint64_t from_position, size_t max_count) override {
    return db_->ReadAll(from_position, max_count);
  }

  Status Scan(uint64_t from_position, uint64_t to_position,
              const std::function<bool(const Envelope&)>& visit) override {
    return db_->Scan(from_position, to_position, visit);
  }

  Result<std::optional<AppendResult>> FindCommand(const std::string& command_id) override {
    std::string value;
    rocksdb::Status s = db_->db()->Get(rocksdb::ReadOptions(), db_->cf(Cf::kCommands), command_id, &value);
    if (s.IsNotFound()) return std::optional<AppendResult>();
    if (!s.ok()) return FromRocks(s, "reading command " + command_id);
    std::optional<CommandRecord> record = DecodeCommandRecord(value);
    if (!record) return Status::Corruption("the record of command " + command_id + " is malformed");
    AppendResult result = record->result;
    result.duplicate = true;
    return std::optional<AppendResult>(std::move(result));
  }

  Status PutRequestRecord(const std::string& key, std::string_view value) override {
    if (options_.read_only) return Status::Invalid("the store at " + db_->dir() + " is open read-only");
    if (Status s = ValidateRequestKey(key); !s.ok()) return s;
    if (value.size() > format::kMaxRequestRecordBytes) {
      return Status::Invalid("the request record " + key + " is " + std::to_string(value.size()) +
                             " bytes; the limit is " + std::to_string(format::kMaxRequestRecordBytes));
    }
    rocksdb::WriteOptions write;
    write.sync = options_.sync;
    return FromRocks(db_->db()->Put(write, db_->cf(Cf::kRequests), key, value), "writing request record " + key);
  }

  Result<std::optional<std::string>> FindRequestRecord(const std::string& key) override {
    if (db_->cf(Cf::kRequests) == nullptr) return std::optional<std::string>();  // an older store, read-only
    std::string value;
    rocksdb::Status s = db_->db()->Get(rocksdb::ReadOptions(), db_->cf(Cf::kRequests), key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return FromRocks(s, "reading request record " + key);
    return std::optional<std::string>(std::move(value));
  }

  Head GetHead() override { return db_->head(); }

  Result<TreeHead> GetTreeHead() override { return db_->tree_head(); }

  Result<Hash> TreeRoot(uint64_t size) override { return TreeRootAt(*db_, db_->head(), size); }

  Result<std::vector<Hash>> InclusionProof(uint64_t position, uint64_t size) override {
    return TreeInclusionProof(*db_, db_->head(), position, size);
  }

  Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size) override {
    return TreeConsistencyProof(*db_, db_->head(), old_size, new_size);
  }

  Result<VerifyReport> Verify(uint64_t from_position, uint64_t to_position,
                              const std::function<void(uint64_t)>& progress) override {
    return db_->Verify(from_position, to_position, progress);
  }

  Result<VerifyReport> VerifyNewEvents(const std::function<void(uint64_t)>& progress) override {
    if (options_.read_only) return Status::Invalid("the store at " + db_->dir() + " is open read-only");
    auto verified = db_->VerifiedHead();
    if (!verified.ok()) return verified.status();
    auto report = db_->VerifyFrom(*verified, progress);
    if (!report.ok()) return report;
    if (report->ok && report->head.position >= verified->position) {
      if (Status s = db_->RecordVerified(report->head); !s.ok()) return s;
    }
    std::lock_guard lock(integrity_mu_);
    integrity_.checked = true;
    integrity_.ok = report->ok;
    integrity_.verified = report->ok ? report->head : *verified;
    integrity_.bad_position = report->ok ? 0 : report->first_bad_position;
    integrity_.problem = report->ok ? "" : report->problem;
    return report;
  }

  IntegrityState Integrity() override {
    std::lock_guard lock(integrity_mu_);
    if (!integrity_.checked) {
      if (auto verified = db_->VerifiedHead(); verified.ok()) integrity_.verified = *verified;
    }
    return integrity_;
  }

  std::unique_ptr<Subscription> Subscribe(uint64_t from_position,
                                          std::function<void(std::span<const Envelope>)> deliver, size_t batch_size,
                                          size_t batch_bytes) override {
    return std::make_unique<SubscriptionImpl>(db_, from_position, std::move(deliver), batch_size, batch_bytes);
  }

  Head WaitForHead(uint64_t position, int timeout_ms) override {
    return db_->WaitForHead(position, std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms), {});
  }

  Status Checkpoint(const std::string& dir) override {
    rocksdb::Checkpoint* raw = nullptr;
    rocksdb::Status s = rocksdb::Checkpoint::Create(db_->db(), &raw);
    if (!s.ok()) return FromRocks(s, "preparing a checkpoint");
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    return FromRocks(checkpoint->CreateCheckpoint(dir), "writing a checkpoint to " + dir);
  }

  Status Sync() override {
    if (options_.read_only) return Status::Invalid("the store at " + db_->dir() + " is open read-only");
    return FromRocks(db_->db()->FlushWAL(/*sync=*/true), "syncing the write-ahead log");
  }

  WriterStats Stats() override {
    WriterStats out;
    out.appends = appends_.load();
    out.events = events_.load();
    out.batches = batches_.load();
    out.max_batch_commands = max_batch_commands_.load();
    return out;
  }

  const WriteHistograms& Histograms() const override { return histograms_; }

  MemoryUsage Memory() const override {
    MemoryUsage out;
    rocksdb::DB* db = db_->db();
    db->GetAggregatedIntProperty(rocksdb::DB::Properties::kCurSizeAllMemTables, &out.memtables);
    // Every column family shares one block cache: read it through one. Summed
    // over the families (GetAggregatedIntProperty) RocksDB 7 counts it once
    // per family (facebook/rocksdb#12687, fixed in 9.x).
    db->GetIntProperty(rocksdb::DB::Properties::kBlockCacheUsage, &out.block_cache);
    db->GetAggregatedIntProperty(rocksdb::DB::Properties::kEstimateTableReadersMem, &out.table_readers);
    out.caches = version_cache_.bytes() + command_cache_.bytes();
    return out;
  }

 private:
  // Unavailable once VerifyNewEvents found damage: nothing is appended on top
  // of a log that failed its check.
  Status RefusedByVerification() {
    std::lock_guard lock(integrity_mu_);
    if (integrity_.ok) return Status::Ok();
    return Status::Unavailable("the event log failed verification at position " +
                               std::to_string(integrity_.bad_position) +
                               ", so no change is accepted until an operator runs `ledger verify` and restores "
                               "from a backup taken before the damage");
  }

  // Checks and stages every command of the group, writes one synced batch,
  // then publishes the new head. Commands that fail their checks stage nothing.
  void CommitGroup(const std::vector<PendingAppend*>& group) {
    if (Status writable = CheckWritable(); !writable.ok()) {
      for (PendingAppend* p : group) p->result = writable;
      return;
    }
    GroupState g;
    g.head = db_->head();
    g.frontier = frontier_;
    for (PendingAppend* p : group) p->result = Stage(*p, g);
    if (g.commands_written > 0) {
      std::string head_value;
      format::PutU64(&head_value, g.head.position);
      head_value.append(reinterpret_cast<const char*>(g.head.hash.data()), g.head.hash.size());
      g.batch.Put(db_->cf(Cf::kMeta), format::kMetaHeadKey, head_value);
      rocksdb::WriteOptions write;
      write.sync = options_.sync;
      const auto writing = std::chrono::steady_clock::now();
      rocksdb::Status s = db_->db()->Write(write, &g.batch);
      histograms_.write_seconds.Observe(SecondsSince(writing));
      if (!s.ok()) {
        // Nothing of this group is acknowledged, and nothing more is written
        // until the store is reopened (see CheckWritable).
        write_failure_ = s.ToString();
        Status failed = Status::IoError("the event store could not write to disk (" + write_failure_ +
                                        "): this command was not stored; restart the ledger once the disk is "
                                        "healthy, then retry it with the same Idempotency-Key");
        for (PendingAppend* p : group) {
          if (p->in_group_write && p->result.ok()) p->result = failed;
        }
        return;
      }
      ApplyToCaches(g);
      frontier_ = std::move(g.frontier);
      db_->PublishHead(g.head, options_.merkle_tree ? std::optional<Hash>(frontier_.Root()) : std::nullopt);
      batches_.fetch_add(1);
      histograms_.batch_commands.Observe(static_cast<double>(g.commands_written));
      events_.fetch_add(g.events);
      uint64_t prev_max = max_batch_commands_.load();
      while (prev_max < g.commands_written &&
             !max_batch_commands_.compare_exchange_weak(prev_max, g.commands_written)) {
      }
    }
    for (PendingAppend* p : group) {
      if (p->result.ok()) appends_.fetch_add(1);
    }
  }

  Result<AppendResult> Stage(PendingAppend& p, GroupState& g) {
    const AppendRequest& req = *p.request;
    if (auto it = g.commands.find(req.command_id); it != g.commands.end()) {
      p.in_group_write = true;
      return Duplicate(req, p.digest, it->second);
    }
    auto prior = LookupCommand(req.command_id);
    if (!prior.ok()) return prior.status();
    if (prior->has_value()) return Duplicate(req, p.digest, **prior);

    std::vector<uint64_t> current(req.streams.size());
    for (size_t i = 0; i < req.streams.size(); ++i) {
      const StreamAppend& stream = req.streams[i];
      auto version = CurrentVersion(stream.stream_id, g);
      if (!version.ok()) return version.status();
      current[i] = *version;
      if (!stream.expected.is_any() && stream.expected.exact() != current[i]) {
        return Status::Conflict("stream " + stream.stream_id + " is at version " + std::to_string(current[i]) +
                                ", expected " + std::to_string(stream.expected.exact()));
      }
    }
    CommandRecord record;
    record.digest = p.digest;
    record.result.request_tag = req.request_tag;
    record.result.first_position = g.head.position + 1;
    for (size_t i = 0; i < req.streams.size(); ++i) {
      record.result.stream_versions.push_back(StageStream(req, req.streams[i], current[i], g));
    }
    record.result.last_position = g.head.position;
    g.batch.Put(db_->cf(Cf::kCommands), req.command_id, EncodeCommandRecord(record));
    g.commands.emplace(req.command_id, record);
    ++g.commands_written;
    p.in_group_write = true;
    return record.result;
  }

  // Stages the events of one stream; returns the stream's new version.
  uint64_t StageStream(const AppendRequest& req, const StreamAppend& stream, uint64_t version, GroupState& g) {
    Envelope e;
    e.stream_id = stream.stream_id;
    e.actor_id = req.actor_id;
    e.command_id = req.command_id;
    e.correlation_id = req.correlation_id;
    e.recorded_at_us = clock_->NowMicros();
    for (const EventData& event : stream.events) {
      e.position = g.head.position + 1;
      e.stream_version = ++version;
      e.type = event.type;
      e.schema_version = event.schema_version;
      e.payload = event.payload;
      e.prev_hash = g.head.hash;
      e.hash = ComputeEnvelopeHash(ViewOf(e), e.prev_hash.data(), sha_, &scratch_);
      std::string key = format::PositionKey(e.position);
      g.batch.Put(db_->cf(Cf::kEvents), key, EncodeEnvelope(e));
      g.batch.Put(db_->cf(Cf::kStreamIndex), format::StreamIndexKey(e.stream_id, e.stream_version), key);
      if (options_.merkle_tree) StageLeaf(*db_, e.hash, &g.frontier, &g.batch);
      g.head = Head{e.position, e.hash};
      ++g.events;
    }
    std::string head_value;
    format::PutU64(&head_value, version);
    format::PutU64(&head_value, g.head.position);
    g.batch.Put(db_->cf(Cf::kStreamHeads), stream.stream_id, head_value);
    g.versions[stream.stream_id] = version;
    return version;
  }

  Result<AppendResult> Duplicate(const AppendRequest& req, const Hash& digest, const CommandRecord& record) {
    const std::string& tag = record.result.request_tag;
    if (record.digest != digest || (!tag.empty() && !req.request_tag.empty() && tag != req.request_tag)) {
      return Status::IdempotencyMismatch("command id " + req.command_id +
                                         " was already used for a command with different content");
    }
    AppendResult result = record.result;
    result.duplicate = true;
    return result;
  }

  // The committed record of a command id, from the cache or RocksDB.
  Result<std::optional<CommandRecord>> LookupCommand(const std::string& command_id) {
    if (const CommandRecord* cached = command_cache_.Find(command_id)) return std::optional<CommandRecord>(*cached);
    std::string value;
    rocksdb::Status s = db_->db()->Get(rocksdb::ReadOptions(), db_->cf(Cf::kCommands), command_id, &value);
    if (s.IsNotFound()) return std::optional<CommandRecord>();
    if (!s.ok()) return FromRocks(s, "reading command " + command_id);
    std::optional<CommandRecord> record = DecodeCommandRecord(value);
    if (!record) return Status::Corruption("the record of command " + command_id + " is malformed");
    CacheCommand(command_id, *record);
    return record;
  }

  Result<uint64_t> CurrentVersion(const std::string& stream_id, const GroupState& g) {
    if (auto it = g.versions.find(stream_id); it != g.versions.end()) return it->second;
    if (const uint64_t* cached = version_cache_.Find(stream_id)) return *cached;
    auto version = db_->StreamVersion(stream_id);
    if (version.ok()) CacheVersion(stream_id, *version);
    return version;
  }

  void CacheVersion(const std::string& stream_id, uint64_t version) {
    if (version_cache_.OverLimit()) version_cache_.Clear();
    version_cache_.Put(stream_id, version);
  }

  void CacheCommand(const std::string& command_id, const CommandRecord& record) {
    if (command_cache_.OverLimit()) command_cache_.Clear();
    command_cache_.Put(command_id, record);
  }

  // Before a group is written: refuses it when an earlier write failed (the
  // store stops writing until it is reopened: RocksDB cannot safely go on
  // after a failed log write, whose batch may or may not have reached the
  // disk) or when the disk is nearly full (writing resumes by itself once
  // there is room again). Writer role only.
  Status CheckWritable() {
    if (!write_failure_.empty()) {
      return Status::IoError("the event store stopped writing after a disk error (" + write_failure_ +
                             "): this command was not stored; restart the ledger once the disk is healthy");
    }
    if (options_.min_free_bytes == 0) return Status::Ok();
    uint64_t free = 0;
    rocksdb::Status s = db_->db()->GetEnv()->GetFreeSpace(db_->dir(), &free);
    if (s.ok() && free < options_.min_free_bytes) {
      return Status::IoError("the disk holding the event store has " + std::to_string(free >> 20) +
                             " MiB free, below the " + std::to_string(options_.min_free_bytes >> 20) +
                             " MiB it keeps in reserve: this command was not stored; free some space and retry");
    }
    return Status::Ok();
  }

  void ApplyToCaches(const GroupState& g) {
    for (const auto& [stream, version] : g.versions) CacheVersion(stream, version);
    for (const auto& [command, record] : g.commands) CacheCommand(command, record);
  }

  std::shared_ptr<StoreDb> db_;
  const Options options_;
  const Clock* clock_;

  // Group commit. Appends queue under queue_mu_; whenever no group is being
  // written, one waiting caller takes the writer role (writer_active_), writes
  // the whole queue as one synced batch and completes every caller in it.
  // Only one thread holds the role at a time, so the state below needs no lock.
  std::mutex queue_mu_;
  std::condition_variable done_cv_;  // callers wait for their group or the role
  std::vector<PendingAppend*> queue_;
  bool writer_active_ = false;
  bool stopping_ = false;
  std::string write_failure_;  // writer role only: why a batch write failed (empty: none did)

  // Writer role only.
  Sha256 sha_;
  std::string scratch_;
  merkle::Frontier frontier_;  // the Merkle tree over the committed head
  // Committed stream versions and command records: each dropped wholesale
  // past half of Options::cache_bytes and reloaded lazily from RocksDB (they
  // only save reads). Their sizes are read by Memory() on another thread.
  base::ClearingCache<uint64_t> version_cache_;
  base::ClearingCache<CommandRecord> command_cache_;

  std::atomic<uint64_t> appends_{0}, events_{0}, batches_{0}, max_batch_commands_{0};
  WriteHistograms histograms_;

  std::mutex integrity_mu_;
  IntegrityState integrity_;  // what VerifyNewEvents found
};

// A read-only open cannot create column families: a store written before
// "requests" or "merkle" existed is opened without them (*present says which
// were kept).
std::vector<rocksdb::ColumnFamilyDescriptor> ExistingFamilies(const rocksdb::Options& options, const std::string& dir,
                                                              std::vector<rocksdb::ColumnFamilyDescriptor> families,
                                                              std::vector<bool>* present) {
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(options, dir, &names).ok()) return families;  // the open reports it
  std::vector<rocksdb::ColumnFamilyDescriptor> kept;
  for (size_t i = 0; i < families.size(); ++i) {
    bool found = std::find(names.begin(), names.end(), families[i].name) != names.end();
    // Only the families added after the first format may be missing.
    (*present)[i] = found || (families[i].name != format::kRequestsCf && families[i].name != format::kMerkleCf);
    if ((*present)[i]) kept.push_back(std::move(families[i]));
  }
  return kept;
}

Status OpenDb(const std::string& dir, const Options& options, rocksdb::DB** db,
              std::vector<rocksdb::ColumnFamilyHandle*>* handles) {
  rocksdb::Options db_options = StoreDbOptions();
  db_options.create_if_missing = options.create_if_missing && !options.read_only;
  if (options.env) db_options.env = options.env.get();
  db_options.max_total_wal_size = options.max_wal_bytes;
  auto families = StoreColumnFamilies(db_options);
  std::vector<bool> present(families.size(), true);
  if (options.read_only) families = ExistingFamilies(db_options, dir, std::move(families), &present);
  rocksdb::Status s = options.read_only ? rocksdb::DB::OpenForReadOnly(db_options, dir, families, handles, db)
                                        : rocksdb::DB::Open(db_options, dir, families, handles, db);
  if (s.ok()) {
    // One slot per family of storage_format.h, nullptr for one not found.
    for (size_t i = 0; i < present.size(); ++i) {
      if (!present[i]) handles->insert(handles->begin() + static_cast<std::ptrdiff_t>(i), nullptr);
    }
    return Status::Ok();
  }
  if (!options.read_only && IsLockError(s)) {
    return Status::Busy("the data directory " + dir +
                        " is in use by another ledger process (stop it, or open read-only)");
  }
  if (s.IsInvalidArgument() || s.IsPathNotFound() || (options.read_only && s.IsIOError())) {
    return Status::NotFound("no event store at " + dir + ": " + s.ToString());
  }
  return FromRocks(s, "opening the event store at " + dir);
}

// The head as stored (meta record, checked against the last event).
Status ReadStoredHead(StoreDb& db, Head* out) {
  std::string value;
  rocksdb::Status s = db.db()->Get(rocksdb::ReadOptions(), db.cf(Cf::kMeta), format::kMetaHeadKey, &value);
  Head head;
  if (s.ok()) {
    if (value.size() != format::kHeadValueSize) return Status::Corruption("the head record is malformed");
    head.position = format::GetU64(value.data());
    std::copy(value.begin() + 8, value.end(), head.hash.begin());
  } else if (!s.IsNotFound()) {
    return FromRocks(s, "reading the head");
  }
  std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(rocksdb::ReadOptions(), db.cf(Cf::kEvents)));
  it->SeekToLast();
  uint64_t last = it->Valid() && it->key().size() == 8 ? format::GetU64(it->key().data()) : 0;
  if (last != head.position) {
    return Status::Corruption("the head record says position " + std::to_string(head.position) +
                              " but the last stored event is " + std::to_string(last));
  }
  *out = head;
  return Status::Ok();
}

// Checks (or, for a new store, writes) the format version; reads the head.
Status LoadMeta(StoreDb& db, bool read_only, Head* head) {
  std::string value;
  rocksdb::Status s = db.db()->Get(rocksdb::ReadOptions(), db.cf(Cf::kMeta), format::kMetaFormatVersionKey, &value);
  if (s.IsNotFound()) {
    std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(rocksdb::ReadOptions(), db.cf(Cf::kEvents)));
    it->SeekToFirst();
    if (it->Valid()) return Status::Corruption("the store at " + db.dir() + " has events but no format version");
    if (read_only) return Status::Ok();
    std::string version;
    format::PutU32(&version, format::kFormatVersion);
    rocksdb::WriteOptions write;
    write.sync = true;
    return FromRocks(db.db()->Put(write, db.cf(Cf::kMeta), format::kMetaFormatVersionKey, version),
                     "writing the format version");
  }
  if (!s.ok()) return FromRocks(s, "reading the format version");
  if (value.size() != 4 || format::GetU32(value.data()) != format::kFormatVersion) {
    return Status::Invalid("the store at " + db.dir() + " has storage format version " +
                           (value.size() == 4 ? std::to_string(format::GetU32(value.data())) : "(malformed)") +
                           "; this build reads version " + std::to_string(format::kFormatVersion));
  }
  return ReadStoredHead(db, head);
}

}  // namespace

Result<std::unique_ptr<EventStore>> EventStore::Open(const std::string& dir, const Options& options) {
  rocksdb::DB* raw = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  if (Status s = OpenDb(dir, options, &raw, &handles); !s.ok()) return s;
  auto db = std::make_shared<StoreDb>(raw, std::move(handles), dir);
  db->KeepEnv(options.env);
  Head head;
  if (Status s = LoadMeta(*db, options.read_only, &head); !s.ok()) return s;
  std::string no_tree = "the store at " + dir + " was opened without its Merkle tree";
  merkle::Frontier frontier;
  bool has_tree = false;
  if (options.merkle_tree) {
    auto opened = OpenTree(*db, head, !options.read_only, options.rebuild_tree, &frontier, &no_tree);
    if (!opened.ok()) return opened.status();
    has_tree = *opened;
  } else if (!options.read_only) {
    if (Status s = ForgetTree(*db); !s.ok()) return s;
  }
  db->SetNoTreeReason(std::move(no_tree));
  db->PublishHead(head, has_tree ? std::optional<Hash>(frontier.Root()) : std::nullopt);
  return std::unique_ptr<EventStore>(std::make_unique<RocksEventStore>(std::move(db), options, std::move(frontier)));
}

}  // namespace ledger::es
