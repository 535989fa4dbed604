// One account, for the administrators who may manage it: approve a request
// (choosing the roles), refuse it with a reason, change roles, disable with a
// reason and enable again. The same core commands as the accounts API, at
// the version the page was rendered from; accounts the policy does not let
// the viewer manage are not found, like an unknown username.
#include <algorithm>

#include "ledger/core/streams.h"
#include "portal_internal.h"

namespace ledger::http::portal {
namespace {

using core::AccountStatus;
using core::Action;
using Errors = std::vector<std::pair<std::string, std::string>>;

core::Scope ScopeOf(const core::AccountState& a) { return {"", a.commissioner_code, a.org_code}; }

// The account named by {username}, if the viewer may manage it.
std::optional<std::pair<core::AccountState, uint64_t>> ManagedAccount(Page& page) {
  const std::string& username = page.call().Param("username");
  if (!core::IsValidUsername(username)) return std::nullopt;
  auto loaded = CurrentState<core::AccountState>(page.ledger(), core::AccountStream(username));
  if (!loaded || loaded->first.status == AccountStatus::kNone) return std::nullopt;
  if (!page.Allowed(Action::kManageAccounts, ScopeOf(loaded->first))) return std::nullopt;
  return loaded;
}

std::string Names(const core::RoleSet& roles) {
  std::string out;
  for (core::Role r : roles.List()) out += (out.empty() ? "" : ", ") + RoleText(std::string(core::RoleName(r)));
  return out.empty() ? "None" : out;
}

json::object AccountStatusTag(AccountStatus s) {
  switch (s) {
    case AccountStatus::kRequested: return Tag("Waiting for approval", "blue");
    case AccountStatus::kActive: return Tag("Active", "green");
    case AccountStatus::kRefused: return Tag("Refused", "red");
    case AccountStatus::kDisabled: return Tag("Disabled", "grey");
    default: return Tag("Unknown", "grey");
  }
}

// The roles an account of this kind of organisation can hold, in the order people think of them.
std::vector<core::Role> RolesFor(core::OrgKind kind) {
  using core::Role;
  std::vector<Role> out;
  for (Role r : {Role::kProviderUser, Role::kProviderApprover, Role::kProviderAdmin, Role::kApproverTier1,
                 Role::kApproverTier2, Role::kFinance, Role::kAuditor, Role::kCommissionerAdmin, Role::kOperator}) {
    if (core::RoleFitsOrg(r, kind)) out.push_back(r);
  }
  return out;
}

Response RenderAccount(Page& page, const core::AccountState& a, uint64_t version, int status, const Errors& errors) {
  bool requested = a.status == AccountStatus::kRequested;
  bool may_assign = page.Allowed(Action::kAssignRoles, ScopeOf(a));
  bool posted = page.call().request().method == "POST";
  json::object m = page.Base(a.full_name, "/admin/accounts");
  m["breadcrumbs"] = json::object{{"items",
                                   json::array{json::object{{"href", "/"}, {"text", "Home"}},
                                               json::object{{"href", "/admin/accounts"}, {"text", "Accounts"}}}},
                                  {"back", json::object{{"href", "/admin/accounts"}, {"text", "Back to accounts"}}}};
  m["account"] = json::object{{"username", a.username},
                              {"full_name", a.full_name},
                              {"organisation_name", OrgName(page.ledger(), a.org_code)},
                              {"email", a.email},
                              {"roles_text", requested ? "Asked for: " + Names(a.roles_requested) : Names(a.roles)},
                              {"status", AccountStatusTag(a.status)},
                              {"version", version}};
  const core::RoleSet& shown = requested ? a.roles_requested : a.roles;
  m["dual_tier_warning"] = core::IsDualTier(shown);
  bool can_set_roles = requested ||
                       ((a.status == AccountStatus::kActive || a.status == AccountStatus::kDisabled) && may_assign);
  m["can_set_roles"] = can_set_roles;
  m["roles_action"] = requested ? "approve" : "roles";
  m["roles_button"] = requested ? "Approve account" : "Save roles";
  m["can_refuse"] = requested;
  m["can_disable"] = a.status == AccountStatus::kActive && a.username != page.who().username;
  m["can_enable"] = a.status == AccountStatus::kDisabled;
  bool can_reset = a.status == AccountStatus::kActive || a.status == AccountStatus::kDisabled;
  m["can_reset_password"] = can_reset;

  std::vector<std::string> chosen = page.form().All("roles");
  json::object roles = ChoiceField("roles", "roles", requested ? "Roles to give" : "Roles");
  roles["legend_class"] = "nhsuk-fieldset__legend--m";
  roles["hint"] = "Select all that apply";
  json::array items;
  bool first = true;
  for (core::Role r : RolesFor(a.org_kind)) {
    std::string name(core::RoleName(r));
    bool checked = posted && page.form().Has("roles") ? std::find(chosen.begin(), chosen.end(), name) != chosen.end()
                                                      : shown.Has(r);
    items.push_back(ChoiceItem("roles", first, name, RoleText(name), checked));
    first = false;
  }
  roles["items"] = items;
  json::object refuse = TextareaField("refuse_reason", "refuse_reason", "Reason for refusing");
  refuse["hint"] = "The person asking for the account will see this";
  refuse["value"] = page.form().Get("refuse_reason");
  refuse["rows"] = 3;
  json::object disable = TextareaField("disable_reason", "disable_reason", "Reason for disabling");
  disable["hint"] = "Kept in the account's history";
  disable["value"] = page.form().Get("disable_reason");
  disable["rows"] = 3;
  json::object new_password = InputField("new_password", "new_password", "New password");
  new_password["type"] = "password";
  new_password["autocomplete"] = "new-password";
  new_password["width_class"] = "nhsuk-input--width-20";
  new_password["hint"] = "At least 12 characters. Tell the person in a safe way; it replaces their password at once";
  json::object fields{{"roles", can_set_roles ? json::value(roles) : json::value(false)},
                      {"new_password", can_reset ? json::value(new_password) : json::value(false)},
                      {"refuse_reason", requested ? json::value(refuse) : json::value(false)},
                      {"disable_reason", m["can_disable"].as_bool() ? json::value(disable) : json::value(false)}};
  for (const auto& [id, message] : errors) {
    if (fields.contains(id) && fields[id].is_object()) fields[id].as_object()["error"] = message;
  }
  m["fields"] = fields;
  if (!errors.empty()) m["error_summary"] = ErrorSummary(errors);
  return page.Render(status, "account", m);
}

Response AccountPage(Page& page) {
  auto loaded = ManagedAccount(page);
  if (!loaded) return page.NotFound();
  return RenderAccount(page, loaded->first, loaded->second, 200, {});
}

// The roles ticked on the form; an error when none is, or one is unknown.
std::optional<core::RoleSet> PostedRoles(Page& page, Errors& errors) {
  core::RoleSet roles;
  for (const std::string& name : page.form().All("roles")) {
    core::Role r;
    if (!core::ParseRole(name, &r)) {
      errors.emplace_back("roles", "Select roles from the list");
      return std::nullopt;
    }
    roles.Add(r);
  }
  if (roles.empty()) {
    errors.emplace_back("roles", "Select at least one role");
    return std::nullopt;
  }
  return roles;
}

// Runs the command made by `build` on the account at the form's version; the page
// again (422) with the rejection on `field`, or back to the account with `done`.
template <typename Build>
Response OnAccount(Page& page, const std::string& field, const std::string& done, Build build) {
  auto loaded = ManagedAccount(page);
  if (!loaded) return page.NotFound();
  const core::AccountState& a = loaded->first;
  Errors errors;
  std::optional<core::Command> command = build(a, errors);
  if (!command) return RenderAccount(page, a, loaded->second, 422, errors);
  std::optional<app::Precondition> pre;
  if (auto v = ParseWholeNumber(page.form().Get("version")); v && *v > 0) {
    pre = app::Precondition{core::AccountStream(a.username), static_cast<uint64_t>(*v)};
  }
  app::ExecuteResult r = page.Execute(*command, pre);
  if (!r.ok()) {
    auto now = ManagedAccount(page);
    if (!now) return page.NotFound();
    std::string message = RejectionText(r);
    if (r.rejected() && !r.rejection().errors.empty()) message = r.rejection().errors.front().message;
    return RenderAccount(page, now->first, now->second, 422, {{field, message}});
  }
  Flash f;
  f.heading = done + ": " + a.full_name;
  return page.Redirect("/admin/accounts/" + a.username, f);
}

std::string Reason(Page& page, const std::string& field) {
  std::string s = page.form().Get(field);
  return s.find_first_not_of(" \t\r\n") == std::string::npos ? "" : s;
}

Response ApprovePost(Page& page) {
  return OnAccount(page, "roles", "Account approved", [&](const core::AccountState& a, Errors& errors) {
    auto roles = PostedRoles(page, errors);
    return roles ? std::optional<core::Command>(core::ApproveAccount{a.username, *roles}) : std::nullopt;
  });
}

Response RolesPost(Page& page) {
  return OnAccount(page, "roles", "Roles saved", [&](const core::AccountState& a, Errors& errors) {
    auto roles = PostedRoles(page, errors);
    return roles ? std::optional<core::Command>(core::AssignRoles{a.username, *roles}) : std::nullopt;
  });
}

Response RefusePost(Page& page) {
  return OnAccount(page, "refuse_reason", "Request refused", [&](const core::AccountState& a, Errors& errors) {
    std::string reason = Reason(page, "refuse_reason");
    if (reason.empty()) errors.emplace_back("refuse_reason", "Enter a reason for refusing the request");
    return reason.empty() ? std::nullopt : std::optional<core::Command>(core::RefuseAccount{a.username, reason});
  });
}

Response DisablePost(Page& page) {
  return OnAccount(page, "disable_reason", "Account disabled", [&](const core::AccountState& a, Errors& errors) {
    std::string reason = Reason(page, "disable_reason");
    if (reason.empty()) errors.emplace_back("disable_reason", "Enter a reason for disabling the account");
    return reason.empty() ? std::nullopt : std::optional<core::Command>(core::DisableAccount{a.username, reason});
  });
}

Response EnablePost(Page& page) {
  return OnAccount(page, "roles", "Account enabled", [](const core::AccountState& a, Errors&) {
    return std::optional<core::Command>(core::EnableAccount{a.username});
  });
}

Response PasswordPost(Page& page) {
  return OnAccount(page, "new_password", "Password reset", [&](const core::AccountState& a, Errors& errors) {
    const std::string password = page.form().Get("new_password");
    if (password.size() < app::kMinPasswordLength) {
      errors.emplace_back("new_password", "Enter a new password of at least 12 characters");
      return std::optional<core::Command>();
    }
    return std::optional<core::Command>(core::ResetPassword{a.username, app::HashPassword(password)});
  });
}

}  // namespace

void AddAccountAdminRoutes(const std::shared_ptr<Portal>& p, std::vector<Route>& routes) {
  const std::string one = "/admin/accounts/{username}";
  routes.push_back(PageRoute(p, "GET", one, Action::kManageAccounts, AccountPage));
  routes.push_back(PageRoute(p, "POST", one + "/approve", Action::kManageAccounts, ApprovePost));
  routes.push_back(PageRoute(p, "POST", one + "/roles", Action::kAssignRoles, RolesPost));
  routes.push_back(PageRoute(p, "POST", one + "/refuse", Action::kManageAccounts, RefusePost));
  routes.push_back(PageRoute(p, "POST", one + "/disable", Action::kManageAccounts, DisablePost));
  routes.push_back(PageRoute(p, "POST", one + "/enable", Action::kManageAccounts, EnablePost));
  routes.push_back(PageRoute(p, "POST", one + "/password", Action::kManageAccounts, PasswordPost));
}

}  // namespace ledger::http::portal
