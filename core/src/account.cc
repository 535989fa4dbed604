#include "ledger/core/account.h"

#include "decide_support.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "variant_util.h"

namespace ledger::core {
namespace {

using internal::Overloaded;

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

Outcome<Decision> DecideAccount(const CommandMeta&, const AccountCommand&, const Loaded&) {
  return Rejection::Conflict("not_implemented", "Not available yet.");
}

}  // namespace ledger::core
