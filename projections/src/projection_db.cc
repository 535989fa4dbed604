#include "ledger/projections/projection_db.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include <array>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>

#include "ledger/base/hex.h"
#include "ledger/base/sha256.h"
#include "ledger/core/codec.h"
#include "ledger/projections/keys.h"
#include "projection.h"
#include "row_codec.h"
#include "writer.h"

namespace ledger::projections {

using internal::Projection;

namespace {

// Batches this long or longer are applied on two threads, one per lane.
constexpr size_t kParallelFrom = 256;

// An envelope of the batch, decoded once for every projection that needs it.
struct Decoded {
  const es::Envelope* envelope;
  std::optional<core::Outcome<core::Event>> outcome;
  const core::Event* event() const { return outcome && outcome->ok() ? &outcome->value() : nullptr; }
};

es::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return es::Status::Ok();
  if (s.IsCorruption()) return es::Status::Corruption(std::string(what) + ": " + s.ToString());
  return es::Status::IoError(std::string(what) + ": " + s.ToString());
}

std::string EncodePosition(uint64_t position) {
  std::string out;
  internal::AppendBE64(&out, position);
  return out;
}

}  // namespace

class ProjectionDb::Impl {
 public:
  std::unique_ptr<rocksdb::DB> db;
  ProjectionDbOptions options;
  std::string dir;
  std::vector<std::unique_ptr<Projection>> projections;
  std::array<std::atomic<uint64_t>, internal::kProjectionCount> checkpoints{};
  // The projections are applied in two lanes, each with its own writer (its
  // cache and its batch), so that a long batch of the log is applied on two
  // cores. A lane's batch holds its projections' rows and their checkpoints,
  // so each projection's rows still reach the database with its checkpoint.
  // Lanes are balanced by measured cost: claims and directory; audit,
  // timeline and states. Empty lanes' writers for a read-only database.
  struct Lane {
    std::vector<size_t> projections;  // indexes into `projections`
    std::unique_ptr<internal::Writer> writer;
  };
  std::array<Lane, 2> lanes;
  std::atomic<uint64_t> undecodable{0};
  // Held exclusively while a batch is written and its checkpoints published
  // (the atomics above), shared while a reader takes a snapshot and reads
  // them: a snapshot's position is then known without reading the database.
  mutable std::shared_mutex publish_mu;
  // RecallTimeAt's one remembered position and its time.
  mutable std::mutex time_mu;
  mutable std::optional<std::pair<uint64_t, core::Timestamp>> time_at;

  bool writable() const { return lanes[0].writer != nullptr; }
  void ForgetAll() {
    for (auto& p : projections) p->Forget();
  }

  // Applies `batch` to the lane's projections and writes the lane's batch.
  es::Status ApplyLane(size_t lane_index, std::span<const Decoded> batch) {
    Lane& lane = lanes[lane_index];
    internal::Writer& w = *lane.writer;
    // RocksDB's per-thread perf counters, on by default, cost a thread-local
    // lookup in every memtable comparison; no one reads them here.
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
    std::array<uint64_t, internal::kProjectionCount> next{};
    bool changed = false;
    for (size_t i : lane.projections) {
      next[i] = checkpoints[i].load();
      for (const Decoded& d : batch) {
        if (d.envelope->position != next[i] + 1) continue;
        projections[i]->Apply(*d.envelope, d.event(), w);
        next[i] = d.envelope->position;
      }
      if (next[i] == checkpoints[i].load()) continue;
      projections[i]->Finish(w);
      w.batch().Put(CheckpointKey(projections[i]->name()), EncodePosition(next[i]));
      changed = true;
    }
    if (!changed) return es::Status::Ok();
    std::unique_lock publish(publish_mu);
    rocksdb::Status s = w.Commit(options.sync);
    if (!s.ok()) {
      for (size_t i : lane.projections) projections[i]->Forget();
      return FromRocks(s, "write projections");
    }
    for (size_t i : lane.projections) checkpoints[i] = next[i];
    return es::Status::Ok();
  }

  int IndexOf(std::string_view name) const {
    for (size_t i = 0; i < projections.size(); ++i) {
      if (projections[i]->name() == name) return static_cast<int>(i);
    }
    return -1;
  }
  static std::string CheckpointKey(std::string_view name) { return std::string(keys::kCheckpointPrefix).append(name); }
};

namespace {

// The first key after every key starting with `prefix` (prefix ends in '|').
std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  end.back() = static_cast<char>(end.back() + 1);
  return end;
}

// A new database gets this version's format record. One written in another
// format is emptied when opened for writing: read models are derived from the
// log, so its rows are built again rather than misread.
es::Status CheckFormat(rocksdb::DB& db, const std::string& dir, bool read_only) {
  std::string format;
  rocksdb::Status s = db.Get(rocksdb::ReadOptions(), keys::kFormatKey, &format);
  if (s.IsNotFound() && read_only) return es::Status::NotFound("projection database " + dir + " has no format record");
  if (s.IsNotFound())
    return FromRocks(db.Put(rocksdb::WriteOptions(), keys::kFormatKey, keys::kFormatVersion), "write format");
  if (!s.ok()) return FromRocks(s, "read format");
  if (format == keys::kFormatVersion) return es::Status::Ok();
  if (read_only) {
    return es::Status::Corruption("projection database format " + format + " is not this version's (" +
                                  std::string(keys::kFormatVersion) + "): rebuild it with `ledger rebuild`");
  }
  rocksdb::WriteBatch clear;
  s = clear.DeleteRange(std::string(), std::string(1, '\xff'));
  if (s.ok()) s = clear.Put(keys::kFormatKey, keys::kFormatVersion);
  if (s.ok()) s = db.Write(rocksdb::WriteOptions(), &clear);
  return FromRocks(s, "clear a projection database of format " + format);
}

}  // namespace

ProjectionDb::ProjectionDb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ProjectionDb::~ProjectionDb() = default;

es::Result<std::unique_ptr<ProjectionDb>> ProjectionDb::Open(const std::string& dir,
                                                             const ProjectionDbOptions& options) {
  return OpenImpl(dir, options, /*read_only=*/false);
}

es::Result<std::unique_ptr<ProjectionDb>> ProjectionDb::OpenReadOnly(const std::string& dir) {
  return OpenImpl(dir, {}, /*read_only=*/true);
}

es::Result<std::unique_ptr<ProjectionDb>> ProjectionDb::OpenImpl(const std::string& dir,
                                                                 const ProjectionDbOptions& options, bool read_only) {
  if (read_only && !std::filesystem::exists(std::filesystem::path(dir) / "CURRENT")) {
    return es::Status::NotFound("no projection database in " + dir);
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->dir = dir;
  rocksdb::Options db_options;
  db_options.create_if_missing = !read_only;
  db_options.write_buffer_size = 64 << 20;
  db_options.max_write_buffer_number = 3;
  db_options.compression = rocksdb::kLZ4Compression;
  // Most of the cost of applying events is inserting rows into the memtable's
  // skiplist. Without concurrent memtable writes the memtable keeps an insert
  // hint per table (the first 6 key bytes, "T|pos|", "A|user"...): rows keyed
  // by position arrive in order and land next to the previous one instead of
  // being searched for from the top. The two lanes' batches are then inserted
  // one after the other; with concurrent inserts and no hint a rebuild took
  // 25% longer. Only where rows are inserted changes, never which rows or
  // their bytes.
  db_options.allow_concurrent_memtable_write = false;
  db_options.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewCappedPrefixTransform(6));
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  db_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = read_only ? rocksdb::DB::OpenForReadOnly(db_options, dir, &raw)
                                : rocksdb::DB::Open(db_options, dir, &raw);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return es::Status::Busy("projection database " + dir + " is in use: " + s.ToString());
    }
    return FromRocks(s, "open projection database " + dir);
  }
  impl->db.reset(raw);

  if (es::Status checked = CheckFormat(*impl->db, dir, read_only); !checked.ok()) return checked;

  impl->projections.push_back(internal::MakeAuditProjection());
  impl->projections.push_back(internal::MakeClaimsProjection());
  impl->projections.push_back(internal::MakeDirectoryProjection());
  impl->projections.push_back(internal::MakeTimelineProjection());
  impl->projections.push_back(internal::MakeStatesProjection());
  impl->projections.push_back(internal::MakeNoticesProjection());
  for (size_t i = 0; i < impl->projections.size(); ++i) {
    std::string value;
    s = impl->db->Get(rocksdb::ReadOptions(), Impl::CheckpointKey(impl->projections[i]->name()), &value);
    if (s.ok() && value.size() == 8)
      impl->checkpoints[i] = internal::ReadBE64(value);
    else if (!s.ok() && !s.IsNotFound())
      return FromRocks(s, "read checkpoint");
  }
  impl->lanes[0].projections = {1, 2, 5};
  impl->lanes[1].projections = {0, 3, 4};
  if (!read_only) {
    for (Impl::Lane& lane : impl->lanes) {
      lane.writer = std::make_unique<internal::Writer>(impl->db.get(), options.cache_bytes / impl->lanes.size());
    }
  }
  std::unique_ptr<ProjectionDb> db(new ProjectionDb(std::move(impl)));
  if (!read_only) {
    if (es::Status discarded = db->DiscardInterruptedBulk(); !discarded.ok()) return discarded;
  }
  return db;
}

std::vector<std::string> ProjectionDb::ProjectionNames() {
  return {std::string(keys::kAuditProjection),     std::string(keys::kClaimsProjection),
          std::string(keys::kDirectoryProjection), std::string(keys::kTimelineProjection),
          std::string(keys::kStatesProjection),    std::string(keys::kNoticesProjection)};
}

std::optional<uint64_t> ProjectionDb::Checkpoint(std::string_view projection) const {
  int i = impl_->IndexOf(projection);
  if (i < 0) return std::nullopt;
  return impl_->checkpoints[i].load();
}

uint64_t ProjectionDb::Applied() const {
  uint64_t applied = UINT64_MAX;
  for (size_t i = 0; i < impl_->projections.size(); ++i) applied = std::min(applied, impl_->checkpoints[i].load());
  return applied;
}

es::Status ProjectionDb::Apply(std::span<const es::Envelope> envelopes) {
  if (!impl_->writable()) return es::Status::Invalid("the projection database is open read-only");
  const size_t n = impl_->projections.size();
  std::array<uint64_t, internal::kProjectionCount> next{};
  for (size_t i = 0; i < n; ++i) next[i] = impl_->checkpoints[i].load();
  std::vector<Decoded> batch;
  batch.reserve(envelopes.size());
  for (const es::Envelope& env : envelopes) {
    bool needed = false;
    for (size_t i = 0; i < n; ++i) {
      if (env.position > next[i] + 1) {
        return es::Status::Invalid("projection " + std::string(impl_->projections[i]->name()) + " is at " +
                                   std::to_string(next[i]) + " and cannot apply position " +
                                   std::to_string(env.position));
      }
      if (env.position == next[i] + 1) {
        needed = true;
        next[i] = env.position;
      }
    }
    if (!needed) continue;
    Decoded& d = batch.emplace_back(Decoded{&env, core::Decode(env.type, env.schema_version, env.payload)});
    if (!d.event()) impl_->undecodable.fetch_add(1);
  }
  if (batch.empty()) return es::Status::Ok();
  es::Status second;
  if (batch.size() < kParallelFrom) {  // a thread costs more than it saves on the live feed's few events
    second = impl_->ApplyLane(1, batch);
    es::Status first = impl_->ApplyLane(0, batch);
    return first.ok() ? second : first;
  }
  std::thread worker([&] { second = impl_->ApplyLane(1, batch); });
  es::Status first = impl_->ApplyLane(0, batch);
  worker.join();
  return first.ok() ? second : first;
}

es::Status ProjectionDb::Drop(std::string_view projection) {
  if (!impl_->writable()) return es::Status::Invalid("the projection database is open read-only");
  int i = impl_->IndexOf(projection);
  if (i < 0) return es::Status::NotFound("no projection named " + std::string(projection));
  std::string_view ns = impl_->projections[i]->key_namespace();
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.DeleteRange(std::string(ns), PrefixEnd(ns));
  if (s.ok()) s = batch.Put(Impl::CheckpointKey(projection), EncodePosition(0));
  std::unique_lock publish(impl_->publish_mu);
  if (s.ok()) s = impl_->db->Write(rocksdb::WriteOptions(), &batch);
  for (Impl::Lane& lane : impl_->lanes) lane.writer->Reset();
  impl_->ForgetAll();  // the writers' caches are gone for every projection
  if (!s.ok()) return FromRocks(s, "drop projection");
  impl_->checkpoints[i] = 0;
  return es::Status::Ok();
}

namespace {

// Where a rebuild writes its table files before they are ingested.
std::filesystem::path BulkDir(const std::string& dir) { return std::filesystem::path(dir) / "bulk"; }

}  // namespace

es::Status ProjectionDb::BeginBulk() {
  if (!impl_->writable()) return es::Status::Invalid("the projection database is open read-only");
  std::error_code ec;
  std::filesystem::remove_all(BulkDir(impl_->dir), ec);
  std::filesystem::create_directories(BulkDir(impl_->dir), ec);
  if (ec) return es::Status::IoError("cannot make " + BulkDir(impl_->dir).string() + ": " + ec.message());
  rocksdb::WriteOptions durable;
  durable.sync = true;
  rocksdb::Status s = impl_->db->Put(durable, keys::kBulkMarkerKey, "");
  if (!s.ok()) return FromRocks(s, "begin rebuild");
  for (Impl::Lane& lane : impl_->lanes) {
    lane.writer->StartBulk(std::make_unique<internal::BulkSink>(impl_->db.get(), BulkDir(impl_->dir).string(),
                                                                impl_->options.bulk_file_bytes));
  }
  return es::Status::Ok();
}

es::Status ProjectionDb::EndBulk() {
  if (!impl_->writable()) return es::Status::Invalid("the projection database is open read-only");
  rocksdb::Status s;
  for (Impl::Lane& lane : impl_->lanes) {
    rocksdb::Status finished = lane.writer->FinishBulk();
    if (s.ok()) s = finished;
  }
  if (!s.ok()) return FromRocks(s, "ingest rebuilt rows");
  // The rows and checkpoints still in the memtable are written without a
  // log: flushed first, the marker cannot be gone before them.
  s = impl_->db->Flush(rocksdb::FlushOptions());
  rocksdb::WriteOptions durable;
  durable.sync = true;
  if (s.ok()) s = impl_->db->Delete(durable, keys::kBulkMarkerKey);
  if (!s.ok()) return FromRocks(s, "end rebuild");
  std::error_code ec;
  std::filesystem::remove_all(BulkDir(impl_->dir), ec);
  return es::Status::Ok();
}

es::Status ProjectionDb::DiscardInterruptedBulk() {
  std::string value;
  rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), keys::kBulkMarkerKey, &value);
  if (s.IsNotFound()) return es::Status::Ok();
  if (!s.ok()) return FromRocks(s, "read the rebuild marker");
  for (const std::string& name : ProjectionNames()) {
    if (es::Status dropped = Drop(name); !dropped.ok()) return dropped;
  }
  rocksdb::WriteOptions durable;
  durable.sync = true;
  s = impl_->db->Delete(durable, keys::kBulkMarkerKey);
  if (!s.ok()) return FromRocks(s, "clear the rebuild marker");
  std::error_code ec;
  std::filesystem::remove_all(BulkDir(impl_->dir), ec);
  return es::Status::Ok();
}

es::Result<std::string> ProjectionDb::Checksum(std::string_view projection) const {
  int i = impl_->IndexOf(projection);
  if (i < 0) return es::Status::NotFound("no projection named " + std::string(projection));
  std::string_view ns = impl_->projections[i]->key_namespace();
  const rocksdb::Snapshot* snapshot = impl_->db->GetSnapshot();
  rocksdb::ReadOptions options;
  options.snapshot = snapshot;
  std::string end = PrefixEnd(ns);
  rocksdb::Slice upper(end);
  options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(options));
  base::Sha256Hasher sha;
  for (it->Seek(std::string(ns)); it->Valid(); it->Next()) {
    for (rocksdb::Slice part : {it->key(), it->value()}) {
      std::string length = EncodePosition(part.size());
      sha.Update(length);
      sha.Update(std::string_view(part.data(), part.size()));
    }
  }
  rocksdb::Status s = it->status();
  it.reset();
  impl_->db->ReleaseSnapshot(snapshot);
  if (!s.ok()) return FromRocks(s, "checksum");
  return base::ToHex(sha.Finish());
}

uint64_t ProjectionDb::undecodable_events() const { return impl_->undecodable.load(); }

rocksdb::DB* ProjectionDb::rocks() const { return impl_->db.get(); }

const rocksdb::Snapshot* ProjectionDb::SnapshotApplied(uint64_t* applied) const {
  std::shared_lock publish(impl_->publish_mu);
  *applied = Applied();
  return impl_->db->GetSnapshot();
}

std::optional<core::Timestamp> ProjectionDb::RecallTimeAt(uint64_t position) const {
  std::lock_guard lock(impl_->time_mu);
  if (impl_->time_at && impl_->time_at->first == position) return impl_->time_at->second;
  return std::nullopt;
}

void ProjectionDb::RememberTimeAt(uint64_t position, core::Timestamp at) const {
  std::lock_guard lock(impl_->time_mu);
  impl_->time_at.emplace(position, at);
}

es::MemoryUsage ProjectionDb::Memory() const {
  es::MemoryUsage out;
  rocksdb::DB* db = impl_->db.get();
  db->GetAggregatedIntProperty(rocksdb::DB::Properties::kCurSizeAllMemTables, &out.memtables);
  db->GetAggregatedIntProperty(rocksdb::DB::Properties::kBlockCacheUsage, &out.block_cache);
  db->GetAggregatedIntProperty(rocksdb::DB::Properties::kEstimateTableReadersMem, &out.table_readers);
  for (const Impl::Lane& lane : impl_->lanes) {
    if (lane.writer) out.caches += lane.writer->cache_bytes();
  }
  return out;
}

}  // namespace ledger::projections
