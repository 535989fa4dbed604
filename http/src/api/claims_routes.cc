// Claims: drafts, values, evidence, the submission and every decision on it,
// lists, the audit trail and the worklist. Thin: parse, build one command,
// run it, answer with the claim as it now is.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <cctype>
#include <functional>
#include <variant>

#include "admin_support.h"
#include "api_support.h"
#include "bodies.h"
#include "ledger/app/evidence_store.h"
#include "ledger/app/tree_heads.h"
#include "ledger/base/sha256.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "ledger/http/api.h"
#include "ledger/http/concurrency.h"
#include "ledger/http/evidence_upload.h"
#include "ledger/http/json_input.h"
#include "ledger/http/problem.h"
#include "ledger/projections/claim_views.h"

namespace ledger::http {
namespace {

using api::CommandSetup;
using core::Action;
namespace bodies = api::bodies;

struct LoadedClaim {
  uint64_t version = 0;
  core::ClaimState state;
};

// The claim named by {id} as the caller may see it (from the read model for a
// GET, from the log for a write: api::ReadFromFor); otherwise *answer is the
// 404 (unknown and forbidden alike) or a store problem.
std::optional<LoadedClaim> LoadClaim(Call& call, ApiDeps& deps, Response* answer) {
  const std::string& id = call.Param("id");
  if (!core::IsValidId(id)) {
    *answer = api::NotFound();
    return std::nullopt;
  }
  auto loaded = api::ReadStreamState(deps, core::ClaimStream(id), api::ReadFromFor(call));
  if (!loaded.ok()) {
    *answer = ProblemResponse(loaded.status());
    return std::nullopt;
  }
  const auto* state = std::get_if<core::ClaimState>(&loaded->state);
  if (loaded->version == 0 || state == nullptr || state->status == core::ClaimStatus::kNone) {
    *answer = api::NotFound();
    return std::nullopt;
  }
  if (auto denied = call.AuthorizeScope(core::ClaimScope(state->claim))) {
    *answer = std::move(*denied);
    return std::nullopt;
  }
  return LoadedClaim{loaded->version, *state};
}

// The claim as the API shows it to `viewer`, with what they may do with it
// now (`actions`, as core decides it): the read model's summary, brought up to
// the state `claim` holds.
bodies::Claim ClaimBody(ApiDeps& deps, const LoadedClaim& claim, const core::Principal& viewer) {
  const core::ClaimState& s = claim.state;
  bodies::Claim o;
  auto view = deps.ledger.GetClaim(s.claim.claim_id);
  if (view.ok() && view->has_value()) static_cast<bodies::ClaimSummary&>(o) = bodies::SummaryBody(**view);
  o.claim_id = s.claim.claim_id;
  o.provider = s.claim.provider;
  o.commissioner = s.claim.commissioner;
  o.service_id = s.claim.service_id;
  o.period = s.claim.period;
  o.status = core::StatusName(s.status);
  o.version = claim.version;
  o.amount_pence = s.amount;
  o.amount = core::FormatPoundsPlain(s.amount);
  o.prepared_by = s.prepared_by;
  o.submitted_by = s.submitted_by;
  o.hold_reason = s.hold_reason;
  o.values = {s.values.begin(), s.values.end()};
  o.answers = {s.answers.begin(), s.answers.end()};
  for (const core::Evidence& e : s.evidence) {
    o.evidence.push_back({.sha256 = e.sha256,
                          .filename = e.filename,
                          .content_type = e.content_type,
                          .type = core::EvidenceLabel(e.content_type),
                          .size = static_cast<int64_t>(e.size),
                          .href = "/api/v1/claims/" + s.claim.claim_id + "/evidence/" + e.sha256});
  }
  for (core::ClaimAction a : core::AvailableActions(s, viewer)) o.actions.emplace_back(core::ClaimActionName(a));
  return o;
}

// The claim as `loaded` holds it, with its version as ETag.
Response ClaimResponse(ApiDeps& deps, const core::Principal& viewer, const std::string& claim_id,
                       const core::LoadedStream& loaded, int status) {
  const auto* state = std::get_if<core::ClaimState>(&loaded.state);
  if (state == nullptr || loaded.version == 0) return api::NotFound();
  Response r = Response::Json(status, wire::ToJson(ClaimBody(deps, LoadedClaim{loaded.version, *state}, viewer)));
  r.Set("ETag", ETagFor(loaded.version));
  if (status == 201) r.Set("Location", "/api/v1/claims/" + claim_id);
  return r;
}

// The claim as the command left it: the state it carries, read again only
// when it carries none (a repeated command id answered from the log).
Response ClaimResponse(ApiDeps& deps, const core::Principal& viewer, const std::string& claim_id,
                       const app::Executed& executed, int status) {
  const std::string stream = core::ClaimStream(claim_id);
  if (const core::LoadedStream* now = executed.StateOf(stream))
    return ClaimResponse(deps, viewer, claim_id, *now, status);
  auto loaded = deps.ledger.bus().LoadStream(stream);
  if (!loaded.ok()) return ProblemResponse(loaded.status());
  return ClaimResponse(deps, viewer, claim_id, *loaded, status);
}

// ---- Writes -----------------------------------------------------------------

// Refuses keys of values and answers that cannot name a component or question.
void CheckKeys(JsonInput::Object& in, const bodies::ClaimEdit& body) {
  if (body.values) {
    for (const auto& [key, value] : *body.values) {
      if (!core::IsValidId(key)) in.Fail("values." + key, "unknown_field", "There is no component called " + key + ".");
    }
  }
  if (body.answers) {
    for (const auto& [key, value] : *body.answers) {
      if (!core::IsValidId(key)) in.Fail("answers." + key, "unknown_field", "There is no question called " + key + ".");
    }
  }
}

// POST /api/v1/claims {service_id, period, values?, answers?}
Response CreateClaim(Call& call, ApiDeps& deps) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  auto body = wire::Read<bodies::ClaimDraft>(in.body());
  CheckKeys(in.body(), body);
  if (!body.service_id.empty() && !core::IsValidId(body.service_id))
    in.Fail("service_id", "invalid", "Enter the id of a service.");
  if (auto bad = in.Finish()) return *bad;

  const core::Principal& who = call.principal();
  CommandSetup setup;
  if (auto bad = api::Prepare(call, deps, "", 0, &setup)) return *bad;
  setup.options.precondition.reset();  // a new claim has no version to match
  std::string claim_id = "C" + setup.meta.command_id.substr(0, 20);
  core::ClaimRef ref{claim_id, who.org_code, who.commissioner_code, body.service_id, body.period};
  core::UnitValues values;
  core::Answers answers;
  if (body.values) values.insert(body.values->begin(), body.values->end());
  if (body.answers) answers.insert(body.answers->begin(), body.answers->end());
  // One command: the draft and its values are stored together or not at all.
  auto created = api::Run(deps, core::CreateClaimDraft{ref, values, answers}, setup);
  if (auto* answer = std::get_if<Response>(&created)) return std::move(*answer);
  return ClaimResponse(deps, call.principal(), claim_id, std::get<app::Executed>(created), 201);
}

// Runs one command on the loaded claim and answers with the claim.
Response RunOnClaim(Call& call, ApiDeps& deps, const LoadedClaim& claim, const core::Command& command,
                    int status = 200) {
  CommandSetup setup;
  const std::string& id = claim.state.claim.claim_id;
  if (auto bad = api::Prepare(call, deps, core::ClaimStream(id), claim.version, &setup)) return *bad;
  // The claim was read just now (to authorize): the command does not read it again.
  setup.options.preloaded.emplace(core::ClaimStream(id), core::LoadedStream{claim.version, claim.state});
  auto outcome = api::Run(deps, command, setup);
  if (auto* answer = std::get_if<Response>(&outcome)) return std::move(*answer);
  const auto& executed = std::get<app::Executed>(outcome);
  if (status == 204) {
    Response r = Response::NoContent();
    r.Set("ETag", ETagFor(executed.VersionOf(core::ClaimStream(id))));
    return r;
  }
  return ClaimResponse(deps, call.principal(), id, executed, status);
}

// PUT /api/v1/claims/{id} {values?, answers?}: replaces what is given.
Response EditClaim(Call& call, ApiDeps& deps) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  auto body = wire::Read<bodies::ClaimEdit>(in.body());
  CheckKeys(in.body(), body);
  if (auto bad = in.Finish()) return *bad;
  Response answer;
  auto claim = LoadClaim(call, deps, &answer);
  if (!claim) return answer;
  core::UnitValues values = claim->state.values;
  core::Answers answers = claim->state.answers;
  if (body.values) values = core::UnitValues(body.values->begin(), body.values->end());
  if (body.answers) answers = core::Answers(body.answers->begin(), body.answers->end());
  return RunOnClaim(call, deps, *claim, core::EnterClaimValues{claim->state.claim, values, answers});
}

// Which fields a decision's body carries.
enum class Fields { kNone, kOptionalReason, kReason, kReasonAndCode };

struct DecisionBody {
  std::string reason;
  std::string reason_code;
  // "tier": the commissioner tier the caller read the claim at (its holder_role
  // then); a claim that has moved on since answers 409 naming its status now.
  std::optional<core::ApprovalTier> tier;
};

std::optional<core::ApprovalTier> CommissionerTierNamed(std::string_view name) {
  for (core::ApprovalTier t : {core::ApprovalTier::kTier1, core::ApprovalTier::kTier2, core::ApprovalTier::kFinance}) {
    if (core::ApprovalTierName(t) == name) return t;
  }
  return std::nullopt;
}

std::optional<Response> ReadDecisionBody(const Request& request, Fields fields, bool names_tier, DecisionBody* out) {
  bool required = fields == Fields::kReason || fields == Fields::kReasonAndCode;
  if (request.body.empty()) {
    if (!required) return std::nullopt;
    std::vector<core::FieldError> errors;
    if (fields == Fields::kReasonAndCode) errors.push_back({"reason_code", "required", "Choose a reason."});
    errors.push_back({"reason", "required", "Enter a reason."});
    return ToResponse(problems::Validation("The request has problems.", std::move(errors)));
  }
  JsonInput in(request);
  if (auto bad = in.Open()) return *bad;
  std::optional<std::string> tier;
  switch (fields) {
    case Fields::kReasonAndCode: {
      auto body = wire::Read<bodies::Rejection>(in.body());
      out->reason_code = body.reason_code;
      out->reason = body.reason;
      tier = body.tier;
      break;
    }
    case Fields::kReason:
      if (names_tier) {
        auto body = wire::Read<bodies::Return>(in.body());
        out->reason = body.reason;
        tier = body.tier;
      } else {
        out->reason = wire::Read<bodies::Reason>(in.body()).reason;
      }
      break;
    case Fields::kOptionalReason:
      out->reason = wire::Read<bodies::OptionalReason>(in.body()).reason.value_or("");
      break;
    case Fields::kNone:
      if (names_tier) tier = wire::Read<bodies::Approval>(in.body()).tier;
      break;
  }
  if (tier) out->tier = CommissionerTierNamed(*tier);  // Read has checked it is one
  return in.Finish();
}

using BuildCommand = std::function<core::Command(const core::ClaimState&, const DecisionBody&)>;
// Answers before the command is built when the claim's state makes it meaningless.
using Guard = std::function<std::optional<Response>(const core::ClaimState&)>;

// A route handler: read the body, load the claim, build the command, run it.
// `names_tier`: the body may name the tier the caller read the claim at ("tier").
Handler Decision(ApiDeps& deps, Fields fields, BuildCommand build, int status = 200, Guard guard = {},
                 bool names_tier = false) {
  return
      [&deps, fields, build = std::move(build), status, guard = std::move(guard), names_tier](Call& call) -> Response {
        DecisionBody body;
        if (auto bad = ReadDecisionBody(call.request(), fields, names_tier, &body)) return *bad;
        Response answer;
        auto claim = LoadClaim(call, deps, &answer);
        if (!claim) return answer;
        if (guard) {
          if (auto early = guard(claim->state)) return std::move(*early);
        }
        // The tier the caller decides at, as this request read the claim: a
        // decision that loses a race is decided again on the winner's state and
        // is then a conflict naming the claim's status, not a denial.
        if (names_tier && !body.tier) body.tier = core::TierToDecide(call.principal(), claim->state);
        return RunOnClaim(call, deps, *claim, build(claim->state, body), status);
      };
}

// "Approve" means the tier the claim waits for; a claim waiting for nobody
// (for example one a colleague approved a moment ago) is a conflict.
std::optional<Response> AwaitingApproval(const core::ClaimState& s) {
  if (core::AwaitedTier(s.status)) return std::nullopt;
  Problem p = problems::Conflict("This claim is " + std::string(core::StatusName(s.status)) +
                                 ", so it is not waiting for an approval.");
  p.code = "not_awaiting_approval";
  return ToResponse(p);
}

// Approve, reject and return at b.tier (named by the caller, else TierToDecide).
core::Command Approve(const core::ClaimState& s, const DecisionBody& b) {
  if (b.tier == core::ApprovalTier::kProvider) return core::ProviderApproveClaim{s.claim};
  return core::ApproveClaim{s.claim, b.tier.value_or(core::ApprovalTier::kTier1)};
}

core::Command Reject(const core::ClaimState& s, const DecisionBody& b) {
  return core::RejectClaim{s.claim, b.reason_code, b.reason, b.tier};
}

core::Command Return(const core::ClaimState& s, const DecisionBody& b) {
  if (b.tier == core::ApprovalTier::kProvider) return core::ProviderReturnClaim{s.claim, b.reason};
  return core::ReturnClaim{s.claim, b.reason, b.tier};
}

// ---- Evidence ---------------------------------------------------------------

// PUT /api/v1/claims/{id}/evidence (raw body or multipart/form-data)
Response AttachEvidence(Call& call, ApiDeps& deps) {
  Upload upload;
  if (auto bad = ReadUpload(call.request(), &upload)) return *bad;
  Response answer;
  auto claim = LoadClaim(call, deps, &answer);
  if (!claim) return answer;
  std::string sha = base::Sha256Hex(upload.bytes);
  if (es::Status s = app::StoreEvidence(deps.ledger.evidence_dir(), sha, upload.bytes); !s.ok()) {
    return ToResponse(problems::Internal());
  }
  core::Evidence evidence{sha, upload.filename, upload.content_type, static_cast<int64_t>(upload.bytes.size())};
  return RunOnClaim(call, deps, *claim, core::AttachEvidence{claim->state.claim, evidence});
}

bool Mentions(const core::ClaimState& s, std::string_view sha) {
  for (const core::Evidence& e : s.evidence)
    if (e.sha256 == sha) return true;
  return false;
}

// GET /api/v1/claims/{id}/evidence/{sha256}
Response DownloadEvidence(Call& call, ApiDeps& deps) {
  Response answer;
  auto claim = LoadClaim(call, deps, &answer);
  if (!claim) return answer;
  const std::string& sha = call.Param("sha256");
  const core::Evidence* found = nullptr;
  for (const core::Evidence& e : claim->state.evidence)
    if (e.sha256 == sha) found = &e;
  if (found == nullptr) return api::NotFound();
  auto bytes = app::ReadEvidence(deps.ledger.evidence_dir(), sha);
  if (!bytes.ok()) return api::NotFound();
  Response r = EvidenceDownload(std::move(*bytes), *found);
  r.Set("ETag", "\"" + sha + "\"");
  r.Set("Cache-Control", "private, max-age=3600");
  return r;
}

// DELETE /api/v1/claims/{id}/evidence/{sha256}
Response RemoveEvidence(Call& call, ApiDeps& deps) {
  Response answer;
  auto claim = LoadClaim(call, deps, &answer);
  if (!claim) return answer;
  const std::string& sha = call.Param("sha256");
  if (!Mentions(claim->state, sha)) return api::NotFound();
  return RunOnClaim(call, deps, *claim, core::RemoveEvidence{claim->state.claim, sha});
}

// ---- Reads ------------------------------------------------------------------

Response GetClaim(Call& call, ApiDeps& deps) {
  Response answer;
  auto claim = LoadClaim(call, deps, &answer);
  if (!claim) return answer;
  Response r = Response::Json(200, wire::ToJson(ClaimBody(deps, *claim, call.principal())));
  r.Set("ETag", ETagFor(claim->version));
  return r;
}

Response BadQuery(const std::string& name, std::string message) {
  return ToResponse(problems::Validation("The query parameter " + name + " is not valid.",
                                         {core::FieldError{name, "invalid", std::move(message)}}));
}

// GET /api/v1/claims?status=&service=&period=&provider=&commissioner=&cursor=&limit=
Response ListClaims(Call& call, ApiDeps& deps) {
  const core::Principal& who = call.principal();
  projections::ClaimQuery q;
  if (core::IsProvider(who.org_kind)) {
    q.provider = who.org_code;
  } else if (who.org_kind == core::OrgKind::kCommissioner) {
    q.commissioner = who.org_code;
    q.provider = call.Query("provider");
  } else {
    q.commissioner = call.Query("commissioner");
    q.provider = call.Query("provider");
    if (q.commissioner.empty() && q.provider.empty())
      return BadQuery("commissioner", "Name a commissioner or a provider.");
  }
  if (std::string status = call.Query("status"); !status.empty()) {
    q.status = core::ParseClaimStatus(status);
    if (!q.status) return BadQuery("status", "Use a claim status such as draft or awaiting_tier_2_approval.");
  }
  q.service_id = call.Query("service");
  if (std::string period = call.Query("period"); !period.empty()) {
    if (!core::Period::Parse(period)) return BadQuery("period", "Use a period such as 2026-10, 2026-Q3 or 2026/27.");
    q.period_from = period;
    q.period_to = period;
  }
  q.cursor = call.Query("cursor");
  std::optional<Response> bad;
  q.limit = api::QueryNumber(call, "limit", 1000, &bad).value_or(100);
  if (bad) return *bad;
  if (q.limit == 0) q.limit = 1;
  auto page = deps.ledger.ListClaims(q);
  if (!page.ok()) {
    if (page.status().code() == es::Status::Code::kInvalid) return BadQuery("cursor", "Use the next_cursor given.");
    return ProblemResponse(page.status());
  }
  return Response::Json(200, wire::ToJson(bodies::ClaimPageBody(*page)));
}

// GET /api/v1/claims/{id}/history?cursor=
Response ClaimHistory(Call& call, ApiDeps& deps) {
  Response answer;
  auto claim = LoadClaim(call, deps, &answer);
  if (!claim) return answer;
  auto page = deps.ledger.ClaimAudit(claim->state.claim.claim_id, call.Query("cursor"));
  if (!page.ok()) return ProblemResponse(page.status());
  return Response::Json(200, wire::ToJson(bodies::AuditPageBody(*page)));
}

// GET /api/v1/claims/{id}/proof: every event of the claim as proof material,
// each with its inclusion proof in the current signed tree head, which the
// answer carries: enough to check the claim's history against the ledger's
// public key alone (docs/auditing.md). Events appended after the head was
// signed are left out; they are in the next head.
Response ClaimProof(Call& call, ApiDeps& deps) {
  Response answer;
  auto claim = LoadClaim(call, deps, &answer);
  if (!claim) return answer;
  auto head = deps.ledger.SignedHead();
  if (!head.ok()) return api::TreeProblem(head.status());
  auto events = app::StreamProof(deps.ledger.store(), core::ClaimStream(claim->state.claim.claim_id), head->tree.size);
  if (!events.ok()) return api::TreeProblem(events.status());
  return Response::Json(200,
                        wire::Checked<bodies::ClaimProof>(boost::json::object{{"claim_id", claim->state.claim.claim_id},
                                                                              {"head", app::SignedTreeHeadJson(*head)},
                                                                              {"events", std::move(*events)}}));
}

// The worklists a person's roles give them, each for their organisation.
std::vector<std::string> WorklistsFor(const core::Principal& who) {
  using core::Role;
  std::vector<std::string> out;
  if (who.roles.Has(Role::kProviderUser)) out.push_back("provider_user");
  if (who.roles.Has(Role::kProviderApprover)) out.push_back("provider_approver");
  if (who.roles.Has(Role::kApproverTier1)) out.push_back("tier1");
  if (who.roles.Has(Role::kApproverTier2)) {
    out.push_back("tier2");
    out.push_back("held");
    out.push_back("payments");
  }
  if (who.roles.Has(Role::kFinance)) out.push_back("finance");
  return out;
}

// GET /api/v1/worklist?role=&cursor=
Response GetWorklist(Call& call, ApiDeps& deps) {
  const core::Principal& who = call.principal();
  std::vector<std::string> roles = WorklistsFor(who);
  std::string only = call.Query("role");
  if (!only.empty()) {
    if (std::find(roles.begin(), roles.end(), only) == roles.end())
      return BadQuery("role", "Use one of the worklists your roles give you.");
    roles = {only};
  }
  std::string cursor = only.empty() ? "" : call.Query("cursor");
  bodies::Worklists body{.username = who.username, .worklists = {}};
  for (const std::string& role : roles) {
    auto page = deps.ledger.Worklist(role, who.org_code, cursor);
    if (!page.ok()) {
      if (page.status().code() == es::Status::Code::kInvalid) return BadQuery("cursor", "Use the next_cursor given.");
      return ProblemResponse(page.status());
    }
    bodies::Worklist list;
    static_cast<bodies::ClaimPage&>(list) = bodies::ClaimPageBody(*page);
    list.role = role;
    list.org = who.org_code;
    body.worklists.push_back(std::move(list));
  }
  return Response::Json(200, wire::ToJson(body));
}

}  // namespace

std::vector<Route> ClaimRoutes(ApiDeps& deps) {
  auto bind = [&deps](Response (*fn)(Call&, ApiDeps&)) -> Handler {
    return [fn, &deps](Call& call) { return fn(call, deps); };
  };
  const std::string claim = "/api/v1/claims/{id}";
  return {
      {"POST", "/api/v1/claims", Access::For(Action::kPrepareClaim), bind(CreateClaim), 256 * kKiB},
      {"GET", "/api/v1/claims", Access::For(Action::kViewClaim), bind(ListClaims)},
      Quick({"GET", claim, Access::For(Action::kViewClaim), bind(GetClaim)}),
      {"PUT", claim, Access::For(Action::kPrepareClaim), bind(EditClaim), 256 * kKiB},
      {"DELETE", claim, Access::For(Action::kPrepareClaim),
       Decision(
           deps, Fields::kNone,
           [](const core::ClaimState& s, const DecisionBody&) -> core::Command {
             return core::DeleteClaimDraft{s.claim};
           },
           204)},
      {"GET", claim + "/history", Access::For(Action::kViewClaim), bind(ClaimHistory)},
      {"GET", claim + "/proof", Access::For(Action::kViewClaim), bind(ClaimProof)},
      {"PUT", claim + "/evidence", Access::For(Action::kPrepareClaim), bind(AttachEvidence), kEvidenceBodyLimit},
      {"GET", claim + "/evidence/{sha256}", Access::For(Action::kViewClaim), bind(DownloadEvidence)},
      {"DELETE", claim + "/evidence/{sha256}", Access::For(Action::kPrepareClaim), bind(RemoveEvidence)},
      {"POST", claim + "/submit", Access::For(Action::kSubmitClaim),
       Decision(deps, Fields::kNone,
                [](const core::ClaimState& s, const DecisionBody&) -> core::Command {
                  return core::SubmitClaim{s.claim};
                })},
      // The tier is the one the claim waits for; the decider checks the caller holds it.
      {"POST", claim + "/approve", Access::For(Action::kViewClaim),
       Decision(deps, Fields::kNone, Approve, 200, AwaitingApproval, /*names_tier=*/true)},
      {"POST", claim + "/reject", Access::For(Action::kRejectClaim),
       Decision(deps, Fields::kReasonAndCode, Reject, 200, {}, /*names_tier=*/true)},
      {"POST", claim + "/return", Access::For(Action::kViewClaim),
       Decision(deps, Fields::kReason, Return, 200, {}, /*names_tier=*/true)},
      {"POST", claim + "/withdraw", Access::For(Action::kWithdrawClaim),
       Decision(deps, Fields::kOptionalReason,
                [](const core::ClaimState& s, const DecisionBody& b) -> core::Command {
                  return core::WithdrawClaim{s.claim, b.reason};
                })},
      {"POST", claim + "/hold", Access::For(Action::kHoldPayment),
       Decision(deps, Fields::kReason,
                [](const core::ClaimState& s, const DecisionBody& b) -> core::Command {
                  return core::HoldPayment{s.claim, b.reason};
                })},
      {"POST", claim + "/release", Access::For(Action::kReleasePayment),
       Decision(deps, Fields::kNone,
                [](const core::ClaimState& s, const DecisionBody&) -> core::Command {
                  return core::ReleasePayment{s.claim};
                })},
      {"POST", claim + "/provider-approve", Access::For(Action::kProviderApproveClaim),
       Decision(deps, Fields::kNone,
                [](const core::ClaimState& s, const DecisionBody&) -> core::Command {
                  return core::ProviderApproveClaim{s.claim};
                })},
      {"POST", claim + "/provider-return", Access::For(Action::kProviderApproveClaim),
       Decision(deps, Fields::kReason,
                [](const core::ClaimState& s, const DecisionBody& b) -> core::Command {
                  return core::ProviderReturnClaim{s.claim, b.reason};
                })},
      {"GET", "/api/v1/worklist", Access::SignedIn(), bind(GetWorklist)},
  };
}

}  // namespace ledger::http
