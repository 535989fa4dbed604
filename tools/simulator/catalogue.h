// The simulated catalogue: about twenty typical local enhanced and incentive
// services (from the LES examples in the domain documents), each with a
// tariff of one of the four payment types and a model of how many units a
// practice claims per period, scaled by its registered list size.
#pragma once

#include <string>
#include <vector>

#include "ledger/core/service.h"

namespace ledger::tools::sim {

struct ComponentModel {
  core::Component component;
  // Expected units per month per 1,000 registered patients (quarterly
  // services claim three months' worth). For a threshold numerator: the
  // share of the denominator achieved is drawn instead (see achievement_*).
  double per_thousand_per_month = 0;
};

struct ServiceTemplate {
  std::string code;  // e.g. "ACM"; the service id is "<commissioner>-<code>"
  std::string name;
  std::string description;
  core::ServiceCategory category = core::ServiceCategory::kLes;
  core::Frequency frequency = core::Frequency::kMonthly;
  bool evidence_required = false;
  std::vector<ComponentModel> components;
  std::vector<core::Question> questions;  // every question is answered "yes" or with a number
  core::Tariff tariff;                    // effective_from is set when the service is defined
  double offered_share = 0.6;             // share of a commissioner's practices offered it
  double achievement_low = 0.4;           // threshold services: achievement drawn from [low, high]
  double achievement_high = 0.95;
  bool winter_only = false;  // activity only from September to March (flu)
};

// The catalogue, in a fixed order.
const std::vector<ServiceTemplate>& Catalogue();

}  // namespace ledger::tools::sim
