#include "claim_row.h"

#include "row_codec.h"

namespace ledger::projections::internal {

std::string EncodeClaimRow(const ClaimView& c) {
  RowWriter w;
  w.S(c.claim_id).S(c.commissioner).S(c.provider).S(c.service_id).S(c.period).S(c.original_claim_id);
  w.U(static_cast<uint8_t>(c.status)).U(c.status_since_position).I(c.status_since_at);
  w.S(c.holder_role).S(c.holder_org);
  w.I(c.amount).I(c.paid_amount).U(static_cast<uint8_t>(c.risk_band)).I(c.units).I(c.list_size);
  w.S(c.prepared_by).S(c.submitted_by).S(c.last_actor);
  w.U(c.submissions).U(c.failed_submissions).U(c.returns);
  w.B(c.provider_approval_required).B(c.finance_approval_required);
  w.S(c.hold_reason).S(c.held_by).S(c.payment_run).S(c.pay_date).S(c.payment_reference);
  w.S(c.last_reason_code).S(c.last_reason);
  w.Strings(c.evidence).Strings(c.evidence_in_force);
  for (core::Timestamp t : c.stage_at) w.I(t);
  return w.Take();
}

bool DecodeClaimRow(std::string_view row, ClaimView* c) {
  RowReader r(row);
  c->claim_id = r.S();
  c->commissioner = r.S();
  c->provider = r.S();
  c->service_id = r.S();
  c->period = r.S();
  c->original_claim_id = r.S();
  c->status = static_cast<core::ClaimStatus>(r.U());
  c->status_since_position = r.U();
  c->status_since_at = r.I();
  c->holder_role = r.S();
  c->holder_org = r.S();
  c->amount = r.I();
  c->paid_amount = r.I();
  c->risk_band = static_cast<core::RiskBand>(r.U());
  c->units = r.I();
  c->list_size = r.I();
  c->prepared_by = r.S();
  c->submitted_by = r.S();
  c->last_actor = r.S();
  c->submissions = static_cast<uint32_t>(r.U());
  c->failed_submissions = static_cast<uint32_t>(r.U());
  c->returns = static_cast<uint32_t>(r.U());
  c->provider_approval_required = r.B();
  c->finance_approval_required = r.B();
  c->hold_reason = r.S();
  c->held_by = r.S();
  c->payment_run = r.S();
  c->pay_date = r.S();
  c->payment_reference = r.S();
  c->last_reason_code = r.S();
  c->last_reason = r.S();
  c->evidence = r.Strings();
  c->evidence_in_force = r.Strings();
  for (core::Timestamp& t : c->stage_at) t = r.I();
  return r.ok();
}

// Who holds the claim now, by the claim rules of core: the preparer while it
// can be edited, the tier it waits for, then the payment roles.
void HolderFor(const ClaimView& claim, std::string* role, std::string* org) {
  using core::ClaimStatus;
  const std::optional<core::ApprovalTier> tier = core::AwaitedTier(claim.status);
  if (core::IsEditable(claim.status)) {
    *role = "provider_user";
    *org = claim.provider;
  } else if (tier == core::ApprovalTier::kProvider) {
    *role = "provider_approver";
    *org = claim.provider;
  } else if (tier) {
    *role = core::ApprovalTierName(*tier);  // "tier1", "tier2", "finance"
    *org = claim.commissioner;
  } else if (claim.status == ClaimStatus::kApprovedForPayment) {
    *role = "payments";
    *org = claim.commissioner;
  } else if (claim.status == ClaimStatus::kPaymentHeld) {
    *role = "held";
    *org = claim.commissioner;
  } else {
    role->clear();
    org->clear();
  }
}

}  // namespace ledger::projections::internal
