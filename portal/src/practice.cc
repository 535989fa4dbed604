// Practice pages beside claims: services and offers, responding to an offer,
// the payment statement.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "ledger/core/streams.h"
#include "ledger/projections/claim_views.h"
#include "ledger/projections/reports.h"
#include "portal_internal.h"

namespace ledger::http::portal {
namespace {

using core::Action;

std::string CategoryText(const core::ServiceDefinition& d) {
  return d.category == core::ServiceCategory::kLes ? "Local enhanced service" : "Local incentive scheme";
}

std::string FrequencyText(core::Frequency f) {
  std::string s(core::FrequencyName(f));
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// Every offer stream of the viewer's organisation, from the directory.
std::vector<std::pair<core::OfferState, uint64_t>> OffersOf(Page& page) {
  std::vector<std::pair<core::OfferState, uint64_t>> out;
  projections::ReportParams params;
  params.scope = page.who().commissioner_code;
  params.filters["provider"] = page.who().org_code;
  auto table = page.ledger().RunReport("offers", params);
  if (!table.ok()) return out;
  std::set<std::string> seen;
  for (const auto& row : table.value().rows) {
    const auto* sid = std::get_if<std::string>(&row[0]);
    const auto* provider = std::get_if<std::string>(&row[1]);
    if (sid == nullptr || provider == nullptr || *provider != page.who().org_code || !seen.insert(*sid).second)
      continue;
    auto offer = CurrentState<core::OfferState>(page.ledger(), core::OfferStream(*sid, *provider));
    if (offer) out.push_back(*offer);
  }
  return out;
}

}  // namespace

size_t OffersAwaitingReply(Page& page) {
  const core::Date today = core::Date::FromTimestamp(page.ledger().Now());
  size_t n = 0;
  for (const auto& [offer, version] : OffersOf(page)) {
    if (offer.status == core::OfferStatus::kPending && !(offer.respond_by < today)) ++n;
  }
  return n;
}

namespace {

// What the practice can claim for now, by service: each open period and the
// day its window closes, or for a one-off service the days it can claim for.
std::map<std::string, json::array> OpenPeriods(Page& page) {
  std::map<std::string, json::array> out;
  for (const Claimable& c : ClaimableServices(page)) {
    json::array& open = out[c.service.service_id];
    const core::Frequency frequency = c.service.definition.frequency;
    if (frequency == core::Frequency::kOneOff) {
      core::Date first = core::Date::FromYmd(9999, 12, 31);
      core::Date last = core::Date::FromYmd(1, 1, 1);
      for (const auto& [text, window] : c.periods) {
        if (auto day = core::Period::Parse(frequency, text)) {
          first = std::min(first, day->start);
          last = std::max(last, day->start);
        }
      }
      if (first <= last) {
        open.emplace_back(
            fmt::format("Activity on any day from {} to {}", FormatDateText(first), FormatDateText(last)));
      }
      continue;
    }
    for (const auto& [text, window] : c.periods) {
      open.emplace_back(fmt::format("{} (claim by {})", PeriodText(text), FormatDateText(window.closes)));
    }
  }
  return out;
}

Response ServicesPage(Page& page) {
  json::object m = page.Base("Services and offers", "/services");
  std::map<std::string, json::array> open_periods = OpenPeriods(page);
  json::array offers, participations;
  for (const auto& [offer, version] : OffersOf(page)) {
    auto service = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(offer.service_id));
    if (!service) continue;
    const auto& def = service->first.definition;
    if (offer.status == core::OfferStatus::kPending) {
      offers.push_back(json::object{{"offer_id", core::OfferStream(offer.service_id, offer.provider)},
                                    {"service_name", def.name},
                                    {"commissioner_name", OrgName(page.ledger(), offer.commissioner)},
                                    {"start_text", FormatDateText(offer.start)},
                                    {"end_text", FormatDateText(offer.end)},
                                    {"respond_by_text", FormatDateText(offer.respond_by)}});
    }
    if (!offer.participation.empty()) {
      const auto& first = offer.participation.front();
      const auto& last = offer.participation.back();
      participations.push_back(json::object{{"service_name", def.name},
                                            {"service_code", def.code},
                                            {"category", CategoryText(def)},
                                            {"frequency", FrequencyText(def.frequency)},
                                            {"start_text", FormatDateText(first.start)},
                                            {"end_text", FormatDateText(last.end)},
                                            {"open_periods", open_periods[offer.service_id]}});
    }
  }
  m["has_offers"] = !offers.empty();
  m["offers"] = offers;
  m["has_participations"] = !participations.empty();
  m["participations"] = participations;
  return page.Render(200, "services", m);
}

std::optional<std::pair<core::OfferState, uint64_t>> LoadOffer(Page& page, const std::string& offer_id) {
  if (offer_id.rfind("offer-", 0) != 0 || !core::IsValidId(offer_id.substr(6))) return std::nullopt;
  auto offer = CurrentState<core::OfferState>(page.ledger(), offer_id);
  if (!offer || !page.Allowed(core::Action::kRespondToOffer, core::ScopeOf(offer->first))) return std::nullopt;
  return offer;
}

std::string TariffText(const core::ServiceState& s) {
  if (s.tariffs.empty()) return "No tariff published yet";
  return RatesText(s, s.tariffs.back());
}

Response RenderOffer(Page& page, const core::OfferState& offer, uint64_t version, int status,
                     const std::vector<std::pair<std::string, std::string>>& errors) {
  auto service = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(offer.service_id));
  if (!service) return page.NotFound();
  const auto& def = service->first.definition;
  json::object m = page.Base("Respond to an offer", "/services");
  m["back_link"] = json::object{{"href", "/services"}, {"text", "Back to services and offers"}};
  m["offer"] = json::object{{"offer_id", core::OfferStream(offer.service_id, offer.provider)},
                            {"version", version},
                            {"commissioner_name", OrgName(page.ledger(), offer.commissioner)},
                            {"service_name", def.name},
                            {"description", def.description},
                            {"category", CategoryText(def)},
                            {"start_text", FormatDateText(offer.start)},
                            {"end_text", FormatDateText(offer.end)},
                            {"frequency", FrequencyText(def.frequency)},
                            {"window_days", def.window_days},
                            {"tariff_text", TariffText(service->first)},
                            {"respond_by_text", FormatDateText(offer.respond_by)}};
  std::string chosen = page.form().Get("response");
  json::object response = ChoiceField("response", "response", "Will your practice provide this service?");
  response["legend_class"] = "nhsuk-fieldset__legend--m";
  response["items"] = json::array{ChoiceItem("response", true, "accept", "Yes, accept the offer", chosen == "accept"),
                                  ChoiceItem("response", false, "decline", "No, decline the offer",
                                             chosen == "decline")};
  json::object reason = TextareaField("reason", "reason", "If you decline, tell the commissioner why");
  reason["rows"] = 3;
  reason["value"] = page.form().Get("reason");
  for (const auto& [id, message] : errors) {
    if (id == "response") response["error"] = message;
    if (id == "reason") reason["error"] = message;
  }
  m["fields"] = json::object{{"response", response}, {"reason", reason}};
  if (!errors.empty()) m["error_summary"] = ErrorSummary(errors);
  return page.Render(status, "offer_response", m);
}

Response OfferPage(Page& page) {
  auto offer = LoadOffer(page, page.call().Param("id"));
  if (!offer || offer->first.status != core::OfferStatus::kPending) return page.NotFound();
  return RenderOffer(page, offer->first, offer->second, 200, {});
}

Response OfferPost(Page& page) {
  auto offer = LoadOffer(page, page.call().Param("id"));
  if (!offer || offer->first.status != core::OfferStatus::kPending) return page.NotFound();
  std::string response = page.form().Get("response");
  std::string reason = page.form().Get("reason");
  std::vector<std::pair<std::string, std::string>> errors;
  if (response != "accept" && response != "decline")
    errors.emplace_back("response", "Select whether you accept the offer");
  if (response == "decline" && reason.find_first_not_of(" \r\n\t") == std::string::npos) {
    errors.emplace_back("reason", "Tell the commissioner why you are declining");
  }
  if (!errors.empty()) return RenderOffer(page, offer->first, offer->second, 422, errors);
  const auto& o = offer->first;
  core::Command cmd = response == "accept" ? core::Command(core::AcceptOffer{o.service_id, o.provider})
                                           : core::Command(core::DeclineOffer{o.service_id, o.provider, reason});
  app::ExecuteResult r = page.Execute(cmd);
  if (!r.ok()) return RenderOffer(page, o, offer->second, 422, {{"response", RejectionText(r)}});
  Flash f;
  f.heading = response == "accept" ? "Offer accepted" : "Offer declined";
  return page.Redirect("/services", f);
}

// ---- Statement ----------------------------------------------------------------------

// What the statement counts: the totals by stage, one line per claim, and
// one payment per payment run (what the practice sees as one bank line).
struct Statement {
  core::Pence paid = 0, sent = 0, approved = 0, held = 0;
  json::array lines;
  struct Payment {
    core::Date pay_date;
    std::string reference;
    bool paid = false;
    size_t claims = 0;
    core::Pence total = 0;
  };
  std::map<std::string, Payment> payments;  // by payment run
};

bool OnStatement(core::ClaimStatus s) {
  using S = core::ClaimStatus;
  return s == S::kPaid || s == S::kSentForPayment || s == S::kApprovedForPayment || s == S::kPaymentHeld;
}

void AddToStatement(Page& page, const projections::ClaimView& c, std::map<std::string, std::string>& names,
                    Statement& st) {
  using S = core::ClaimStatus;
  const core::Pence amount = c.status == S::kPaid && c.paid_amount != 0 ? c.paid_amount : c.amount;
  if (c.status == S::kPaid) st.paid += amount;
  if (c.status == S::kSentForPayment) st.sent += amount;
  if (c.status == S::kApprovedForPayment) st.approved += amount;
  if (c.status == S::kPaymentHeld) st.held += amount;
  auto it = names.find(c.service_id);
  if (it == names.end()) {
    auto s = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(c.service_id));
    it = names.emplace(c.service_id, s ? s->first.definition.name : c.service_id).first;
  }
  // Paid on: the run's pay date, the day the money reaches the practice's bank.
  auto pay_date = core::Date::Parse(c.pay_date);
  std::string paid_on = c.status == S::kPaid && pay_date ? FormatDateText(*pay_date) : "";
  st.lines.push_back(json::object{{"claim_id", c.claim_id},
                                  {"claim_ref", ClaimRef(c.claim_id)},
                                  {"service_name", it->second},
                                  {"period", PeriodText(c.period)},
                                  {"status", StatusTag(c.status)},
                                  {"payment_run", c.payment_run},
                                  {"payment_reference", c.payment_reference},
                                  {"paid_on_text", paid_on},
                                  {"amount", core::FormatPounds(amount)}});
  if (c.payment_run.empty() || (c.status != S::kPaid && c.status != S::kSentForPayment)) return;
  Statement::Payment& p = st.payments[c.payment_run];
  if (pay_date) p.pay_date = *pay_date;
  p.reference = c.payment_reference;
  p.paid = p.paid || c.status == S::kPaid;
  ++p.claims;
  p.total += amount;
}

// One row per payment run, newest pay date first: the total to match a bank line.
json::array PaymentRows(const Statement& st) {
  std::vector<std::pair<std::string, Statement::Payment>> runs(st.payments.begin(), st.payments.end());
  std::stable_sort(runs.begin(), runs.end(),
                   [](const auto& a, const auto& b) { return b.second.pay_date < a.second.pay_date; });
  json::array rows;
  for (const auto& [run_id, p] : runs) {
    rows.push_back(json::object{{"run_id", run_id},
                                {"pay_date_text", FormatDateText(p.pay_date)},
                                {"reference", p.reference},
                                {"state_text", p.paid ? "Paid" : "Sent for payment"},
                                {"claims_text", fmt::format("{} {}", p.claims, p.claims == 1 ? "claim" : "claims")},
                                {"total", core::FormatPounds(p.total)}});
  }
  return rows;
}

json::object YearField(int current_fy, int year) {
  json::object field = SelectField("year", "year", "Financial year");
  field["label_class"] = "nhsuk-label--s";
  json::array options;
  for (int y = current_fy; y >= current_fy - 3; --y) {
    options.push_back(json::object{{"option_value", std::to_string(y)},
                                   {"option_text", fmt::format("April {} to March {}", y, y + 1)},
                                   {"selected", y == year}});
  }
  field["options"] = options;
  return field;
}

Response StatementPage(Page& page) {
  const core::Principal& who = page.who();
  core::Date today = core::Date::FromTimestamp(page.ledger().Now());
  int current_fy = today.month() >= 4 ? today.year() : today.year() - 1;
  int year = static_cast<int>(ParseWholeNumber(page.call().Query("year")).value_or(current_fy));
  core::Date from = core::Date::FromYmd(year, 4, 1);
  core::Date to = core::Date::FromYmd(year + 1, 3, 31);
  projections::ClaimQuery q;
  q.provider = who.org_code;
  q.limit = 1000;
  auto listed = page.ledger().ListClaims(q);
  Statement st;
  std::map<std::string, std::string> names;
  if (listed.ok()) {
    for (const auto& c : listed.value().claims) {
      if (!OnStatement(c.status)) continue;
      auto period = core::Period::Parse(c.period);
      if (period && (period->start < from || period->start > to)) continue;
      AddToStatement(page, c, names, st);
    }
  }
  json::object m = page.Base("Payment statement", "/payments/statement");
  m["organisation_name"] = page.viewer().org_name;
  m["fields"] = json::object{{"year", YearField(current_fy, year)}};
  m["totals"] = json::object{{"paid", core::FormatPounds(st.paid)},
                             {"sent", core::FormatPounds(st.sent)},
                             {"approved", core::FormatPounds(st.approved)},
                             {"held", core::FormatPounds(st.held)}};
  m["period_text"] = fmt::format("April {} to March {}", year, year + 1);
  json::array payments = PaymentRows(st);
  m["has_payments"] = !payments.empty();
  m["payments"] = payments;
  m["has_lines"] = !st.lines.empty();
  m["lines"] = st.lines;
  return page.Render(200, "payment_statement", m);
}

}  // namespace

void AddPracticeRoutes(const std::shared_ptr<Portal>& p, std::vector<Route>& routes) {
  routes.push_back(PageRoute(p, "GET", "/services", Action::kRespondToOffer, ServicesPage));
  routes.push_back(PageRoute(p, "GET", "/offers/{id}/respond", Action::kRespondToOffer, OfferPage));
  routes.push_back(PageRoute(p, "POST", "/offers/{id}/respond", Action::kRespondToOffer, OfferPost));
  routes.push_back(PageRoute(p, "GET", "/payments/statement", Action::kViewStatement, StatementPage));
}

}  // namespace ledger::http::portal
