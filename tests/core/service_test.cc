#include <doctest/doctest.h>

#include "world.h"

namespace ledger::core::testing {
namespace {

Scenario WithDraft() {
  Scenario s = StandardWorld();
  REQUIRE(s.Do("c1admin", DefineService{"SMK", "C1", FluDefinition()}).ok());
  return s;
}

TEST_CASE("a commissioner administrator defines a service as a draft") {
  auto result = StandardWorld().When("c1admin", DefineService{"SMK", "C1", FluDefinition()});
  CHECK(Written(result, ServiceStream("SMK")) ==
        std::vector<Event>{ServiceDefined{"SMK", "C1", FluDefinition(), Now()}});
}

TEST_CASE("services are defined only by the commissioner's own administrator") {
  Scenario s = StandardWorld();
  CHECK(Refusal(s.When("c2admin", DefineService{"SMK", "C1", FluDefinition()})) == "forbidden");
  CHECK(Refusal(s.When("c1tier1", DefineService{"SMK", "C1", FluDefinition()})) == "forbidden");
  CHECK(Refusal(s.When("p1admin", DefineService{"SMK", "C1", FluDefinition()})) == "forbidden");
  CHECK(Refusal(s.When("c1admin", DefineService{"SMK", "C404", FluDefinition()})) == "unknown_commissioner");
}

TEST_CASE("a service id is used once and must be a valid id") {
  Scenario s = StandardWorld();
  CHECK(Refusal(s.When("c1admin", DefineService{"FLU", "C1", FluDefinition()})) == "service_exists");
  CHECK(Refusal(s.When("c1admin", DefineService{"bad id", "C1", FluDefinition()})) == "invalid_service_id");
}

TEST_CASE("a service definition lists every problem with a field path") {
  ServiceDefinition d = FluDefinition();
  d.code = "";
  d.name = "";
  d.window_days = 0;
  d.end = Date::FromYmd(2026, 1, 1);
  d.components = {Component{"a", "", UnitKind::kCount, 5, 1, true, ""},
                  Component{"a", "Again", UnitKind::kYesNo, 0, 2, true, ""},
                  Component{"num", "Numerator", UnitKind::kCount, 0, 10, true, "den"},
                  Component{"pct", "Pct", UnitKind::kPercentage, 0, 10, true, "pct"}};
  d.questions = {Question{"q", "", QuestionKind::kText, true}, Question{"q", "Again?", QuestionKind::kYesNo, true}};
  auto result = StandardWorld().When("c1admin", DefineService{"SMK", "C1", d});
  CHECK(Refusal(result) == "invalid_service");
  CHECK(ErrorPaths(result) == std::vector<std::string>{"code", "name", "window_days", "dates", "components.a",
                                                       "components.a", "components.a", "components.a", "components.num",
                                                       "components.pct", "questions.q", "questions.q"});
}

TEST_CASE("a claim window of 1 to 366 days is accepted; 0 and 367 are not") {
  for (int days : {1, 366}) {
    ServiceDefinition d = FluDefinition();
    d.window_days = days;
    CHECK(ValidateDefinition(d).empty());
  }
  for (int days : {0, 367}) {
    ServiceDefinition d = FluDefinition();
    d.window_days = days;
    CHECK(ValidateDefinition(d).size() == 1);
  }
}

TEST_CASE("a percentage numerator names its denominator") {
  ServiceDefinition d = FluDefinition();
  d.components = {Component{"achieved", "Patients reviewed", UnitKind::kPercentage, 0, 100000, true, "eligible"},
                  Component{"eligible", "Eligible patients", UnitKind::kPercentage, 0, 100000, true, ""}};
  CHECK(ValidateDefinition(d).empty());
}

TEST_CASE("a draft can be edited; an edit with no change changes nothing") {
  Scenario s = WithDraft();
  ServiceDefinition d = FluDefinition();
  d.window_days = 45;
  CHECK(Written(s.When("c1admin", EditServiceDraft{"SMK", d}), ServiceStream("SMK")) ==
        std::vector<Event>{ServiceDraftEdited{"SMK", d, Now()}});
  CHECK(Unchanged(s.When("c1admin", EditServiceDraft{"SMK", FluDefinition()})));
  d.name = "";
  CHECK(Refusal(s.When("c1admin", EditServiceDraft{"SMK", d})) == "invalid_service");
}

TEST_CASE("a published service cannot be edited") {
  CHECK(Refusal(StandardWorld().When("c1admin", EditServiceDraft{"FLU", FluDefinition()})) == "service_published");
}

TEST_CASE("commands on an unknown service are not found") {
  CHECK(Refusal(StandardWorld().When("c1admin", PublishService{"NOPE"})) == "unknown_service");
}

TEST_CASE("a service needs a tariff before it is published") {
  Scenario s = WithDraft();
  CHECK(Refusal(s.When("c1admin", PublishService{"SMK"})) == "no_tariff");
  REQUIRE(s.Do("c1admin", AddTariffVersion{"SMK", FluTariff()}).ok());
  CHECK(Written(s.Do("c1admin", PublishService{"SMK"}), ServiceStream("SMK")) ==
        std::vector<Event>{ServicePublished{"SMK", Now()}});
  CHECK(Unchanged(s.When("c1admin", PublishService{"SMK"})));
}

TEST_CASE("a draft whose edited components no longer fit its tariff cannot be published") {
  Scenario s = WithDraft();
  REQUIRE(s.Do("c1admin", AddTariffVersion{"SMK", FluTariff()}).ok());
  ServiceDefinition d = FluDefinition();
  d.components[0].id = "doses";
  REQUIRE(s.Do("c1admin", EditServiceDraft{"SMK", d}).ok());
  CHECK(Refusal(s.When("c1admin", PublishService{"SMK"})) == "tariff_does_not_fit");
}

TEST_CASE("a published service is retired, and a retired one stays retired") {
  Scenario s = StandardWorld();
  CHECK(Refusal(WithDraft().When("c1admin", RetireService{"SMK"})) == "service_draft");
  CHECK(Written(s.Do("c1admin", RetireService{"FLU"}), ServiceStream("FLU")) ==
        std::vector<Event>{ServiceRetired{"FLU", Now()}});
  CHECK(Unchanged(s.When("c1admin", RetireService{"FLU"})));
  CHECK(Refusal(s.When("c1admin", PublishService{"FLU"})) == "service_retired");
  CHECK(Refusal(s.When("c1admin", AddTariffVersion{"FLU", FluTariff(Date::FromYmd(2027, 1, 1))})) == "service_retired");
  CHECK(Refusal(s.When("c1admin", ShareService{"FLU", "C2"})) == "service_retired");
}

TEST_CASE("tariff versions are effective-dated and each must start after the latest") {
  Scenario s = StandardWorld();
  const Tariff october = FluTariff(Date::FromYmd(2026, 10, 1), 1200);
  CHECK(Written(s.Do("c1admin", AddTariffVersion{"FLU", october}), ServiceStream("FLU")) ==
        std::vector<Event>{TariffVersionAdded{"FLU", october, Now()}});
  CHECK(Unchanged(s.When("c1admin", AddTariffVersion{"FLU", october})));
  CHECK(Refusal(s.When("c1admin", AddTariffVersion{"FLU", FluTariff(Date::FromYmd(2026, 10, 1), 1300)})) ==
        "tariff_not_after_latest");
  CHECK(Refusal(s.When("c1admin", AddTariffVersion{"FLU", FluTariff(Date::FromYmd(2026, 6, 1), 1300)})) ==
        "tariff_not_after_latest");
}

TEST_CASE("a claim is priced with the tariff in force at its period's end") {
  Scenario s = StandardWorld();
  REQUIRE(s.Do("c1admin", AddTariffVersion{"FLU", FluTariff(Date::FromYmd(2026, 10, 15), 1200)}).ok());
  const ServiceState& flu = s.State<ServiceState>(ServiceStream("FLU"));
  CHECK(TariffFor(flu, Period::Month(2026, 9))->unit_rates[0].pence_per_unit == 1000);
  CHECK(TariffFor(flu, Period::Month(2026, 10))->unit_rates[0].pence_per_unit == 1200);  // in force on 31 Oct
  CHECK(TariffFor(flu, *Period::Parse(Frequency::kOneOff, "2026-10-14"))->unit_rates[0].pence_per_unit == 1000);
  CHECK(TariffFor(flu, *Period::Parse(Frequency::kOneOff, "2026-10-15"))->unit_rates[0].pence_per_unit == 1200);
  CHECK(TariffFor(flu, Period::Month(2026, 3)) == nullptr);
}

TEST_CASE("a tariff lists every problem against the service's components") {
  const ServiceDefinition d = FluDefinition();
  Tariff t;
  t.payment_type = PaymentType::kItemOfService;
  t.unit_rates = {{"ghost", 10}, {"vaccinations", -1}, {"vaccinations", 5}};
  CHECK(ValidateTariff(t, d).size() == 3);
  t.unit_rates = {};
  CHECK(ValidateTariff(t, d).size() == 1);
  t.payment_type = PaymentType::kPopulation;
  CHECK(ValidateTariff(t, d).size() == 1);
  t.payment_type = PaymentType::kParticipation;
  CHECK(ValidateTariff(t, d).size() == 1);
  t.payment_type = PaymentType::kThreshold;
  t.numerator_component = "vaccinations";  // not a percentage component
  t.denominator_component = "ghost";
  t.tiers = {{7500, 100}, {5000, 50}, {10001, -1}};
  auto errors = ValidateTariff(t, d);
  CHECK(errors.size() == 5);
  auto invalid = StandardWorld().When("c1admin", AddTariffVersion{"FLU", t});
  CHECK(Refusal(invalid) == "invalid_tariff");
}

TEST_CASE("a commissioner shares a service with another commissioner, who may then offer it") {
  Scenario s = StandardWorld();
  CHECK(Written(s.Do("c1admin", ShareService{"FLU", "C2"}), ServiceStream("FLU")) ==
        std::vector<Event>{ServiceShared{"FLU", "C2", Now()}});
  CHECK(MayOffer(s.State<ServiceState>(ServiceStream("FLU")), "C2"));
  CHECK(Unchanged(s.When("c1admin", ShareService{"FLU", "C2"})));
}

TEST_CASE("sharing needs the owner, another existing commissioner") {
  Scenario s = StandardWorld();
  CHECK(Refusal(s.When("c2admin", ShareService{"FLU", "C2"})) == "forbidden");
  CHECK(Refusal(s.When("c1admin", ShareService{"FLU", "C1"})) == "share_with_self");
  CHECK(Refusal(s.When("c1admin", ShareService{"FLU", "P1"})) == "unknown_commissioner");
  CHECK_FALSE(MayOffer(s.State<ServiceState>(ServiceStream("FLU")), "C2"));
}

TEST_CASE("the claim window opens the day after the period and closes window_days after its end") {
  const ClaimWindow w = WindowFor(FluDefinition(), Period::Month(2026, 10));
  CHECK(w.opens.ToString() == "2026-11-01");
  CHECK(w.closes.ToString() == "2026-11-30");
  CHECK_FALSE(w.Contains(Date::FromYmd(2026, 10, 31)));
  CHECK(w.Contains(Date::FromYmd(2026, 11, 1)));
  CHECK(w.Contains(Date::FromYmd(2026, 11, 30)));
  CHECK_FALSE(w.Contains(Date::FromYmd(2026, 12, 1)));
}

TEST_CASE("a tariff is told in words: pounds per unit, per patient or period, and achievement percentages") {
  ServiceDefinition d;
  d.components = {{"reviews", "Reviews", UnitKind::kCount, 0, 100, true, ""}};
  Tariff t;
  t.payment_type = PaymentType::kItemOfService;
  t.unit_rates = {{"reviews", 1'250}, {"flu_jabs", 1'006}};
  CHECK(TariffText(t, &d) == "Reviews: £12.50 each; Flu jabs: £10.06 each");
  CHECK(TariffText(t) == "Reviews: £12.50 each; Flu jabs: £10.06 each");
  t.payment_type = PaymentType::kThreshold;
  t.tiers = {{5'000, 100'000}, {7'550, 250'000}};
  CHECK(TariffText(t) == "£1,000.00 at 50% or more; £2,500.00 at 75.5% or more");
  t.payment_type = PaymentType::kPopulation;
  t.population_basis = PopulationBasis::kPerThousand;
  t.population_rate_pence = 150;
  CHECK(TariffText(t) == "£1.50 per 1,000 registered patients");
  t.payment_type = PaymentType::kParticipation;
  t.participation_pence = 50'000;
  CHECK(TariffText(t) == "£500.00 per period");
  CHECK(PercentText(1) == "0.01%");
  CHECK(PercentText(10'000) == "100%");
}

}  // namespace
}  // namespace ledger::core::testing
