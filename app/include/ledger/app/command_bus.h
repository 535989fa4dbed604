// CommandBus: the one command path shared by the server, the CLI and the simulator.
//
//   StreamsToRead -> read + fold each stream once -> Decide -> one atomic
//   append, each written stream at the version it was read at -> the read
//   states evolved with the written events (Executed::state).
//
// A command id seen before returns the original result without deciding again,
// so retries (HTTP Idempotency-Key, a re-run import) never add events; one
// stored with a different request tag (ExecuteOptions) is IdempotencyMismatch.
// Thread-safe: any number of threads may Execute at once; the event store's
// version checks settle races (the loser gets a conflict).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "ledger/base/clearing_cache.h"
#include "ledger/core/domain.h"
#include "ledger/eventstore/event_store.h"

namespace ledger::app {

// A command that went through: what was written (nothing for a no-op).
struct Executed {
  uint64_t first_position = 0;  // 0 when nothing was written
  uint64_t last_position = 0;
  // New version of every stream written, in Decision order.
  std::vector<std::pair<std::string, uint64_t>> stream_versions;
  // Non-empty when the command failed validation: the attempt was recorded
  // (ClaimSubmissionFailed) but the command did not take effect.
  std::vector<core::FieldError> validation_errors;
  bool duplicate = false;  // the command id was seen before: this is the original result
  // Every stream the command read, as it is now: the state read, evolved with
  // the events written (version advanced). Empty for a duplicate (nothing was
  // read); a caller answering with the new state reads it only then.
  core::Loaded state;
  uint64_t VersionOf(std::string_view stream_id) const;  // 0 when not written
  // The new state of `stream_id` when the command read it, else nullptr.
  const core::LoadedStream* StateOf(std::string_view stream_id) const;
};

// The outcome of Execute: Executed, a domain Rejection (nothing stored), or a
// store Status (Conflict after retries, IoError, ...; nothing stored).
class ExecuteResult {
 public:
  ExecuteResult(Executed e) : v_(std::move(e)) {}         // NOLINT: implicit by design
  ExecuteResult(core::Rejection r) : v_(std::move(r)) {}  // NOLINT
  ExecuteResult(es::Status s) : v_(std::move(s)) {}       // NOLINT
  bool ok() const { return std::holds_alternative<Executed>(v_); }
  const Executed& executed() const { return std::get<Executed>(v_); }
  bool rejected() const { return std::holds_alternative<core::Rejection>(v_); }
  const core::Rejection& rejection() const { return std::get<core::Rejection>(v_); }
  bool store_failed() const { return std::holds_alternative<es::Status>(v_); }
  const es::Status& status() const { return std::get<es::Status>(v_); }
  // One line for logs and the CLI.
  std::string Describe() const;

 private:
  std::variant<Executed, core::Rejection, es::Status> v_;
};

// An HTTP If-Match style precondition: the stream must be at this version.
// A mismatch is Rejection::Conflict with code "precondition_failed".
struct Precondition {
  std::string stream_id;
  uint64_t version = 0;
};

struct ExecuteOptions {
  std::optional<Precondition> precondition;
  int conflict_retries = 2;  // re-read and decide again when another writer got there first
  // Bound to the command id in the store (es::AppendRequest::request_tag):
  // a command id seen before with another non-empty tag is not answered from
  // the log but refused with Status::IdempotencyMismatch.
  std::string request_tag;
  // Streams the caller has just read and folded (to authorize or to fill in
  // the command): the first attempt uses them instead of reading them again.
  // A stale one is harmless: its version guards the append, which then
  // conflicts, and the retry reads every stream afresh.
  core::Loaded preloaded;
};

class CommandBus {
 public:
  // REQUIRES: store outlives the bus. `state_cache_bytes`: memory for the
  // folded states of recently used streams (see LoadStream).
  explicit CommandBus(es::EventStore& store, uint64_t state_cache_bytes = 16ull << 20)
      : store_(store), states_(state_cache_bytes) {}

  ExecuteResult Execute(const core::CommandMeta& meta, const core::Command& command,
                        const ExecuteOptions& options = {});

  // Reads and folds the given streams (what Execute does before deciding).
  es::Result<core::Loaded> Load(const std::vector<std::string>& stream_ids);
  // Reads and folds one stream. A stream folded before is taken from the
  // bus's cache of folded states, kept by stream version: unchanged (one point
  // read of its version), it is not read again; moved on, only its newer
  // events are read and folded onto the cached state. The log is append-only,
  // so the state at a version never changes. Accounts are not cached (their
  // password hashes stay out of the encoding the cache keeps).
  es::Result<core::LoadedStream> LoadStream(const std::string& stream_id);

  // The heap the cache of folded states holds (any thread).
  uint64_t cache_bytes() const { return states_.bytes(); }

 private:
  ExecuteResult ExecuteOnce(const core::CommandMeta& meta, const core::Command& command, const ExecuteOptions& options,
                            const core::Loaded& preloaded);
  // Each of `stream_ids` once: from `preloaded` when there, else read and folded.
  es::Result<core::Loaded> LoadFor(const std::vector<std::string>& stream_ids, const core::Loaded& preloaded);
  std::optional<core::LoadedStream> Cached(const std::string& stream_id);
  void Remember(const std::string& stream_id, const core::LoadedStream& stream);

  es::EventStore& store_;
  // Stream id -> core::EncodeStreamState of its folded state (kept encoded, so
  // that the heap it holds is counted exactly); emptied when over its budget.
  std::mutex states_mu_;
  base::ClearingCache<std::string> states_;
};

// Encodes one command's decision as an event-store append request.
es::AppendRequest ToAppendRequest(const core::CommandMeta& meta, const core::Decision& decision,
                                  const core::Loaded& loaded);

// The loaded streams after the decision's writes: each written stream's state
// evolved with its events, at the version the store gave it (stream_versions
// in Decision order, as Executed::stream_versions).
core::Loaded Evolved(core::Loaded loaded, const core::Decision& decision,
                     const std::vector<std::pair<std::string, uint64_t>>& stream_versions);

}  // namespace ledger::app
