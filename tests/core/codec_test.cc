#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include "ledger/core/codec.h"
#include "world.h"

namespace ledger::core::testing {
namespace {

constexpr Timestamp kAt = 1'794'000'000'123'456;

ServiceDefinition RichDefinition() {
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

Tariff RichTariff() {
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
std::vector<Event> EveryOwnedEvent() {
  const RoleSet roles = Roles({Role::kApproverTier1, Role::kApproverTier2, Role::kAuditor});
  const Date d1 = Date::FromYmd(2026, 4, 1);
  const Date d2 = Date::FromYmd(2027, 3, 31);
  return {
      OrganisationRegistered{"PCN9", "North PCN", OrgKind::kPcn, "C1", "LS1 4AP", ApprovalMode::kMultiLevel,
                             {"P1", "P2"}, kAt},
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
  };
}

TEST_CASE("every organisation, account, service and offer event survives encode and decode unchanged") {
  for (const Event& event : EveryOwnedEvent()) {
    const EncodedEvent encoded = Encode(event);
    INFO("event ", encoded.type);
    CHECK(encoded.type == EventTypeName(event));
    CHECK(encoded.schema_version == 1u);
    CHECK_FALSE(encoded.payload.empty());
    auto decoded = Decode(encoded.type, encoded.schema_version, encoded.payload);
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == event);
  }
}

TEST_CASE("events with empty and default fields round-trip too") {
  for (const Event& event : std::vector<Event>{OrganisationRegistered{}, AccountCreated{}, ServiceDefined{},
                                               TariffVersionAdded{}, ServiceOffered{}}) {
    const EncodedEvent encoded = Encode(event);
    auto decoded = Decode(encoded.type, encoded.schema_version, encoded.payload);
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == event);
  }
}

TEST_CASE("decoding refuses unknown types, later schema versions and corrupt payloads") {
  const EncodedEvent encoded = Encode(Event{ServicePublished{"FLU", kAt}});
  CHECK(Decode("NoSuchEvent", 1, encoded.payload).rejection().code == "unknown_event_type");
  CHECK(Decode("ServicePublished", 2, encoded.payload).rejection().code == "unsupported_schema_version");
  CHECK(Decode("ServicePublished", 1, "not a flatbuffer").rejection().code == "corrupt_payload");
  CHECK(Decode("ServicePublished", 1, "").rejection().code == "corrupt_payload");
  CHECK(Decode("ServicePublished", 1, encoded.payload.substr(0, encoded.payload.size() / 2)).rejection().code ==
        "corrupt_payload");
}

TEST_CASE("an enum value this version does not know is reported as a corrupt payload") {
  const EncodedEvent encoded = Encode(Event{ProviderConfigured{"P1", ApprovalMode::kMultiLevel, {}, kAt}});
  std::string payload = encoded.payload;
  // Find the approval mode byte (1) and make it 7: only the stored byte 0x01 changes.
  bool changed = false;
  for (size_t i = payload.size(); i-- > 0;) {
    if (payload[i] == 1) {
      std::string trial = payload;
      trial[i] = 7;
      auto decoded = Decode(encoded.type, 1, trial);
      if (!decoded.ok()) {
        CHECK(decoded.rejection().code == "corrupt_payload");
        changed = true;
        break;
      }
    }
  }
  CHECK(changed);
}

TEST_CASE("the JSON view shows every field with dates and enums by name") {
  auto json = ToJson(Event{ListSizeRecorded{"P1", Date::FromYmd(2026, 4, 1), 8'123, kAt}});
  CHECK(boost::json::serialize(json) ==
        R"({"code":"P1","effective_from":"2026-04-01","patients":8123,"at":1794000000123456,"type":"ListSizeRecorded"})");
  auto offered = ToJson(Event{OrganisationRegistered{"P1", "Practice", OrgKind::kPractice, "C1", "LS1",
                                                     ApprovalMode::kMultiLevel, {"X"}, kAt}});
  CHECK(offered.at("kind").as_string() == "practice");
  CHECK(offered.at("approval_mode").as_string() == "multi");
  auto tariff = ToJson(Event{TariffVersionAdded{"FLU", RichTariff(), kAt}});
  CHECK(tariff.at("tariff").at("payment_type").as_string() == "threshold");
  CHECK(tariff.at("tariff").at("tiers").as_array().size() == 2);
  auto roles = ToJson(Event{AccountApproved{"sam", Roles({Role::kFinance}), "c1admin", false, kAt}});
  CHECK(boost::json::serialize(roles.at("roles")) == R"(["finance"])");
}

TEST_CASE("password hashes never appear in the JSON view") {
  for (const Event& event : EveryOwnedEvent()) {
    const std::string text = boost::json::serialize(ToJson(event));
    INFO(text);
    CHECK(text.find("$argon2id$") == std::string::npos);
  }
  auto created = ToJson(Event{AccountCreated{"ann", "C2", OrgKind::kCommissioner, "C2", "Ann", "a@nhs.net", {},
                                             "$argon2id$z", false, kAt}});
  CHECK(created.at("password_hash").as_string() == "[redacted]");
}

TEST_CASE("every JSON view names its event type") {
  for (const Event& event : EveryOwnedEvent()) {
    CHECK(ToJson(event).at("type").as_string() == EventTypeName(event));
  }
}

}  // namespace
}  // namespace ledger::core::testing
