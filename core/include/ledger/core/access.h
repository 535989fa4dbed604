// The access policy: who may do what to which organisation's data.
//
// One pure function used by every entry point (HTTP routes, CLI, simulator,
// and Decide itself). Nobody sees or touches another organisation's data
// unless the table in access.cc says so.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ledger::core {

enum class OrgKind : uint8_t { kSystem = 0, kCommissioner = 1, kPractice = 2, kPcn = 3, kFederation = 4 };
std::string_view OrgKindName(OrgKind kind);  // "system", "commissioner", "practice", "pcn", "federation"
bool IsProvider(OrgKind kind);

enum class Role : uint8_t {
  kOperator = 0,           // system operator (org SYSTEM): creates first administrators
  kCommissionerAdmin = 1,  // approves/disables accounts, configures services, offers, providers
  kApproverTier1 = 2,      // vets evidence
  kApproverTier2 = 3,      // approves the money, holds/releases, payment runs
  kFinance = 4,            // approves claims at or above the finance threshold
  kAuditor = 5,            // read-only: events, verify, reports
  kProviderAdmin = 6,      // approves/disables accounts of its own provider
  kProviderUser = 7,       // prepares and submits claims
  kProviderApprover = 8,   // multi-level providers: approves claims before the commissioner
};
inline constexpr int kRoleCount = 9;
std::string_view RoleName(Role role);  // "operator", "commissioner_admin", "tier1", "tier2", "finance",
                                       // "auditor", "provider_admin", "provider_user", "provider_approver"
bool ParseRole(std::string_view name, Role* out);
// Whether the role belongs to commissioners, providers or the system.
bool RoleFitsOrg(Role role, OrgKind kind);

// A set of roles as a bit mask.
class RoleSet {
 public:
  RoleSet() = default;
  bool Has(Role r) const { return (bits_ >> static_cast<int>(r)) & 1u; }
  void Add(Role r) { bits_ |= 1u << static_cast<int>(r); }
  void Remove(Role r) { bits_ &= ~(1u << static_cast<int>(r)); }
  bool empty() const { return bits_ == 0; }
  uint32_t bits() const { return bits_; }
  std::vector<Role> List() const;
  bool operator==(const RoleSet&) const = default;

 private:
  uint32_t bits_ = 0;
};

// Who is acting: built by the caller from the actor's account state.
struct Principal {
  std::string username;
  std::string org_code;  // ODS code of the person's organisation
  OrgKind org_kind = OrgKind::kPractice;
  std::string commissioner_code;  // for providers: their commissioner; for commissioners: themselves
  RoleSet roles;
  bool active = false;  // approved and not disabled
};

// Everything anyone can do; routes and commands name one of these.
enum class Action : uint8_t {
  kViewClaim,
  kPrepareClaim,
  kSubmitClaim,
  kWithdrawClaim,
  kProviderApproveClaim,  // multi-level provider approver
  kApproveTier1,
  kApproveTier2,
  kApproveFinance,
  kRejectClaim,
  kReturnClaim,  // any commissioner tier
  kHoldPayment,
  kReleasePayment,
  kManagePaymentRuns,
  kManageServices,
  kViewServices,
  kManageOffers,
  kRespondToOffer,
  kManageProviders,
  kViewProviders,
  kManageAccounts,
  kViewAccounts,
  kViewReports,
  kViewFinanceReports,
  kViewStatement,
  kViewEvents,
  kVerifyLog,
  kCreateAdministrator,   // operator only
  kAssignRoles,           // administrators, within their own organisation only
  kRegisterCommissioner,  // operator only: commissioners and the system organisation
  kRotateSigningKey,      // operator only: the key tree heads are signed with
};
inline constexpr int kActionCount = static_cast<int>(Action::kRotateSigningKey) + 1;
std::string_view ActionName(Action action);

// The organisations a resource belongs to. Empty fields mean "not tied to one".
struct Scope {
  std::string provider_code;      // the provider that owns a claim, offer or statement
  std::string commissioner_code;  // the commissioner responsible for it
  std::string org_code;           // for account/org administration: the organisation concerned
};

struct AccessDecision {
  bool allowed = false;
  std::string reason;  // when denied: one sentence, safe to show to the actor
};

// REQUIRES nothing; total. A principal that is not active is always denied;
// roles that do not fit the principal's organisation kind are ignored.
// Scope rule per action (see the table in access.cc and docs/domain.md):
//   own data     commissioner roles: scope.commissioner_code or scope.org_code is
//                their organisation; provider roles: scope.provider_code or
//                scope.org_code is theirs; the system: anything. A scope with
//                every field empty is "not tied to one" and passes (the caller
//                then lists only what the principal may see).
//   own org      scope.org_code is the principal's organisation (system: anything).
//   any          no scope check.
AccessDecision Authorize(const Principal& who, Action action, const Scope& scope);

}  // namespace ledger::core
