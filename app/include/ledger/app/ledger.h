// Ledger: the application as one object. It holds the event store, the read
// models (projection database) with the runner feeding them, the command bus,
// the evidence directory and the clock, so that the server, the CLI and the
// tests wire the same thing the same way.
//
//   Execute  -> CommandBus (read each stream once, decide, append) -> wait
//               until the read models applied the write (read-your-writes)
//   queries  -> the read models (claims, worklists, audit, reports, directory)
//
// Thread-safe after set-up (SetClock, SetProjectionWait and StartProjections
// come before the first concurrent call): Execute and the queries may run on
// any number of threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/app/claim_import.h"
#include "ledger/app/command_bus.h"
#include "ledger/app/tree_heads.h"
#include "ledger/core/domain.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/projections/claim_views.h"
#include "ledger/projections/directory.h"
#include "ledger/projections/notices.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/reports.h"
#include "ledger/projections/runner.h"

namespace ledger::app {

// The outcome of a bulk upload (Ledger::ImportClaims).
struct ClaimImport {
  ClaimImportPlan plan;  // the file's problems, or the claims it names
  // What the append stored; nullopt when nothing was to be stored (a problem
  // in the file, or every row already stored as asked).
  std::optional<es::AppendResult> appended;
};

struct LedgerOptions {
  std::filesystem::path evidence_dir;  // <data>/evidence; "" = no evidence store (uploads refused)
  // CommandMeta::at of the commands the entry points build; default: the system clock.
  std::function<core::Timestamp()> clock;
  // How long Execute waits for the read models before answering anyway.
  std::chrono::milliseconds projection_wait{5'000};
  // Memory for the command path's folded states (CommandBus::LoadStream).
  uint64_t state_cache_bytes = 16ull << 20;
};

class Ledger {
 public:
  // Opens <data_dir>/events for writing (created when missing) and
  // <data_dir>/projections; the read models are not fed until StartProjections().
  static es::Result<std::unique_ptr<Ledger>> Open(const std::filesystem::path& data_dir, LedgerOptions options = {},
                                                  const es::Options& store_options = {});
  // Runs on a store and read models opened by the caller (who may have had to
  // verify or fill the log first). REQUIRES: both non-null.
  Ledger(std::unique_ptr<es::EventStore> store, std::unique_ptr<projections::ProjectionDb> db,
         LedgerOptions options = {});
  ~Ledger();  // stops feeding the read models, then closes them and the store
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Brings the read models up to the head, then follows the log on a thread of
  // the runner's. Call once, and not on a log that failed verification.
  es::Status StartProjections();
  void StopProjections();  // idempotent

  es::EventStore& store() { return *store_; }
  CommandBus& bus() { return bus_; }
  projections::ProjectionDb& projections() { return *db_; }
  projections::Runner& runner() { return runner_; }
  const std::filesystem::path& evidence_dir() const { return options_.evidence_dir; }

  // Now by the ledger's clock (microseconds since the epoch).
  core::Timestamp Now() const;
  void SetClock(std::function<core::Timestamp()> clock) { options_.clock = std::move(clock); }
  void SetProjectionWait(std::chrono::milliseconds wait) { options_.projection_wait = wait; }

  // Runs one command through the bus; when it wrote, waits (at most the
  // projection wait) until the read models applied the write, so a query that
  // follows sees it. The result carries the new state of every stream read.
  ExecuteResult Execute(const core::CommandMeta& meta, const core::Command& command,
                        const ExecuteOptions& options = {});
  // A bulk upload of claims: checks every row of `csv` (PlanClaimImport;
  // options.digest defaults to ImportDigest) and, when all are valid, stores
  // every claim in one append and waits for the read models. A store failure
  // is the Status: kConflict when a claim changed while the file was checked
  // (nothing stored).
  es::Result<ClaimImport> ImportClaims(std::string_view csv, ClaimImportOptions options);
  // Waits until the read models applied `position`, at most the projection
  // wait; false when they did not get there in time.
  bool WaitForProjections(uint64_t position);

  // ---- Signed tree heads (tree_heads.h) --------------------------------------
  // The key tree heads are signed with; set-up, before the first SignedHead.
  void SetSigningKey(SigningKey key);
  // The signing key's public half; nullopt when the ledger has none.
  std::optional<PublicKey> public_key() const;
  // The Merkle tree head over the current head, signed at Now(). While the
  // log does not grow the same signed head is returned, signed again once it
  // is older than kTreeHeadResign. Unavailable without a signing key or a
  // tree (the message says why).
  es::Result<SignedTreeHead> SignedHead();
  static constexpr core::Timestamp kTreeHeadResign = 60'000'000;  // 60 s
  // Fills the head a payment run cites (head_position, head_hash, signed_head): the
  // signed tree head over the current log (SignedHead), or only the log's head
  // position and event hash when the ledger has no signing key. The caller
  // chooses the run's claims from the projections at that position.
  es::Status CiteHead(core::CreatePaymentRun* run);

  // ---- Queries (the read models; never the write side) ----------------------
  es::Result<std::optional<projections::ClaimView>> GetClaim(std::string_view claim_id) const;
  es::Result<projections::ClaimPage> ListClaims(const projections::ClaimQuery& query) const;
  es::Result<projections::ClaimPage> Worklist(std::string_view role, std::string_view org,
                                              const std::string& cursor = "", size_t limit = 100) const;
  es::Result<projections::AuditPage> ClaimAudit(std::string_view claim_id, const std::string& cursor = "") const;
  // A report, stamped with the log head it was computed as of (StampLogHead).
  es::Result<projections::Table> RunReport(std::string_view name, const projections::ReportParams& params,
                                           const projections::AsOf& as_of = {}) const;
  // Display names from the directory: an organisation's name (nullopt when
  // unknown) and a person's full name (nullopt when unknown).
  std::optional<std::string> OrganisationName(std::string_view code) const;
  std::optional<std::string> PersonName(std::string_view username) const;
  // One person or payment run from the directory; nullopt when none is (yet) applied.
  es::Result<std::optional<projections::PersonEntry>> Person(std::string_view username) const;
  es::Result<std::optional<projections::PaymentRunEntry>> PaymentRun(std::string_view run_id) const;
  // The current state and version of one stream from the read model of states
  // (projections/states.h), for pages and answers that show it: one read, no
  // fold of the log. Version 0 when the stream has no event applied yet.
  es::Result<core::LoadedStream> StreamState(std::string_view stream_id) const;
  // The notices of an organisation after `since`, newest first, those `visible`
  // accepts (projections/notices.h; app::MessagesFor applies the visibility rule).
  es::Result<projections::NoticePage> Notices(std::string_view org, core::Timestamp since,
                                              const std::function<bool(const projections::Notice&)>& visible,
                                              size_t limit = 20) const;
  // A person's latest sign-in and the one before it.
  es::Result<projections::SignIns> SignIns(std::string_view username) const;

 private:
  LedgerOptions options_;
  std::unique_ptr<es::EventStore> store_;
  std::unique_ptr<projections::ProjectionDb> db_;
  CommandBus bus_;
  projections::Runner runner_;
  std::optional<SigningKey> signing_key_;
  std::mutex signed_mu_;
  std::optional<SignedTreeHead> last_signed_;  // guarded by signed_mu_
};

}  // namespace ledger::app
