// Services: a commissioner defines a service as a draft, edits it, publishes
// and retires it, adds tariff versions and shares it with another
// commissioner. Commissioners see their own and shared services; providers
// see the services offered to them.
#include <set>

#include "admin_support.h"
#include "bodies.h"
#include "ledger/core/streams.h"
#include "ledger/http/problem.h"

namespace ledger::http {
namespace {

using core::Action;

namespace bodies = api::bodies;

// The definition a request body describes (its enums and dates checked by
// its description when it was read).
core::ServiceDefinition ToDefinition(const bodies::ServiceDefinition& b) {
  using core::UnitKind;
  core::ServiceDefinition d;
  d.code = b.code;
  d.name = b.name;
  d.description = b.description.value_or("");
  d.category = wire::EnumFrom(core::ServiceCategoryName, core::ServiceCategory::kLes, core::ServiceCategory::kLis,
                              b.category.value_or("LES"))
                   .value_or(core::ServiceCategory::kLes);
  d.frequency = core::ParseFrequency(b.frequency).value_or(core::Frequency::kMonthly);
  d.window_days = static_cast<int32_t>(b.window_days);
  d.evidence_required = b.evidence_required.value_or(false);
  d.start = core::Date::Parse(b.start).value_or(core::Date{});
  d.end = core::Date::Parse(b.end).value_or(core::Date{});
  for (const bodies::Component& c : b.components) {
    d.components.push_back(
        {.id = c.id,
         .name = c.name,
         .unit_kind = wire::EnumFrom(core::UnitKindName, UnitKind::kCount, UnitKind::kPercentage, c.unit_kind)
                          .value_or(UnitKind::kCount),
         .min = c.min.value_or(0),
         .max = c.max,
         .required = c.required.value_or(true),
         .numerator_of = c.numerator_of.value_or("")});
  }
  for (const bodies::Question& q : b.questions.value_or(std::vector<bodies::Question>{})) {
    d.questions.push_back({.id = q.id,
                           .text = q.text,
                           .kind = wire::EnumFrom(core::QuestionKindName, core::QuestionKind::kText,
                                                  core::QuestionKind::kYesNo, q.kind.value_or("text"))
                                       .value_or(core::QuestionKind::kText),
                           .required = q.required.value_or(false)});
  }
  return d;
}

core::Tariff ToTariff(const bodies::Tariff& b) {
  using core::PaymentType;
  core::Tariff t;
  t.effective_from = core::Date::Parse(b.effective_from).value_or(core::Date{});
  t.payment_type = wire::EnumFrom(core::PaymentTypeName, PaymentType::kItemOfService, PaymentType::kParticipation,
                                  b.payment_type)
                       .value_or(PaymentType::kItemOfService);
  if (b.unit_rates) {
    for (const auto& [component, pence] : *b.unit_rates) t.unit_rates.push_back({component, pence});
  }
  t.population_basis = b.population_basis == "per_thousand" ? core::PopulationBasis::kPerThousand
                                                            : core::PopulationBasis::kPerPatient;
  t.population_rate_pence = b.population_rate_pence.value_or(0);
  t.numerator_component = b.numerator_component.value_or("");
  t.denominator_component = b.denominator_component.value_or("");
  for (const bodies::ThresholdTier& tier : b.tiers.value_or(std::vector<bodies::ThresholdTier>{})) {
    t.tiers.push_back({static_cast<int32_t>(tier.min_basis_points), tier.pence});
  }
  t.participation_pence = b.participation_pence.value_or(0);
  return t;
}

// The other way: the bodies a service's definition and tariffs are answered in.
bodies::ServiceDefinition DefinitionBody(const core::ServiceDefinition& d) {
  bodies::ServiceDefinition b{.code = d.code,
                              .name = d.name,
                              .description = d.description,
                              .category = std::string(core::ServiceCategoryName(d.category)),
                              .frequency = std::string(core::FrequencyName(d.frequency)),
                              .window_days = d.window_days,
                              .evidence_required = d.evidence_required,
                              .start = d.start.ToString(),
                              .end = d.end.ToString(),
                              .components = {},
                              .questions = std::vector<bodies::Question>{}};
  for (const core::Component& c : d.components) {
    b.components.push_back(
        {.id = c.id,
         .name = c.name,
         .unit_kind = std::string(core::UnitKindName(c.unit_kind)),
         .min = c.min,
         .max = c.max,
         .required = c.required,
         .numerator_of = c.numerator_of.empty() ? std::nullopt : std::optional<std::string>(c.numerator_of)});
  }
  for (const core::Question& q : d.questions) {
    b.questions->push_back(
        {.id = q.id, .text = q.text, .kind = std::string(core::QuestionKindName(q.kind)), .required = q.required});
  }
  return b;
}

// A tariff with the members its payment type uses.
bodies::Tariff TariffBody(const core::Tariff& t) {
  bodies::Tariff b;
  b.effective_from = t.effective_from.ToString();
  b.payment_type = core::PaymentTypeName(t.payment_type);
  switch (t.payment_type) {
    case core::PaymentType::kItemOfService:
      b.unit_rates.emplace();
      for (const core::ComponentRate& r : t.unit_rates) (*b.unit_rates)[r.component_id] = r.pence_per_unit;
      break;
    case core::PaymentType::kPopulation:
      b.population_basis = t.population_basis == core::PopulationBasis::kPerThousand ? "per_thousand" : "per_patient";
      b.population_rate_pence = t.population_rate_pence;
      break;
    case core::PaymentType::kThreshold:
      b.numerator_component = t.numerator_component;
      b.denominator_component = t.denominator_component;
      b.tiers.emplace();
      for (const core::ThresholdTier& tier : t.tiers) b.tiers->push_back({tier.min_basis_points, tier.pence});
      break;
    case core::PaymentType::kParticipation: b.participation_pence = t.participation_pence; break;
  }
  return b;
}

boost::json::object ServiceJson(const core::ServiceState& s) {
  bodies::Service b{.service_id = s.service_id,
                    .commissioner = s.commissioner,
                    .status = std::string(core::ServiceStatusName(s.status)),
                    .definition = DefinitionBody(s.definition),
                    .tariffs = {},
                    .shared_with = s.shared_with,
                    .offer_status = std::nullopt};
  for (const core::Tariff& t : s.tariffs) b.tariffs.push_back(TariffBody(t));
  return wire::ToJson(b).as_object();
}

bool Exists(const core::ServiceState& s) { return s.status != core::ServiceStatus::kNone; }

// Whether the caller may see the service: its commissioners (owner or shared)
// and the providers it was ever offered to; the system sees everything.
bool Visible(ApiDeps& deps, const core::Principal& who, const core::ServiceState& s, api::ReadFrom from) {
  if (who.org_kind == core::OrgKind::kSystem) return true;
  if (who.org_kind == core::OrgKind::kCommissioner) return core::MayOffer(s, who.org_code);
  auto offer = api::ReadStreamState(deps, core::OfferStream(s.service_id, who.org_code), from);
  if (!offer.ok()) return false;
  const auto* state = std::get_if<core::OfferState>(&offer->state);
  return offer->version > 0 && state != nullptr && state->status != core::OfferStatus::kNone;
}

std::optional<core::ServiceState> LoadService(Call& call, ApiDeps& deps, uint64_t* version, Response* answer) {
  const std::string& id = call.Param("id");
  if (!core::IsValidId(id)) {
    *answer = api::NotFound();
    return std::nullopt;
  }
  auto service = api::LoadState<core::ServiceState>(deps, core::ServiceStream(id), version, answer, Exists,
                                                    api::ReadFromFor(call));
  if (!service) return std::nullopt;
  if (!Visible(deps, call.principal(), *service, api::ReadFromFor(call))) {
    *answer = api::NotFound();
    return std::nullopt;
  }
  // Writes re-apply the route's action to the owner.
  if (call.route().access.action != Action::kViewServices) {
    if (auto denied = call.AuthorizeScope({"", service->commissioner, ""})) {
      *answer = std::move(*denied);
      return std::nullopt;
    }
  }
  return service;
}

// The service as the command left it.
Response ServiceNow(ApiDeps& deps, const app::Executed& executed, const std::string& id, int status = 200) {
  uint64_t version = 0;
  Response answer;
  auto service = api::StateAfter<core::ServiceState>(deps, executed, core::ServiceStream(id), &version, &answer,
                                                     Exists);
  if (!service) return answer;
  Response r = api::VersionedJson(status, ServiceJson(*service), version);
  if (status == 201) r.Set("Location", "/api/v1/services/" + id);
  return r;
}

// POST /api/v1/services {service_id, ...definition}
Response DefineService(Call& call, ApiDeps& deps) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  auto body = wire::Read<bodies::NewService>(in.body());
  const std::string& id = body.service_id;
  if (!id.empty() && !core::IsValidId(id)) in.Fail("service_id", "invalid", "Use letters, digits, '.', '_' or '-'.");
  core::ServiceDefinition d = ToDefinition(body);
  if (auto bad = in.Finish()) return *bad;
  app::Executed executed;
  if (auto failed = api::Execute(call, deps, "", 0, core::DefineService{id, call.principal().org_code, d}, &executed))
    return *failed;
  return ServiceNow(deps, executed, id, 201);
}

// Runs one command, made by `command(service_id)`, on the service named by the
// path, at the version it was read at; answers with the service as it is now.
template <typename MakeCommand>
Response ChangeService(Call& call, ApiDeps& deps, MakeCommand command, int status = 200) {
  uint64_t version = 0;
  Response answer;
  auto service = LoadService(call, deps, &version, &answer);
  if (!service) return answer;
  app::Executed executed;
  if (auto failed = api::Execute(call, deps, core::ServiceStream(service->service_id), version,
                                 command(service->service_id), &executed, *service))
    return *failed;
  return ServiceNow(deps, executed, service->service_id, status);
}

// PUT /api/v1/services/{id} {...definition}: replaces the draft's definition.
Response EditDraft(Call& call, ApiDeps& deps) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  core::ServiceDefinition d = ToDefinition(wire::Read<bodies::ServiceDefinition>(in.body()));
  if (auto bad = in.Finish()) return *bad;
  return ChangeService(call, deps, [&](const std::string& id) { return core::EditServiceDraft{id, d}; });
}

template <typename Command>
Response Transition(Call& call, ApiDeps& deps) {
  return ChangeService(call, deps, [](const std::string& id) { return Command{id}; });
}

// POST /api/v1/services/{id}/tariffs {...tariff}
Response AddTariff(Call& call, ApiDeps& deps) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  core::Tariff t = ToTariff(wire::Read<bodies::Tariff>(in.body()));
  if (auto bad = in.Finish()) return *bad;
  return ChangeService(
      call, deps,
      [&](const std::string& id) {
        return core::AddTariffVersion{id, t};
      },
      201);
}

// POST /api/v1/services/{id}/shares {with_commissioner}
Response Share(Call& call, ApiDeps& deps) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  std::string with = wire::Read<api::bodies::ShareRequest>(in.body()).with_commissioner;
  if (auto bad = in.Finish()) return *bad;
  return ChangeService(call, deps, [&](const std::string& id) { return core::ShareService{id, with}; });
}

Response GetService(Call& call, ApiDeps& deps) {
  uint64_t version = 0;
  Response answer;
  auto service = LoadService(call, deps, &version, &answer);
  if (!service) return answer;
  return api::VersionedJson(200, ServiceJson(*service), version);
}

// GET /api/v1/services: a commissioner's own and shared services; a
// provider's offered services with the offer's status. Each as GET
// /api/v1/services/{id} shows it.
Response ListServices(Call& call, ApiDeps& deps) {
  const core::Principal& who = call.principal();
  projections::ReportParams params;
  if (auto bad = api::ListCommissioner(call, &params.scope)) return *bad;
  boost::json::array rows;
  if (auto bad = api::ReportRows(deps, "services", params, &rows)) return *bad;
  std::map<std::string, std::string> offer_status;
  if (core::IsProvider(who.org_kind)) {
    projections::ReportParams offers_params = params;
    offers_params.filters["provider"] = who.org_code;
    boost::json::array offers;
    if (auto bad = api::ReportRows(deps, "offers", offers_params, &offers)) return *bad;
    for (const auto& o : offers)
      offer_status[std::string(o.at("service_id").as_string())] = std::string(o.at("status").as_string());
  }
  boost::json::array services;
  for (const auto& row : rows) {
    std::string id(row.at("service_id").as_string());
    auto status = offer_status.find(id);
    if (core::IsProvider(who.org_kind) && status == offer_status.end()) continue;
    Response answer;
    auto service = api::LoadState<core::ServiceState>(deps, core::ServiceStream(id), nullptr, &answer, Exists,
                                                      api::ReadFrom::kReadModel);
    if (!service) return answer;
    boost::json::object item = ServiceJson(*service);
    if (status != offer_status.end()) item["offer_status"] = status->second;
    services.push_back(std::move(item));
  }
  return Response::Json(200, wire::Checked<api::bodies::ServiceList>(
                                 boost::json::object{{"services", std::move(services)}}));
}

}  // namespace

std::vector<Route> ServiceRoutes(ApiDeps& deps) {
  using api::Bind;
  const std::string service = "/api/v1/services/{id}";
  return {
      {"GET", "/api/v1/services", Access::For(Action::kViewServices), Bind(deps, ListServices)},
      {"POST", "/api/v1/services", Access::For(Action::kManageServices), Bind(deps, DefineService), 256 * kKiB},
      {"GET", service, Access::For(Action::kViewServices), Bind(deps, GetService)},
      {"PUT", service, Access::For(Action::kManageServices), Bind(deps, EditDraft), 256 * kKiB},
      {"POST", service + "/publish", Access::For(Action::kManageServices),
       Bind(deps, Transition<core::PublishService>)},
      {"POST", service + "/retire", Access::For(Action::kManageServices), Bind(deps, Transition<core::RetireService>)},
      {"POST", service + "/tariffs", Access::For(Action::kManageServices), Bind(deps, AddTariff), 64 * kKiB},
      {"POST", service + "/shares", Access::For(Action::kManageServices), Bind(deps, Share)},
  };
}

namespace api {
RouteDocs ServiceRouteDocs() {
  namespace b = api::bodies;
  using api::SchemaOf;
  const std::string service = "/api/v1/services/{id}";
  return {
      {"GET", "/api/v1/services", "services",
       "Services: a commissioner's own and shared; a provider's offered ones with the offer status", "", 200,
       SchemaOf<b::ServiceList>},
      {"POST", "/api/v1/services", "services", "Define a service (a draft)", "NewService", 201, SchemaOf<b::Service>},
      {"GET", service, "services", "One service with its definition, tariffs and shares", "", 200,
       SchemaOf<b::Service>},
      {"PUT", service, "services", "Replace a draft service's definition", "ServiceDefinition", 200,
       SchemaOf<b::Service>},
      {"POST", service + "/publish", "services", "Publish a draft service", "", 200, SchemaOf<b::Service>},
      {"POST", service + "/retire", "services", "Retire a published service", "", 200, SchemaOf<b::Service>},
      {"POST", service + "/tariffs", "services", "Add a tariff version", "Tariff", 201, SchemaOf<b::Service>},
      {"POST", service + "/shares", "services", "Share a service with another commissioner", "Share", 200,
       SchemaOf<b::Service>},
  };
}
}  // namespace api

}  // namespace ledger::http
