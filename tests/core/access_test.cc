#include <doctest/doctest.h>

#include <map>
#include <set>

#include "ledger/core/access.h"

namespace ledger::core {
namespace {

using R = Role;
using A = Action;

// The policy as the documents describe it (docs/domain.md): the roles allowed
// each action, and whether the action is confined to the actor's own data.
struct Expected {
  std::set<Role> roles;
  bool scoped = true;
};

const std::set<Role> kProviderRoles = {R::kProviderAdmin, R::kProviderUser, R::kProviderApprover};
const std::set<Role> kCommissionerReaders = {R::kCommissionerAdmin, R::kApproverTier1, R::kApproverTier2, R::kFinance,
                                             R::kAuditor};

std::set<Role> Union(std::set<Role> a, const std::set<Role>& b) {
  a.insert(b.begin(), b.end());
  return a;
}

const std::map<Action, Expected>& ExpectedPolicy() {
  static const std::map<Action, Expected> kTable = {
      {A::kViewClaim, {Union(kProviderRoles, kCommissionerReaders)}},
      {A::kPrepareClaim, {{R::kProviderUser, R::kProviderApprover}}},
      {A::kSubmitClaim, {{R::kProviderUser, R::kProviderApprover}}},
      {A::kWithdrawClaim, {kProviderRoles}},
      {A::kProviderApproveClaim, {{R::kProviderApprover, R::kProviderAdmin}}},
      {A::kApproveTier1, {{R::kApproverTier1}}},
      {A::kApproveTier2, {{R::kApproverTier2}}},
      {A::kApproveFinance, {{R::kFinance}}},
      {A::kRejectClaim, {{R::kApproverTier1, R::kApproverTier2, R::kFinance}}},
      {A::kReturnClaim, {{R::kApproverTier1, R::kApproverTier2, R::kFinance}}},
      {A::kHoldPayment, {{R::kApproverTier2, R::kFinance}}},
      {A::kReleasePayment, {{R::kApproverTier2, R::kFinance}}},
      {A::kManagePaymentRuns, {{R::kApproverTier2, R::kFinance}}},
      {A::kManageServices, {{R::kCommissionerAdmin}}},
      {A::kViewServices, {Union(Union(kProviderRoles, kCommissionerReaders), {R::kOperator}), false}},
      {A::kManageOffers, {{R::kCommissionerAdmin}}},
      {A::kRespondToOffer, {{R::kProviderAdmin}}},
      {A::kManageProviders, {{R::kOperator, R::kCommissionerAdmin}}},
      {A::kViewProviders, {Union(Union(kProviderRoles, kCommissionerReaders), {R::kOperator})}},
      {A::kManageAccounts, {{R::kOperator, R::kCommissionerAdmin, R::kProviderAdmin}}},
      {A::kViewAccounts, {{R::kOperator, R::kCommissionerAdmin, R::kProviderAdmin, R::kAuditor}}},
      {A::kViewReports, {Union(kProviderRoles, kCommissionerReaders)}},
      {A::kViewFinanceReports, {{R::kApproverTier2, R::kFinance, R::kAuditor}}},
      {A::kViewStatement, {Union(kProviderRoles, {R::kApproverTier2, R::kFinance, R::kAuditor})}},
      {A::kViewEvents, {{R::kOperator, R::kAuditor}}},
      {A::kVerifyLog, {{R::kOperator, R::kAuditor}, false}},
      {A::kCreateAdministrator, {{R::kOperator}, false}},
      {A::kAssignRoles, {{R::kOperator, R::kCommissionerAdmin, R::kProviderAdmin}}},
      {A::kRegisterCommissioner, {{R::kOperator}, false}},
      {A::kRotateSigningKey, {{R::kOperator}, false}},
  };
  return kTable;
}

// One person holding one role, in the organisation that role belongs to:
// operator in SYSTEM, commissioner roles in C1, provider roles in P1 (of C1).
Principal Holder(Role role) {
  Principal p;
  p.username = "someone";
  p.active = true;
  p.roles.Add(role);
  if (role == R::kOperator) {
    p.org_code = "SYSTEM";
    p.org_kind = OrgKind::kSystem;
  } else if (RoleFitsOrg(role, OrgKind::kCommissioner)) {
    p.org_code = "C1";
    p.org_kind = OrgKind::kCommissioner;
    p.commissioner_code = "C1";
  } else {
    p.org_code = "P1";
    p.org_kind = OrgKind::kPractice;
    p.commissioner_code = "C1";
  }
  return p;
}

// Data of the holder's own organisation, and of someone else's.
Scope OwnScope(const Principal& p) { return {"P1", "C1", p.org_code}; }
Scope OtherScope() { return {"P9", "C2", "P9"}; }

TEST_CASE("every role is allowed exactly the actions of the policy, for its own organisation's data") {
  REQUIRE(ExpectedPolicy().size() == static_cast<size_t>(kActionCount));
  for (int a = 0; a < kActionCount; ++a) {
    const auto action = static_cast<Action>(a);
    const Expected& expected = ExpectedPolicy().at(action);
    for (int r = 0; r < kRoleCount; ++r) {
      const auto role = static_cast<Role>(r);
      const Principal who = Holder(role);
      INFO("role ", RoleName(role), " action ", ActionName(action));
      const bool allowed = expected.roles.count(role) > 0;
      CHECK(Authorize(who, action, OwnScope(who)).allowed == allowed);
    }
  }
}

TEST_CASE("nobody but the system touches another organisation's data unless the action is not scoped") {
  for (int a = 0; a < kActionCount; ++a) {
    const auto action = static_cast<Action>(a);
    const Expected& expected = ExpectedPolicy().at(action);
    for (int r = 0; r < kRoleCount; ++r) {
      const auto role = static_cast<Role>(r);
      INFO("role ", RoleName(role), " action ", ActionName(action));
      const bool allowed = expected.roles.count(role) > 0 && (!expected.scoped || role == R::kOperator);
      CHECK(Authorize(Holder(role), action, OtherScope()).allowed == allowed);
    }
  }
}

TEST_CASE("a denial gives a reason that can be shown to the actor") {
  auto denied = Authorize(Holder(R::kProviderUser), A::kApproveTier1, {"P1", "C1", ""});
  CHECK_FALSE(denied.allowed);
  CHECK(denied.reason == "Your roles do not allow you to approve claims at Tier 1.");
  auto other = Authorize(Holder(R::kApproverTier1), A::kApproveTier1, OtherScope());
  CHECK(other.reason == "You can only approve claims at Tier 1 for your own organisation.");
}

TEST_CASE("a commissioner sees its own providers' claims but a provider sees only its own") {
  const Scope p2_claim{"P2", "C1", ""};
  CHECK(Authorize(Holder(R::kApproverTier1), A::kViewClaim, p2_claim).allowed);
  CHECK_FALSE(Authorize(Holder(R::kProviderUser), A::kViewClaim, p2_claim).allowed);
}

TEST_CASE("a commissioner administrator manages accounts of its providers; a provider administrator only its own") {
  const Scope p2_account{"", "C1", "P2"};
  CHECK(Authorize(Holder(R::kCommissionerAdmin), A::kManageAccounts, p2_account).allowed);
  CHECK_FALSE(Authorize(Holder(R::kProviderAdmin), A::kManageAccounts, p2_account).allowed);
  CHECK(Authorize(Holder(R::kProviderAdmin), A::kManageAccounts, {"", "C1", "P1"}).allowed);
}

TEST_CASE("roles are assigned only within the administrator's own organisation") {
  CHECK_FALSE(Authorize(Holder(R::kCommissionerAdmin), A::kAssignRoles, {"", "C1", "P1"}).allowed);
  CHECK(Authorize(Holder(R::kCommissionerAdmin), A::kAssignRoles, {"", "C1", "C1"}).allowed);
  CHECK(Authorize(Holder(R::kProviderAdmin), A::kAssignRoles, {"", "C1", "P1"}).allowed);
}

TEST_CASE("an inactive person is denied everything") {
  Principal who = Holder(R::kCommissionerAdmin);
  who.active = false;
  for (int a = 0; a < kActionCount; ++a) {
    CHECK_FALSE(Authorize(who, static_cast<Action>(a), OwnScope(who)).allowed);
  }
  CHECK(Authorize(who, A::kViewClaim, {}).reason == "Your account is not active.");
}

TEST_CASE("a role that does not fit the organisation's kind grants nothing") {
  Principal who = Holder(R::kProviderUser);
  who.roles.Add(R::kApproverTier1);  // a practice cannot hold a commissioner role
  CHECK_FALSE(Authorize(who, A::kApproveTier1, OwnScope(who)).allowed);
}

TEST_CASE("a scope tied to no organisation passes the own-data rule, for listing") {
  CHECK(Authorize(Holder(R::kProviderUser), A::kViewClaim, {}).allowed);
}

TEST_CASE("role names round-trip and fit their organisation kinds") {
  for (int r = 0; r < kRoleCount; ++r) {
    Role parsed{};
    REQUIRE(ParseRole(RoleName(static_cast<Role>(r)), &parsed));
    CHECK(parsed == static_cast<Role>(r));
  }
  Role unused{};
  CHECK_FALSE(ParseRole("superuser", &unused));
  CHECK(RoleFitsOrg(R::kProviderApprover, OrgKind::kPcn));
  CHECK(RoleFitsOrg(R::kProviderAdmin, OrgKind::kFederation));
  CHECK_FALSE(RoleFitsOrg(R::kFinance, OrgKind::kPractice));
  CHECK_FALSE(RoleFitsOrg(R::kOperator, OrgKind::kCommissioner));
}

}  // namespace
}  // namespace ledger::core
