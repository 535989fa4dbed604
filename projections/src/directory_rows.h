// Internal: the directory projection's rows and their encodings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/types.h"

namespace ledger::projections::internal {

struct OrgRow {
  std::string code, name, kind, commissioner_code, postcode, approval_mode;
  std::vector<std::string> members;
  std::vector<int64_t> list_sizes;  // pairs: effective_from days, patients (ascending)
  core::Pence finance_threshold = 0;
  bool uses_finance_role = true;
  core::Timestamp registered_at = 0;
  // The list size in force on `day` (days since epoch); 0 when none.
  int64_t ListSizeOn(int32_t day) const;
  int64_t LatestListSize() const;
};

struct AccountRow {
  std::string username, org_code, org_kind, commissioner_code, full_name, email, status;
  uint32_t roles = 0, roles_requested = 0;
  bool dual_tier_warning = false;
  std::string decided_by, reason;
  core::Timestamp requested_at = 0, updated_at = 0;
};

struct ServiceRow {
  std::string service_id, commissioner, code, name, category, frequency, status;
  int64_t window_days = 0;
  std::string start, end;
  std::vector<std::string> components;  // "id:kind" each
  std::vector<std::string> tariffs;     // "effective_from payment_type summary" each
  std::vector<std::string> shared_with;
  bool evidence_required = false;
};

struct OfferRow {
  std::string service_id, provider, commissioner, status, start, end, respond_by;
  std::vector<std::string> participation;  // "start..end" each accepted window
  std::string responded_by, reason;
  core::Timestamp offered_at = 0, responded_at = 0;
};

struct RunRow {
  std::string run_id, commissioner, pay_date, status;
  int64_t claims = 0;
  core::Pence total = 0;
  uint64_t head_position = 0;
  std::string head_hash, created_by, confirmed_by, payment_reference;
  core::Timestamp created_at = 0, confirmed_at = 0, paid_at = 0;
};

std::string Encode(const OrgRow& r);
std::string Encode(const AccountRow& r);
std::string Encode(const ServiceRow& r);
std::string Encode(const OfferRow& r);
std::string Encode(const RunRow& r);
bool Decode(std::string_view bytes, OrgRow* r);
bool Decode(std::string_view bytes, AccountRow* r);
bool Decode(std::string_view bytes, ServiceRow* r);
bool Decode(std::string_view bytes, OfferRow* r);
bool Decode(std::string_view bytes, RunRow* r);

// Roles as a comma-separated list of role names.
std::string RoleList(uint32_t bits);

}  // namespace ledger::projections::internal
