// The checks of a whole-log Verify beyond the hash chain: every table file's
// checksums, that stream_index, stream_heads and commands agree exactly with
// the events, and that the merkle family holds exactly the tree the events
// imply (see docs/storage.md, "Reading and verifying").
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/eventstore/merkle.h"
#include "store_db.h"

namespace ledger::es {

// The first thing found wrong, and where.
struct Fault {
  uint64_t position = 0;      // the event position it concerns, 0 when none
  std::string column_family;  // e.g. "stream_index"
  std::string key;            // the bad key, printable
  std::string problem;        // a sentence naming the family and the key
};

// The first table file whose block checksums, or whole-file checksum where one
// is recorded, do not match its bytes; nullopt when every file matches.
// Names the file's column family. Reads every file once.
std::optional<Fault> CheckTableFiles(rocksdb::DB* db);

// The fields of one event that the other column families must agree with.
struct EventKeys {
  uint64_t position = 0;
  std::string stream_id;
  uint64_t stream_version = 0;
  std::string command_id;
  Hash hash{};  // the event's hash, as recomputed
};

// Follows the events in position order, then checks stream_index,
// stream_heads and commands against what it saw. Holds a few counters per
// stream and the command being read, never the events; reads one command
// record per command. Every read goes through `snapshot`. Not thread-safe.
class IndexTally {
 public:
  // REQUIRES: db and snapshot outlive the tally.
  IndexTally(const StoreDb& db, const rocksdb::Snapshot* snapshot);

  // Feeds the next event. REQUIRES: positions dense and ascending from 1.
  // Returns the first fault: a stream version out of order, or a command whose
  // record is missing or disagrees with its events.
  std::optional<Fault> Add(const EventKeys& event);

  // After the last event: checks the last command, then every stream_index,
  // stream_heads and commands key.
  std::optional<Fault> Finish();

 private:
  struct StreamTally {
    uint64_t version = 0;        // of the last event seen (versions are dense from 1)
    uint64_t last_position = 0;  // of the last event seen
    uint64_t index_mix = 0;      // mix of every (version, position), in version order
  };
  // The command whose events are being read: a command's events are contiguous.
  struct CommandRun {
    std::string command_id;
    uint64_t first_position = 0;
    uint64_t last_position = 0;
    std::string stream_id;                  // of the last event
    std::vector<uint64_t> stream_versions;  // last version of each stream, in order
  };

  std::optional<Fault> FinishCommand();
  std::optional<Fault> CheckStreamIndex();
  std::optional<Fault> LocateIndexFault(const std::string& stream_id);
  std::optional<Fault> CheckStreamHeads();
  std::optional<Fault> CheckCommandCount();
  rocksdb::ReadOptions Read() const;

  const StoreDb& db_;
  const rocksdb::Snapshot* snapshot_;
  std::map<std::string, StreamTally> streams_;  // ordered like the keys of stream_index and stream_heads
  CommandRun run_;
  uint64_t commands_ = 0;  // commands seen among the events
};

// Recomputes the Merkle tree from the events' hashes in position order and
// checks each node as the event that completes it passes, against the merkle
// family read with one forward iterator per level (a level's nodes are
// completed in key order); Finish then checks that the family holds no node
// beyond the tree. Holds O(log n) hashes and iterators. Every read goes
// through `snapshot`. Not thread-safe.
class TreeTally {
 public:
  // REQUIRES: db and snapshot outlive the tally; the store keeps the tree.
  TreeTally(const StoreDb& db, const rocksdb::Snapshot* snapshot);

  // Feeds the next event. REQUIRES: positions dense and ascending from 1.
  std::optional<Fault> Add(const EventKeys& event);

  // For events hashed elsewhere (a verify worker hashes a chunk's subtree):
  // CheckNode checks one node of the chunk against the family, and AddSubtree
  // then feeds one of the chunk's complete subtrees (merkle::Frontier::Peaks)
  // in place of its events, checking the nodes above it that it completes.
  // REQUIRES: each level's nodes checked in index order, and, taken with
  // Add, the events they cover dense and ascending from 1.
  std::optional<Fault> CheckNode(merkle::NodeId id, const Hash& computed);
  std::optional<Fault> AddSubtree(merkle::NodeId id, const Hash& hash);

  // After the last event: every stored node lies inside the tree.
  std::optional<Fault> Finish();

 private:
  std::optional<Fault> CheckCompleted(unsigned above_level);
  rocksdb::ReadOptions Read() const;

  const StoreDb& db_;
  const rocksdb::Snapshot* snapshot_;
  merkle::Frontier frontier_;
  std::vector<std::pair<merkle::NodeId, Hash>> completed_;
  std::vector<std::unique_ptr<rocksdb::Iterator>> levels_;  // levels_[k] walks the nodes of level k
};

}  // namespace ledger::es
