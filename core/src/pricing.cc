// Pricing: the amount payable for a claim, exactly in pence.
#include <limits>

#include "ledger/core/service.h"

namespace ledger::core {
namespace {

constexpr int64_t kBasisPointsPerWhole = 10'000;
constexpr int64_t kPatientsPerThousand = 1'000;

Rejection TooLarge() { return Rejection::Invalid("amount_too_large", "The claimed amount is too large to be paid."); }

Rejection InvalidValue(const std::string& path, const std::string& code, const std::string& message) {
  return Rejection::Invalid(code, message, {FieldError{path, code, message}});
}

int64_t ValueOf(const UnitValues& values, std::string_view component_id) {
  auto it = values.find(component_id);
  return it == values.end() ? 0 : it->second;
}

Outcome<Pence> PriceItemOfService(const Tariff& tariff, const UnitValues& values) {
  Pence total = 0;
  for (const ComponentRate& rate : tariff.unit_rates) {
    Pence line = 0;
    if (__builtin_mul_overflow(ValueOf(values, rate.component_id), rate.pence_per_unit, &line) ||
        __builtin_add_overflow(total, line, &total)) {
      return TooLarge();
    }
  }
  return total;
}

Outcome<Pence> PricePopulation(const Tariff& tariff, int64_t list_size) {
  if (list_size <= 0) {
    return InvalidValue("list_size", "list_size_unknown", "The practice's registered list size is not known.");
  }
  int64_t product = 0;
  if (__builtin_mul_overflow(list_size, tariff.population_rate_pence, &product)) return TooLarge();
  if (tariff.population_basis == PopulationBasis::kPerPatient) return product;
  return DivideRoundHalfUp(product, kPatientsPerThousand);
}

// Whether numerator / denominator >= basis_points / 10,000, exactly.
bool Meets(int64_t numerator, int64_t denominator, int32_t basis_points) {
  // Both sides fit in 128 bits.
  const __int128 lhs = static_cast<__int128>(numerator) * kBasisPointsPerWhole;
  const __int128 rhs = static_cast<__int128>(basis_points) * denominator;
  return lhs >= rhs;
}

Outcome<Pence> PriceThreshold(const Tariff& tariff, const UnitValues& values) {
  const int64_t numerator = ValueOf(values, tariff.numerator_component);
  const int64_t denominator = ValueOf(values, tariff.denominator_component);
  if (denominator <= 0) {
    return InvalidValue("components." + tariff.denominator_component, "denominator_zero",
                        "Enter a number above zero for the denominator.");
  }
  Pence pays = 0;
  for (const ThresholdTier& tier : tariff.tiers) {
    if (Meets(numerator, denominator, tier.min_basis_points)) pays = std::max(pays, tier.pence);
  }
  return pays;
}

bool AnyNegative(const UnitValues& values) {
  for (const auto& [id, v] : values) {
    if (v < 0) return true;
  }
  return false;
}

}  // namespace

int64_t DivideRoundHalfUp(int64_t numerator, int64_t divisor) {
  return numerator / divisor + (numerator % divisor * 2 >= divisor ? 1 : 0);
}

Outcome<Pence> Price(const Tariff& tariff, const UnitValues& values, int64_t list_size) {
  if (AnyNegative(values)) return Rejection::Invalid("negative_value", "Unit values cannot be negative.");
  switch (tariff.payment_type) {
    case PaymentType::kItemOfService: return PriceItemOfService(tariff, values);
    case PaymentType::kPopulation: return PricePopulation(tariff, list_size);
    case PaymentType::kThreshold: return PriceThreshold(tariff, values);
    case PaymentType::kParticipation: return tariff.participation_pence;
  }
  return Rejection::Invalid("unknown_payment_type", "The tariff's payment type is not known.");
}

}  // namespace ledger::core
