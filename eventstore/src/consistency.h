// The checks of a whole-log Verify beyond the hash chain: every table file's
// checksums, and that stream_index, stream_heads and commands agree exactly
// with the events (see docs/storage.md, "Reading and verifying").
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

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

}  // namespace ledger::es
