// ApiRoutes: every domain area's routes in one list.
#include <iterator>

#include "admin_support.h"
#include "idempotency.h"
#include "ledger/http/api.h"
#include "ledger/http/sse_hub.h"

namespace ledger::http {

ApiDeps::ApiDeps(app::Ledger& app_ledger)
    : ledger(app_ledger),
      streams(std::make_unique<SseHub>()),
      idempotency_locks(std::make_unique<IdempotencyLocks>()) {}

ApiDeps::~ApiDeps() { StopStreams(); }

void ApiDeps::StopStreams() {
  if (streams) streams->StopAll();
}

std::vector<Route> ApiRoutes(ApiDeps& deps) {
  std::vector<Route> routes;
  for (auto area : {ClaimRoutes, EventRoutes, TreeRoutes, AdminRoutes}) {
    std::vector<Route> more = area(deps);
    routes.insert(routes.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  // One place for Idempotency-Key: every write route, whatever its area.
  for (Route& route : routes) {
    if (route.method != "GET") route.handler = api::Idempotent(deps, std::move(route.handler));
  }
  return routes;
}

}  // namespace ledger::http
