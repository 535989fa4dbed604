#include "ledger/app/ledger.h"

#include <chrono>

#include "ledger/projections/directory.h"
#include "ledger/projections/states.h"

namespace ledger::app {

es::Result<std::unique_ptr<Ledger>> Ledger::Open(const std::filesystem::path& data_dir, LedgerOptions options,
                                                 const es::Options& store_options) {
  auto store = es::EventStore::Open((data_dir / "events").string(), store_options);
  if (!store.ok()) return store.status();
  auto db = projections::ProjectionDb::Open((data_dir / "projections").string());
  if (!db.ok()) return db.status();
  return std::make_unique<Ledger>(std::move(store).value(), std::move(db).value(), std::move(options));
}

Ledger::Ledger(std::unique_ptr<es::EventStore> store, std::unique_ptr<projections::ProjectionDb> db,
               LedgerOptions options)
    : options_(std::move(options)),
      store_(std::move(store)),
      db_(std::move(db)),
      bus_(*store_, options_.state_cache_bytes),
      runner_(*store_, *db_) {}

Ledger::~Ledger() { runner_.Stop(); }

es::Status Ledger::StartProjections() {
  if (es::Status s = runner_.CatchUp(); !s.ok()) return s;
  runner_.Start();
  return es::Status::Ok();
}

void Ledger::StopProjections() { runner_.Stop(); }

void Ledger::SetSigningKey(SigningKey key) { signing_key_.emplace(std::move(key)); }

std::optional<PublicKey> Ledger::public_key() const {
  if (!signing_key_) return std::nullopt;
  return signing_key_->public_key();
}

es::Result<SignedTreeHead> Ledger::SignedHead() {
  if (!signing_key_) {
    return es::Status::Unavailable(
        "this ledger signs no tree heads: it has no signing key (`ledger serve` creates one in its data directory)");
  }
  auto tree = store_->GetTreeHead();
  if (!tree.ok()) return tree.status();
  const core::Timestamp now = Now();
  std::lock_guard lock(signed_mu_);
  if (last_signed_ && last_signed_->tree.size == tree->size && now >= last_signed_->signed_at &&
      now - last_signed_->signed_at < kTreeHeadResign) {
    return *last_signed_;
  }
  last_signed_ = signing_key_->Sign(*tree, now);
  return *last_signed_;
}

es::Status Ledger::CiteHead(core::CreatePaymentRun* run) {
  if (!signing_key_) {
    const es::Head head = store_->GetHead();
    run->head_position = head.position;
    run->head_hash = es::HashToHex(head.hash);
    return es::Status::Ok();
  }
  auto head = SignedHead();
  if (!head.ok()) return head.status();
  run->head_position = head->tree.size;
  run->head_hash = es::HashToHex(head->tree.chain_hash);
  run->signed_head = Cite(*head);
  return es::Status::Ok();
}

core::Timestamp Ledger::Now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ExecuteResult Ledger::Execute(const core::CommandMeta& meta, const core::Command& command,
                              const ExecuteOptions& options) {
  ExecuteResult result = bus_.Execute(meta, command, options);
  if (result.ok() && result.executed().last_position != 0) (void)WaitForProjections(result.executed().last_position);
  return result;
}

bool Ledger::WaitForProjections(uint64_t position) { return runner_.WaitFor(position, options_.projection_wait); }

es::Result<std::optional<projections::ClaimView>> Ledger::GetClaim(std::string_view claim_id) const {
  return projections::GetClaim(*db_, claim_id);
}

es::Result<projections::ClaimPage> Ledger::ListClaims(const projections::ClaimQuery& query) const {
  return projections::ListClaims(*db_, query);
}

es::Result<projections::NoticePage> Ledger::Notices(std::string_view org, core::Timestamp since,
                                                    const std::function<bool(const projections::Notice&)>& visible,
                                                    size_t limit) const {
  return projections::FindNotices(*db_, org, since, visible, limit);
}

es::Result<projections::SignIns> Ledger::SignIns(std::string_view username) const {
  return projections::FindSignIns(*db_, username);
}

es::Result<projections::ClaimPage> Ledger::Worklist(std::string_view role, std::string_view org,
                                                    const std::string& cursor, size_t limit) const {
  return projections::Worklist(*db_, role, org, cursor, limit);
}

es::Result<projections::AuditPage> Ledger::ClaimAudit(std::string_view claim_id, const std::string& cursor) const {
  return projections::ClaimAudit(*db_, *store_, claim_id, cursor);
}

es::Result<projections::Table> Ledger::RunReport(std::string_view name, const projections::ReportParams& params,
                                                 const projections::AsOf& as_of) const {
  auto table = projections::RunReport(*db_, name, params, as_of);
  if (!table.ok()) return table;
  if (es::Status s = StampLogHead(*store_, &*table); !s.ok()) return s;
  return table;
}

es::Result<std::optional<projections::PersonEntry>> Ledger::Person(std::string_view username) const {
  return projections::FindPerson(*db_, username);
}

es::Result<std::optional<projections::PaymentRunEntry>> Ledger::PaymentRun(std::string_view run_id) const {
  return projections::FindPaymentRun(*db_, run_id);
}

std::optional<std::string> Ledger::OrganisationName(std::string_view code) const {
  auto org = projections::FindOrganisation(*db_, code);
  if (!org.ok() || !org->has_value()) return std::nullopt;
  return (*org)->name;
}

es::Result<ClaimImport> Ledger::ImportClaims(std::string_view csv, ClaimImportOptions options) {
  if (options.digest.empty()) options.digest = ImportDigest(csv, options.actor, options.submit);
  auto plan = PlanClaimImport(*store_, csv, options);
  if (!plan.ok()) return plan.status();
  ClaimImport out{std::move(*plan), std::nullopt};
  if (!out.plan.errors.empty() || out.plan.request.streams.empty()) return out;
  auto appended = store_->Append(out.plan.request);
  if (!appended.ok()) return appended.status();
  (void)WaitForProjections(appended->last_position);
  out.appended = std::move(*appended);
  return out;
}

es::Result<core::LoadedStream> Ledger::StreamState(std::string_view stream_id) const {
  return projections::FindStreamState(*db_, stream_id);
}

std::optional<std::string> Ledger::PersonName(std::string_view username) const {
  auto person = projections::FindPerson(*db_, username);
  if (!person.ok() || !person->has_value()) return std::nullopt;
  return (*person)->full_name;
}

}  // namespace ledger::app
