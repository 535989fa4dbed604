// Payment runs: a commissioner's Tier 2 or Finance creates a run of every
// approved, unheld claim (chosen from the claims projection at the log head
// stamped on the run), confirms it and marks it paid; runs are listed and
// read; providers read their statement.
#include <algorithm>
#include <cctype>

#include "admin_support.h"
#include "bodies.h"
#include "ledger/base/sha256.h"
#include "ledger/core/streams.h"
#include "ledger/eventstore/envelope.h"
#include "ledger/http/auth.h"
#include "ledger/http/problem.h"
#include "ledger/projections/claim_views.h"

namespace ledger::http {
namespace {

using core::Action;

boost::json::object RunJson(const core::PaymentRunState& r) {
  boost::json::array claims;
  for (const core::PaymentRunLine& line : r.claims)
    claims.push_back({{"claim_id", line.claim_id},
                      {"provider", line.provider},
                      {"amount_pence", line.amount},
                      {"amount", core::FormatPoundsPlain(line.amount)}});
  boost::json::object out{{"run_id", r.run_id},
                          {"commissioner", r.commissioner},
                          {"status", core::PaymentRunStatusName(r.status)},
                          {"pay_date", r.pay_date.ToString()},
                          {"total_pence", r.total},
                          {"total", core::FormatPoundsPlain(r.total)},
                          {"created_by", r.created_by},
                          {"claims", std::move(claims)}};
  if (!r.payment_reference.empty()) out["payment_reference"] = r.payment_reference;
  out["head_position"] = r.head_position;
  out["head_hash"] = r.head_hash;
  if (!(r.signed_head == core::CitedHead{})) out["signed_head"] = app::CitedHeadJson(r);
  return wire::Checked<api::bodies::PaymentRun>(out).as_object();
}

bool Exists(const core::PaymentRunState& r) { return r.status != core::PaymentRunStatus::kNone; }

std::optional<core::PaymentRunState> LoadRun(Call& call, ApiDeps& deps, uint64_t* version, Response* answer) {
  const std::string& id = call.Param("id");
  if (!core::IsValidId(id)) {
    *answer = api::NotFound();
    return std::nullopt;
  }
  auto run = api::LoadState<core::PaymentRunState>(deps, core::PaymentRunStream(id), version, answer, Exists,
                                                   api::ReadFromFor(call));
  if (!run) return std::nullopt;
  if (auto denied = call.AuthorizeScope({"", run->commissioner, ""})) {
    *answer = std::move(*denied);
    return std::nullopt;
  }
  return run;
}

// The run as the command left it.
Response RunNow(ApiDeps& deps, const app::Executed& executed, const std::string& id, int status = 200) {
  uint64_t version = 0;
  Response answer;
  auto run = api::StateAfter<core::PaymentRunState>(deps, executed, core::PaymentRunStream(id), &version, &answer,
                                                    Exists);
  if (!run) return answer;
  Response r = api::VersionedJson(status, RunJson(*run), version);
  if (status == 201) r.Set("Location", "/api/v1/payment-runs/" + id);
  return r;
}

std::vector<std::string> ClaimIds(const core::PaymentRunState& run) {
  std::vector<std::string> ids;
  for (const core::PaymentRunLine& line : run.claims) ids.push_back(line.claim_id);
  return ids;
}

// Every claim of the commissioner approved for payment and not held, as the
// projections show them at (or after) `position`.
std::optional<Response> PayableClaims(ApiDeps& deps, const std::string& commissioner, std::vector<std::string>* ids) {
  projections::ClaimQuery q;
  q.commissioner = commissioner;
  q.status = core::ClaimStatus::kApprovedForPayment;
  q.limit = 1000;
  do {
    auto page = deps.ledger.ListClaims(q);
    if (!page.ok()) return ProblemResponse(page.status());
    for (const projections::ClaimView& c : page->claims) ids->push_back(c.claim_id);
    q.cursor = page->next_cursor;
  } while (!q.cursor.empty());
  return std::nullopt;
}

// POST /api/v1/payment-runs {pay_date, run_id?}
Response CreateRun(Call& call, ApiDeps& deps) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  auto body = wire::Read<api::bodies::PaymentRunRequest>(in.body());
  core::Date pay_date = core::Date::Parse(body.pay_date).value_or(core::Date{});
  const std::optional<std::string>& run_id = body.run_id;
  if (run_id && !core::IsValidId(*run_id)) in.Fail("run_id", "invalid", "Use letters, digits, '.', '_' or '-'.");
  if (auto bad = in.Finish()) return *bad;

  core::CreatePaymentRun command;
  command.commissioner = call.principal().org_code;
  command.pay_date = pay_date;
  if (es::Status cited = deps.ledger.CiteHead(&command); !cited.ok()) return ProblemResponse(cited);
  (void)deps.ledger.WaitForProjections(command.head_position);
  if (auto bad = PayableClaims(deps, command.commissioner, &command.claim_ids)) return *bad;

  api::CommandSetup setup;
  if (auto bad = api::Prepare(call, deps, "", 0, &setup)) return *bad;
  setup.options.precondition.reset();
  // Derived from the command id, so a retry with the same Idempotency-Key names the same run.
  const std::string id = run_id.value_or(command.commissioner + "-" + pay_date.ToString() + "-" +
                                         setup.meta.command_id.substr(0, 8));
  command.run_id = id;
  auto outcome = api::Run(deps, command, setup);
  if (auto* answer = std::get_if<Response>(&outcome)) return std::move(*answer);
  return RunNow(deps, std::get<app::Executed>(outcome), id, 201);
}

// GET /api/v1/payment-runs: the commissioner's runs, newest last.
Response ListRuns(Call& call, ApiDeps& deps) {
  projections::ReportParams params;
  if (auto bad = api::ListCommissioner(call, &params.scope)) return *bad;
  boost::json::array runs;
  if (auto bad = api::ReportRows(deps, "payment_runs", params, &runs)) return *bad;
  return Response::Json(200,
                        wire::Checked<api::bodies::PaymentRunList>(
                            boost::json::object{{"commissioner", params.scope}, {"payment_runs", std::move(runs)}}));
}

Response GetRun(Call& call, ApiDeps& deps) {
  uint64_t version = 0;
  Response answer;
  auto run = LoadRun(call, deps, &version, &answer);
  if (!run) return answer;
  return api::VersionedJson(200, RunJson(*run), version);
}

// POST /api/v1/payment-runs/{id}/confirm
Response ConfirmRun(Call& call, ApiDeps& deps) {
  uint64_t version = 0;
  Response answer;
  auto run = LoadRun(call, deps, &version, &answer);
  if (!run) return answer;
  app::Executed executed;
  if (auto failed = api::Execute(call, deps, core::PaymentRunStream(run->run_id), version,
                                 core::ConfirmPaymentRun{run->run_id, ClaimIds(*run)}, &executed, *run))
    return *failed;
  return RunNow(deps, executed, run->run_id);
}

}  // namespace

namespace api {
// "PAY-" and 16 upper-case hex digits of SHA-256 over the run id and its claim
// ids: the same run always gets the same remittance reference.
std::string PaymentReference(const std::string& run_id, const std::vector<std::string>& claim_ids) {
  std::string text = run_id;
  for (const std::string& id : claim_ids) text += "\n" + id;
  std::string hex = base::Sha256Hex(text).substr(0, 16);
  std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return std::toupper(c); });
  return "PAY-" + hex;
}
}  // namespace api

namespace {

// POST /api/v1/payment-runs/{id}/paid {payment_reference?}
Response MarkPaid(Call& call, ApiDeps& deps) {
  std::optional<std::string> reference;
  if (!call.request().body.empty()) {
    JsonInput in(call.request());
    if (auto bad = in.Open()) return *bad;
    reference = wire::Read<api::bodies::PaidRequest>(in.body()).payment_reference;
    if (auto bad = in.Finish()) return *bad;
  }
  uint64_t version = 0;
  Response answer;
  auto run = LoadRun(call, deps, &version, &answer);
  if (!run) return answer;
  std::vector<std::string> ids = ClaimIds(*run);
  if (!reference) reference = api::PaymentReference(run->run_id, ids);
  app::Executed executed;
  if (auto failed = api::Execute(call, deps, core::PaymentRunStream(run->run_id), version,
                                 core::MarkPaymentRunPaid{run->run_id, ids, *reference}, &executed, *run))
    return *failed;
  return RunNow(deps, executed, run->run_id);
}

// GET /api/v1/statement?provider=&format=: a provider's claimed, approved,
// held and paid claims. Providers see their own; their commissioner's Tier 2,
// Finance and auditors name ?provider=.
Response Statement(Call& call, ApiDeps& deps) {
  const core::Principal& who = call.principal();
  std::string provider = core::IsProvider(who.org_kind) ? who.org_code : call.Query("provider");
  if (provider.empty()) return api::BadQueryParameter("provider", "Name a provider.");
  if (!core::IsValidId(provider)) return api::NotFound();
  Response answer;
  auto org = api::LoadState<core::OrgState>(
      deps, core::OrgStream(provider), nullptr, &answer,
      [](const core::OrgState& o) { return o.exists && core::IsProvider(o.kind); }, api::ReadFrom::kReadModel);
  if (!org) return answer;
  if (auto denied = call.AuthorizeScope({provider, org->commissioner_code, ""})) return *denied;
  projections::ReportParams params;
  params.scope = provider;
  for (const char* filter : {"service", "period_from", "period_to", "status"})
    if (std::string v = call.Query(filter); !v.empty()) params.filters[filter] = v;
  auto table = deps.ledger.RunReport("statement", params);
  if (!table.ok()) {
    if (table.status().code() == es::Status::Code::kInvalid)
      return api::BadQueryParameter("period_from", "Check the filters: periods such as 2026-10, 2026-Q3 or 2026/27.");
    return ProblemResponse(table.status());
  }
  return api::TableResponse(*table, call.Query("format"));
}

}  // namespace

std::vector<Route> PaymentRoutes(ApiDeps& deps) {
  using api::Bind;
  const std::string run = "/api/v1/payment-runs/{id}";
  return {
      {"POST", "/api/v1/payment-runs", Access::For(Action::kManagePaymentRuns), Bind(deps, CreateRun)},
      {"GET", "/api/v1/payment-runs", Access::For(Action::kViewFinanceReports), Bind(deps, ListRuns)},
      {"GET", run, Access::For(Action::kViewFinanceReports), Bind(deps, GetRun)},
      {"POST", run + "/confirm", Access::For(Action::kManagePaymentRuns), Bind(deps, ConfirmRun)},
      {"POST", run + "/paid", Access::For(Action::kManagePaymentRuns), Bind(deps, MarkPaid)},
      {"GET", "/api/v1/statement", Access::For(Action::kViewStatement), Bind(deps, Statement)},
  };
}

namespace api {
RouteDocs PaymentRouteDocs() {
  namespace b = api::bodies;
  using api::SchemaOf;
  const std::string run = "/api/v1/payment-runs/{id}";
  return {
      {"POST", "/api/v1/payment-runs", "payments",
       "Create a payment run of every approved, unheld claim, stamped with the log head", "PaymentRunRequest", 201,
       SchemaOf<b::PaymentRun>},
      {"GET",
       "/api/v1/payment-runs",
       "payments",
       "The commissioner's payment runs with totals",
       "",
       200,
       SchemaOf<b::PaymentRunList>,
       {{"commissioner", "the commissioner (the operator only; others see their own)"}}},
      {"GET", run, "payments", "One payment run with its claims", "", 200, SchemaOf<b::PaymentRun>},
      {"POST", run + "/confirm", "payments", "Confirm a run: its claims are sent for payment", "", 200,
       SchemaOf<b::PaymentRun>},
      {"POST", run + "/paid", "payments",
       "Mark a run paid (reference generated from the run and claim ids unless given)", "PaidRequest", 200,
       SchemaOf<b::PaymentRun>},
      {"GET",
       "/api/v1/statement",
       "payments",
       "A provider's statement, as a report",
       "",
       200,
       SchemaOf<b::Report>,
       {{"provider", "the provider (commissioners; a provider sees its own)"}},
       "text/csv"},
  };
}
}  // namespace api

}  // namespace ledger::http
