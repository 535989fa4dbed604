// GET /api/v1/openapi.json: the OpenAPI 3.1 document of the API routes the
// Context serves, built on each call from its route table, the RouteDocs kept
// beside each area's routes, and the descriptions of the bodies (bodies.h).
#include <boost/json/parse.hpp>

#include <cctype>
#include <initializer_list>
#include <iterator>
#include <map>
#include <stdexcept>
#include <utility>

#include "admin_support.h"
#include "bodies.h"
#include "ledger/http/builtin_bodies.h"

namespace ledger::http {
namespace api {

// Documentation of the routes of the session, claims, events and tree areas
// (their handlers live in builtin_routes.cc, claims_routes.cc, events_routes.cc
// and tree_routes.cc).
namespace {

RouteDocs SessionRouteDocs() {
  namespace hb = http::bodies;
  return {
      {"POST", "/api/v1/session", "session", "Sign in: a bearer token and a session cookie", "SignIn", 201,
       SchemaOf<hb::Session>},
      {"DELETE", "/api/v1/session", "session", "Sign out", "", 204},
      {"GET", "/api/v1/me", "session", "Who I am: organisation, roles and permissions", "", 200, SchemaOf<hb::Me>},
      {"GET", "/healthz", "operations", "Liveness, and the log's start-up check (503 when it failed)", "", 200,
       SchemaOf<hb::Health>},
      {"GET",
       "/metrics",
       "operations",
       "Prometheus metrics",
       "",
       200,
       nullptr,
       {},
       "text/plain; version=0.0.4; charset=utf-8"},
  };
}

RouteDocs ClaimRouteDocs() {
  namespace b = api::bodies;
  const std::string claim = "/api/v1/claims/{id}";
  const QueryDoc cursor{"cursor", "the next_cursor of the previous page"};
  return {
      {"POST", "/api/v1/claims", "claims", "Create a claim draft", "ClaimDraft", 201, SchemaOf<b::Claim>},
      {"GET",
       "/api/v1/claims",
       "claims",
       "Claims I may see, newest period first",
       "",
       200,
       SchemaOf<b::ClaimPage>,
       {{"status", "a claim status, by name (Awaiting Tier 2 Approval) or in snake_case (awaiting_tier_2_approval)"},
        {"service", "a service id"},
        {"period", "a period: 2026-10, 2026-Q3 or 2026/27"},
        cursor,
        {"limit", "at most this many claims (1 to 1000, default 100)", true}}},
      {"GET", claim, "claims", "One claim (ETag: its version), with the actions the caller may take now", "", 200,
       SchemaOf<b::Claim>},
      {"PUT", claim, "claims", "Edit a draft's values and answers", "ClaimEdit", 200, SchemaOf<b::Claim>},
      {"DELETE", claim, "claims", "Delete a draft", "", 204},
      {"GET", claim + "/history", "claims", "The claim's audit trail", "", 200, SchemaOf<b::AuditPage>, {cursor}},
      {"GET", claim + "/proof", "claims",
       "The claim's events with their inclusion proofs in the current signed tree head (docs/auditing.md)", "", 200,
       SchemaOf<b::ClaimProof>},
      {"PUT",
       claim + "/evidence",
       "claims",
       "Attach evidence (raw body or multipart, at most 10 MiB; PDF, PNG, JPEG, CSV, XLSX, DOCX or plain text, by "
       "content)",
       "evidence",
       200,
       SchemaOf<b::Claim>,
       {{"filename", "the file's name when the body is the raw file"}}},
      {"GET",
       claim + "/evidence/{sha256}",
       "claims",
       "Download one piece of evidence, as its own media type",
       "",
       200,
       nullptr,
       {},
       "*/*"},
      {"DELETE", claim + "/evidence/{sha256}", "claims", "Remove one piece of evidence", "", 200, SchemaOf<b::Claim>},
      {"POST", claim + "/submit", "claims", "Submit (422 with every error when invalid; the attempt is recorded)", "",
       200, SchemaOf<b::Claim>},
      {"POST", claim + "/approve", "claims",
       "Approve at the tier the claim waits for (a body naming the tier is optional)", "Approval", 200,
       SchemaOf<b::Claim>},
      {"POST", claim + "/reject", "claims", "Reject with a coded reason", "Rejection", 200, SchemaOf<b::Claim>},
      {"POST", claim + "/return", "claims", "Return for amendment", "Return", 200, SchemaOf<b::Claim>},
      {"POST", claim + "/withdraw", "claims", "Withdraw", "OptionalReason", 200, SchemaOf<b::Claim>},
      {"POST", claim + "/hold", "claims", "Hold payment", "Reason", 200, SchemaOf<b::Claim>},
      {"POST", claim + "/release", "claims", "Release a held payment", "", 200, SchemaOf<b::Claim>},
      {"POST", claim + "/provider-approve", "claims", "Approve for the practice (multi-level providers)", "", 200,
       SchemaOf<b::Claim>},
      {"POST", claim + "/provider-return", "claims", "Return within the practice", "Reason", 200, SchemaOf<b::Claim>},
      {"GET",
       "/api/v1/worklist",
       "claims",
       "What is waiting for me, per role",
       "",
       200,
       SchemaOf<b::Worklists>,
       {{"role", "only this worklist (then ?cursor= pages it)"}, cursor}},
  };
}

RouteDocs LedgerRouteDocs() {
  namespace b = api::bodies;
  return {
      {"GET",
       "/api/v1/events",
       "events",
       "The event log as JSON",
       "",
       200,
       SchemaOf<b::EventPage>,
       {{"from", "the first position (default 1)", true}, {"limit", "at most this many events (default 100)", true}}},
      {"GET",
       "/api/v1/events/stream",
       "events",
       "Live tail as Server-Sent Events (Last-Event-ID resumes)",
       "",
       200,
       nullptr,
       {},
       "text/event-stream"},
      {"GET", "/api/v1/verify", "events", "Head position and hash, chain check", "", 200, SchemaOf<b::Verify>},
      {"GET", "/api/v1/ledger/public-key", "ledger", "The Ed25519 key tree heads are signed with (public)", "", 200,
       SchemaOf<b::PublicKey>},
      {"GET", "/api/v1/ledger/heads", "ledger", "The signed head of the log's Merkle tree (RFC 9162)", "", 200,
       SchemaOf<b::SignedTreeHead>},
      {"GET",
       "/api/v1/ledger/proofs/inclusion",
       "ledger",
       "Inclusion proof of one event in a tree",
       "",
       200,
       SchemaOf<b::InclusionProof>,
       {{"position", "the event's position", true}, {"size", "the tree's size (default: the current tree)", true}}},
      {"GET",
       "/api/v1/ledger/proofs/consistency",
       "ledger",
       "Consistency proof that a later tree extends an earlier one",
       "",
       200,
       SchemaOf<b::ConsistencyProof>,
       {{"from", "the earlier tree's size", true}, {"to", "the later tree's size (default: the current tree)", true}}},
  };
}

}  // namespace

RouteDocs CoreRouteDocs() {
  RouteDocs docs = SessionRouteDocs();
  for (auto area : {ClaimRouteDocs, LedgerRouteDocs}) {
    RouteDocs more = area();
    docs.insert(docs.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return docs;
}

RouteDocs OpenApiRouteDocs() {
  return {{"GET", "/api/v1/openapi.json", "operations", "This document (OpenAPI 3.1)", "", 200}};
}

namespace {

std::string Key(std::string_view method, std::string_view pattern) {
  return std::string(method) + " " + std::string(pattern);
}

const std::map<std::string, RouteDoc>& AllDocs() {
  static const std::map<std::string, RouteDoc> kDocs = [] {
    std::map<std::string, RouteDoc> docs;
    for (auto area : {CoreRouteDocs, AccountRouteDocs, OrganisationRouteDocs, ServiceRouteDocs, OfferRouteDocs,
                      PaymentRouteDocs, ReportRouteDocs, BulkRouteDocs, OpenApiRouteDocs})
      for (RouteDoc& d : area()) docs.emplace(Key(d.method, d.pattern), std::move(d));
    return docs;
  }();
  return kDocs;
}

// The routes the document describes: the API, health and metrics. Portal
// pages are described in docs/portal.md.
bool InDocument(const Route& route) {
  return route.pattern.starts_with("/api/") || route.pattern == "/healthz" || route.pattern == "/metrics";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "get /api/v1/claims/{id}/history" -> "getClaimsIdHistory".
std::string OperationId(const Route& route) {
  std::string id = Lower(route.method);
  std::string_view pattern = route.pattern;
  if (pattern.starts_with("/api/v1")) pattern.remove_prefix(7);
  bool upper = true;
  for (char c : pattern) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    id.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return id;
}

boost::json::object Param(std::string_view name, std::string_view in, bool required, boost::json::object schema,
                          std::string_view description) {
  return {{"name", name}, {"in", in}, {"required", required}, {"description", description}, {"schema", schema}};
}

boost::json::array Parameters(const Route& route, const RouteDoc& doc) {
  boost::json::array params;
  size_t at = 0;
  while ((at = route.pattern.find('{', at)) != std::string::npos) {
    size_t end = route.pattern.find('}', at);
    std::string name = route.pattern.substr(at + 1, end - at - 1);
    params.push_back(Param(name, "path", true, {{"type", "string"}}, "the " + name + " of the resource"));
    at = end;
  }
  for (const QueryDoc& q : doc.query) {
    params.push_back(Param(q.name, "query", false,
                           q.integer ? boost::json::object{{"type", "integer"}, {"minimum", 0}}
                                     : boost::json::object{{"type", "string"}},
                           q.description));
  }
  if (!doc.media.empty() && doc.response != nullptr) {
    params.push_back(Param("format", "query", false, {{"enum", {"json", "csv"}}}, "csv for a spreadsheet"));
  }
  if (route.method == "GET") {
    params.push_back(Param("If-None-Match", "header", false, {{"type", "string"}},
                           "an ETag from an earlier answer: 304 when it is still current"));
  } else if (route.pattern != "/api/v1/session") {
    params.push_back(Param("Idempotency-Key", "header", false, {{"type", "string"}, {"maxLength", 200}},
                           "a retry with the same key replays the first answer and changes nothing"));
    if (route.pattern.find('{') != std::string::npos) {
      params.push_back(Param("If-Match", "header", false, {{"type", "string"}},
                             "the ETag the change was made against: 412 when the resource has changed since"));
    }
  }
  return params;
}

// The request bodies, read by their descriptions (wire::Read), by the name a
// RouteDoc gives them.
const std::map<std::string, SchemaFn, std::less<>>& DescribedRequests() {
  namespace b = api::bodies;
  static const std::map<std::string, SchemaFn, std::less<>> kRequests{
      {"SignIn", SchemaOf<http::bodies::SignIn>},
      {"Reason", SchemaOf<b::Reason>},
      {"OptionalReason", SchemaOf<b::OptionalReason>},
      {"Approval", SchemaOf<b::Approval>},
      {"Return", SchemaOf<b::Return>},
      {"Rejection", SchemaOf<b::Rejection>},
      {"Share", SchemaOf<b::ShareRequest>},
      {"PaymentRunRequest", SchemaOf<b::PaymentRunRequest>},
      {"PaidRequest", SchemaOf<b::PaidRequest>},
      {"ListSize", SchemaOf<b::ListSizeRequest>},
      {"FinanceSettings", SchemaOf<b::FinanceSettings>},
      {"OfferRequest", SchemaOf<b::OfferRequest>},
      {"ClaimDraft", SchemaOf<b::ClaimDraft>},
      {"ClaimEdit", SchemaOf<b::ClaimEdit>},
      {"AccountRequest", SchemaOf<b::AccountRequest>},
      {"Roles", SchemaOf<b::Roles>},
      {"OptionalRoles", SchemaOf<b::OptionalRoles>},
      {"Commissioner", SchemaOf<b::Commissioner>},
      {"Provider", SchemaOf<b::Provider>},
      {"ProviderSettings", SchemaOf<b::ProviderSettings>},
      {"NewService", SchemaOf<b::NewService>},
      {"ServiceDefinition", SchemaOf<b::ServiceDefinition>},
      {"Tariff", SchemaOf<b::Tariff>},
  };
  return kRequests;
}

boost::json::object RequestBody(const RouteDoc& doc, wire::Schemas& schemas) {
  if (doc.request == "csv") {
    return {{"required", true}, {"content", {{"text/csv", {{"schema", {{"type", "string"}}}}}}}};
  }
  if (doc.request == "evidence") {
    boost::json::object binary{{"type", "string"}, {"format", "binary"}};
    boost::json::object form{{"type", "object"},
                             {"required", boost::json::array{"file"}},
                             {"properties", boost::json::object{{"file", binary}}}};
    boost::json::object content;
    content["*/*"] = boost::json::object{{"schema", binary}};
    content["multipart/form-data"] = boost::json::object{{"schema", std::move(form)}};
    return {{"required", true},
            {"description", "the file itself (its type is read from its content), or a form with a `file` part"},
            {"content", std::move(content)}};
  }
  boost::json::object schema;
  bool required = true;
  if (auto it = DescribedRequests().find(doc.request); it != DescribedRequests().end()) {
    schema = it->second(schemas);
    required = schemas.named().at(doc.request).contains("required");
  } else {
    throw std::logic_error("no described request body " + doc.request);
  }
  // A body whose members are all optional may be left out.
  return {{"required", required}, {"content", {{"application/json", {{"schema", std::move(schema)}}}}}};
}

boost::json::object Header(std::string_view description) {
  return {{"description", description}, {"schema", {{"type", "string"}}}};
}

boost::json::object Responses(const Route& route, const RouteDoc& doc, wire::Schemas& schemas) {
  boost::json::object responses;
  boost::json::object success{{"description", doc.success == 204 ? "Done; nothing to return" : doc.summary}};
  boost::json::object content;
  if (doc.response != nullptr) content["application/json"] = {{"schema", doc.response(schemas)}};
  if (!doc.media.empty()) {
    boost::json::object schema{{"type", "string"}};
    if (doc.media == "*/*") schema["format"] = "binary";
    content[doc.media] = {{"schema", std::move(schema)}};
  }
  if (!content.empty()) success["content"] = std::move(content);
  boost::json::object headers;
  const bool api_get = route.method == "GET" && route.pattern.starts_with("/api/") && doc.media != "text/event-stream";
  if (api_get) headers["ETag"] = Header("the version of what was sent; give it as If-None-Match");
  if (route.method != "GET" && route.pattern.find('{') != std::string::npos && doc.success != 204) {
    headers["ETag"] = Header("the resource's version now; give it as If-Match");
  }
  if (doc.success == 201) headers["Location"] = Header("the new resource");
  if (!headers.empty()) success["headers"] = std::move(headers);
  responses[std::to_string(doc.success)] = std::move(success);
  if (api_get) responses["304"] = {{"description", "Not modified: the If-None-Match ETag is current"}};
  auto problem = [](int status) {
    return boost::json::object{{"$ref", "#/components/responses/Problem" + std::to_string(status)}};
  };
  responses["400"] = problem(400);
  if (route.access.kind != Access::Kind::kPublic) responses["401"] = problem(401);
  if (route.access.kind == Access::Kind::kAction) responses["403"] = problem(403);
  if (route.pattern.find('{') != std::string::npos) responses["404"] = problem(404);
  if (route.method != "GET") {
    responses["409"] = problem(409);
    if (route.pattern.find('{') != std::string::npos) responses["412"] = problem(412);
    responses["422"] = problem(422);
  }
  responses["429"] = problem(429);
  responses["default"] = {{"$ref", "#/components/responses/Problem"}};
  return responses;
}

std::string AccessText(const Access& access) {
  switch (access.kind) {
    case Access::Kind::kPublic: return "public";
    case Access::Kind::kSignedIn: return "signed_in";
    case Access::Kind::kAction: return std::string(core::ActionName(access.action));
  }
  return "signed_in";
}

// Throws std::logic_error for an API route without documentation, so a new
// route cannot be served undocumented (the tests build the document).
boost::json::object Operation(const Route& route, wire::Schemas& schemas) {
  const auto& docs = AllDocs();
  auto it = docs.find(Key(route.method, route.pattern));
  if (it == docs.end()) throw std::logic_error("no RouteDoc for " + Key(route.method, route.pattern));
  const RouteDoc& doc = it->second;
  boost::json::object op{{"operationId", OperationId(route)},
                         {"summary", doc.summary},
                         {"tags", boost::json::array{boost::json::value(doc.tag)}},
                         {"x-required-action", AccessText(route.access)}};
  boost::json::array params = Parameters(route, doc);
  if (!params.empty()) op["parameters"] = std::move(params);
  if (route.access.kind == Access::Kind::kPublic) {
    op["security"] = boost::json::array{};
  } else {
    op["security"] = boost::json::array{boost::json::object{{"bearer", boost::json::array{}}},
                                        boost::json::object{{"cookie", boost::json::array{}}}};
  }
  if (!doc.request.empty()) op["requestBody"] = RequestBody(doc, schemas);
  op["responses"] = Responses(route, doc, schemas);
  return op;
}

// components/responses: one problem answer per status the operations name.
boost::json::object ProblemResponses(wire::Schemas& schemas) {
  boost::json::object content{{"application/problem+json", {{"schema", schemas.Of<http::bodies::Problem>()}}}};
  boost::json::object out{{"Problem", {{"description", "A problem (RFC 9457)"}, {"content", content}}}};
  for (auto [status, text] : std::initializer_list<std::pair<int, std::string_view>>{
           {400, "The request is malformed: `errors` lists every field that is wrong; nothing was stored"},
           {401, "Not signed in, or the session has ended"},
           {403, "The caller's roles do not allow this"},
           {404, "No such resource, or not one the caller may see"},
           {409, "Refused by the rules, or a conflicting change won the race; nothing was stored"},
           {412, "If-Match names a version that is no longer current; nothing was stored"},
           {422, "The claim does not pass validation: `errors` lists every problem (the attempt is recorded)"},
           {429, "Too many attempts: Retry-After says when to try again"}}) {
    out["Problem" + std::to_string(status)] = {{"description", text}, {"content", content}};
  }
  return out;
}

boost::json::array Tags() {
  boost::json::array tags;
  for (auto [name, text] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"session", "Signing in and out"},
           {"claims", "Claims from draft to paid, and the worklists"},
           {"services", "Schemes: definitions, tariffs and shares"},
           {"offers", "Offering services to providers"},
           {"organisations", "Commissioners, providers and list sizes"},
           {"accounts", "Accounts and their roles"},
           {"payments", "Payment runs and statements"},
           {"reports", "Finance reports"},
           {"events", "The event log"},
           {"ledger", "Signed tree heads and proofs"},
           {"operations", "Health, metrics and this document"}}) {
    tags.push_back({{"name", name}, {"description", text}});
  }
  return tags;
}

}  // namespace
}  // namespace api

boost::json::object OpenApiDocument(const std::vector<Route>& routes) {
  boost::json::object paths;
  wire::Schemas schemas;
  for (const Route& route : routes) {
    if (!api::InDocument(route)) continue;
    boost::json::value& item = paths[route.pattern];
    if (!item.is_object()) item = boost::json::object{};
    item.as_object()[api::Lower(route.method)] = api::Operation(route, schemas);
  }
  boost::json::object responses = api::ProblemResponses(schemas);
  boost::json::object named = schemas.Components();
  boost::json::object components{{"schemas", std::move(named)},
                                 {"responses", std::move(responses)},
                                 {"securitySchemes",
                                  {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
                                   {"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "ledger_session"}}}}}};
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "Claims ledger API"},
            {"version", "1"},
            {"license", {{"name", "Proprietary"}, {"identifier", "LicenseRef-Proprietary"}}},
            {"description",
             "Claims for NHS local incentive schemes. Errors are RFC 9457 problems whose `type` is a page that "
             "explains them; money is integer pence beside a decimal string of pounds; times are ISO 8601 UTC. "
             "Changes accept Idempotency-Key, and If-Match on an existing resource; every GET has an ETag and "
             "answers If-None-Match with 304."}}},
          {"servers", {{{"url", "/"}, {"description", "this server"}}}},
          {"tags", api::Tags()},
          {"paths", std::move(paths)},
          {"components", std::move(components)}};
}

std::vector<Route> OpenApiRoutes(ApiDeps&) {
  return {
      {"GET", "/api/v1/openapi.json", Access::Public(),
       [](Call& call) {
         Response r = Response::Json(200, OpenApiDocument(call.context().routes()));
         r.Set("Cache-Control", "no-cache");
         return r;
       }},
  };
}

}  // namespace ledger::http
