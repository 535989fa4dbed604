// The portal's shell: the page hooks (how the router's refusals look), the
// page helper, sign-in and sign-out, home, error pages, static assets and the
// route table.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "ledger/app/event_visibility.h"
#include "ledger/base/sha256.h"
#include "ledger/base/time.h"
#include "ledger/core/streams.h"
#include "ledger/http/problem.h"
#include "ledger/projections/claim_views.h"
#include "ledger/projections/runner.h"
#include "portal_internal.h"

#ifndef LEDGER_PORTAL_SOURCE_DIR
#define LEDGER_PORTAL_SOURCE_DIR "portal"
#endif
#ifndef LEDGER_PORTAL_BINARY_DIR
#define LEDGER_PORTAL_BINARY_DIR "portal"
#endif

namespace ledger::http {

std::string DefaultPortalTemplatesDir() { return std::string(LEDGER_PORTAL_SOURCE_DIR) + "/templates"; }
std::string DefaultPortalStaticDir() { return std::string(LEDGER_PORTAL_BINARY_DIR) + "/static"; }

namespace portal {
namespace {

namespace fs = std::filesystem;

std::string ReadSmallFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

bool IsLocalPath(std::string_view p) {
  return !p.empty() && p.front() == '/' && (p.size() == 1 || (p[1] != '/' && p[1] != '\\')) &&
         p.find("://") == std::string_view::npos;
}

Response HtmlResponse(int status, std::string body) {
  Response r = Response::Text(status, std::move(body), "text/html; charset=utf-8");
  r.Set("Cache-Control", "no-store");
  return r;
}

Response SeeOther(const std::string& location) {
  Response r;
  r.status = 303;
  r.Set("Location", location);
  r.Set("Cache-Control", "no-store");
  return r;
}

}  // namespace

// ---- Portal ------------------------------------------------------------------

Portal::Portal(const PortalDeps& deps) : deps_(deps), templates_(deps.templates_dir) {
  std::string version = Trim(ReadSmallFile(fs::path(deps.static_dir) / "VERSION"));
  asset_version_ = version.empty() ? "dev" : version;
}

Response Portal::Render(int status, std::string_view page, const json::object& model) const {
  if (deps_.on_render) deps_.on_render(page, model);
  return HtmlResponse(status, templates_.RenderPage(page, model));
}

void Portal::Forget(const std::string& token) {
  std::lock_guard lock(mu_);
  flashes_.erase(base::Sha256Hex(token));
}

void Portal::SetFlash(const std::string& token, Flash flash) {
  std::lock_guard lock(mu_);
  // A flash is taken by the next page; those of sessions that ended first are
  // dropped now and then so the map cannot grow without bound.
  if (flashes_.size() >= 100'000) flashes_.clear();
  flashes_[base::Sha256Hex(token)] = std::move(flash);
}

std::optional<Flash> Portal::TakeFlash(const std::string& token) {
  std::lock_guard lock(mu_);
  auto it = flashes_.find(base::Sha256Hex(token));
  if (it == flashes_.end()) return std::nullopt;
  std::optional<Flash> f = std::move(it->second);
  flashes_.erase(it);
  return f;
}

std::string OrgName(const app::Ledger& ledger, const std::string& code) {
  return ledger.OrganisationName(code).value_or(code);
}

std::string PersonName(const app::Ledger& ledger, const std::string& username) {
  if (username.empty()) return {};
  std::optional<std::string> name = ledger.PersonName(username);
  return name && !name->empty() ? *name : username;
}

// ---- Navigation -----------------------------------------------------------------

namespace {

json::array NavFor(const core::Principal& who, std::string_view current) {
  using core::Role;
  std::vector<std::pair<std::string, std::string>> items;
  auto add = [&](std::string href, std::string text) {
    for (const auto& i : items) {
      if (i.first == href) return;
    }
    items.emplace_back(std::move(href), std::move(text));
  };
  const core::RoleSet& r = who.roles;
  if (r.Has(Role::kProviderUser) || r.Has(Role::kProviderApprover) || r.Has(Role::kProviderAdmin)) {
    add("/", "Home");
    add("/claims", "Claims");
    add("/services", "Services and offers");
    add("/payments/statement", "Payments");
  }
  if (r.Has(Role::kProviderApprover)) add("/worklist", "Worklist");
  if (r.Has(Role::kProviderAdmin)) add("/admin/accounts", "Accounts");
  if (r.Has(Role::kApproverTier1)) {
    add("/", "Home");
    add("/worklist", "Worklist");
    add("/claims", "Claims");
    add("/reports", "Reports");
  }
  if (r.Has(Role::kApproverTier2) || r.Has(Role::kFinance)) {
    add("/", "Home");
    add("/worklist", "Worklist");
    add("/claims", "Claims");
    add("/payment-runs", "Payment runs");
    add("/reports", "Reports");
  }
  if (r.Has(Role::kCommissionerAdmin)) {
    add("/", "Home");
    add("/admin/services", "Services");
    add("/offers", "Offers");
    add("/admin/providers", "Providers");
    add("/admin/accounts", "Accounts");
    add("/reports", "Reports");
  }
  if (r.Has(Role::kAuditor)) {
    add("/", "Home");
    add("/audit/events", "Event log");
    add("/audit/verify", "Check the ledger");
    add("/reports", "Reports");
  }
  if (items.empty()) add("/", "Home");
  json::array nav;
  for (const auto& [href, text] : items)
    nav.push_back(json::object{{"href", href}, {"text", text}, {"current", href == current}});
  return nav;
}

// The model every page starts from; RenderSignedOut and Page::Base fill in the CSRF token.
json::object SignedOutBase(std::string title, const std::string& version) {
  return {{"page_title", title}, {"asset_version", version}, {"csrf_token", ""},     {"user", false},
          {"has_nav", false},    {"nav", json::array{}},     {"breadcrumbs", false}, {"back_link", false},
          {"flash", false},      {"error_summary", false},   {"uses_charts", false}};
}

json::object FlashJson(const Flash& f) {
  json::value link = false;
  if (!f.link_href.empty()) link = json::object{{"href", f.link_href}, {"text", f.link_text}};
  return {{"success", f.success}, {"heading", f.heading}, {"body", f.body}, {"link", link}};
}

json::object ErrorPageModel(json::object base, int status, const std::string& request_id) {
  if (status == 404) {
    base["page_title"] = "Page not found";
    base["heading"] = "Page not found";
    base["paragraphs"] = json::array{
        "If you typed the web address, check it is correct.",
        "If you followed a link to a claim, it may belong to another organisation or may have been deleted."};
  } else if (status == 403) {
    base["page_title"] = "Your form could not be sent";
    base["heading"] = "Your form could not be sent";
    base["paragraphs"] = json::array{
        "The form had expired or did not come from this service. Go back, reload the "
        "page and try again."};
  } else if (status == 400) {
    base["page_title"] = "Your form could not be saved";
    base["heading"] = "Your form could not be saved";
    base["paragraphs"] = json::array{
        "Some of the text you entered holds characters that cannot be stored (text "
        "pasted from another program can carry them). Nothing was saved. Go back, "
        "re-type the text and try again."};
  } else {
    base["page_title"] = "Sorry, there is a problem with the service";
    base["heading"] = "Sorry, there is a problem with the service";
    base["paragraphs"] = json::array{"Try again later. Anything you had saved has been kept."};
  }
  base["request_id"] = request_id;
  return base;
}

// The CSRF token of a signed-out page's forms (Call::CsrfToken). A browser
// without a pre-session cookie is given one: *set_cookie is its Set-Cookie.
std::string SignedOutCsrf(Call& call, std::string* set_cookie) {
  std::string token = call.CsrfToken();
  if (!token.empty()) return token;
  const std::string value = NewPreSession();
  *set_cookie = PreSessionCookie(value, call.request());
  return call.context().sessions.CsrfFor(value);
}

// A signed-out page: `model` is rendered with the CSRF token of its forms.
Response RenderSignedOut(Portal& portal, Call& call, int status, std::string_view page, json::object model) {
  std::string set_cookie;
  model["csrf_token"] = SignedOutCsrf(call, &set_cookie);
  Response r = portal.Render(status, page, model);
  if (!set_cookie.empty()) r.Add("Set-Cookie", set_cookie);
  return r;
}

// The error page (ErrorPageModel) of a signed-out visitor.
Response SignedOutError(Portal& portal, Call& call, int status) {
  return RenderSignedOut(portal, call, status, "error",
                         ErrorPageModel(SignedOutBase("", portal.asset_version()), status, ""));
}

// The answer to a form without the viewer's CSRF token: 403, nothing done.
Response CsrfRefused(Page& page) {
  json::object base = page.Base("Your form could not be sent", "");
  return page.Render(403, "error", ErrorPageModel(std::move(base), 403, ""));
}

// A page's answer to a refusal of the router. A signed-out visitor is sent
// to sign in and back (to the home page after a form); an ended session's
// cookie is cleared. A write without the session's CSRF token gets the 403
// page, a person whose roles do not allow the page the 404 page (as for a
// resource they may not see).
Response RefusePage(Portal& portal, Call& call, Refusal refusal) {
  const Request& req = call.request();
  if (refusal == Refusal::kSignedOut || refusal == Refusal::kExpired) {
    const bool expired = refusal == Refusal::kExpired;
    std::string path(req.Path());
    if (req.method != "GET") path = "/";
    Response r = SeeOther((expired ? "/sign-in?expired=1&return_to=" : "/sign-in?return_to=") + UrlEncode(path));
    if (expired) {
      portal.Forget(call.token());
      r.Add("Set-Cookie", SessionCookie("", req, 0));
    }
    return r;
  }
  if (!call.signed_in()) return SignedOutError(portal, call, refusal == Refusal::kCsrf ? 403 : 404);
  Page page(portal, call, ViewerOf(portal, call), Form{});
  return refusal == Refusal::kCsrf ? CsrfRefused(page) : page.NotFound();
}

}  // namespace

Viewer ViewerOf(Portal& portal, Call& call) {
  Viewer v;
  v.token = call.token();
  v.csrf = call.CsrfToken();
  v.principal = call.principal();
  const app::Ledger& ledger = *portal.deps().ledger;
  v.full_name = PersonName(ledger, v.principal.username);
  v.org_name = OrgName(ledger, v.principal.org_code);
  return v;
}

// ---- Page ----------------------------------------------------------------------

json::object Page::Base(std::string page_title, std::string_view nav_current) {
  json::object base = SignedOutBase(std::move(page_title), portal_.asset_version());
  base["csrf_token"] = viewer_.csrf;
  base["user"] = json::object{{"full_name", viewer_.full_name}, {"organisation_name", viewer_.org_name}};
  base["has_nav"] = true;
  base["nav"] = NavFor(viewer_.principal, nav_current);
  if (auto f = portal_.TakeFlash(viewer_.token)) base["flash"] = FlashJson(*f);
  return base;
}

Response Page::Render(int status, std::string_view page, const json::object& model) {
  return portal_.Render(status, page, model);
}

Response Page::Redirect(const std::string& location, std::optional<Flash> flash) {
  if (flash) portal_.SetFlash(viewer_.token, std::move(*flash));
  return SeeOther(location);
}

Response Page::NotFound() {
  json::object base = Base("Page not found", "");
  return Render(404, "error", ErrorPageModel(std::move(base), 404, ""));
}

bool Page::Allowed(core::Action action, const core::Scope& scope) const {
  return call_.context().authorize(viewer_.principal, action, scope).allowed;
}

core::CommandMeta Page::Meta() const {
  core::CommandMeta meta;
  meta.command_id = RandomHex(16);
  meta.correlation_id = meta.command_id;
  meta.actor = viewer_.principal.username;
  meta.at = portal_.deps().ledger->Now();
  return meta;
}

app::ExecuteResult Page::Execute(const core::Command& command, std::optional<app::Precondition> precondition) {
  app::ExecuteOptions options;
  options.precondition = std::move(precondition);
  return ledger().Execute(Meta(), command, options);  // waits for the projections after a write
}

json::object ErrorSummary(const std::vector<std::pair<std::string, std::string>>& items) {
  json::array list;
  for (const auto& [id, message] : items) list.push_back(json::object{{"field_id", id}, {"message", message}});
  return {{"description", ""}, {"items", list}};
}

std::string RejectionText(const app::ExecuteResult& result) {
  if (result.rejected()) {
    const core::Rejection& r = result.rejection();
    if (r.code == "precondition_failed") {
      return "This was changed by someone else while you were looking at it. Check the latest version below.";
    }
    if (!r.errors.empty() && r.message.empty()) return r.errors.front().message;
    return r.message;
  }
  if (result.store_failed() && result.status().code() == es::Status::Code::kUnavailable) {
    return "The ledger refuses changes: " + result.status().message() + ".";
  }
  if (result.store_failed()) return "The ledger could not store this just now. Try again.";
  return {};
}

// ---- Wrapping handlers ---------------------------------------------------------------

Route PageRoute(const std::shared_ptr<Portal>& portal, std::string method, std::string pattern,
                std::optional<core::Action> action, PageHandler handler, std::size_t body_limit) {
  Access access = action ? Access::Page(*action) : Access::SignedInPage();
  std::shared_ptr<const PageHooks> hooks = portal->page_hooks();
  Handler page_handler = [portal, handler = std::move(handler)](Call& call) -> Response {
    Page page(*portal, call, ViewerOf(*portal, call), ParseForm(call.request()));
    if (!page.form().bad_text_field.empty()) {
      json::object base = page.Base("Your form could not be saved", "");
      return page.Render(400, "error", ErrorPageModel(std::move(base), 400, ""));
    }
    return handler(page);
  };
  return Route{std::move(method), std::move(pattern), access, std::move(page_handler), body_limit, std::move(hooks)};
}

// ---- Sign-in, sign-out -------------------------------------------------------------

namespace {

json::object SignInModel(const Portal& portal, const std::string& return_to) {
  json::object m = SignedOutBase("Sign in", portal.asset_version());
  json::object username = InputField("username", "username", "Username");
  username["autocomplete"] = "username";
  username["width_class"] = "nhsuk-input--width-20";
  username["spellcheck_off"] = true;
  json::object password = InputField("password", "password", "Password");
  password["type"] = "password";
  password["autocomplete"] = "current-password";
  password["width_class"] = "nhsuk-input--width-20";
  m["session_expired"] = false;
  m["signed_out"] = false;
  m["return_to"] = return_to;
  m["fields"] = json::object{{"username", username}, {"password", password}};
  return m;
}

Response GetSignIn(Portal& portal, Call& call) {
  const Request& req = call.request();
  std::string return_to = req.Query("return_to");
  if (!IsLocalPath(return_to)) return_to = "";
  json::object m = SignInModel(portal, return_to);
  m["session_expired"] = req.Query("expired") == "1";
  m["signed_out"] = req.Query("signed_out") == "1";
  if (req.Query("requested") == "1") {
    m["flash"] = json::object{{"success", true},
                              {"heading", "Account requested"},
                              {"body", "An administrator of your organisation will check your request."},
                              {"link", false}};
  }
  return RenderSignedOut(portal, call, 200, "sign_in", std::move(m));
}

// A sign-in to the portal, recorded on the account's stream (AccountSignedIn)
// so that the home page's message centre knows when the person last signed
// in; the read models have it when the home page is asked for. A sign-in that
// could not be recorded still signs in.
void RecordSignIn(Portal& portal, const std::string& username) {
  app::Ledger& ledger = *portal.deps().ledger;
  const core::Timestamp at = ledger.Now();
  core::CommandMeta meta{"sign-in-" + username + "-" + std::to_string(at), "", username, at};
  meta.correlation_id = meta.command_id;
  (void)ledger.Execute(meta, core::RecordSignIn{username});
}

Response PostSignIn(Portal& portal, Call& call) {
  const Request& req = call.request();
  Context& c = call.context();
  Form form = ParseForm(req);  // the router checked its CSRF token
  std::string username = Trim(form.Get("username"));
  std::string password = form.Get("password");
  std::string return_to = form.Get("return_to");
  if (!IsLocalPath(return_to)) return_to = "";
  json::object m = SignInModel(portal, return_to);
  json::object& fields = m["fields"].as_object();
  fields["username"].as_object()["value"] = username;
  std::vector<std::pair<std::string, std::string>> errors;
  if (username.empty()) errors.emplace_back("username", "Enter your username");
  if (password.empty()) errors.emplace_back("password", "Enter your password");
  std::string failure;
  if (errors.empty()) {
    using Outcome = SignInResult::Outcome;
    SignInResult signed_in = SignIn(c, req, username, password);
    if (signed_in.outcome == Outcome::kSignedIn) {
      RecordSignIn(portal, username);
      Response r = SeeOther(return_to.empty() ? "/" : return_to);
      r.Add("Set-Cookie", signed_in.cookie);
      return r;
    }
    if (signed_in.outcome == Outcome::kThrottled) {
      failure = fmt::format("Too many attempts to sign in. Wait {} seconds and try again.", signed_in.wait.count());
    } else if (signed_in.outcome == Outcome::kUnavailable) {
      failure = "Signing in is not available at the moment.";
    } else if (signed_in.outcome == Outcome::kAwaitingApproval) {
      failure = "Your account is waiting for your administrator's approval. You can sign in once they approve it.";
    } else if (signed_in.outcome == Outcome::kDisabled) {
      failure = "Your account has been disabled. Ask your administrator to enable it.";
    } else {
      failure = "Enter a correct username and password";
    }
  }
  if (!failure.empty()) errors.emplace_back("username", failure);
  for (const auto& [id, message] : errors) {
    if (id == "password" || failure.empty()) fields[id].as_object()["error"] = message;
  }
  m["error_summary"] = ErrorSummary(errors);
  return RenderSignedOut(portal, call, failure.empty() ? 422 : 401, "sign_in", std::move(m));
}

// POST /sign-out: like every portal form, it needs the browser's CSRF token,
// which the router checked (403 without it, and the session stays). Without a
// live session there is nothing to end, and the stale cookie is cleared. A
// public page, so that a signed-out visitor is not sent to sign in first.
Response PostSignOut(Portal& portal, Call& call) {
  const Request& req = call.request();
  if (call.signed_in() && call.auth_method() == AuthMethod::kCookie) {
    call.context().sessions.Revoke(call.token());
    portal.Forget(call.token());
  }
  Response r = SeeOther("/sign-in?signed_out=1");
  r.Add("Set-Cookie", SessionCookie("", req, 0));
  return r;
}

Response GetAccessibility(Portal& portal, Call& call) {
  auto statement = [](json::object m) {
    m["contact_text"] =
        "If you find a part of this service you cannot use, tell your organisation's administrator or the "
        "service desk.";
    m["reviewed_text"] = "23 November 2026";
    return m;
  };
  if (!call.signed_in()) {
    return RenderSignedOut(portal, call, 200, "accessibility",
                           statement(SignedOutBase("Accessibility statement", portal.asset_version())));
  }
  Page page(portal, call, ViewerOf(portal, call), Form{});
  return page.Render(200, "accessibility", statement(page.Base("Accessibility statement", "")));
}

// ---- Account request (signed out) ------------------------------------------------------

json::object AccountRequestModel(Portal& portal, const Form& form,
                                 const std::vector<std::pair<std::string, std::string>>& errors) {
  json::object m = SignedOutBase("Request an account", portal.asset_version());
  m["back_link"] = json::object{{"href", "/sign-in"}, {"text", "Back to sign in"}};
  auto input = [&](const std::string& id, const std::string& label, const std::string& type,
                   const std::string& autocomplete, const std::string& hint, const std::string& width) {
    json::object f = InputField(id, id, label);
    f["type"] = type;
    f["autocomplete"] = autocomplete;
    f["hint"] = hint;
    f["width_class"] = width;
    f["spellcheck_off"] = type != "password";
    f["value"] = type == "password" ? "" : form.Get(id);
    for (const auto& [eid, message] : errors) {
      if (eid == id) f["error"] = message;
    }
    return f;
  };
  json::object roles = ChoiceField("roles_requested", "roles_requested", "Which roles do you need?");
  roles["legend_class"] = "nhsuk-fieldset__legend--m";
  roles["hint"] = "Select all that apply";
  std::vector<std::string> chosen = form.All("roles_requested");
  json::array items;
  std::vector<std::pair<std::string, std::string>> choices = {
      {"provider_user", "Practice user: prepare and submit claims"},
      {"provider_approver", "Practice approver: check claims before they go to the commissioner"},
      {"tier1", "Approver Tier 1: check evidence"},
      {"tier2", "Approver Tier 2: approve payments"},
      {"finance", "Finance: approve high-value claims and payment runs"},
      {"administrator", "Administrator: approve accounts and set up services"},
      {"auditor", "Auditor: read the event log and reports"}};
  for (size_t i = 0; i < choices.size(); ++i) {
    bool checked = std::find(chosen.begin(), chosen.end(), choices[i].first) != chosen.end();
    items.push_back(ChoiceItem("roles_requested", i == 0, choices[i].first, choices[i].second, checked));
  }
  roles["items"] = items;
  for (const auto& [eid, message] : errors) {
    if (eid == "roles_requested") roles["error"] = message;
  }
  m["fields"] = json::object{
      {"full_name", input("full_name", "Full name", "text", "name", "", "")},
      {"email", input("email", "Email address", "email", "email", "Use your nhs.net address if you have one", "")},
      {"org_code", input("org_code", "Organisation code", "text", "",
                         "The ODS code of your practice or ICB, for example B82005", "nhsuk-input--width-10")},
      {"username", input("username", "Choose a username", "text", "username", "", "nhsuk-input--width-20")},
      {"password", input("password", "Choose a password", "password", "new-password", "At least 12 characters",
                         "nhsuk-input--width-20")},
      {"roles_requested", roles}};
  if (!errors.empty()) m["error_summary"] = ErrorSummary(errors);
  return m;
}

Response GetAccountRequest(Portal& portal, Call& call) {
  return RenderSignedOut(portal, call, 200, "account_request", AccountRequestModel(portal, Form{}, {}));
}

Response PostAccountRequest(Portal& portal, Call& call) {
  const Request& req = call.request();
  Form form = ParseForm(req);  // the router checked its CSRF token
  if (!form.bad_text_field.empty()) return SignedOutError(portal, call, 400);
  std::vector<std::pair<std::string, std::string>> errors;
  std::string username = Trim(form.Get("username"));
  std::string org_code = Trim(form.Get("org_code"));
  if (Trim(form.Get("full_name")).empty()) errors.emplace_back("full_name", "Enter your full name");
  if (form.Get("email").find('@') == std::string::npos)
    errors.emplace_back("email", "Enter an email address in the correct format, like name@nhs.net");
  auto org = CurrentState<core::OrgState>(*portal.deps().ledger, core::OrgStream(org_code));
  if (org_code.empty() || !core::IsValidId(org_code) || !org)
    errors.emplace_back("org_code", "Enter the ODS code of your organisation");
  if (!core::IsValidUsername(username))
    errors.emplace_back("username", "Choose a username of lower-case letters, digits, dots, dashes or underscores");
  if (form.Get("password").size() < app::kMinPasswordLength)
    errors.emplace_back("password", "Choose a password of at least 12 characters");
  core::RoleSet roles;
  for (const auto& r : form.All("roles_requested")) {
    core::Role role;
    if (r == "administrator" && org) {
      roles.Add(core::IsProvider(org->first.kind) ? core::Role::kProviderAdmin : core::Role::kCommissionerAdmin);
    } else if (r == "tier1" || r == "tier2") {
      roles.Add(r == "tier1" ? core::Role::kApproverTier1 : core::Role::kApproverTier2);
    } else if (core::ParseRole(r, &role)) {
      roles.Add(role);
    }
  }
  if (roles.empty()) errors.emplace_back("roles_requested", "Select at least one role");
  if (errors.empty()) {
    core::RequestAccount cmd{username,
                             org_code,
                             Trim(form.Get("full_name")),
                             Trim(form.Get("email")),
                             roles,
                             app::HashPassword(form.Get("password"))};
    core::CommandMeta meta{RandomHex(16), "", "", portal.deps().ledger->Now()};
    meta.correlation_id = meta.command_id;
    app::ExecuteResult r = portal.deps().ledger->Execute(meta, cmd);
    if (!r.ok()) {
      std::string message = RejectionText(r);
      if (r.rejected() && r.rejection().code.find("taken") != std::string::npos)
        message = "That username is taken. Choose another.";
      errors.emplace_back("username", message.empty() ? "The request could not be made" : message);
    }
  }
  if (!errors.empty()) {
    return RenderSignedOut(portal, call, 422, "account_request", AccountRequestModel(portal, form, errors));
  }
  return SeeOther("/sign-in?requested=1");
}

// ---- Home ---------------------------------------------------------------------------

json::object Link(std::string href, std::string text, std::string description = "") {
  return {{"href", href}, {"text", text}, {"description", description}};
}

// What a home page shows: its heading, things waiting for the person, counts
// of claims and links to the pages their roles use.
struct HomeModel {
  std::string heading = "Home";
  std::string counts_heading;
  json::array actions, counts, links;
};

// One kind of work waiting for the viewer: a tile with its count, and an
// action naming it when any waits.
void Waiting(HomeModel& h, size_t n, const std::string& label, const std::string& href, const std::string& action) {
  h.counts.push_back(json::object{{"count", std::to_string(n)}, {"label", label}, {"href", href}});
  if (n > 0) h.actions.push_back(json::object{{"href", href}, {"text", fmt::format("{} {}", n, action)}});
}

std::string Claims(size_t n) { return n == 1 ? "claim" : "claims"; }

// "£15,000" for a whole number of pounds, "£15,000.50" otherwise.
std::string PoundsText(core::Pence pence) {
  std::string text = core::FormatPounds(pence);
  if (text.size() > 3 && text.ends_with(".00")) text.resize(text.size() - 3);
  return text;
}

// What waits in each of the viewer's worklists (one per approving role), as
// an action and a count linking to it. Returns whether the viewer approves
// claims at all.
bool WaitingForYou(Page& page, HomeModel& h) {
  const Viewer& v = page.viewer();
  const std::vector<WorklistStage> stages = StagesOf(v);
  for (const WorklistStage& stage : stages) {
    auto wl = page.ledger().Worklist(stage.role, v.principal.org_code, "", 1000);
    const size_t n = wl.ok() ? wl.value().claims.size() : 0;
    const std::string href = stages.size() == 1 ? "/worklist" : "/worklist?role=" + stage.role;
    if (stage.role == "finance") {
      auto org = CurrentState<core::OrgState>(page.ledger(), core::OrgStream(v.principal.org_code));
      const std::string threshold = PoundsText(org ? org->first.finance_threshold_pence
                                                   : core::kDefaultFinanceThresholdPence);
      Waiting(h, n, "Claims of " + threshold + " or more awaiting Finance", href,
              fmt::format("{} of {} or more waiting for Finance approval", Claims(n), threshold));
    } else if (stages.size() == 1) {
      Waiting(h, n, "Awaiting your approval", href, Claims(n) + " waiting for your approval");
    } else {
      const std::string tier = stage.role == "tier1" ? "Tier 1" : stage.role == "tier2" ? "Tier 2" : "your practice's";
      Waiting(h, n, "Awaiting " + tier + " approval", href, Claims(n) + " waiting for your " + tier + " approval");
    }
  }
  return !stages.empty();
}

// Accounts of the viewer's organisation (and, for a commissioner, its
// practices) waiting for an administrator's approval, as the accounts page lists them.
void AccountsWaiting(Page& page, HomeModel& h) {
  if (!page.viewer().Has(core::Role::kCommissionerAdmin) && !page.viewer().Has(core::Role::kProviderAdmin)) return;
  size_t n = 0;
  for (const auto& row : Rows(page, "accounts")) {
    if (row.at("status") == "requested") ++n;
  }
  Waiting(h, n, "Accounts awaiting approval", "/admin/accounts",
          n == 1 ? "account waiting for your approval" : "accounts waiting for your approval");
}

// Payment runs prepared and not confirmed (anyone who manages the runs may
// confirm one, as core's ConfirmPaymentRun allows), and runs confirmed and
// not yet marked paid.
void RunsWaiting(Page& page, HomeModel& h) {
  core::Scope scope;
  scope.commissioner_code = page.viewer().principal.org_code;
  if (!page.Allowed(core::Action::kManagePaymentRuns, scope)) return;
  size_t to_confirm = 0, to_pay = 0;
  for (const auto& row : Rows(page, "payment_runs")) {
    if (row.at("status") == "created") ++to_confirm;
    if (row.at("status") == "confirmed") ++to_pay;
  }
  Waiting(h, to_confirm, "Payment runs to confirm", "/payment-runs",
          to_confirm == 1 ? "payment run waiting to be confirmed" : "payment runs waiting to be confirmed");
  Waiting(h, to_pay, "Payment runs to mark paid", "/payment-runs",
          to_pay == 1 ? "payment run confirmed and waiting to be marked paid"
                      : "payment runs confirmed and waiting to be marked paid");
}

// A practice's own waiting work: offers to reply to, drafts and returned
// claims to finish (the practice user's worklist).
void PracticeWaiting(Page& page, HomeModel& h) {
  const Viewer& v = page.viewer();
  core::Scope scope;
  scope.provider_code = v.principal.org_code;
  scope.commissioner_code = v.principal.commissioner_code;
  if (page.Allowed(core::Action::kRespondToOffer, scope)) {
    const size_t offers = OffersAwaitingReply(page);
    Waiting(h, offers, "Offers awaiting your reply", "/services",
            offers == 1 ? "offer waiting for your reply (accept or decline)"
                        : "offers waiting for your reply (accept or decline)");
  }
  if (v.Has(core::Role::kProviderUser)) {
    // The practice user's worklist: drafts and returned claims (each returned claim is its own action below).
    auto wl = page.ledger().Worklist("provider_user", v.principal.org_code, "", 1000);
    size_t drafts = 0;
    if (wl.ok()) {
      for (const auto& c : wl.value().claims) drafts += c.status == core::ClaimStatus::kDraft ? 1 : 0;
    }
    if (drafts > 0) {
      h.actions.push_back(json::object{{"href", "/claims?status=draft"},
                                       {"text", fmt::format("{} draft {} to finish and submit", drafts,
                                                            drafts == 1 ? "claim" : "claims")}});
    }
  }
}

// A provider's home: what waits for its approver, its claims counted by stage
// (held payments apart from those approved), returned claims to amend.
void ProviderHome(Page& page, HomeModel& h) {
  const Viewer& v = page.viewer();
  h.heading = "Your claims";
  WaitingForYou(page, h);
  PracticeWaiting(page, h);
  AccountsWaiting(page, h);
  projections::ClaimQuery q;
  q.provider = v.principal.org_code;
  q.limit = 1000;
  std::map<std::string, int> by_label;
  std::vector<std::pair<std::string, std::string>> order = {{"Draft", "draft"},
                                                            {"Awaiting approval", "awaiting"},
                                                            {"Returned for amendment", "returned"},
                                                            {"Approved for payment", "approved"},
                                                            {"Payment held", "held"},
                                                            {"Paid", "paid"},
                                                            {"Rejected", "rejected"}};
  auto page_or = page.ledger().ListClaims(q);
  if (page_or.ok()) {
    for (const auto& c : page_or.value().claims) {
      using S = core::ClaimStatus;
      if (c.status == S::kDraft) ++by_label["Draft"];
      if (core::AwaitedTier(c.status)) ++by_label["Awaiting approval"];
      if (c.status == S::kReturned) {
        ++by_label["Returned for amendment"];
        h.actions.push_back(json::object{{"href", "/claims/" + c.claim_id + "/edit"},
                                         {"text", fmt::format("{} for {} was returned for amendment",
                                                              ClaimRef(c.claim_id), PeriodText(c.period))}});
      }
      if (c.status == S::kApprovedForPayment || c.status == S::kSentForPayment) ++by_label["Approved for payment"];
      if (c.status == S::kPaymentHeld) ++by_label["Payment held"];
      if (c.status == S::kPaid) ++by_label["Paid"];
      if (c.status == S::kRejected) ++by_label["Rejected"];
    }
  }
  for (const auto& [label, slug] : order) {
    h.counts.push_back(
        json::object{{"count", std::to_string(by_label[label])}, {"label", label}, {"href", "/claims?status=" + slug}});
  }
  if (v.Has(core::Role::kProviderUser)) {
    h.links.push_back(Link("/claims/new", "Start a new claim"));
    h.links.push_back(Link("/claims/bulk", "Upload claims from a CSV file", "several claims in one go"));
  }
  h.links.push_back(Link("/payments/statement", "Payment statement", "what has been paid and when"));
  h.counts_heading = "Claims by status";
}

// A commissioner's or auditor's home: their worklist, and a link per role.
void CommissionerHome(Page& page, HomeModel& h) {
  const Viewer& v = page.viewer();
  if (WaitingForYou(page, h)) {
    h.heading = "Claims to check";
    h.links.push_back(Link("/claims", "Claims", "every claim of your providers"));
  }
  RunsWaiting(page, h);
  AccountsWaiting(page, h);
  if (v.Has(core::Role::kApproverTier2) || v.Has(core::Role::kFinance)) {
    h.links.push_back(Link("/payment-runs", "Payment runs", "create, confirm and mark paid"));
  }
  if (v.Has(core::Role::kCommissionerAdmin)) {
    if (h.heading == "Home") h.heading = "Services and providers";
    h.links.push_back(Link("/admin/services", "Services", "create, publish and share services"));
    h.links.push_back(Link("/offers", "Offers", "offer services to practices and see responses"));
    h.links.push_back(Link("/admin/providers", "Providers", "approval modes"));
    h.links.push_back(Link("/admin/accounts", "Accounts", "approve requests and assign roles"));
  }
  if (v.Has(core::Role::kAuditor)) {
    if (h.heading == "Home") h.heading = "Audit";
    h.links.push_back(Link("/audit/events", "Event log", "every event, filtered by claim, user or type"));
    h.links.push_back(Link("/audit/verify", "Check the ledger", "verify the hash chain"));
  }
  h.links.push_back(Link("/reports", "Reports", "uptake, spend and turnaround"));
  h.counts_heading = "Claims";
}

// ---- Message centre ---------------------------------------------------------------------

std::string TierWords(const std::string& tier) {
  if (tier == "tier1") return "Tier 1";
  if (tier == "tier2") return "Tier 2";
  if (tier == "finance") return "Finance";
  return "your practice's approver";
}

std::string Quoted(const std::string& reason) { return reason.empty() ? "" : ": \u2018" + reason + "\u2019"; }

// One notice in the page's words, with the page it links to.
json::object MessageOf(Page& page, const projections::Notice& n, std::map<std::string, std::string>& services) {
  using K = projections::NoticeKind;
  const std::string day = FormatDateText(core::Date::FromTimestamp(base::UkLocalTime(n.at)));
  const std::string claim = "Claim " + ClaimRef(n.subject);
  std::string text;
  std::string href = "/claims/" + n.subject;
  auto service = [&]() -> const std::string& {
    auto it = services.find(n.subject);
    if (it != services.end()) return it->second;
    auto s = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(n.subject));
    return services.emplace(n.subject, s ? s->first.definition.name : n.subject).first->second;
  };
  auto respond_by = core::Date::Parse(n.date);
  switch (n.kind) {
    case K::kReturned: text = claim + " was returned by " + TierWords(n.tier) + " on " + day + Quoted(n.reason); break;
    case K::kReturnedByPractice:
      text = claim + " was returned by your practice's approver on " + day + Quoted(n.reason);
      break;
    case K::kRejected: text = claim + " was rejected by " + TierWords(n.tier) + " on " + day + Quoted(n.reason); break;
    case K::kHeld: text = "The payment of " + ClaimRef(n.subject) + " was held on " + day + Quoted(n.reason); break;
    case K::kReleased: text = "The payment of " + ClaimRef(n.subject) + " was released on " + day; break;
    case K::kPaid:
      text = claim + " was paid " + core::FormatPounds(n.amount) + ", recorded on " + day +
             (n.reference.empty() ? "" : " (reference " + n.reference + ")");
      break;
    case K::kOffered:
      text = service() + " was offered to " + OrgName(page.ledger(), n.provider) + " on " + day +
             (respond_by ? ": reply by " + FormatDateText(*respond_by) : "");
      break;
    case K::kOfferAccepted:
      text = OrgName(page.ledger(), n.provider) + " accepted the offer of " + service() + " on " + day;
      break;
    case K::kOfferDeclined:
      text = OrgName(page.ledger(), n.provider) + " declined the offer of " + service() + " on " + day +
             Quoted(n.reason);
      break;
    case K::kOfferWithdrawn:
      text = "The offer of " + service() + " to " + OrgName(page.ledger(), n.provider) + " was withdrawn on " + day +
             Quoted(n.reason);
      break;
  }
  if (n.kind >= K::kOffered) href = page.viewer().IsProvider() ? "/services" : "/offers";
  return json::object{{"text", text}, {"href", href}, {"when_iso", FormatIso(n.at)}};
}

// How near a claim window's end must be for the message centre to say so.
constexpr int kWindowClosingDays = 7;

// Claim windows, for a practice that may prepare claims: each period (not of a
// one-off service) the practice can still claim for (ClaimableServices: core's window, no claim
// holding the period) whose window opened since `since` or closes within a
// week. Windows are dates rather than events, so they are worked out at each
// view; they come first, since they are what to act on.
void WindowMessages(Page& page, core::Timestamp since, json::array& items) {
  core::Scope scope;
  scope.provider_code = page.viewer().principal.org_code;
  scope.commissioner_code = page.viewer().principal.commissioner_code;
  if (!page.viewer().IsProvider() || !page.Allowed(core::Action::kPrepareClaim, scope)) return;
  const core::Date today = core::Date::FromTimestamp(page.ledger().Now());
  // The day of the last sign-in; none (0) makes no window news of an opening.
  const core::Date last_seen = since == 0 ? today : core::Date::FromTimestamp(base::UkLocalTime(since));
  for (const Claimable& c : ClaimableServices(page)) {
    // A one-off service's periods are the days of activity, each with its own
    // window: a message a day would bury the rest.
    if (c.service.definition.frequency == core::Frequency::kOneOff) continue;
    for (const auto& [period, window] : c.periods) {
      const std::string what = "The claim window for " + c.service.definition.name + ", " + PeriodText(period);
      const std::string href = "/claims/new?service=" + UrlEncode(c.service.service_id);
      const int days_left = window.closes.days - today.days;
      if (days_left <= kWindowClosingDays) {
        items.push_back(json::object{{"text", what + " closes on " + FormatDateText(window.closes) +
                                                  (days_left == 0   ? " (today)"
                                                   : days_left == 1 ? " (tomorrow)"
                                                                    : "") +
                                                  ", and no claim has been made for it"},
                                     {"href", href}});
      } else if (window.opens > last_seen) {
        items.push_back(json::object{{"text", what + " opened on " + FormatDateText(window.opens) + ": claim by " +
                                                  FormatDateText(window.closes)},
                                     {"href", href}});
      }
    }
  }
}

// What changed on the viewer's claims and offers since they last signed in
// (app::MessagesFor), newest first, the latest 20 and a count of the rest;
// before them, the claim windows to act on (WindowMessages).
void MessageCentre(Page& page, json::object& m) {
  auto messages = app::MessagesFor(page.ledger(), page.who(), page.call().context().authorize);
  json::array items;
  std::map<std::string, std::string> services;
  size_t more = 0;
  bool counted = true;
  WindowMessages(page, messages.ok() ? messages->since : 0, items);
  if (messages.ok()) {
    for (const auto& n : messages->page.notices) items.push_back(MessageOf(page, n, services));
    more = messages->page.more;
    counted = messages->page.more_counted_fully;
  }
  m["messages_since"] = messages.ok() && messages->since != 0
                            ? "Since you last signed in, " + FormatWhen(messages->since)
                            : "Since your account was opened";
  m["has_messages"] = !items.empty();
  m["messages"] = items;
  m["messages_more"] = more == 0 && counted ? ""
                                            : fmt::format("And {}{} older {} since then.", counted ? "" : "more than ",
                                                          more, more == 1 ? "change" : "changes");
}

Response Home(Page& page) {
  json::object m = page.Base("Home", "/");
  m["organisation_name"] = page.viewer().org_name;
  HomeModel h;
  if (page.viewer().IsProvider()) {
    ProviderHome(page, h);
  } else {
    CommissionerHome(page, h);
  }
  m["counts_heading"] = h.counts_heading;
  m["heading"] = h.heading;
  m["has_actions"] = !h.actions.empty();
  m["actions"] = h.actions;
  m["has_counts"] = !h.counts.empty();
  m["counts"] = h.counts;
  m["has_links"] = !h.links.empty();
  m["links"] = h.links;
  MessageCentre(page, m);
  return page.Render(200, "home", m);
}

// ---- Static assets and unknown paths ---------------------------------------------------

std::string ContentTypeFor(const fs::path& p) {
  std::string ext = p.extension().string();
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".txt" || p.filename() == "VERSION") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// One segment of an asset path, percent-decoded once. nullopt unless it is a
// plain file or folder name: letters, digits, '-', '_' and '.', not starting
// with '.'. That refuses '/', '\', "..", NUL, '%' (double encoding), bytes
// of UTF-8 (overlong forms of '/' and '.') and hidden files, however encoded.
std::optional<std::string> AssetSegment(std::string_view raw) {
  std::string decoded;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      decoded.push_back(raw[i]);
      continue;
    }
    if (i + 2 >= raw.size() || !std::isxdigit(static_cast<unsigned char>(raw[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(raw[i + 2]))) {
      return std::nullopt;
    }
    decoded.push_back(static_cast<char>(std::stoi(std::string(raw.substr(i + 1, 2)), nullptr, 16)));
    i += 2;
  }
  if (decoded.empty() || decoded.front() == '.') return std::nullopt;
  for (char c : decoded) {
    bool plain = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
    if (!plain || static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
  }
  return decoded;
}

// Whether `inner` (canonical) is `root` (canonical) or below it, compared by
// path components, so "/srv/static-old" is not inside "/srv/static".
bool IsWithin(const fs::path& root, const fs::path& inner) {
  auto [r, i] = std::mismatch(root.begin(), root.end(), inner.begin(), inner.end());
  return r == root.end();
}

// The shipped asset a /static/... path names: a regular file whose canonical
// path (symlinks resolved) lies inside the canonical static root; nullopt for
// anything else. `rel` is the raw path after "/static/".
std::optional<fs::path> AssetFile(const std::string& static_dir, std::string_view rel, std::string* name) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(fs::absolute(static_dir, ec), ec);
  if (ec) return std::nullopt;
  fs::path file = root;
  name->clear();
  while (true) {
    std::size_t slash = rel.find('/');
    std::optional<std::string> segment = AssetSegment(rel.substr(0, slash));
    if (!segment) return std::nullopt;
    file /= *segment;
    *name += (name->empty() ? "" : "/") + *segment;
    if (slash == std::string_view::npos) break;
    rel.remove_prefix(slash + 1);
  }
  fs::path resolved = fs::weakly_canonical(file, ec);
  if (ec || !IsWithin(root, resolved) || !fs::is_regular_file(fs::symlink_status(resolved, ec))) return std::nullopt;
  return resolved;
}

Response StaticFile(Portal& portal, Call& call) {
  std::string_view path = call.request().Path();
  std::string decoded;
  std::optional<fs::path> asset = AssetFile(portal.deps().static_dir, path.substr(std::string_view("/static/").size()),
                                            &decoded);
  if (!asset) return Response::Text(404, "Not found\n");
  const fs::path& file = *asset;
  std::string etag = "\"" + portal.asset_version() + "-" + base::Sha256Hex(decoded).substr(0, 16) + "\"";
  Response r;
  if (call.request().Header("if-none-match") == etag) {
    r.status = 304;
  } else {
    r.status = 200;
    r.body = ReadSmallFile(file);
    r.Set("Content-Type", ContentTypeFor(file));
  }
  r.Set("ETag", etag);
  if (call.request().Query("v") == portal.asset_version()) {
    r.Set("Cache-Control", "public, max-age=31536000, immutable");
  } else {
    r.Set("Cache-Control", "public, max-age=3600");
  }
  return r;
}

bool IsCatchAll(const Route* r) { return r != nullptr && r->pattern.rfind("/{p1}", 0) == 0; }

Response Unknown(Portal& portal, Call& call) {
  const Request& req = call.request();
  std::string_view path = req.Path();
  if (path.rfind("/api/", 0) == 0 || path == "/api") {
    std::string allow;
    for (const char* m : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
      const Route* r = call.context().Match(m, path);
      if (r != nullptr && !IsCatchAll(r)) allow += (allow.empty() ? "" : ", ") + std::string(m);
    }
    if (!allow.empty()) {
      Response r = ToResponse(problems::MethodNotAllowed());
      r.Set("Allow", allow);
      return r;
    }
    return ToResponse(problems::NotFound("Nothing was found at this address."));
  }
  if (!call.signed_in()) return SignedOutError(portal, call, 404);
  Page page(portal, call, ViewerOf(portal, call), Form{});
  return page.NotFound();
}

}  // namespace
}  // namespace portal

std::vector<Route> PortalRoutes(const PortalDeps& deps) {
  using portal::Portal;
  if (deps.ledger == nullptr) {
    throw std::invalid_argument("PortalRoutes needs the ledger (event store, command bus and projections)");
  }
  auto p = std::make_shared<Portal>(deps);
  // The portal owns the hooks and the routes' handlers own the portal, so the
  // hooks hold it weakly (no cycle).
  std::weak_ptr<Portal> weak = p;
  p->set_page_hooks(std::make_shared<const PageHooks>(
      PageHooks{[weak](Call& call, Refusal refusal) {
                  std::shared_ptr<Portal> portal = weak.lock();
                  if (!portal) throw std::logic_error("a page route outlived its portal");
                  return portal::RefusePage(*portal, call, refusal);
                },
                [](const Request& request) { return portal::ParseForm(request).Get("csrf_token"); }}));
  std::vector<Route> routes;
  // Pages anyone may open; their forms are checked for the browser's CSRF token like every page's.
  auto public_page = [&](std::string method, std::string pattern, Response (*fn)(Portal&, Call&)) {
    routes.push_back(Route{std::move(method), std::move(pattern), Access::PublicPage(),
                           [p, fn](Call& call) { return fn(*p, call); }, 0, p->page_hooks()});
  };
  // Files and the HTML 404 of unknown addresses.
  auto raw = [&](std::string method, std::string pattern, Response (*fn)(Portal&, Call&)) {
    routes.push_back(
        Route{std::move(method), std::move(pattern), Access::Public(), [p, fn](Call& call) { return fn(*p, call); }});
  };
  public_page("GET", "/sign-in", portal::GetSignIn);
  public_page("POST", "/sign-in", portal::PostSignIn);
  public_page("POST", "/sign-out", portal::PostSignOut);
  public_page("GET", "/accessibility", portal::GetAccessibility);
  public_page("GET", "/account-request", portal::GetAccountRequest);
  public_page("POST", "/account-request", portal::PostAccountRequest);
  std::string static_pattern = "/static";
  for (int depth = 1; depth <= 4; ++depth) {
    static_pattern += "/{s" + std::to_string(depth) + "}";
    raw("GET", static_pattern, portal::StaticFile);
  }
  routes.push_back(portal::PageRoute(p, "GET", "/", std::nullopt, portal::Home));
  portal::AddClaimRoutes(p, routes);
  portal::AddPracticeRoutes(p, routes);
  portal::AddApprovalRoutes(p, routes);
  portal::AddAdminRoutes(p, routes);
  portal::AddAuditRoutes(p, routes);
  portal::AddLiveRoutes(p, routes);
  if (deps.html_not_found) {
    std::string pattern;
    for (int depth = 1; depth <= 8; ++depth) {
      pattern += "/{p" + std::to_string(depth) + "}";
      for (const char* m : {"GET", "POST"}) raw(m, pattern, portal::Unknown);
    }
  }
  return routes;
}

}  // namespace ledger::http
