// Accounts: anyone may request one; Administrators approve, refuse, disable,
// enable and assign roles within what the policy lets them manage; lists of
// an organisation's accounts (waiting requests first).
#include <algorithm>

#include "admin_support.h"
#include "bodies.h"
#include "ledger/app/credentials.h"
#include "ledger/core/streams.h"
#include "ledger/http/auth.h"
#include "ledger/http/problem.h"

namespace ledger::http {
namespace {

using core::Action;

boost::json::object AccountJson(const core::AccountState& a) {
  return wire::Checked<api::bodies::Account>(boost::json::object{
                                                 {"username", a.username},
                                                 {"org_code", a.org_code},
                                                 {"org_kind", core::OrgKindName(a.org_kind)},
                                                 {"commissioner_code", a.commissioner_code},
                                                 {"full_name", a.full_name},
                                                 {"email", a.email},
                                                 {"status", core::AccountStatusName(a.status)},
                                                 {"roles", api::RoleNames(a.roles)},
                                                 {"roles_requested", api::RoleNames(a.roles_requested)},
                                                 {"dual_tier_warning", core::IsDualTier(a.roles)},
                                             })
      .as_object();
}

core::Scope AccountScope(const core::AccountState& a) { return {"", a.commissioner_code, a.org_code}; }

// The account named by {username} if the route's action may touch it; else the same 404.
std::optional<core::AccountState> LoadAccount(Call& call, ApiDeps& deps, uint64_t* version, Response* answer) {
  const std::string& username = call.Param("username");
  if (!core::IsValidUsername(username)) {
    *answer = api::NotFound();
    return std::nullopt;
  }
  auto account = api::LoadState<core::AccountState>(
      deps, core::AccountStream(username), version, answer,
      [](const core::AccountState& a) { return a.status != core::AccountStatus::kNone; }, api::ReadFromFor(call));
  if (!account) return std::nullopt;
  if (auto denied = call.AuthorizeScope(AccountScope(*account))) {
    *answer = std::move(*denied);
    return std::nullopt;
  }
  return account;
}

// The account as the command left it.
Response AccountNow(ApiDeps& deps, const app::Executed& executed, const std::string& username, int status = 200) {
  uint64_t version = 0;
  Response answer;
  auto account = api::StateAfter<core::AccountState>(deps, executed, core::AccountStream(username), &version, &answer,
                                                     [](const core::AccountState&) { return true; });
  if (!account) return answer;
  return api::VersionedJson(status, AccountJson(*account), version);
}

// POST /api/v1/accounts (public) {username, org_code, full_name, email, roles, password}
Response RequestAccount(Call& call, ApiDeps& deps) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  auto [username, org, full_name, email, role_names, password] = wire::Read<api::bodies::AccountRequest>(in.body());
  core::RoleSet roles = api::RolesNamed(role_names);
  if (!username.empty() && !core::IsValidUsername(username))
    in.Fail("username", "invalid_username", "Use lower-case letters, digits, '.', '_' or '-'.");
  if (!org.empty() && !core::IsValidId(org)) in.Fail("org_code", "invalid", "Enter your organisation's ODS code.");
  if (auto bad = in.Finish()) return *bad;

  core::CommandMeta meta;
  meta.actor = username;  // the requester; they have no account yet
  meta.at = deps.ledger.Now();
  meta.command_id = RandomHex(16);
  meta.correlation_id = meta.command_id;
  std::string hash = app::HashPassword(password, call.context().options().dummy_hash_cost);
  app::ExecuteResult result = deps.ledger.Execute(meta,
                                                  core::RequestAccount{username, org, full_name, email, roles, hash});
  if (!result.ok()) return api::FailureResponse(result);
  boost::json::object body{{"username", username}, {"org_code", org}, {"status", "requested"}};
  Response r = Response::Json(202, wire::Checked<api::bodies::AccountRequested>(body));
  r.Set("Location", "/api/v1/accounts/" + username);
  return r;
}

// GET /api/v1/accounts?org=  (default: the caller's organisation); waiting requests first.
Response ListAccounts(Call& call, ApiDeps& deps) {
  const core::Principal& who = call.principal();
  std::string org = call.Query("org");
  if (org.empty()) org = who.org_code;
  if (!core::IsValidId(org)) return api::BadQueryParameter("org", "Enter an ODS code.");
  Response answer;
  auto state = api::LoadState<core::OrgState>(
      deps, core::OrgStream(org), nullptr, &answer, [](const core::OrgState& o) { return o.exists; },
      api::ReadFrom::kReadModel);
  if (!state) return answer;
  if (auto denied = call.AuthorizeScope({"", state->commissioner_code, org})) return *denied;
  projections::ReportParams params;
  params.scope = state->commissioner_code.empty() ? org : state->commissioner_code;
  params.filters["org"] = org;
  boost::json::array rows;
  if (auto bad = api::ReportRows(deps, "accounts", params, &rows)) return *bad;
  std::stable_sort(rows.begin(), rows.end(), [](const boost::json::value& a, const boost::json::value& b) {
    bool wa = a.at("status").as_string() == "requested", wb = b.at("status").as_string() == "requested";
    return wa && !wb;
  });
  return Response::Json(200, wire::Checked<api::bodies::AccountList>(
                                 boost::json::object{{"org", org}, {"accounts", std::move(rows)}}));
}

Response GetAccount(Call& call, ApiDeps& deps) {
  uint64_t version = 0;
  Response answer;
  auto account = LoadAccount(call, deps, &version, &answer);
  if (!account) return answer;
  return api::VersionedJson(200, AccountJson(*account), version);
}

// A route that reads an optional body, then runs one command on the account.
using BuildAccountCommand = core::Command (*)(const core::AccountState&, JsonInput*);

Handler OnAccount(ApiDeps& deps, BuildAccountCommand build) {
  return [&deps, build](Call& call) -> Response {
    JsonInput in(call.request());
    bool has_body = !call.request().body.empty();
    if (has_body)
      if (auto bad = in.Open()) return *bad;
    uint64_t version = 0;
    Response answer;
    auto account = LoadAccount(call, deps, &version, &answer);
    if (!account) return answer;
    core::Command command = build(*account, has_body ? &in : nullptr);
    if (has_body)
      if (auto bad = in.Finish()) return *bad;
    app::Executed executed;
    if (auto failed = api::Execute(call, deps, core::AccountStream(account->username), version, command, &executed,
                                   *account))
      return *failed;
    return AccountNow(deps, executed, account->username);
  };
}

core::Command Approve(const core::AccountState& a, JsonInput* in) {
  // Without a body the roles requested are granted.
  core::RoleSet roles = a.roles_requested;
  if (in != nullptr) {
    if (auto named = wire::Read<api::bodies::OptionalRoles>(in->body()).roles) roles = api::RolesNamed(*named);
  }
  return core::ApproveAccount{a.username, roles};
}

core::Command Refuse(const core::AccountState& a, JsonInput* in) {
  std::string reason = in != nullptr ? wire::Read<api::bodies::Reason>(in->body()).reason : "";
  return core::RefuseAccount{a.username, reason};
}

core::Command Disable(const core::AccountState& a, JsonInput* in) {
  std::string reason;
  if (in != nullptr) reason = wire::Read<api::bodies::OptionalReason>(in->body()).reason.value_or("");
  return core::DisableAccount{a.username, reason};
}

core::Command Enable(const core::AccountState& a, JsonInput*) { return core::EnableAccount{a.username}; }

core::Command Assign(const core::AccountState& a, JsonInput* in) {
  core::RoleSet roles;
  if (in != nullptr) roles = api::RolesNamed(wire::Read<api::bodies::Roles>(in->body()).roles);
  return core::AssignRoles{a.username, roles};
}

// Refusing and assigning need a body; answer 400 rather than let the decider guess.
Handler NeedsBody(Handler inner, const char* field, const char* message) {
  return [inner = std::move(inner), field, message](Call& call) -> Response {
    if (call.request().body.empty())
      return ToResponse(problems::Validation("The request has problems.", {{field, "required", message}}));
    return inner(call);
  };
}

}  // namespace

std::vector<Route> AccountRoutes(ApiDeps& deps) {
  const std::string account = "/api/v1/accounts/{username}";
  return {
      {"POST", "/api/v1/accounts", Access::Public(), api::Bind(deps, RequestAccount), 16 * kKiB},
      {"GET", "/api/v1/accounts", Access::For(Action::kViewAccounts), api::Bind(deps, ListAccounts)},
      {"GET", account, Access::For(Action::kViewAccounts), api::Bind(deps, GetAccount)},
      {"POST", account + "/approve", Access::For(Action::kManageAccounts), OnAccount(deps, Approve), 16 * kKiB},
      {"POST", account + "/refuse", Access::For(Action::kManageAccounts),
       NeedsBody(OnAccount(deps, Refuse), "reason", "Give a reason."), 16 * kKiB},
      {"POST", account + "/disable", Access::For(Action::kManageAccounts), OnAccount(deps, Disable), 16 * kKiB},
      {"POST", account + "/enable", Access::For(Action::kManageAccounts), OnAccount(deps, Enable), 16 * kKiB},
      {"PUT", account + "/roles", Access::For(Action::kAssignRoles),
       NeedsBody(OnAccount(deps, Assign), "roles", "Choose at least one role."), 16 * kKiB},
  };
}

namespace api {
RouteDocs AccountRouteDocs() {
  namespace b = api::bodies;
  using api::SchemaOf;
  const std::string account = "/api/v1/accounts/{username}";
  return {
      {"POST", "/api/v1/accounts", "accounts", "Request an account (anyone); an Administrator approves it",
       "AccountRequest", 202, SchemaOf<b::AccountRequested>},
      {"GET",
       "/api/v1/accounts",
       "accounts",
       "Accounts of an organisation, requests first",
       "",
       200,
       SchemaOf<b::AccountList>,
       {{"org", "the organisation's ODS code (default: mine)"}}},
      {"GET", account, "accounts", "One account", "", 200, SchemaOf<b::Account>},
      {"POST", account + "/approve", "accounts", "Approve a requested account (roles default to those requested)",
       "OptionalRoles", 200, SchemaOf<b::Account>},
      {"POST", account + "/refuse", "accounts", "Refuse a requested account", "Reason", 200, SchemaOf<b::Account>},
      {"POST", account + "/disable", "accounts", "Disable an active account", "OptionalReason", 200,
       SchemaOf<b::Account>},
      {"POST", account + "/enable", "accounts", "Enable a disabled account", "", 200, SchemaOf<b::Account>},
      {"PUT", account + "/roles", "accounts", "Replace an account's roles (own organisation only)", "Roles", 200,
       SchemaOf<b::Account>},
  };
}
}  // namespace api

}  // namespace ledger::http
