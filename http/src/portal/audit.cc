// Auditor pages (event log, verify) and reports.
#include "portal_internal.h"

namespace ledger::http::portal {

void AddAuditRoutes(std::shared_ptr<Portal>, std::vector<Route>&) {}

}  // namespace ledger::http::portal
