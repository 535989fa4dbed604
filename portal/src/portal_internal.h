// Internals shared by the portal's page handlers: templates, the per-request
// page helper, forms and formatting. Not part of the public surface.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "ledger/app/command_bus.h"
#include "ledger/app/ledger.h"
#include "ledger/core/domain.h"
#include "ledger/http/router.h"
#include "ledger/http/sse_hub.h"
#include "ledger/portal/portal.h"

namespace ledger::http::portal {

namespace json = boost::json;

// ---- Templates -------------------------------------------------------------

// Every template and partial of a portal directory, read once. Thread-safe
// (rendering parses from the kept text, so no parsed state is shared).
class Templates {
 public:
  // Throws std::runtime_error when a file is missing or does not parse.
  explicit Templates(const std::string& dir);
  // Renders templates/<page>.mustache with the model, then layout.mustache with
  // the same model plus content. REQUIRES page was loaded.
  std::string RenderPage(std::string_view page, const json::object& model) const;
  // Renders one template with the model (partials available), without the layout.
  std::string RenderFragment(std::string_view page, const json::object& model) const;
  bool Has(std::string_view page) const { return pages_.count(std::string(page)) != 0; }

 private:
  std::map<std::string, std::string> partials_;
  std::map<std::string, std::string> pages_;
};

// ---- Forms -----------------------------------------------------------------

// A posted form (application/x-www-form-urlencoded or multipart/form-data):
// fields in order, repeated names kept; files for multipart parts with a filename.
struct UploadedFile {
  std::string field;
  std::string filename;
  std::string content_type;
  std::string bytes;
};
struct Form {
  std::vector<std::pair<std::string, std::string>> fields;  // values with CRLF turned into LF
  std::vector<UploadedFile> files;
  // The first field whose name or value (or file name) is not valid UTF-8 or
  // holds a control character other than a new line or tab; "?" for a
  // urlencoded body that does not decode (ParseUrlEncoded); "" when none.
  // Such a form is refused before its page handler runs.
  std::string bad_text_field;
  std::string Get(std::string_view name) const;  // first value, "" when absent
  std::vector<std::string> All(std::string_view name) const;
  bool Has(std::string_view name) const;
  const UploadedFile* File(std::string_view field) const;
};
Form ParseForm(const Request& request);
std::string UrlEncode(std::string_view in);

// ---- Formatting ------------------------------------------------------------

std::string FormatDateText(core::Date date);  // "3 April 2026"
// "3 April 2026, 9:12am", in UK local time (base::UkLocalTime).
std::string FormatWhen(core::Timestamp at);
std::string FormatIso(core::Timestamp at);        // "2026-04-03T08:12:00Z", in UTC (for <time datetime>)
std::string PeriodText(std::string_view period);  // "January to March 2026", "October 2026", ...
std::string ClaimRef(std::string_view claim_id);  // upper-cased id: "C-7F3A9E"
std::string StatusColour(core::ClaimStatus status);
std::string RiskBandText(core::RiskBand band);  // "Low risk (under £15,000)"
std::string RiskBandColour(core::RiskBand band);
json::object Tag(std::string text, std::string colour);
json::object StatusTag(core::ClaimStatus status);
json::object RiskTag(core::RiskBand band);
std::string StatusSlug(core::ClaimStatus status);  // "draft", "awaiting_tier1", ...
std::string SizeText(int64_t bytes);               // "18 KB"
std::string PoundsInput(core::Pence pence);        // "312.40" (no separators)
// Parses "1,234.56" / "£12" into pence; nullopt for more than 2 decimals or junk.
std::optional<core::Pence> ParsePounds(std::string_view text);
// Parses a whole number ("1,180" allowed); nullopt for junk.
std::optional<int64_t> ParseWholeNumber(std::string_view text);
std::string WithThousands(int64_t n);  // "20,000"

// Field objects shaped like the partials expect (every key present).
json::object InputField(std::string id, std::string name, std::string label);
json::object TextareaField(std::string id, std::string name, std::string label);
json::object SelectField(std::string id, std::string name, std::string label);
json::object ChoiceField(std::string id, std::string name, std::string legend);  // radios / checkboxes
json::object ChoiceItem(const std::string& field_id, bool first, std::string value, std::string text, bool checked,
                        std::string hint = "");
json::object FileField(std::string id, std::string name, std::string label);

// ---- Paging ------------------------------------------------------------------

// Lists page with the read models' forward-only cursor. The links carry this
// page's cursor (`cursor`) and those of the pages before it (`back`, oldest
// first, joined by '.', "-" for the first page), so Previous needs no server state.
struct ListPage {
  std::string cursor;  // this page's cursor ("" = the first page)
  std::string back;    // the earlier pages' cursors
  int number = 1;      // 1-based
};
// Reads `cursor` and `back` from the query; malformed values mean the first page.
ListPage ListPageOf(const Call& call);
// The pagination_nav partial's model (NHS.UK pagination, previous and next), or
// false when this is the only page. `base` is the path with its filters
// ("/claims?status=paid"); the links add cursor and back to it.
json::value PaginationModel(std::string_view base, const ListPage& at, const std::string& next_cursor);
// "4 claims" on a list of one page, "50 claims on page 2" otherwise.
std::string ListCountText(size_t rows, const ListPage& at, const std::string& next_cursor);

// ---- The portal and one request ---------------------------------------------

struct Flash {
  bool success = true;
  std::string heading;
  std::string body;
  std::string link_href;
  std::string link_text;
};

class Portal {
 public:
  explicit Portal(const PortalDeps& deps);
  const PortalDeps& deps() const { return deps_; }
  const Templates& templates() const { return templates_; }
  const std::string& asset_version() const { return asset_version_; }
  // A page rendered from its view model (handed to PortalDeps::on_render first).
  Response Render(int status, std::string_view page, const json::object& model) const;
  // The open live-refresh streams; stopped when the portal is destroyed.
  SseHub& live_streams() { return live_streams_; }

  // The hooks every page route shares (set once by PortalRoutes).
  const std::shared_ptr<const PageHooks>& page_hooks() const { return page_hooks_; }
  void set_page_hooks(std::shared_ptr<const PageHooks> hooks) { page_hooks_ = std::move(hooks); }

  // Flash messages, keyed by the session token's hash: set before a redirect,
  // taken (and forgotten) by the next page of that session.
  void Forget(const std::string& token);
  void SetFlash(const std::string& token, Flash flash);
  std::optional<Flash> TakeFlash(const std::string& token);

 private:
  PortalDeps deps_;
  Templates templates_;
  std::string asset_version_;
  SseHub live_streams_;
  std::shared_ptr<const PageHooks> page_hooks_;
  std::mutex mu_;
  std::map<std::string, Flash, std::less<>> flashes_;
};

// The signed-in person of a page request, as the router authenticated them.
struct Viewer {
  std::string token;
  std::string csrf;  // the browser's CSRF token (Call::CsrfToken)
  core::Principal principal;
  std::string full_name;
  std::string org_name;
  bool Has(core::Role r) const { return principal.roles.Has(r); }
  bool IsProvider() const { return core::IsProvider(principal.org_kind); }
};

// One request to a page: the signed-in viewer, the parsed form and the
// helpers every handler uses to answer.
class Page {
 public:
  Page(Portal& portal, Call& call, Viewer viewer, Form form)
      : portal_(portal), call_(call), viewer_(std::move(viewer)), form_(std::move(form)) {}

  Portal& portal() { return portal_; }
  Call& call() { return call_; }
  const Viewer& viewer() const { return viewer_; }
  const core::Principal& who() const { return viewer_.principal; }
  const Form& form() const { return form_; }
  app::Ledger& ledger() { return *portal_.deps().ledger; }

  // The common layout keys (title, user, nav with `nav_current` marked, flash).
  json::object Base(std::string page_title, std::string_view nav_current);
  Response Render(int status, std::string_view page, const json::object& model);
  Response Redirect(const std::string& location, std::optional<Flash> flash = std::nullopt);
  Response NotFound();
  // Whether the viewer may do `action` to a resource with this scope.
  bool Allowed(core::Action action, const core::Scope& scope) const;

  core::CommandMeta Meta() const;
  // Runs a command and waits until the read models have applied it.
  app::ExecuteResult Execute(const core::Command& command, std::optional<app::Precondition> precondition = {});

 private:
  Portal& portal_;
  Call& call_;
  Viewer viewer_;
  Form form_;
};

using PageHandler = std::function<Response(Page&)>;

// The viewer of a call the router authenticated. REQUIRES call.signed_in().
Viewer ViewerOf(Portal& portal, Call& call);
// A page route: Access::Page(action) (Access::SignedInPage() when none) with
// the portal's hooks; the router has authenticated, checked CSRF and the
// action before the handler runs on a Page of the parsed form (a form with
// text the log cannot hold is answered 400 first).
Route PageRoute(const std::shared_ptr<Portal>& portal, std::string method, std::string pattern,
                std::optional<core::Action> action, PageHandler handler, std::size_t body_limit = 0);

// The claim page answering `status`, with `notice` in its notification banner
// (a decision that was not recorded, say); 404 when the viewer may not see it.
Response RenderClaimPage(Page& page, const std::string& claim_id, int status, const std::optional<Flash>& notice);

// The error summary and field errors for a rejection's field errors.
json::object ErrorSummary(const std::vector<std::pair<std::string, std::string>>& items);
// A rejection as a human sentence.
std::string RejectionText(const app::ExecuteResult& result);

// The current state of one stream, with its version, from the read model of
// states (pages never fold the log); nullopt when it has no event yet.
template <typename State>
std::optional<std::pair<State, uint64_t>> CurrentState(const app::Ledger& ledger, std::string_view stream_id) {
  auto loaded = ledger.StreamState(stream_id);
  if (!loaded.ok() || loaded->version == 0) return std::nullopt;
  State* s = std::get_if<State>(&loaded->state);
  if (s == nullptr) return std::nullopt;
  return std::make_pair(std::move(*s), loaded->version);
}
// Display names from the directory read model (the code or username when unknown).
std::string OrgName(const app::Ledger& ledger, const std::string& code);
// A tariff's rates for people: "£12.50 per Patients vaccinated; ...", the
// population rate, each threshold tier, or the participation payment.
std::string RatesText(const core::ServiceState& s, const core::Tariff& t);
std::string PersonName(const app::Ledger& ledger, const std::string& username);

// ---- Administration helpers (admin.cc) --------------------------------------

// A directory report's rows (scoped to the viewer's organisation) as column name -> text.
std::vector<std::map<std::string, std::string>> Rows(Page& page, const std::string& report,
                                                     std::map<std::string, std::string, std::less<>> filters = {});
json::object ServiceStatusTag(core::ServiceStatus status);
json::object OfferStatusTag(core::OfferStatus status);
std::string PaymentTypeName(const core::ServiceState& service);  // of the latest tariff
// Services the viewer's commissioner owns or has been shared, with their state.
std::vector<core::ServiceState> Services(Page& page);
std::string RoleText(const std::string& role);   // "tier1" -> "Approver Tier 1"
std::string RolesText(const std::string& list);  // "tier1;tier2" -> "Approver Tier 1, Approver Tier 2"

// The worklist of the viewer's highest-priority approving role, which the
// worklist page lists and the home page counts; nullopt for people who approve
// nothing (approvals.cc).
struct WorklistStage {
  std::string role;     // the worklist's role name: "provider_approver", "tier1", "tier2", "finance"
  std::string heading;  // "Claims waiting for Tier 1 approval"
};
// The worklists the viewer's roles give them, in approval order.
std::vector<WorklistStage> StagesOf(const Viewer& v);
// The viewer's worklist named `role` ("" or not theirs: the first of StagesOf).
std::optional<WorklistStage> StageOf(const Viewer& v, std::string_view role = "");
// Offers to the viewer's practice still awaiting its reply (pending, respond-by not passed).
size_t OffersAwaitingReply(Page& page);

// A service the viewer's practice can claim for today: its periods whose claim
// window is open and that hold no claim yet (a one-off service's periods are
// days), with each window (claims.cc).
struct Claimable {
  core::ServiceState service;
  std::vector<std::pair<std::string, core::ClaimWindow>> periods;  // period text, window
};
std::vector<Claimable> ClaimableServices(Page& page);

// Route groups, one file each.
void AddClaimRoutes(const std::shared_ptr<Portal>& portal, std::vector<Route>& routes);
void AddApprovalRoutes(const std::shared_ptr<Portal>& portal, std::vector<Route>& routes);
void AddAdminRoutes(const std::shared_ptr<Portal>& portal, std::vector<Route>& routes);
void AddServiceAdminRoutes(std::shared_ptr<Portal> portal, std::vector<Route>& routes);         // services_admin.cc
void AddAccountAdminRoutes(const std::shared_ptr<Portal>& portal, std::vector<Route>& routes);  // accounts_admin.cc
void AddAuditRoutes(const std::shared_ptr<Portal>& portal, std::vector<Route>& routes);
void AddLiveRoutes(const std::shared_ptr<Portal>& portal, std::vector<Route>& routes);
void AddPracticeRoutes(const std::shared_ptr<Portal>& portal, std::vector<Route>& routes);

}  // namespace ledger::http::portal
