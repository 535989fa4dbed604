// Claim views: claim status, worklists and audit trails, each answerable "as
// of" a log position or an event time. Pure reads of a ProjectionDb snapshot;
// thread-safe. Authorization is the caller's: pass the organisation scope the
// principal may see (see core::Authorize).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "ledger/core/claim.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/eventstore/status.h"
#include "ledger/projections/projection_db.h"

namespace ledger::projections {

// The stages a claim passes through; ClaimView::stage_at holds when each last happened.
enum class Stage : uint8_t {
  kDrafted = 0,
  kFirstSubmitted,
  kSubmitted,         // the latest successful submission
  kSubmissionFailed,  // the latest failed attempt
  kProviderApproved,
  kTier1Approved,
  kTier2Approved,
  kFinanceApproved,
  kApprovedForPayment,
  kHeld,
  kReleased,
  kAddedToPaymentRun,
  kSentForPayment,
  kPaid,
  kReturned,
  kRejected,
  kWithdrawn,
  kDeleted,
};
inline constexpr int kStageCount = static_cast<int>(Stage::kDeleted) + 1;
std::string_view StageName(Stage stage);  // "drafted", "first_submitted", ...

// One claim as the claim-status projection sees it at one position.
struct ClaimView {
  std::string claim_id;
  std::string commissioner;
  std::string provider;
  std::string service_id;
  std::string period;
  std::string original_claim_id;  // adjustments only
  core::ClaimStatus status = core::ClaimStatus::kNone;
  uint64_t status_since_position = 0;
  core::Timestamp status_since_at = 0;
  std::string holder_role;  // worklist role holding it now ("" when final), see WorklistRoleNames()
  std::string holder_org;   // the organisation of that role
  core::Pence amount = 0;   // as priced at the latest submission (or the adjustment amount)
  core::Pence paid_amount = 0;
  core::RiskBand risk_band = core::RiskBand::kLow;
  int64_t units = 0;      // sum of the claimed count components at the latest submission
  int64_t list_size = 0;  // the list size the latest submission was priced with
  std::string prepared_by;
  std::string submitted_by;
  std::string last_actor;
  uint32_t submissions = 0;
  uint32_t failed_submissions = 0;
  uint32_t returns = 0;
  bool provider_approval_required = false;
  bool finance_approval_required = false;
  std::string hold_reason;
  std::string held_by;
  std::string payment_run;
  std::string pay_date;  // "YYYY-MM-DD" once added to a payment run
  std::string payment_reference;
  std::string last_reason_code;  // of the latest rejection or return
  std::string last_reason;
  std::vector<std::string> evidence;                    // sha256 attached now
  std::vector<std::string> evidence_in_force;           // sha256 at the latest submission
  std::array<core::Timestamp, kStageCount> stage_at{};  // 0 = not (yet) reached
  uint64_t valid_from = 0;                              // log positions this view is valid for: [valid_from, valid_to)
  uint64_t valid_to = 0;                                // 0 = still current

  core::Timestamp At(Stage s) const { return stage_at[static_cast<int>(s)]; }
  bool operator==(const ClaimView&) const = default;
};

// The position (and event time) a query was answered at.
struct Answered {
  uint64_t position = 0;
  core::Timestamp at = 0;  // the running maximum event time at `position` (0 for an empty log)
};

// Filters for ListClaims: commissioner or provider is required (the scope).
struct ClaimQuery {
  std::string commissioner;  // claims this commissioner approves and pays
  std::string provider;      // or: one provider's claims (with or without commissioner)
  std::string service_id;    // optional filters from here on
  std::optional<core::ClaimStatus> status;
  std::optional<core::RiskBand> risk_band;
  std::string period_from;  // Period::ToString() forms; claims whose period starts on or after it
  std::string period_to;    // ... and starts on or before the start of this one
  std::string cursor;       // from the previous page's next_cursor; "" = the first page
  size_t limit = 100;       // at most 1000
};

struct ClaimPage {
  std::vector<ClaimView> claims;
  std::string next_cursor;  // "" when this is the last page
  Answered as_of;
};

// One claim, or nullopt when it did not exist at that position.
es::Result<std::optional<ClaimView>> GetClaim(const ProjectionDb& db, std::string_view claim_id,
                                              const AsOf& as_of = {});
// Claims in (commissioner or provider, claim id) order; a stable cursor pages on.
es::Result<ClaimPage> ListClaims(const ProjectionDb& db, const ClaimQuery& query, const AsOf& as_of = {});

// Worklist roles: "provider_user" (drafts and returned claims of a provider),
// "provider_approver", "tier1", "tier2", "finance", "payments" (approved,
// awaiting a payment run), "held" (held payments). Provider roles take a
// provider code as org, the others a commissioner code.
std::vector<std::string> WorklistRoleNames();
// The claims waiting for `role` in `org`, oldest first (by when they reached
// their status), paged by cursor. Invalid for an unknown role.
es::Result<ClaimPage> Worklist(const ProjectionDb& db, std::string_view role, std::string_view org,
                               const std::string& cursor = "", size_t limit = 100, const AsOf& as_of = {});

// One audit trail entry: the event and, for claim decisions, the claim's
// amount and the evidence in force when it was taken.
struct AuditEntry {
  uint64_t position = 0;
  std::string json;  // {"position","at","type","stream","actor",("event"),("amount","evidence_in_force")}
};
struct AuditPage {
  std::vector<AuditEntry> entries;
  std::string next_cursor;
  Answered as_of;
};
// Every event of a claim in log order (every failed submission with its errors,
// each decision with actor, tier, reason, evidence in force and amount). The
// projection keeps positions; the entries are read from `store`, the log the
// projection database was fed from.
es::Result<AuditPage> ClaimAudit(const ProjectionDb& db, es::EventStore& store, std::string_view claim_id,
                                 const std::string& cursor = "", size_t limit = 1000, const AsOf& as_of = {});
// Everything one person did, in log order.
es::Result<AuditPage> UserAudit(const ProjectionDb& db, es::EventStore& store, std::string_view username,
                                const std::string& cursor = "", size_t limit = 1000, const AsOf& as_of = {});

// Resolves an AsOf against the applied log (clamped to what is applied).
es::Result<Answered> ResolveAsOf(const ProjectionDb& db, const AsOf& as_of);

// A time as ISO 8601 UTC, to the microsecond: "2026-11-23T11:45:00.123456Z"; "" for 0.
std::string FormatTimestamp(core::Timestamp at);

}  // namespace ledger::projections
