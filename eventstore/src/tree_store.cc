#include "tree_store.h"

#include <cstring>
#include <memory>
#include <string>

#include "storage_format.h"

namespace ledger::es {
namespace {

// Leaves per WriteBatch while a tree is built from the events: about 131,000
// nodes, 6 MB.
constexpr uint64_t kBuildBatchLeaves = 1 << 16;

std::string OlderStore(const StoreDb& db) {
  return "the store at " + db.dir() +
         " was written before the ledger kept a Merkle tree over its log: start the ledger on it once (an open "
         "for writing builds the tree from the events), then ask again";
}

Status CheckSize(const Head& head, uint64_t size) {
  if (size <= head.position) return Status::Ok();
  return Status::Invalid("the log has " + std::to_string(head.position) + " events, so it has no tree of " +
                         std::to_string(size));
}

constexpr unsigned kLowest = format::kMerkleLowestStoredLevel;

// How many leaves have their nodes stored: the leaves up to the end of the
// last node of the lowest stored level (0 when there is none or it is
// malformed). A build writes whole batches of such nodes with the nodes above.
Result<uint64_t> StoredLeaves(const StoreDb& db) {
  std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(rocksdb::ReadOptions(), db.cf(Cf::kMerkle)));
  it->SeekForPrev(format::MerkleKey(kLowest, UINT64_MAX));
  if (!it->status().ok()) return FromRocks(it->status(), "reading the Merkle tree");
  if (!it->Valid()) return uint64_t{0};
  rocksdb::Slice key = it->key();
  if (key.size() != format::kMerkleKeySize || static_cast<uint8_t>(key[0]) != kLowest) return uint64_t{0};
  return merkle::EndLeaf({kLowest, format::GetU64(key.data() + 1)});
}

// A node below the lowest stored level, hashed again from the 2^level events
// it covers (at most 2^kLowest / 2 of them, read by point reads: a proof
// needs a few, where a scan's read-ahead would cost more than they do).
Result<Hash> NodeFromEvents(const StoreDb& db, merkle::NodeId id) {
  std::vector<Hash> nodes;
  nodes.reserve(size_t{1} << id.level);
  for (uint64_t leaf = merkle::FirstLeaf(id); leaf < merkle::EndLeaf(id); ++leaf) {
    Hash event_hash;
    if (Status s = db.EventHash(leaf + 1, &event_hash); !s.ok()) {
      return Status::Corruption("the events of Merkle node " + merkle::NodeName(id) + ": " + s.message());
    }
    nodes.push_back(merkle::EventLeaf(event_hash));
  }
  for (size_t n = nodes.size(); n > 1; n /= 2) {
    for (size_t i = 0; i < n / 2; ++i) nodes[i] = merkle::NodeHash(nodes[2 * i], nodes[2 * i + 1]);
  }
  return nodes.front();
}

// Removes every node and meta "tree", synced.
Status ClearTree(StoreDb& db) {
  rocksdb::WriteBatch batch;
  const std::string end(format::kMerkleKeySize + 1, '\xff');
  rocksdb::Status s = batch.DeleteRange(db.cf(Cf::kMerkle), "", end);
  if (s.ok()) s = batch.Delete(db.cf(Cf::kMeta), format::kMetaTreeKey);
  rocksdb::WriteOptions write;
  write.sync = true;
  if (s.ok()) s = db.db()->Write(write, &batch);
  return FromRocks(s, "clearing the Merkle tree");
}

// Builds the tree over positions 1..head from the events, resuming after the
// leaves an interrupted build stored, and records meta "tree" with the last
// batch (synced; the batches before it need not be, as the log keeps their
// order).
Status BuildTree(StoreDb& db, const Head& head, merkle::Frontier* frontier) {
  auto stored = StoredLeaves(db);
  if (!stored.ok()) return stored.status();
  uint64_t from = *stored <= head.position ? *stored : 0;
  if (from > 0) {
    auto loaded = merkle::Frontier::Load(from, StoredNodes(db));
    if (loaded.ok()) {
      *frontier = std::move(*loaded);
    } else {
      from = 0;
    }
  }
  if (from == 0) {
    *frontier = merkle::Frontier();
    if (Status s = ClearTree(db); !s.ok()) return s;
  }
  rocksdb::WriteBatch batch;
  auto write = [&](bool last) {
    rocksdb::WriteOptions options;
    options.sync = last;
    Status s = FromRocks(db.db()->Write(options, &batch), "writing the Merkle tree");
    batch.Clear();
    return s;
  };
  Status write_error;
  Status s = db.ScanHashes(from + 1, head.position, [&](uint64_t, const Hash& hash) {
    StageLeaf(db, hash, frontier, &batch);
    if (frontier->size() % kBuildBatchLeaves == 0) write_error = write(false);
    return write_error.ok();
  });
  if (!s.ok()) return s;
  if (!write_error.ok()) return write_error;
  std::string version;
  format::PutU32(&version, format::kTreeVersion);
  batch.Put(db.cf(Cf::kMeta), format::kMetaTreeKey, version);
  return write(true);
}

// Unavailable, saying why, when the store keeps no tree. Proofs read no
// snapshot: every node of a tree no larger than the published head is
// stored and never rewritten.
Status CheckKept(const StoreDb& db) {
  auto head = db.tree_head();
  return head.ok() ? Status::Ok() : head.status();
}

}  // namespace

merkle::NodeReader StoredNodes(const StoreDb& db, const rocksdb::Snapshot* snapshot) {
  return [&db, snapshot](merkle::NodeId id) -> Result<Hash> {
    if (id.level < kLowest) return NodeFromEvents(db, id);
    rocksdb::ReadOptions read;
    read.snapshot = snapshot;
    rocksdb::PinnableSlice value;
    rocksdb::Status s = db.db()->Get(read, db.cf(Cf::kMerkle), format::MerkleKey(id.level, id.index), &value);
    if (s.IsNotFound()) return Status::Corruption("the Merkle tree has no node " + merkle::NodeName(id));
    if (!s.ok()) return FromRocks(s, "reading Merkle node " + merkle::NodeName(id));
    if (value.size() != format::kHashSize) {
      return Status::Corruption("Merkle node " + merkle::NodeName(id) + " is " + std::to_string(value.size()) +
                                " bytes, not a hash");
    }
    Hash hash;
    std::memcpy(hash.data(), value.data(), format::kHashSize);
    return hash;
  };
}

Result<bool> TreeKept(const StoreDb& db, const rocksdb::Snapshot* snapshot) {
  if (db.cf(Cf::kMerkle) == nullptr) return false;
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  std::string value;
  rocksdb::Status s = db.db()->Get(read, db.cf(Cf::kMeta), format::kMetaTreeKey, &value);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromRocks(s, "reading meta/tree");
  if (value.size() != 4 || format::GetU32(value.data()) != format::kTreeVersion) {
    return Status::Invalid("the store at " + db.dir() + " keeps a Merkle tree of a version this build does not read");
  }
  return true;
}

void StageLeaf(const StoreDb& db, const Hash& event_hash, merkle::Frontier* frontier, rocksdb::WriteBatch* batch) {
  thread_local std::vector<std::pair<merkle::NodeId, Hash>> completed;
  completed.clear();
  frontier->Add(merkle::EventLeaf(event_hash), &completed);
  for (const auto& [id, hash] : completed) {
    if (id.level < kLowest) continue;
    batch->Put(db.cf(Cf::kMerkle), format::MerkleKey(id.level, id.index),
               rocksdb::Slice(reinterpret_cast<const char*>(hash.data()), hash.size()));
  }
}

Result<bool> OpenTree(StoreDb& db, const Head& head, bool writable, bool rebuild, merkle::Frontier* frontier,
                      std::string* no_tree) {
  if (writable && rebuild) {
    if (Status s = ClearTree(db); !s.ok()) return s;
  }
  auto kept = TreeKept(db);
  if (!kept.ok()) return kept.status();
  if (*kept) {
    auto loaded = merkle::Frontier::Load(head.position, StoredNodes(db));
    if (loaded.ok()) {
      *frontier = std::move(*loaded);
      return true;
    }
    if (loaded.status().code() != Status::Code::kCorruption) return loaded.status();
    if (!writable) {
      *no_tree = "the Merkle tree of the store at " + db.dir() + " is damaged (" + loaded.status().message() +
                 "): `ledger verify` names the first bad node, and the next start of the ledger rebuilds the tree "
                 "from the events";
      return false;
    }
    // The tree is derived from the events, which the hash chain protects:
    // rebuild it rather than refuse to start.
    if (Status s = ClearTree(db); !s.ok()) return s;
  } else if (!writable) {
    *no_tree = OlderStore(db);
    return false;
  }
  if (Status s = BuildTree(db, head, frontier); !s.ok()) return s;
  return true;
}

Status ForgetTree(StoreDb& db) {
  rocksdb::WriteOptions write;
  write.sync = true;
  return FromRocks(db.db()->Delete(write, db.cf(Cf::kMeta), format::kMetaTreeKey), "dropping meta/tree");
}

Result<Hash> TreeRootAt(const StoreDb& db, const Head& head, uint64_t size) {
  if (Status s = CheckKept(db); !s.ok()) return s;
  if (Status s = CheckSize(head, size); !s.ok()) return s;
  return merkle::Root(size, StoredNodes(db));
}

Result<std::vector<Hash>> TreeInclusionProof(const StoreDb& db, const Head& head, uint64_t position, uint64_t size) {
  if (Status s = CheckKept(db); !s.ok()) return s;
  if (Status s = CheckSize(head, size); !s.ok()) return s;
  if (position == 0 || position > size) {
    return Status::Invalid("position " + std::to_string(position) + " is not in the tree of the first " +
                           std::to_string(size) + " events");
  }
  return merkle::InclusionProof(position - 1, size, StoredNodes(db));
}

Result<std::vector<Hash>> TreeConsistencyProof(const StoreDb& db, const Head& head, uint64_t old_size,
                                               uint64_t new_size) {
  if (Status s = CheckKept(db); !s.ok()) return s;
  if (Status s = CheckSize(head, new_size); !s.ok()) return s;
  if (old_size > new_size) {
    return Status::Invalid("the tree of " + std::to_string(new_size) + " events cannot extend the larger one of " +
                           std::to_string(old_size));
  }
  return merkle::ConsistencyProof(old_size, new_size, StoredNodes(db));
}

}  // namespace ledger::es
