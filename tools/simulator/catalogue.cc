#include "catalogue.h"

namespace ledger::tools::sim {
namespace {

using core::Component;
using core::Frequency;
using core::PaymentType;
using core::Question;
using core::QuestionKind;
using core::ServiceCategory;
using core::Tariff;
using core::UnitKind;

constexpr int64_t kMaxUnits = 200'000;

ComponentModel Count(std::string id, std::string name, double per_thousand_per_month) {
  return {Component{std::move(id), std::move(name), UnitKind::kCount, 0, kMaxUnits, true, ""}, per_thousand_per_month};
}

ComponentModel Numerator(std::string id, std::string name, std::string of) {
  return {Component{std::move(id), std::move(name), UnitKind::kPercentage, 0, kMaxUnits, true, std::move(of)}, 0};
}

ComponentModel Denominator(std::string id, std::string name, double per_thousand) {
  return {Component{std::move(id), std::move(name), UnitKind::kPercentage, 0, kMaxUnits, true, ""}, per_thousand};
}

Tariff ItemOfService(const std::vector<std::pair<std::string, core::Pence>>& rates) {
  Tariff t;
  t.payment_type = PaymentType::kItemOfService;
  for (const auto& [id, pence] : rates) t.unit_rates.push_back({id, pence});
  return t;
}

Tariff Population(core::PopulationBasis basis, core::Pence rate) {
  Tariff t;
  t.payment_type = PaymentType::kPopulation;
  t.population_basis = basis;
  t.population_rate_pence = rate;
  return t;
}

Tariff Threshold(std::string numerator, std::string denominator, std::vector<core::ThresholdTier> tiers) {
  Tariff t;
  t.payment_type = PaymentType::kThreshold;
  t.numerator_component = std::move(numerator);
  t.denominator_component = std::move(denominator);
  t.tiers = std::move(tiers);
  return t;
}

Tariff Participation(core::Pence pence) {
  Tariff t;
  t.payment_type = PaymentType::kParticipation;
  t.participation_pence = pence;
  return t;
}

Question YesNo(std::string id, std::string text) {
  return {std::move(id), std::move(text), QuestionKind::kYesNo, true};
}

// Long: one table, a row per service of the catalogue, in the order the simulator draws them.
std::vector<ServiceTemplate> Build() {
  using core::PopulationBasis;
  std::vector<ServiceTemplate> c;
  auto add = [&](ServiceTemplate t) { c.push_back(std::move(t)); };
  add({"ACM",
       "Anticoagulation monitoring",
       "INR testing and dosing for patients on warfarin, per patient per month.",
       ServiceCategory::kLes,
       Frequency::kMonthly,
       false,
       {Count("patients_monitored", "Patients monitored this month", 12.0)},
       {},
       ItemOfService({{"patients_monitored", 650}}),
       0.55});
  add({"CHS",
       "Care homes support",
       "Weekly ward rounds and care planning for residents of care homes, per bed.",
       ServiceCategory::kLes,
       Frequency::kQuarterly,
       true,
       {Count("beds_covered", "Care home beds covered", 1.3)},
       {YesNo("ward_rounds_weekly", "Were ward rounds held every week of the quarter?")},
       ItemOfService({{"beds_covered", 3'000}}),
       0.45});
  add({"EXH",
       "Extended hours access",
       "Evening and weekend appointments, paid per 1,000 registered patients.",
       ServiceCategory::kLes,
       Frequency::kMonthly,
       false,
       {Count("extra_appointments", "Extra appointments offered", 30.0)},
       {},
       Population(PopulationBasis::kPerThousand, 12'500),
       0.7});
  add({"MSU",
       "Minor surgery",
       "Joint injections and excisions carried out in the practice.",
       ServiceCategory::kLes,
       Frequency::kQuarterly,
       true,
       {Count("joint_injections", "Joint injections", 1.5), Count("excisions", "Excisions", 0.6)},
       {YesNo("audit_completed", "Has the annual minor surgery audit been completed?")},
       ItemOfService({{"joint_injections", 4'000}, {"excisions", 9'000}}),
       0.5});
  add({"FLU",
       "Influenza immunisations (local cohorts)",
       "Flu vaccinations for locally agreed cohorts.",
       ServiceCategory::kLes,
       Frequency::kMonthly,
       false,
       {Count("vaccinations_given", "Vaccinations given", 25.0)},
       {YesNo("cold_chain_ok", "Was the cold chain maintained throughout the month?")},
       ItemOfService({{"vaccinations_given", 1'006}}),
       0.8,
       0.4,
       0.95,
       true});
  add({"NHC",
       "NHS health checks",
       "Cardiovascular screening health checks for patients aged 40 to 74.",
       ServiceCategory::kLes,
       Frequency::kMonthly,
       false,
       {Count("checks_completed", "Health checks completed", 2.0)},
       {},
       ItemOfService({{"checks_completed", 2'500}}),
       0.6});
  add({"DIA",
       "Diabetes care",
       "Patients on the diabetes register with HbA1c in target; tiered payment.",
       ServiceCategory::kLis,
       Frequency::kQuarterly,
       false,
       {Numerator("hba1c_in_target", "Patients with HbA1c in target", "diabetes_register"),
        Denominator("diabetes_register", "Patients on the diabetes register", 70.0)},
       {},
       Threshold("hba1c_in_target", "diabetes_register", {{5'000, 150'000}, {7'000, 300'000}, {8'500, 450'000}}),
       0.5,
       0.45,
       0.92});
  add({"ALC",
       "Alcohol and substance misuse",
       "Brief interventions for patients drinking at increasing risk.",
       ServiceCategory::kLes,
       Frequency::kQuarterly,
       false,
       {Count("brief_interventions", "Brief interventions", 1.0)},
       {},
       ItemOfService({{"brief_interventions", 1'500}}),
       0.4});
  add({"FAL",
       "Falls prevention",
       "Falls risk assessments for patients aged 65 and over.",
       ServiceCategory::kLes,
       Frequency::kMonthly,
       false,
       {Count("assessments", "Falls risk assessments", 0.8)},
       {},
       ItemOfService({{"assessments", 2'000}}),
       0.35});
  add({"HRT",
       "HRT and menopause reviews",
       "Structured menopause and HRT reviews.",
       ServiceCategory::kLes,
       Frequency::kQuarterly,
       false,
       {Count("reviews", "Reviews completed", 1.2)},
       {},
       ItemOfService({{"reviews", 1'800}}),
       0.35});
  add({"SMI",
       "Mental health: physical health checks",
       "Annual physical health checks for patients with severe "
       "mental illness; tiered payment by share of the register checked.",
       ServiceCategory::kLis,
       Frequency::kQuarterly,
       false,
       {Numerator("smi_checked", "Patients checked", "smi_register"),
        Denominator("smi_register", "Patients on the SMI register", 9.0)},
       {},
       Threshold("smi_checked", "smi_register", {{4'000, 100'000}, {6'000, 200'000}, {8'000, 300'000}}),
       0.45,
       0.3,
       0.9});
  add({"OGT",
       "Oral glucose tolerance tests",
       "OGTTs for patients at risk of diabetes, including in pregnancy.",
       ServiceCategory::kLes,
       Frequency::kMonthly,
       false,
       {Count("tests", "Tests carried out", 0.4)},
       {},
       ItemOfService({{"tests", 2'200}}),
       0.3});
  add({"PHV",
       "Public health vaccinations",
       "Locally commissioned catch-up and travel vaccinations.",
       ServiceCategory::kLes,
       Frequency::kMonthly,
       false,
       {Count("vaccinations", "Vaccinations given", 3.0)},
       {},
       ItemOfService({{"vaccinations", 1'000}}),
       0.5});
  add({"SXH",
       "Sexual health (LARC)",
       "Long-acting reversible contraception: fittings and removals.",
       ServiceCategory::kLes,
       Frequency::kQuarterly,
       false,
       {Count("coil_fittings", "Coil fittings", 0.5), Count("implant_fittings", "Implant fittings", 0.6),
        Count("implant_removals", "Implant removals", 0.4)},
       {},
       ItemOfService({{"coil_fittings", 8'800}, {"implant_fittings", 4'400}, {"implant_removals", 3'800}}),
       0.45});
  add({"SDM",
       "Specialist drug monitoring",
       "Shared-care monitoring of DMARDs and other specialist drugs.",
       ServiceCategory::kLes,
       Frequency::kMonthly,
       false,
       {Count("patients_monitored", "Patients monitored", 4.0)},
       {},
       ItemOfService({{"patients_monitored", 900}}),
       0.55});
  add({"PHL",
       "Phlebotomy",
       "Blood taking for secondary care requests, per registered patient.",
       ServiceCategory::kLes,
       Frequency::kQuarterly,
       false,
       {Count("samples_taken", "Samples taken", 20.0)},
       {},
       Population(PopulationBasis::kPerPatient, 35),
       0.5});
  add({"ECG",
       "12-lead ECGs",
       "ECGs recorded and reported in the practice.",
       ServiceCategory::kLes,
       Frequency::kMonthly,
       false,
       {Count("ecgs", "ECGs recorded", 1.5)},
       {},
       ItemOfService({{"ecgs", 1'800}}),
       0.4});
  add({"PCI",
       "Prostate cancer injections",
       "Hormone implant injections for prostate cancer.",
       ServiceCategory::kLes,
       Frequency::kQuarterly,
       false,
       {Count("injections", "Injections given", 0.9)},
       {},
       ItemOfService({{"injections", 1'500}}),
       0.4});
  add({"WND",
       "Wound care",
       "Complex dressings and leg ulcer care, paid per 1,000 registered patients.",
       ServiceCategory::kLes,
       Frequency::kQuarterly,
       false,
       {Count("dressings", "Complex dressings", 6.0)},
       {},
       Population(PopulationBasis::kPerThousand, 150'000),
       0.45});
  add({"QIP",
       "Quality improvement participation",
       "A fixed payment per quarter for taking part in the local "
       "quality improvement scheme.",
       ServiceCategory::kLis,
       Frequency::kQuarterly,
       false,
       {Count("meetings_attended", "Peer review meetings attended", 0.0)},
       {YesNo("plan_submitted", "Has the practice submitted its improvement plan?")},
       Participation(250'000),
       0.75});
  return c;
}

}  // namespace

const std::vector<ServiceTemplate>& Catalogue() {
  static const std::vector<ServiceTemplate> catalogue = Build();
  return catalogue;
}

}  // namespace ledger::tools::sim
