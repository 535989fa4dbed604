#include "ledger/core/access.h"

#include <array>
#include <initializer_list>

namespace ledger::core {
namespace {

enum class ScopeRule : uint8_t { kOwnData, kOwnOrg, kAny };

struct PolicyRow {
  Action action;
  std::string_view name;
  std::string_view description;  // completes "Your roles do not allow you to ..."
  uint32_t roles;                // bit mask of Role
  ScopeRule rule;
};

constexpr uint32_t Roles(std::initializer_list<Role> roles) {
  uint32_t mask = 0;
  for (Role r : roles) mask |= 1u << static_cast<int>(r);
  return mask;
}

using R = Role;
using S = ScopeRule;

// THE access policy: who may do what, and whose data.
// clang-format off
constexpr PolicyRow kPolicy[] = {
  {Action::kViewClaim, "view_claim", "view claims",
   Roles({R::kProviderAdmin, R::kProviderUser, R::kProviderApprover, R::kCommissionerAdmin, R::kApproverTier1,
    R::kApproverTier2, R::kFinance, R::kAuditor}), S::kOwnData},
  {Action::kPrepareClaim, "prepare_claim", "prepare claims", Roles({R::kProviderUser, R::kProviderApprover}), S::kOwnData},
  {Action::kSubmitClaim, "submit_claim", "submit claims", Roles({R::kProviderUser, R::kProviderApprover}), S::kOwnData},
  {Action::kWithdrawClaim, "withdraw_claim", "withdraw claims",
   Roles({R::kProviderUser, R::kProviderApprover, R::kProviderAdmin}), S::kOwnData},
  {Action::kProviderApproveClaim, "provider_approve_claim", "approve claims for your practice",
   Roles({R::kProviderApprover, R::kProviderAdmin}), S::kOwnData},
  {Action::kApproveTier1, "approve_tier1", "approve claims at Tier 1", Roles({R::kApproverTier1}), S::kOwnData},
  {Action::kApproveTier2, "approve_tier2", "approve claims at Tier 2", Roles({R::kApproverTier2}), S::kOwnData},
  {Action::kApproveFinance, "approve_finance", "give finance approval", Roles({R::kFinance}), S::kOwnData},
  {Action::kRejectClaim, "reject_claim", "reject claims",
   Roles({R::kApproverTier1, R::kApproverTier2, R::kFinance}), S::kOwnData},
  {Action::kReturnClaim, "return_claim", "return claims for amendment",
   Roles({R::kApproverTier1, R::kApproverTier2, R::kFinance}), S::kOwnData},
  {Action::kHoldPayment, "hold_payment", "hold payments", Roles({R::kApproverTier2, R::kFinance}), S::kOwnData},
  {Action::kReleasePayment, "release_payment", "release held payments", Roles({R::kApproverTier2, R::kFinance}), S::kOwnData},
  {Action::kManagePaymentRuns, "manage_payment_runs", "manage payment runs",
   Roles({R::kApproverTier2, R::kFinance}), S::kOwnData},
  {Action::kManageServices, "manage_services", "manage services", Roles({R::kCommissionerAdmin}), S::kOwnData},
  {Action::kViewServices, "view_services", "view services",
   Roles({R::kOperator, R::kCommissionerAdmin, R::kApproverTier1, R::kApproverTier2, R::kFinance, R::kAuditor,
    R::kProviderAdmin, R::kProviderUser, R::kProviderApprover}), S::kAny},
  {Action::kManageOffers, "manage_offers", "offer services to providers", Roles({R::kCommissionerAdmin}), S::kOwnData},
  {Action::kRespondToOffer, "respond_to_offer", "accept or decline offers", Roles({R::kProviderAdmin}), S::kOwnData},
  {Action::kManageProviders, "manage_providers", "add or configure providers",
   Roles({R::kOperator, R::kCommissionerAdmin}), S::kOwnData},
  {Action::kViewProviders, "view_providers", "view organisations",
   Roles({R::kOperator, R::kCommissionerAdmin, R::kApproverTier1, R::kApproverTier2, R::kFinance, R::kAuditor,
    R::kProviderAdmin, R::kProviderUser, R::kProviderApprover}), S::kOwnData},
  {Action::kManageAccounts, "manage_accounts", "manage accounts",
   Roles({R::kOperator, R::kCommissionerAdmin, R::kProviderAdmin}), S::kOwnData},
  {Action::kViewAccounts, "view_accounts", "view accounts",
   Roles({R::kOperator, R::kCommissionerAdmin, R::kProviderAdmin, R::kAuditor}), S::kOwnData},
  {Action::kViewReports, "view_reports", "view reports",
   Roles({R::kCommissionerAdmin, R::kApproverTier1, R::kApproverTier2, R::kFinance, R::kAuditor, R::kProviderAdmin,
    R::kProviderUser, R::kProviderApprover}), S::kOwnData},
  {Action::kViewFinanceReports, "view_finance_reports", "view finance reports",
   Roles({R::kApproverTier2, R::kFinance, R::kAuditor}), S::kOwnData},
  {Action::kViewStatement, "view_statement", "view payment statements",
   Roles({R::kApproverTier2, R::kFinance, R::kAuditor, R::kProviderAdmin, R::kProviderUser, R::kProviderApprover}),
   S::kOwnData},
  {Action::kViewEvents, "view_events", "view the event log", Roles({R::kOperator, R::kAuditor}), S::kOwnData},
  {Action::kVerifyLog, "verify_log", "verify the log", Roles({R::kOperator, R::kAuditor}), S::kAny},
  {Action::kCreateAdministrator, "create_administrator", "create administrators", Roles({R::kOperator}), S::kAny},
  {Action::kAssignRoles, "assign_roles", "assign roles",
   Roles({R::kOperator, R::kCommissionerAdmin, R::kProviderAdmin}), S::kOwnOrg},
  {Action::kRegisterCommissioner, "register_commissioner", "register commissioners", Roles({R::kOperator}), S::kAny},
  {Action::kRotateSigningKey, "rotate_signing_key", "rotate the ledger's signing key", Roles({R::kOperator}), S::kAny},
};
// clang-format on

constexpr bool RowsInActionOrder() {
  for (size_t i = 0; i < std::size(kPolicy); ++i) {
    if (static_cast<size_t>(kPolicy[i].action) != i) return false;
  }
  return std::size(kPolicy) == kActionCount;
}
static_assert(RowsInActionOrder(), "one policy row per action, in the order of enum Action");

const PolicyRow& RowFor(Action action) { return kPolicy[static_cast<int>(action)]; }

constexpr std::array<std::string_view, kRoleCount> kRoleNames = {
    "operator",      "commissioner_admin", "tier1", "tier2", "finance", "auditor", "provider_admin",
    "provider_user", "provider_approver"};

bool AnyEmpty(const Scope& s) { return s.provider_code.empty() && s.commissioner_code.empty() && s.org_code.empty(); }

bool OwnsData(const Principal& who, const Scope& scope) {
  if (who.org_kind == OrgKind::kSystem || AnyEmpty(scope)) return true;
  if (scope.org_code == who.org_code) return true;
  if (who.org_kind == OrgKind::kCommissioner) return scope.commissioner_code == who.org_code;
  return scope.provider_code == who.org_code;
}

bool ScopeAllows(const Principal& who, ScopeRule rule, const Scope& scope) {
  switch (rule) {
    case ScopeRule::kAny: return true;
    case ScopeRule::kOwnOrg: return who.org_kind == OrgKind::kSystem || scope.org_code == who.org_code;
    case ScopeRule::kOwnData: return OwnsData(who, scope);
  }
  return false;
}

bool HoldsAnyFitting(const Principal& who, uint32_t roles) {
  for (Role r : who.roles.List()) {
    if ((roles >> static_cast<int>(r) & 1u) && RoleFitsOrg(r, who.org_kind)) return true;
  }
  return false;
}

AccessDecision Deny(std::string reason) { return {false, std::move(reason)}; }

}  // namespace

std::string_view OrgKindName(OrgKind kind) {
  switch (kind) {
    case OrgKind::kSystem: return "system";
    case OrgKind::kCommissioner: return "commissioner";
    case OrgKind::kPractice: return "practice";
    case OrgKind::kPcn: return "pcn";
    case OrgKind::kFederation: return "federation";
  }
  return "unknown";
}

bool IsProvider(OrgKind kind) {
  return kind == OrgKind::kPractice || kind == OrgKind::kPcn || kind == OrgKind::kFederation;
}

std::string_view RoleName(Role role) {
  const auto i = static_cast<size_t>(role);
  return i < kRoleNames.size() ? kRoleNames[i] : "unknown";
}

bool ParseRole(std::string_view name, Role* out) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) {
      *out = static_cast<Role>(i);
      return true;
    }
  }
  return false;
}

bool RoleFitsOrg(Role role, OrgKind kind) {
  switch (role) {
    case Role::kOperator: return kind == OrgKind::kSystem;
    case Role::kCommissionerAdmin:
    case Role::kApproverTier1:
    case Role::kApproverTier2:
    case Role::kFinance:
    case Role::kAuditor: return kind == OrgKind::kCommissioner;
    case Role::kProviderAdmin:
    case Role::kProviderUser:
    case Role::kProviderApprover: return IsProvider(kind);
  }
  return false;
}

std::vector<Role> RoleSet::List() const {
  std::vector<Role> out;
  for (int i = 0; i < kRoleCount; ++i) {
    if (Has(static_cast<Role>(i))) out.push_back(static_cast<Role>(i));
  }
  return out;
}

std::string_view ActionName(Action action) { return RowFor(action).name; }

AccessDecision Authorize(const Principal& who, Action action, const Scope& scope) {
  if (!who.active) return Deny("Your account is not active.");
  const PolicyRow& row = RowFor(action);
  if (!HoldsAnyFitting(who, row.roles)) {
    return Deny("Your roles do not allow you to " + std::string(row.description) + ".");
  }
  if (!ScopeAllows(who, row.rule, scope)) {
    return Deny("You can only " + std::string(row.description) + " for your own organisation.");
  }
  return {true, ""};
}

}  // namespace ledger::core
