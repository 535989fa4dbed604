// Point queries on the directory projection: one organisation, person or
// payment run by id, for pages and answers that show names and history. Pure reads of a ProjectionDb
// snapshot at the applied head; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ledger/core/types.h"
#include "ledger/eventstore/status.h"
#include "ledger/projections/projection_db.h"

namespace ledger::projections {

struct OrganisationEntry {
  std::string code, name, kind, commissioner_code;
};

struct PersonEntry {
  std::string username, full_name, org_code, status;
};

// Who made and confirmed a payment run, when, and the log head its claims
// were chosen at.
struct PaymentRunEntry {
  std::string run_id, commissioner, status, created_by, confirmed_by, payment_reference, head_hash;
  uint64_t head_position = 0;
  core::Timestamp created_at = 0, confirmed_at = 0, paid_at = 0;  // 0 = not (yet)
};

// The organisation registered under `code`; nullopt when none is (yet) applied.
es::Result<std::optional<OrganisationEntry>> FindOrganisation(const ProjectionDb& db, std::string_view code);
// The account `username`; nullopt when none is (yet) applied.
es::Result<std::optional<PersonEntry>> FindPerson(const ProjectionDb& db, std::string_view username);
// The payment run `run_id`; nullopt when none is (yet) applied.
es::Result<std::optional<PaymentRunEntry>> FindPaymentRun(const ProjectionDb& db, std::string_view run_id);

}  // namespace ledger::projections
