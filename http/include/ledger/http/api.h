// The domain routes of /api/v1 and what they run on.
//
// ApiRoutes(deps) is every domain route (claims, evidence, worklists, events,
// verify and the other areas), one list per area concatenated; add them to a
// Context beside BuiltinRoutes(). Handlers are thin: they parse and validate
// input, build one core command, run it through app::CommandBus, map the
// outcome through the one problem mapping; app::Ledger::Execute waits after a
// write for the projections to reach it, so that a following GET sees it.
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
#include "ledger/app/ledger.h"
#include "ledger/core/types.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/http/auth.h"
#include "ledger/http/router.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/runner.h"

namespace ledger::http {

class SseHub;
class IdempotencyLocks;

// What the domain routes run on: the Ledger (store, read models, command bus,
// evidence directory, clock and read-your-writes wait). REQUIRES the ledger
// to outlive the routes (and the server serving them). Thread-safe as its
// members are.
struct ApiDeps {
  explicit ApiDeps(app::Ledger& app_ledger);
  ~ApiDeps();  // stops every event stream still open
  ApiDeps(const ApiDeps&) = delete;
  ApiDeps& operator=(const ApiDeps&) = delete;

  app::Ledger& ledger;
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
// Auditors: the signed head of the log's Merkle tree and its proofs; the
// public key heads are signed with (public).
std::vector<Route> TreeRoutes(ApiDeps& deps);

}  // namespace ledger::http
