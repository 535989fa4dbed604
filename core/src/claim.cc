// Claim decider: drafts, submission, the approval tiers, holds, withdrawal,
// rejection and adjustments. Submission validation is in claim_submit.cc;
// payment runs (added, sent, paid) in payment_run.cc.
#include "ledger/core/claim.h"

#include <algorithm>
#include <limits>

#include "claim_internal.h"
#include "decide_support.h"
#include "ledger/core/domain.h"
#include "ledger/core/evidence.h"
#include "ledger/core/streams.h"
#include "variant_util.h"

namespace ledger::core {
namespace {

using internal::ActingPrincipal;
using internal::ClaimView;
using internal::Deny;
using internal::NoChange;
using internal::Overloaded;
using internal::ViewClaim;

// Every stream a claim command may need: the claim, its key reservation, the
// service (tariff), the participation, the provider and the commissioner.
std::vector<std::string> StreamsForRef(const ClaimRef& ref) {
  return {ClaimStream(ref.claim_id),     ClaimKeyStream(ref.provider, ref.service_id, ref.period),
          ServiceStream(ref.service_id), OfferStream(ref.service_id, ref.provider),
          OrgStream(ref.provider),       OrgStream(ref.commissioner)};
}

std::string KeyStreamOf(const ClaimRef& ref) { return ClaimKeyStream(ref.provider, ref.service_id, ref.period); }

// "Tier 1", "Tier 2", "Finance", "provider approval": how a tier reads in a sentence.
std::string TierTitle(ApprovalTier tier) {
  switch (tier) {
    case ApprovalTier::kProvider: return "provider approval";
    case ApprovalTier::kTier1: return "Tier 1";
    case ApprovalTier::kTier2: return "Tier 2";
    case ApprovalTier::kFinance: return "Finance";
  }
  return "unknown";
}

// A claim approved for payment may be held until it joins a payment run.
bool IsHoldable(const ClaimState& claim) {
  return claim.status == ClaimStatus::kApprovedForPayment && claim.payment_run.empty();
}

// Adjustments are never returned (they are rejected and raised again).
bool IsReturnable(const ClaimState& claim) { return claim.original_claim_id.empty(); }

// A paid original claim (not itself an adjustment) may be adjusted.
bool IsAdjustable(const ClaimState& claim) {
  return claim.original_claim_id.empty() && claim.status == ClaimStatus::kPaid;
}

std::string StatusPhrase(const ClaimState& claim) { return std::string(StatusName(claim.status)); }

Rejection WrongState(std::string code, const ClaimState& claim, std::string_view what) {
  return Rejection::Conflict(std::move(code),
                             "This claim is " + StatusPhrase(claim) + ", so it cannot " + std::string(what) + ".");
}

Rejection ReasonRequired(std::string_view what) {
  return Rejection::Invalid("reason_required", "Enter a reason for " + std::string(what) + ".",
                            {FieldError{"reason", "reason_required", "Enter a reason."}});
}

// A decision writing `events` to the claim's stream and, when non-empty,
// `key_events` to its key reservation stream.
Decision ClaimWrite(const ClaimRef& ref, std::vector<Event> events, std::vector<Event> key_events = {}) {
  Decision d = internal::WriteTo(ClaimStream(ref.claim_id), std::move(events));
  if (!key_events.empty()) d.writes.push_back(StreamWrite{KeyStreamOf(ref), std::move(key_events)});
  return d;
}

// The key release that goes with ending a claim, when the claim holds its key.
std::vector<Event> ReleaseKeyIfHeld(const ClaimView& view, Timestamp at) {
  const ClaimRef& ref = view.claim.claim;
  if (view.key.holder != ref.claim_id) return {};
  return {ClaimKeyReleased{ref.provider, ref.service_id, ref.period, ref.claim_id, at}};
}

// Separation of duties: the preparer and submitter never approve, and no
// person acts at two tiers within one submission.
std::optional<Rejection> SeparationOfDuties(const Principal& who, const ClaimState& claim, ApprovalTier tier,
                                            bool approving) {
  if (approving && (who.username == claim.prepared_by || who.username == claim.submitted_by)) {
    return Rejection::Forbidden("separation_of_duties",
                                "You prepared or submitted this claim, so someone else must approve it.");
  }
  for (const auto& [other, by] : claim.decided_by) {
    if (other != tier && by == who.username) {
      return Rejection::Forbidden("separation_of_duties", "You have already acted on this claim at " +
                                                              TierTitle(other) + "; a different person must act at " +
                                                              TierTitle(tier) + ".");
    }
  }
  return std::nullopt;
}

// The common start of every command on an existing claim: who acts, whether
// the claim exists, whether the actor may do `action` to it, and whether the
// command's routing keys are the claim's.
template <typename Body>
Outcome<Decision> OnClaim(const CommandMeta& meta, const ClaimRef& ref, const Loaded& loaded, Action action,
                          Body body) {
  auto who = ActingPrincipal(meta, loaded);
  if (!who.ok()) return who.rejection();
  const ClaimView view = ViewClaim(loaded, ref);
  if (view.claim.status == ClaimStatus::kNone) {
    return Rejection::NotFound("claim_not_found", "There is no claim " + ref.claim_id + ".");
  }
  if (auto denied = Deny(who.value(), action, ClaimScope(view.claim.claim))) return *denied;
  if (view.claim.claim != ref) {
    return Rejection::Conflict("claim_mismatch", "The claim's provider, service or period is not the one given.");
  }
  return body(who.value(), view);
}

// ---- Drafts -----------------------------------------------------------------

std::vector<FieldError> EntryProblems(const ServiceDefinition& def, const UnitValues& values, const Answers& answers);

// Entered values that are unknown to the service or outside their component's range.
Rejection EntryRejection(std::vector<FieldError> errors) {
  const bool unknown = std::all_of(errors.begin(), errors.end(), [](const FieldError& e) {
    return e.code == "unknown_component" || e.code == "unknown_question";
  });
  return internal::InvalidFields(unknown ? "unknown_fields" : "invalid_values",
                                 unknown ? "Some values are not part of this service."
                                         : "Some values cannot be entered: see the fields listed.",
                                 std::move(errors));
}

// A claim period must fall (at least in part) within the service's dates.
std::optional<Rejection> PeriodOutsideService(const ServiceDefinition& def, const Period& period) {
  if (period.end >= def.start && period.start <= def.end) return std::nullopt;
  const std::string message = def.name + " runs from " + internal::LongDate(def.start) + " to " +
                              internal::LongDate(def.end) + ": choose a period within those dates.";
  return Rejection::Invalid("period_outside_service", message,
                            {FieldError{"period", "period_outside_service", message}});
}

// Whether a new draft may be made for the claim's period: a canonical period
// of the service's frequency, within the service's dates, whose claim window
// has not closed (such a draft could never be submitted), and whose
// provider/service/period key no other claim holds.
std::optional<Rejection> DraftPeriodProblem(const ClaimView& view, const ClaimRef& ref, Date today) {
  const ServiceDefinition& def = view.service.definition;
  auto period = Period::Parse(def.frequency, ref.period);
  if (!period || period->ToString() != ref.period) {
    const std::string message = "Enter a " + std::string(FrequencyName(def.frequency)) + " period for " + def.name +
                                ".";
    return Rejection::Invalid("invalid_period", message, {FieldError{"period", "invalid_period", message}});
  }
  if (auto outside = PeriodOutsideService(def, *period)) return *outside;
  const ClaimWindow window = WindowFor(def, *period);
  if (today > window.closes) {
    const std::string message = "The claim window for " + internal::LongPeriod(*period) + " closed on " +
                                internal::LongDate(window.closes) +
                                ". Contact your commissioner if you need to make a late claim.";
    return Rejection::Invalid("window_closed", message, {FieldError{"period", "window_closed", message}});
  }
  if (!view.key.holder.empty()) {
    const std::string message = "A claim for " + def.name + " for " + internal::LongPeriod(*period) +
                                " already exists (claim " + view.key.holder +
                                "): open that claim instead of starting another.";
    Rejection r = Rejection::Conflict("duplicate_claim", message);
    r.errors.push_back(FieldError{"period", "duplicate_claim", message});
    return r;
  }
  return std::nullopt;
}

Outcome<Decision> CreateDraft(const CommandMeta& meta, const CreateClaimDraft& c, const Loaded& loaded) {
  auto who = ActingPrincipal(meta, loaded);
  if (!who.ok()) return who.rejection();
  const ClaimRef& ref = c.claim;
  if (auto denied = Deny(who.value(), Action::kPrepareClaim, ClaimScope(ref))) return *denied;
  const ClaimView view = ViewClaim(loaded, ref);
  if (view.claim.status != ClaimStatus::kNone) {
    const bool same = view.claim.claim == ref && view.claim.prepared_by == who->username &&
                      view.claim.status == ClaimStatus::kDraft;
    if (same) return NoChange();
    return Rejection::Conflict("claim_exists", "There is already a claim " + ref.claim_id + ".");
  }
  if (!IsValidId(ref.claim_id)) {
    return Rejection::Invalid("invalid_claim_id", "The claim id is not valid.",
                              {FieldError{"claim_id", "invalid_claim_id",
                                          "Use 1 to 64 letters, digits, '.', '_' or '-'."}});
  }
  if (!view.provider.exists || !IsProvider(view.provider.kind)) {
    return Rejection::NotFound("provider_not_found", "There is no provider " + ref.provider + ".");
  }
  if (view.provider.commissioner_code != ref.commissioner) {
    return Rejection::Invalid("wrong_commissioner", ref.provider + " is commissioned by " +
                                                        view.provider.commissioner_code + ", not " + ref.commissioner +
                                                        ".");
  }
  // A service never offered to the provider (another commissioner's, say) is
  // as unknown to it as one that does not exist: the API hides it the same way.
  if (view.service.status == ServiceStatus::kNone || view.offer.status == OfferStatus::kNone) {
    return Rejection::NotFound("service_not_found", "There is no service " + ref.service_id + ".");
  }
  if (view.service.status != ServiceStatus::kPublished) {
    return Rejection::Conflict("service_not_open", view.service.definition.name + " is not open for claims.");
  }
  if (auto problem = DraftPeriodProblem(view, ref, internal::Today(meta))) return *problem;
  std::vector<Event> events = {ClaimDrafted{ref, who->username, meta.at}};
  if (!c.values.empty() || !c.answers.empty()) {
    auto errors = EntryProblems(view.service.definition, c.values, c.answers);
    if (!errors.empty()) return EntryRejection(std::move(errors));
    events.push_back(ClaimValuesEntered{ref.claim_id, c.values, c.answers, who->username, meta.at});
  }
  // The first draft takes the provider/service/period key (kept through
  // submission and returns; released when the draft is deleted, or the
  // claim rejected or withdrawn).
  return ClaimWrite(ref, std::move(events),
                    {ClaimKeyReserved{ref.provider, ref.service_id, ref.period, ref.claim_id, meta.at}});
}

std::vector<FieldError> EntryProblems(const ServiceDefinition& def, const UnitValues& values, const Answers& answers) {
  std::vector<FieldError> errors;
  for (const auto& [id, v] : values) {
    const Component* component = def.FindComponent(id);
    if (component == nullptr) {
      errors.push_back({"components." + id, "unknown_component", "This service has no component " + id + "."});
    } else if (auto problem = internal::ValueProblem(*component, v)) {
      errors.push_back(std::move(*problem));
    }
  }
  for (const auto& [id, text] : answers) {
    const bool known = std::any_of(def.questions.begin(), def.questions.end(),
                                   [&key = id](const Question& q) { return q.id == key; });
    if (!known) errors.push_back({"answers." + id, "unknown_question", "This service has no question " + id + "."});
  }
  return errors;
}

Outcome<Decision> EnterValues(const CommandMeta& meta, const EnterClaimValues& c, const Loaded& loaded) {
  return OnClaim(
      meta, c.claim, loaded, Action::kPrepareClaim,
      [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
        if (!IsEditable(view.claim.status)) return WrongState("not_editable", view.claim, "be edited");
        auto errors = EntryProblems(view.service.definition, c.values, c.answers);
        if (!errors.empty()) return EntryRejection(std::move(errors));
        if (c.values == view.claim.values && c.answers == view.claim.answers) return NoChange();
        return ClaimWrite(c.claim, {ClaimValuesEntered{c.claim.claim_id, c.values, c.answers, who.username, meta.at}});
      });
}

std::vector<FieldError> EvidenceProblems(const Evidence& e) {
  std::vector<FieldError> errors;
  if (!internal::IsSha256Hex(e.sha256)) {
    errors.push_back({"evidence.sha256", "invalid_sha256", "The file's SHA-256 must be 64 lowercase hex digits."});
  }
  if (e.filename.empty()) errors.push_back({"evidence.filename", "required", "Give the file a name."});
  if (e.size < 0) errors.push_back({"evidence.size", "invalid_size", "The file size cannot be negative."});
  if (e.size > kEvidenceMaxBytes)
    errors.push_back({"evidence.size", std::string(kEvidenceTooLarge),
                      "The file is larger than " + EvidenceLimitText() + ", the largest evidence file accepted."});
  if (FindEvidenceType(e.content_type) == nullptr)
    errors.push_back({"evidence.content_type", std::string(kEvidenceTypeNotAccepted),
                      "Evidence must be " + AcceptedEvidenceText() + "."});
  return errors;
}

Outcome<Decision> Attach(const CommandMeta& meta, const AttachEvidence& c, const Loaded& loaded) {
  return OnClaim(meta, c.claim, loaded, Action::kPrepareClaim,
                 [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
                   if (!IsEditable(view.claim.status)) return WrongState("not_editable", view.claim, "be edited");
                   auto errors = EvidenceProblems(c.evidence);
                   if (!errors.empty()) {
                     return internal::InvalidFields("invalid_evidence", "The evidence file is not valid.",
                                                    std::move(errors));
                   }
                   for (const Evidence& e : view.claim.evidence) {
                     if (e.sha256 == c.evidence.sha256) return NoChange();
                   }
                   return ClaimWrite(c.claim, {EvidenceAttached{c.claim.claim_id, c.evidence, who.username, meta.at}});
                 });
}

Outcome<Decision> Remove(const CommandMeta& meta, const RemoveEvidence& c, const Loaded& loaded) {
  return OnClaim(meta, c.claim, loaded, Action::kPrepareClaim,
                 [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
                   if (!IsEditable(view.claim.status)) return WrongState("not_editable", view.claim, "be edited");
                   const bool attached = std::any_of(view.claim.evidence.begin(), view.claim.evidence.end(),
                                                     [&](const Evidence& e) { return e.sha256 == c.sha256; });
                   if (!attached) return NoChange();
                   return ClaimWrite(c.claim, {EvidenceRemoved{c.claim.claim_id, c.sha256, who.username, meta.at}});
                 });
}

Outcome<Decision> DeleteDraft(const CommandMeta& meta, const DeleteClaimDraft& c, const Loaded& loaded) {
  return OnClaim(meta, c.claim, loaded, Action::kPrepareClaim,
                 [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
                   if (view.claim.status == ClaimStatus::kDeleted) return NoChange();
                   if (view.claim.status != ClaimStatus::kDraft) {
                     return WrongState("not_a_draft", view.claim, "be deleted (withdraw it instead)");
                   }
                   return ClaimWrite(c.claim, {ClaimDraftDeleted{c.claim.claim_id, who.username, meta.at}},
                                     ReleaseKeyIfHeld(view, meta.at));
                 });
}

// ---- Submission -------------------------------------------------------------

Outcome<Decision> Submit(const CommandMeta& meta, const SubmitClaim& c, const Loaded& loaded) {
  return OnClaim(meta, c.claim, loaded, Action::kSubmitClaim,
                 [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
                   if (!IsEditable(view.claim.status)) {
                     return WrongState("not_submittable", view.claim, "be submitted");
                   }
                   internal::SubmissionCheck check = internal::CheckSubmission(view, internal::Today(meta));
                   if (!check.errors.empty()) {
                     Decision d = ClaimWrite(c.claim, {ClaimSubmissionFailed{c.claim.claim_id, check.errors,
                                                                             who.username, meta.at}});
                     d.validation_errors = std::move(check.errors);
                     return d;
                   }
                   check.submitted.submitted_by = who.username;
                   check.submitted.at = meta.at;
                   std::vector<Event> key_events;
                   if (view.key.holder != c.claim.claim_id) {
                     key_events.push_back(ClaimKeyReserved{c.claim.provider, c.claim.service_id, c.claim.period,
                                                           c.claim.claim_id, meta.at});
                   }
                   return ClaimWrite(c.claim, {std::move(check.submitted)}, std::move(key_events));
                 });
}

// ---- Decisions at the tiers -------------------------------------------------

// Whether the current submission is under way or approved (its decisions stand).
bool InFlight(ClaimStatus status) {
  return AwaitedTier(status).has_value() || status == ClaimStatus::kApprovedForPayment ||
         status == ClaimStatus::kPaymentHeld || status == ClaimStatus::kSentForPayment || status == ClaimStatus::kPaid;
}

// Refuses a decision at `tier` unless the claim is waiting for exactly that
// tier (the second of two racing approvers at one tier lands here).
std::optional<Rejection> NotAwaiting(const ClaimState& claim, ApprovalTier tier) {
  if (AwaitedTier(claim.status) == tier) return std::nullopt;
  auto decided = claim.decided_by.find(tier);
  if (decided != claim.decided_by.end() && InFlight(claim.status)) {
    return Rejection::Conflict("already_decided", "This claim has already been approved at " + TierTitle(tier) +
                                                      " by " + decided->second + " and is now " + StatusPhrase(claim) +
                                                      ".");
  }
  return Rejection::Conflict("not_awaiting_tier",
                             "This claim is " + StatusPhrase(claim) + ", not waiting for " + TierTitle(tier) + ".");
}

// A decision at `asked` (the tier the caller read the claim at) on a claim
// that has moved on since is a conflict naming the claim's status now, not a
// permission failure, when the actor may decide at `asked`; kForbidden only
// when they may not.
std::optional<Rejection> NotAtTier(const Principal& who, const ClaimState& claim, ApprovalTier asked) {
  if (auto denied = Deny(who, ApproveActionFor(asked), ClaimScope(claim.claim))) return denied;
  return NotAwaiting(claim, asked);
}

std::vector<Event> ApprovalEvents(const CommandMeta& meta, const ClaimState& claim, ApprovalTier tier) {
  const std::string& id = claim.claim.claim_id;
  std::vector<Event> events;
  if (tier == ApprovalTier::kProvider) {
    events.push_back(ClaimApprovedByProvider{id, meta.actor, meta.at});
    return events;
  }
  events.push_back(ClaimApprovedAtTier{id, tier, meta.actor, meta.at});
  const bool last = tier == ApprovalTier::kFinance ||
                    (tier == ApprovalTier::kTier2 && !claim.finance_approval_required);
  if (last) events.push_back(ClaimApprovedForPayment{id, claim.amount, meta.at});
  return events;
}

Outcome<Decision> Approve(const CommandMeta& meta, const ClaimRef& ref, ApprovalTier tier, const Loaded& loaded) {
  return OnClaim(meta, ref, loaded, ApproveActionFor(tier),
                 [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
                   const ClaimState& claim = view.claim;
                   auto by = claim.decided_by.find(tier);
                   const bool repeat = by != claim.decided_by.end() && by->second == who.username &&
                                       AwaitedTier(claim.status) != tier && InFlight(claim.status);
                   if (repeat) return NoChange();
                   if (auto refused = NotAwaiting(claim, tier)) return *refused;
                   if (auto refused = SeparationOfDuties(who, claim, tier, /*approving=*/true)) return *refused;
                   return ClaimWrite(ref, ApprovalEvents(meta, claim, tier));
                 });
}

// The commissioner tier the claim is waiting for, for Reject/Return; a
// rejection when it is not waiting for a commissioner decision.
Outcome<ApprovalTier> CommissionerTier(const ClaimState& claim, std::string_view what) {
  const auto awaited = AwaitedTier(claim.status);
  if (!awaited) return WrongState("not_awaiting_approval", claim, what);
  if (*awaited == ApprovalTier::kProvider) {
    return Rejection::Conflict("awaiting_provider",
                               "This claim is still awaiting approval by the provider, so it cannot " +
                                   std::string(what) + ".");
  }
  return *awaited;
}

// Reject and Return also need the role of the tier the claim is waiting for;
// `asked` is the tier the caller read the claim at (unset: the tier awaited).
template <typename Body>
Outcome<Decision> AtCommissionerTier(const Principal& who, const ClaimState& claim, std::optional<ApprovalTier> asked,
                                     std::string_view what, Body body) {
  if (!asked) asked = TierToDecide(who, claim);
  if (asked && *asked != ApprovalTier::kProvider) {
    if (auto refused = NotAtTier(who, claim, *asked)) return *refused;
  }
  auto tier = CommissionerTier(claim, what);
  if (!tier.ok()) return tier.rejection();
  if (auto refused = NotAtTier(who, claim, tier.value())) return *refused;
  if (auto refused = SeparationOfDuties(who, claim, tier.value(), /*approving=*/false)) return *refused;
  return body(tier.value());
}

Outcome<Decision> Reject(const CommandMeta& meta, const RejectClaim& c, const Loaded& loaded) {
  return OnClaim(meta, c.claim, loaded, Action::kRejectClaim,
                 [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
                   if (view.claim.status == ClaimStatus::kRejected) return NoChange();
                   std::vector<FieldError> errors;
                   if (!IsRejectionReasonCode(c.reason_code)) {
                     errors.push_back({"reason_code", "unknown_reason_code", "Choose a reason for the rejection."});
                   }
                   if (c.reason.empty()) {
                     errors.push_back({"reason", "reason_required", "Explain the rejection to the practice."});
                   }
                   if (!errors.empty()) {
                     return internal::InvalidFields("invalid_rejection", "The rejection needs a reason.",
                                                    std::move(errors));
                   }
                   return AtCommissionerTier(who, view.claim, c.tier, "be rejected", [&](ApprovalTier tier) {
                     return ClaimWrite(c.claim,
                                       {ClaimRejected{c.claim.claim_id, tier, c.reason_code, c.reason, who.username,
                                                      meta.at}},
                                       ReleaseKeyIfHeld(view, meta.at));
                   });
                 });
}

Outcome<Decision> Return(const CommandMeta& meta, const ReturnClaim& c, const Loaded& loaded) {
  return OnClaim(
      meta, c.claim, loaded, Action::kReturnClaim,
      [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
        if (view.claim.status == ClaimStatus::kReturned) return NoChange();
        if (c.reason.empty()) return ReasonRequired("returning the claim");
        if (!IsReturnable(view.claim)) {
          return Rejection::Conflict("adjustment_not_returnable",
                                     "An adjustment cannot be returned; reject it and raise a new one.");
        }
        return AtCommissionerTier(who, view.claim, c.tier, "be returned", [&](ApprovalTier tier) {
          return ClaimWrite(c.claim, {ClaimReturned{c.claim.claim_id, tier, c.reason, who.username, meta.at}});
        });
      });
}

Outcome<Decision> ProviderReturn(const CommandMeta& meta, const ProviderReturnClaim& c, const Loaded& loaded) {
  return OnClaim(
      meta, c.claim, loaded, Action::kProviderApproveClaim,
      [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
        if (view.claim.status == ClaimStatus::kReturned) return NoChange();
        if (view.claim.status != ClaimStatus::kAwaitingProviderApproval) {
          return WrongState("not_awaiting_provider", view.claim, "be returned by the provider");
        }
        if (c.reason.empty()) return ReasonRequired("returning the claim");
        return ClaimWrite(c.claim, {ClaimReturnedByProvider{c.claim.claim_id, c.reason, who.username, meta.at}});
      });
}

Outcome<Decision> Withdraw(const CommandMeta& meta, const WithdrawClaim& c, const Loaded& loaded) {
  return OnClaim(meta, c.claim, loaded, Action::kWithdrawClaim,
                 [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
                   if (view.claim.status == ClaimStatus::kWithdrawn) return NoChange();
                   if (!view.claim.original_claim_id.empty()) {
                     return Rejection::Conflict("adjustment_not_withdrawable",
                                                "An adjustment is raised by the commissioner and cannot be withdrawn.");
                   }
                   if (view.claim.status == ClaimStatus::kDraft) {
                     return WrongState("not_submitted", view.claim, "be withdrawn (delete the draft instead)");
                   }
                   if (!IsWithdrawable(view.claim)) {
                     return WrongState("not_withdrawable", view.claim, "be withdrawn");
                   }
                   return ClaimWrite(c.claim, {ClaimWithdrawn{c.claim.claim_id, c.reason, who.username, meta.at}},
                                     ReleaseKeyIfHeld(view, meta.at));
                 });
}

// ---- Holds ------------------------------------------------------------------

Outcome<Decision> Hold(const CommandMeta& meta, const HoldPayment& c, const Loaded& loaded) {
  return OnClaim(meta, c.claim, loaded, Action::kHoldPayment,
                 [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
                   if (view.claim.status == ClaimStatus::kPaymentHeld) return NoChange();
                   if (view.claim.status != ClaimStatus::kApprovedForPayment) {
                     return WrongState("not_approved_for_payment", view.claim, "be held");
                   }
                   if (!IsHoldable(view.claim)) {
                     return Rejection::Conflict("in_payment_run", "This claim is already in payment run " +
                                                                      view.claim.payment_run +
                                                                      ", so it can no longer be held.");
                   }
                   if (c.reason.empty()) return ReasonRequired("holding the payment");
                   return ClaimWrite(c.claim, {PaymentHeld{c.claim.claim_id, c.reason, who.username, meta.at}});
                 });
}

Outcome<Decision> Release(const CommandMeta& meta, const ReleasePayment& c, const Loaded& loaded) {
  return OnClaim(meta, c.claim, loaded, Action::kReleasePayment,
                 [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
                   if (view.claim.status == ClaimStatus::kApprovedForPayment) return NoChange();
                   if (view.claim.status != ClaimStatus::kPaymentHeld) {
                     return WrongState("not_held", view.claim, "be released");
                   }
                   return ClaimWrite(c.claim, {PaymentReleased{c.claim.claim_id, who.username, meta.at}});
                 });
}

// ---- Adjustments ------------------------------------------------------------

std::vector<FieldError> AdjustmentProblems(const RaiseAdjustment& c, const ClaimState& original) {
  std::vector<FieldError> errors;
  if (!IsValidId(c.adjustment_id) || c.adjustment_id == c.original.claim_id) {
    errors.push_back({"adjustment_id", "invalid_claim_id", "Give the adjustment a new, valid claim id."});
  }
  if (c.amount == 0 || c.amount == std::numeric_limits<Pence>::min()) {
    errors.push_back({"amount", "invalid_amount",
                      "Enter the amount to recover (negative) or to top up (positive); it cannot be zero."});
  } else if (c.amount < 0 && -c.amount > original.amount) {
    errors.push_back({"amount", "recovery_above_paid",
                      "A recovery cannot be more than the " + FormatPounds(original.amount) + " paid."});
  }
  if (c.reason.empty()) errors.push_back({"reason", "reason_required", "Explain why the payment is adjusted."});
  return errors;
}

Outcome<Decision> Adjust(const CommandMeta& meta, const RaiseAdjustment& c, const Loaded& loaded) {
  return OnClaim(
      meta, c.original, loaded, Action::kManagePaymentRuns,
      [&](const Principal& who, const ClaimView& view) -> Outcome<Decision> {
        const ClaimState& existing = internal::StateOf<ClaimState>(loaded, ClaimStream(c.adjustment_id));
        if (existing.status != ClaimStatus::kNone) {
          const bool same = existing.original_claim_id == c.original.claim_id && existing.amount == c.amount;
          if (same) return NoChange();
          return Rejection::Conflict("claim_exists", "There is already a claim " + c.adjustment_id + ".");
        }
        if (!view.claim.original_claim_id.empty()) {
          return Rejection::Conflict("adjust_the_original", "Adjust the original claim " +
                                                                view.claim.original_claim_id + ", not an adjustment.");
        }
        if (!IsAdjustable(view.claim)) {
          return WrongState("not_paid", view.claim, "be adjusted (only paid claims are adjusted)");
        }
        auto errors = AdjustmentProblems(c, view.claim);
        if (!errors.empty()) {
          return internal::InvalidFields("invalid_adjustment", "The adjustment is not valid.", std::move(errors));
        }
        ClaimRef ref = c.original;
        ref.claim_id = c.adjustment_id;
        ClaimSubmitted submitted;
        submitted.claim_id = c.adjustment_id;
        submitted.amount = c.amount;
        submitted.risk_band = internal::RiskBandOfMagnitude(c.amount);
        submitted.finance_approval_required = internal::NeedsFinanceApproval(view.commissioner, c.amount);
        submitted.submitted_by = who.username;
        submitted.at = meta.at;
        return internal::WriteTo(ClaimStream(c.adjustment_id),
                                 {AdjustmentRaised{ref, c.original.claim_id, c.amount, c.reason, who.username, meta.at},
                                  std::move(submitted)});
      });
}

// ---- Evolve -----------------------------------------------------------------

ClaimState Submitted(ClaimState state, const ClaimSubmitted& e) {
  state.status = e.provider_approval_required ? ClaimStatus::kAwaitingProviderApproval : ClaimStatus::kAwaitingTier1;
  state.submitted_by = e.submitted_by;
  state.submissions += 1;
  state.decided_by.clear();
  state.values = e.values;
  state.answers = e.answers;
  state.amount = e.amount;
  state.risk_band = e.risk_band;
  state.provider_approval_required = e.provider_approval_required;
  state.finance_approval_required = e.finance_approval_required;
  return state;
}

ClaimStatus AfterApprovalAt(const ClaimState& state, ApprovalTier tier) {
  switch (tier) {
    case ApprovalTier::kProvider: return ClaimStatus::kAwaitingTier1;
    case ApprovalTier::kTier1: return ClaimStatus::kAwaitingTier2;
    case ApprovalTier::kTier2:
      return state.finance_approval_required ? ClaimStatus::kAwaitingFinance : ClaimStatus::kApprovedForPayment;
    case ApprovalTier::kFinance: return ClaimStatus::kApprovedForPayment;
  }
  return state.status;
}

constexpr RejectionReasonCode kRejectionReasons[] = {
    {"evidence_insufficient", "The evidence does not support the claim"},
    {"values_incorrect", "The claimed values are incorrect"},
    {"not_eligible", "The activity is not eligible under the service specification"},
    {"already_claimed", "The activity has already been claimed"},
    {"outside_period", "The activity falls outside the claim period"},
    {"other", "Another reason (see the explanation)"},
};

}  // namespace

Action ApproveActionFor(ApprovalTier tier) {
  switch (tier) {
    case ApprovalTier::kProvider: return Action::kProviderApproveClaim;
    case ApprovalTier::kTier1: return Action::kApproveTier1;
    case ApprovalTier::kTier2: return Action::kApproveTier2;
    case ApprovalTier::kFinance: return Action::kApproveFinance;
  }
  return Action::kApproveTier1;
}

std::optional<ApprovalTier> AwaitedTier(ClaimStatus status) {
  switch (status) {
    case ClaimStatus::kAwaitingProviderApproval: return ApprovalTier::kProvider;
    case ClaimStatus::kAwaitingTier1: return ApprovalTier::kTier1;
    case ClaimStatus::kAwaitingTier2: return ApprovalTier::kTier2;
    case ClaimStatus::kAwaitingFinance: return ApprovalTier::kFinance;
    default: return std::nullopt;
  }
}

bool IsEditable(ClaimStatus status) { return status == ClaimStatus::kDraft || status == ClaimStatus::kReturned; }

bool IsWithdrawable(const ClaimState& claim) {
  return claim.original_claim_id.empty() &&
         (AwaitedTier(claim.status).has_value() || claim.status == ClaimStatus::kReturned);
}

Scope ClaimScope(const ClaimRef& ref) {
  Scope scope;
  scope.provider_code = ref.provider;
  scope.commissioner_code = ref.commissioner;
  return scope;
}

std::optional<ApprovalTier> TierToDecide(const Principal& who, const ClaimState& claim) {
  const std::optional<ApprovalTier> awaited = AwaitedTier(claim.status);
  const Scope scope = ClaimScope(claim.claim);
  auto may = [&](ApprovalTier tier) { return Authorize(who, ApproveActionFor(tier), scope).allowed; };
  if (awaited && may(*awaited)) return awaited;
  std::optional<ApprovalTier> passed;  // the latest of this submission's tiers the person decides at
  for (const auto& [tier, by] : claim.decided_by) {
    if (tier != ApprovalTier::kProvider && may(tier)) passed = tier;
  }
  return passed ? passed : awaited;
}

namespace {

// Whether `who` may decide at the tier the claim waits for: approve
// (`approving`), or reject and return (the commissioner tiers), as Approve,
// Reject, Return and ProviderReturn decide it.
bool MayDecideAwaited(const Principal& who, const ClaimState& claim, ClaimAction action) {
  const std::optional<ApprovalTier> tier = AwaitedTier(claim.status);
  if (!tier) return false;
  const Scope scope = ClaimScope(claim.claim);
  const bool approving = action == ClaimAction::kApprove;
  if (*tier == ApprovalTier::kProvider) {
    // The provider's approver returns without the separation-of-duties check (ProviderReturn).
    if (action == ClaimAction::kReject) return false;
    if (!Authorize(who, Action::kProviderApproveClaim, scope).allowed) return false;
    return !approving || !SeparationOfDuties(who, claim, *tier, true);
  }
  if (action == ClaimAction::kReject && !Authorize(who, Action::kRejectClaim, scope).allowed) return false;
  if (action == ClaimAction::kReturn &&
      (!Authorize(who, Action::kReturnClaim, scope).allowed || !IsReturnable(claim))) {
    return false;
  }
  if (!Authorize(who, ApproveActionFor(*tier), scope).allowed) return false;
  return !SeparationOfDuties(who, claim, *tier, approving);
}

}  // namespace

bool MayTake(const ClaimState& claim, const Principal& who, ClaimAction action) {
  if (claim.status == ClaimStatus::kNone) return false;
  const Scope scope = ClaimScope(claim.claim);
  auto may = [&](Action a) { return Authorize(who, a, scope).allowed; };
  switch (action) {
    case ClaimAction::kEdit:
    case ClaimAction::kAttachEvidence: return IsEditable(claim.status) && may(Action::kPrepareClaim);
    case ClaimAction::kRemoveEvidence:
      return IsEditable(claim.status) && !claim.evidence.empty() && may(Action::kPrepareClaim);
    case ClaimAction::kDeleteDraft: return claim.status == ClaimStatus::kDraft && may(Action::kPrepareClaim);
    case ClaimAction::kSubmit: return IsEditable(claim.status) && may(Action::kSubmitClaim);
    case ClaimAction::kWithdraw: return IsWithdrawable(claim) && may(Action::kWithdrawClaim);
    case ClaimAction::kApprove:
    case ClaimAction::kReturn:
    case ClaimAction::kReject: return MayDecideAwaited(who, claim, action);
    case ClaimAction::kHoldPayment: return IsHoldable(claim) && may(Action::kHoldPayment);
    case ClaimAction::kReleasePayment: return claim.status == ClaimStatus::kPaymentHeld && may(Action::kReleasePayment);
    case ClaimAction::kRaiseAdjustment: return IsAdjustable(claim) && may(Action::kManagePaymentRuns);
  }
  return false;
}

std::vector<ClaimAction> AvailableActions(const ClaimState& claim, const Principal& who) {
  std::vector<ClaimAction> out;
  for (int i = 0; i < kClaimActionCount; ++i) {
    const auto action = static_cast<ClaimAction>(i);
    if (MayTake(claim, who, action)) out.push_back(action);
  }
  return out;
}

const std::vector<RejectionReasonCode>& RejectionReasonCodes() {
  static const std::vector<RejectionReasonCode> kAll(std::begin(kRejectionReasons), std::end(kRejectionReasons));
  return kAll;
}

bool IsRejectionReasonCode(std::string_view code) {
  return std::any_of(std::begin(kRejectionReasons), std::end(kRejectionReasons),
                     [&](const RejectionReasonCode& r) { return r.code == code; });
}

std::vector<std::string> StreamsForClaim(const ClaimCommand& command) {
  return std::visit(Overloaded{
                        [](const RaiseAdjustment& c) {
                          auto streams = StreamsForRef(c.original);
                          streams.push_back(ClaimStream(c.adjustment_id));
                          return streams;
                        },
                        [](const auto& c) { return StreamsForRef(c.claim); },
                    },
                    command);
}

Outcome<Decision> DecideClaim(const CommandMeta& meta, const ClaimCommand& command, const Loaded& loaded) {
  return std::visit(Overloaded{
                        [&](const CreateClaimDraft& c) { return CreateDraft(meta, c, loaded); },
                        [&](const EnterClaimValues& c) { return EnterValues(meta, c, loaded); },
                        [&](const AttachEvidence& c) { return Attach(meta, c, loaded); },
                        [&](const RemoveEvidence& c) { return Remove(meta, c, loaded); },
                        [&](const DeleteClaimDraft& c) { return DeleteDraft(meta, c, loaded); },
                        [&](const SubmitClaim& c) { return Submit(meta, c, loaded); },
                        [&](const ProviderApproveClaim& c) {
                          return Approve(meta, c.claim, ApprovalTier::kProvider, loaded);
                        },
                        [&](const ProviderReturnClaim& c) { return ProviderReturn(meta, c, loaded); },
                        [&](const ApproveClaim& c) { return Approve(meta, c.claim, c.tier, loaded); },
                        [&](const RejectClaim& c) { return Reject(meta, c, loaded); },
                        [&](const ReturnClaim& c) { return Return(meta, c, loaded); },
                        [&](const WithdrawClaim& c) { return Withdraw(meta, c, loaded); },
                        [&](const HoldPayment& c) { return Hold(meta, c, loaded); },
                        [&](const ReleasePayment& c) { return Release(meta, c, loaded); },
                        [&](const RaiseAdjustment& c) { return Adjust(meta, c, loaded); },
                    },
                    command);
}

ClaimState EvolveClaim(ClaimState state, const ClaimEvent& event) {
  std::visit(Overloaded{
                 [&](const ClaimDrafted& e) {
                   state = ClaimState{};
                   state.status = ClaimStatus::kDraft;
                   state.claim = e.claim;
                   state.prepared_by = e.prepared_by;
                 },
                 [&](const ClaimValuesEntered& e) {
                   state.values = e.values;
                   state.answers = e.answers;
                 },
                 [&](const EvidenceAttached& e) { state.evidence.push_back(e.evidence); },
                 [&](const EvidenceRemoved& e) {
                   std::erase_if(state.evidence, [&](const Evidence& x) { return x.sha256 == e.sha256; });
                 },
                 [&](const ClaimDraftDeleted&) { state.status = ClaimStatus::kDeleted; },
                 [&](const ClaimSubmissionFailed&) {},
                 [&](const ClaimSubmitted& e) { state = Submitted(std::move(state), e); },
                 [&](const ClaimApprovedByProvider& e) {
                   state.decided_by[ApprovalTier::kProvider] = e.approved_by;
                   state.status = AfterApprovalAt(state, ApprovalTier::kProvider);
                 },
                 [&](const ClaimReturnedByProvider&) {
                   state.status = ClaimStatus::kReturned;
                   state.decided_by.clear();
                 },
                 [&](const ClaimApprovedAtTier& e) {
                   state.decided_by[e.tier] = e.approved_by;
                   state.status = AfterApprovalAt(state, e.tier);
                 },
                 [&](const ClaimApprovedForPayment& e) {
                   state.status = ClaimStatus::kApprovedForPayment;
                   state.amount = e.amount;
                 },
                 [&](const ClaimRejected&) { state.status = ClaimStatus::kRejected; },
                 [&](const ClaimReturned&) {
                   state.status = ClaimStatus::kReturned;
                   state.decided_by.clear();
                 },
                 [&](const ClaimWithdrawn&) { state.status = ClaimStatus::kWithdrawn; },
                 [&](const PaymentHeld& e) {
                   state.status = ClaimStatus::kPaymentHeld;
                   state.hold_reason = e.reason;
                 },
                 [&](const PaymentReleased&) {
                   state.status = ClaimStatus::kApprovedForPayment;
                   state.hold_reason.clear();
                 },
                 [&](const ClaimAddedToPaymentRun& e) { state.payment_run = e.run_id; },
                 [&](const ClaimSentForPayment&) { state.status = ClaimStatus::kSentForPayment; },
                 [&](const ClaimPaid& e) {
                   state.status = ClaimStatus::kPaid;
                   state.payment_reference = e.reference;
                 },
                 [&](const AdjustmentRaised& e) {
                   state = ClaimState{};
                   state.status = ClaimStatus::kDraft;
                   state.claim = e.claim;
                   state.prepared_by = e.raised_by;
                   state.original_claim_id = e.original_claim_id;
                 },
             },
             event);
  return state;
}

ClaimKeyState EvolveClaimKey(ClaimKeyState state, const ClaimKeyEvent& event) {
  std::visit(Overloaded{
                 [&](const ClaimKeyReserved& e) { state.holder = e.claim_id; },
                 [&](const ClaimKeyReleased& e) {
                   if (state.holder == e.claim_id) state.holder.clear();
                 },
             },
             event);
  return state;
}

}  // namespace ledger::core
