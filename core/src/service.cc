#include "ledger/core/service.h"

#include <algorithm>

#include "decide_support.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "variant_util.h"

namespace ledger::core {
namespace {

using internal::Overloaded;

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
                          return std::vector<std::string>{ServiceStream(c.service_id),
                                                          OrgStream(c.with_commissioner)};
                        },
                        [](const auto& c) { return std::vector<std::string>{ServiceStream(c.service_id)}; },
                    },
                    command);
}

Outcome<Decision> DecideService(const CommandMeta&, const ServiceCommand&, const Loaded&) {
  return Rejection::Conflict("not_implemented", "Not available yet.");
}

}  // namespace ledger::core
