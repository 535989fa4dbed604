// Validation of service definitions and tariffs: every problem at once, each
// with a field path and a sentence a commissioner understands.
#include <set>

#include "ledger/core/service.h"
#include "ledger/core/streams.h"

namespace ledger::core {
namespace {

constexpr int32_t kMaxWindowDays = 366;
constexpr int32_t kWholeInBasisPoints = 10'000;

using Errors = std::vector<FieldError>;

void Add(Errors& errors, std::string path, std::string code, std::string message) {
  errors.push_back({std::move(path), std::move(code), std::move(message)});
}

void CheckNumeratorLink(const Component& c, const ServiceDefinition& d, const std::string& path, Errors& errors) {
  if (c.numerator_of.empty()) return;
  const Component* denominator = d.FindComponent(c.numerator_of);
  if (denominator == nullptr || denominator == &c) {
    Add(errors, path, "unknown_denominator", "Choose another component of this service as the denominator.");
  } else if (c.unit_kind != UnitKind::kPercentage || denominator->unit_kind != UnitKind::kPercentage) {
    Add(errors, path, "not_a_percentage", "A numerator and its denominator must both be percentage components.");
  }
}

void CheckComponent(const Component& c, const ServiceDefinition& d, Errors& errors) {
  const std::string path = "components." + c.id;
  if (!IsValidId(c.id)) Add(errors, path, "invalid_id", "Use letters, digits, '.', '_' or '-' for the id.");
  if (c.name.empty()) Add(errors, path, "name_required", "Enter the component's name.");
  if (c.min < 0 || c.min > c.max) {
    Add(errors, path, "invalid_range", "The minimum must be zero or more and not above the maximum.");
  }
  if (c.unit_kind == UnitKind::kYesNo && (c.min != 0 || c.max != 1)) {
    Add(errors, path, "invalid_range", "A yes/no component ranges from 0 to 1.");
  }
  CheckNumeratorLink(c, d, path, errors);
}

void CheckComponents(const ServiceDefinition& d, Errors& errors) {
  std::set<std::string, std::less<>> seen;
  for (const Component& c : d.components) {
    if (!seen.insert(c.id).second)
      Add(errors, "components." + c.id, "duplicate_id", "Each component needs its own id.");
    CheckComponent(c, d, errors);
  }
}

void CheckQuestions(const ServiceDefinition& d, Errors& errors) {
  std::set<std::string, std::less<>> seen;
  for (const Question& q : d.questions) {
    const std::string path = "questions." + q.id;
    if (!IsValidId(q.id)) Add(errors, path, "invalid_id", "Use letters, digits, '.', '_' or '-' for the id.");
    if (!seen.insert(q.id).second) Add(errors, path, "duplicate_id", "Each question needs its own id.");
    if (q.text.empty()) Add(errors, path, "text_required", "Enter the question.");
  }
}

void CheckItemOfService(const Tariff& t, const ServiceDefinition& d, Errors& errors) {
  if (t.unit_rates.empty()) Add(errors, "tariff.unit_rates", "required", "Give a rate for at least one component.");
  std::set<std::string, std::less<>> seen;
  for (const ComponentRate& r : t.unit_rates) {
    const std::string path = "tariff.unit_rates." + r.component_id;
    if (d.FindComponent(r.component_id) == nullptr) {
      Add(errors, path, "unknown_component", "The rate names a component the service does not have.");
    }
    if (!seen.insert(r.component_id).second) Add(errors, path, "duplicate_rate", "Give each component one rate.");
    if (r.pence_per_unit < 0) Add(errors, path, "negative_rate", "A rate cannot be negative.");
  }
}

void CheckThresholdComponent(const std::string& id, const char* path, const ServiceDefinition& d, Errors& errors) {
  const Component* c = d.FindComponent(id);
  if (c == nullptr) {
    Add(errors, path, "unknown_component", "Choose a component of the service.");
  } else if (c->unit_kind != UnitKind::kPercentage) {
    Add(errors, path, "not_a_percentage", "Choose a percentage component.");
  }
}

void CheckThreshold(const Tariff& t, const ServiceDefinition& d, Errors& errors) {
  CheckThresholdComponent(t.numerator_component, "tariff.numerator_component", d, errors);
  CheckThresholdComponent(t.denominator_component, "tariff.denominator_component", d, errors);
  if (t.tiers.empty()) Add(errors, "tariff.tiers", "required", "Give at least one payment tier.");
  int32_t previous = -1;
  for (const ThresholdTier& tier : t.tiers) {
    if (tier.min_basis_points <= previous || tier.min_basis_points > kWholeInBasisPoints) {
      Add(errors, "tariff.tiers", "invalid_tiers", "Tiers must rise from 0% to at most 100%.");
    }
    if (tier.pence < 0) Add(errors, "tariff.tiers", "negative_amount", "A tier cannot pay a negative amount.");
    previous = tier.min_basis_points;
  }
}

}  // namespace

std::vector<FieldError> ValidateDefinition(const ServiceDefinition& d) {
  Errors errors;
  if (d.code.empty()) Add(errors, "code", "required", "Enter the service code.");
  if (d.name.empty()) Add(errors, "name", "required", "Enter the service name.");
  if (d.window_days < 1 || d.window_days > kMaxWindowDays) {
    Add(errors, "window_days", "out_of_range", "The claim window must be between 1 and 366 days.");
  }
  if (d.end < d.start) Add(errors, "dates", "end_before_start", "The end date must not be before the start date.");
  CheckComponents(d, errors);
  CheckQuestions(d, errors);
  return errors;
}

std::vector<FieldError> ValidateTariff(const Tariff& t, const ServiceDefinition& d) {
  Errors errors;
  switch (t.payment_type) {
    case PaymentType::kItemOfService: CheckItemOfService(t, d, errors); break;
    case PaymentType::kPopulation:
      if (t.population_rate_pence <= 0) {
        Add(errors, "tariff.population_rate_pence", "out_of_range", "The rate must be above zero.");
      }
      break;
    case PaymentType::kThreshold: CheckThreshold(t, d, errors); break;
    case PaymentType::kParticipation:
      if (t.participation_pence <= 0) {
        Add(errors, "tariff.participation_pence", "out_of_range", "The amount must be above zero.");
      }
      break;
  }
  return errors;
}

}  // namespace ledger::core
