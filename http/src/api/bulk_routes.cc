// Bulk upload: POST /api/v1/claims/bulk with a CSV body in the format of
// `ledger import-claims` (docs/cli.md). Every row is checked by the shared
// importer (app::PlanClaimImport); all valid -> every draft (and, with
// ?submit=true, its submission) in ONE atomic append; any row invalid ->
// nothing stored and a 422 listing every row's problems.
#include "admin_support.h"
#include "bodies.h"
#include "ledger/app/claim_import.h"
#include "ledger/http/auth.h"
#include "ledger/http/problem.h"

namespace ledger::http {
namespace {

using core::Action;

constexpr std::size_t kBulkLimit = 5 * kMiB;

bool IsCsvType(const std::string& media_type) {
  return media_type == "text/csv" || media_type == "application/csv" || media_type == "text/plain";
}

// 413 for a file of more than app::kMaxImportRows rows: refused before any row is decided.
Response TooManyRows(const app::ClaimImportError& error) {
  Problem p = problems::PayloadTooLarge(kBulkLimit);
  p.detail = "A file may hold at most " + std::to_string(app::kMaxImportRows) +
             " claim rows; nothing was stored. Split the file and upload each part.";
  p.code = "too_many_rows";
  p.errors.push_back({"line " + std::to_string(error.line), "too_many_rows", error.message});
  return ToResponse(p);
}

Response RowErrors(const std::vector<app::ClaimImportError>& errors) {
  Problem p;
  p.status = 422;
  p.type = "/problems/bulk-upload-invalid";
  p.title = "The file has errors";
  p.detail = std::to_string(errors.size()) +
             " problem(s) in the file; nothing was stored. Correct every row listed "
             "and upload the whole file again.";
  p.code = "bulk_upload_invalid";
  for (const app::ClaimImportError& e : errors) {
    std::string path = "line " + std::to_string(e.line);
    if (!e.column.empty()) path += ", column " + e.column;
    // A row whose provider/service/period another claim holds says so by code
    // (the message names that claim).
    p.errors.push_back({path, e.existing_claim_id.empty() ? "invalid_row" : "duplicate_claim", e.message});
  }
  return ToResponse(p);
}

// POST /api/v1/claims/bulk?submit=true|false (text/csv)
Response BulkUpload(Call& call, ApiDeps& deps) {
  if (!IsCsvType(call.request().MediaType())) return ToResponse(problems::UnsupportedMediaType("text/csv"));
  std::string submit_text = call.Query("submit");
  if (!submit_text.empty() && submit_text != "true" && submit_text != "false")
    return api::BadQueryParameter("submit", "Use true or false.");
  const bool submit = submit_text == "true";
  const std::string& username = call.principal().username;
  const std::string& csv = call.request().body;

  app::ClaimImportOptions options;
  options.actor = username;
  options.submit = submit;
  options.at = deps.ledger.Now();
  auto imported = deps.ledger.ImportClaims(csv, options);
  if (!imported.ok()) {
    if (imported.status().code() == es::Status::Code::kConflict)
      return ToResponse(problems::Conflict(
          "Some of these claims changed while the file was checked; nothing was stored. Upload the file again."));
    return ProblemResponse(imported.status());
  }
  const app::ClaimImportPlan& plan = imported->plan;
  if (plan.too_many_rows) return TooManyRows(plan.errors.front());
  if (!plan.errors.empty()) return RowErrors(plan.errors);

  boost::json::array ids;
  for (const std::string& id : plan.claim_ids) ids.emplace_back(id);
  boost::json::object body{{"count", static_cast<int64_t>(plan.claim_ids.size())},
                           {"created", plan.created},
                           {"unchanged", plan.unchanged},
                           {"submitted", submit},
                           {"claims", std::move(ids)}};
  if (!imported->appended) {  // every row is already stored as asked
    body["duplicate"] = true;
    return Response::Json(200, wire::Checked<api::bodies::BulkImport>(body));
  }
  const es::AppendResult& appended = *imported->appended;
  body["duplicate"] = appended.duplicate;
  body["first_position"] = appended.first_position;
  body["last_position"] = appended.last_position;
  return Response::Json(appended.duplicate ? 200 : 201, wire::Checked<api::bodies::BulkImport>(body));
}

}  // namespace

std::vector<Route> BulkRoutes(ApiDeps& deps) {
  return {
      {"POST", "/api/v1/claims/bulk", Access::For(Action::kPrepareClaim), api::Bind(deps, BulkUpload), kBulkLimit},
  };
}

namespace api {
RouteDocs BulkRouteDocs() {
  namespace b = api::bodies;
  return {
      {"POST",
       "/api/v1/claims/bulk",
       "claims",
       "Bulk upload (text/csv, the import-claims format, at most " + std::to_string(app::kMaxImportRows) +
           " rows): all rows stored in one append (?submit=true also submits them) or none, with every row's "
           "problem as \"line N, column C\"",
       "csv",
       201,
       api::SchemaOf<b::BulkImport>,
       {{"submit", "true: submit every claim too"}}},
  };
}
}  // namespace api

}  // namespace ledger::http
