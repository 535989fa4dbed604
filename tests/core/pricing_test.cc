#include <doctest/doctest.h>

#include <limits>

#include "ledger/core/claim.h"
#include "ledger/core/service.h"

namespace ledger::core {
namespace {

Tariff ItemOfService(std::vector<ComponentRate> rates) {
  Tariff t;
  t.payment_type = PaymentType::kItemOfService;
  t.unit_rates = std::move(rates);
  return t;
}

Tariff Population(PopulationBasis basis, Pence rate) {
  Tariff t;
  t.payment_type = PaymentType::kPopulation;
  t.population_basis = basis;
  t.population_rate_pence = rate;
  return t;
}

// Pays £500 from 50% achievement and £900 from 75%.
Tariff Threshold() {
  Tariff t;
  t.payment_type = PaymentType::kThreshold;
  t.numerator_component = "reviewed";
  t.denominator_component = "eligible";
  t.tiers = {{5000, 50'000}, {7500, 90'000}};
  return t;
}

Pence PriceOf(const Tariff& t, const UnitValues& values, int64_t list_size = 0) {
  auto price = Price(t, values, list_size);
  REQUIRE(price.ok());
  return price.value();
}

TEST_CASE("item of service pays each component's units at its rate, exactly") {
  const Tariff t = ItemOfService({{"flu", 1'000}, {"pneumo", 2'250}});
  CHECK(PriceOf(t, {{"flu", 12}, {"pneumo", 3}}) == 12 * 1'000 + 3 * 2'250);
  CHECK(PriceOf(t, {{"flu", 12}}) == 12'000);  // a missing value counts as 0
  CHECK(PriceOf(t, {{"unrated", 99}}) == 0);   // unrated components pay nothing
  CHECK(PriceOf(t, {}) == 0);
}

TEST_CASE("population weighting per patient pays the list size times the rate") {
  CHECK(PriceOf(Population(PopulationBasis::kPerPatient, 125), {}, 8'000) == 1'000'000);
}

TEST_CASE("population weighting per 1,000 patients rounds half up to the penny, once") {
  const Tariff t = Population(PopulationBasis::kPerThousand, 150);
  CHECK(PriceOf(t, {}, 1'000) == 150);
  CHECK(PriceOf(t, {}, 1'003) == 150);                                         // 150.45p -> 150p
  CHECK(PriceOf(t, {}, 1'004) == 151);                                         // 150.60p -> 151p
  CHECK(PriceOf(Population(PopulationBasis::kPerThousand, 500), {}, 1) == 1);  // 0.5p -> 1p (half up)
  CHECK(PriceOf(Population(PopulationBasis::kPerThousand, 499), {}, 1) == 0);  // 0.499p -> 0p
  CHECK(PriceOf(Population(PopulationBasis::kPerThousand, 250'000), {}, 7'345) == 1'836'250);
}

TEST_CASE("population weighting needs a known list size") {
  auto price = Price(Population(PopulationBasis::kPerPatient, 125), {}, 0);
  REQUIRE_FALSE(price.ok());
  CHECK(price.rejection().code == "list_size_unknown");
  CHECK(price.rejection().errors[0].path == "list_size");
}

TEST_CASE("a threshold pays the highest tier met, comparing achievement exactly on both sides of each boundary") {
  const Tariff t = Threshold();
  CHECK(PriceOf(t, {{"reviewed", 0}, {"eligible", 200}}) == 0);
  CHECK(PriceOf(t, {{"reviewed", 99}, {"eligible", 200}}) == 0);        // 49.5%
  CHECK(PriceOf(t, {{"reviewed", 100}, {"eligible", 200}}) == 50'000);  // 50%
  CHECK(PriceOf(t, {{"reviewed", 149}, {"eligible", 200}}) == 50'000);  // 74.5%
  CHECK(PriceOf(t, {{"reviewed", 150}, {"eligible", 200}}) == 90'000);  // 75%
  CHECK(PriceOf(t, {{"reviewed", 200}, {"eligible", 200}}) == 90'000);  // 100%
  // 74.99996% is not 75%: the percentage is never rounded up into a tier.
  CHECK(PriceOf(t, {{"reviewed", 74'999}, {"eligible", 99'999}}) == 50'000);
  CHECK(PriceOf(t, {{"reviewed", 75'000}, {"eligible", 100'000}}) == 90'000);
}

TEST_CASE("a threshold needs a denominator above zero") {
  auto price = Price(Threshold(), {{"reviewed", 0}, {"eligible", 0}}, 0);
  REQUIRE_FALSE(price.ok());
  CHECK(price.rejection().code == "denominator_zero");
  CHECK(price.rejection().errors[0].path == "components.eligible");
}

TEST_CASE("participation pays its fixed amount whatever the values") {
  Tariff t;
  t.payment_type = PaymentType::kParticipation;
  t.participation_pence = 250'000;
  CHECK(PriceOf(t, {{"anything", 5}}) == 250'000);
}

TEST_CASE("negative values and amounts beyond int64 are refused, never wrapped") {
  CHECK(Price(ItemOfService({{"flu", 1'000}}), {{"flu", -1}}, 0).rejection().code == "negative_value");
  const int64_t huge = std::numeric_limits<int64_t>::max() / 2;
  CHECK(Price(ItemOfService({{"flu", 3}}), {{"flu", huge}}, 0).rejection().code == "amount_too_large");
  CHECK(Price(ItemOfService({{"a", 1}, {"b", 1}}), {{"a", huge}, {"b", huge + 2}}, 0).rejection().code ==
        "amount_too_large");
  CHECK(Price(Population(PopulationBasis::kPerThousand, 3), {}, huge).rejection().code == "amount_too_large");
}

TEST_CASE("rounding half up divides exactly and rounds .5 away from zero") {
  CHECK(DivideRoundHalfUp(1'500, 1'000) == 2);
  CHECK(DivideRoundHalfUp(1'499, 1'000) == 1);
  CHECK(DivideRoundHalfUp(2'000, 1'000) == 2);
  CHECK(DivideRoundHalfUp(0, 1'000) == 0);
}

TEST_CASE("risk bands: Low below 15,000 pounds, Medium to 49,999.99, High from 50,000") {
  CHECK(RiskBandFor(0) == RiskBand::kLow);
  CHECK(RiskBandFor(1'499'999) == RiskBand::kLow);
  CHECK(RiskBandFor(1'500'000) == RiskBand::kMedium);
  CHECK(RiskBandFor(4'999'999) == RiskBand::kMedium);
  CHECK(RiskBandFor(5'000'000) == RiskBand::kHigh);
  CHECK(RiskBandName(RiskBand::kMedium) == "Medium");
}

TEST_CASE("claim statuses carry the names users know from CQRS Local") {
  CHECK(StatusName(ClaimStatus::kDraft) == "Draft");
  CHECK(StatusName(ClaimStatus::kAwaitingProviderApproval) == "Awaiting Service Provider Approval");
  CHECK(StatusName(ClaimStatus::kAwaitingTier1) == "Awaiting Commissioning Organisation Approval");
  CHECK(StatusName(ClaimStatus::kAwaitingTier2) == "Awaiting Tier 2 Approval");
  CHECK(StatusName(ClaimStatus::kAwaitingFinance) == "Awaiting Finance Approval");
  CHECK(StatusName(ClaimStatus::kApprovedForPayment) == "Approved for Payment");
  CHECK(StatusName(ClaimStatus::kPaymentHeld) == "Payment Held");
  CHECK(StatusName(ClaimStatus::kSentForPayment) == "Sent for Payment");
  CHECK(StatusName(ClaimStatus::kPaid) == "Paid");
  CHECK(StatusName(ClaimStatus::kReturned) == "Returned for Amendment");
  CHECK(StatusName(ClaimStatus::kRejected) == "Rejected");
  CHECK(StatusName(ClaimStatus::kWithdrawn) == "Withdrawn");
}

}  // namespace
}  // namespace ledger::core
