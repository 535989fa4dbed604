// Validation of service definitions and tariffs.
#include "ledger/core/service.h"

namespace ledger::core {

std::vector<FieldError> ValidateDefinition(const ServiceDefinition&) { return {}; }

std::vector<FieldError> ValidateTariff(const Tariff&, const ServiceDefinition&) { return {}; }

}  // namespace ledger::core
