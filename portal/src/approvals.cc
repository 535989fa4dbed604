// Worklists, decisions (approve, return, reject), holds and payment runs.
#include <algorithm>

#include <fmt/format.h>

#include "claim_details.h"
#include "ledger/core/streams.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/projections/claim_views.h"
#include "ledger/projections/directory.h"
#include "ledger/projections/reports.h"
#include "portal_internal.h"

namespace ledger::http::portal {
namespace {

using core::Action;
using core::ClaimStatus;
using core::Role;

std::string WaitingFor(core::Timestamp since, core::Timestamp now) {
  int64_t days = (now - since) / (86'400LL * 1'000'000);
  if (days <= 0) return "Less than a day";
  return fmt::format("{} {}", days, days == 1 ? "day" : "days");
}

std::string ServiceNameOf(Page& page, const std::string& id, std::map<std::string, std::string>& cache) {
  auto it = cache.find(id);
  if (it != cache.end()) return it->second;
  auto s = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(id));
  return cache[id] = s ? s->first.definition.name : id;
}

Response WorklistPage(Page& page) {
  auto stage = StageOf(page.viewer(), page.call().Query("role"));
  if (!stage) return page.NotFound();
  ListPage at = ListPageOf(page.call());
  auto listed = page.ledger().Worklist(stage->role, page.viewer().principal.org_code, at.cursor,
                                       page.portal().deps().list_page_size);
  std::string next_cursor = listed.ok() ? listed.value().next_cursor : "";
  core::Timestamp now = page.ledger().Now();
  std::map<std::string, std::string> names;
  json::array items;
  if (listed.ok()) {
    for (const auto& c : listed.value().claims) {
      items.push_back(json::object{{"claim_id", c.claim_id},
                                   {"claim_ref", ClaimRef(c.claim_id)},
                                   {"provider_name", OrgName(page.ledger(), c.provider)},
                                   {"service_name", ServiceNameOf(page, c.service_id, names)},
                                   {"period", PeriodText(c.period)},
                                   {"amount", core::FormatPounds(c.amount)},
                                   {"risk_band", RiskTag(c.risk_band)},
                                   {"waiting_since_iso", FormatIso(c.status_since_at)},
                                   {"waiting_since_text", FormatDateText(core::Date::FromTimestamp(c.status_since_at))},
                                   {"waiting_for", WaitingFor(c.status_since_at, now)}});
    }
  }
  json::object m = page.Base("Worklist", "/worklist");
  m["heading"] = stage->heading;
  m["description"] = "Check each claim and its evidence. Claims are listed oldest first.";
  m["count_text"] = ListCountText(items.size(), at, next_cursor);
  m["has_items"] = !items.empty();
  m["items"] = items;
  const bool named = page.call().Query("role") == stage->role;
  m["pagination"] = PaginationModel(named ? "/worklist?role=" + stage->role : "/worklist", at, next_cursor);
  return page.Render(200, "worklist", m);
}

// ---- Decisions -----------------------------------------------------------------------

struct Loaded {
  core::ClaimState claim;
  uint64_t version = 0;
  std::string service_name;
};

std::optional<Loaded> LoadVisibleClaim(Page& page, const std::string& id) {
  if (!core::IsValidId(id)) return std::nullopt;
  auto c = CurrentState<core::ClaimState>(page.ledger(), core::ClaimStream(id));
  if (!c || c->first.status == ClaimStatus::kNone || c->first.status == ClaimStatus::kDeleted) return std::nullopt;
  if (!page.Allowed(Action::kViewClaim, core::ClaimScope(c->first.claim))) return std::nullopt;
  auto s = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(c->first.claim.service_id));
  return Loaded{c->first, c->second, s ? s->first.definition.name : c->first.claim.service_id};
}

// The tier at which the viewer may decide the claim now (approve, return or
// reject, as core offers them), if any.
std::optional<core::ApprovalTier> DecidingTier(Page& page, const core::ClaimState& c) {
  using core::ClaimAction;
  for (ClaimAction a : {ClaimAction::kApprove, ClaimAction::kReturn, ClaimAction::kReject}) {
    if (core::MayTake(c, page.who(), a)) return core::AwaitedTier(c.status);
  }
  return std::nullopt;
}

json::object Summary(Page& page, const Loaded& c) {
  return {{"claim_id", c.claim.claim.claim_id},
          {"claim_ref", ClaimRef(c.claim.claim.claim_id)},
          {"provider_name", OrgName(page.ledger(), c.claim.claim.provider)},
          {"provider_code", c.claim.claim.provider},
          {"service_name", c.service_name},
          {"period", PeriodText(c.claim.claim.period)},
          {"amount", core::FormatPounds(c.claim.amount)},
          {"version", c.version}};
}

std::string TierHeading(core::ApprovalTier t) {
  switch (t) {
    case core::ApprovalTier::kProvider: return "Check this claim for your practice";
    case core::ApprovalTier::kTier1: return "Tier 1 approval";
    case core::ApprovalTier::kTier2: return "Tier 2 approval";
    case core::ApprovalTier::kFinance: return "Finance approval";
  }
  return "Decision";
}

// `errors` by value: an error without a field is given to the decision below.
Response RenderDecision(
    Page& page, const Loaded& c, core::ApprovalTier tier, int status,
    std::vector<std::pair<std::string, std::string>> errors) {  // NOLINT(performance-unnecessary-value-param)
  bool provider = tier == core::ApprovalTier::kProvider;
  json::object m = page.Base(TierHeading(tier), "/worklist");
  m["back_link"] = json::object{{"href", "/worklist"}, {"text", "Back to worklist"}};
  m["heading"] = TierHeading(tier);
  json::object claim = Summary(page, c);
  claim["risk_band"] = RiskTag(c.claim.risk_band);
  claim["status"] = StatusTag(c.claim.status);
  m["claim"] = claim;
  // What is being approved, on the page where it is decided.
  m["details"] = ClaimDetails(page, c.claim);
  std::string chosen = page.form().Get("decision");
  std::string code = page.form().Get("reason_code");
  json::object decision = ChoiceField("decision", "decision", "What is your decision?");
  decision["legend_class"] = "nhsuk-fieldset__legend--m";
  json::array items;
  // Only the decisions core offers the viewer on this claim now.
  auto may = [&](core::ClaimAction a) { return core::MayTake(c.claim, page.who(), a); };
  const bool reject = may(core::ClaimAction::kReject);
  if (may(core::ClaimAction::kApprove)) {
    items.push_back(
        provider ? ChoiceItem("decision", true, "approve", "Approve and send to the commissioner", chosen == "approve")
                 : ChoiceItem("decision", true, "approve", "Approve", chosen == "approve",
                              "The claim moves to the next approval stage or is approved for payment"));
  }
  if (may(core::ClaimAction::kReturn)) {
    items.push_back(provider
                        ? ChoiceItem("decision", items.empty(), "return", "Return to the practice user for amendment",
                                     chosen == "return")
                        : ChoiceItem("decision", items.empty(), "return", "Return for amendment", chosen == "return",
                                     "The practice can correct the claim and submit it again"));
  }
  if (reject) {
    items.push_back(ChoiceItem("decision", items.empty(), "reject", "Reject", chosen == "reject",
                               "The claim is closed and will not be paid"));
  }
  decision["items"] = items;
  json::value reason_code = false;
  if (reject) {
    json::object rc = SelectField("reason_code", "reason_code", "Reason for rejecting");
    rc["hint"] = "Needed only when you reject the claim";
    json::array options;
    options.push_back(
        json::object{{"option_value", ""}, {"option_text", "Choose a reason"}, {"selected", code.empty()}});
    for (const auto& r : core::RejectionReasonCodes()) {
      options.push_back(json::object{{"option_value", std::string(r.code)},
                                     {"option_text", std::string(r.description)},
                                     {"selected", code == r.code}});
    }
    rc["options"] = options;
    reason_code = rc;
  }
  json::object reason = TextareaField("reason", "reason", "Explain your decision to the practice");
  reason["hint"] = "Needed when you return or reject the claim. The practice will see this.";
  reason["value"] = page.form().Get("reason");
  reason["rows"] = 5;
  for (auto& [id, message] : errors) {
    if (id == "decision") decision["error"] = message;
    if (id == "reason") reason["error"] = message;
    if (id == "reason_code" && reason_code.is_object()) reason_code.as_object()["error"] = message;
    if (id.empty()) id = "decision";
  }
  m["fields"] = json::object{{"decision", decision}, {"reason_code", reason_code}, {"reason", reason}};
  if (!errors.empty()) m["error_summary"] = ErrorSummary(errors);
  return page.Render(status, "claim_decision", m);
}

std::string AwaitingText(core::ApprovalTier t) {
  switch (t) {
    case core::ApprovalTier::kProvider: return "your practice's approval";
    case core::ApprovalTier::kTier1: return "Tier 1 approval";
    case core::ApprovalTier::kTier2: return "Tier 2 approval";
    case core::ApprovalTier::kFinance: return "Finance approval";
  }
  return "a decision";
}

// What a claim that waits for no decision of the viewer's is doing now, and
// what to do next: "Claim C-… is no longer waiting for Tier 1 approval: it was
// approved there by Sam Smith, and it is now Awaiting Tier 2 Approval. …"
std::string NotWaitingText(Page& page, const core::ClaimState& claim, std::optional<core::ApprovalTier> asked) {
  const std::string ref = ClaimRef(claim.claim.claim_id);
  const std::string now = std::string(core::StatusName(claim.status));
  if (!asked) return "Claim " + ref + " is " + now + ": there is no decision for you to make on it now.";
  std::string text = "Claim " + ref + " is no longer waiting for " + AwaitingText(*asked);
  auto decided = claim.decided_by.find(*asked);
  text += ": ";
  if (decided != claim.decided_by.end())
    text += "it was approved there by " + PersonName(page.ledger(), decided->second) + ", and ";
  return text + "it is now " + now +
         ". Its history below shows who acted and when; there is nothing more for you to do on it.";
}

// The claim page as it is now, saying why there is no decision to make.
Response NothingToDecide(Page& page, const Loaded& c, std::optional<core::ApprovalTier> asked, int status,
                         std::string heading) {
  Flash notice;
  notice.success = false;
  notice.heading = std::move(heading);
  notice.body = NotWaitingText(page, c.claim, asked);
  return RenderClaimPage(page, c.claim.claim.claim_id, status, notice);
}

Response DecisionPage(Page& page) {
  auto c = LoadVisibleClaim(page, page.call().Param("id"));
  if (!c) return page.NotFound();
  auto tier = DecidingTier(page, c->claim);
  if (!tier) {
    // A tier the viewer could decide at but the claim has moved past: the claim
    // page saying so. Someone who never could decide on it: as for an unknown claim.
    auto passed = core::TierToDecide(page.who(), c->claim);
    if (!passed || !page.Allowed(core::ApproveActionFor(*passed), core::ClaimScope(c->claim.claim)))
      return page.NotFound();
    return NothingToDecide(page, *c, passed, 200, "No decision to make");
  }
  return RenderDecision(page, *c, *tier, 200, {});
}

// A decision that was not recorded because the claim moved on while the form
// was open: the claim page as it is now (409), saying so and naming its status.
Response ClaimMovedOn(Page& page, const std::string& claim_id, core::ApprovalTier asked) {
  auto fresh = LoadVisibleClaim(page, claim_id);
  if (!fresh) return page.NotFound();
  return NothingToDecide(page, *fresh, asked, 409, "Your decision was not recorded");
}

Response DecisionPost(Page& page) {
  auto c = LoadVisibleClaim(page, page.call().Param("id"));
  if (!c) return page.NotFound();
  // The tier of the decision as core sees it (the claim may have moved on
  // since the form was shown; then the decision is a conflict, not a 404).
  auto tier = core::TierToDecide(page.who(), c->claim);
  // Someone who never could decide on it is told nothing more than for an unknown claim.
  if (!tier || !page.Allowed(core::ApproveActionFor(*tier), core::ClaimScope(c->claim.claim))) return page.NotFound();
  std::string decision = page.form().Get("decision");
  std::string code = page.form().Get("reason_code");
  std::string reason = page.form().Get("reason");
  bool provider = *tier == core::ApprovalTier::kProvider;
  std::vector<std::pair<std::string, std::string>> errors;
  if (decision != "approve" && decision != "return" && (decision != "reject" || provider)) {
    errors.emplace_back("decision", "Select your decision");
  }
  if (decision == "reject" && code.empty())
    errors.emplace_back("reason_code", "Select the reason for rejecting the claim");
  if ((decision == "reject" || decision == "return") && reason.find_first_not_of(" \r\n\t") == std::string::npos) {
    errors.emplace_back("reason", decision == "reject" ? "Explain why you are rejecting the claim"
                                                       : "Explain why you are returning the claim");
  }
  if (!errors.empty()) return RenderDecision(page, *c, *tier, 422, errors);
  const core::ClaimRef& ref = c->claim.claim;
  core::Command command;
  if (decision == "approve") {
    command = provider ? core::Command(core::ProviderApproveClaim{ref}) : core::Command(core::ApproveClaim{ref, *tier});
  } else if (decision == "return") {
    command = provider ? core::Command(core::ProviderReturnClaim{ref, reason})
                       : core::Command(core::ReturnClaim{ref, reason, *tier});
  } else {
    command = core::RejectClaim{ref, code, reason, *tier};
  }
  uint64_t version = ParseWholeNumber(page.form().Get("version")).value_or(0);
  std::optional<app::Precondition> pre;
  if (version > 0) pre = app::Precondition{core::ClaimStream(ref.claim_id), version};
  app::ExecuteResult r = page.Execute(command, pre);
  if (r.rejected() && r.rejection().kind == core::Rejection::Kind::kConflict)
    return ClaimMovedOn(page, ref.claim_id, *tier);
  if (!r.ok()) {
    if (r.rejected()) {
      for (const auto& e : r.rejection().errors) {
        errors.emplace_back(e.path == "reason_code" || e.path == "reason" ? e.path : "decision", e.message);
      }
    }
    if (errors.empty()) errors.emplace_back("decision", RejectionText(r));
    auto fresh = LoadVisibleClaim(page, ref.claim_id);
    return RenderDecision(page, fresh ? *fresh : *c, *tier, 422, errors);
  }
  Flash f;
  f.heading = decision == "approve" ? "Claim approved" : decision == "return" ? "Claim returned" : "Claim rejected";
  f.body = "Claim " + ClaimRef(ref.claim_id) + ", " + c->service_name + ".";
  f.link_href = "/claims/" + ref.claim_id;
  f.link_text = "View the claim";
  return page.Redirect("/worklist", f);
}

// ---- Hold and release -------------------------------------------------------------------

Response RenderHold(Page& page, const Loaded& c, int status, const std::string& error) {
  json::object m = page.Base("Hold payment", "/claims");
  m["back_link"] = json::object{{"href", "/claims/" + c.claim.claim.claim_id}, {"text", "Back to claim"}};
  m["claim"] = Summary(page, c);
  json::object reason = TextareaField("reason", "reason", "Why are you holding the payment?");
  reason["hint"] = "The practice will see this reason";
  reason["value"] = page.form().Get("reason");
  reason["error"] = error;
  m["fields"] = json::object{{"reason", reason}};
  if (!error.empty()) m["error_summary"] = ErrorSummary({{"reason", error}});
  return page.Render(status, "claim_hold", m);
}

// The claim page, saying why its payment cannot be held now.
Response CannotHold(Page& page, const Loaded& c, int status) {
  Flash notice{false, "The payment cannot be held",
               "Claim " + ClaimRef(c.claim.claim.claim_id) + " is " + std::string(core::StatusName(c.claim.status)) +
                   ": only a claim approved for payment and not yet in a payment run can be held."};
  return RenderClaimPage(page, c.claim.claim.claim_id, status, notice);
}

Response HoldPage(Page& page) {
  auto c = LoadVisibleClaim(page, page.call().Param("id"));
  if (!c || !page.Allowed(Action::kHoldPayment, core::ClaimScope(c->claim.claim))) return page.NotFound();
  if (!core::MayTake(c->claim, page.who(), core::ClaimAction::kHoldPayment)) return CannotHold(page, *c, 200);
  return RenderHold(page, *c, 200, "");
}

Response HoldPost(Page& page) {
  auto c = LoadVisibleClaim(page, page.call().Param("id"));
  if (!c || !page.Allowed(Action::kHoldPayment, core::ClaimScope(c->claim.claim))) return page.NotFound();
  std::string reason = page.form().Get("reason");
  if (reason.find_first_not_of(" \r\n\t") == std::string::npos) {
    return RenderHold(page, *c, 422, "Explain why you are holding the payment");
  }
  app::ExecuteResult r = page.Execute(core::HoldPayment{c->claim.claim, reason});
  if (r.rejected() && r.rejection().kind == core::Rejection::Kind::kConflict) {
    auto fresh = LoadVisibleClaim(page, c->claim.claim.claim_id);
    return CannotHold(page, fresh ? *fresh : *c, 409);
  }
  if (!r.ok()) return RenderHold(page, *c, 422, RejectionText(r));
  Flash f;
  f.heading = "Payment held";
  return page.Redirect("/claims/" + c->claim.claim.claim_id, f);
}

Response ReleasePost(Page& page) {
  auto c = LoadVisibleClaim(page, page.call().Param("id"));
  if (!c || !page.Allowed(Action::kReleasePayment, core::ClaimScope(c->claim.claim))) return page.NotFound();
  app::ExecuteResult r = page.Execute(core::ReleasePayment{c->claim.claim});
  Flash f;
  f.success = r.ok();
  f.heading = r.ok() ? "Payment released" : "The payment could not be released";
  f.body = r.ok() ? "" : RejectionText(r);
  return page.Redirect("/claims/" + c->claim.claim.claim_id, f);
}

// ---- Payment runs -------------------------------------------------------------------------

json::object RunStatusTag(core::PaymentRunStatus s) {
  switch (s) {
    case core::PaymentRunStatus::kCreated: return Tag("Prepared", "blue");
    case core::PaymentRunStatus::kConfirmed: return Tag("Confirmed", "purple");
    case core::PaymentRunStatus::kPaid: return Tag("Paid", "aqua-green");
    default: return Tag("Unknown", "grey");
  }
}

std::vector<projections::ClaimView> Approved(Page& page) {
  std::vector<projections::ClaimView> out;
  auto wl = page.ledger().Worklist("payments", page.who().org_code, "", 1000);
  if (wl.ok()) {
    for (auto& c : wl.value().claims) {
      if (c.status == ClaimStatus::kApprovedForPayment && c.payment_run.empty()) out.push_back(std::move(c));
    }
  }
  return out;
}

std::string CellText(const projections::Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  return std::to_string(std::get<int64_t>(c));
}

Response PaymentRunsPage(Page& page) {
  json::object m = page.Base("Payment runs", "/payment-runs");
  auto approved = Approved(page);
  core::Pence total = 0;
  for (const auto& c : approved) total += c.amount;
  m["can_create"] = !approved.empty();
  m["approved_text"] = fmt::format("{} {} worth {} {} approved for payment and not in a run.", approved.size(),
                                   approved.size() == 1 ? "claim" : "claims", core::FormatPounds(total),
                                   approved.size() == 1 ? "is" : "are");
  json::array runs;
  projections::ReportParams params;
  params.scope = page.who().org_code;
  auto table = page.ledger().RunReport("payment_runs", params);
  if (table.ok()) {
    for (const auto& row : table.value().rows) {
      std::string run_id = CellText(row[0]);
      auto run = CurrentState<core::PaymentRunState>(page.ledger(), core::PaymentRunStream(run_id));
      if (!run) continue;
      const auto& s = run->first;
      runs.push_back(json::object{{"run_id", run_id},
                                  {"pay_date_text", FormatDateText(s.pay_date)},
                                  {"status", RunStatusTag(s.status)},
                                  {"claim_count", std::to_string(s.claims.size())},
                                  {"total", core::FormatPounds(s.total)}});
    }
  }
  std::reverse(runs.begin(), runs.end());
  m["has_runs"] = !runs.empty();
  m["runs"] = runs;
  return page.Render(200, "payment_runs", m);
}

Response RenderRunNew(Page& page, int status, const std::vector<std::pair<std::string, std::string>>& errors) {
  json::object m = page.Base("Create a payment run", "/payment-runs");
  m["back_link"] = json::object{{"href", "/payment-runs"}, {"text", "Back to payment runs"}};
  auto approved = Approved(page);
  bool posted = page.call().request().method == "POST";
  std::vector<std::string> chosen = page.form().All("claim_ids");
  std::map<std::string, std::string> names;
  json::array claims;
  for (size_t i = 0; i < approved.size(); ++i) {
    const auto& c = approved[i];
    bool checked = !posted || std::find(chosen.begin(), chosen.end(), c.claim_id) != chosen.end();
    auto s = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(c.service_id));
    claims.push_back(json::object{{"item_id", i == 0 ? std::string("claim_ids") : "claim_ids-" + c.claim_id},
                                  {"claim_id", c.claim_id},
                                  {"claim_ref", ClaimRef(c.claim_id)},
                                  {"provider_name", OrgName(page.ledger(), c.provider)},
                                  {"service_name", s ? s->first.definition.name : c.service_id},
                                  {"period", PeriodText(c.period)},
                                  {"approved_text", FormatDateText(core::Date::FromTimestamp(c.status_since_at))},
                                  {"amount", core::FormatPounds(c.amount)},
                                  {"checked", checked}});
  }
  m["has_claims"] = !claims.empty();
  m["claims"] = claims;
  json::object pay_date = InputField("pay_date", "pay_date", "Pay date");
  pay_date["label_class"] = "nhsuk-label--m";
  pay_date["hint"] = "The day the practices will see the payment in their bank: today or later. For example, " +
                     core::Date::FromTimestamp(page.ledger().Now()).AddDays(7).ToString();
  pay_date["width_class"] = "nhsuk-input--width-10";
  core::Date today = core::Date::FromTimestamp(page.ledger().Now());
  pay_date["value"] = posted ? page.form().Get("pay_date") : today.AddDays(7).ToString();
  json::object claim_ids{{"error", ""}};
  for (const auto& [id, message] : errors) {
    if (id == "pay_date") pay_date["error"] = message;
    if (id == "claim_ids") claim_ids["error"] = message;
  }
  m["fields"] = json::object{{"pay_date", pay_date}, {"claim_ids", claim_ids}};
  if (!errors.empty()) m["error_summary"] = ErrorSummary(errors);
  return page.Render(status, "payment_run_new", m);
}

Response RunNewPage(Page& page) { return RenderRunNew(page, 200, {}); }

Response RunNewPost(Page& page) {
  std::vector<std::pair<std::string, std::string>> errors;
  auto pay_date = core::Date::Parse(page.form().Get("pay_date"));
  if (!pay_date) errors.emplace_back("pay_date", "Enter the pay date as a date, like 2026-04-30");
  std::vector<std::string> ids = page.form().All("claim_ids");
  if (ids.empty()) errors.emplace_back("claim_ids", "Select at least one claim to pay");
  if (!errors.empty()) return RenderRunNew(page, 422, errors);
  core::CreatePaymentRun cmd{"PR-" + ClaimRef(RandomHex(3)), page.who().org_code, *pay_date, ids};
  if (es::Status cited = page.ledger().CiteHead(&cmd); !cited.ok()) {
    errors.emplace_back("claim_ids", "The ledger could not sign its head for this run: " + cited.message());
    return RenderRunNew(page, 503, errors);
  }
  app::ExecuteResult r = page.Execute(cmd);
  if (!r.ok()) {
    if (r.rejected()) {
      for (const auto& e : r.rejection().errors)
        errors.emplace_back(e.path == "pay_date" ? "pay_date" : "claim_ids", e.message);
    }
    if (errors.empty()) errors.emplace_back("claim_ids", RejectionText(r));
    return RenderRunNew(page, 422, errors);
  }
  Flash f;
  f.heading = "Payment run prepared";
  f.body = "Check its claims, then confirm it to send them for payment.";
  return page.Redirect("/payment-runs/" + cmd.run_id, f);
}

Response RenderRun(Page& page, const core::PaymentRunState& s, uint64_t version, int status,
                   const std::vector<std::pair<std::string, std::string>>& errors) {
  json::object m = page.Base("Payment run " + s.run_id, "/payment-runs");
  m["back_link"] = json::object{{"href", "/payment-runs"}, {"text", "Back to payment runs"}};
  std::string confirmed_by, confirmed_text, created_text;
  auto entry = page.ledger().PaymentRun(s.run_id);
  if (entry.ok() && entry->has_value()) {
    const projections::PaymentRunEntry& run = **entry;
    if (run.created_at != 0) created_text = FormatWhen(run.created_at);
    if (run.confirmed_at != 0) {
      confirmed_by = PersonName(page.ledger(), run.confirmed_by);
      confirmed_text = FormatWhen(run.confirmed_at);
    }
  }
  json::array claims;
  for (const auto& line : s.claims) {
    claims.push_back(json::object{{"claim_id", line.claim_id},
                                  {"claim_ref", ClaimRef(line.claim_id)},
                                  {"provider_name", OrgName(page.ledger(), line.provider)},
                                  {"amount", core::FormatPounds(line.amount)}});
  }
  m["run"] = json::object{{"run_id", s.run_id},
                          {"version", version},
                          {"status", RunStatusTag(s.status)},
                          {"pay_date_text", FormatDateText(s.pay_date)},
                          {"total", core::FormatPounds(s.total)},
                          {"prepared_by", PersonName(page.ledger(), s.created_by)},
                          {"created_text", created_text},
                          {"confirmed_by", confirmed_by},
                          {"confirmed_text", confirmed_text},
                          {"paid_reference", s.payment_reference},
                          {"head_position", WithThousands(static_cast<int64_t>(s.head_position))},
                          {"head_hash", s.head_hash},
                          {"tree_root", s.signed_head.tree_root},
                          {"head_signed_text", s.signed_head.signed_at > 0 ? FormatWhen(s.signed_head.signed_at) : ""},
                          {"claims", claims}};
  // As core decides ConfirmPaymentRun: any person who manages the
  // commissioner's payment runs (the page's own action) confirms a run still
  // being prepared.
  m["can_confirm"] = s.status == core::PaymentRunStatus::kCreated;
  // As core decides MarkPaymentRunPaid: a confirmed run is marked paid on its pay date or after.
  bool can_pay = core::DueForPayment(s, core::Date::FromTimestamp(page.ledger().Now()));
  m["can_mark_paid"] = can_pay;
  m["paid_from_text"] = s.status == core::PaymentRunStatus::kConfirmed && !can_pay
                            ? "The practices are paid on " + FormatDateText(s.pay_date) +
                                  ". Record the payment on that day or after, with the remittance reference."
                            : "";
  json::value reference = false;
  if (can_pay) {
    json::object f = InputField("reference", "reference", "Payment reference");
    f["hint"] = "The remittance reference from the payment system";
    f["width_class"] = "nhsuk-input--width-20";
    f["value"] = page.form().Get("reference");
    for (const auto& [id, message] : errors) {
      if (id == "reference") f["error"] = message;
    }
    reference = f;
  }
  m["fields"] = json::object{{"reference", reference}};
  if (!errors.empty()) m["error_summary"] = ErrorSummary(errors);
  return page.Render(status, "payment_run", m);
}

std::optional<std::pair<core::PaymentRunState, uint64_t>> LoadRun(Page& page, const std::string& id) {
  if (!core::IsValidId(id)) return std::nullopt;
  auto run = CurrentState<core::PaymentRunState>(page.ledger(), core::PaymentRunStream(id));
  if (!run || run->first.commissioner != page.who().org_code) return std::nullopt;
  return run;
}

Response RunPage(Page& page) {
  auto run = LoadRun(page, page.call().Param("id"));
  if (!run) return page.NotFound();
  return RenderRun(page, run->first, run->second, 200, {});
}

std::vector<std::string> ClaimIds(const core::PaymentRunState& s) {
  std::vector<std::string> ids;
  for (const auto& l : s.claims) ids.push_back(l.claim_id);
  return ids;
}

Response RunConfirmPost(Page& page) {
  auto run = LoadRun(page, page.call().Param("id"));
  if (!run) return page.NotFound();
  app::ExecuteResult r = page.Execute(core::ConfirmPaymentRun{run->first.run_id, ClaimIds(run->first)});
  if (!r.ok()) return RenderRun(page, run->first, run->second, 422, {{"confirm", RejectionText(r)}});
  Flash f;
  f.heading = "Payment run confirmed";
  f.body = "Its claims have been sent for payment.";
  return page.Redirect("/payment-runs/" + run->first.run_id, f);
}

Response RunPaidPost(Page& page) {
  auto run = LoadRun(page, page.call().Param("id"));
  if (!run) return page.NotFound();
  std::string reference = page.form().Get("reference");
  if (reference.find_first_not_of(' ') == std::string::npos) {
    return RenderRun(page, run->first, run->second, 422, {{"reference", "Enter the payment reference"}});
  }
  app::ExecuteResult r = page.Execute(core::MarkPaymentRunPaid{run->first.run_id, ClaimIds(run->first), reference});
  if (!r.ok()) return RenderRun(page, run->first, run->second, 422, {{"reference", RejectionText(r)}});
  Flash f;
  f.heading = "Payment run marked as paid";
  return page.Redirect("/payment-runs/" + run->first.run_id, f);
}

}  // namespace

void AddApprovalRoutes(const std::shared_ptr<Portal>& p, std::vector<Route>& routes) {
  routes.push_back(PageRoute(p, "GET", "/worklist", std::nullopt, WorklistPage));
  routes.push_back(PageRoute(p, "GET", "/claims/{id}/decision", std::nullopt, DecisionPage));
  routes.push_back(PageRoute(p, "POST", "/claims/{id}/decision", std::nullopt, DecisionPost));
  routes.push_back(PageRoute(p, "GET", "/claims/{id}/hold", Action::kHoldPayment, HoldPage));
  routes.push_back(PageRoute(p, "POST", "/claims/{id}/hold", Action::kHoldPayment, HoldPost));
  routes.push_back(PageRoute(p, "POST", "/claims/{id}/release", Action::kReleasePayment, ReleasePost));
  routes.push_back(PageRoute(p, "GET", "/payment-runs", Action::kManagePaymentRuns, PaymentRunsPage));
  routes.push_back(PageRoute(p, "GET", "/payment-runs/new", Action::kManagePaymentRuns, RunNewPage));
  routes.push_back(PageRoute(p, "POST", "/payment-runs/new", Action::kManagePaymentRuns, RunNewPost));
  routes.push_back(PageRoute(p, "GET", "/payment-runs/{id}", Action::kManagePaymentRuns, RunPage));
  routes.push_back(PageRoute(p, "POST", "/payment-runs/{id}/confirm", Action::kManagePaymentRuns, RunConfirmPost));
  routes.push_back(PageRoute(p, "POST", "/payment-runs/{id}/paid", Action::kManagePaymentRuns, RunPaidPost));
}

std::vector<WorklistStage> StagesOf(const Viewer& v) {
  std::vector<WorklistStage> out;
  if (v.Has(Role::kProviderApprover))
    out.push_back({"provider_approver", "Claims waiting for your practice's approval"});
  if (v.Has(Role::kApproverTier1)) out.push_back({"tier1", "Claims waiting for Tier 1 approval"});
  if (v.Has(Role::kApproverTier2)) out.push_back({"tier2", "Claims waiting for Tier 2 approval"});
  if (v.Has(Role::kFinance)) out.push_back({"finance", "Claims waiting for Finance approval"});
  return out;
}

std::optional<WorklistStage> StageOf(const Viewer& v, std::string_view role) {
  std::vector<WorklistStage> stages = StagesOf(v);
  for (const WorklistStage& s : stages) {
    if (s.role == role) return s;
  }
  if (stages.empty()) return std::nullopt;
  return stages.front();
}

}  // namespace ledger::http::portal
