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

// Reads the members of one object inside an array (e.g. components[2]),
// reporting errors under "components.2.<field>" through the body's reader.
class ItemReader {
 public:
  ItemReader(JsonInput::Object& in, std::string path, const boost::json::value& value)
      : in_(in), path_(std::move(path)) {
    if (value.is_object()) {
      object_ = &value.as_object();
    } else {
      in_.Fail(path_, "wrong_type", "Give each item as an object.");
    }
  }
  bool ok() const { return object_ != nullptr; }

  const boost::json::value* Get(std::string_view field, bool required) {
    known_.insert(std::string(field));
    if (object_ == nullptr) return nullptr;
    auto it = object_->find(field);
    if (it == object_->end() || it->value().is_null()) {
      if (required) Fail(field, "required", "Enter this.");
      return nullptr;
    }
    return &it->value();
  }
  std::string String(std::string_view field, bool required = true, std::size_t max = 200) {
    const boost::json::value* v = Get(field, required);
    if (v == nullptr) return "";
    if (!v->is_string()) {
      Fail(field, "wrong_type", "Enter text.");
      return "";
    }
    if (v->as_string().size() > max) Fail(field, "too_long", "Enter at most " + std::to_string(max) + " characters.");
    if (required && v->as_string().empty()) Fail(field, "required", "Enter this.");
    return std::string(v->as_string());
  }
  int64_t Int(std::string_view field, bool required = true, int64_t fallback = 0) {
    const boost::json::value* v = Get(field, required);
    if (v == nullptr) return fallback;
    if (auto problem = WholeNumberProblem(*v, IntRules{})) {
      Fail(field, std::move(problem->code), std::move(problem->message));
      return fallback;
    }
    return v->as_int64();
  }
  bool Bool(std::string_view field, bool fallback) {
    const boost::json::value* v = Get(field, false);
    if (v == nullptr) return fallback;
    if (!v->is_bool()) {
      Fail(field, "wrong_type", "Enter true or false.");
      return fallback;
    }
    return v->as_bool();
  }
  void Fail(std::string_view field, std::string code, std::string message) {
    in_.Fail(path_ + "." + std::string(field), std::move(code), std::move(message));
  }
  // Reports members nobody asked for.
  void Finish() {
    if (object_ == nullptr) return;
    for (const auto& member : *object_)
      if (!known_.contains(std::string(member.key())))
        in_.Fail(path_ + "." + std::string(member.key()), "unknown_field", "This field is not expected here.");
  }

 private:
  JsonInput::Object& in_;
  std::string path_;
  const boost::json::object* object_ = nullptr;
  std::set<std::string> known_;
};

// Calls each(item reader) for every element of the array `field`.
template <typename Each>
void ForEachItem(JsonInput::Object& in, std::string_view field, bool required, Each each) {
  const boost::json::value* raw = in.Raw(field);
  if (raw == nullptr) {
    if (required) in.Fail(field, "required", "Give at least one.");
    return;
  }
  if (!raw->is_array()) {
    in.Fail(field, "wrong_type", "Give a list.");
    return;
  }
  size_t i = 0;
  for (const boost::json::value& v : raw->as_array()) {
    ItemReader item(in, in.PathOf(field) + "." + std::to_string(i++), v);
    if (item.ok()) each(item);
    item.Finish();
  }
}

template <typename Enum>
Enum ParseNamed(ItemReader* item, JsonInput::Object* in, std::string_view field, const std::string& text,
                std::initializer_list<std::pair<const char*, Enum>> names, Enum fallback) {
  for (const auto& [name, value] : names)
    if (text == name) return value;
  std::string allowed;
  for (const auto& [name, value] : names) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  if (item != nullptr)
    item->Fail(field, "invalid", "Use one of: " + allowed + ".");
  else
    in->Fail(field, "invalid", "Use one of: " + allowed + ".");
  return fallback;
}

core::ServiceDefinition ReadDefinition(JsonInput::Object& in) {
  using core::UnitKind;
  core::ServiceDefinition d;
  d.code = in.String("code", {.max_length = 32});
  d.name = in.String("name", {.max_length = 200});
  d.description = in.OptionalString("description", {.max_length = 4000, .allow_empty = true}).value_or("");
  d.category = ParseNamed<core::ServiceCategory>(
      nullptr, &in, "category", in.OptionalString("category", {.max_length = 8}).value_or("LES"),
      {{"LES", core::ServiceCategory::kLes}, {"LIS", core::ServiceCategory::kLis}}, core::ServiceCategory::kLes);
  std::string frequency = in.String("frequency", {.max_length = 16});
  if (auto f = core::ParseFrequency(frequency))
    d.frequency = *f;
  else if (!frequency.empty())
    in.Fail("frequency", "invalid", "Use monthly, quarterly, annual or one-off.");
  d.window_days = static_cast<int32_t>(in.Int("window_days", {.min = 1, .max = 3650}));
  d.evidence_required = in.OptionalBool("evidence_required").value_or(false);
  d.start = api::ReadDate(in, "start");
  d.end = api::ReadDate(in, "end");
  ForEachItem(in, "components", true, [&](ItemReader& item) {
    core::Component c;
    c.id = item.String("id", true, 64);
    c.name = item.String("name");
    c.unit_kind = ParseNamed<UnitKind>(&item, &in, "unit_kind", item.String("unit_kind", true, 16),
                                       {{"count", UnitKind::kCount},
                                        {"money", UnitKind::kMoney},
                                        {"yes_no", UnitKind::kYesNo},
                                        {"percentage", UnitKind::kPercentage}},
                                       UnitKind::kCount);
    c.min = item.Int("min", false, 0);
    c.max = item.Int("max");
    c.required = item.Bool("required", true);
    c.numerator_of = item.String("numerator_of", false, 64);
    d.components.push_back(std::move(c));
  });
  ForEachItem(in, "questions", false, [&](ItemReader& item) {
    core::Question q;
    q.id = item.String("id", true, 64);
    q.text = item.String("text", true, 1000);
    std::string kind = item.String("kind", false, 16);
    q.kind = ParseNamed<core::QuestionKind>(&item, &in, "kind", kind.empty() ? std::string("text") : kind,
                                            {{"text", core::QuestionKind::kText},
                                             {"number", core::QuestionKind::kNumber},
                                             {"yes_no", core::QuestionKind::kYesNo}},
                                            core::QuestionKind::kText);
    q.required = item.Bool("required", false);
    d.questions.push_back(std::move(q));
  });
  return d;
}

core::Tariff ReadTariff(JsonInput::Object& in) {
  using core::PaymentType;
  core::Tariff t;
  t.effective_from = api::ReadDate(in, "effective_from");
  t.payment_type = ParseNamed<PaymentType>(nullptr, &in, "payment_type", in.String("payment_type", {.max_length = 32}),
                                           {{"item_of_service", PaymentType::kItemOfService},
                                            {"population", PaymentType::kPopulation},
                                            {"threshold", PaymentType::kThreshold},
                                            {"participation", PaymentType::kParticipation}},
                                           PaymentType::kItemOfService);
  if (const boost::json::value* rates = in.Raw("unit_rates")) {
    if (!rates->is_object()) {
      in.Fail("unit_rates", "wrong_type", "Give the rates as an object of component id to pence per unit.");
    } else {
      for (const auto& member : rates->as_object()) {
        std::string path = "unit_rates." + std::string(member.key());
        if (!member.value().is_int64() || member.value().as_int64() < 0) {
          in.Fail(path, "invalid", "Enter a whole number of pence, zero or more.");
          continue;
        }
        t.unit_rates.push_back({std::string(member.key()), member.value().as_int64()});
      }
    }
  }
  t.population_basis = ParseNamed<core::PopulationBasis>(
      nullptr, &in, "population_basis",
      in.OptionalString("population_basis", {.max_length = 16}).value_or("per_patient"),
      {{"per_patient", core::PopulationBasis::kPerPatient}, {"per_thousand", core::PopulationBasis::kPerThousand}},
      core::PopulationBasis::kPerPatient);
  t.population_rate_pence = in.OptionalPence("population_rate_pence").value_or(0);
  t.numerator_component = in.OptionalString("numerator_component", {.max_length = 64}).value_or("");
  t.denominator_component = in.OptionalString("denominator_component", {.max_length = 64}).value_or("");
  ForEachItem(in, "tiers", false, [&](ItemReader& item) {
    core::ThresholdTier tier;
    tier.min_basis_points = static_cast<int32_t>(item.Int("min_basis_points"));
    tier.pence = item.Int("pence");
    if (tier.pence < 0) item.Fail("pence", "negative", "Enter zero or more.");
    t.tiers.push_back(tier);
  });
  t.participation_pence = in.OptionalPence("participation_pence").value_or(0);
  return t;
}

boost::json::object DefinitionJson(const core::ServiceDefinition& d) {
  boost::json::array components, questions;
  for (const core::Component& c : d.components) {
    boost::json::object o{{"id", c.id},   {"name", c.name}, {"unit_kind", core::UnitKindName(c.unit_kind)},
                          {"min", c.min}, {"max", c.max},   {"required", c.required}};
    if (!c.numerator_of.empty()) o["numerator_of"] = c.numerator_of;
    components.push_back(std::move(o));
  }
  for (const core::Question& q : d.questions)
    questions.push_back(
        {{"id", q.id}, {"text", q.text}, {"kind", core::QuestionKindName(q.kind)}, {"required", q.required}});
  return {{"code", d.code},
          {"name", d.name},
          {"description", d.description},
          {"category", core::ServiceCategoryName(d.category)},
          {"frequency", core::FrequencyName(d.frequency)},
          {"window_days", d.window_days},
          {"evidence_required", d.evidence_required},
          {"start", d.start.ToString()},
          {"end", d.end.ToString()},
          {"components", std::move(components)},
          {"questions", std::move(questions)}};
}

boost::json::object TariffJson(const core::Tariff& t) {
  boost::json::object o{{"effective_from", t.effective_from.ToString()},
                        {"payment_type", core::PaymentTypeName(t.payment_type)}};
  switch (t.payment_type) {
    case core::PaymentType::kItemOfService: {
      boost::json::object rates;
      for (const core::ComponentRate& r : t.unit_rates) rates[r.component_id] = r.pence_per_unit;
      o["unit_rates"] = std::move(rates);
      break;
    }
    case core::PaymentType::kPopulation:
      o["population_basis"] = t.population_basis == core::PopulationBasis::kPerThousand ? "per_thousand"
                                                                                        : "per_patient";
      o["population_rate_pence"] = t.population_rate_pence;
      break;
    case core::PaymentType::kThreshold: {
      o["numerator_component"] = t.numerator_component;
      o["denominator_component"] = t.denominator_component;
      boost::json::array tiers;
      for (const core::ThresholdTier& tier : t.tiers)
        tiers.push_back({{"min_basis_points", tier.min_basis_points}, {"pence", tier.pence}});
      o["tiers"] = std::move(tiers);
      break;
    }
    case core::PaymentType::kParticipation: o["participation_pence"] = t.participation_pence; break;
  }
  return o;
}

boost::json::object ServiceJson(const core::ServiceState& s) {
  boost::json::array tariffs, shared;
  for (const core::Tariff& t : s.tariffs) tariffs.push_back(TariffJson(t));
  for (const std::string& c : s.shared_with) shared.emplace_back(c);
  return wire::Checked<api::bodies::Service>(boost::json::object{{"service_id", s.service_id},
                                                                 {"commissioner", s.commissioner},
                                                                 {"status", core::ServiceStatusName(s.status)},
                                                                 {"definition", DefinitionJson(s.definition)},
                                                                 {"tariffs", std::move(tariffs)},
                                                                 {"shared_with", std::move(shared)}})
      .as_object();
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
  std::string id = in.String("service_id", {.max_length = 64});
  if (!id.empty() && !core::IsValidId(id)) in.Fail("service_id", "invalid", "Use letters, digits, '.', '_' or '-'.");
  core::ServiceDefinition d = ReadDefinition(in.body());
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
  core::ServiceDefinition d = ReadDefinition(in.body());
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
  core::Tariff t = ReadTariff(in.body());
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
      {"POST", "/api/v1/services", "services", "Define a service (a draft)", "ServiceDefinition", 201,
       SchemaOf<b::Service>},
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
