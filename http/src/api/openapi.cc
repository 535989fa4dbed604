// GET /api/v1/openapi.json: the OpenAPI 3.1 document of every route the
// Context serves, built on each call from its route table, the RouteDocs kept
// beside each area's routes, and the request schemas below.
#include <boost/json/parse.hpp>

#include <cctype>
#include <map>

#include "admin_support.h"

namespace ledger::http {
namespace api {

// Documentation of the routes of the session, claims, events and tree areas
// (their handlers live in builtin_routes.cc, claims_routes.cc, events_routes.cc
// and tree_routes.cc).
RouteDocs CoreRouteDocs() {
  const std::string claim = "/api/v1/claims/{id}";
  return {
      {"POST", "/api/v1/session", "session", "Sign in: a bearer token and a session cookie", "SignIn", 201},
      {"DELETE", "/api/v1/session", "session", "Sign out", "", 204},
      {"GET", "/api/v1/me", "session", "Who I am: organisation, roles and permissions", "", 200},
      {"GET", "/healthz", "operations", "Liveness", "", 200},
      {"GET", "/metrics", "operations", "Prometheus metrics (text)", "", 200},
      {"GET", "/problems/{name}", "operations", "What a problem type means (HTML): the page each problem's type names",
       "", 200},
      {"POST", "/api/v1/claims", "claims", "Create a claim draft", "ClaimDraft", 201},
      {"GET", "/api/v1/claims", "claims", "Claims I may see (?status=, ?service=, ?period=, ?cursor=)", "", 200},
      {"GET", claim, "claims",
       "One claim (ETag: its version), with actions: the names of the claim actions the caller may take now (edit, "
       "attach_evidence, remove_evidence, delete_draft, submit, withdraw, approve, return, reject, hold_payment, "
       "release_payment, raise_adjustment)",
       "", 200},
      {"PUT", claim, "claims", "Edit a draft's values and answers (If-Match)", "ClaimEdit", 200},
      {"DELETE", claim, "claims", "Delete a draft", "", 204},
      {"GET", claim + "/history", "claims", "The claim's audit trail", "", 200},
      {"GET", claim + "/proof", "claims",
       "The claim's events with their inclusion proofs in the current signed tree head (docs/auditing.md)", "", 200},
      {"PUT", claim + "/evidence", "claims",
       "Attach evidence (raw body or multipart, at most 10 MiB; PDF, PNG, JPEG, CSV, XLSX, DOCX or plain text, by "
       "content)",
       "", 200},
      {"GET", claim + "/evidence/{sha256}", "claims", "Download one piece of evidence", "", 200},
      {"DELETE", claim + "/evidence/{sha256}", "claims", "Remove one piece of evidence", "", 200},
      {"POST", claim + "/submit", "claims", "Submit (422 with every error when invalid; the attempt is recorded)", "",
       200},
      {"POST", claim + "/approve", "claims", "Approve at the tier the claim waits for", "", 200},
      {"POST", claim + "/reject", "claims", "Reject with a coded reason", "ReasonAndCode", 200},
      {"POST", claim + "/return", "claims", "Return for amendment", "Reason", 200},
      {"POST", claim + "/withdraw", "claims", "Withdraw", "OptionalReason", 200},
      {"POST", claim + "/hold", "claims", "Hold payment", "Reason", 200},
      {"POST", claim + "/release", "claims", "Release a held payment", "", 200},
      {"POST", claim + "/provider-approve", "claims", "Approve for the practice (multi-level providers)", "", 200},
      {"POST", claim + "/provider-return", "claims", "Return within the practice", "Reason", 200},
      {"GET", "/api/v1/worklist", "claims", "What is waiting for me, per role", "", 200},
      {"GET", "/api/v1/events", "events", "The event log as JSON (?from=, ?limit=)", "", 200},
      {"GET", "/api/v1/events/stream", "events", "Live tail as Server-Sent Events (Last-Event-ID)", "", 200},
      {"GET", "/api/v1/verify", "events", "Head position and hash, chain check", "", 200},
      {"GET", "/api/v1/ledger/public-key", "ledger", "The Ed25519 key tree heads are signed with (public)", "", 200},
      {"GET", "/api/v1/ledger/heads", "ledger", "The signed head of the log's Merkle tree (RFC 9162)", "", 200},
      {"GET", "/api/v1/ledger/proofs/inclusion", "ledger",
       "Inclusion proof of the event at ?position= in the tree of ?size= events (default: the current tree)", "", 200},
      {"GET", "/api/v1/ledger/proofs/consistency", "ledger",
       "Consistency proof that the tree of ?to= events (default: the current tree) extends the tree of ?from=", "",
       200},
  };
}

RouteDocs OpenApiRouteDocs() {
  return {{"GET", "/api/v1/openapi.json", "operations", "This document (OpenAPI 3.1)", "", 200}};
}

namespace {

// Request body schemas by name (JSON Schema 2020-12, as OpenAPI 3.1 uses).
const char* kSchemas = R"({
  "Problem": {"type": "object", "description": "RFC 9457 problem details",
    "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
      "detail": {"type": "string"}, "code": {"type": "string"},
      "errors": {"type": "array", "items": {"type": "object", "properties": {"path": {"type": "string"},
        "code": {"type": "string"}, "message": {"type": "string"}}}}}},
  "SignIn": {"type": "object", "required": ["username", "password"], "additionalProperties": false,
    "properties": {"username": {"type": "string"}, "password": {"type": "string"}}},
  "ClaimDraft": {"type": "object", "required": ["service_id", "period"], "additionalProperties": false,
    "properties": {"service_id": {"type": "string"}, "period": {"type": "string"},
      "values": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
      "answers": {"type": "object", "additionalProperties": {"type": "string"}}}},
  "ClaimEdit": {"type": "object", "additionalProperties": false,
    "properties": {"values": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
      "answers": {"type": "object", "additionalProperties": {"type": "string"}}}},
  "Reason": {"type": "object", "required": ["reason"], "additionalProperties": false,
    "properties": {"reason": {"type": "string", "maxLength": 2000}}},
  "OptionalReason": {"type": "object", "additionalProperties": false,
    "properties": {"reason": {"type": "string", "maxLength": 2000}}},
  "ReasonAndCode": {"type": "object", "required": ["reason_code", "reason"], "additionalProperties": false,
    "properties": {"reason_code": {"type": "string"}, "reason": {"type": "string", "maxLength": 2000}}},
  "AccountRequest": {"type": "object", "additionalProperties": false,
    "required": ["username", "org_code", "full_name", "email", "roles", "password"],
    "properties": {"username": {"type": "string", "pattern": "^[a-z0-9._-]{1,64}$"}, "org_code": {"type": "string"},
      "full_name": {"type": "string"}, "email": {"type": "string"},
      "roles": {"type": "array", "items": {"$ref": "#/components/schemas/Role"}},
      "password": {"type": "string", "minLength": 12, "maxLength": 200}}},
  "Role": {"type": "string", "enum": ["operator", "commissioner_admin", "tier1", "tier2", "finance", "auditor",
    "provider_admin", "provider_user", "provider_approver"]},
  "Roles": {"type": "object", "required": ["roles"], "additionalProperties": false,
    "properties": {"roles": {"type": "array", "items": {"$ref": "#/components/schemas/Role"}}}},
  "Commissioner": {"type": "object", "required": ["code", "name"], "additionalProperties": false,
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "postcode": {"type": "string"}}},
  "FinanceSettings": {"type": "object", "required": ["finance_threshold_pence", "uses_finance_role"],
    "additionalProperties": false, "properties": {"finance_threshold_pence": {"type": "integer", "minimum": 0},
      "uses_finance_role": {"type": "boolean"}}},
  "Provider": {"type": "object", "required": ["code", "name"], "additionalProperties": false,
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "postcode": {"type": "string"},
      "kind": {"enum": ["practice", "pcn", "federation"]}, "approval_mode": {"enum": ["single", "multi"]},
      "members": {"type": "array", "items": {"type": "string"}}, "commissioner_code": {"type": "string"}}},
  "ProviderSettings": {"type": "object", "required": ["approval_mode"], "additionalProperties": false,
    "properties": {"approval_mode": {"enum": ["single", "multi"]},
      "members": {"type": "array", "items": {"type": "string"}}}},
  "ListSize": {"type": "object", "required": ["effective_from", "patients"], "additionalProperties": false,
    "properties": {"effective_from": {"type": "string", "format": "date"}, "patients": {"type": "integer", "minimum": 0}}},
  "ServiceDefinition": {"type": "object", "additionalProperties": false,
    "required": ["code", "name", "frequency", "window_days", "start", "end", "components"],
    "properties": {"service_id": {"type": "string", "description": "creation only"}, "code": {"type": "string"},
      "name": {"type": "string"}, "description": {"type": "string"}, "category": {"enum": ["LES", "LIS"]},
      "frequency": {"enum": ["monthly", "quarterly", "annual", "one-off"]},
      "window_days": {"type": "integer", "minimum": 1}, "evidence_required": {"type": "boolean"},
      "start": {"type": "string", "format": "date"}, "end": {"type": "string", "format": "date"},
      "components": {"type": "array", "items": {"type": "object", "required": ["id", "name", "unit_kind", "max"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string"},
          "unit_kind": {"enum": ["count", "money", "yes_no", "percentage"]}, "min": {"type": "integer"},
          "max": {"type": "integer"}, "required": {"type": "boolean"}, "numerator_of": {"type": "string"}}}},
      "questions": {"type": "array", "items": {"type": "object", "required": ["id", "text"],
        "properties": {"id": {"type": "string"}, "text": {"type": "string"},
          "kind": {"enum": ["text", "number", "yes_no"]}, "required": {"type": "boolean"}}}}}},
  "Tariff": {"type": "object", "required": ["effective_from", "payment_type"], "additionalProperties": false,
    "properties": {"effective_from": {"type": "string", "format": "date"},
      "payment_type": {"enum": ["item_of_service", "population", "threshold", "participation"]},
      "unit_rates": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
      "population_basis": {"enum": ["per_patient", "per_thousand"]},
      "population_rate_pence": {"type": "integer", "minimum": 0},
      "numerator_component": {"type": "string"}, "denominator_component": {"type": "string"},
      "tiers": {"type": "array", "items": {"type": "object", "required": ["min_basis_points", "pence"],
        "properties": {"min_basis_points": {"type": "integer"}, "pence": {"type": "integer", "minimum": 0}}}},
      "participation_pence": {"type": "integer", "minimum": 0}}},
  "Share": {"type": "object", "required": ["with_commissioner"], "additionalProperties": false,
    "properties": {"with_commissioner": {"type": "string"}}},
  "OfferRequest": {"type": "object", "required": ["providers", "start", "end", "respond_by"],
    "additionalProperties": false, "properties": {"providers": {"type": "array", "items": {"type": "string"},
      "minItems": 1}, "start": {"type": "string", "format": "date"}, "end": {"type": "string", "format": "date"},
      "respond_by": {"type": "string", "format": "date"}}},
  "PaymentRunRequest": {"type": "object", "required": ["pay_date"], "additionalProperties": false,
    "properties": {"pay_date": {"type": "string", "format": "date"}, "run_id": {"type": "string"}}},
  "PaidRequest": {"type": "object", "additionalProperties": false,
    "properties": {"payment_reference": {"type": "string"}}}
})";

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

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string OperationId(const Route& route) {
  std::string id = Lower(route.method);
  for (char c : route.pattern) id.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return id;
}

boost::json::array PathParameters(const std::string& pattern) {
  boost::json::array params;
  size_t at = 0;
  while ((at = pattern.find('{', at)) != std::string::npos) {
    size_t end = pattern.find('}', at);
    params.push_back({{"name", pattern.substr(at + 1, end - at - 1)},
                      {"in", "path"},
                      {"required", true},
                      {"schema", {{"type", "string"}}}});
    at = end;
  }
  return params;
}

std::string AccessText(const Access& access) {
  switch (access.kind) {
    case Access::Kind::kPublic: return "public";
    case Access::Kind::kSignedIn: return "signed_in";
    case Access::Kind::kAction: return std::string(core::ActionName(access.action));
  }
  return "signed_in";
}

boost::json::object Operation(const Route& route) {
  const auto& docs = AllDocs();
  auto it = docs.find(Key(route.method, route.pattern));
  RouteDoc doc;
  if (it != docs.end()) {
    doc = it->second;
  } else if (!route.pattern.starts_with("/api/")) {
    doc = {route.method, route.pattern, "portal", "Portal page (HTML, cookie session)", "", 200};
  } else {
    doc = {route.method, route.pattern, "other", "Undocumented", "", 200};
  }
  boost::json::object op{{"operationId", OperationId(route)},
                         {"summary", doc.summary},
                         {"tags", boost::json::array{boost::json::value(doc.tag)}},
                         {"x-required-action", AccessText(route.access)}};
  boost::json::array params = PathParameters(route.pattern);
  if (route.method != "GET") {
    params.push_back({{"name", "Idempotency-Key"},
                      {"in", "header"},
                      {"required", false},
                      {"schema", {{"type", "string"}, {"maxLength", 200}}}});
    params.push_back({{"name", "If-Match"}, {"in", "header"}, {"required", false}, {"schema", {{"type", "string"}}}});
  }
  if (!params.empty()) op["parameters"] = std::move(params);
  if (route.access.kind == Access::Kind::kPublic) {
    op["security"] = boost::json::array{};
  } else {
    op["security"] = boost::json::array{boost::json::object{{"bearer", boost::json::array{}}},
                                        boost::json::object{{"cookie", boost::json::array{}}}};
  }
  if (doc.request == "csv") {
    op["requestBody"] = {{"required", true}, {"content", {{"text/csv", {{"schema", {{"type", "string"}}}}}}}};
  } else if (!doc.request.empty()) {
    op["requestBody"] = {{"required", true},
                         {"content",
                          {{"application/json", {{"schema", {{"$ref", "#/components/schemas/" + doc.request}}}}}}}};
  }
  boost::json::object responses;
  boost::json::object success{{"description", doc.success == 204 ? "No content" : "Success"}};
  if (doc.success != 204) success["content"] = {{"application/json", {{"schema", {{"type", "object"}}}}}};
  responses[std::to_string(doc.success)] = std::move(success);
  responses["default"] = {{"description", "A problem (RFC 9457)"},
                          {"content",
                           {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
  op["responses"] = std::move(responses);
  return op;
}

}  // namespace
}  // namespace api

boost::json::object OpenApiDocument(const std::vector<Route>& routes) {
  boost::json::object paths;
  for (const Route& route : routes) {
    boost::json::value& item = paths[route.pattern];
    if (!item.is_object()) item = boost::json::object{};
    item.as_object()[api::Lower(route.method)] = api::Operation(route);
  }
  boost::json::object components{{"schemas", boost::json::parse(api::kSchemas)},
                                 {"securitySchemes",
                                  {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
                                   {"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "ledger_session"}}}}}};
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "Claims ledger API"},
            {"version", "1"},
            {"description",
             "Claims for NHS local incentive schemes. Errors are RFC 9457 problems; state-changing requests accept "
             "Idempotency-Key and If-Match."}}},
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
