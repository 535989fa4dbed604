#include "admin_support.h"
#include "bodies.h"

#include <iterator>
#include <utility>

#include "ledger/http/concurrency.h"
#include "ledger/http/problem.h"

namespace ledger::http::api {

ReadFrom ReadFromFor(const Call& call) {
  const std::string& method = call.request().method;
  return method == "GET" || method == "HEAD" ? ReadFrom::kReadModel : ReadFrom::kLog;
}

es::Result<core::LoadedStream> ReadStreamState(ApiDeps& deps, const std::string& stream_id, ReadFrom from) {
  if (from == ReadFrom::kLog) return deps.ledger.bus().LoadStream(stream_id);
  return deps.ledger.StreamState(stream_id);
}

std::optional<Response> Execute(Call& call, ApiDeps& deps, const std::string& stream_id, uint64_t current_version,
                                const core::Command& command, app::Executed* executed, core::AggregateState read) {
  CommandSetup setup;
  if (auto bad = Prepare(call, deps, stream_id, current_version, &setup)) return bad;
  if (stream_id.empty()) setup.options.precondition.reset();
  if (!stream_id.empty() && !std::holds_alternative<std::monostate>(read))
    setup.options.preloaded.emplace(stream_id, core::LoadedStream{current_version, std::move(read)});
  RunOutcome outcome = Run(deps, command, setup);
  if (auto* answer = std::get_if<Response>(&outcome)) return std::move(*answer);
  if (executed != nullptr) *executed = std::get<app::Executed>(std::move(outcome));
  return std::nullopt;
}

Response VersionedJson(int status, boost::json::object body, uint64_t version) {
  Response r = Response::Json(status, std::move(body));
  if (version != 0) r.Set("ETag", ETagFor(version));
  return r;
}

core::RoleSet RolesNamed(const std::vector<std::string>& names) {
  core::RoleSet roles;
  for (const std::string& name : names) {
    core::Role role{};
    if (core::ParseRole(name, &role)) roles.Add(role);
  }
  return roles;
}

boost::json::array RoleNames(const core::RoleSet& roles) {
  boost::json::array out;
  for (core::Role r : roles.List()) out.emplace_back(core::RoleName(r));
  return out;
}

Response BadQueryParameter(const std::string& name, std::string message) {
  return ToResponse(problems::Validation("The query parameter " + name + " is not valid.",
                                         {core::FieldError{name, "invalid", std::move(message)}}));
}

std::optional<Response> ListCommissioner(Call& call, std::string* commissioner) {
  const core::Principal& who = call.principal();
  *commissioner = who.org_kind == core::OrgKind::kSystem ? call.Query("commissioner") : who.commissioner_code;
  if (commissioner->empty()) return BadQueryParameter("commissioner", "Name a commissioner.");
  return std::nullopt;
}

std::optional<Response> ReportRows(ApiDeps& deps, std::string_view report, const projections::ReportParams& params,
                                   boost::json::array* rows) {
  auto table = deps.ledger.RunReport(report, params);
  if (!table.ok()) return ProblemResponse(table.status());
  boost::json::object json = projections::TableToJson(*table);
  const boost::json::array& columns = json.at("columns").as_array();
  for (const boost::json::value& row : json.at("rows").as_array()) {
    boost::json::object item;
    const boost::json::array& cells = row.as_array();
    for (size_t i = 0; i < cells.size() && i < columns.size(); ++i) item[columns[i].at("name").as_string()] = cells[i];
    rows->push_back(std::move(item));
  }
  return std::nullopt;
}

Response TableResponse(const projections::Table& table, const std::string& format) {
  if (format.empty() || format == "json") {
    return Response::Json(200, wire::Checked<bodies::Report>(projections::TableToJson(table)));
  }
  if (format != "csv") return BadQueryParameter("format", "Use csv or json.");
  Response r = Response::Text(200, projections::TableToCsv(table), "text/csv; charset=utf-8");
  r.Set("Content-Disposition", "attachment; filename=\"" + table.name + ".csv\"");
  // What the JSON's as_of says, for a CSV (whose rows have no room for it).
  r.Set("Ledger-As-Of-Position", std::to_string(table.as_of.position));
  if (!table.head_hash.empty()) r.Set("Ledger-As-Of-Hash", table.head_hash);
  if (!table.tree_root.empty()) r.Set("Ledger-As-Of-Tree-Root", table.tree_root);
  return r;
}

}  // namespace ledger::http::api

namespace ledger::http {

std::vector<Route> AdminRoutes(ApiDeps& deps) {
  std::vector<Route> routes;
  for (auto area : {AccountRoutes, OrganisationRoutes, ServiceRoutes, OfferRoutes, PaymentRoutes, ReportRoutes,
                    BulkRoutes, OpenApiRoutes}) {
    std::vector<Route> more = area(deps);
    routes.insert(routes.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return routes;
}

}  // namespace ledger::http
