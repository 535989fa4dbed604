// Reports: every projection report by name, "as of" a log position or a
// time, as JSON or CSV, scoped to the caller's organisation through the
// policy (a commissioner's own; a provider's own rows of the reports that
// can be filtered by provider, and its statement).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <set>

#include "admin_support.h"
#include "bodies.h"
#include "ledger/core/streams.h"
#include "ledger/http/problem.h"

namespace ledger::http {
namespace {

using core::Action;

bool HasFilter(const projections::ReportInfo& info, std::string_view name) {
  for (const std::string& f : info.filters)
    if (f == name) return true;
  return false;
}

// The report's scope for this caller and the policy scope to check, or
// nullopt when the report is not one this kind of organisation can ask for.
struct Resolved {
  projections::ReportParams params;
  core::Scope policy_scope;
};

std::optional<Resolved> Resolve(Call& call, ApiDeps& deps, const projections::ReportInfo& info, Response* answer) {
  const core::Principal& who = call.principal();
  Resolved out;
  if (info.scope == projections::ScopeKind::kProvider) {
    std::string provider = core::IsProvider(who.org_kind) ? who.org_code : call.Query("provider");
    if (provider.empty()) {
      *answer = api::BadQueryParameter("provider", "Name a provider.");
      return std::nullopt;
    }
    auto org = core::IsValidId(provider)
                   ? api::LoadState<core::OrgState>(
                         deps, core::OrgStream(provider), nullptr, answer,
                         [](const core::OrgState& o) { return o.exists; }, api::ReadFrom::kReadModel)
                   : std::nullopt;
    if (!org) {
      *answer = api::NotFound();
      return std::nullopt;
    }
    out.params.scope = provider;
    out.policy_scope = {provider, org->commissioner_code, ""};
    return out;
  }
  if (core::IsProvider(who.org_kind)) {
    if (!HasFilter(info, "provider")) {
      *answer = api::NotFound();
      return std::nullopt;
    }
    out.params.scope = who.commissioner_code;
    out.params.filters["provider"] = who.org_code;
    out.policy_scope = {who.org_code, who.commissioner_code, ""};
    return out;
  }
  if (auto bad = api::ListCommissioner(call, &out.params.scope)) {
    *answer = std::move(*bad);
    return std::nullopt;
  }
  out.policy_scope = {"", out.params.scope, out.params.scope};
  return out;
}

bool MayRun(Call& call, const projections::ReportInfo& info, const core::Scope& scope) {
  return call.context().authorize(call.principal(), info.action, scope).allowed;
}

// GET /api/v1/reports: the reports the caller may run.
Response ListReports(Call& call, ApiDeps&) {
  const core::Principal& who = call.principal();
  boost::json::array reports;
  for (const projections::ReportInfo& info : projections::Reports()) {
    core::Scope scope{"", who.org_code, who.org_code};  // commissioners (and the system) for their own
    if (core::IsProvider(who.org_kind)) {
      if (info.scope != projections::ScopeKind::kProvider && !HasFilter(info, "provider")) continue;
      scope = {who.org_code, who.commissioner_code, ""};
    }
    if (!MayRun(call, info, scope) || !call.context().authorize(who, Action::kViewReports, scope).allowed) continue;
    boost::json::array filters;
    for (const std::string& f : info.filters) filters.emplace_back(f);
    reports.push_back({{"name", info.name},
                       {"title", info.title},
                       {"scope", info.scope == projections::ScopeKind::kProvider ? "provider" : "commissioner"},
                       {"filters", std::move(filters)},
                       {"href", "/api/v1/reports/" + info.name}});
  }
  return Response::Json(200,
                        wire::Checked<api::bodies::ReportList>(boost::json::object{{"reports", std::move(reports)}}));
}

// GET /api/v1/reports/{name}?as_of=&format=csv|json&<filters>
Response GetReport(Call& call, ApiDeps& deps) {
  const projections::ReportInfo* info = projections::FindReport(call.Param("name"));
  if (info == nullptr) return api::NotFound();
  Response answer;
  auto resolved = Resolve(call, deps, *info, &answer);
  if (!resolved) return answer;
  if (!MayRun(call, *info, resolved->policy_scope)) return api::NotFound();

  std::set<std::string, std::less<>> allowed = {"as_of", "format", "commissioner", "provider"};
  allowed.insert(info->filters.begin(), info->filters.end());
  std::string_view query = call.request().RawQuery();
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    std::string_view name = pair.substr(0, pair.find('='));
    if (!name.empty() && !allowed.contains(name))
      return api::BadQueryParameter(std::string(name), "This report does not understand this parameter.");
  }
  for (const std::string& filter : info->filters) {
    if (resolved->params.filters.contains(filter)) continue;  // fixed by the caller's scope
    if (std::string value = call.Query(filter); !value.empty()) resolved->params.filters[filter] = value;
  }
  if (HasFilter(*info, "run") && call.Query("run").empty())
    return api::BadQueryParameter("run", "Name the payment run, e.g. ?run=C1-2026-11-30.");
  auto as_of = projections::AsOf::Parse(call.Query("as_of"));
  if (!as_of)
    return api::BadQueryParameter("as_of", "Use a log position (123), a date (2026-11-15) or 2026-11-15T12:30:00Z.");
  auto table = deps.ledger.RunReport(info->name, resolved->params, *as_of);
  if (!table.ok()) {
    if (table.status().code() == es::Status::Code::kInvalid)
      return ToResponse(
          problems::Validation("The report's filters are not valid.", {{"filters", "invalid",
                                                                        "Check the filters: periods such as 2026-10, "
                                                                        "2026-Q3 or 2026/27; statuses and risk bands "
                                                                        "by name."}}));
    return ProblemResponse(table.status());
  }
  return api::TableResponse(*table, call.Query("format"));
}

}  // namespace

std::vector<Route> ReportRoutes(ApiDeps& deps) {
  using api::Bind;
  return {
      {"GET", "/api/v1/reports", Access::SignedIn(), Bind(deps, ListReports)},
      // Each report then requires its own action (view_reports, view_finance_reports, ...) on the caller's scope.
      {"GET", "/api/v1/reports/{name}", Access::For(Action::kViewReports), Bind(deps, GetReport)},
  };
}

namespace api {
RouteDocs ReportRouteDocs() {
  namespace b = api::bodies;
  using api::SchemaOf;
  std::vector<api::QueryDoc> query{
      {"as_of", "a log position, a date (YYYY-MM-DD) or a time (ISO 8601): the report as it stood then"}};
  std::set<std::string> filters;
  for (const projections::ReportInfo& info : projections::Reports())
    filters.insert(info.filters.begin(), info.filters.end());
  for (const std::string& f : filters)
    query.push_back({f, "a filter, for the reports that list it (GET /api/v1/reports)"});
  return {
      {"GET", "/api/v1/reports", "reports", "The reports I may run, with their filters", "", 200,
       SchemaOf<b::ReportList>},
      {"GET", "/api/v1/reports/{name}", "reports", "One report for my organisation", "", 200, SchemaOf<b::Report>,
       query, "text/csv"},
  };
}
}  // namespace api

}  // namespace ledger::http
