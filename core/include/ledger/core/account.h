// Account aggregate (stream account-<username>): a person's access to the
// system. The stream's existence reserves the username across the system.
//
//   RequestAccount -> requested -> ApproveAccount -> active <-> disabled
//                              \-> RefuseAccount -> refused
//   CreateAccount (operator tooling) -> active
#pragma once

#include <boost/describe/class.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "ledger/core/access.h"
#include "ledger/core/types.h"

namespace ledger::core {

enum class AccountStatus : uint8_t { kNone = 0, kRequested = 1, kActive = 2, kRefused = 3, kDisabled = 4 };
std::string_view AccountStatusName(AccountStatus status);  // "none", "requested", "active", "refused", "disabled"

// Whether the roles hold both commissioner approver tiers (allowed, but the
// documents advise against it; events carry a warning flag).
bool IsDualTier(const RoleSet& roles);

// ---- Commands -------------------------------------------------------------

// Anyone may request an account; password_hash is computed by the caller
// (Argon2id) and stored opaquely.
struct RequestAccount {
  std::string username;
  std::string org_code;
  std::string full_name;
  std::string email;
  RoleSet roles_requested;
  std::string password_hash;
  bool operator==(const RequestAccount&) const = default;
};
struct ApproveAccount {
  std::string username;
  RoleSet roles;  // the roles granted (may differ from those requested)
  bool operator==(const ApproveAccount&) const = default;
};
struct RefuseAccount {
  std::string username;
  std::string reason;
  bool operator==(const RefuseAccount&) const = default;
};
struct DisableAccount {
  std::string username;
  std::string reason;
  bool operator==(const DisableAccount&) const = default;
};
struct EnableAccount {
  std::string username;
  bool operator==(const EnableAccount&) const = default;
};
struct AssignRoles {
  std::string username;
  RoleSet roles;  // replaces the account's roles
  bool operator==(const AssignRoles&) const = default;
};
struct ChangePassword {
  std::string username;
  std::string password_hash;
  bool operator==(const ChangePassword&) const = default;
};
// An Administrator of the account's organisation, or the operator, sets a new
// password for someone who has lost theirs (active or disabled accounts).
struct ResetPassword {
  std::string username;
  std::string password_hash;
  bool operator==(const ResetPassword&) const = default;
};
// Operator tooling: creates an account that is active at once (the first
// Administrator of an organisation, or an operator).
struct CreateAccount {
  std::string username;
  std::string org_code;
  std::string full_name;
  std::string email;
  RoleSet roles;
  std::string password_hash;
  bool operator==(const CreateAccount&) const = default;
};
// A successful sign-in, recorded by the sign-in itself (the actor is the
// account holder), so that "since you last signed in" is in the log.
struct RecordSignIn {
  std::string username;
  bool operator==(const RecordSignIn&) const = default;
};
using AccountCommand = std::variant<RequestAccount, ApproveAccount, RefuseAccount, DisableAccount, EnableAccount,
                                    AssignRoles, ChangePassword, ResetPassword, CreateAccount, RecordSignIn>;

// ---- Events ---------------------------------------------------------------
// The organisation's kind and commissioner are copied into the account when it
// is created, so that a Principal can be built from the account stream alone.

struct AccountRequested {
  static constexpr std::string_view kTypeName = "AccountRequested";
  std::string username;
  std::string org_code;
  OrgKind org_kind = OrgKind::kPractice;
  std::string commissioner_code;
  std::string full_name;
  std::string email;
  RoleSet roles_requested;
  std::string password_hash;
  Timestamp at = 0;
  bool operator==(const AccountRequested&) const = default;
};
BOOST_DESCRIBE_STRUCT(AccountRequested, (),
                      (username, org_code, org_kind, commissioner_code, full_name, email, roles_requested,
                       password_hash, at))
struct AccountApproved {
  static constexpr std::string_view kTypeName = "AccountApproved";
  std::string username;
  RoleSet roles;
  std::string approved_by;
  bool dual_tier_warning = false;
  Timestamp at = 0;
  bool operator==(const AccountApproved&) const = default;
};
BOOST_DESCRIBE_STRUCT(AccountApproved, (), (username, roles, approved_by, dual_tier_warning, at))
struct AccountRefused {
  static constexpr std::string_view kTypeName = "AccountRefused";
  std::string username;
  std::string reason;
  std::string refused_by;
  Timestamp at = 0;
  bool operator==(const AccountRefused&) const = default;
};
BOOST_DESCRIBE_STRUCT(AccountRefused, (), (username, reason, refused_by, at))
struct AccountDisabled {
  static constexpr std::string_view kTypeName = "AccountDisabled";
  std::string username;
  std::string reason;
  std::string disabled_by;
  Timestamp at = 0;
  bool operator==(const AccountDisabled&) const = default;
};
BOOST_DESCRIBE_STRUCT(AccountDisabled, (), (username, reason, disabled_by, at))
struct AccountEnabled {
  static constexpr std::string_view kTypeName = "AccountEnabled";
  std::string username;
  std::string enabled_by;
  Timestamp at = 0;
  bool operator==(const AccountEnabled&) const = default;
};
BOOST_DESCRIBE_STRUCT(AccountEnabled, (), (username, enabled_by, at))
struct RolesAssigned {
  static constexpr std::string_view kTypeName = "RolesAssigned";
  std::string username;
  RoleSet roles;
  std::string assigned_by;
  bool dual_tier_warning = false;
  Timestamp at = 0;
  bool operator==(const RolesAssigned&) const = default;
};
BOOST_DESCRIBE_STRUCT(RolesAssigned, (), (username, roles, assigned_by, dual_tier_warning, at))
struct PasswordChanged {
  static constexpr std::string_view kTypeName = "PasswordChanged";
  std::string username;
  std::string password_hash;
  Timestamp at = 0;
  bool operator==(const PasswordChanged&) const = default;
};
BOOST_DESCRIBE_STRUCT(PasswordChanged, (), (username, password_hash, at))
struct PasswordReset {
  static constexpr std::string_view kTypeName = "PasswordReset";
  std::string username;
  std::string password_hash;
  std::string reset_by;  // empty: the operator's command line
  Timestamp at = 0;
  bool operator==(const PasswordReset&) const = default;
};
BOOST_DESCRIBE_STRUCT(PasswordReset, (), (username, password_hash, reset_by, at))
struct AccountCreated {
  static constexpr std::string_view kTypeName = "AccountCreated";
  std::string username;
  std::string org_code;
  OrgKind org_kind = OrgKind::kPractice;
  std::string commissioner_code;
  std::string full_name;
  std::string email;
  RoleSet roles;
  std::string password_hash;
  bool dual_tier_warning = false;
  Timestamp at = 0;
  bool operator==(const AccountCreated&) const = default;
};
BOOST_DESCRIBE_STRUCT(AccountCreated, (),
                      (username, org_code, org_kind, commissioner_code, full_name, email, roles, password_hash,
                       dual_tier_warning, at))
// Added later. Changes nothing in the state: the notices projection keeps the
// sign-ins ("since you last signed in").
struct AccountSignedIn {
  static constexpr std::string_view kTypeName = "AccountSignedIn";
  std::string username;
  Timestamp at = 0;
  bool operator==(const AccountSignedIn&) const = default;
};
BOOST_DESCRIBE_STRUCT(AccountSignedIn, (), (username, at))
using AccountEvent = std::variant<AccountRequested, AccountApproved, AccountRefused, AccountDisabled, AccountEnabled,
                                  RolesAssigned, PasswordChanged, PasswordReset, AccountCreated, AccountSignedIn>;

// ---- State ----------------------------------------------------------------

struct AccountState {
  AccountStatus status = AccountStatus::kNone;
  std::string username;
  std::string org_code;
  OrgKind org_kind = OrgKind::kPractice;
  std::string commissioner_code;
  std::string full_name;
  std::string email;
  RoleSet roles;  // granted roles (empty until approved)
  RoleSet roles_requested;
  std::string password_hash;
  bool operator==(const AccountState&) const = default;
};
BOOST_DESCRIBE_STRUCT(AccountState, (),
                      (status, username, org_code, org_kind, commissioner_code, full_name, email, roles,
                       roles_requested, password_hash))

// Folds one event into the state. Pure. DecideAccount is in domain.h.
AccountState EvolveAccount(AccountState state, const AccountEvent& event);

}  // namespace ledger::core
