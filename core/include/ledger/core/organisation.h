// Organisation aggregate (stream org-<ODS code>): commissioners, providers and
// the system organisation, with effective-dated registered list sizes and the
// commissioner's finance settings.
#pragma once

#include <boost/describe/class.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ledger/core/access.h"
#include "ledger/core/types.h"

namespace ledger::core {

// The code of the organisation that holds the operator accounts.
inline constexpr std::string_view kSystemOrgCode = "SYSTEM";
// Claims at or above this amount need Finance approval unless configured otherwise.
inline constexpr Pence kDefaultFinanceThresholdPence = 1'500'000;

// Single-level providers submit straight to the commissioner; multi-level
// providers have their own Approver check claims first.
enum class ApprovalMode : uint8_t { kSingleLevel = 0, kMultiLevel = 1 };
std::string_view ApprovalModeName(ApprovalMode mode);  // "single", "multi"
std::optional<ApprovalMode> ParseApprovalMode(std::string_view text);

// The registered list size in force from `effective_from` until the next record.
struct ListSize {
  Date effective_from;
  int64_t patients = 0;
  bool operator==(const ListSize&) const = default;
};
BOOST_DESCRIBE_STRUCT(ListSize, (), (effective_from, patients))

// ---- Commands -------------------------------------------------------------

// The operator registers commissioners (and the system organisation);
// a commissioner's Administrator registers its own providers.
struct RegisterOrganisation {
  std::string code;
  std::string name;
  OrgKind kind = OrgKind::kPractice;
  std::string commissioner_code;  // providers: their commissioner; others: empty
  std::string postcode;
  ApprovalMode approval_mode = ApprovalMode::kSingleLevel;
  std::vector<std::string> members;  // PCN / federation: member practice codes
  bool operator==(const RegisterOrganisation&) const = default;
};
struct ConfigureProvider {
  std::string code;
  ApprovalMode approval_mode = ApprovalMode::kSingleLevel;
  std::vector<std::string> members;
  bool operator==(const ConfigureProvider&) const = default;
};
struct RecordListSize {
  std::string code;
  Date effective_from;
  int64_t patients = 0;
  bool operator==(const RecordListSize&) const = default;
};
struct ConfigureCommissioner {
  std::string code;
  Pence finance_threshold_pence = kDefaultFinanceThresholdPence;
  bool uses_finance_role = true;
  bool operator==(const ConfigureCommissioner&) const = default;
};
// The operator replaces the Ed25519 key the ledger signs its tree heads with
// (`ledger key rotate`; docs/auditing.md). The system organisation records it,
// so the log holds every key ever used. Keys in lowercase hex (32 bytes);
// `endorsement` is the previous key's signature of the new public key (64
// bytes, app::KeyRotationMessage), so that whoever trusts the previous key can
// trust the new one.
struct RotateSigningKey {
  std::string code;  // kSystemOrgCode
  std::string previous_public_key;
  std::string public_key;
  std::string endorsement;
  bool operator==(const RotateSigningKey&) const = default;
};
using OrgCommand =
    std::variant<RegisterOrganisation, ConfigureProvider, RecordListSize, ConfigureCommissioner, RotateSigningKey>;

// ---- Events ---------------------------------------------------------------

struct OrganisationRegistered {
  static constexpr std::string_view kTypeName = "OrganisationRegistered";
  std::string code;
  std::string name;
  OrgKind kind = OrgKind::kPractice;
  std::string commissioner_code;
  std::string postcode;
  ApprovalMode approval_mode = ApprovalMode::kSingleLevel;
  std::vector<std::string> members;
  Timestamp at = 0;
  bool operator==(const OrganisationRegistered&) const = default;
};
BOOST_DESCRIBE_STRUCT(OrganisationRegistered, (),
                      (code, name, kind, commissioner_code, postcode, approval_mode, members, at))
struct ProviderConfigured {
  static constexpr std::string_view kTypeName = "ProviderConfigured";
  std::string code;
  ApprovalMode approval_mode = ApprovalMode::kSingleLevel;
  std::vector<std::string> members;
  Timestamp at = 0;
  bool operator==(const ProviderConfigured&) const = default;
};
BOOST_DESCRIBE_STRUCT(ProviderConfigured, (), (code, approval_mode, members, at))
struct ListSizeRecorded {
  static constexpr std::string_view kTypeName = "ListSizeRecorded";
  std::string code;
  Date effective_from;
  int64_t patients = 0;
  Timestamp at = 0;
  bool operator==(const ListSizeRecorded&) const = default;
};
BOOST_DESCRIBE_STRUCT(ListSizeRecorded, (), (code, effective_from, patients, at))
struct CommissionerConfigured {
  static constexpr std::string_view kTypeName = "CommissionerConfigured";
  std::string code;
  Pence finance_threshold_pence = kDefaultFinanceThresholdPence;
  bool uses_finance_role = true;
  Timestamp at = 0;
  bool operator==(const CommissionerConfigured&) const = default;
};
BOOST_DESCRIBE_STRUCT(CommissionerConfigured, (), (code, finance_threshold_pence, uses_finance_role, at))
struct SigningKeyRotated {
  static constexpr std::string_view kTypeName = "SigningKeyRotated";
  std::string code;
  std::string previous_public_key;
  std::string public_key;
  std::string endorsement;
  std::string rotated_by;  // the operator's username; "" for operator tooling
  Timestamp at = 0;
  bool operator==(const SigningKeyRotated&) const = default;
};
BOOST_DESCRIBE_STRUCT(SigningKeyRotated, (), (code, previous_public_key, public_key, endorsement, rotated_by, at))
using OrgEvent = std::variant<OrganisationRegistered, ProviderConfigured, ListSizeRecorded, CommissionerConfigured,
                              SigningKeyRotated>;

// ---- State ----------------------------------------------------------------

struct OrgState {
  bool exists = false;
  std::string code;
  std::string name;
  OrgKind kind = OrgKind::kPractice;
  std::string commissioner_code;  // providers: their commissioner; commissioners: themselves
  std::string postcode;
  ApprovalMode approval_mode = ApprovalMode::kSingleLevel;
  std::vector<std::string> members;
  std::vector<ListSize> list_sizes;  // ascending by effective_from, at most one per date
  Pence finance_threshold_pence = kDefaultFinanceThresholdPence;
  bool uses_finance_role = true;
  // The system organisation: the public key tree heads are signed with since
  // the last SigningKeyRotated (hex; empty while no rotation is recorded).
  std::string signing_key;
  bool operator==(const OrgState&) const = default;

  // The list size in force on `date` (the latest record effective on or
  // before it); nullopt when none was recorded by then.
  std::optional<int64_t> ListSizeAt(Date date) const;
};
BOOST_DESCRIBE_STRUCT(OrgState, (),
                      (exists, code, name, kind, commissioner_code, postcode, approval_mode, members, list_sizes,
                       finance_threshold_pence, uses_finance_role, signing_key))

// The access scope of an organisation (core::Authorize): itself, its
// commissioner, and itself as provider when it is one. Every entry point that
// authorizes an action on an organisation asks this, so they cannot disagree.
Scope ScopeOf(const OrgState& org);

// Folds one event into the state. Pure. DecideOrganisation is in domain.h.
OrgState EvolveOrganisation(OrgState state, const OrgEvent& event);

}  // namespace ledger::core
