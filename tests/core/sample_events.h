// Sample events with every field set, for codec round-trip and golden-file tests.
// Do not change existing samples: tests/core/golden/core_events_v1.txt holds
// their version-1 encoding. Add new event types at the end (and to the golden
// file of the version that introduces them).
#pragma once

#include <vector>

#include "world.h"

namespace ledger::core::testing {

inline constexpr Timestamp kAt = 1'794'000'000'123'456;

inline ServiceDefinition RichDefinition() {
  ServiceDefinition d = FluDefinition();
  d.category = ServiceCategory::kLis;
  d.frequency = Frequency::kQuarterly;
  d.evidence_required = true;
  d.components.push_back({"reviewed", "Patients reviewed", UnitKind::kPercentage, 0, 9000, false, "eligible"});
  d.components.push_back({"eligible", "Eligible patients", UnitKind::kPercentage, 1, 9000, true, ""});
  d.components.push_back({"consent", "Consent recorded", UnitKind::kYesNo, 0, 1, true, ""});
  d.components.push_back({"spend", "Drugs bought", UnitKind::kMoney, 0, 1'000'000, false, ""});
  d.questions.push_back({"sessions", "How many sessions?", QuestionKind::kNumber, true});
  d.questions.push_back({"lead", "Named lead in place?", QuestionKind::kYesNo, true});
  return d;
}

inline Tariff RichTariff() {
  Tariff t;
  t.effective_from = Date::FromYmd(2026, 7, 1);
  t.payment_type = PaymentType::kThreshold;
  t.unit_rates = {{"vaccinations", 1'000}, {"spend", 1}};
  t.population_basis = PopulationBasis::kPerThousand;
  t.population_rate_pence = 250'000;
  t.numerator_component = "reviewed";
  t.denominator_component = "eligible";
  t.tiers = {{5000, 50'000}, {7500, 90'000}};
  t.participation_pence = 12'345;
  return t;
}

// One of every event type this module encodes, with every field set.
inline std::vector<Event> EveryOwnedEvent() {
  const RoleSet roles = Roles({Role::kApproverTier1, Role::kApproverTier2, Role::kAuditor});
  const Date d1 = Date::FromYmd(2026, 4, 1);
  const Date d2 = Date::FromYmd(2027, 3, 31);
  return {
      OrganisationRegistered{
          "PCN9", "North PCN", OrgKind::kPcn, "C1", "LS1 4AP", ApprovalMode::kMultiLevel, {"P1", "P2"}, kAt},
      ProviderConfigured{"P1", ApprovalMode::kMultiLevel, {"A", "B"}, kAt},
      ListSizeRecorded{"P1", d1, 8'123, kAt},
      CommissionerConfigured{"C1", 2'000'000, false, kAt},
      AccountRequested{"sam", "P1", OrgKind::kPractice, "C1", "Sam Patel", "sam@nhs.net", roles, "$argon2id$x", kAt},
      AccountApproved{"sam", roles, "p1admin", true, kAt},
      AccountRefused{"sam", "Unknown person", "p1admin", kAt},
      AccountDisabled{"sam", "Left", "p1admin", kAt},
      AccountEnabled{"sam", "p1admin", kAt},
      RolesAssigned{"sam", roles, "p1admin", true, kAt},
      PasswordChanged{"sam", "$argon2id$y", kAt},
      AccountCreated{"ann", "C2", OrgKind::kCommissioner, "C2", "Ann Lee", "ann@nhs.net", roles, "$argon2id$z", true,
                     kAt},
      ServiceDefined{"FLU", "C1", RichDefinition(), kAt},
      ServiceDraftEdited{"FLU", RichDefinition(), kAt},
      ServicePublished{"FLU", kAt},
      ServiceRetired{"FLU", kAt},
      TariffVersionAdded{"FLU", RichTariff(), kAt},
      ServiceShared{"FLU", "C2", kAt},
      ServiceOffered{"FLU", "P1", "C1", d1, d2, Date::FromYmd(2026, 3, 15), kAt},
      OfferAccepted{"FLU", "P1", d1, d2, "p1admin", kAt},
      OfferDeclined{"FLU", "P1", "No capacity", "p1admin", kAt},
      OfferWithdrawn{"FLU", "P1", "Budget", "c1admin", kAt},
      // Added after the first golden file: their lines are appended there.
      PasswordReset{"sam", "$argon2id$r", "p1admin", kAt},
      SigningKeyRotated{"SYSTEM", std::string(64, 'a'), std::string(64, 'b'), std::string(128, 'c'), "", kAt},
      AccountSignedIn{"sam", kAt},
  };
}

}  // namespace ledger::core::testing
