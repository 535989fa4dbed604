// What the administration, service, offer, payment, report and bulk routes
// share: route binding, running one command and answering with the resource,
// role names, report tables as JSON rows, and the per-route documentation the
// OpenAPI document is built from.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api_support.h"
#include "ledger/core/domain.h"
#include "ledger/http/api.h"
#include "ledger/http/json_input.h"
#include "ledger/http/router.h"
#include "ledger/http/wire.h"
#include "ledger/projections/reports.h"
#include "ledger/projections/table.h"

namespace ledger::http::api {

// The schema of a body in the document being built (SchemaOf<T>: T's).
using SchemaFn = boost::json::object (*)(wire::Schemas&);
template <typename T>
boost::json::object SchemaOf(wire::Schemas& schemas) {
  return schemas.Of<T>();
}

// A query parameter a route reads (a string unless `integer`).
struct QueryDoc {
  std::string name;
  std::string description;
  bool integer = false;
};

// One route's documentation, kept beside the route in its area's file.
struct RouteDoc {
  std::string method;
  std::string pattern;
  std::string tag;              // "accounts", "services", ...
  std::string summary;          // one line
  std::string request;          // the request body: a described body's kSchemaName (openapi.cc lists them), "csv"
                                // for text/csv, "evidence" for a file, "" for none
  int success = 200;            // the status of a successful answer
  SchemaFn response = nullptr;  // its JSON body (nullptr: none, or `media` says what)
  std::vector<QueryDoc> query = {};
  // The media type of a successful answer that is not JSON: "text/csv",
  // "text/event-stream", "*/*" (a file as its own type); with a JSON `response`,
  // "text/csv" means either, by ?format=.
  std::string media = "";
};
using RouteDocs = std::vector<RouteDoc>;

RouteDocs AccountRouteDocs();
RouteDocs OrganisationRouteDocs();
RouteDocs ServiceRouteDocs();
RouteDocs OfferRouteDocs();
RouteDocs PaymentRouteDocs();
RouteDocs ReportRouteDocs();
RouteDocs BulkRouteDocs();
RouteDocs OpenApiRouteDocs();

using AreaHandler = Response (*)(Call&, ApiDeps&);
inline Handler Bind(ApiDeps& deps, AreaHandler fn) {
  return [fn, &deps](Call& call) { return fn(call, deps); };
}

// Runs `command` as the caller (Idempotency-Key and If-Match on `stream_id`
// at `current_version` honoured). `read`: the state of `stream_id` the route
// has just read at `current_version` (monostate: none), which the command
// then does not read again. On success returns nullopt and sets *executed;
// otherwise the answer to send.
std::optional<Response> Execute(Call& call, ApiDeps& deps, const std::string& stream_id, uint64_t current_version,
                                const core::Command& command, app::Executed* executed = nullptr,
                                core::AggregateState read = {});

// Where a route reads the state it answers with. A GET or HEAD shows it from
// the read model of states (one read, never the log; Execute waited for the
// caller's own writes to reach it). A write folds the stream itself, because
// its command decides on that state and appends after its version.
enum class ReadFrom { kReadModel, kLog };
ReadFrom ReadFromFor(const Call& call);
// The state and version of `stream_id` from `from` (version 0: no such stream).
es::Result<core::LoadedStream> ReadStreamState(ApiDeps& deps, const std::string& stream_id, ReadFrom from);

// A stream's state, or the answer: 404 when it does not exist or `exists`
// says the state is empty.
template <typename State>
std::optional<State> LoadState(ApiDeps& deps, const std::string& stream_id, uint64_t* version, Response* answer,
                               std::function<bool(const State&)> exists, ReadFrom from = ReadFrom::kLog) {
  auto loaded = ReadStreamState(deps, stream_id, from);
  if (!loaded.ok()) {
    *answer = ProblemResponse(loaded.status());
    return std::nullopt;
  }
  const State* state = std::get_if<State>(&loaded->state);
  if (loaded->version == 0 || state == nullptr || !exists(*state)) {
    *answer = NotFound();
    return std::nullopt;
  }
  if (version != nullptr) *version = loaded->version;
  return *state;
}

// The state of `stream_id` after a command: as the command left it
// (Executed::state), read again only when it carries none (a repeated command
// id answered from the log). 404 answer when `exists` says it is empty.
template <typename State>
std::optional<State> StateAfter(ApiDeps& deps, const app::Executed& executed, const std::string& stream_id,
                                uint64_t* version, Response* answer, std::function<bool(const State&)> exists) {
  const core::LoadedStream* now = executed.StateOf(stream_id);
  const State* state = now == nullptr ? nullptr : std::get_if<State>(&now->state);
  if (state == nullptr) return LoadState<State>(deps, stream_id, version, answer, std::move(exists));
  if (now->version == 0 || !exists(*state)) {
    *answer = NotFound();
    return std::nullopt;
  }
  if (version != nullptr) *version = now->version;
  return *state;
}

// A JSON answer with the stream version as ETag.
Response VersionedJson(int status, boost::json::object body, uint64_t version);

// The roles of a list of role names a request body's description has checked
// (bodies::RolesNote); a name that is no role is left out.
core::RoleSet RolesNamed(const std::vector<std::string>& names);
boost::json::array RoleNames(const core::RoleSet& roles);

// A 400 naming one bad query parameter.
Response BadQueryParameter(const std::string& name, std::string message);

// The commissioner whose records a list shows the caller: their own (a
// commissioner's staff: theirs; a provider: its commissioner's), or for an
// operator the one named by ?commissioner=. nullopt with *commissioner set;
// otherwise the 400 answer (an operator named none).
std::optional<Response> ListCommissioner(Call& call, std::string* commissioner);

// Runs a projection report for `scope` (a commissioner, or a provider for
// provider reports) and returns its rows as objects keyed by column name
// (money as "12.34" strings, integers as numbers), or the store problem.
std::optional<Response> ReportRows(ApiDeps& deps, std::string_view report, const projections::ReportParams& params,
                                   boost::json::array* rows);

// A report table as JSON (format "" or "json") or CSV ("csv", as an
// attachment named <report>.csv); 400 for any other format.
Response TableResponse(const projections::Table& table, const std::string& format);

}  // namespace ledger::http::api

namespace ledger::http {

std::vector<Route> AccountRoutes(ApiDeps& deps);
std::vector<Route> OrganisationRoutes(ApiDeps& deps);
std::vector<Route> ServiceRoutes(ApiDeps& deps);
std::vector<Route> OfferRoutes(ApiDeps& deps);
std::vector<Route> PaymentRoutes(ApiDeps& deps);
std::vector<Route> ReportRoutes(ApiDeps& deps);
std::vector<Route> BulkRoutes(ApiDeps& deps);
// GET /api/v1/openapi.json, built from the Context's route table on each call.
std::vector<Route> OpenApiRoutes(ApiDeps& deps);
// Every route above, in that order.
std::vector<Route> AdminRoutes(ApiDeps& deps);

// The OpenAPI 3.1 document of every route in `routes`, with the summaries and
// schemas of the RouteDocs (undocumented routes get summary "Undocumented").
boost::json::object OpenApiDocument(const std::vector<Route>& routes);

}  // namespace ledger::http
