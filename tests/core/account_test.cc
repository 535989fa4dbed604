#include <doctest/doctest.h>

#include "world.h"

namespace ledger::core::testing {
namespace {

using R = Role;

RequestAccount Request(const std::string& username, const std::string& org, RoleSet roles) {
  return {username, org, "Sam Patel", "sam@nhs.net", roles, "$argon2id$new"};
}

Scenario WithRequest(const std::string& username, const std::string& org, RoleSet roles) {
  Scenario s = StandardWorld();
  REQUIRE(s.Do("", Request(username, org, roles)).ok());
  return s;
}

TEST_CASE("a person requests an account for a practice and it records the practice's commissioner") {
  auto result = StandardWorld().When("", Request("sam", "P1", Roles({R::kProviderUser})));
  CHECK(Written(result, AccountStream("sam")) ==
        std::vector<Event>{AccountRequested{"sam", "P1", OrgKind::kPractice, "C1", "Sam Patel", "sam@nhs.net",
                                            Roles({R::kProviderUser}), "$argon2id$new", Now()}});
}

TEST_CASE("usernames are unique across the system") {
  CHECK(Refusal(StandardWorld().When("", Request("p1user", "P2", Roles({R::kProviderUser})))) == "username_taken");
}

TEST_CASE("an account request lists every problem at once") {
  RequestAccount bad{"Sam Patel", "P1", "", "sam", Roles({R::kApproverTier1}), ""};
  auto result = StandardWorld().When("", bad);
  CHECK(Refusal(result) == "invalid_account");
  CHECK(ErrorPaths(result) == std::vector<std::string>{"username", "full_name", "email", "password", "roles"});
}

TEST_CASE("an account request needs at least one role and an existing organisation") {
  Scenario s = StandardWorld();
  CHECK(ErrorPaths(s.When("", Request("sam", "P1", RoleSet{}))) == std::vector<std::string>{"roles"});
  CHECK(Refusal(s.When("", Request("sam", "P404", Roles({R::kProviderUser})))) == "unknown_organisation");
}

TEST_CASE("operator accounts cannot be requested") {
  CHECK(Refusal(StandardWorld().When("", Request("eve", "SYSTEM", Roles({R::kOperator})))) ==
        "operator_accounts_not_requestable");
}

TEST_CASE("the practice's administrator approves a requested account, which becomes active") {
  Scenario s = WithRequest("sam", "P1", Roles({R::kProviderUser}));
  auto result = s.Do("p1admin", ApproveAccount{"sam", Roles({R::kProviderUser})});
  CHECK(Written(result, AccountStream("sam")) ==
        std::vector<Event>{AccountApproved{"sam", Roles({R::kProviderUser}), "p1admin", false, Now()}});
  CHECK(s.State<AccountState>(AccountStream("sam")).status == AccountStatus::kActive);
  CHECK(PrincipalFrom(s.State<AccountState>(AccountStream("sam"))).active);
}

TEST_CASE("the commissioner's administrator may approve accounts of its providers") {
  Scenario s = WithRequest("sam", "P1", Roles({R::kProviderUser}));
  CHECK(s.When("c1admin", ApproveAccount{"sam", Roles({R::kProviderUser})}).ok());
  CHECK(Refusal(s.When("c2admin", ApproveAccount{"sam", Roles({R::kProviderUser})})) == "forbidden");
}

TEST_CASE("another practice's administrator cannot approve the account") {
  Scenario s = WithRequest("sam", "P1", Roles({R::kProviderUser}));
  CHECK(Refusal(s.When("p2admin", ApproveAccount{"sam", Roles({R::kProviderUser})})) == "forbidden");
  CHECK(Refusal(s.When("p1user", ApproveAccount{"sam", Roles({R::kProviderUser})})) == "forbidden");
}

TEST_CASE("approved roles must fit the organisation") {
  Scenario s = WithRequest("sam", "P1", Roles({R::kProviderUser}));
  CHECK(Refusal(s.When("p1admin", ApproveAccount{"sam", Roles({R::kFinance})})) == "invalid_roles");
  CHECK(Refusal(s.When("p1admin", ApproveAccount{"sam", RoleSet{}})) == "invalid_roles");
}

TEST_CASE("holding Tier 1 and Tier 2 together is allowed but flagged") {
  Scenario s = WithRequest("dual", "C1", Roles({R::kApproverTier1}));
  auto result = s.When("c1admin", ApproveAccount{"dual", Roles({R::kApproverTier1, R::kApproverTier2})});
  REQUIRE(Written(result, AccountStream("dual")).size() == 1);
  CHECK(std::get<AccountApproved>(Written(result, AccountStream("dual"))[0]).dual_tier_warning);
  auto assign = s.When("c1admin", AssignRoles{"c1tier1", Roles({R::kApproverTier1, R::kApproverTier2})});
  CHECK(std::get<RolesAssigned>(Written(assign, AccountStream("c1tier1"))[0]).dual_tier_warning);
  auto single = s.When("c1admin", AssignRoles{"c1tier1", Roles({R::kApproverTier1, R::kAuditor})});
  CHECK_FALSE(std::get<RolesAssigned>(Written(single, AccountStream("c1tier1"))[0]).dual_tier_warning);
}

TEST_CASE("approving an account twice changes nothing; approving an active account with other roles conflicts") {
  Scenario s = WithRequest("sam", "P1", Roles({R::kProviderUser}));
  REQUIRE(s.Do("p1admin", ApproveAccount{"sam", Roles({R::kProviderUser})}).ok());
  CHECK(Unchanged(s.When("p1admin", ApproveAccount{"sam", Roles({R::kProviderUser})})));
  CHECK(Refusal(s.When("p1admin", ApproveAccount{"sam", Roles({R::kProviderAdmin})})) == "account_not_requested");
}

TEST_CASE("an administrator refuses a request with a reason") {
  Scenario s = WithRequest("sam", "P1", Roles({R::kProviderUser}));
  CHECK(Refusal(s.When("p1admin", RefuseAccount{"sam", ""})) == "reason_required");
  auto result = s.Do("p1admin", RefuseAccount{"sam", "Not a member of staff"});
  CHECK(Written(result, AccountStream("sam")) ==
        std::vector<Event>{AccountRefused{"sam", "Not a member of staff", "p1admin", Now()}});
  CHECK(Unchanged(s.When("p1admin", RefuseAccount{"sam", "again"})));
  CHECK(Refusal(s.When("p1admin", ApproveAccount{"sam", Roles({R::kProviderUser})})) == "account_not_requested");
}

TEST_CASE("only a requested account can be refused") {
  CHECK(Refusal(StandardWorld().When("p1admin", RefuseAccount{"p1user", "no"})) == "account_not_requested");
}

TEST_CASE("unknown accounts are not found") {
  CHECK(Refusal(StandardWorld().When("p1admin", ApproveAccount{"ghost", Roles({R::kProviderUser})})) ==
        "unknown_account");
}

TEST_CASE("an administrator disables and re-enables an account; a disabled person can do nothing") {
  Scenario s = StandardWorld();
  auto disabled = s.Do("p1admin", DisableAccount{"p1user", "Left the practice"});
  CHECK(Written(disabled, AccountStream("p1user")) ==
        std::vector<Event>{AccountDisabled{"p1user", "Left the practice", "p1admin", Now()}});
  CHECK(Unchanged(s.When("p1admin", DisableAccount{"p1user", "again"})));
  CHECK(Refusal(s.When("p1user", ChangePassword{"p1user", "x"})) == "account_not_active");
  auto enabled = s.Do("p1admin", EnableAccount{"p1user"});
  CHECK(Written(enabled, AccountStream("p1user")) == std::vector<Event>{AccountEnabled{"p1user", "p1admin", Now()}});
  CHECK(Unchanged(s.When("p1admin", EnableAccount{"p1user"})));
}

TEST_CASE("only an active account can be disabled and only a disabled one enabled") {
  Scenario s = WithRequest("sam", "P1", Roles({R::kProviderUser}));
  CHECK(Refusal(s.When("p1admin", DisableAccount{"sam", "x"})) == "account_not_active");
  CHECK(Refusal(s.When("p1admin", EnableAccount{"sam"})) == "account_not_disabled");
}

TEST_CASE("administrators cannot disable their own account") {
  CHECK(Refusal(StandardWorld().When("p1admin", DisableAccount{"p1admin", "x"})) == "cannot_disable_self");
}

TEST_CASE("a commissioner administrator disables a provider's account but not another commissioner's") {
  Scenario s = StandardWorld();
  CHECK(s.When("c1admin", DisableAccount{"p1user", "x"}).ok());
  CHECK(Refusal(s.When("c1admin", DisableAccount{"p3user", "x"})) == "forbidden");
  CHECK(Refusal(s.When("c1admin", DisableAccount{"c2tier1", "x"})) == "forbidden");
}

TEST_CASE("roles are assigned by an administrator of the account's own organisation only") {
  Scenario s = StandardWorld();
  auto result = s.When("p1admin", AssignRoles{"p1user", Roles({R::kProviderUser, R::kProviderApprover})});
  CHECK(Written(result, AccountStream("p1user")) ==
        std::vector<Event>{
            RolesAssigned{"p1user", Roles({R::kProviderUser, R::kProviderApprover}), "p1admin", false, Now()}});
  CHECK(Refusal(s.When("c1admin", AssignRoles{"p1user", Roles({R::kProviderAdmin})})) == "forbidden");
  CHECK(Refusal(s.When("p2admin", AssignRoles{"p1user", Roles({R::kProviderAdmin})})) == "forbidden");
  CHECK(Refusal(s.When("p1admin", AssignRoles{"p1user", Roles({R::kFinance})})) == "invalid_roles");
  CHECK(Unchanged(s.When("p1admin", AssignRoles{"p1user", Roles({R::kProviderUser})})));
}

TEST_CASE("administrators cannot remove their own administrator role") {
  CHECK(Refusal(StandardWorld().When("p1admin", AssignRoles{"p1admin", Roles({R::kProviderUser})})) ==
        "cannot_remove_own_administrator");
}

TEST_CASE("roles cannot be assigned to an account that is only requested") {
  Scenario s = WithRequest("sam", "P1", Roles({R::kProviderUser}));
  CHECK(Refusal(s.When("p1admin", AssignRoles{"sam", Roles({R::kProviderAdmin})})) == "account_not_active");
}

TEST_CASE("people change only their own password") {
  Scenario s = StandardWorld();
  CHECK(Written(s.When("p1user", ChangePassword{"p1user", "$argon2id$other"}), AccountStream("p1user")) ==
        std::vector<Event>{PasswordChanged{"p1user", "$argon2id$other", Now()}});
  CHECK(Refusal(s.When("p1admin", ChangePassword{"p1user", "$argon2id$other"})) == "not_your_account");
  CHECK(Refusal(s.When("p1user", ChangePassword{"p1user", ""})) == "password_required");
}

TEST_CASE("a sign-in is recorded for the active account holder alone") {
  Scenario s = StandardWorld();
  CHECK(Written(s.When("p1user", RecordSignIn{"p1user"}), AccountStream("p1user")) ==
        std::vector<Event>{AccountSignedIn{"p1user", Now()}});
  CHECK(Refusal(s.When("p1admin", RecordSignIn{"p1user"})) == "not_your_account");
  Scenario requested = WithRequest("sam", "P1", Roles({R::kProviderUser}));
  CHECK(Refusal(requested.When("sam", RecordSignIn{"sam"})) == "account_not_active");
}

TEST_CASE("an administrator of the organisation or the operator resets a lost password") {
  Scenario s = StandardWorld();
  CHECK(Written(s.When("p1admin", ResetPassword{"p1user", "$argon2id$new"}), AccountStream("p1user")) ==
        std::vector<Event>{PasswordReset{"p1user", "$argon2id$new", "p1admin", Now()}});
  CHECK(Written(s.When("", ResetPassword{"p1user", "$argon2id$new"}), AccountStream("p1user")) ==
        std::vector<Event>{PasswordReset{"p1user", "$argon2id$new", "", Now()}});
  CHECK(Refusal(s.When("p1user", ResetPassword{"p1admin", "$argon2id$new"})) == "forbidden");
  CHECK(Refusal(s.When("p1admin", ResetPassword{"p1user", ""})) == "password_required");
  CHECK(Refusal(s.When("p1admin", ResetPassword{"nobody", "$argon2id$new"})) == "unknown_account");
}

TEST_CASE("a reset to the password already held changes nothing") {
  Scenario s = StandardWorld();
  s.Given(AccountStream("p1user"), {PasswordReset{"p1user", "$argon2id$new", "p1admin", Now()}});
  CHECK(Unchanged(s.When("p1admin", ResetPassword{"p1user", "$argon2id$new"})));
}

TEST_CASE("the operator creates the first administrator of an organisation, active at once") {
  Scenario s = StandardWorld();
  CreateAccount first{"c2boss", "C2", "Ann Lee", "ann@nhs.net", Roles({R::kCommissionerAdmin}), "$argon2id$a"};
  auto result = s.Do("", first);
  CHECK(Written(result, AccountStream("c2boss")) ==
        std::vector<Event>{AccountCreated{"c2boss", "C2", OrgKind::kCommissioner, "C2", "Ann Lee", "ann@nhs.net",
                                          Roles({R::kCommissionerAdmin}), "$argon2id$a", false, Now()}});
  CHECK(s.State<AccountState>(AccountStream("c2boss")).status == AccountStatus::kActive);
  CHECK(Refusal(s.When("c1admin", CreateAccount{"x", "C1", "X", "x@nhs.net", Roles({R::kFinance}), "h"})) ==
        "forbidden");
  CHECK(Refusal(s.When("op", first)) == "username_taken");
}

TEST_CASE("a principal is built from the account and its organisation") {
  Scenario s = StandardWorld();
  Principal p = PrincipalFrom(s.State<AccountState>(AccountStream("c1tier1")), s.State<OrgState>(OrgStream("C1")));
  CHECK(p.username == "c1tier1");
  CHECK(p.org_code == "C1");
  CHECK(p.org_kind == OrgKind::kCommissioner);
  CHECK(p.commissioner_code == "C1");
  CHECK(p.roles.Has(Role::kApproverTier1));
  CHECK(p.active);
  CHECK(SystemPrincipal().roles.Has(Role::kOperator));
}

}  // namespace
}  // namespace ledger::core::testing
