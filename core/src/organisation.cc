#include "ledger/core/organisation.h"

#include <algorithm>

#include "claim_internal.h"
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

void InsertListSize(std::vector<ListSize>& sizes, ListSize size) {
  auto it = std::lower_bound(sizes.begin(), sizes.end(), size.effective_from,
                             [](const ListSize& s, Date d) { return s.effective_from < d; });
  if (it != sizes.end() && it->effective_from == size.effective_from) {
    *it = size;
  } else {
    sizes.insert(it, size);
  }
}

OrgState Registered(const OrganisationRegistered& e) {
  OrgState s;
  s.exists = true;
  s.code = e.code;
  s.name = e.name;
  s.kind = e.kind;
  s.commissioner_code = e.kind == OrgKind::kCommissioner ? e.code : e.commissioner_code;
  s.postcode = e.postcode;
  s.approval_mode = e.approval_mode;
  s.members = e.members;
  return s;
}

}  // namespace

std::string_view ApprovalModeName(ApprovalMode mode) { return mode == ApprovalMode::kMultiLevel ? "multi" : "single"; }

std::optional<ApprovalMode> ParseApprovalMode(std::string_view text) {
  if (text == "single") return ApprovalMode::kSingleLevel;
  if (text == "multi") return ApprovalMode::kMultiLevel;
  return std::nullopt;
}

std::optional<int64_t> OrgState::ListSizeAt(Date date) const {
  std::optional<int64_t> found;
  for (const ListSize& s : list_sizes) {
    if (s.effective_from > date) break;
    found = s.patients;
  }
  return found;
}

OrgState EvolveOrganisation(OrgState state, const OrgEvent& event) {
  std::visit(Overloaded{
                 [&](const OrganisationRegistered& e) { state = Registered(e); },
                 [&](const ProviderConfigured& e) {
                   state.approval_mode = e.approval_mode;
                   state.members = e.members;
                 },
                 [&](const ListSizeRecorded& e) {
                   InsertListSize(state.list_sizes, {e.effective_from, e.patients});
                 },
                 [&](const CommissionerConfigured& e) {
                   state.finance_threshold_pence = e.finance_threshold_pence;
                   state.uses_finance_role = e.uses_finance_role;
                 },
                 [&](const SigningKeyRotated& e) { state.signing_key = e.public_key; },
             },
             event);
  return state;
}

std::vector<std::string> StreamsForOrganisation(const OrgCommand& command) {
  return std::visit(Overloaded{
                        [](const RegisterOrganisation& c) {
                          std::vector<std::string> out{OrgStream(c.code)};
                          if (!c.commissioner_code.empty()) out.push_back(OrgStream(c.commissioner_code));
                          for (const auto& m : c.members) out.push_back(OrgStream(m));
                          return out;
                        },
                        [](const ConfigureProvider& c) {
                          std::vector<std::string> out{OrgStream(c.code)};
                          for (const auto& m : c.members) out.push_back(OrgStream(m));
                          return out;
                        },
                        [](const auto& c) { return std::vector<std::string>{OrgStream(c.code)}; },
                    },
                    command);
}

namespace {

const OrgState& OrgOf(const Loaded& loaded, std::string_view code) {
  return StateOf<OrgState>(loaded, OrgStream(code));
}

Rejection UnknownOrganisation(std::string_view code) {
  return Rejection::NotFound("unknown_organisation", "There is no organisation " + std::string(code) + ".");
}

// Members of a PCN or federation: existing practices of the same commissioner.
std::vector<FieldError> MemberErrors(const Loaded& loaded, OrgKind kind, std::string_view commissioner,
                                     const std::vector<std::string>& members) {
  std::vector<FieldError> errors;
  if (!members.empty() && kind != OrgKind::kPcn && kind != OrgKind::kFederation) {
    errors.push_back({"members", "members_not_allowed", "Only a PCN or federation has member practices."});
    return errors;
  }
  for (const std::string& code : members) {
    const OrgState& member = OrgOf(loaded, code);
    if (!member.exists || member.kind != OrgKind::kPractice || member.commissioner_code != commissioner) {
      errors.push_back(
          {"members." + code, "unknown_member", "Member " + code + " is not a practice of the same commissioner."});
    }
  }
  return errors;
}

std::vector<FieldError> RegistrationErrors(const RegisterOrganisation& c, const Loaded& loaded) {
  std::vector<FieldError> errors;
  if (!IsValidId(c.code)) errors.push_back({"code", "invalid_code", "Enter an ODS code of letters and digits."});
  if (c.name.empty()) errors.push_back({"name", "required", "Enter the organisation's name."});
  if (IsProvider(c.kind)) {
    const OrgState& commissioner = OrgOf(loaded, c.commissioner_code);
    if (!commissioner.exists || commissioner.kind != OrgKind::kCommissioner) {
      errors.push_back({"commissioner_code", "unknown_commissioner", "Choose an existing commissioner."});
    }
  } else if (!c.commissioner_code.empty()) {
    errors.push_back({"commissioner_code", "not_a_provider", "Only providers have a commissioner."});
  }
  for (auto& e : MemberErrors(loaded, c.kind, c.commissioner_code, c.members)) errors.push_back(std::move(e));
  return errors;
}

std::optional<Rejection> DenyRegistration(const Principal& who, const RegisterOrganisation& c) {
  if (!IsProvider(c.kind)) return Deny(who, Action::kRegisterCommissioner, {});
  return Deny(who, Action::kManageProviders, {"", c.commissioner_code, ""});
}

Outcome<Decision> Register(const CommandMeta& meta, const Principal& who, const RegisterOrganisation& c,
                           const Loaded& loaded) {
  if (auto denied = DenyRegistration(who, c)) return *denied;
  if (OrgOf(loaded, c.code).exists) {
    return Rejection::Conflict("organisation_exists", "Organisation " + c.code + " is already registered.");
  }
  if (auto errors = RegistrationErrors(c, loaded); !errors.empty()) {
    return internal::InvalidFields("invalid_organisation", "The organisation's details need correcting.", errors);
  }
  return WriteTo(OrgStream(c.code), {OrganisationRegistered{c.code, c.name, c.kind, c.commissioner_code, c.postcode,
                                                            c.approval_mode, c.members, meta.at}});
}

// The provider named by a command, after checking the actor may manage it.
Outcome<const OrgState*> ManagedProvider(const Principal& who, const Loaded& loaded, std::string_view code) {
  const OrgState& org = OrgOf(loaded, code);
  if (!org.exists) return UnknownOrganisation(code);
  if (auto denied = Deny(who, Action::kManageProviders, {"", org.commissioner_code, ""})) return *denied;
  if (!IsProvider(org.kind)) {
    return Rejection::Invalid("not_a_provider", "Organisation " + std::string(code) + " is not a provider.");
  }
  return &org;
}

Outcome<Decision> Configure(const CommandMeta& meta, const Principal& who, const ConfigureProvider& c,
                            const Loaded& loaded) {
  auto org = ManagedProvider(who, loaded, c.code);
  if (!org) return org.rejection();
  const OrgState& state = *org.value();
  if (auto errors = MemberErrors(loaded, state.kind, state.commissioner_code, c.members); !errors.empty()) {
    return internal::InvalidFields("invalid_members", "The member practices need correcting.", errors);
  }
  if (state.approval_mode == c.approval_mode && state.members == c.members) return NoChange();
  return WriteTo(OrgStream(c.code), {ProviderConfigured{c.code, c.approval_mode, c.members, meta.at}});
}

Outcome<Decision> RecordSize(const CommandMeta& meta, const Principal& who, const RecordListSize& c,
                             const Loaded& loaded) {
  auto org = ManagedProvider(who, loaded, c.code);
  if (!org) return org.rejection();
  if (c.patients < 0) {
    return Rejection::Invalid("invalid_list_size", "A list size cannot be negative.",
                              {{"patients", "out_of_range", "Enter a list size of zero or more."}});
  }
  for (const ListSize& s : org.value()->list_sizes) {
    if (s.effective_from == c.effective_from && s.patients == c.patients) return NoChange();
  }
  return WriteTo(OrgStream(c.code), {ListSizeRecorded{c.code, c.effective_from, c.patients, meta.at}});
}

Outcome<Decision> ConfigureFinance(const CommandMeta& meta, const Principal& who, const ConfigureCommissioner& c,
                                   const Loaded& loaded) {
  const OrgState& org = OrgOf(loaded, c.code);
  if (!org.exists) return UnknownOrganisation(c.code);
  if (auto denied = Deny(who, Action::kManageProviders, {"", c.code, c.code})) return *denied;
  if (org.kind != OrgKind::kCommissioner) {
    return Rejection::Invalid("not_a_commissioner", "Organisation " + c.code + " is not a commissioner.");
  }
  if (c.finance_threshold_pence <= 0) {
    return Rejection::Invalid("invalid_threshold", "The finance threshold must be above zero.",
                              {{"finance_threshold_pence", "out_of_range", "Enter a threshold above £0.00."}});
  }
  if (org.finance_threshold_pence == c.finance_threshold_pence && org.uses_finance_role == c.uses_finance_role) {
    return NoChange();
  }
  return WriteTo(OrgStream(c.code),
                 {CommissionerConfigured{c.code, c.finance_threshold_pence, c.uses_finance_role, meta.at}});
}

// The system organisation records each key rotation once, from the key in
// force: a rotation from another key is a conflict (two operators rotating at
// once, or a key file that is not the ledger's), the same rotation again is
// no change.
Outcome<Decision> RotateKey(const CommandMeta& meta, const Principal& who, const RotateSigningKey& c,
                            const Loaded& loaded) {
  if (auto denied = Deny(who, Action::kRotateSigningKey, {})) return *denied;
  const OrgState& org = OrgOf(loaded, c.code);
  if (!org.exists) return UnknownOrganisation(c.code);
  if (org.kind != OrgKind::kSystem) {
    return Rejection::Invalid("not_the_system", "Only the system organisation " + std::string(kSystemOrgCode) +
                                                    " holds the ledger's signing key.");
  }
  std::vector<FieldError> errors;
  if (!internal::IsLowerHex(c.previous_public_key, 32)) {
    errors.push_back({"previous_public_key", "invalid_key", "Give the key being replaced as 64 lowercase hex digits."});
  }
  if (!internal::IsLowerHex(c.public_key, 32)) {
    errors.push_back({"public_key", "invalid_key", "Give the new public key as 64 lowercase hex digits."});
  } else if (c.public_key == c.previous_public_key) {
    errors.push_back({"public_key", "same_key", "The new key must differ from the key it replaces."});
  }
  if (!internal::IsLowerHex(c.endorsement, 64)) {
    errors.push_back({"endorsement", "invalid_endorsement",
                      "Give the previous key's signature of the new key as 128 lowercase hex digits."});
  }
  if (!errors.empty())
    return internal::InvalidFields("invalid_key_rotation", "The key rotation needs correcting.", errors);
  if (org.signing_key == c.public_key) return NoChange();
  if (!org.signing_key.empty() && org.signing_key != c.previous_public_key) {
    return Rejection::Conflict("not_the_current_key", "The ledger signs with key " + org.signing_key + ", not with " +
                                                          c.previous_public_key +
                                                          ": only the key in force can be rotated.");
  }
  return WriteTo(OrgStream(c.code),
                 {SigningKeyRotated{c.code, c.previous_public_key, c.public_key, c.endorsement, meta.actor, meta.at}});
}

}  // namespace

Outcome<Decision> DecideOrganisation(const CommandMeta& meta, const OrgCommand& command, const Loaded& loaded) {
  auto who = internal::ActingPrincipal(meta, loaded);
  if (!who) return who.rejection();
  return std::visit(Overloaded{
                        [&](const RegisterOrganisation& c) { return Register(meta, who.value(), c, loaded); },
                        [&](const ConfigureProvider& c) { return Configure(meta, who.value(), c, loaded); },
                        [&](const RecordListSize& c) { return RecordSize(meta, who.value(), c, loaded); },
                        [&](const ConfigureCommissioner& c) { return ConfigureFinance(meta, who.value(), c, loaded); },
                        [&](const RotateSigningKey& c) { return RotateKey(meta, who.value(), c, loaded); },
                    },
                    command);
}

Scope ScopeOf(const OrgState& org) {
  Scope scope;
  scope.org_code = org.code;
  scope.commissioner_code = org.commissioner_code;
  if (IsProvider(org.kind)) scope.provider_code = org.code;
  return scope;
}

}  // namespace ledger::core
