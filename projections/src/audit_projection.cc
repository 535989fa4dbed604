// The audit projection: every event of a claim, and everything each person did,
// in log order, as positions in the log. Decisions on a claim also keep the
// amount and the evidence in force when they were taken (tracked per claim in
// A|ctx|<claim id>).
#include <boost/json/serialize.hpp>

#include "ledger/core/codec.h"
#include "ledger/core/streams.h"
#include "ledger/projections/claim_views.h"
#include "ledger/projections/keys.h"
#include "projection.h"
#include "row_codec.h"

namespace ledger::projections::internal {
namespace {

bool IsDecision(const core::Event& e) {
  return std::holds_alternative<core::ClaimApprovedByProvider>(e) ||
         std::holds_alternative<core::ClaimReturnedByProvider>(e) ||
         std::holds_alternative<core::ClaimApprovedAtTier>(e) ||
         std::holds_alternative<core::ClaimApprovedForPayment>(e) || std::holds_alternative<core::ClaimRejected>(e) ||
         std::holds_alternative<core::ClaimReturned>(e) || std::holds_alternative<core::PaymentHeld>(e) ||
         std::holds_alternative<core::PaymentReleased>(e);
}

std::string EntryKey(std::string_view prefix, std::string_view id, uint64_t position) {
  std::string key(prefix);
  key.append(id).push_back('|');
  AppendBE64(&key, position);
  return key;
}

class AuditProjection final : public Projection {
 public:
  std::string_view name() const override { return keys::kAuditProjection; }
  std::string_view key_namespace() const override { return keys::kAuditNamespace; }

  // The log is the audit trail: an entry is the event's position under the
  // claim and under the person, with, for a claim decision, the amount and
  // evidence in force then (the one thing the event alone does not say). The
  // entry's JSON is made from the event when it is read (AuditEntryJson).
  void Apply(const es::Envelope& env, const core::Event* event, Writer& w) override {
    const bool is_claim = core::KindOfStream(env.stream_id) == core::StreamKind::kClaim;
    if (!is_claim && env.actor_id.empty()) return;
    if (!is_claim) {
      w.Append(EntryKey(keys::kAuditByUser, env.actor_id, env.position), std::string());
      return;
    }
    std::string claim_id = env.stream_id.substr(env.stream_id.find('-') + 1);
    std::string ctx_key = std::string(keys::kAuditClaimContext).append(claim_id);
    if (event) UpdateContext(*event, ctx_key, w);
    std::string context;
    if (event && IsDecision(*event)) context = w.Get(ctx_key).value_or(std::string());
    if (!env.actor_id.empty()) w.Append(EntryKey(keys::kAuditByUser, env.actor_id, env.position), context);
    w.Append(EntryKey(keys::kAuditByClaim, claim_id, env.position), context);
  }

 private:
  static void UpdateContext(const core::Event& event, const std::string& ctx_key, Writer& w) {
    if (const auto* s = std::get_if<core::ClaimSubmitted>(&event)) {
      w.Put(ctx_key, RowWriter().I(s->amount).Strings(s->evidence).Take());
    } else if (const auto* a = std::get_if<core::AdjustmentRaised>(&event)) {
      w.Put(ctx_key, RowWriter().I(a->amount).Strings({}).Take());
    } else if (const auto* p = std::get_if<core::ClaimApprovedForPayment>(&event)) {
      std::vector<std::string> evidence;
      if (auto ctx = w.Get(ctx_key)) {
        RowReader r(*ctx);
        r.I();
        evidence = r.Strings();
      }
      w.Put(ctx_key, RowWriter().I(p->amount).Strings(evidence).Take());
    }
  }
};

}  // namespace

std::unique_ptr<Projection> MakeAuditProjection() { return std::make_unique<AuditProjection>(); }

std::string AuditEntryJson(const es::Envelope& env, const core::Event* event, std::string_view context) {
  boost::json::object entry;
  entry["position"] = env.position;
  entry["at"] = FormatTimestamp(event ? EventTime(*event) : env.recorded_at_us);
  entry["type"] = env.type;
  entry["stream"] = env.stream_id;
  entry["actor"] = env.actor_id;
  if (event) entry["event"] = core::ToJson(*event);
  if (!context.empty()) {
    RowReader r(context);
    entry["amount_pence"] = r.I();
    boost::json::array evidence;
    for (std::string& h : r.Strings()) evidence.emplace_back(h);
    entry["evidence_in_force"] = std::move(evidence);
  }
  return boost::json::serialize(entry);
}

}  // namespace ledger::projections::internal
