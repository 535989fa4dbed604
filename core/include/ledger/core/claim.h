// Claim aggregate (stream claim-<id>) and the claim-key reservation (stream
// claimkey-<provider>-<service>-<period>: at most one live claim per key).
//
//   Draft -(SubmitClaim)-> [Awaiting Service Provider Approval] (multi-level providers)
//         -> Awaiting Commissioning Organisation Approval (Tier 1)
//         -> Awaiting Tier 2 Approval -> [Awaiting Finance Approval] (amount >= threshold)
//         -> Approved for Payment <-> Payment Held -> Sent for Payment -> Paid
//   Returned for Amendment (back to the preparer, resubmitted), Rejected (final),
//   Withdrawn (by the provider before approval for payment).
#pragma once

#include <boost/describe/class.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ledger/core/access.h"
#include "ledger/core/rejection.h"
#include "ledger/core/service.h"
#include "ledger/core/types.h"

namespace ledger::core {

enum class ClaimStatus : uint8_t {
  kNone = 0,
  kDraft = 1,
  kAwaitingProviderApproval = 2,
  kAwaitingTier1 = 3,
  kAwaitingTier2 = 4,
  kAwaitingFinance = 5,
  kApprovedForPayment = 6,
  kPaymentHeld = 7,
  kSentForPayment = 8,
  kPaid = 9,
  kReturned = 10,
  kRejected = 11,
  kWithdrawn = 12,
  kDeleted = 13,  // a draft deleted by the provider
};
// The CQRS Local name shown to users, e.g. "Awaiting Tier 2 Approval".
std::string_view StatusName(ClaimStatus status);

// Low < £15,000; Medium £15,000 to £49,999.99; High >= £50,000.
enum class RiskBand : uint8_t { kLow = 0, kMedium = 1, kHigh = 2 };
std::string_view RiskBandName(RiskBand band);  // "Low", "Medium", "High"
RiskBand RiskBandFor(Pence amount);

// Who decides at which step of a submission.
enum class ApprovalTier : uint8_t { kProvider = 0, kTier1 = 1, kTier2 = 2, kFinance = 3 };
std::string_view ApprovalTierName(ApprovalTier tier);  // "provider", "tier1", "tier2", "finance"

// The coded reasons a commissioner gives when rejecting a claim (RejectClaim::reason_code).
struct RejectionReasonCode {
  std::string_view code;         // e.g. "evidence_insufficient"
  std::string_view description;  // e.g. "The evidence does not support the claim"
};
const std::vector<RejectionReasonCode>& RejectionReasonCodes();
bool IsRejectionReasonCode(std::string_view code);

// A file of supporting evidence, by content hash; the bytes live outside the log.
struct Evidence {
  std::string sha256;  // 64 lowercase hex digits
  std::string filename;
  std::string content_type;
  int64_t size = 0;
  bool operator==(const Evidence&) const = default;
};
BOOST_DESCRIBE_STRUCT(Evidence, (), (sha256, filename, content_type, size))

// Answers to supplementary questions by question id (numbers and yes/no as text: "12", "yes").
using Answers = std::map<std::string, std::string, std::less<>>;

// Every claim command names the claim and its routing keys, so that the
// streams to read are known before reading; Decide checks them against the
// claim's state (a mismatch is a kConflict).
struct ClaimRef {
  std::string claim_id;
  std::string provider;
  std::string commissioner;  // the provider's commissioner (who approves and pays)
  std::string service_id;
  std::string period;  // Period::ToString() in the service's frequency
  bool operator==(const ClaimRef&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimRef, (), (claim_id, provider, commissioner, service_id, period))

// ---- Commands -------------------------------------------------------------

// Opens a draft; values and answers given here are entered with it, in the
// same decision (as EnterClaimValues would), so that a bad value stores no draft.
struct CreateClaimDraft {
  ClaimRef claim;
  UnitValues values;
  Answers answers;
  bool operator==(const CreateClaimDraft&) const = default;
};
struct EnterClaimValues {
  ClaimRef claim;
  UnitValues values;  // replaces the values entered so far
  Answers answers;    // replaces the answers entered so far
  bool operator==(const EnterClaimValues&) const = default;
};
struct AttachEvidence {
  ClaimRef claim;
  Evidence evidence;
  bool operator==(const AttachEvidence&) const = default;
};
struct RemoveEvidence {
  ClaimRef claim;
  std::string sha256;
  bool operator==(const RemoveEvidence&) const = default;
};
struct DeleteClaimDraft {
  ClaimRef claim;
  bool operator==(const DeleteClaimDraft&) const = default;
};
struct SubmitClaim {
  ClaimRef claim;
  bool operator==(const SubmitClaim&) const = default;
};
struct ProviderApproveClaim {
  ClaimRef claim;
  bool operator==(const ProviderApproveClaim&) const = default;
};
struct ProviderReturnClaim {
  ClaimRef claim;
  std::string reason;
  bool operator==(const ProviderReturnClaim&) const = default;
};
// Approve at `tier`, which must be the tier the claim is waiting for.
struct ApproveClaim {
  ClaimRef claim;
  ApprovalTier tier = ApprovalTier::kTier1;
  bool operator==(const ApproveClaim&) const = default;
};
// Reject or return at the commissioner tier the claim waits for. `tier`, when
// set, is the tier the caller read the claim at, else TierToDecide: a claim
// that has moved on since is a conflict naming its status now, not a denial.
struct RejectClaim {
  ClaimRef claim;
  std::string reason_code;
  std::string reason;
  std::optional<ApprovalTier> tier;
  bool operator==(const RejectClaim&) const = default;
};
struct ReturnClaim {
  ClaimRef claim;
  std::string reason;
  std::optional<ApprovalTier> tier;
  bool operator==(const ReturnClaim&) const = default;
};
struct WithdrawClaim {
  ClaimRef claim;
  std::string reason;
  bool operator==(const WithdrawClaim&) const = default;
};
struct HoldPayment {
  ClaimRef claim;
  std::string reason;
  bool operator==(const HoldPayment&) const = default;
};
struct ReleasePayment {
  ClaimRef claim;
  bool operator==(const ReleasePayment&) const = default;
};
// A correction after payment: a new linked adjustment claim (negative amount =
// recovery, positive = top-up) referencing the paid original.
struct RaiseAdjustment {
  ClaimRef original;
  std::string adjustment_id;  // the new claim id
  Pence amount = 0;
  std::string reason;
  bool operator==(const RaiseAdjustment&) const = default;
};
using ClaimCommand = std::variant<CreateClaimDraft, EnterClaimValues, AttachEvidence, RemoveEvidence, DeleteClaimDraft,
                                  SubmitClaim, ProviderApproveClaim, ProviderReturnClaim, ApproveClaim, RejectClaim,
                                  ReturnClaim, WithdrawClaim, HoldPayment, ReleasePayment, RaiseAdjustment>;

// ---- Events (claim streams) -----------------------------------------------

struct ClaimDrafted {
  static constexpr std::string_view kTypeName = "ClaimDrafted";
  ClaimRef claim;
  std::string prepared_by;
  Timestamp at = 0;
  bool operator==(const ClaimDrafted&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimDrafted, (), (claim, prepared_by, at))
struct ClaimValuesEntered {
  static constexpr std::string_view kTypeName = "ClaimValuesEntered";
  std::string claim_id;
  UnitValues values;
  Answers answers;
  std::string entered_by;
  Timestamp at = 0;
  bool operator==(const ClaimValuesEntered&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimValuesEntered, (), (claim_id, values, answers, entered_by, at))
struct EvidenceAttached {
  static constexpr std::string_view kTypeName = "EvidenceAttached";
  std::string claim_id;
  Evidence evidence;
  std::string attached_by;
  Timestamp at = 0;
  bool operator==(const EvidenceAttached&) const = default;
};
BOOST_DESCRIBE_STRUCT(EvidenceAttached, (), (claim_id, evidence, attached_by, at))
struct EvidenceRemoved {
  static constexpr std::string_view kTypeName = "EvidenceRemoved";
  std::string claim_id;
  std::string sha256;
  std::string removed_by;
  Timestamp at = 0;
  bool operator==(const EvidenceRemoved&) const = default;
};
BOOST_DESCRIBE_STRUCT(EvidenceRemoved, (), (claim_id, sha256, removed_by, at))
struct ClaimDraftDeleted {
  static constexpr std::string_view kTypeName = "ClaimDraftDeleted";
  std::string claim_id;
  std::string deleted_by;
  Timestamp at = 0;
  bool operator==(const ClaimDraftDeleted&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimDraftDeleted, (), (claim_id, deleted_by, at))
struct ClaimSubmissionFailed {
  static constexpr std::string_view kTypeName = "ClaimSubmissionFailed";
  std::string claim_id;
  std::vector<FieldError> errors;
  std::string attempted_by;
  Timestamp at = 0;
  bool operator==(const ClaimSubmissionFailed&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimSubmissionFailed, (), (claim_id, errors, attempted_by, at))
struct ClaimSubmitted {
  static constexpr std::string_view kTypeName = "ClaimSubmitted";
  std::string claim_id;
  Pence amount = 0;
  RiskBand risk_band = RiskBand::kLow;
  Date tariff_effective_from;
  PaymentType payment_type = PaymentType::kItemOfService;
  int64_t list_size = 0;  // in force at the period end (0 when not known)
  UnitValues values;
  Answers answers;
  std::vector<std::string> evidence;  // sha256 of the evidence in force
  bool provider_approval_required = false;
  bool finance_approval_required = false;
  std::string submitted_by;
  Timestamp at = 0;
  bool operator==(const ClaimSubmitted&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimSubmitted, (),
                      (claim_id, amount, risk_band, tariff_effective_from, payment_type, list_size, values, answers,
                       evidence, provider_approval_required, finance_approval_required, submitted_by, at))
struct ClaimApprovedByProvider {
  static constexpr std::string_view kTypeName = "ClaimApprovedByProvider";
  std::string claim_id;
  std::string approved_by;
  Timestamp at = 0;
  bool operator==(const ClaimApprovedByProvider&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimApprovedByProvider, (), (claim_id, approved_by, at))
struct ClaimReturnedByProvider {
  static constexpr std::string_view kTypeName = "ClaimReturnedByProvider";
  std::string claim_id;
  std::string reason;
  std::string returned_by;
  Timestamp at = 0;
  bool operator==(const ClaimReturnedByProvider&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimReturnedByProvider, (), (claim_id, reason, returned_by, at))
struct ClaimApprovedAtTier {
  static constexpr std::string_view kTypeName = "ClaimApprovedAtTier";
  std::string claim_id;
  ApprovalTier tier = ApprovalTier::kTier1;
  std::string approved_by;
  Timestamp at = 0;
  bool operator==(const ClaimApprovedAtTier&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimApprovedAtTier, (), (claim_id, tier, approved_by, at))
struct ClaimApprovedForPayment {
  static constexpr std::string_view kTypeName = "ClaimApprovedForPayment";
  std::string claim_id;
  Pence amount = 0;
  Timestamp at = 0;
  bool operator==(const ClaimApprovedForPayment&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimApprovedForPayment, (), (claim_id, amount, at))
struct ClaimRejected {
  static constexpr std::string_view kTypeName = "ClaimRejected";
  std::string claim_id;
  ApprovalTier tier = ApprovalTier::kTier1;
  std::string reason_code;
  std::string reason;
  std::string rejected_by;
  Timestamp at = 0;
  bool operator==(const ClaimRejected&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimRejected, (), (claim_id, tier, reason_code, reason, rejected_by, at))
struct ClaimReturned {
  static constexpr std::string_view kTypeName = "ClaimReturned";
  std::string claim_id;
  ApprovalTier tier = ApprovalTier::kTier1;
  std::string reason;
  std::string returned_by;
  Timestamp at = 0;
  bool operator==(const ClaimReturned&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimReturned, (), (claim_id, tier, reason, returned_by, at))
struct ClaimWithdrawn {
  static constexpr std::string_view kTypeName = "ClaimWithdrawn";
  std::string claim_id;
  std::string reason;
  std::string withdrawn_by;
  Timestamp at = 0;
  bool operator==(const ClaimWithdrawn&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimWithdrawn, (), (claim_id, reason, withdrawn_by, at))
struct PaymentHeld {
  static constexpr std::string_view kTypeName = "PaymentHeld";
  std::string claim_id;
  std::string reason;
  std::string held_by;
  Timestamp at = 0;
  bool operator==(const PaymentHeld&) const = default;
};
BOOST_DESCRIBE_STRUCT(PaymentHeld, (), (claim_id, reason, held_by, at))
struct PaymentReleased {
  static constexpr std::string_view kTypeName = "PaymentReleased";
  std::string claim_id;
  std::string released_by;
  Timestamp at = 0;
  bool operator==(const PaymentReleased&) const = default;
};
BOOST_DESCRIBE_STRUCT(PaymentReleased, (), (claim_id, released_by, at))
struct ClaimAddedToPaymentRun {
  static constexpr std::string_view kTypeName = "ClaimAddedToPaymentRun";
  std::string claim_id;
  std::string run_id;
  Date pay_date;
  Timestamp at = 0;
  bool operator==(const ClaimAddedToPaymentRun&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimAddedToPaymentRun, (), (claim_id, run_id, pay_date, at))
struct ClaimSentForPayment {
  static constexpr std::string_view kTypeName = "ClaimSentForPayment";
  std::string claim_id;
  std::string run_id;
  Timestamp at = 0;
  bool operator==(const ClaimSentForPayment&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimSentForPayment, (), (claim_id, run_id, at))
struct ClaimPaid {
  static constexpr std::string_view kTypeName = "ClaimPaid";
  std::string claim_id;
  std::string run_id;
  std::string reference;
  Pence amount = 0;
  Timestamp at = 0;
  bool operator==(const ClaimPaid&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimPaid, (), (claim_id, run_id, reference, amount, at))
struct AdjustmentRaised {
  static constexpr std::string_view kTypeName = "AdjustmentRaised";
  ClaimRef claim;  // the adjustment's own id and keys
  std::string original_claim_id;
  Pence amount = 0;  // negative = recovery, positive = top-up
  std::string reason;
  std::string raised_by;
  Timestamp at = 0;
  bool operator==(const AdjustmentRaised&) const = default;
};
BOOST_DESCRIBE_STRUCT(AdjustmentRaised, (), (claim, original_claim_id, amount, reason, raised_by, at))
using ClaimEvent = std::variant<ClaimDrafted, ClaimValuesEntered, EvidenceAttached, EvidenceRemoved, ClaimDraftDeleted,
                                ClaimSubmissionFailed, ClaimSubmitted, ClaimApprovedByProvider, ClaimReturnedByProvider,
                                ClaimApprovedAtTier, ClaimApprovedForPayment, ClaimRejected, ClaimReturned,
                                ClaimWithdrawn, PaymentHeld, PaymentReleased, ClaimAddedToPaymentRun,
                                ClaimSentForPayment, ClaimPaid, AdjustmentRaised>;

// ---- Events (claim-key streams) -------------------------------------------

struct ClaimKeyReserved {
  static constexpr std::string_view kTypeName = "ClaimKeyReserved";
  std::string provider;
  std::string service_id;
  std::string period;
  std::string claim_id;
  Timestamp at = 0;
  bool operator==(const ClaimKeyReserved&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimKeyReserved, (), (provider, service_id, period, claim_id, at))
struct ClaimKeyReleased {
  static constexpr std::string_view kTypeName = "ClaimKeyReleased";
  std::string provider;
  std::string service_id;
  std::string period;
  std::string claim_id;
  Timestamp at = 0;
  bool operator==(const ClaimKeyReleased&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimKeyReleased, (), (provider, service_id, period, claim_id, at))
using ClaimKeyEvent = std::variant<ClaimKeyReserved, ClaimKeyReleased>;

// ---- State ----------------------------------------------------------------

struct ClaimState {
  ClaimStatus status = ClaimStatus::kNone;
  ClaimRef claim;
  std::string prepared_by;
  std::string submitted_by;                        // of the current submission
  uint32_t submissions = 0;                        // successful submissions so far
  std::map<ApprovalTier, std::string> decided_by;  // who approved at which tier in the current submission
  UnitValues values;
  Answers answers;
  std::vector<Evidence> evidence;
  Pence amount = 0;  // as priced at the current submission
  RiskBand risk_band = RiskBand::kLow;
  bool provider_approval_required = false;
  bool finance_approval_required = false;
  std::string hold_reason;        // while kPaymentHeld
  std::string payment_run;        // once added to a run
  std::string payment_reference;  // once paid
  std::string original_claim_id;  // for adjustments
  bool operator==(const ClaimState&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimState, (),
                      (status, claim, prepared_by, submitted_by, submissions, decided_by, values, answers, evidence,
                       amount, risk_band, provider_approval_required, finance_approval_required, hold_reason,
                       payment_run, payment_reference, original_claim_id))

struct ClaimKeyState {
  std::string holder;  // the claim id holding the key; empty when free
  bool operator==(const ClaimKeyState&) const = default;
};
BOOST_DESCRIBE_STRUCT(ClaimKeyState, (), (holder))

// The tier at which `who` decides `claim` (approve, reject, return) when they
// name none: the tier it waits for, unless they cannot decide there but could
// at a tier this submission has already passed; then that tier, so that a
// decision arriving after the claim moved on is a conflict naming its status
// now (already_decided), not a denial. Unset when it waits for no tier and
// passed none of theirs. Pure.
std::optional<ApprovalTier> TierToDecide(const Principal& who, const ClaimState& claim);

// ---- The claim rules: what a principal may do with a claim now -----------
//
// One place for the state rules; DecideClaim applies the same predicates, and
// the API (`actions`), the portal (its buttons) and the projections (holders,
// worklists) ask these functions instead of keeping their own copies.

// The tier a claim in `status` is waiting for, if any. Pure.
std::optional<ApprovalTier> AwaitedTier(ClaimStatus status);
// Whether values, answers and evidence may be changed and the claim submitted (draft or returned).
bool IsEditable(ClaimStatus status);
// Whether the provider may withdraw a claim in this state (submitted, not yet
// approved for payment, and not an adjustment).
bool IsWithdrawable(const ClaimState& claim);
// The access-policy action of approving at `tier`.
Action ApproveActionFor(ApprovalTier tier);
// The organisations a claim belongs to, for Authorize.
Scope ClaimScope(const ClaimRef& ref);
// A status from its name ("Awaiting Tier 2 Approval") or that name in
// snake_case ("awaiting_tier_2_approval"); unset for anything else (and "None").
std::optional<ClaimStatus> ParseClaimStatus(std::string_view text);
// The snake_case form of a status name, e.g. "awaiting_tier_2_approval".
std::string StatusSnakeName(ClaimStatus status);

// What a person may do with an existing claim. Each is one command (approve,
// return and reject at the tier the claim waits for, the provider's tier included).
enum class ClaimAction : uint8_t {
  kEdit = 0,         // EnterClaimValues
  kAttachEvidence,   // AttachEvidence
  kRemoveEvidence,   // RemoveEvidence (when there is evidence to remove)
  kDeleteDraft,      // DeleteClaimDraft
  kSubmit,           // SubmitClaim
  kWithdraw,         // WithdrawClaim
  kApprove,          // ProviderApproveClaim or ApproveClaim at the awaited tier
  kReturn,           // ProviderReturnClaim or ReturnClaim at the awaited tier
  kReject,           // RejectClaim at the awaited commissioner tier
  kHoldPayment,      // HoldPayment
  kReleasePayment,   // ReleasePayment
  kRaiseAdjustment,  // RaiseAdjustment of a paid claim
};
inline constexpr int kClaimActionCount = static_cast<int>(ClaimAction::kRaiseAdjustment) + 1;
// Stable snake_case names: "edit", "attach_evidence", "remove_evidence",
// "delete_draft", "submit", "withdraw", "approve", "return", "reject",
// "hold_payment", "release_payment", "raise_adjustment".
std::string_view ClaimActionName(ClaimAction action);

// Exactly the claim actions `who` may take on `claim` in its state now: the
// access policy (role, organisation scope) combined with the state rules and
// separation of duties that DecideClaim applies. Commands that would change
// nothing (a second withdrawal) are not offered. An action listed still needs
// a valid payload (a reason, values within range). Pure; total.
std::vector<ClaimAction> AvailableActions(const ClaimState& claim, const Principal& who);
bool MayTake(const ClaimState& claim, const Principal& who, ClaimAction action);

// Folds one event into the state. Pure. DecideClaim is in domain.h.
ClaimState EvolveClaim(ClaimState state, const ClaimEvent& event);
ClaimKeyState EvolveClaimKey(ClaimKeyState state, const ClaimKeyEvent& event);

}  // namespace ledger::core
