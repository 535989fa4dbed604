// Names and bands of the claim vocabulary (shared by deciders, projections and the API).
#include "ledger/core/claim.h"

#include <cctype>

namespace ledger::core {

std::string_view StatusName(ClaimStatus status) {
  switch (status) {
    case ClaimStatus::kNone: return "None";
    case ClaimStatus::kDraft: return "Draft";
    case ClaimStatus::kAwaitingProviderApproval: return "Awaiting Service Provider Approval";
    case ClaimStatus::kAwaitingTier1: return "Awaiting Commissioning Organisation Approval";
    case ClaimStatus::kAwaitingTier2: return "Awaiting Tier 2 Approval";
    case ClaimStatus::kAwaitingFinance: return "Awaiting Finance Approval";
    case ClaimStatus::kApprovedForPayment: return "Approved for Payment";
    case ClaimStatus::kPaymentHeld: return "Payment Held";
    case ClaimStatus::kSentForPayment: return "Sent for Payment";
    case ClaimStatus::kPaid: return "Paid";
    case ClaimStatus::kReturned: return "Returned for Amendment";
    case ClaimStatus::kRejected: return "Rejected";
    case ClaimStatus::kWithdrawn: return "Withdrawn";
    case ClaimStatus::kDeleted: return "Deleted";
  }
  return "Unknown";
}

std::string_view RiskBandName(RiskBand band) {
  switch (band) {
    case RiskBand::kLow: return "Low";
    case RiskBand::kMedium: return "Medium";
    case RiskBand::kHigh: return "High";
  }
  return "Unknown";
}

RiskBand RiskBandFor(Pence amount) {
  constexpr Pence kMediumFrom = 1'500'000;  // £15,000.00
  constexpr Pence kHighFrom = 5'000'000;    // £50,000.00
  if (amount >= kHighFrom) return RiskBand::kHigh;
  if (amount >= kMediumFrom) return RiskBand::kMedium;
  return RiskBand::kLow;
}

std::string_view ApprovalTierName(ApprovalTier tier) {
  switch (tier) {
    case ApprovalTier::kProvider: return "provider";
    case ApprovalTier::kTier1: return "tier1";
    case ApprovalTier::kTier2: return "tier2";
    case ApprovalTier::kFinance: return "finance";
  }
  return "unknown";
}

std::string StatusSnakeName(ClaimStatus status) {
  std::string out;
  for (char c : StatusName(status)) {
    out.push_back(c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::optional<ClaimStatus> ParseClaimStatus(std::string_view text) {
  for (int i = static_cast<int>(ClaimStatus::kDraft); i <= static_cast<int>(ClaimStatus::kDeleted); ++i) {
    const auto status = static_cast<ClaimStatus>(i);
    if (text == StatusName(status) || text == StatusSnakeName(status)) return status;
  }
  return std::nullopt;
}

std::string_view ClaimActionName(ClaimAction action) {
  switch (action) {
    case ClaimAction::kEdit: return "edit";
    case ClaimAction::kAttachEvidence: return "attach_evidence";
    case ClaimAction::kRemoveEvidence: return "remove_evidence";
    case ClaimAction::kDeleteDraft: return "delete_draft";
    case ClaimAction::kSubmit: return "submit";
    case ClaimAction::kWithdraw: return "withdraw";
    case ClaimAction::kApprove: return "approve";
    case ClaimAction::kReturn: return "return";
    case ClaimAction::kReject: return "reject";
    case ClaimAction::kHoldPayment: return "hold_payment";
    case ClaimAction::kReleasePayment: return "release_payment";
    case ClaimAction::kRaiseAdjustment: return "raise_adjustment";
  }
  return "unknown";
}

}  // namespace ledger::core
