// The web portal: server-rendered NHS.UK pages over the same command path and
// read models as the JSON API, plus the static assets they use.
//
// Usage (in the server's start-up):
//   PortalDeps deps{.ledger = &ledger,
//                   .templates_dir = "/usr/share/ledger/portal/templates",
//                   .static_dir = "/usr/share/ledger/portal/static"};
//   context.AddRoutes(PortalRoutes(deps));   // throws if a template is missing or invalid
//
// Every portal page is a route of the same table as the API's, with a page
// variant of access (Access::Page / Access::SignedInPage): the router
// authenticates, checks the session's CSRF token on every POST and asks
// core::Authorize for the route's action, exactly as for the API; the
// portal's PageHooks only choose the answers (a signed-out visitor is
// redirected to sign in, a refused person gets the HTML 404 or 403 page).
// Resource checks (this claim, this organisation) go through core::Authorize
// in the handlers. The signed-out pages (sign-in, account request,
// accessibility, assets) are Access::Public.
#pragma once

#include <boost/json/object.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
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
  std::string templates_dir;  // portal/templates (with partials/)
  std::string static_dir;     // BUILD/portal/static (with VERSION)
  // Register catch-all GET routes so that unknown paths outside /api/ get the
  // HTML "Page not found" page (API paths keep their problem answers).
  bool html_not_found = true;
  // Rows per page of the claims list and the worklists (paged by the read
  // models' cursor, with Previous and Next links).
  std::size_t list_page_size = 50;
  // Tests: called with every page's template name and view model just before
  // it is rendered, so a test can assert on what a page shows before its
  // markup. Unset in the server.
  std::function<void(std::string_view page, const boost::json::object& model)> on_render;
};

// The portal's routes (pages, forms, /static/...). Loads and checks every
// template once; throws std::runtime_error naming the file when one is missing
// or does not parse. The returned handlers share the loaded templates and the
// portal's per-session flash messages.
std::vector<Route> PortalRoutes(const PortalDeps& deps);

// Where the templates and built assets are when running from the build tree.
std::string DefaultPortalTemplatesDir();
std::string DefaultPortalStaticDir();

}  // namespace ledger::http
