// Codec of claim, claim-key and payment run events (claim_golden_test.cc): every event type round
// trips through Encode/Decode and has a JSON view, and the golden file of
// payloads written by schema version 1 (tests/fixtures/core/claim_events_v1.golden)
// still decodes to the same events.
//
// The golden file is written once per schema version, by running this test
// with LEDGER_WRITE_GOLDEN=1 in the environment:
//   LEDGER_WRITE_GOLDEN=1 build/tests/core/core_claims_test -tc='*golden*'
// Never regenerate it to make a failing test pass: a failure means payloads
// already in stores would no longer decode.
// File format: one event per line, "<type> <schema_version> <payload as lowercase hex>".
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "golden_check.h"
#include "ledger/base/hex.h"
#include "ledger/core/codec.h"
#include "ledger/core/domain.h"
#include "support/build_paths.h"

namespace ledger::core {
namespace {

const std::string kGoldenPath = LEDGER_SOURCE_DIR "/tests/fixtures/core/claim_events_v1.golden";
constexpr Timestamp kAt = 1'795'000'000'123'456;  // microseconds; any fixed value

ClaimRef SampleRef(const std::string& id) { return {id, "P1", "C1", "FLU", "2026-10"}; }

// One event of every type this codec owns, with every field set.
std::vector<Event> SampleEvents() {
  const std::string sha = std::string(32, 'a') + std::string(32, '0');
  ClaimSubmitted submitted;
  submitted.claim_id = "c1";
  submitted.amount = 1'500'000;
  submitted.risk_band = RiskBand::kMedium;
  submitted.tariff_effective_from = Date::FromYmd(2026, 4, 1);
  submitted.payment_type = PaymentType::kThreshold;
  submitted.list_size = 8123;
  submitted.values = {{"checked", 160}, {"eligible", 200}};
  submitted.answers = {{"lead", "Dr Patel \xE2\x80\x94 GP"}, {"sessions", "4"}};
  submitted.evidence = {sha, std::string(64, 'f')};
  submitted.provider_approval_required = true;
  submitted.finance_approval_required = true;
  submitted.submitted_by = "p1user";
  submitted.at = kAt;
  return {
      ClaimDrafted{SampleRef("c1"), "p1user", kAt},
      ClaimValuesEntered{"c1", {{"vaccinations", 25}, {"boosters", 0}}, {{"notes", "care homes"}}, "p1user", kAt},
      EvidenceAttached{"c1", Evidence{sha, "register.pdf", "application/pdf", 123'456}, "p1user", kAt},
      EvidenceRemoved{"c1", sha, "p1user", kAt},
      ClaimDraftDeleted{"c1", "p1user", kAt},
      ClaimSubmissionFailed{"c1",
                            {{"period", "window_closed", "The claim window closed."},
                             {"components.vaccinations", "required", "Enter a value."}},
                            "p1user",
                            kAt},
      submitted,
      ClaimApprovedByProvider{"c1", "p2approver", kAt},
      ClaimReturnedByProvider{"c1", "Count looks low", "p2approver", kAt},
      ClaimApprovedAtTier{"c1", ApprovalTier::kTier2, "c1tier2", kAt},
      ClaimApprovedForPayment{"c1", 1'500'000, kAt},
      ClaimRejected{"c1", ApprovalTier::kFinance, "evidence_insufficient", "No log", "c1finance", kAt},
      ClaimReturned{"c1", ApprovalTier::kTier1, "Attach the log", "c1tier1", kAt},
      ClaimWithdrawn{"c1", "Claimed in error", "p1admin", kAt},
      PaymentHeld{"c1", "Query on the invoice", "c1tier2", kAt},
      PaymentReleased{"c1", "c1finance", kAt},
      ClaimAddedToPaymentRun{"c1", "r1", Date::FromYmd(2026, 12, 1), kAt},
      ClaimSentForPayment{"c1", "r1", kAt},
      ClaimPaid{"c1", "r1", "REM-0001", 1'500'000, kAt},
      AdjustmentRaised{SampleRef("adj1"), "c1", -2'500, "Duplicate line", "c1finance", kAt},
      ClaimKeyReserved{"P1", "FLU", "2026-10", "c1", kAt},
      ClaimKeyReleased{"P1", "FLU", "2026-10", "c1", kAt},
      PaymentRunCreated{"r1",
                        "C1",
                        Date::FromYmd(2026, 12, 1),
                        {{"c1", "P1", 1'500'000}, {"adj1", "P1", -2'500}},
                        1'497'500,
                        12'345,
                        std::string(64, 'c'),
                        "c1tier2",
                        kAt},
      PaymentRunConfirmed{"r1", "c1finance", kAt},
      PaymentRunPaid{"r1", "REM-0001", kAt},
  };
}

std::string Unhex(std::string_view hex) {
  std::string out;
  REQUIRE(base::FromHex(hex, &out));
  return out;
}

TEST_CASE("every claim and payment run event type round trips through the codec") {
  for (const Event& event : SampleEvents()) {
    const EncodedEvent encoded = Encode(event);
    INFO(encoded.type);
    CHECK(encoded.type == EventTypeName(event));
    CHECK(encoded.schema_version == kCurrentSchemaVersion);
    CHECK_FALSE(encoded.payload.empty());
    auto decoded = Decode(encoded.type, encoded.schema_version, encoded.payload);
    REQUIRE_MESSAGE(decoded.ok(), decoded.rejection().message);
    CHECK(decoded.value() == event);
  }
}

TEST_CASE("the JSON view of every claim, claim key and payment run event reads back into the same event") {
  for (const Event& event : SampleEvents()) {
    INFO(EventTypeName(event));
    auto back = FromJson(ToJson(event));
    REQUIRE_MESSAGE(back.ok(), back.rejection().message);
    CHECK(back.value() == event);
  }
}

TEST_CASE("events with empty fields round trip too") {
  const std::vector<Event> empties = {ClaimDrafted{},      ClaimSubmitted{},   ClaimSubmissionFailed{},
                                      PaymentRunCreated{}, ClaimKeyReleased{}, AdjustmentRaised{}};
  for (const Event& event : empties) {
    const EncodedEvent encoded = Encode(event);
    INFO(encoded.type);
    auto decoded = Decode(encoded.type, encoded.schema_version, encoded.payload);
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == event);
  }
}

TEST_CASE("the JSON view of a claim event names every field, with enums and dates as text") {
  const auto events = SampleEvents();
  boost::json::object submitted = ToJson(events[6]);
  CHECK(submitted.at("type") == "ClaimSubmitted");
  CHECK(submitted.at("amount") == 1'500'000);
  CHECK(submitted.at("risk_band") == "Medium");
  CHECK(submitted.at("payment_type") == "threshold");
  CHECK(submitted.at("tariff_effective_from") == "2026-04-01");
  CHECK(submitted.at("values").at("eligible") == 200);
  CHECK(submitted.at("evidence").as_array().size() == 2);
  boost::json::object failed = ToJson(events[5]);
  CHECK(failed.at("errors").as_array()[1].at("path") == "components.vaccinations");
  boost::json::object rejected = ToJson(events[11]);
  CHECK(rejected.at("tier") == "finance");
  boost::json::object run = ToJson(events[22]);
  CHECK(run.at("pay_date") == "2026-12-01");
  CHECK(run.at("claims").as_array()[1].at("amount") == -2'500);
  CHECK(run.at("head_position") == 12'345);
  for (const Event& e : events) CHECK(ToJson(e).contains("at"));
}

TEST_CASE("corrupt payloads, unknown enum values and future schema versions are refused, never thrown") {
  const EncodedEvent good = Encode(Event{ClaimApprovedAtTier{"c1", ApprovalTier::kTier1, "x", 1}});
  CHECK(Decode("ClaimApprovedAtTier", 1, "").rejection().code == "corrupt_payload");
  CHECK(Decode("ClaimApprovedAtTier", 1, "not a flatbuffer").rejection().code == "corrupt_payload");
  CHECK(Decode("ClaimApprovedAtTier", 1, good.payload.substr(0, good.payload.size() / 2)).rejection().code ==
        "corrupt_payload");
  CHECK(Decode("ClaimApprovedAtTier", 2, good.payload).rejection().code == "unsupported_schema_version");
  CHECK(Decode("PaymentRunPaid", 9, Encode(Event{PaymentRunPaid{}}).payload).rejection().code ==
        "unsupported_schema_version");
  // A tier byte of 9 is not a tier.
  const EncodedEvent bad_tier = Encode(Event{ClaimApprovedAtTier{"c1", static_cast<ApprovalTier>(9), "x", 1}});
  CHECK(Decode("ClaimApprovedAtTier", 1, bad_tier.payload).rejection().code == "corrupt_payload");
}

TEST_CASE("the golden file of schema version 1 claim and payment events still decodes to the same events") {
  const std::vector<Event> expected = SampleEvents();
  if (std::getenv("LEDGER_WRITE_GOLDEN")) {
    std::ofstream out(kGoldenPath, std::ios::trunc);
    for (const Event& e : expected) {
      const EncodedEvent encoded = Encode(e);
      out << encoded.type << ' ' << encoded.schema_version << ' ' << base::ToHex(encoded.payload) << '\n';
    }
    REQUIRE(out.good());
  }
  std::ifstream in(kGoldenPath);
  REQUIRE_MESSAGE(in.good(), "missing " << kGoldenPath);
  std::string line;
  size_t i = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string type, hex;
    uint32_t version = 0;
    fields >> type >> version >> hex;
    REQUIRE(i < expected.size());
    INFO("line ", i + 1, ": ", type);
    CHECK(type == EventTypeName(expected[i]));
    CHECK(version == 1);
    auto decoded = Decode(type, version, Unhex(hex));
    REQUIRE_MESSAGE(decoded.ok(), decoded.rejection().message);
    CHECK(decoded.value() == expected[i]);
    ++i;
  }
  CHECK(i == expected.size());
}

}  // namespace
}  // namespace ledger::core

namespace ledger::core {
namespace {

TEST_CASE("the JSON of every claim, claim key and payment run event stays as documented") {
  testing::CheckJsonGolden(LEDGER_SOURCE_DIR "/tests/fixtures/core/claim_events_v1.json", SampleEvents());
}

TEST_CASE("every claim, claim key and payment run event encodes byte for byte as schema version 1 did") {
  testing::CheckEncodingGolden(kGoldenPath, SampleEvents());
}

}  // namespace
}  // namespace ledger::core
