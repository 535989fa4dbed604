// Practice pages: claims list, new claim, edit, evidence, check, submit, the
// claim page with its history, withdraw, services and offers, statement.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "claim_details.h"
#include "ledger/app/claim_import.h"
#include "ledger/app/evidence_store.h"
#include "ledger/base/csv.h"
#include "ledger/base/sha256.h"
#include "ledger/core/codec.h"
#include "ledger/core/evidence.h"
#include "ledger/core/streams.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/http/evidence_upload.h"
#include "ledger/projections/claim_views.h"
#include "ledger/projections/directory.h"
#include "ledger/projections/reports.h"
#include "ledger/projections/runner.h"
#include "portal_internal.h"

namespace ledger::http::portal {
namespace {

namespace fs = std::filesystem;
using core::Action;
using core::ClaimStatus;

struct LoadedClaim {
  core::ClaimState claim;
  uint64_t version = 0;
  core::ServiceState service;
};

// The claim if it exists and the viewer may do `action` to it.
std::optional<LoadedClaim> LoadClaim(Page& page, const std::string& id, Action action) {
  if (!core::IsValidId(id)) return std::nullopt;
  auto claim = CurrentState<core::ClaimState>(page.ledger(), core::ClaimStream(id));
  if (!claim || claim->first.status == ClaimStatus::kNone || claim->first.status == ClaimStatus::kDeleted) {
    return std::nullopt;
  }
  if (!page.Allowed(action, core::ClaimScope(claim->first.claim))) return std::nullopt;
  LoadedClaim out{claim->first, claim->second, {}};
  auto service = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(claim->first.claim.service_id));
  if (service) out.service = service->first;
  return out;
}

std::optional<core::Pence> PriceNow(Page& page, const LoadedClaim& c) {
  auto period = core::Period::Parse(c.service.definition.frequency, c.claim.claim.period);
  if (!period) return std::nullopt;
  const core::Tariff* tariff = core::TariffFor(c.service, *period);
  if (tariff == nullptr) return std::nullopt;
  auto org = CurrentState<core::OrgState>(page.ledger(), core::OrgStream(c.claim.claim.provider));
  int64_t list_size = 0;
  if (org) list_size = org->first.ListSizeAt(period->end).value_or(0);
  auto priced = core::Price(*tariff, c.claim.values, list_size);
  if (!priced.ok()) return std::nullopt;
  return priced.value();
}

json::object ClaimSummary(Page& page, const LoadedClaim& c) {
  core::Pence amount = c.claim.amount;
  if (c.claim.status == ClaimStatus::kDraft || c.claim.status == ClaimStatus::kReturned) {
    amount = PriceNow(page, c).value_or(c.claim.amount);
  }
  return {{"claim_id", c.claim.claim.claim_id},
          {"claim_ref", ClaimRef(c.claim.claim.claim_id)},
          {"provider_name", OrgName(page.ledger(), c.claim.claim.provider)},
          {"provider_code", c.claim.claim.provider},
          {"service_name", c.service.definition.name},
          {"period", PeriodText(c.claim.claim.period)},
          {"amount", core::FormatPounds(amount)},
          {"version", c.version}};
}

std::string ValueText(const core::Component& comp, int64_t v) {
  switch (comp.unit_kind) {
    case core::UnitKind::kMoney: return core::FormatPounds(v);
    case core::UnitKind::kYesNo: return v != 0 ? "Yes" : "No";
    default: return WithThousands(v);
  }
}

json::array AnswerRows(const LoadedClaim& c, bool with_field_ids) {
  json::array rows;
  for (const auto& comp : c.service.definition.components) {
    auto it = c.claim.values.find(comp.id);
    json::object row{{"label", comp.name},
                     {"value_text", it == c.claim.values.end() ? "Not entered" : ValueText(comp, it->second)}};
    if (with_field_ids) row["field_id"] = "component-" + comp.id;
    rows.push_back(row);
  }
  for (const auto& q : c.service.definition.questions) {
    auto it = c.claim.answers.find(q.id);
    std::string text = it == c.claim.answers.end() || it->second.empty() ? "Not answered" : it->second;
    if (q.kind == core::QuestionKind::kYesNo && text == "yes") text = "Yes";
    if (q.kind == core::QuestionKind::kYesNo && text == "no") text = "No";
    json::object row{{"label", q.text}, {"value_text", text}};
    if (with_field_ids) row["field_id"] = "question-" + q.id;
    rows.push_back(row);
  }
  return rows;
}

json::array EvidenceRows(const LoadedClaim& c) {
  json::array rows;
  for (const auto& e : c.claim.evidence) {
    rows.push_back(json::object{{"filename", e.filename},
                                {"content_type", core::EvidenceLabel(e.content_type)},
                                {"size_text", SizeText(e.size)},
                                {"sha256", e.sha256},
                                {"href", "/claims/" + c.claim.claim.claim_id + "/evidence/" + e.sha256}});
  }
  return rows;
}

// A notice shown on a page rendered in answer to a post (not after a redirect).
json::object NoticeJson(const Flash& f) {
  return {{"success", f.success}, {"heading", f.heading}, {"body", f.body}, {"link", false}};
}

// ---- Evidence files: typed and stored the API's way (core/evidence.h, app/evidence_store.h) ----------

// "PDF, PNG, JPEG, CSV, XLSX, DOCX or plain text, up to 10 MiB"
std::string EvidenceHint() {
  std::string labels;
  const auto& types = core::EvidenceTypes();
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) labels += i + 1 == types.size() ? " or " : ", ";
    labels += i + 1 == types.size() ? "plain text" : std::string(types[i].label);
  }
  return labels + ", up to " + std::to_string(core::kEvidenceMaxBytes / kMiB) + " MiB";
}

// ".pdf,.png,.jpg,...": the file input's accept attribute.
std::string EvidenceAccept() {
  std::string out;
  for (const core::EvidenceType& t : core::EvidenceTypes())
    for (std::string_view e : t.extensions) out += (out.empty() ? "." : ",.") + std::string(e);
  return out;
}

// ---- Claims list -------------------------------------------------------------------------

std::optional<std::vector<ClaimStatus>> StatusFilter(const std::string& slug) {
  using S = ClaimStatus;
  if (slug.empty()) return std::nullopt;
  if (slug == "awaiting")
    return std::vector{S::kAwaitingProviderApproval, S::kAwaitingTier1, S::kAwaitingTier2, S::kAwaitingFinance};
  if (slug == "approved") return std::vector{S::kApprovedForPayment, S::kSentForPayment};
  if (slug == "tier1") return std::vector{S::kAwaitingTier1};
  if (slug == "tier2") return std::vector{S::kAwaitingTier2};
  if (slug == "finance") return std::vector{S::kAwaitingFinance};
  for (int i = 1; i <= static_cast<int>(S::kWithdrawn); ++i) {
    if (StatusSlug(static_cast<S>(i)) == slug) return std::vector{static_cast<S>(i)};
  }
  return std::vector<S>{};
}

std::string ServiceName(Page& page, const std::string& id, std::map<std::string, std::string>& cache) {
  auto it = cache.find(id);
  if (it != cache.end()) return it->second;
  auto s = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(id));
  return cache[id] = s ? s->first.definition.name : id;
}

// One page of the viewer's claims, in the read model's order (by claim
// reference), from at.cursor. A filter of several statuses is applied here, so
// such a page may read on until it has a page's worth (up to twice the size).
std::vector<projections::ClaimView> ClaimsPage(Page& page, const ListPage& at,
                                               const std::optional<std::vector<ClaimStatus>>& filter,
                                               std::string* next_cursor) {
  const Viewer& v = page.viewer();
  projections::ClaimQuery q;
  if (v.IsProvider()) {
    q.provider = v.principal.org_code;
  } else {
    q.commissioner = v.principal.org_code;
  }
  if (filter && filter->size() == 1) q.status = filter->front();
  q.cursor = at.cursor;
  q.limit = page.portal().deps().list_page_size;
  std::vector<projections::ClaimView> claims;
  next_cursor->clear();
  if (filter && filter->empty()) return claims;
  while (true) {
    auto listed = page.ledger().ListClaims(q);
    if (!listed.ok()) return claims;
    for (auto& c : listed.value().claims) {
      if (c.status == ClaimStatus::kDeleted || c.status == ClaimStatus::kNone) continue;
      if (filter && std::find(filter->begin(), filter->end(), c.status) == filter->end()) continue;
      claims.push_back(std::move(c));
    }
    *next_cursor = listed.value().next_cursor;
    if (claims.size() >= q.limit || next_cursor->empty()) return claims;
    q.cursor = *next_cursor;
  }
}

Response ClaimsList(Page& page) {
  const Viewer& v = page.viewer();
  std::string slug = page.call().Query("status");
  ListPage at = ListPageOf(page.call());
  std::string next_cursor;
  std::vector<projections::ClaimView> claims = ClaimsPage(page, at, StatusFilter(slug), &next_cursor);
  std::map<std::string, std::string> names;
  json::array rows;
  for (const auto& c : claims) {
    rows.push_back(json::object{{"claim_id", c.claim_id},
                                {"claim_ref", ClaimRef(c.claim_id)},
                                {"provider_name", v.IsProvider() ? "" : OrgName(page.ledger(), c.provider)},
                                {"service_name", ServiceName(page, c.service_id, names)},
                                {"period", PeriodText(c.period)},
                                {"status", StatusTag(c.status)},
                                {"amount", core::FormatPounds(c.amount)},
                                {"updated_iso", FormatIso(c.status_since_at)},
                                {"updated_text", FormatWhen(c.status_since_at)}});
  }
  json::object m = page.Base("Claims", "/claims");
  m["can_create"] = v.Has(core::Role::kProviderUser);
  m["caption"] = ListCountText(rows.size(), at, next_cursor);
  m["has_claims"] = !rows.empty();
  m["claims"] = rows;
  m["pagination"] = PaginationModel(slug.empty() ? "/claims" : "/claims?status=" + UrlEncode(slug), at, next_cursor);
  json::object status = SelectField("status", "status", "Status");
  status["label_class"] = "nhsuk-label--s";
  json::array options;
  options.push_back(json::object{{"option_value", ""}, {"option_text", "All statuses"}, {"selected", slug.empty()}});
  std::vector<std::pair<std::string, std::string>> choices = {{"draft", "Draft"},
                                                              {"awaiting", "Awaiting approval"},
                                                              {"returned", "Returned for amendment"},
                                                              {"approved", "Approved for payment"},
                                                              {"held", "Payment held"},
                                                              {"paid", "Paid"},
                                                              {"rejected", "Rejected"},
                                                              {"withdrawn", "Withdrawn"}};
  for (const auto& [value, text] : choices) {
    options.push_back(json::object{{"option_value", value}, {"option_text", text}, {"selected", value == slug}});
  }
  status["options"] = options;
  m["fields"] = json::object{{"status", status}};
  return page.Render(200, "claims", m);
}

// ---- New claim -------------------------------------------------------------------------------

std::vector<core::Period> PeriodsOf(const core::ServiceDefinition& def, core::Date today) {
  std::vector<core::Period> out;
  if (def.frequency == core::Frequency::kOneOff) {
    // One-off claims are for the day of the activity: the days whose window is open.
    for (int back = 0; back <= std::min(def.window_days, 62); ++back) {
      core::Date d = today.AddDays(-back);
      if (d >= def.start && d <= def.end) out.push_back(*core::Period::Parse(core::Frequency::kOneOff, d.ToString()));
    }
    return out;
  }
  for (int year = def.start.year() - 1; year <= def.end.year(); ++year) {
    std::vector<std::string> texts;
    switch (def.frequency) {
      case core::Frequency::kMonthly:
        for (int m = 1; m <= 12; ++m) texts.push_back(fmt::format("{}-{:02d}", year, m));
        break;
      case core::Frequency::kQuarterly:
        for (int qn = 1; qn <= 4; ++qn) texts.push_back(fmt::format("{}-Q{}", year, qn));
        break;
      case core::Frequency::kAnnual: texts.push_back(fmt::format("{}/{:02d}", year, (year + 1) % 100)); break;
      case core::Frequency::kOneOff: break;
    }
    for (const auto& t : texts) {
      auto p = core::Period::Parse(def.frequency, t);
      if (p && p->start >= def.start && p->end <= def.end) out.push_back(*p);
    }
  }
  return out;
}

}  // namespace

std::vector<Claimable> ClaimableServices(Page& page) {
  const core::Principal& who = page.who();
  core::Date today = core::Date::FromTimestamp(page.ledger().Now());
  std::vector<Claimable> out;
  projections::ReportParams params;
  params.scope = who.commissioner_code;
  params.filters["provider"] = who.org_code;
  auto offers = page.ledger().RunReport("offers", params);
  if (!offers.ok()) return out;
  std::set<std::string> seen;
  for (const auto& row : offers.value().rows) {
    const std::string* sid = std::get_if<std::string>(&row[0]);
    const std::string* provider = std::get_if<std::string>(&row[1]);
    if (sid == nullptr || provider == nullptr || *provider != who.org_code || !seen.insert(*sid).second) continue;
    auto offer = CurrentState<core::OfferState>(page.ledger(), core::OfferStream(*sid, who.org_code));
    auto service = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(*sid));
    if (!offer || !service || service->first.status != core::ServiceStatus::kPublished) continue;
    Claimable c{service->first, {}};
    for (const auto& period : PeriodsOf(service->first.definition, today)) {
      core::ClaimWindow window = core::WindowFor(service->first.definition, period);
      if (!window.Contains(today) || !core::Participates(offer->first, period)) continue;
      if (core::TariffFor(service->first, period) == nullptr) continue;
      std::string text = period.ToString();
      auto key = CurrentState<core::ClaimKeyState>(page.ledger(), core::ClaimKeyStream(who.org_code, *sid, text));
      if (key && !key->first.holder.empty()) continue;
      c.periods.emplace_back(text, window);
    }
    if (!c.periods.empty()) out.push_back(std::move(c));
  }
  return out;
}

namespace {

std::string PaymentKindText(core::PaymentType type) {
  switch (type) {
    case core::PaymentType::kItemOfService: return "Item of service";
    case core::PaymentType::kPopulation: return "Population";
    case core::PaymentType::kThreshold: return "Threshold";
    case core::PaymentType::kParticipation: return "Participation";
  }
  return "Item of service";
}

std::string PaymentTypeText(const core::ServiceState& s) {
  std::string type = "Item of service";
  if (!s.tariffs.empty()) {
    switch (s.tariffs.back().payment_type) {
      case core::PaymentType::kItemOfService: type = "Item of service"; break;
      case core::PaymentType::kPopulation: type = "Population"; break;
      case core::PaymentType::kThreshold: type = "Threshold"; break;
      case core::PaymentType::kParticipation: type = "Participation"; break;
    }
  }
  return type + ", " + std::string(core::FrequencyName(s.definition.frequency));
}

// The claim holding a provider/service/period key; "" when none does.
std::string KeyHolder(Page& page, const core::ClaimRef& ref) {
  auto key = CurrentState<core::ClaimKeyState>(page.ledger(),
                                               core::ClaimKeyStream(ref.provider, ref.service_id, ref.period));
  return key ? key->first.holder : "";
}

// Why a claim's provider, service and period cannot be claimed again, naming
// the claim that holds them by its reference.
std::string HeldKeyText(Page& page, const core::ClaimRef& ref) {
  const std::string holder = KeyHolder(page, ref);
  return "There is already a claim for " + PeriodText(ref.period) +
         (holder.empty() ? "" : " (claim " + ClaimRef(holder) + ")") + ": only one claim can be made for a period.";
}

// `existing`: the claim already holding the chosen service and period, if that was the problem.
Response RenderClaimNew(Page& page, int status, const std::string& chosen_service, const std::string& chosen_period,
                        const std::vector<std::pair<std::string, std::string>>& errors,
                        const std::string& existing = "") {
  std::vector<Claimable> claimable = ClaimableServices(page);
  json::object m = page.Base("Start a new claim", "/claims");
  m["back_link"] = json::object{{"href", "/claims"}, {"text", "Back to claims"}};
  m["has_services"] = !claimable.empty();
  json::object service = ChoiceField("service", "service", "Which service are you claiming for?");
  service["legend_class"] = "nhsuk-fieldset__legend--m";
  service["hint"] = "Only services you have accepted, with a claim window open now, are listed";
  json::array items;
  json::object period = SelectField("period", "period", "Which period is the claim for?");
  period["label_class"] = "nhsuk-label--m";
  json::array options;
  options.push_back(
      json::object{{"option_value", ""}, {"option_text", "Choose a period"}, {"selected", chosen_period.empty()}});
  std::set<std::string> listed_periods;
  for (size_t i = 0; i < claimable.size(); ++i) {
    const auto& c = claimable[i];
    items.push_back(ChoiceItem("service", i == 0, c.service.service_id, c.service.definition.name,
                               c.service.service_id == chosen_service, PaymentTypeText(c.service)));
    for (const auto& [p, window] : c.periods) {
      if (!chosen_service.empty() && c.service.service_id != chosen_service) continue;
      if (!listed_periods.insert(p).second) continue;
      options.push_back(json::object{{"option_value", p},
                                     {"option_text", fmt::format("{} (window closes {})", PeriodText(p),
                                                                 FormatDateText(window.closes))},
                                     {"selected", p == chosen_period}});
    }
  }
  service["items"] = items;
  period["options"] = options;
  for (const auto& [id, message] : errors) {
    if (id == "service") service["error"] = message;
    if (id == "period") period["error"] = message;
  }
  m["fields"] = json::object{{"service", service}, {"period", period}};
  if (!errors.empty()) m["error_summary"] = ErrorSummary(errors);
  m["existing_claim"] = existing.empty()
                            ? json::value(false)
                            : json::value(json::object{{"claim_id", existing}, {"ref", ClaimRef(existing)}});
  return page.Render(status, "claim_new", m);
}

Response ClaimNew(Page& page) { return RenderClaimNew(page, 200, page.call().Query("service"), "", {}); }

std::string NewClaimId() { return "c-" + RandomHex(4); }

Response ClaimNewPost(Page& page) {
  std::string service_id = page.form().Get("service");
  std::string period = page.form().Get("period");
  std::vector<std::pair<std::string, std::string>> errors;
  if (service_id.empty()) errors.emplace_back("service", "Select the service you are claiming for");
  if (period.empty()) errors.emplace_back("period", "Select the period the claim is for");
  if (!errors.empty()) return RenderClaimNew(page, 422, service_id, period, errors);
  const core::Principal& who = page.who();
  core::ClaimRef ref{NewClaimId(), who.org_code, who.commissioner_code, service_id, period};
  app::ExecuteResult r = page.Execute(core::CreateClaimDraft{ref});
  if (r.rejected() && r.rejection().code == "duplicate_claim") {
    // Another claim took the service and period (in another tab, say): name it and link to it.
    errors.emplace_back("period", HeldKeyText(page, ref) + " Open that claim, or choose another period.");
    return RenderClaimNew(page, 409, service_id, period, errors, KeyHolder(page, ref));
  }
  if (!r.ok()) {
    std::string message = RejectionText(r);
    std::string field = "period";
    if (r.rejected()) {
      for (const auto& e : r.rejection().errors) {
        if (e.path == "service" || e.path == "service_id") field = "service";
        if (!e.message.empty()) message = e.message;
      }
    }
    errors.emplace_back(field, message.empty() ? "You cannot claim for this service and period" : message);
    return RenderClaimNew(page, 422, service_id, period, errors);
  }
  return page.Redirect("/claims/" + ref.claim_id + "/edit");
}

// ---- Edit --------------------------------------------------------------------------------

// Why a returned claim came back, from the claims read model.
std::string ReturnReason(Page& page, const std::string& claim_id) {
  auto view = page.ledger().GetClaim(claim_id);
  if (!view.ok() || !view->has_value() || (*view)->status != ClaimStatus::kReturned) return {};
  return (*view)->last_reason;
}

// Field id on the edit page for a FieldError path.
std::string FieldIdFor(const std::string& path) {
  if (path.rfind("components.", 0) == 0) return "component-" + path.substr(11);
  if (path.rfind("answers.", 0) == 0) return "question-" + path.substr(8);
  if (path == "evidence") return "evidence_file";
  return {};
}

// Renders the edit page. `typed` (field name -> text) overrides stored values;
// errors are (field id, message).
// The input for one component's unit value: what was typed, else what is
// stored; counts of patients capped at the list size the claim is priced with.
json::object ComponentField(const core::Component& comp, const LoadedClaim& c,
                            const std::map<std::string, std::string>& typed, std::optional<int64_t> list_size) {
  std::string id = "component-" + comp.id;
  std::string name = "component." + comp.id;
  json::object f = InputField(id, name, comp.name);
  auto stored = c.claim.values.find(comp.id);
  auto t = typed.find(name);
  std::string value;
  if (t != typed.end()) {
    value = t->second;
  } else if (stored != c.claim.values.end()) {
    value = comp.unit_kind == core::UnitKind::kMoney ? PoundsInput(stored->second) : std::to_string(stored->second);
  }
  f["value"] = value;
  f["required"] = comp.required;
  if (comp.unit_kind == core::UnitKind::kMoney) {
    f["hint"] = fmt::format("In pounds and pence, up to {}", core::FormatPounds(comp.max));
    f["prefix"] = "£";
    f["inputmode"] = "decimal";
    f["width_class"] = "nhsuk-input--width-10";
    f["max_value"] = PoundsInput(comp.max);
  } else if (comp.unit_kind == core::UnitKind::kYesNo) {
    f["hint"] = "Enter 1 for yes or 0 for no";
    f["inputmode"] = "numeric";
    f["width_class"] = "nhsuk-input--width-2";
    f["max_value"] = "1";
  } else {
    int64_t max = comp.max;
    if (list_size && *list_size >= comp.min && *list_size < max) max = *list_size;
    f["hint"] = fmt::format("A whole number, {} to {}{}", WithThousands(comp.min), WithThousands(max),
                            max < comp.max ? " (your registered list size)" : "");
    f["inputmode"] = "numeric";
    f["width_class"] = "nhsuk-input--width-5";
    f["max_value"] = std::to_string(max);
  }
  return f;
}

// The input for one question's answer: what was typed, else what is stored.
json::object QuestionField(const core::Question& q, const LoadedClaim& c,
                           const std::map<std::string, std::string>& typed) {
  std::string id = "question-" + q.id;
  std::string name = "question." + q.id;
  auto stored = c.claim.answers.find(q.id);
  auto t = typed.find(name);
  std::string value = t != typed.end() ? t->second : (stored != c.claim.answers.end() ? stored->second : "");
  json::object f;
  if (q.kind == core::QuestionKind::kYesNo) {
    f = ChoiceField(id, name, q.text);
    f["legend_class"] = "nhsuk-fieldset__legend--s";
    f["inline"] = true;
    f["items"] = json::array{ChoiceItem(id, true, "yes", "Yes", value == "yes"),
                             ChoiceItem(id, false, "no", "No", value == "no")};
  } else if (q.kind == core::QuestionKind::kNumber) {
    f = InputField(id, name, q.text);
    f["value"] = value;
    f["inputmode"] = "numeric";
    f["width_class"] = "nhsuk-input--width-5";
  } else {
    f = TextareaField(id, name, q.text);
    f["value"] = value;
  }
  f["is_text"] = q.kind == core::QuestionKind::kText;
  f["is_number"] = q.kind == core::QuestionKind::kNumber;
  f["is_yes_no"] = q.kind == core::QuestionKind::kYesNo;
  return f;
}

// `errors` by value: an error without a field is given to the first component below.
Response RenderEdit(Page& page, const LoadedClaim& c, int status, const std::map<std::string, std::string>& typed,
                    std::vector<std::pair<std::string, std::string>> errors,  // NOLINT(performance-*)
                    const std::optional<Flash>& notice = std::nullopt) {
  json::object m = page.Base("Enter your claim", "/claims");
  if (notice) m["flash"] = NoticeJson(*notice);
  m["back_link"] = json::object{{"href", "/claims/" + c.claim.claim.claim_id}, {"text", "Back to claim"}};
  m["claim"] = ClaimSummary(page, c);
  m["return_reason"] = c.claim.status == ClaimStatus::kReturned ? ReturnReason(page, c.claim.claim.claim_id) : "";
  std::map<std::string, std::string> error_of;
  for (auto& [id, message] : errors) {
    if (id.empty())
      id = c.service.definition.components.empty() ? "evidence_file"
                                                   : "component-" + c.service.definition.components[0].id;
    if (!error_of.count(id)) error_of[id] = message;
  }
  // Counts of patients cannot exceed the list size the claim is priced with.
  std::optional<int64_t> list_size;
  if (auto period = core::Period::Parse(c.service.definition.frequency, c.claim.claim.period)) {
    if (auto org = CurrentState<core::OrgState>(page.ledger(), core::OrgStream(c.claim.claim.provider))) {
      list_size = org->first.ListSizeAt(period->end);
    }
  }
  json::array components;
  for (const auto& comp : c.service.definition.components) {
    json::object f = ComponentField(comp, c, typed, list_size);
    if (auto e = error_of.find("component-" + comp.id); e != error_of.end()) f["error"] = e->second;
    components.push_back(f);
  }
  m["components"] = components;
  json::array questions;
  for (const auto& q : c.service.definition.questions) {
    json::object f = QuestionField(q, c, typed);
    if (auto e = error_of.find("question-" + q.id); e != error_of.end()) f["error"] = e->second;
    questions.push_back(f);
  }
  m["has_questions"] = !questions.empty();
  m["questions"] = questions;
  m["evidence_required"] = c.service.definition.evidence_required;
  json::array evidence = EvidenceRows(c);
  m["has_evidence"] = !evidence.empty();
  m["evidence"] = evidence;
  m["can_delete"] = c.claim.status == ClaimStatus::kDraft;
  json::object file = FileField("evidence_file", "evidence_file", "Add an evidence file");
  file["label_class"] = "nhsuk-label--s";
  file["hint"] = EvidenceHint();
  file["accept"] = EvidenceAccept();
  file["form"] = "claim-form";
  if (error_of.count("evidence_file")) file["error"] = error_of["evidence_file"];
  m["fields"] = json::object{{"evidence_file", file}};
  if (!errors.empty()) m["error_summary"] = ErrorSummary(errors);
  return page.Render(status, "claim_edit", m);
}

Response ClaimEdit(Page& page) {
  auto c = LoadClaim(page, page.call().Param("id"), Action::kPrepareClaim);
  if (!c || !core::IsEditable(c->claim.status)) return page.NotFound();
  return RenderEdit(page, *c, 200, {}, {});
}

uint64_t VersionField(Page& page) {
  auto v = ParseWholeNumber(page.form().Get("version"));
  return v && *v > 0 ? static_cast<uint64_t>(*v) : 0;
}

std::optional<app::Precondition> VersionCheck(Page& page, const std::string& claim_id) {
  uint64_t v = VersionField(page);
  if (v == 0) return std::nullopt;
  return app::Precondition{core::ClaimStream(claim_id), v};
}

// What the edit form holds: the typed text of every field, the values and
// answers read from it, and a problem for each value that cannot be read.
struct TypedEntry {
  std::map<std::string, std::string> typed;
  std::vector<std::pair<std::string, std::string>> errors;
  core::UnitValues values;
  core::Answers answers;
};

TypedEntry ReadEntry(Page& page, const LoadedClaim& c) {
  TypedEntry out;
  for (const auto& comp : c.service.definition.components) {
    std::string name = "component." + comp.id;
    std::string text = page.form().Get(name);
    out.typed[name] = text;
    if (text.find_first_not_of(' ') == std::string::npos) continue;
    std::optional<int64_t> v = comp.unit_kind == core::UnitKind::kMoney ? ParsePounds(text) : ParseWholeNumber(text);
    if (!v) {
      out.errors.emplace_back("component-" + comp.id, comp.unit_kind == core::UnitKind::kMoney
                                                          ? "Enter " + comp.name + " in pounds and pence, like 312.40"
                                                          : "Enter " + comp.name + " as a whole number");
      continue;
    }
    if (*v < comp.min || *v > comp.max) {
      out.errors.emplace_back("component-" + comp.id, "Enter a value for " + comp.name + " between " +
                                                          ValueText(comp, comp.min) + " and " +
                                                          ValueText(comp, comp.max));
      continue;
    }
    out.values[comp.id] = *v;
  }
  for (const auto& q : c.service.definition.questions) {
    std::string name = "question." + q.id;
    std::string text = page.form().Get(name);
    out.typed[name] = text;
    if (!text.empty()) out.answers[q.id] = text;
  }
  return out;
}

// An uploaded evidence file, typed by content and stored the API's way, then
// attached to the claim. The problem to show on the file field, or the
// evidence attached.
struct Attached {
  std::string error;
  int status = 422;
  core::Evidence evidence;
};

Attached AttachUploaded(Page& page, const LoadedClaim& c, const UploadedFile* file) {
  const std::string filename = file == nullptr ? "" : core::EvidenceFilename(file->filename);
  const std::filesystem::path& dir = page.portal().deps().ledger->evidence_dir();
  if (file == nullptr || file->bytes.empty()) return {"Select a file to upload"};
  if (dir.empty()) return {"Evidence cannot be uploaded at the moment"};
  auto detected = core::DetectEvidenceType(file->bytes, filename, MediaTypeOf(file->content_type));
  if (!detected.ok()) return {detected.rejection().message};
  const core::EvidenceType* type = *detected;
  std::string sha = base::Sha256Hex(file->bytes);
  if (!app::StoreEvidence(dir, sha, file->bytes).ok()) return {"The file could not be stored. Try again.", 500};
  core::Evidence e{sha, filename.empty() ? "evidence." + std::string(type->extensions.front()) : filename,
                   std::string(type->media_type), static_cast<int64_t>(file->bytes.size())};
  app::ExecuteResult r = page.Execute(core::AttachEvidence{c.claim.claim, e});
  if (!r.ok()) return {RejectionText(r)};
  return {"", 200, std::move(e)};
}

bool HasFile(const UploadedFile* file) { return file != nullptr && !file->bytes.empty(); }

// The edit form with values that could not be saved: what was typed stays;
// a file chosen with them is attached all the same (it does not depend on the
// values), and the page says so.
Response EntryNotSaved(Page& page, const LoadedClaim& c, const TypedEntry& entry,
                       std::vector<std::pair<std::string, std::string>> errors) {  // NOLINT(performance-*)
  const UploadedFile* file = page.form().File("evidence_file");
  std::optional<Flash> notice;
  if (HasFile(file)) {
    Attached attached = AttachUploaded(page, c, file);
    if (!attached.error.empty()) {
      errors.emplace_back("evidence_file", "The file was not added: " + attached.error);
    } else {
      notice = Flash{true, "File uploaded",
                     attached.evidence.filename +
                         " has been added to the claim. Your values have not been saved "
                         "yet: correct them and save again."};
    }
  }
  auto fresh = LoadClaim(page, c.claim.claim.claim_id, Action::kPrepareClaim);
  return RenderEdit(page, fresh ? *fresh : c, 422, entry.typed, std::move(errors), notice);
}

// One form saves the values and answers as typed and, in the same post,
// attaches a chosen file ("Upload file") or removes a listed one ("Remove"):
// nothing typed is lost whichever button is pressed.
Response ClaimEditPost(Page& page) {
  auto c = LoadClaim(page, page.call().Param("id"), Action::kPrepareClaim);
  if (!c || !core::IsEditable(c->claim.status)) return page.NotFound();
  const std::string& id = c->claim.claim.claim_id;
  TypedEntry entry = ReadEntry(page, *c);
  if (!entry.errors.empty()) return EntryNotSaved(page, *c, entry, entry.errors);
  app::ExecuteResult r = page.Execute(core::EnterClaimValues{c->claim.claim, entry.values, entry.answers},
                                      VersionCheck(page, id));
  if (!r.ok()) {
    std::vector<std::pair<std::string, std::string>> errors;
    if (r.rejected()) {
      for (const auto& e : r.rejection().errors) errors.emplace_back(FieldIdFor(e.path), e.message);
    }
    if (errors.empty()) errors.emplace_back("", RejectionText(r));
    return EntryNotSaved(page, *c, entry, std::move(errors));
  }
  const std::string next = page.form().Get("next");
  const UploadedFile* file = page.form().File("evidence_file");
  Flash f{true, "Your claim has been saved", "It is a draft until you submit it."};
  if (HasFile(file) || next == "upload") {
    Attached attached = AttachUploaded(page, *c, file);
    if (!attached.error.empty()) {
      auto fresh = LoadClaim(page, id, Action::kPrepareClaim);
      return RenderEdit(page, fresh ? *fresh : *c, attached.status, entry.typed,
                        {{"evidence_file", attached.error + ". Your values have been saved."}});
    }
    f = Flash{true, "File uploaded",
              attached.evidence.filename + " has been added to the claim and your values saved."};
  }
  if (std::string sha = page.form().Get("remove_evidence"); !sha.empty()) {
    app::ExecuteResult removed = page.Execute(core::RemoveEvidence{c->claim.claim, sha});
    if (!removed.ok()) return RenderEdit(page, *c, 422, entry.typed, {{"evidence_file", RejectionText(removed)}});
    f = Flash{true, "File removed", "Your values have been saved."};
  }
  if (next == "check") return page.Redirect("/claims/" + id + "/check");
  return page.Redirect("/claims/" + id + "/edit", f);
}

// The upload of a file alone (the edit page posts its file with the form).
Response EvidencePost(Page& page) {
  auto c = LoadClaim(page, page.call().Param("id"), Action::kPrepareClaim);
  if (!c || !core::IsEditable(c->claim.status)) return page.NotFound();
  Attached attached = AttachUploaded(page, *c, page.form().File("evidence_file"));
  if (!attached.error.empty()) return RenderEdit(page, *c, attached.status, {}, {{"evidence_file", attached.error}});
  Flash f{true, "File uploaded", attached.evidence.filename + " has been added to the claim."};
  return page.Redirect("/claims/" + c->claim.claim.claim_id + "/edit", f);
}

Response EvidenceRemovePost(Page& page) {
  auto c = LoadClaim(page, page.call().Param("id"), Action::kPrepareClaim);
  if (!c || !core::IsEditable(c->claim.status)) return page.NotFound();
  app::ExecuteResult r = page.Execute(core::RemoveEvidence{c->claim.claim, page.call().Param("sha")});
  if (!r.ok()) return RenderEdit(page, *c, 422, {}, {{"evidence_file", RejectionText(r)}});
  return page.Redirect("/claims/" + c->claim.claim.claim_id + "/edit");
}

Response EvidenceDownload(Page& page) {
  auto c = LoadClaim(page, page.call().Param("id"), Action::kViewClaim);
  if (!c) return page.NotFound();
  const std::string& sha = page.call().Param("sha");
  std::vector<core::Evidence> known = c->claim.evidence;
  auto it = std::find_if(known.begin(), known.end(), [&](const auto& e) { return e.sha256 == sha; });
  if (it == known.end() || page.portal().deps().ledger->evidence_dir().empty()) return page.NotFound();
  auto bytes = app::ReadEvidence(page.portal().deps().ledger->evidence_dir(), sha);
  if (!bytes.ok()) return page.NotFound();
  Response r = http::EvidenceDownload(std::move(bytes).value(), *it);
  r.Set("Cache-Control", "private, no-store");
  return r;
}

Response DeletePost(Page& page) {
  auto c = LoadClaim(page, page.call().Param("id"), Action::kPrepareClaim);
  if (!c || c->claim.status != ClaimStatus::kDraft) return page.NotFound();
  app::ExecuteResult r = page.Execute(core::DeleteClaimDraft{c->claim.claim});
  if (!r.ok()) return RenderEdit(page, *c, 422, {}, {{"", RejectionText(r)}});
  Flash f;
  f.heading = "Draft claim deleted";
  return page.Redirect("/claims", f);
}

// ---- Check and submit ------------------------------------------------------------------------

Response ClaimCheck(Page& page) {
  auto c = LoadClaim(page, page.call().Param("id"), Action::kSubmitClaim);
  if (!c || !core::IsEditable(c->claim.status)) return page.NotFound();
  json::object m = page.Base("Check your claim", "/claims");
  m["back_link"] = json::object{{"href", "/claims/" + c->claim.claim.claim_id + "/edit"}, {"text", "Back"}};
  m["claim"] = ClaimSummary(page, *c);
  m["answers"] = AnswerRows(*c, true);
  json::array evidence;
  for (const auto& e : c->claim.evidence) evidence.push_back(json::object{{"filename", e.filename}});
  m["evidence"] = evidence;
  auto period = core::Period::Parse(c->service.definition.frequency, c->claim.claim.period);
  const core::Tariff* tariff = period ? core::TariffFor(c->service, *period) : nullptr;
  m["pricing_explanation"] = tariff ? fmt::format("Worked out with the tariff in force from {}.",
                                                  FormatDateText(tariff->effective_from))
                                    : "There is no tariff for this period yet.";
  auto org = CurrentState<core::OrgState>(page.ledger(), core::OrgStream(c->claim.claim.provider));
  bool multi = org && org->first.approval_mode == core::ApprovalMode::kMultiLevel;
  m["submit_explanation"] = std::string(multi ? "Your practice approver will check the claim before it goes to the "
                                                "commissioner. "
                                              : "The claim goes to your commissioner to be checked. ") +
                            "By submitting you confirm the figures are correct and match your clinical records.";
  return page.Render(200, "claim_check", m);
}

Response SubmitPost(Page& page) {
  auto c = LoadClaim(page, page.call().Param("id"), Action::kSubmitClaim);
  if (!c || !core::IsEditable(c->claim.status)) return page.NotFound();
  const std::string& id = c->claim.claim.claim_id;
  app::ExecuteResult r = page.Execute(core::SubmitClaim{c->claim.claim}, VersionCheck(page, id));
  std::vector<std::pair<std::string, std::string>> errors;
  if (r.ok() && !r.executed().validation_errors.empty()) {
    for (const auto& e : r.executed().validation_errors)
      errors.emplace_back(FieldIdFor(e.path),
                          e.code == "duplicate_claim" ? HeldKeyText(page, c->claim.claim) : e.message);
  } else if (!r.ok()) {
    if (r.rejected()) {
      for (const auto& e : r.rejection().errors) errors.emplace_back(FieldIdFor(e.path), e.message);
    }
    if (errors.empty()) errors.emplace_back("", RejectionText(r));
  }
  if (!errors.empty()) {
    auto fresh = LoadClaim(page, id, Action::kPrepareClaim);
    return RenderEdit(page, fresh ? *fresh : *c, 422, {}, errors);
  }
  Flash f;
  f.heading = "Claim submitted";
  f.body = "Claim " + ClaimRef(id) + " has been sent for approval.";
  return page.Redirect("/claims/" + id, f);
}

// ---- The claim page -------------------------------------------------------------------------

struct TimelineEntry {
  std::string title, actor, detail, reason;
  core::Timestamp at = 0;
};

std::string TierTitle(core::ApprovalTier t) {
  switch (t) {
    case core::ApprovalTier::kProvider: return "Approved by the practice";
    case core::ApprovalTier::kTier1: return "Approved at Tier 1";
    case core::ApprovalTier::kTier2: return "Approved at Tier 2";
    case core::ApprovalTier::kFinance: return "Approved by Finance";
  }
  return "Approved";
}

std::string ReasonCodeText(const std::string& code) {
  for (const auto& rc : core::RejectionReasonCodes()) {
    if (rc.code == code) return std::string(rc.description);
  }
  return code;
}

std::optional<TimelineEntry> Describe(const core::Event& event) {
  TimelineEntry t;
  bool known = true;
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, core::ClaimDrafted>) {
          t.title = "Draft started";
        } else if constexpr (std::is_same_v<E, core::ClaimValuesEntered>) {
          t.title = "Values entered";
        } else if constexpr (std::is_same_v<E, core::EvidenceAttached>) {
          t.title = "Evidence added";
          t.detail = e.evidence.filename + ", " + SizeText(e.evidence.size);
        } else if constexpr (std::is_same_v<E, core::EvidenceRemoved>) {
          t.title = "Evidence removed";
        } else if constexpr (std::is_same_v<E, core::ClaimSubmissionFailed>) {
          t.title = "Submission failed validation";
          for (const auto& err : e.errors) t.detail += (t.detail.empty() ? "" : " ") + err.message;
        } else if constexpr (std::is_same_v<E, core::ClaimSubmitted>) {
          t.title = "Submitted";
          t.detail = fmt::format("{}, {}, tariff from {}", core::FormatPounds(e.amount), RiskBandText(e.risk_band),
                                 FormatDateText(e.tariff_effective_from));
        } else if constexpr (std::is_same_v<E, core::ClaimApprovedByProvider>) {
          t.title = "Approved by the practice";
        } else if constexpr (std::is_same_v<E, core::ClaimReturnedByProvider>) {
          t.title = "Returned by the practice approver";
          t.reason = e.reason;
        } else if constexpr (std::is_same_v<E, core::ClaimApprovedAtTier>) {
          t.title = TierTitle(e.tier);
        } else if constexpr (std::is_same_v<E, core::ClaimApprovedForPayment>) {
          t.title = "Approved for payment";
          t.detail = core::FormatPounds(e.amount);
        } else if constexpr (std::is_same_v<E, core::ClaimRejected>) {
          t.title = "Rejected";
          t.reason = ReasonCodeText(e.reason_code) + ": " + e.reason;
        } else if constexpr (std::is_same_v<E, core::ClaimReturned>) {
          t.title = "Returned for amendment";
          t.reason = e.reason;
        } else if constexpr (std::is_same_v<E, core::ClaimWithdrawn>) {
          t.title = "Withdrawn";
          t.reason = e.reason;
        } else if constexpr (std::is_same_v<E, core::PaymentHeld>) {
          t.title = "Payment held";
          t.reason = e.reason;
        } else if constexpr (std::is_same_v<E, core::PaymentReleased>) {
          t.title = "Payment released";
        } else if constexpr (std::is_same_v<E, core::ClaimAddedToPaymentRun>) {
          t.title = "Added to payment run";
          t.detail = "Run " + e.run_id + ", pay date " + FormatDateText(e.pay_date);
        } else if constexpr (std::is_same_v<E, core::ClaimSentForPayment>) {
          t.title = "Sent for payment";
          t.detail = "Run " + e.run_id;
        } else if constexpr (std::is_same_v<E, core::ClaimPaid>) {
          t.title = "Paid";
          t.detail = "Run " + e.run_id + ", payment reference " + e.reference;
        } else if constexpr (std::is_same_v<E, core::AdjustmentRaised>) {
          t.title = "Adjustment raised";
          t.detail = core::FormatPounds(e.amount);
          t.reason = e.reason;
        } else {
          known = false;
        }
      },
      event);
  if (!known) return std::nullopt;
  return t;
}

// Every event of the claim from the audit read model (never the log), in log order.
std::vector<std::pair<std::string, core::Event>> ClaimEvents(Page& page, const std::string& claim_id) {
  std::vector<std::pair<std::string, core::Event>> out;  // actor, event
  std::string cursor;
  do {
    auto audit = page.ledger().ClaimAudit(claim_id, cursor);
    if (!audit.ok()) break;
    for (const projections::AuditEntry& entry : audit->entries) {
      boost::system::error_code ec;
      json::value parsed = json::parse(entry.json, ec);
      const json::object* object = ec ? nullptr : parsed.if_object();
      const json::value* event = object ? object->if_contains("event") : nullptr;
      if (event == nullptr || !event->is_object()) continue;
      auto decoded = core::FromJson(event->get_object());  // core::ToJson's view, with its "type"
      if (!decoded.ok()) continue;
      const json::value* actor = object->if_contains("actor");
      out.emplace_back(actor && actor->is_string() ? std::string(actor->get_string()) : "", std::move(decoded.value()));
    }
    cursor = audit->next_cursor;
  } while (!cursor.empty());
  return out;
}

json::array Timeline(Page& page, const std::string& claim_id, std::string* decision_heading, std::string* decision_code,
                     std::string* decision_reason) {
  json::array out;
  std::map<std::string, std::pair<std::string, std::string>> people;  // username -> name, organisation
  for (const auto& [actor_id, event] : ClaimEvents(page, claim_id)) {
    auto entry = Describe(event);
    if (!entry) continue;
    if (auto* r = std::get_if<core::ClaimRejected>(&event)) {
      *decision_heading = "Reason for rejection";
      *decision_code = ReasonCodeText(r->reason_code);
      *decision_reason = r->reason;
    } else if (auto* r2 = std::get_if<core::ClaimReturned>(&event)) {
      *decision_heading = "Reason for returning the claim";
      *decision_code = "";
      *decision_reason = r2->reason;
    } else if (std::holds_alternative<core::ClaimSubmitted>(event)) {
      decision_heading->clear();
      decision_code->clear();
      decision_reason->clear();
    }
    std::string actor = actor_id, org;
    if (!actor.empty()) {
      auto it = people.find(actor);
      if (it == people.end()) {
        // Names from the directory read model, never by folding the person's stream.
        auto person = page.ledger().Person(actor);
        const bool known = person.ok() && person->has_value();
        std::string name = known && !(*person)->full_name.empty() ? (*person)->full_name : actor;
        std::string org_name = known ? OrgName(page.ledger(), (*person)->org_code) : "";
        it = people.emplace(actor, std::make_pair(name, org_name)).first;
      }
      actor = it->second.first;
      org = it->second.second;
    }
    const core::Timestamp at = std::visit([](const auto& e) { return e.at; }, event);
    out.push_back(json::object{{"title", entry->title},
                               {"actor", actor},
                               {"actor_organisation", org},
                               {"at_iso", FormatIso(at)},
                               {"at_text", FormatWhen(at)},
                               {"detail", entry->detail},
                               {"reason", entry->reason}});
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// The claim page's buttons: exactly the actions core offers the viewer now
// (`available` lists their names, as GET /api/v1/claims/{id} does).
json::object PageActions(Page& page, const core::ClaimState& s) {
  json::array available;
  for (core::ClaimAction a : core::AvailableActions(s, page.who()))
    available.push_back(json::string(core::ClaimActionName(a)));
  auto may = [&](core::ClaimAction a) { return core::MayTake(s, page.who(), a); };
  bool edit = may(core::ClaimAction::kEdit);
  return {{"decide",
           may(core::ClaimAction::kApprove) || may(core::ClaimAction::kReturn) || may(core::ClaimAction::kReject)},
          {"edit", edit},
          {"edit_text", !edit                                ? ""
                        : s.status == ClaimStatus::kReturned ? "Amend and resubmit"
                                                             : "Continue the claim"},
          {"hold", may(core::ClaimAction::kHoldPayment)},
          {"release", may(core::ClaimAction::kReleasePayment)},
          {"withdraw", may(core::ClaimAction::kWithdraw)},
          {"available", std::move(available)}};
}

}  // namespace

Response RenderClaimPage(Page& page, const std::string& claim_id, int status, const std::optional<Flash>& notice) {
  auto c = LoadClaim(page, claim_id, Action::kViewClaim);
  if (!c) return page.NotFound();
  const core::ClaimState& s = c->claim;
  json::object m = page.Base("Claim " + ClaimRef(s.claim.claim_id), "/claims");
  if (notice) m["flash"] = NoticeJson(*notice);
  m["breadcrumbs"] = json::object{{"items", json::array{json::object{{"href", "/"}, {"text", "Home"}},
                                                        json::object{{"href", "/claims"}, {"text", "Claims"}}}},
                                  {"back", json::object{{"href", "/claims"}, {"text", "Back to claims"}}}};
  json::object claim = ClaimSummary(page, *c);
  claim["status"] = StatusTag(s.status);
  bool submitted = s.submissions > 0 && s.status != ClaimStatus::kDraft;
  claim["risk_band"] = submitted ? json::value(RiskTag(s.risk_band)) : json::value(false);
  claim["tariff_version"] = "";
  claim["payment_run"] = s.payment_run;
  claim["payment_reference"] = s.payment_reference;
  claim["hold_reason"] = s.status == ClaimStatus::kPaymentHeld ? s.hold_reason : "";
  std::string heading, code, reason;
  json::array timeline = Timeline(page, s.claim.claim_id, &heading, &code, &reason);
  bool show_decision = s.status == ClaimStatus::kRejected || s.status == ClaimStatus::kReturned;
  claim["decision_heading"] = show_decision ? heading : "";
  claim["decision_code"] = show_decision ? code : "";
  claim["decision_reason"] = show_decision ? reason : "";
  m["claim"] = claim;
  json::object actions = PageActions(page, s);
  bool any = false;
  for (const auto& kv : actions) any = any || (kv.value().is_bool() && kv.value().as_bool());
  m["has_actions"] = any;
  m["actions"] = actions;
  m["answers"] = AnswerRows(*c, false);
  json::array evidence = EvidenceRows(*c);
  m["has_evidence"] = !evidence.empty();
  m["evidence"] = evidence;
  m["timeline"] = timeline;
  return page.Render(status, "claim", m);
}

json::object ClaimDetails(Page& page, const core::ClaimState& claim) {
  LoadedClaim c{claim, 0, {}};
  if (auto service = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(claim.claim.service_id)))
    c.service = service->first;
  std::string tariff;
  json::array returns;
  std::map<std::string, std::string> names;  // username -> full name
  for (const auto& [actor, event] : ClaimEvents(page, claim.claim.claim_id)) {
    if (const auto* e = std::get_if<core::ClaimSubmitted>(&event)) {
      tariff = fmt::format("{}, in force from {}; list size {}", PaymentKindText(e->payment_type),
                           FormatDateText(e->tariff_effective_from), WithThousands(e->list_size));
    }
    const bool returned = std::holds_alternative<core::ClaimReturned>(event) ||
                          std::holds_alternative<core::ClaimReturnedByProvider>(event);
    if (!returned) continue;
    auto entry = Describe(event);
    const core::Timestamp at = std::visit([](const auto& e) { return e.at; }, event);
    if (!names.count(actor)) names[actor] = PersonName(page.ledger(), actor);
    returns.push_back(json::object{{"title", entry ? entry->title : "Returned"},
                                   {"actor", names[actor]},
                                   {"at_iso", FormatIso(at)},
                                   {"at_text", FormatWhen(at)},
                                   {"reason", entry ? entry->reason : ""}});
  }
  std::reverse(returns.begin(), returns.end());
  json::array evidence = EvidenceRows(c);
  return {{"answers", AnswerRows(c, false)}, {"has_evidence", !evidence.empty()},
          {"evidence", std::move(evidence)}, {"tariff", tariff},
          {"has_returns", !returns.empty()}, {"returns", std::move(returns)}};
}

namespace {

Response ClaimPage(Page& page) { return RenderClaimPage(page, page.call().Param("id"), 200, std::nullopt); }

// ---- Withdraw ------------------------------------------------------------------------------------

Response WithdrawPage(Page& page) {
  auto c = LoadClaim(page, page.call().Param("id"), Action::kWithdrawClaim);
  if (!c || !core::MayTake(c->claim, page.who(), core::ClaimAction::kWithdraw)) return page.NotFound();
  json::object m = page.Base("Withdraw claim", "/claims");
  m["back_link"] = json::object{{"href", "/claims/" + c->claim.claim.claim_id}, {"text", "Back to claim"}};
  m["claim"] = ClaimSummary(page, *c);
  return page.Render(200, "claim_withdraw", m);
}

Response WithdrawPost(Page& page) {
  auto c = LoadClaim(page, page.call().Param("id"), Action::kWithdrawClaim);
  if (!c) return page.NotFound();
  const std::string& id = c->claim.claim.claim_id;
  app::ExecuteResult r = page.Execute(core::WithdrawClaim{c->claim.claim, "Withdrawn by the practice"},
                                      VersionCheck(page, id));
  if (!r.ok()) {
    json::object m = page.Base("Withdraw claim", "/claims");
    m["back_link"] = json::object{{"href", "/claims/" + id}, {"text", "Back to claim"}};
    m["claim"] = ClaimSummary(page, *c);
    m["error_summary"] = json::object{{"description", RejectionText(r)}, {"items", json::array{}}};
    return page.Render(r.rejected() && r.rejection().kind == core::Rejection::Kind::kConflict ? 409 : 422,
                       "claim_withdraw", m);
  }
  Flash f;
  f.heading = "Claim withdrawn";
  return page.Redirect("/claims/" + id, f);
}

// ---- Bulk upload ---------------------------------------------------------------------------

Response RenderBulk(Page& page, int status, const std::string& error, json::value row_errors) {
  json::object m = page.Base("Upload claims from a CSV file", "/claims");
  m["back_link"] = json::object{{"href", "/claims"}, {"text", "Back to claims"}};
  m["csv_columns"] = "provider_code, service_code, period, then one column per component value";
  json::object file = FileField("csv_file", "csv_file", "Upload a CSV file");
  file["label_class"] = "nhsuk-label--m";
  file["hint"] = fmt::format("Up to {} rows", WithThousands(app::kMaxImportRows));
  file["accept"] = ".csv,text/csv";
  file["error"] = error;
  json::object submit = ChoiceField("submit_now", "submit_now", "When the file is accepted");
  submit["legend_class"] = "nhsuk-fieldset__legend--s";
  submit["small"] = true;
  submit["items"] = json::array{ChoiceItem("submit_now", true, "yes", "Submit the claims straight away",
                                           page.form().Get("submit_now") == "yes",
                                           "Otherwise they are saved as drafts for you to check")};
  m["fields"] = json::object{{"csv_file", file}, {"submit_now", submit}};
  m["row_errors"] = std::move(row_errors);
  json::array templates;
  for (const auto& c : ClaimableServices(page)) {
    templates.push_back(
        json::object{{"service_id", c.service.service_id}, {"service_name", c.service.definition.name}});
  }
  m["has_csv_templates"] = !templates.empty();
  m["csv_templates"] = templates;
  if (!error.empty()) m["error_summary"] = ErrorSummary({{"csv_file", error}});
  return page.Render(status, "claims_bulk", m);
}

Response BulkPage(Page& page) { return RenderBulk(page, 200, "", false); }

// "A claim for this provider, service and period already exists: C-…", in the page's words.
std::string DuplicateRowText(Page& page, const app::ClaimImportError& e) {
  auto claim = CurrentState<core::ClaimState>(page.ledger(), core::ClaimStream(e.existing_claim_id));
  std::string what = "this provider, service and period";
  if (claim) what = claim->first.claim.provider + " for " + PeriodText(claim->first.claim.period);
  return "There is already a claim for " + what + " (claim " + ClaimRef(e.existing_claim_id) +
         "): change that claim instead, or remove this row.";
}

// What an accepted file did: the claims it created and those already stored as the file says.
Flash BulkSummary(const app::ClaimImportPlan& plan, bool submit) {
  auto claims = [](int n) { return fmt::format("{} {}", n, n == 1 ? "claim" : "claims"); };
  Flash f;
  if (plan.created == 0) {
    f.heading = "Nothing new to save";
    f.body = fmt::format("All {} in the file {} already saved as the file says: nothing was changed.",
                         claims(plan.unchanged), plan.unchanged == 1 ? "was" : "were");
    return f;
  }
  f.heading = fmt::format("{} saved", claims(plan.created));
  f.body = submit ? "They have been submitted for approval." : "They are drafts until you submit them.";
  if (plan.unchanged > 0) {
    f.body += fmt::format(" {} in the file {} already saved as the file says and {} unchanged.", claims(plan.unchanged),
                          plan.unchanged == 1 ? "was" : "were", plan.unchanged == 1 ? "is" : "are");
  }
  return f;
}

Response BulkPost(Page& page) {
  const UploadedFile* file = page.form().File("csv_file");
  if (file == nullptr || file->bytes.empty()) return RenderBulk(page, 422, "Select a CSV file", false);
  bool submit = page.form().Get("submit_now") == "yes";
  app::ClaimImportOptions options;
  options.actor = page.who().username;
  options.submit = submit;
  options.at = page.ledger().Now();
  auto imported = page.ledger().ImportClaims(file->bytes, options);
  if (!imported.ok() && imported.status().code() == es::Status::Code::kConflict)
    return RenderBulk(
        page, 409, "Some of these claims changed while the file was checked; nothing was saved. Upload the file again.",
        false);
  if (!imported.ok()) return RenderBulk(page, 500, "The file could not be checked just now. Try again.", false);
  const app::ClaimImportPlan* plan = &imported->plan;
  if (plan->too_many_rows) {
    return RenderBulk(page, 413,
                      fmt::format("The file has more than {} rows; nothing was saved. Split it into files of up to {} "
                                  "rows and upload each one.",
                                  WithThousands(app::kMaxImportRows), WithThousands(app::kMaxImportRows)),
                      false);
  }
  if (!plan->errors.empty()) {
    json::array rows;
    for (const auto& e : plan->errors) {
      // A row whose provider, service and period another claim holds links to that claim.
      rows.push_back(json::object{{"row", e.line},
                                  {"column", e.column},
                                  {"message", e.existing_claim_id.empty() ? e.message : DuplicateRowText(page, e)},
                                  {"existing_claim_id", e.existing_claim_id},
                                  {"existing_claim_ref", ClaimRef(e.existing_claim_id)}});
    }
    std::string message = fmt::format(
        "The file has {} {}; nothing was saved. Correct the {} listed below and upload "
        "the whole file again.",
        plan->errors.size(), plan->errors.size() == 1 ? "problem" : "problems",
        plan->errors.size() == 1 ? "row" : "rows");
    return RenderBulk(page, 422, message,
                      json::object{{"filename", file->filename.empty() ? "the file" : file->filename}, {"rows", rows}});
  }
  return page.Redirect("/claims", BulkSummary(*plan, submit));
}

std::string ExampleValue(const core::Component& c) {
  int64_t v = c.min;
  if (c.unit_kind == core::UnitKind::kYesNo)
    v = 1;
  else if (v == 0 && c.max >= 1 && c.unit_kind != core::UnitKind::kMoney)
    v = std::min<int64_t>(c.max, 10);
  if (c.unit_kind == core::UnitKind::kMoney) return PoundsInput(v == 0 ? std::min<int64_t>(c.max, 10000) : v);
  return std::to_string(v);
}

Response BulkTemplate(Page& page) {
  std::string wanted = page.call().Query("service");
  for (const auto& c : ClaimableServices(page)) {
    if (c.service.service_id != wanted) continue;
    const auto& def = c.service.definition;
    base::CsvWriter csv;
    csv.Text("provider_code").Text("service_code").Text("period");
    for (const auto& comp : def.components) csv.Text(comp.id);
    csv.EndRow();
    for (const auto& [period, window] : c.periods) {
      csv.Text(page.who().org_code).Text(def.code).Text(period);
      for (const auto& comp : def.components) csv.Number(ExampleValue(comp));
      csv.EndRow();
    }
    Response r = Response::Text(200, std::move(csv).Take(), "text/csv; charset=utf-8");
    r.Set("Content-Disposition", "attachment; filename=\"claims-" + def.code + ".csv\"");
    return r;
  }
  return page.NotFound();
}

}  // namespace

void AddClaimRoutes(const std::shared_ptr<Portal>& p, std::vector<Route>& routes) {
  routes.push_back(PageRoute(p, "GET", "/claims", Action::kViewClaim, ClaimsList));
  routes.push_back(PageRoute(p, "GET", "/claims/new", Action::kPrepareClaim, ClaimNew));
  routes.push_back(PageRoute(p, "GET", "/claims/bulk", Action::kPrepareClaim, BulkPage));
  routes.push_back(PageRoute(p, "POST", "/claims/bulk", Action::kPrepareClaim, BulkPost, 6 * kMiB));
  routes.push_back(PageRoute(p, "GET", "/claims/bulk/template.csv", Action::kPrepareClaim, BulkTemplate));
  routes.push_back(PageRoute(p, "POST", "/claims/new", Action::kPrepareClaim, ClaimNewPost));
  routes.push_back(PageRoute(p, "GET", "/claims/{id}", Action::kViewClaim, ClaimPage));
  routes.push_back(PageRoute(p, "GET", "/claims/{id}/edit", Action::kPrepareClaim, ClaimEdit));
  routes.push_back(PageRoute(p, "POST", "/claims/{id}/edit", Action::kPrepareClaim, ClaimEditPost, kEvidenceBodyLimit));
  routes.push_back(
      PageRoute(p, "POST", "/claims/{id}/evidence", Action::kPrepareClaim, EvidencePost, kEvidenceBodyLimit));
  routes.push_back(
      PageRoute(p, "POST", "/claims/{id}/evidence/{sha}/remove", Action::kPrepareClaim, EvidenceRemovePost));
  routes.push_back(PageRoute(p, "GET", "/claims/{id}/evidence/{sha}", Action::kViewClaim, EvidenceDownload));
  routes.push_back(PageRoute(p, "POST", "/claims/{id}/delete", Action::kPrepareClaim, DeletePost));
  routes.push_back(PageRoute(p, "GET", "/claims/{id}/check", Action::kSubmitClaim, ClaimCheck));
  routes.push_back(PageRoute(p, "POST", "/claims/{id}/submit", Action::kSubmitClaim, SubmitPost));
  routes.push_back(PageRoute(p, "GET", "/claims/{id}/withdraw", Action::kWithdrawClaim, WithdrawPage));
  routes.push_back(PageRoute(p, "POST", "/claims/{id}/withdraw", Action::kWithdrawClaim, WithdrawPost));
}

}  // namespace ledger::http::portal
