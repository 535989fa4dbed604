// Commissioner administration pages: the lists of services and accounts,
// offers to many providers, and providers with their approval mode. One
// service's page and forms are in services_admin.cc, one account's in
// accounts_admin.cc.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "ledger/core/streams.h"
#include "ledger/projections/reports.h"
#include "ledger/projections/table.h"
#include "portal_internal.h"

namespace ledger::http::portal {
namespace {

std::string Text(const projections::Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  return std::to_string(std::get<int64_t>(c));
}

}  // namespace

std::vector<std::map<std::string, std::string>> Rows(Page& page, const std::string& report,
                                                     std::map<std::string, std::string, std::less<>> filters) {
  std::vector<std::map<std::string, std::string>> out;
  projections::ReportParams params;
  params.scope = page.who().org_code;
  params.filters = std::move(filters);
  auto table = page.ledger().RunReport(report, params);
  if (!table.ok()) return out;
  for (const auto& row : table.value().rows) {
    std::map<std::string, std::string> r;
    for (size_t i = 0; i < row.size() && i < table.value().columns.size(); ++i)
      r[table.value().columns[i].name] = Text(row[i]);
    out.push_back(std::move(r));
  }
  return out;
}

json::object ServiceStatusTag(core::ServiceStatus s) {
  switch (s) {
    case core::ServiceStatus::kDraft: return Tag("Draft", "grey");
    case core::ServiceStatus::kPublished: return Tag("Published", "green");
    case core::ServiceStatus::kRetired: return Tag("Retired", "grey");
    default: return Tag("Unknown", "grey");
  }
}

json::object OfferStatusTag(core::OfferStatus s) {
  switch (s) {
    case core::OfferStatus::kPending: return Tag("Waiting for response", "blue");
    case core::OfferStatus::kAccepted: return Tag("Accepted", "green");
    case core::OfferStatus::kDeclined: return Tag("Declined", "red");
    case core::OfferStatus::kWithdrawn: return Tag("Withdrawn", "grey");
    default: return Tag("Unknown", "grey");
  }
}

std::string PaymentTypeName(const core::ServiceState& s) {
  if (s.tariffs.empty()) return "No tariff yet";
  switch (s.tariffs.back().payment_type) {
    case core::PaymentType::kItemOfService: return "Item of service";
    case core::PaymentType::kPopulation: return "Population";
    case core::PaymentType::kThreshold: return "Threshold";
    case core::PaymentType::kParticipation: return "Participation";
  }
  return {};
}

// Services this commissioner owns or has been shared, with their state.
std::vector<core::ServiceState> Services(Page& page) {
  std::vector<core::ServiceState> out;
  for (const auto& row : Rows(page, "services")) {
    auto s = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(row.at("service_id")));
    if (s && core::MayOffer(s->first, page.who().org_code)) out.push_back(s->first);
  }
  return out;
}

namespace {

using core::Action;

Response ServicesAdmin(Page& page) {
  auto offers = Rows(page, "offers");
  json::array services;
  for (const auto& s : Services(page)) {
    size_t participants = std::count_if(offers.begin(), offers.end(), [&](const auto& o) {
      return o.at("service_id") == s.service_id && !o.at("participation").empty();
    });
    services.push_back(
        json::object{{"service_id", s.service_id},
                     {"service_name", s.definition.name},
                     {"service_code", s.definition.code},
                     {"shared_from",
                      s.commissioner == page.who().org_code ? "" : OrgName(page.ledger(), s.commissioner)},
                     {"category", s.definition.category == core::ServiceCategory::kLes ? "LES" : "LIS"},
                     {"status", ServiceStatusTag(s.status)},
                     {"payment_type", PaymentTypeName(s)},
                     {"participants", std::to_string(participants)}});
  }
  json::object m = page.Base("Services", "/admin/services");
  m["has_services"] = !services.empty();
  m["services"] = services;
  return page.Render(200, "services_admin", m);
}

json::object ServiceSelect(Page& page, const std::string& chosen, bool published_only, const std::string& first_text) {
  json::object f = SelectField("service", "service", "Service");
  f["label_class"] = "nhsuk-label--m";
  json::array options;
  options.push_back(json::object{{"option_value", ""}, {"option_text", first_text}, {"selected", chosen.empty()}});
  for (const auto& s : Services(page)) {
    if (published_only && s.status != core::ServiceStatus::kPublished) continue;
    options.push_back(json::object{{"option_value", s.service_id},
                                   {"option_text", s.definition.name},
                                   {"selected", s.service_id == chosen}});
  }
  f["options"] = options;
  return f;
}

Response OffersPage(Page& page) {
  std::string service = page.call().Query("service");
  std::map<std::string, std::string, std::less<>> filters;
  if (!service.empty()) filters["service"] = service;
  json::array offers;
  int counts[5] = {0, 0, 0, 0, 0};
  std::set<std::string> seen;
  std::string service_name;
  for (const auto& row : Rows(page, "offers", filters)) {
    std::string stream = core::OfferStream(row.at("service_id"), row.at("provider"));
    if (!seen.insert(stream).second) continue;
    auto o = CurrentState<core::OfferState>(page.ledger(), stream);
    if (!o || o->first.commissioner != page.who().org_code) continue;
    auto s = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(o->first.service_id));
    service_name = s ? s->first.definition.name : o->first.service_id;
    ++counts[static_cast<int>(o->first.status) % 5];
    offers.push_back(
        json::object{{"offer_id", stream},
                     {"provider_name", OrgName(page.ledger(), o->first.provider)},
                     {"provider_code", o->first.provider},
                     {"service_name", service_name},
                     {"start_text", FormatDateText(o->first.start)},
                     {"end_text", FormatDateText(o->first.end)},
                     {"status", OfferStatusTag(o->first.status)},
                     {"decline_reason", o->first.status == core::OfferStatus::kDeclined ? row.at("reason") : ""},
                     {"can_withdraw", o->first.status == core::OfferStatus::kPending}});
  }
  json::object m = page.Base("Offers", "/offers");
  m["summary_text"] = fmt::format("{}{} {}, {} accepted, {} declined, {} waiting for a response",
                                  service.empty() ? "" : service_name + ": ", offers.size(),
                                  offers.size() == 1 ? "offer" : "offers", counts[2], counts[3], counts[1]);
  m["fields"] = json::object{{"service", ServiceSelect(page, service, false, "All services")}};
  m["has_offers"] = !offers.empty();
  m["offers"] = offers;
  return page.Render(200, "offers", m);
}

json::object DateField(const std::string& id, const std::string& label, const std::string& example,
                       const std::string& value) {
  json::object f = InputField(id, id, label);
  f["label_class"] = "nhsuk-label--s";
  f["hint"] = "For example, " + example;
  f["width_class"] = "nhsuk-input--width-10";
  f["value"] = value;
  return f;
}

Response RenderOfferNew(Page& page, int status, std::vector<std::pair<std::string, std::string>> errors) {
  bool posted = page.call().request().method == "POST";
  std::string service = posted ? page.form().Get("service") : page.call().Query("service");
  std::vector<std::string> chosen = page.form().All("providers");
  core::Date today = core::Date::FromTimestamp(page.ledger().Now());
  json::object m = page.Base("Offer a service", "/offers");
  m["back_link"] = json::object{{"href", "/offers"}, {"text", "Back to offers"}};
  json::object providers = ChoiceField("providers", "providers", "Which providers are you offering it to?");
  providers["legend_class"] = "nhsuk-fieldset__legend--m";
  providers["hint"] = "Select all that apply. Providers already offered this service are not listed.";
  providers["small"] = true;
  json::array items;
  if (!service.empty()) {
    std::set<std::string> offered;
    for (const auto& row : Rows(page, "offers", {{"service", service}})) offered.insert(row.at("provider"));
    bool first = true;
    for (const auto& row : Rows(page, "organisations")) {
      if (row.at("kind") == "commissioner" || row.at("kind") == "system" || row.at("code") == page.who().org_code)
        continue;
      if (offered.count(row.at("code"))) continue;
      bool checked = std::find(chosen.begin(), chosen.end(), row.at("code")) != chosen.end();
      items.push_back(
          ChoiceItem("providers", first, row.at("code"), row.at("name") + " (" + row.at("code") + ")", checked));
      first = false;
    }
  }
  providers["items"] = items;
  std::map<std::string, std::string> error_of(errors.begin(), errors.end());
  if (error_of.count("providers")) providers["error"] = error_of["providers"];
  json::object fields{{"service", ServiceSelect(page, service, true, "Choose a service")},
                      {"providers", items.empty() && service.empty() ? json::value(false) : json::value(providers)},
                      {"start", DateField("start", "Participation starts", "2026-04-01",
                                          posted ? page.form().Get("start") : today.ToString())},
                      {"end", DateField("end", "Participation ends", "2027-03-31",
                                        posted ? page.form().Get("end") : today.AddDays(365).ToString())},
                      {"respond_by", DateField("respond_by", "Providers must respond by", "2026-04-30",
                                               posted ? page.form().Get("respond_by") : today.AddDays(30).ToString())}};
  for (const auto& [id, message] : errors) {
    if (id != "providers" && fields.contains(id) && fields[id].is_object()) fields[id].as_object()["error"] = message;
  }
  m["fields"] = fields;
  if (!errors.empty()) m["error_summary"] = ErrorSummary(errors);
  return page.Render(status, "offer_new", m);
}

Response OfferNewPage(Page& page) { return RenderOfferNew(page, 200, {}); }

Response OfferNewPost(Page& page) {
  std::string service = page.form().Get("service");
  std::vector<std::string> providers = page.form().All("providers");
  auto start = core::Date::Parse(page.form().Get("start"));
  auto end = core::Date::Parse(page.form().Get("end"));
  auto respond_by = core::Date::Parse(page.form().Get("respond_by"));
  std::vector<std::pair<std::string, std::string>> errors;
  if (service.empty()) errors.emplace_back("service", "Select the service to offer");
  if (!service.empty() && providers.empty()) errors.emplace_back("providers", "Select at least one provider");
  if (!start) errors.emplace_back("start", "Enter the date participation starts, like 2026-04-01");
  if (!end) errors.emplace_back("end", "Enter the date participation ends, like 2027-03-31");
  if (!respond_by) errors.emplace_back("respond_by", "Enter the date providers must respond by, like 2026-04-30");
  if (!errors.empty()) return RenderOfferNew(page, 422, errors);
  int sent = 0;
  for (const auto& p : providers) {
    app::ExecuteResult r = page.Execute(core::OfferService{service, p, *start, *end, *respond_by});
    if (!r.ok()) {
      std::string message = RejectionText(r);
      if (r.rejected() && !r.rejection().errors.empty()) message = r.rejection().errors.front().message;
      errors.emplace_back("providers", p + ": " + message);
    } else {
      ++sent;
    }
  }
  if (!errors.empty()) return RenderOfferNew(page, 422, errors);
  Flash f;
  f.heading = fmt::format("Offers sent to {} {}", sent, sent == 1 ? "provider" : "providers");
  return page.Redirect("/offers?service=" + UrlEncode(service), f);
}

Response OfferWithdrawPost(Page& page) {
  std::string id = page.call().Param("id");
  auto o = CurrentState<core::OfferState>(page.ledger(), id);
  if (id.rfind("offer-", 0) != 0 || !o || o->first.commissioner != page.who().org_code) return page.NotFound();
  app::ExecuteResult r = page.Execute(core::WithdrawOffer{o->first.service_id, o->first.provider});
  Flash f;
  f.success = r.ok();
  f.heading = r.ok() ? "Offer withdrawn" : "The offer could not be withdrawn";
  f.body = r.ok() ? "" : RejectionText(r);
  return page.Redirect("/offers?service=" + UrlEncode(o->first.service_id), f);
}

Response ProvidersPage(Page& page) {
  auto offers = Rows(page, "offers");
  json::array providers;
  for (const auto& row : Rows(page, "organisations")) {
    if (row.at("kind") == "commissioner" || row.at("kind") == "system" || row.at("code") == page.who().org_code)
      continue;
    size_t participations = std::count_if(offers.begin(), offers.end(), [&](const auto& o) {
      return o.at("provider") == row.at("code") && !o.at("participation").empty();
    });
    int64_t list_size = ParseWholeNumber(row.at("list_size")).value_or(0);
    providers.push_back(json::object{{"code", row.at("code")},
                                     {"name", row.at("name")},
                                     {"postcode", row.at("postcode")},
                                     {"list_size", list_size > 0 ? WithThousands(list_size) : "Not recorded"},
                                     {"approval_mode_text", row.at("approval_mode") == "multi"
                                                                ? "Two levels: practice approver checks claims"
                                                                : "One level: claims go straight to the commissioner"},
                                     {"participations", std::to_string(participations)}});
  }
  json::object m = page.Base("Providers", "/admin/providers");
  m["count_text"] = fmt::format("{} {}", providers.size(), providers.size() == 1 ? "provider" : "providers");
  m["next_href"] = "";
  m["providers"] = providers;
  return page.Render(200, "providers", m);
}

}  // namespace

std::string RoleText(const std::string& role) {
  core::Role r;
  if (!core::ParseRole(role, &r)) return role;
  switch (r) {
    case core::Role::kOperator: return "Operator";
    case core::Role::kCommissionerAdmin: return "Administrator";
    case core::Role::kApproverTier1: return "Approver Tier 1";
    case core::Role::kApproverTier2: return "Approver Tier 2";
    case core::Role::kFinance: return "Finance";
    case core::Role::kAuditor: return "Auditor";
    case core::Role::kProviderAdmin: return "Practice administrator";
    case core::Role::kProviderUser: return "Practice user";
    case core::Role::kProviderApprover: return "Practice approver";
  }
  return role;
}

std::string RolesText(const std::string& list) {
  std::string out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find_first_of(";, ", start);
    std::string r = list.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!r.empty()) out += (out.empty() ? "" : ", ") + RoleText(r);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

namespace {

using core::Action;

Response AccountsPage(Page& page) {
  json::array pending, accounts;
  for (const auto& row : Rows(page, "accounts")) {
    std::string status = row.at("status");
    std::string org = OrgName(page.ledger(), row.at("org_code"));
    if (status == "requested" || status == "pending") {
      pending.push_back(json::object{{"username", row.at("username")},
                                     {"full_name", row.at("full_name")},
                                     {"organisation_name", org},
                                     {"roles_text", RolesText(row.at("roles_requested"))},
                                     {"requested_text", row.at("updated_at").substr(0, 10)}});
      continue;
    }
    json::object tag = status == "active"     ? Tag("Active", "green")
                       : status == "refused"  ? Tag("Refused", "red")
                       : status == "disabled" ? Tag("Disabled", "grey")
                                              : Tag(status, "grey");
    accounts.push_back(json::object{{"username", row.at("username")},
                                    {"full_name", row.at("full_name")},
                                    {"organisation_name", org},
                                    {"roles_text", RolesText(row.at("roles"))},
                                    {"status", tag}});
  }
  json::object m = page.Base("Accounts", "/admin/accounts");
  m["has_pending"] = !pending.empty();
  m["pending"] = pending;
  m["accounts"] = accounts;
  return page.Render(200, "accounts", m);
}

// ---- One provider ----------------------------------------------------------------------------

std::optional<std::pair<core::OrgState, uint64_t>> LoadProvider(Page& page, const std::string& code) {
  if (!core::IsValidId(code)) return std::nullopt;
  auto org = CurrentState<core::OrgState>(page.ledger(), core::OrgStream(code));
  if (!org || !core::IsProvider(org->first.kind) ||
      !page.Allowed(core::Action::kManageProviders, core::ScopeOf(org->first))) {
    return std::nullopt;
  }
  return org;
}

Response RenderProvider(Page& page, const core::OrgState& org, uint64_t version, int status, const std::string& error) {
  json::object m = page.Base(org.name, "/admin/providers");
  m["breadcrumbs"] = json::object{{"items",
                                   json::array{json::object{{"href", "/"}, {"text", "Home"}},
                                               json::object{{"href", "/admin/providers"}, {"text", "Providers"}}}},
                                  {"back", json::object{{"href", "/admin/providers"}, {"text", "Back to providers"}}}};
  std::string list_size = "Not recorded";
  if (!org.list_sizes.empty()) {
    const auto& latest = org.list_sizes.back();
    list_size = WithThousands(latest.patients) + " (from " + FormatDateText(latest.effective_from) + ")";
  }
  json::array users;
  for (const auto& row : Rows(page, "accounts", {{"org", org.code}})) {
    if (row.at("org_code") == org.code && row.at("status") == "active") {
      users.push_back(json::string(row.at("full_name") + " (" + RolesText(row.at("roles")) + ")"));
    }
  }
  m["provider"] = json::object{{"code", org.code},       {"name", org.name}, {"postcode", org.postcode},
                               {"list_size", list_size}, {"users", users},   {"version", version}};
  std::string chosen = page.form().Has("approval_mode")                       ? page.form().Get("approval_mode")
                       : org.approval_mode == core::ApprovalMode::kMultiLevel ? "multi"
                                                                              : "single";
  json::object mode = ChoiceField("approval_mode", "approval_mode", "How are claims approved inside the practice?");
  mode["legend_class"] = "nhsuk-fieldset__legend--m";
  mode["items"] = json::array{ChoiceItem("approval_mode", true, "single", "Single level", chosen == "single",
                                         "Practice users submit claims straight to the commissioner"),
                              ChoiceItem("approval_mode", false, "multi", "Two levels", chosen == "multi",
                                         "A practice approver checks each claim before it goes to the commissioner")};
  mode["error"] = error;
  m["fields"] = json::object{{"approval_mode", mode}};
  if (!error.empty()) m["error_summary"] = ErrorSummary({{"approval_mode", error}});
  return page.Render(status, "provider_form", m);
}

Response ProviderPage(Page& page) {
  auto org = LoadProvider(page, page.call().Param("code"));
  if (!org) return page.NotFound();
  return RenderProvider(page, org->first, org->second, 200, "");
}

Response ProviderPost(Page& page) {
  auto org = LoadProvider(page, page.call().Param("code"));
  if (!org) return page.NotFound();
  auto mode = core::ParseApprovalMode(page.form().Get("approval_mode"));
  if (!mode)
    return RenderProvider(page, org->first, org->second, 422, "Select how claims are approved inside the practice");
  app::ExecuteResult r = page.Execute(core::ConfigureProvider{org->first.code, *mode, org->first.members});
  if (!r.ok()) return RenderProvider(page, org->first, org->second, 422, RejectionText(r));
  Flash f;
  f.heading = "Approval mode saved for " + org->first.name;
  return page.Redirect("/admin/providers", f);
}

}  // namespace

void AddAdminRoutes(const std::shared_ptr<Portal>& p, std::vector<Route>& routes) {
  routes.push_back(PageRoute(p, "GET", "/admin/services", Action::kManageServices, ServicesAdmin));
  routes.push_back(PageRoute(p, "GET", "/offers", Action::kManageOffers, OffersPage));
  routes.push_back(PageRoute(p, "GET", "/offers/new", Action::kManageOffers, OfferNewPage));
  routes.push_back(PageRoute(p, "POST", "/offers/new", Action::kManageOffers, OfferNewPost));
  routes.push_back(PageRoute(p, "POST", "/offers/{id}/withdraw", Action::kManageOffers, OfferWithdrawPost));
  routes.push_back(PageRoute(p, "GET", "/admin/providers", Action::kManageProviders, ProvidersPage));
  routes.push_back(PageRoute(p, "GET", "/admin/providers/{code}", Action::kManageProviders, ProviderPage));
  routes.push_back(PageRoute(p, "POST", "/admin/providers/{code}", Action::kManageProviders, ProviderPost));
  routes.push_back(PageRoute(p, "GET", "/admin/accounts", Action::kManageAccounts, AccountsPage));
  AddServiceAdminRoutes(p, routes);
  AddAccountAdminRoutes(p, routes);
}

}  // namespace ledger::http::portal
