// Commissioner administration pages: services, offers, providers, accounts.
#include "portal_internal.h"

namespace ledger::http::portal {

void AddAdminRoutes(std::shared_ptr<Portal>, std::vector<Route>&) {}

}  // namespace ledger::http::portal
