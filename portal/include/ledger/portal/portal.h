// The web portal: server-rendered NHS.UK pages over the same command path and
// read models as the JSON API, plus the static assets they use.
//
// Usage (in the server's start-up):
//   PortalDeps deps{.ledger = &ledger,
//                   .templates_dir = "/usr/share/ledger/portal/templates",
//                   .static_dir = "/usr/share/ledger/portal/static"};
//   context.AddRoutes(PortalRoutes(deps));   // throws if a template is missing or invalid
//
// Every portal route is registered as Access::Public: the portal authenticates
// the session cookie itself so that a signed-out visitor is redirected to the
// sign-in page (instead of the API's 401 problem), checks the csrf_token form
// field on every POST, and answers 404 pages in HTML. Authorization still goes
// through core::Authorize, once per route and once per resource.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ledger/http/router.h"

namespace ledger::app {
class Ledger;
}

namespace ledger::http {

struct PortalDeps {
  // REQUIRED: every write (read-your-writes after a command), the lists,
  // worklists and reports, the event log pages and verify, and the evidence
  // files (a ledger without an evidence directory refuses uploads).
  app::Ledger* ledger = nullptr;
  std::string templates_dir;                  // portal/templates (with partials/)
  std::string static_dir;                     // BUILD/portal/static (with VERSION)
  // Register catch-all GET routes so that unknown paths outside /api/ get the
  // HTML "Page not found" page (API paths keep their problem answers).
  bool html_not_found = true;
  // Rows per page of the claims list and the worklists (paged by the read
  // models' cursor, with Previous and Next links).
  std::size_t list_page_size = 50;
};

// The portal's routes (pages, forms, /static/...). Loads and checks every
// template once; throws std::runtime_error naming the file when one is missing
// or does not parse. The returned handlers share the loaded templates and the
// portal's per-session state (flash messages, CSRF tokens).
std::vector<Route> PortalRoutes(const PortalDeps& deps);

// Where the templates and built assets are when running from the build tree.
std::string DefaultPortalTemplatesDir();
std::string DefaultPortalStaticDir();

}  // namespace ledger::http
