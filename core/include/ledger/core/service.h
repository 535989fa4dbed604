// Service aggregate (stream service-<id>): a commissioner's scheme (LES/LIS)
// with its components, questions, claim window and effective-dated tariffs.
//
//   DefineService -> draft (EditServiceDraft) -> PublishService -> published -> RetireService -> retired
//   AddTariffVersion while draft or published; ShareService with another commissioner.
//
// Pricing (Price) lives here too: it is a pure function of a tariff version,
// the claimed unit values and the provider's list size.
#pragma once

#include <boost/describe/class.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ledger/core/rejection.h"
#include "ledger/core/types.h"

namespace ledger::core {

enum class ServiceStatus : uint8_t { kNone = 0, kDraft = 1, kPublished = 2, kRetired = 3 };
std::string_view ServiceStatusName(ServiceStatus status);  // "none", "draft", "published", "retired"

enum class ServiceCategory : uint8_t { kLes = 0, kLis = 1 };
std::string_view ServiceCategoryName(ServiceCategory category);  // "LES", "LIS"

// How a component's unit values are counted. Values are int64:
//   count: whole units; money: pence; yes_no: 0 or 1; percentage: a whole-number
//   numerator or denominator (see Component::numerator_of).
enum class UnitKind : uint8_t { kCount = 0, kMoney = 1, kYesNo = 2, kPercentage = 3 };
std::string_view UnitKindName(UnitKind kind);  // "count", "money", "yes_no", "percentage"

struct Component {
  std::string id;  // [A-Za-z0-9._-], unique within the service
  std::string name;
  UnitKind unit_kind = UnitKind::kCount;
  int64_t min = 0;  // inclusive
  int64_t max = 0;  // inclusive
  bool required = true;
  std::string numerator_of;  // non-empty: this is the numerator of that (denominator) component
  bool operator==(const Component&) const = default;
};
BOOST_DESCRIBE_STRUCT(Component, (), (id, name, unit_kind, min, max, required, numerator_of))

enum class QuestionKind : uint8_t { kText = 0, kNumber = 1, kYesNo = 2 };
std::string_view QuestionKindName(QuestionKind kind);  // "text", "number", "yes_no"

struct Question {
  std::string id;
  std::string text;
  QuestionKind kind = QuestionKind::kText;
  bool required = false;
  bool operator==(const Question&) const = default;
};
BOOST_DESCRIBE_STRUCT(Question, (), (id, text, kind, required))

// Everything a commissioner configures about a service (edited as a whole while draft).
struct ServiceDefinition {
  std::string code;
  std::string name;
  std::string description;
  ServiceCategory category = ServiceCategory::kLes;
  Frequency frequency = Frequency::kMonthly;
  int32_t window_days = 30;  // claims close this many days after the period ends (>= 1)
  std::vector<Component> components;
  std::vector<Question> questions;
  bool evidence_required = false;
  Date start;
  Date end;  // inclusive
  bool operator==(const ServiceDefinition&) const = default;

  const Component* FindComponent(std::string_view id) const;
};
BOOST_DESCRIBE_STRUCT(ServiceDefinition, (),
                      (code, name, description, category, frequency, window_days, components, questions,
                       evidence_required, start, end))

// Field problems with a definition (empty = valid). Paths: "code", "name",
// "window_days", "dates", "components.<id>", "questions.<id>".
std::vector<FieldError> ValidateDefinition(const ServiceDefinition& definition);

// ---- Tariffs and pricing --------------------------------------------------

enum class PaymentType : uint8_t { kItemOfService = 0, kPopulation = 1, kThreshold = 2, kParticipation = 3 };
std::string_view PaymentTypeName(PaymentType type);  // "item_of_service", "population", "threshold", "participation"

enum class PopulationBasis : uint8_t { kPerPatient = 0, kPerThousand = 1 };
// "per_patient", "per_1000" (as events show it; the API's service body spells the second "per_thousand").
std::string_view PopulationBasisName(PopulationBasis basis);

struct ComponentRate {
  std::string component_id;
  Pence pence_per_unit = 0;
  bool operator==(const ComponentRate&) const = default;
};
BOOST_DESCRIBE_STRUCT(ComponentRate, (), (component_id, pence_per_unit))

// Pays `pence` when achievement >= min_basis_points (5000 = 50.00%).
struct ThresholdTier {
  int32_t min_basis_points = 0;
  Pence pence = 0;
  bool operator==(const ThresholdTier&) const = default;
};
BOOST_DESCRIBE_STRUCT(ThresholdTier, (), (min_basis_points, pence))

// One version of a service's tariff, in force from effective_from until the
// next version. Only the fields of its payment_type are used.
struct Tariff {
  Date effective_from;
  PaymentType payment_type = PaymentType::kItemOfService;
  std::vector<ComponentRate> unit_rates;  // item of service
  PopulationBasis population_basis = PopulationBasis::kPerPatient;
  Pence population_rate_pence = 0;    // population: per patient, or per 1,000 patients
  std::string numerator_component;    // threshold
  std::string denominator_component;  // threshold
  std::vector<ThresholdTier> tiers;   // threshold: ascending min_basis_points
  Pence participation_pence = 0;      // participation: fixed amount per period
  bool operator==(const Tariff&) const = default;
};
BOOST_DESCRIBE_STRUCT(Tariff, (),
                      (effective_from, payment_type, unit_rates, population_basis, population_rate_pence,
                       numerator_component, denominator_component, tiers, participation_pence))

// Field problems with a tariff for a definition (empty = valid). Paths under "tariff.".
std::vector<FieldError> ValidateTariff(const Tariff& tariff, const ServiceDefinition& definition);

// Claimed unit values by component id.
using UnitValues = std::map<std::string, int64_t, std::less<>>;

// The amount payable, exactly in pence.
//   item_of_service: sum over rated components of value x pence_per_unit
//                    (a missing value counts as 0). Exact; no rounding.
//   population:      list_size x rate (per patient: exact), or
//                    list_size x rate / 1,000 rounded half up to the penny
//                    (e.g. 1,001 patients at 150p per 1,000 = 150.15p -> 150p;
//                    1,003 patients at 150p per 1,000 = 150.45p -> 150p;
//                    1 patient at 500p per 1,000 = 0.5p -> 1p).
//   threshold:       achievement = numerator / denominator, compared exactly
//                    (numerator x 10,000 >= min_basis_points x denominator; no
//                    rounding of the percentage); the highest tier met pays
//                    its amount, none met pays 0.
//   participation:   participation_pence.
// Rounding happens at most once, at the end. Rejects (kInvalid) when the
// list size is needed and not positive, a threshold denominator is missing
// or zero, a value is negative, or the amount would overflow int64.
Outcome<Pence> Price(const Tariff& tariff, const UnitValues& values, int64_t list_size);

// Round-half-up division of a non-negative numerator by a positive divisor.
int64_t DivideRoundHalfUp(int64_t numerator, int64_t divisor);

// ---- The claim window -----------------------------------------------------

// Claims for a period may be submitted from the day after the period ends
// (opens) up to and including period end + window_days (closes).
struct ClaimWindow {
  Date opens;
  Date closes;
  bool Contains(Date d) const { return opens <= d && d <= closes; }
  bool operator==(const ClaimWindow&) const = default;
};
ClaimWindow WindowFor(const ServiceDefinition& definition, const Period& period);

// ---- Commands -------------------------------------------------------------

struct DefineService {
  std::string service_id;
  std::string commissioner;
  ServiceDefinition definition;
  bool operator==(const DefineService&) const = default;
};
struct EditServiceDraft {
  std::string service_id;
  ServiceDefinition definition;  // replaces the draft's definition
  bool operator==(const EditServiceDraft&) const = default;
};
struct PublishService {
  std::string service_id;
  bool operator==(const PublishService&) const = default;
};
struct RetireService {
  std::string service_id;
  bool operator==(const RetireService&) const = default;
};
struct AddTariffVersion {
  std::string service_id;
  Tariff tariff;
  bool operator==(const AddTariffVersion&) const = default;
};
struct ShareService {
  std::string service_id;
  std::string with_commissioner;
  bool operator==(const ShareService&) const = default;
};
using ServiceCommand =
    std::variant<DefineService, EditServiceDraft, PublishService, RetireService, AddTariffVersion, ShareService>;

// ---- Events ---------------------------------------------------------------

struct ServiceDefined {
  static constexpr std::string_view kTypeName = "ServiceDefined";
  std::string service_id;
  std::string commissioner;
  ServiceDefinition definition;
  Timestamp at = 0;
  bool operator==(const ServiceDefined&) const = default;
};
BOOST_DESCRIBE_STRUCT(ServiceDefined, (), (service_id, commissioner, definition, at))
struct ServiceDraftEdited {
  static constexpr std::string_view kTypeName = "ServiceDraftEdited";
  std::string service_id;
  ServiceDefinition definition;
  Timestamp at = 0;
  bool operator==(const ServiceDraftEdited&) const = default;
};
BOOST_DESCRIBE_STRUCT(ServiceDraftEdited, (), (service_id, definition, at))
struct ServicePublished {
  static constexpr std::string_view kTypeName = "ServicePublished";
  std::string service_id;
  Timestamp at = 0;
  bool operator==(const ServicePublished&) const = default;
};
BOOST_DESCRIBE_STRUCT(ServicePublished, (), (service_id, at))
struct ServiceRetired {
  static constexpr std::string_view kTypeName = "ServiceRetired";
  std::string service_id;
  Timestamp at = 0;
  bool operator==(const ServiceRetired&) const = default;
};
BOOST_DESCRIBE_STRUCT(ServiceRetired, (), (service_id, at))
struct TariffVersionAdded {
  static constexpr std::string_view kTypeName = "TariffVersionAdded";
  std::string service_id;
  Tariff tariff;
  Timestamp at = 0;
  bool operator==(const TariffVersionAdded&) const = default;
};
BOOST_DESCRIBE_STRUCT(TariffVersionAdded, (), (service_id, tariff, at))
struct ServiceShared {
  static constexpr std::string_view kTypeName = "ServiceShared";
  std::string service_id;
  std::string with_commissioner;
  Timestamp at = 0;
  bool operator==(const ServiceShared&) const = default;
};
BOOST_DESCRIBE_STRUCT(ServiceShared, (), (service_id, with_commissioner, at))
using ServiceEvent = std::variant<ServiceDefined, ServiceDraftEdited, ServicePublished, ServiceRetired,
                                  TariffVersionAdded, ServiceShared>;

// ---- State ----------------------------------------------------------------

struct ServiceState {
  ServiceStatus status = ServiceStatus::kNone;
  std::string service_id;
  std::string commissioner;  // the owner
  ServiceDefinition definition;
  std::vector<Tariff> tariffs;           // ascending, distinct effective_from
  std::vector<std::string> shared_with;  // other commissioners that may offer it
  bool operator==(const ServiceState&) const = default;
};
BOOST_DESCRIBE_STRUCT(ServiceState, (), (status, service_id, commissioner, definition, tariffs, shared_with))

// The tariff version in force at the period's end (the latest effective on or
// before it); nullptr when none. The pointer is into `service`.
const Tariff* TariffFor(const ServiceState& service, const Period& period);
// Whether `commissioner` owns the service or has it shared with them.
bool MayOffer(const ServiceState& service, std::string_view commissioner);

// The tariff's rates in words, the one text every page, report and export
// shows people: "Reviews: £12.50 each", "£1.50 per 1,000 registered patients",
// "£1,000.00 at 50% or more; £2,500.00 at 75% or more", "£500.00 per period".
// Components are named from `definition` when given (else from their ids,
// "flu_jabs" -> "Flu jabs"). Pure.
std::string TariffText(const Tariff& tariff, const ServiceDefinition* definition = nullptr);
// A share in basis points as a percentage: 7500 -> "75%", 7550 -> "75.5%", 1 -> "0.01%".
std::string PercentText(int64_t basis_points);

// Folds one event into the state. Pure. DecideService is in domain.h.
ServiceState EvolveService(ServiceState state, const ServiceEvent& event);

}  // namespace ledger::core
