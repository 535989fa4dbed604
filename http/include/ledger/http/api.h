// The domain routes of /api/v1 and what they run on.
//
// ApiRoutes(deps) is every domain route (claims, evidence, worklists, events,
// verify and the other areas), one list per area concatenated; add them to a
// Context beside BuiltinRoutes(). Handlers are thin: they parse and validate
// input, build one core command, run it through app::CommandBus, map the
// outcome through the one problem mapping and, after a write, wait for the
// projections to reach the written position so that a following GET sees it.
//
// The account directory the server signs people in with is
// app::LogAccountDirectory (ledger/app/credentials.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger/app/command_bus.h"
#include "ledger/core/types.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/http/auth.h"
#include "ledger/http/router.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/runner.h"

namespace ledger::http {

class SseHub;
class IdempotencyLocks;

// What the domain routes run on. REQUIRES every reference to outlive the
// routes (and the server serving them). Thread-safe as its members are.
struct ApiDeps {
  ApiDeps(es::EventStore& log, app::CommandBus& command_bus, projections::ProjectionDb& read_models,
          projections::Runner& feed, std::filesystem::path evidence_root);
  ~ApiDeps();  // stops every event stream still open
  ApiDeps(const ApiDeps&) = delete;
  ApiDeps& operator=(const ApiDeps&) = delete;

  es::EventStore& store;
  app::CommandBus& bus;
  projections::ProjectionDb& projections;
  projections::Runner& runner;
  std::filesystem::path evidence_dir;  // <data>/evidence: <dir>/<sha[0..2]>/<sha256>
  // CommandMeta::at of every command; defaults to the system clock.
  std::function<core::Timestamp()> now;
  // How long a write waits for the projections before answering anyway.
  std::chrono::milliseconds projection_wait{5'000};
  // The open Server-Sent Events streams; closed by StopStreams() or the destructor.
  std::unique_ptr<SseHub> streams;
  // The Idempotency-Keys in use right now (each key's requests run one at a time).
  std::unique_ptr<IdempotencyLocks> idempotency_locks;
  // Ends every open event stream (call before the store closes). Idempotent.
  void StopStreams();
};

// Every domain route: ClaimRoutes + EventRoutes (+ the other areas), each
// write route honouring Idempotency-Key: a signed-in caller's key is bound
// for ever to its first request that stored something or answered below 400;
// that request again gets exactly its first answer, another request under
// the key 422 /problems/idempotency-key-reused (see api/idempotency.h).
std::vector<Route> ApiRoutes(ApiDeps& deps);
// Claims, their evidence, history and the worklist.
std::vector<Route> ClaimRoutes(ApiDeps& deps);
// Auditors: the event log as JSON, the live event stream, and verify.
std::vector<Route> EventRoutes(ApiDeps& deps);

}  // namespace ledger::http
