#include "ledger/core/service.h"

#include <algorithm>

#include "decide_support.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "variant_util.h"

namespace ledger::core {
namespace {

using internal::Deny;
using internal::NoChange;
using internal::Overloaded;
using internal::StateOf;
using internal::WriteTo;

void InsertTariff(std::vector<Tariff>& tariffs, const Tariff& tariff) {
  auto it = std::lower_bound(tariffs.begin(), tariffs.end(), tariff.effective_from,
                             [](const Tariff& t, Date d) { return t.effective_from < d; });
  if (it != tariffs.end() && it->effective_from == tariff.effective_from) {
    *it = tariff;
  } else {
    tariffs.insert(it, tariff);
  }
}

}  // namespace

std::string_view ServiceStatusName(ServiceStatus status) {
  switch (status) {
    case ServiceStatus::kNone: return "none";
    case ServiceStatus::kDraft: return "draft";
    case ServiceStatus::kPublished: return "published";
    case ServiceStatus::kRetired: return "retired";
  }
  return "unknown";
}

std::string_view ServiceCategoryName(ServiceCategory category) {
  return category == ServiceCategory::kLis ? "LIS" : "LES";
}

std::string_view UnitKindName(UnitKind kind) {
  switch (kind) {
    case UnitKind::kCount: return "count";
    case UnitKind::kMoney: return "money";
    case UnitKind::kYesNo: return "yes_no";
    case UnitKind::kPercentage: return "percentage";
  }
  return "unknown";
}

std::string_view QuestionKindName(QuestionKind kind) {
  switch (kind) {
    case QuestionKind::kText: return "text";
    case QuestionKind::kNumber: return "number";
    case QuestionKind::kYesNo: return "yes_no";
  }
  return "unknown";
}

std::string_view PaymentTypeName(PaymentType type) {
  switch (type) {
    case PaymentType::kItemOfService: return "item_of_service";
    case PaymentType::kPopulation: return "population";
    case PaymentType::kThreshold: return "threshold";
    case PaymentType::kParticipation: return "participation";
  }
  return "unknown";
}

std::string_view PopulationBasisName(PopulationBasis basis) {
  return basis == PopulationBasis::kPerThousand ? "per_1000" : "per_patient";
}

const Component* ServiceDefinition::FindComponent(std::string_view id) const {
  for (const Component& c : components) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

ClaimWindow WindowFor(const ServiceDefinition& definition, const Period& period) {
  return {period.end.AddDays(1), period.end.AddDays(definition.window_days)};
}

const Tariff* TariffFor(const ServiceState& service, const Period& period) {
  const Tariff* found = nullptr;
  for (const Tariff& t : service.tariffs) {
    if (t.effective_from > period.end) break;
    found = &t;
  }
  return found;
}

std::string PercentText(int64_t basis_points) {
  std::string text = std::to_string(basis_points / 100);
  int64_t rest = basis_points % 100;
  if (rest < 0) rest = -rest;
  if (rest != 0) {
    text += '.';
    text += static_cast<char>('0' + rest / 10);
    if (rest % 10 != 0) text += static_cast<char>('0' + rest % 10);
  }
  return text + "%";
}

namespace {

std::string ComponentText(const std::string& id, const ServiceDefinition* definition) {
  if (definition != nullptr) {
    if (const Component* c = definition->FindComponent(id); c != nullptr && !c->name.empty()) return c->name;
  }
  std::string name = id;
  for (char& ch : name) ch = ch == '_' ? ' ' : ch;
  if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

}  // namespace

std::string TariffText(const Tariff& tariff, const ServiceDefinition* definition) {
  std::string out;
  auto add = [&out](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
  switch (tariff.payment_type) {
    case PaymentType::kItemOfService:
      for (const ComponentRate& r : tariff.unit_rates) {
        add(ComponentText(r.component_id, definition) + ": " + FormatPounds(r.pence_per_unit) + " each");
      }
      break;
    case PaymentType::kPopulation:
      add(FormatPounds(tariff.population_rate_pence) + (tariff.population_basis == PopulationBasis::kPerThousand
                                                            ? " per 1,000 registered patients"
                                                            : " per registered patient"));
      break;
    case PaymentType::kThreshold:
      for (const ThresholdTier& t : tariff.tiers) {
        add(FormatPounds(t.pence) + " at " + PercentText(t.min_basis_points) + " or more");
      }
      break;
    case PaymentType::kParticipation: add(FormatPounds(tariff.participation_pence) + " per period"); break;
  }
  return out;
}

bool MayOffer(const ServiceState& service, std::string_view commissioner) {
  if (service.commissioner == commissioner) return true;
  return std::find(service.shared_with.begin(), service.shared_with.end(), commissioner) != service.shared_with.end();
}

ServiceState EvolveService(ServiceState state, const ServiceEvent& event) {
  std::visit(Overloaded{
                 [&](const ServiceDefined& e) {
                   state = ServiceState{};
                   state.status = ServiceStatus::kDraft;
                   state.service_id = e.service_id;
                   state.commissioner = e.commissioner;
                   state.definition = e.definition;
                 },
                 [&](const ServiceDraftEdited& e) { state.definition = e.definition; },
                 [&](const ServicePublished&) { state.status = ServiceStatus::kPublished; },
                 [&](const ServiceRetired&) { state.status = ServiceStatus::kRetired; },
                 [&](const TariffVersionAdded& e) { InsertTariff(state.tariffs, e.tariff); },
                 [&](const ServiceShared& e) {
                   if (!MayOffer(state, e.with_commissioner)) state.shared_with.push_back(e.with_commissioner);
                 },
             },
             event);
  return state;
}

std::vector<std::string> StreamsForService(const ServiceCommand& command) {
  return std::visit(Overloaded{
                        [](const DefineService& c) {
                          return std::vector<std::string>{ServiceStream(c.service_id), OrgStream(c.commissioner)};
                        },
                        [](const ShareService& c) {
                          return std::vector<std::string>{ServiceStream(c.service_id), OrgStream(c.with_commissioner)};
                        },
                        [](const auto& c) { return std::vector<std::string>{ServiceStream(c.service_id)}; },
                    },
                    command);
}

namespace {

Rejection UnknownService(std::string_view id) {
  return Rejection::NotFound("unknown_service", "There is no service " + std::string(id) + ".");
}

bool IsCommissioner(const OrgState& org) { return org.exists && org.kind == OrgKind::kCommissioner; }

std::optional<Rejection> InvalidDefinition(const ServiceDefinition& definition) {
  auto errors = ValidateDefinition(definition);
  if (errors.empty()) return std::nullopt;
  return internal::InvalidFields("invalid_service", "The service's details need correcting.", std::move(errors));
}

Outcome<Decision> Define(const CommandMeta& meta, const Principal& who, const DefineService& c, const Loaded& loaded) {
  if (!IsCommissioner(StateOf<OrgState>(loaded, OrgStream(c.commissioner)))) {
    return Rejection::NotFound("unknown_commissioner", "There is no commissioner " + c.commissioner + ".");
  }
  if (auto denied = Deny(who, Action::kManageServices, {"", c.commissioner, ""})) return *denied;
  const auto& service = StateOf<ServiceState>(loaded, ServiceStream(c.service_id));
  if (service.status != ServiceStatus::kNone) {
    return Rejection::Conflict("service_exists", "Service " + c.service_id + " already exists.");
  }
  if (!IsValidId(c.service_id)) {
    return Rejection::Invalid("invalid_service_id", "Use letters, digits, '.', '_' or '-' for the service id.");
  }
  if (auto invalid = InvalidDefinition(c.definition)) return *invalid;
  return WriteTo(ServiceStream(c.service_id), {ServiceDefined{c.service_id, c.commissioner, c.definition, meta.at}});
}

// The service named by a command, after checking it exists and `who` may manage it.
Outcome<const ServiceState*> ManagedService(const Principal& who, const Loaded& loaded, std::string_view id) {
  const auto& service = StateOf<ServiceState>(loaded, ServiceStream(id));
  if (service.status == ServiceStatus::kNone) return UnknownService(id);
  if (auto denied = Deny(who, Action::kManageServices, {"", service.commissioner, ""})) return *denied;
  return &service;
}

Rejection WrongStatus(const ServiceState& s, std::string_view what) {
  return Rejection::Conflict("service_" + std::string(ServiceStatusName(s.status)),
                             "The service is " + std::string(ServiceStatusName(s.status)) + ": " + std::string(what) +
                                 ".");
}

Outcome<Decision> Edit(const CommandMeta& meta, const Principal& who, const EditServiceDraft& c, const Loaded& loaded) {
  auto service = ManagedService(who, loaded, c.service_id);
  if (!service) return service.rejection();
  const ServiceState& s = *service.value();
  if (s.status != ServiceStatus::kDraft) return WrongStatus(s, "only a draft can be edited");
  if (auto invalid = InvalidDefinition(c.definition)) return *invalid;
  if (s.definition == c.definition) return NoChange();
  return WriteTo(ServiceStream(c.service_id), {ServiceDraftEdited{c.service_id, c.definition, meta.at}});
}

// A published service's tariffs must still fit its (possibly edited) definition.
std::optional<Rejection> TariffsMisfit(const ServiceState& s) {
  for (const Tariff& t : s.tariffs) {
    if (auto errors = ValidateTariff(t, s.definition); !errors.empty()) {
      return internal::InvalidFields("tariff_does_not_fit", "A tariff no longer fits the service's components.",
                                     std::move(errors));
    }
  }
  return std::nullopt;
}

Outcome<Decision> Publish(const CommandMeta& meta, const Principal& who, const PublishService& c,
                          const Loaded& loaded) {
  auto service = ManagedService(who, loaded, c.service_id);
  if (!service) return service.rejection();
  const ServiceState& s = *service.value();
  if (s.status == ServiceStatus::kPublished) return NoChange();
  if (s.status != ServiceStatus::kDraft) return WrongStatus(s, "only a draft can be published");
  if (s.tariffs.empty()) {
    return Rejection::Conflict("no_tariff", "Add a tariff before publishing the service.");
  }
  if (auto misfit = TariffsMisfit(s)) return *misfit;
  return WriteTo(ServiceStream(c.service_id), {ServicePublished{c.service_id, meta.at}});
}

Outcome<Decision> Retire(const CommandMeta& meta, const Principal& who, const RetireService& c, const Loaded& loaded) {
  auto service = ManagedService(who, loaded, c.service_id);
  if (!service) return service.rejection();
  const ServiceState& s = *service.value();
  if (s.status == ServiceStatus::kRetired) return NoChange();
  if (s.status != ServiceStatus::kPublished) return WrongStatus(s, "only a published service can be retired");
  return WriteTo(ServiceStream(c.service_id), {ServiceRetired{c.service_id, meta.at}});
}

Outcome<Decision> AddTariff(const CommandMeta& meta, const Principal& who, const AddTariffVersion& c,
                            const Loaded& loaded) {
  auto service = ManagedService(who, loaded, c.service_id);
  if (!service) return service.rejection();
  const ServiceState& s = *service.value();
  if (s.status == ServiceStatus::kRetired) return WrongStatus(s, "its tariff cannot change");
  if (auto errors = ValidateTariff(c.tariff, s.definition); !errors.empty()) {
    return internal::InvalidFields("invalid_tariff", "The tariff needs correcting.", std::move(errors));
  }
  if (!s.tariffs.empty() && s.tariffs.back() == c.tariff) return NoChange();
  if (!s.tariffs.empty() && c.tariff.effective_from <= s.tariffs.back().effective_from) {
    return Rejection::Conflict("tariff_not_after_latest", "A new tariff must take effect after " +
                                                              s.tariffs.back().effective_from.ToString() + ".");
  }
  return WriteTo(ServiceStream(c.service_id), {TariffVersionAdded{c.service_id, c.tariff, meta.at}});
}

Outcome<Decision> Share(const CommandMeta& meta, const Principal& who, const ShareService& c, const Loaded& loaded) {
  auto service = ManagedService(who, loaded, c.service_id);
  if (!service) return service.rejection();
  const ServiceState& s = *service.value();
  if (s.status == ServiceStatus::kRetired) return WrongStatus(s, "it cannot be shared");
  if (!IsCommissioner(StateOf<OrgState>(loaded, OrgStream(c.with_commissioner)))) {
    return Rejection::NotFound("unknown_commissioner", "There is no commissioner " + c.with_commissioner + ".");
  }
  if (c.with_commissioner == s.commissioner) {
    return Rejection::Invalid("share_with_self", "A service cannot be shared with its own commissioner.");
  }
  if (MayOffer(s, c.with_commissioner)) return NoChange();
  return WriteTo(ServiceStream(c.service_id), {ServiceShared{c.service_id, c.with_commissioner, meta.at}});
}

}  // namespace

Outcome<Decision> DecideService(const CommandMeta& meta, const ServiceCommand& command, const Loaded& loaded) {
  auto who = internal::ActingPrincipal(meta, loaded);
  if (!who) return who.rejection();
  const Principal& p = who.value();
  return std::visit(Overloaded{
                        [&](const DefineService& c) { return Define(meta, p, c, loaded); },
                        [&](const EditServiceDraft& c) { return Edit(meta, p, c, loaded); },
                        [&](const PublishService& c) { return Publish(meta, p, c, loaded); },
                        [&](const RetireService& c) { return Retire(meta, p, c, loaded); },
                        [&](const AddTariffVersion& c) { return AddTariff(meta, p, c, loaded); },
                        [&](const ShareService& c) { return Share(meta, p, c, loaded); },
                    },
                    command);
}

}  // namespace ledger::core
