// Point queries on the directory projection: one organisation or one person
// by id, for pages and answers that show names. Pure reads of a ProjectionDb
// snapshot at the applied head; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ledger/eventstore/status.h"
#include "ledger/projections/projection_db.h"

namespace ledger::projections {

struct OrganisationEntry {
  std::string code, name, kind, commissioner_code;
};

struct PersonEntry {
  std::string username, full_name, org_code, status;
};

// The organisation registered under `code`; nullopt when none is (yet) applied.
es::Result<std::optional<OrganisationEntry>> FindOrganisation(const ProjectionDb& db, std::string_view code);
// The account `username`; nullopt when none is (yet) applied.
es::Result<std::optional<PersonEntry>> FindPerson(const ProjectionDb& db, std::string_view username);

}  // namespace ledger::projections
