// ApiRoutes: every domain area's routes in one list.
#include <chrono>
#include <iterator>

#include "admin_support.h"
#include "idempotency.h"
#include "ledger/http/api.h"
#include "ledger/http/sse_hub.h"

namespace ledger::http {

ApiDeps::ApiDeps(es::EventStore& log, app::CommandBus& command_bus, projections::ProjectionDb& read_models,
                 projections::Runner& feed, std::filesystem::path evidence_root)
    : store(log),
      bus(command_bus),
      projections(read_models),
      runner(feed),
      evidence_dir(std::move(evidence_root)),
      now([] {
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
      }),
      streams(std::make_unique<SseHub>()),
      idempotency_locks(std::make_unique<IdempotencyLocks>()) {}

ApiDeps::~ApiDeps() { StopStreams(); }

void ApiDeps::StopStreams() {
  if (streams) streams->StopAll();
}

std::vector<Route> ApiRoutes(ApiDeps& deps) {
  std::vector<Route> routes;
  for (auto area : {ClaimRoutes, EventRoutes, AdminRoutes}) {
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
