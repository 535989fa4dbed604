#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "ledger/core/codec.h"
#include "sample_events.h"

namespace ledger::core::testing {
namespace {

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

TEST_CASE("a payload that starts at any address decodes to the same event (run under UBSan: no misaligned read)") {
  for (const Event& event : EveryOwnedEvent()) {
    const EncodedEvent encoded = Encode(event);
    INFO("event ", encoded.type);
    for (std::size_t offset = 1; offset < 8; ++offset) {
      std::string shifted(offset, '\0');
      shifted += encoded.payload;
      auto decoded = Decode(encoded.type, encoded.schema_version, std::string_view(shifted).substr(offset));
      REQUIRE(decoded.ok());
      CHECK(decoded.value() == event);
    }
    // An empty payload at an odd address is corrupt, not copied.
    const std::string two = "xy";
    CHECK_FALSE(Decode(encoded.type, encoded.schema_version, std::string_view(two).substr(1, 0)).ok());
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
  CHECK(
      boost::json::serialize(json) ==
      R"({"code":"P1","effective_from":"2026-04-01","patients":8123,"at":"2026-11-06T21:20:00.123456Z","type":"ListSizeRecorded"})");
  auto offered = ToJson(Event{OrganisationRegistered{
      "P1", "Practice", OrgKind::kPractice, "C1", "LS1", ApprovalMode::kMultiLevel, {"X"}, kAt}});
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
  auto created = ToJson(Event{
      AccountCreated{"ann", "C2", OrgKind::kCommissioner, "C2", "Ann", "a@nhs.net", {}, "$argon2id$z", false, kAt}});
  CHECK(created.at("password_hash").as_string() == "[redacted]");
}

TEST_CASE("every JSON view names its event type") {
  for (const Event& event : EveryOwnedEvent()) {
    CHECK(ToJson(event).at("type").as_string() == EventTypeName(event));
  }
}

// The event with its password hash as the JSON view gives it back: empty.
Event WithoutPasswordHash(Event event) {
  std::visit(
      [](auto& e) {
        if constexpr (requires { e.password_hash; }) e.password_hash.clear();
      },
      event);
  return event;
}

TEST_CASE("the JSON view of every event reads back into the same event, its password hash left out") {
  for (const Event& event : EveryOwnedEvent()) {
    INFO(EventTypeName(event));
    auto back = FromJson(ToJson(event));
    REQUIRE_MESSAGE(back.ok(), back.rejection().message);
    CHECK(back.value() == WithoutPasswordHash(event));
  }
}

TEST_CASE("reading JSON that is not an event's view is a rejection, never a guess") {
  boost::json::object json = ToJson(Event{ServicePublished{"FLU", kAt}});
  CHECK(FromJson(json).ok());
  SUBCASE("no type or an unknown type") {
    json.erase("type");
    CHECK(FromJson(json).rejection().code == "unknown_event_type");
    json["type"] = "NoSuchEvent";
    CHECK(FromJson(json).rejection().code == "unknown_event_type");
  }
  SUBCASE("a field missing") {
    json.erase("service_id");
    CHECK(FromJson(json).rejection().code == "corrupt_payload");
  }
  SUBCASE("a field of the wrong JSON type") {
    json["at"] = "yesterday";
    CHECK(FromJson(json).rejection().code == "corrupt_payload");
    json["at"] = 1.5;
    CHECK(FromJson(json).rejection().code == "corrupt_payload");
  }
  SUBCASE("an enum name or a role this version does not know") {
    boost::json::object org = ToJson(Event{OrganisationRegistered{
        "P1", "Practice", OrgKind::kPractice, "C1", "LS1", ApprovalMode::kSingleLevel, {}, kAt}});
    REQUIRE(FromJson(org).ok());
    org["kind"] = "hospital";
    CHECK(FromJson(org).rejection().code == "corrupt_payload");
    boost::json::object approved = ToJson(Event{AccountApproved{"sam", Roles({Role::kAuditor}), "admin", false, kAt}});
    REQUIRE(FromJson(approved).ok());
    approved["roles"] = boost::json::array{"auditor", "king"};
    CHECK(FromJson(approved).rejection().code == "corrupt_payload");
  }
}

}  // namespace
}  // namespace ledger::core::testing
