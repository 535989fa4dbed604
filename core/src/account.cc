#include "ledger/core/account.h"

#include "decide_support.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "variant_util.h"

namespace ledger::core {
namespace {

using internal::Deny;
using internal::NoChange;
using internal::Overloaded;
using internal::StateOf;
using internal::WriteTo;

AccountState Requested(const AccountRequested& e) {
  AccountState s;
  s.status = AccountStatus::kRequested;
  s.username = e.username;
  s.org_code = e.org_code;
  s.org_kind = e.org_kind;
  s.commissioner_code = e.commissioner_code;
  s.full_name = e.full_name;
  s.email = e.email;
  s.roles_requested = e.roles_requested;
  s.password_hash = e.password_hash;
  return s;
}

AccountState Created(const AccountCreated& e) {
  AccountState s;
  s.status = AccountStatus::kActive;
  s.username = e.username;
  s.org_code = e.org_code;
  s.org_kind = e.org_kind;
  s.commissioner_code = e.commissioner_code;
  s.full_name = e.full_name;
  s.email = e.email;
  s.roles = e.roles;
  s.roles_requested = e.roles;
  s.password_hash = e.password_hash;
  return s;
}

}  // namespace

std::string_view AccountStatusName(AccountStatus status) {
  switch (status) {
    case AccountStatus::kNone: return "none";
    case AccountStatus::kRequested: return "requested";
    case AccountStatus::kActive: return "active";
    case AccountStatus::kRefused: return "refused";
    case AccountStatus::kDisabled: return "disabled";
  }
  return "unknown";
}

bool IsDualTier(const RoleSet& roles) { return roles.Has(Role::kApproverTier1) && roles.Has(Role::kApproverTier2); }

AccountState EvolveAccount(AccountState state, const AccountEvent& event) {
  std::visit(Overloaded{
                 [&](const AccountRequested& e) { state = Requested(e); },
                 [&](const AccountCreated& e) { state = Created(e); },
                 [&](const AccountApproved& e) {
                   state.status = AccountStatus::kActive;
                   state.roles = e.roles;
                 },
                 [&](const AccountRefused&) { state.status = AccountStatus::kRefused; },
                 [&](const AccountDisabled&) { state.status = AccountStatus::kDisabled; },
                 [&](const AccountEnabled&) { state.status = AccountStatus::kActive; },
                 [&](const RolesAssigned& e) { state.roles = e.roles; },
                 [&](const PasswordChanged& e) { state.password_hash = e.password_hash; },
                 [&](const AccountSignedIn&) {},
                 [&](const PasswordReset& e) { state.password_hash = e.password_hash; },
             },
             event);
  return state;
}

std::vector<std::string> StreamsForAccount(const AccountCommand& command) {
  return std::visit(Overloaded{
                        [](const RequestAccount& c) {
                          return std::vector<std::string>{AccountStream(c.username), OrgStream(c.org_code)};
                        },
                        [](const CreateAccount& c) {
                          return std::vector<std::string>{AccountStream(c.username), OrgStream(c.org_code)};
                        },
                        [](const auto& c) { return std::vector<std::string>{AccountStream(c.username)}; },
                    },
                    command);
}

namespace {

const AccountState& AccountOf(const Loaded& loaded, std::string_view username) {
  return StateOf<AccountState>(loaded, AccountStream(username));
}

// Field problems with a set of roles for an organisation kind.
void CheckRoles(const RoleSet& roles, OrgKind kind, const std::string& path, std::vector<FieldError>& errors) {
  if (roles.empty()) {
    errors.push_back({path, "required", "Choose at least one role."});
    return;
  }
  for (Role r : roles.List()) {
    if (!RoleFitsOrg(r, kind)) {
      errors.push_back(
          {path, "role_does_not_fit",
           "The role " + std::string(RoleName(r)) + " is not available to a " + std::string(OrgKindName(kind)) + "."});
    }
  }
}

struct NewAccount {
  const std::string& username;
  const std::string& org_code;
  const std::string& full_name;
  const std::string& email;
  const RoleSet& roles;
  const std::string& password_hash;
};

// Everything wrong with a new account, for an existing organisation.
std::vector<FieldError> NewAccountErrors(const NewAccount& a, const OrgState& org) {
  std::vector<FieldError> errors;
  if (!IsValidUsername(a.username)) {
    errors.push_back({"username", "invalid_username", "Use lower-case letters, digits, '.', '_' or '-'."});
  }
  if (a.full_name.empty()) errors.push_back({"full_name", "required", "Enter your full name."});
  if (a.email.find('@') == std::string::npos) errors.push_back({"email", "invalid_email", "Enter an email address."});
  if (a.password_hash.empty()) errors.push_back({"password", "required", "Choose a password."});
  CheckRoles(a.roles, org.kind, "roles", errors);
  return errors;
}

// Checks shared by requesting and creating an account: a free username and an existing organisation.
std::optional<Rejection> CheckNewAccount(const NewAccount& a, const Loaded& loaded) {
  if (AccountOf(loaded, a.username).status != AccountStatus::kNone) {
    return Rejection::Conflict("username_taken", "The username " + a.username + " is already taken.");
  }
  const OrgState& org = StateOf<OrgState>(loaded, OrgStream(a.org_code));
  if (!org.exists) return Rejection::NotFound("unknown_organisation", "There is no organisation " + a.org_code + ".");
  if (auto errors = NewAccountErrors(a, org); !errors.empty()) {
    return internal::InvalidFields("invalid_account", "The account details need correcting.", std::move(errors));
  }
  return std::nullopt;
}

Outcome<Decision> Request(const CommandMeta& meta, const RequestAccount& c, const Loaded& loaded) {
  NewAccount a{c.username, c.org_code, c.full_name, c.email, c.roles_requested, c.password_hash};
  if (auto rejected = CheckNewAccount(a, loaded)) return *rejected;
  const OrgState& org = StateOf<OrgState>(loaded, OrgStream(c.org_code));
  if (org.kind == OrgKind::kSystem) {
    return Rejection::Forbidden("operator_accounts_not_requestable", "Operator accounts are created by the operator.");
  }
  return WriteTo(AccountStream(c.username),
                 {AccountRequested{c.username, c.org_code, org.kind, org.commissioner_code, c.full_name, c.email,
                                   c.roles_requested, c.password_hash, meta.at}});
}

Outcome<Decision> Create(const CommandMeta& meta, const Principal& who, const CreateAccount& c, const Loaded& loaded) {
  if (auto denied = Deny(who, Action::kCreateAdministrator, {})) return *denied;
  NewAccount a{c.username, c.org_code, c.full_name, c.email, c.roles, c.password_hash};
  if (auto rejected = CheckNewAccount(a, loaded)) return *rejected;
  const OrgState& org = StateOf<OrgState>(loaded, OrgStream(c.org_code));
  return WriteTo(AccountStream(c.username),
                 {AccountCreated{c.username, c.org_code, org.kind, org.commissioner_code, c.full_name, c.email, c.roles,
                                 c.password_hash, IsDualTier(c.roles), meta.at}});
}

Scope AccountScope(const AccountState& account) { return {"", account.commissioner_code, account.org_code}; }

// The account named by a command, after checking it exists and `who` may manage it.
Outcome<const AccountState*> ManagedAccount(const Principal& who, const Loaded& loaded, std::string_view username,
                                            Action action = Action::kManageAccounts) {
  const AccountState& account = AccountOf(loaded, username);
  if (account.status == AccountStatus::kNone) {
    return Rejection::NotFound("unknown_account", "There is no account " + std::string(username) + ".");
  }
  if (auto denied = Deny(who, action, AccountScope(account))) return *denied;
  return &account;
}

Rejection WrongStatus(const AccountState& account, std::string_view expected) {
  return Rejection::Conflict("account_not_" + std::string(expected),
                             "The account " + account.username + " is " +
                                 std::string(AccountStatusName(account.status)) + ", not " + std::string(expected) +
                                 ".");
}

std::optional<Rejection> CheckGrantedRoles(const RoleSet& roles, const AccountState& account) {
  std::vector<FieldError> errors;
  CheckRoles(roles, account.org_kind, "roles", errors);
  if (errors.empty()) return std::nullopt;
  return internal::InvalidFields("invalid_roles", "The roles need correcting.", std::move(errors));
}

Outcome<Decision> Approve(const CommandMeta& meta, const Principal& who, const ApproveAccount& c,
                          const Loaded& loaded) {
  auto account = ManagedAccount(who, loaded, c.username);
  if (!account) return account.rejection();
  const AccountState& a = *account.value();
  if (a.status == AccountStatus::kActive && a.roles == c.roles) return NoChange();
  if (a.status != AccountStatus::kRequested) return WrongStatus(a, "requested");
  if (auto invalid = CheckGrantedRoles(c.roles, a)) return *invalid;
  return WriteTo(AccountStream(c.username),
                 {AccountApproved{c.username, c.roles, meta.actor, IsDualTier(c.roles), meta.at}});
}

Outcome<Decision> Refuse(const CommandMeta& meta, const Principal& who, const RefuseAccount& c, const Loaded& loaded) {
  auto account = ManagedAccount(who, loaded, c.username);
  if (!account) return account.rejection();
  const AccountState& a = *account.value();
  if (a.status == AccountStatus::kRefused) return NoChange();
  if (a.status != AccountStatus::kRequested) return WrongStatus(a, "requested");
  if (c.reason.empty()) {
    return Rejection::Invalid("reason_required", "Give a reason.", {{"reason", "required", "Give a reason."}});
  }
  return WriteTo(AccountStream(c.username), {AccountRefused{c.username, c.reason, meta.actor, meta.at}});
}

Outcome<Decision> Disable(const CommandMeta& meta, const Principal& who, const DisableAccount& c,
                          const Loaded& loaded) {
  auto account = ManagedAccount(who, loaded, c.username);
  if (!account) return account.rejection();
  const AccountState& a = *account.value();
  if (a.status == AccountStatus::kDisabled) return NoChange();
  if (a.status != AccountStatus::kActive) return WrongStatus(a, "active");
  if (c.username == meta.actor) {
    return Rejection::Conflict("cannot_disable_self", "You cannot disable your own account.");
  }
  return WriteTo(AccountStream(c.username), {AccountDisabled{c.username, c.reason, meta.actor, meta.at}});
}

Outcome<Decision> Enable(const CommandMeta& meta, const Principal& who, const EnableAccount& c, const Loaded& loaded) {
  auto account = ManagedAccount(who, loaded, c.username);
  if (!account) return account.rejection();
  const AccountState& a = *account.value();
  if (a.status == AccountStatus::kActive) return NoChange();
  if (a.status != AccountStatus::kDisabled) return WrongStatus(a, "disabled");
  return WriteTo(AccountStream(c.username), {AccountEnabled{c.username, meta.actor, meta.at}});
}

bool IsAdministrator(Role r) { return r == Role::kCommissionerAdmin || r == Role::kProviderAdmin; }

// Whether assigning `roles` to the actor's own account would drop their administrator role.
bool DropsOwnAdministration(const AccountState& a, const RoleSet& roles, std::string_view actor) {
  if (a.username != actor) return false;
  for (Role r : a.roles.List()) {
    if (IsAdministrator(r) && !roles.Has(r)) return true;
  }
  return false;
}

Outcome<Decision> Assign(const CommandMeta& meta, const Principal& who, const AssignRoles& c, const Loaded& loaded) {
  auto account = ManagedAccount(who, loaded, c.username, Action::kAssignRoles);
  if (!account) return account.rejection();
  const AccountState& a = *account.value();
  if (a.status != AccountStatus::kActive && a.status != AccountStatus::kDisabled) return WrongStatus(a, "active");
  if (auto invalid = CheckGrantedRoles(c.roles, a)) return *invalid;
  if (a.roles == c.roles) return NoChange();
  if (DropsOwnAdministration(a, c.roles, meta.actor)) {
    return Rejection::Conflict("cannot_remove_own_administrator",
                               "You cannot remove your own Administrator role; ask another Administrator.");
  }
  return WriteTo(AccountStream(c.username),
                 {RolesAssigned{c.username, c.roles, meta.actor, IsDualTier(c.roles), meta.at}});
}

Outcome<Decision> Password(const CommandMeta& meta, const ChangePassword& c, const Loaded& loaded) {
  const AccountState& a = AccountOf(loaded, c.username);
  if (meta.actor != c.username) {
    return Rejection::Forbidden("not_your_account", "You can only change your own password.");
  }
  if (a.status != AccountStatus::kActive) return WrongStatus(a, "active");
  if (c.password_hash.empty()) {
    return Rejection::Invalid("password_required", "Choose a password.",
                              {{"password", "required", "Choose a password."}});
  }
  return WriteTo(AccountStream(c.username), {PasswordChanged{c.username, c.password_hash, meta.at}});
}

Outcome<Decision> Reset(const CommandMeta& meta, const Principal& who, const ResetPassword& c, const Loaded& loaded) {
  auto account = ManagedAccount(who, loaded, c.username);
  if (!account) return account.rejection();
  const AccountState& a = *account.value();
  if (a.status != AccountStatus::kActive && a.status != AccountStatus::kDisabled) return WrongStatus(a, "active");
  if (c.password_hash.empty()) {
    return Rejection::Invalid("password_required", "Choose a password.",
                              {{"password", "required", "Choose a password."}});
  }
  if (a.password_hash == c.password_hash) return NoChange();
  return WriteTo(AccountStream(c.username), {PasswordReset{c.username, c.password_hash, meta.actor, meta.at}});
}

// Only the account holder's own sign-in is recorded, and only while the account is active.
Outcome<Decision> SignIn(const CommandMeta& meta, const RecordSignIn& c, const Loaded& loaded) {
  const AccountState& a = AccountOf(loaded, c.username);
  if (meta.actor != c.username) {
    return Rejection::Forbidden("not_your_account", "Only the account holder's sign-in is recorded.");
  }
  if (a.status != AccountStatus::kActive) return WrongStatus(a, "active");
  return WriteTo(AccountStream(c.username), {AccountSignedIn{c.username, meta.at}});
}

}  // namespace

Outcome<Decision> DecideAccount(const CommandMeta& meta, const AccountCommand& command, const Loaded& loaded) {
  // A requester has no account yet, and a password is changed by its holder:
  // neither needs an administrator's principal.
  auto administered = [&](const auto& c, auto decide) -> Outcome<Decision> {
    auto who = internal::ActingPrincipal(meta, loaded);
    if (!who) return who.rejection();
    return decide(meta, *who, c, loaded);
  };
  return std::visit(Overloaded{
                        [&](const RequestAccount& c) { return Request(meta, c, loaded); },
                        [&](const ChangePassword& c) { return Password(meta, c, loaded); },
                        [&](const RecordSignIn& c) { return SignIn(meta, c, loaded); },
                        [&](const CreateAccount& c) { return administered(c, Create); },
                        [&](const ApproveAccount& c) { return administered(c, Approve); },
                        [&](const RefuseAccount& c) { return administered(c, Refuse); },
                        [&](const DisableAccount& c) { return administered(c, Disable); },
                        [&](const EnableAccount& c) { return administered(c, Enable); },
                        [&](const AssignRoles& c) { return administered(c, Assign); },
                        [&](const ResetPassword& c) { return administered(c, Reset); },
                    },
                    command);
}

}  // namespace ledger::core
