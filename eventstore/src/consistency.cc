#include "consistency.h"

#include <cstring>
#include <memory>

#include "command_record.h"
#include "envelope_codec.h"
#include "ledger/base/hex.h"
#include "rocksdb_options.h"
#include "storage_format.h"

namespace ledger::es {
namespace {

// A whole-log pass reads as of the verify's snapshot, with read-ahead and
// without filling the block cache (ScanReadOptions).
rocksdb::ReadOptions ScanAt(const rocksdb::Snapshot* snapshot) {
  rocksdb::ReadOptions read = ScanReadOptions();
  read.snapshot = snapshot;
  return read;
}

// SplitMix64's finalizer: a cheap, well-spread 64-bit mix.
uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Order-dependent fold of one stream's (version, position) pairs: the events
// pass and the stream_index pass must fold the same pairs in the same order.
uint64_t MixEntry(uint64_t mix, uint64_t version, uint64_t position) {
  return Mix64(mix ^ Mix64(version ^ Mix64(position)));
}

std::string IndexKeyText(const std::string& stream_id, uint64_t version) {
  return stream_id + " version " + std::to_string(version);
}

// "positions a..b": the events a node covers.
std::string Covered(merkle::NodeId id) {
  return "positions " + std::to_string(merkle::FirstLeaf(id) + 1) + ".." + std::to_string(merkle::EndLeaf(id));
}

std::string Versions(const std::vector<uint64_t>& versions) {
  std::string out = "[";
  for (size_t i = 0; i < versions.size(); ++i) out += (i ? "," : "") + std::to_string(versions[i]);
  return out + "]";
}

Fault MakeFault(uint64_t position, std::string family, std::string key, std::string problem) {
  return Fault{position, std::move(family), std::move(key), std::move(problem)};
}

// The table file a RocksDB checksum error names, with its column family.
Fault FileFault(rocksdb::DB* db, const rocksdb::Status& error) {
  std::vector<rocksdb::LiveFileMetaData> files;
  db->GetLiveFilesMetaData(&files);
  const std::string message = error.ToString();
  for (const rocksdb::LiveFileMetaData& file : files) {
    if (message.find("/" + file.relative_filename) == std::string::npos) continue;
    return MakeFault(0, file.column_family_name, file.relative_filename,
                     "column family " + file.column_family_name + ", table file " + file.relative_filename +
                         " fails its checksum: " + message);
  }
  return MakeFault(0, "", "", "a table file fails its checksum: " + message);
}

}  // namespace

std::optional<Fault> CheckTableFiles(rocksdb::DB* db) {
  rocksdb::ReadOptions read;
  read.fill_cache = false;
  rocksdb::Status s = db->VerifyChecksum(read);
  if (!s.ok()) return FileFault(db, s);
  s = db->VerifyFileChecksums(read);
  if (!s.ok() && !s.IsNotSupported()) return FileFault(db, s);
  return std::nullopt;
}

IndexTally::IndexTally(const StoreDb& db, const rocksdb::Snapshot* snapshot) : db_(db), snapshot_(snapshot) {}

rocksdb::ReadOptions IndexTally::Read() const { return ScanAt(snapshot_); }

std::optional<Fault> IndexTally::Add(const EventKeys& event) {
  StreamTally& stream = streams_[event.stream_id];
  if (event.stream_version != stream.version + 1) {
    return MakeFault(event.position, format::kEventsCf, std::to_string(event.position),
                     "events key " + std::to_string(event.position) + ": stream " + event.stream_id + " has version " +
                         std::to_string(event.stream_version) +
                         " here, but its previous event has "
                         "version " +
                         std::to_string(stream.version));
  }
  stream.version = event.stream_version;
  stream.last_position = event.position;
  stream.index_mix = MixEntry(stream.index_mix, event.stream_version, event.position);

  if (run_.first_position == 0 || event.command_id != run_.command_id) {
    if (run_.first_position != 0) {
      if (auto fault = FinishCommand()) return fault;
    }
    run_ = CommandRun{event.command_id, event.position, event.position, event.stream_id, {event.stream_version}};
    return std::nullopt;
  }
  if (event.stream_id != run_.stream_id) {
    run_.stream_id = event.stream_id;
    run_.stream_versions.push_back(event.stream_version);
  } else {
    run_.stream_versions.back() = event.stream_version;
  }
  run_.last_position = event.position;
  return std::nullopt;
}

std::optional<Fault> IndexTally::FinishCommand() {
  ++commands_;
  const std::string& id = run_.command_id;
  const std::string span = std::to_string(run_.first_position) + ".." + std::to_string(run_.last_position);
  std::string value;
  rocksdb::Status s = db_.db()->Get(Read(), db_.cf(Cf::kCommands), id, &value);
  if (s.IsNotFound()) {
    return MakeFault(run_.first_position, format::kCommandsCf, id,
                     "commands has no record of command " + id + ", whose events are at positions " + span);
  }
  if (!s.ok()) {
    return MakeFault(run_.first_position, format::kCommandsCf, id, "commands key " + id + ": " + s.ToString());
  }
  std::optional<CommandRecord> record = DecodeCommandRecord(value);
  if (!record) {
    return MakeFault(run_.first_position, format::kCommandsCf, id, "commands key " + id + ": malformed record");
  }
  const AppendResult& r = record->result;
  if (r.first_position != run_.first_position || r.last_position != run_.last_position ||
      r.stream_versions != run_.stream_versions) {
    return MakeFault(run_.first_position, format::kCommandsCf, id,
                     "commands key " + id + ": the record says positions " + std::to_string(r.first_position) + ".." +
                         std::to_string(r.last_position) + " and stream versions " + Versions(r.stream_versions) +
                         ", but the events of the command are at positions " + span + " with stream versions " +
                         Versions(run_.stream_versions));
  }
  return std::nullopt;
}

std::optional<Fault> IndexTally::Finish() {
  if (run_.first_position != 0) {
    if (auto fault = FinishCommand()) return fault;
    run_ = CommandRun{};
  }
  if (auto fault = CheckStreamIndex()) return fault;
  if (auto fault = CheckStreamHeads()) return fault;
  return CheckCommandCount();
}

std::optional<Fault> IndexTally::CheckStreamIndex() {
  auto missing = [](const std::string& stream_id, uint64_t version) {
    return MakeFault(0, format::kStreamIndexCf, IndexKeyText(stream_id, version),
                     "stream_index has no entry for stream " + stream_id + " version " + std::to_string(version));
  };
  auto next = streams_.begin();
  std::string current;
  const StreamTally* tally = nullptr;
  uint64_t expected = 0, mix = 0;
  auto finish_stream = [&]() -> std::optional<Fault> {
    if (expected <= tally->version) return missing(current, expected);
    if (mix != tally->index_mix) return LocateIndexFault(current);
    return std::nullopt;
  };
  rocksdb::ReadOptions read = Read();
  std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(read, db_.cf(Cf::kStreamIndex)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    if (key.size() < 10 || key[key.size() - 9] != format::kStreamIndexSeparator ||
        it->value().size() != format::kPositionKeySize) {
      return MakeFault(0, format::kStreamIndexCf, base::ToHex(key),
                       "stream_index key " + base::ToHex(key) + " (hex) is malformed");
    }
    std::string stream(key.substr(0, key.size() - 9));
    const uint64_t version = format::GetU64(key.data() + key.size() - 8);
    if (tally == nullptr || stream != current) {
      if (tally != nullptr) {
        if (auto fault = finish_stream()) return fault;
      }
      if (next != streams_.end() && next->first < stream) return missing(next->first, 1);
      if (next == streams_.end() || next->first != stream) {
        return MakeFault(0, format::kStreamIndexCf, IndexKeyText(stream, version),
                         "stream_index key " + IndexKeyText(stream, version) + " names stream " + stream +
                             ", which no stored event belongs to");
      }
      tally = &next->second;
      ++next;
      current = std::move(stream);
      expected = 1;
      mix = 0;
    }
    if (version < expected || version > tally->version) {
      return MakeFault(0, format::kStreamIndexCf, IndexKeyText(current, version),
                       "stream_index key " + IndexKeyText(current, version) + " is not a version of stream " + current +
                           ", which has " + std::to_string(tally->version) + " events");
    }
    if (version > expected) return missing(current, expected);
    mix = MixEntry(mix, version, format::GetU64(it->value().data()));
    ++expected;
  }
  if (!it->status().ok()) {
    return MakeFault(0, format::kStreamIndexCf, "", "cannot read stream_index: " + it->status().ToString());
  }
  if (tally != nullptr) {
    if (auto fault = finish_stream()) return fault;
  }
  if (next != streams_.end()) return missing(next->first, 1);
  return std::nullopt;
}

// The stream's versions are all indexed but some entry points at the wrong
// event: reads each entry's event to name the first that does.
std::optional<Fault> IndexTally::LocateIndexFault(const std::string& stream_id) {
  std::string end = format::StreamIndexEnd(stream_id);
  rocksdb::Slice upper(end);
  rocksdb::ReadOptions read = Read();
  read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(read, db_.cf(Cf::kStreamIndex)));
  std::string value;
  base::AlignedCopy aligned;
  for (it->Seek(format::StreamIndexKey(stream_id, 0)); it->Valid(); it->Next()) {
    const uint64_t version = format::GetU64(it->key().data() + it->key().size() - 8);
    const uint64_t position = format::GetU64(it->value().data());
    const std::string key = IndexKeyText(stream_id, version);
    const std::string where = "stream_index key " + key + " points at position " + std::to_string(position);
    rocksdb::Status s = db_.db()->Get(Read(), db_.cf(Cf::kEvents), format::PositionKey(position), &value);
    if (s.IsNotFound()) return MakeFault(position, format::kStreamIndexCf, key, where + ", which is not stored");
    EnvelopeView view;
    if (!s.ok() || !DecodeEnvelopeView(value, &view, &aligned).ok()) {
      return MakeFault(position, format::kStreamIndexCf, key, where + ", which cannot be read");
    }
    if (view.stream_id != stream_id || view.stream_version != version) {
      return MakeFault(position, format::kStreamIndexCf, key,
                       where + ", which holds stream " + std::string(view.stream_id) + " version " +
                           std::to_string(view.stream_version));
    }
  }
  return MakeFault(0, format::kStreamIndexCf, stream_id,
                   "the stream_index entries of stream " + stream_id + " do not match its events");
}

std::optional<Fault> IndexTally::CheckStreamHeads() {
  auto missing = [](const std::string& stream_id, const StreamTally& t) {
    return MakeFault(t.last_position, format::kStreamHeadsCf, stream_id,
                     "stream_heads has no entry for stream " + stream_id + " (its last event is version " +
                         std::to_string(t.version) + " at position " + std::to_string(t.last_position) + ")");
  };
  auto next = streams_.begin();
  std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(Read(), db_.cf(Cf::kStreamHeads)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string stream = it->key().ToString();
    if (next != streams_.end() && next->first < stream) return missing(next->first, next->second);
    if (next == streams_.end() || next->first != stream) {
      return MakeFault(0, format::kStreamHeadsCf, stream,
                       "stream_heads key " + stream + " names a stream no stored event belongs to");
    }
    const StreamTally& t = next->second;
    ++next;
    if (it->value().size() != format::kStreamHeadValueSize) {
      return MakeFault(t.last_position, format::kStreamHeadsCf, stream,
                       "stream_heads key " + stream + ": malformed value of " + std::to_string(it->value().size()) +
                           " bytes");
    }
    const uint64_t version = format::GetU64(it->value().data());
    const uint64_t last = format::GetU64(it->value().data() + 8);
    if (version != t.version || last != t.last_position) {
      return MakeFault(t.last_position, format::kStreamHeadsCf, stream,
                       "stream_heads key " + stream + " says version " + std::to_string(version) + " at position " +
                           std::to_string(last) + ", but the stream's last event is version " +
                           std::to_string(t.version) + " at position " + std::to_string(t.last_position));
    }
  }
  if (!it->status().ok()) {
    return MakeFault(0, format::kStreamHeadsCf, "", "cannot read stream_heads: " + it->status().ToString());
  }
  if (next != streams_.end()) return missing(next->first, next->second);
  return std::nullopt;
}

// Every command seen among the events has a matching record (FinishCommand);
// a record beyond those belongs to no stored event. Counts first and reads
// the events of each record only when there is one too many.
std::optional<Fault> IndexTally::CheckCommandCount() {
  uint64_t records = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(Read(), db_.cf(Cf::kCommands)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++records;
    if (!it->status().ok()) {
      return MakeFault(0, format::kCommandsCf, "", "cannot read commands: " + it->status().ToString());
    }
  }
  if (records == commands_) return std::nullopt;
  std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(Read(), db_.cf(Cf::kCommands)));
  std::string value;
  base::AlignedCopy aligned;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string id = it->key().ToString();
    std::optional<CommandRecord> record = DecodeCommandRecord(std::string_view(it->value().data(), it->value().size()));
    if (!record) return MakeFault(0, format::kCommandsCf, id, "commands key " + id + ": malformed record");
    const uint64_t first = record->result.first_position;
    rocksdb::Status s = db_.db()->Get(Read(), db_.cf(Cf::kEvents), format::PositionKey(first), &value);
    EnvelopeView view;
    if (!s.ok() || !DecodeEnvelopeView(value, &view, &aligned).ok() || view.command_id != id) {
      return MakeFault(first, format::kCommandsCf, id,
                       "commands key " + id + " has a record (positions " + std::to_string(first) + ".." +
                           std::to_string(record->result.last_position) + ") but no stored event carries the command");
    }
  }
  return MakeFault(0, format::kCommandsCf, "",
                   "commands holds " + std::to_string(records) + " records but the events carry " +
                       std::to_string(commands_) + " commands");
}

TreeTally::TreeTally(const StoreDb& db, const rocksdb::Snapshot* snapshot) : db_(db), snapshot_(snapshot) {}

rocksdb::ReadOptions TreeTally::Read() const { return ScanAt(snapshot_); }

std::optional<Fault> TreeTally::Add(const EventKeys& event) {
  completed_.clear();
  frontier_.Add(merkle::EventLeaf(event.hash), &completed_);
  return CheckCompleted(0);
}

std::optional<Fault> TreeTally::AddSubtree(merkle::NodeId id, const Hash& hash) {
  completed_.clear();
  frontier_.AddSubtree(id.level, hash, &completed_);
  return CheckCompleted(id.level + 1);
}

// Checks the nodes the last addition completed, from `above_level` up (the
// ones below were checked where the subtree was hashed).
std::optional<Fault> TreeTally::CheckCompleted(unsigned above_level) {
  for (const auto& [id, hash] : completed_) {
    if (id.level < above_level) continue;
    if (id.level < format::kMerkleLowestStoredLevel) continue;  // not stored: hashed from the events when asked
    if (auto fault = CheckNode(id, hash)) return fault;
  }
  return std::nullopt;
}

std::optional<Fault> TreeTally::CheckNode(merkle::NodeId id, const Hash& computed) {
  if (levels_.size() <= id.level) levels_.resize(id.level + 1);
  std::unique_ptr<rocksdb::Iterator>& it = levels_[id.level];
  if (!it) {
    it.reset(db_.db()->NewIterator(Read(), db_.cf(Cf::kMerkle)));
    it->Seek(format::MerkleKey(id.level, 0));
  }
  const uint64_t last = merkle::EndLeaf(id);  // the position of the event that completes the node
  const std::string text = merkle::NodeName(id);
  if (!it->status().ok()) {
    return MakeFault(last, format::kMerkleCf, text, "cannot read merkle: " + it->status().ToString());
  }
  const std::string key = format::MerkleKey(id.level, id.index);
  if (!it->Valid() || it->key() != rocksdb::Slice(key)) {
    return MakeFault(last, format::kMerkleCf, text,
                     "merkle has no node " + text + " (over " + Covered(id) + "), which the event at position " +
                         std::to_string(last) + " completes");
  }
  if (it->value().size() != format::kHashSize ||
      std::memcmp(it->value().data(), computed.data(), format::kHashSize) != 0) {
    return MakeFault(last, format::kMerkleCf, text,
                     "merkle node " + text + " differs from the one recomputed from the events at " + Covered(id));
  }
  it->Next();
  return std::nullopt;
}

std::optional<Fault> TreeTally::Finish() {
  const uint64_t size = frontier_.size();
  std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(Read(), db_.cf(Cf::kMerkle)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    if (key.size() != format::kMerkleKeySize || static_cast<uint8_t>(key[0]) >= 64) {
      return MakeFault(0, format::kMerkleCf, base::ToHex(key),
                       "merkle key " + base::ToHex(key) + " (hex) is malformed");
    }
    const merkle::NodeId id{static_cast<uint8_t>(key[0]), format::GetU64(key.data() + 1)};
    if (id.level < format::kMerkleLowestStoredLevel) {
      return MakeFault(0, format::kMerkleCf, merkle::NodeName(id),
                       "merkle node " + merkle::NodeName(id) + " lies below the levels the store keeps (" +
                           std::to_string(format::kMerkleLowestStoredLevel) + " and up)");
    }
    if (id.index >= (size >> id.level)) {
      return MakeFault(0, format::kMerkleCf, merkle::NodeName(id),
                       "merkle node " + merkle::NodeName(id) + " lies beyond the tree of the log's " +
                           std::to_string(size) + " events");
    }
  }
  if (!it->status().ok()) {
    return MakeFault(0, format::kMerkleCf, "", "cannot read merkle: " + it->status().ToString());
  }
  return std::nullopt;
}

}  // namespace ledger::es
