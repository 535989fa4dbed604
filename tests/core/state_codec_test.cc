// The read model of current states keeps each stream's state as bytes
// (core::EncodeStreamState): every kind of state comes back unchanged,
// wherever its bytes start, a password hash never, and damaged bytes are
// refused rather than read out of bounds (run under ASan and UBSan).
#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <vector>

#include "ledger/core/codec.h"
#include "sample_events.h"

namespace ledger::core::testing {
namespace {

std::vector<LoadedStream> EveryKindOfState() {
  const Date d1 = Date::FromYmd(2026, 4, 1);
  const Date d2 = Date::FromYmd(2027, 3, 31);
  OrgState org{true,
               "P1",
               "North Practice",
               OrgKind::kPcn,
               "C1",
               "LS1 4AP",
               ApprovalMode::kMultiLevel,
               {"A", "B"},
               {{d1, 8'123}, {d2, 8'200}},
               2'000'000,
               false};
  AccountState account{AccountStatus::kActive,
                       "sam",
                       "P1",
                       OrgKind::kPractice,
                       "C1",
                       "Sam Patel",
                       "sam@nhs.net",
                       Roles({Role::kApproverTier1, Role::kAuditor}),
                       Roles({Role::kApproverTier2}),
                       ""};
  ServiceState service{ServiceStatus::kPublished, "FLU", "C1", RichDefinition(), {RichTariff()}, {"C2", "C3"}};
  OfferState offer{OfferStatus::kAccepted, "FLU", "P1", "C1", d1, d2, d1, {{d1, d2}, {d2, d2}}};
  ClaimState claim;
  claim.status = ClaimStatus::kAwaitingFinance;
  claim.claim = {"CL-1", "P1", "C1", "FLU", "2026-10"};
  claim.prepared_by = "sam";
  claim.submitted_by = "sam";
  claim.submissions = 2;
  claim.decided_by = {{ApprovalTier::kTier1, "tina"}, {ApprovalTier::kTier2, "tom"}};
  claim.values = {{"vaccinations", 120}, {"spend", 45'000}};
  claim.answers = {{"lead", "yes"}, {"sessions", "4"}};
  claim.evidence = {{std::string(64, 'a'), "list.pdf", "application/pdf", 12'345}};
  claim.amount = 1'800'000;
  claim.risk_band = RiskBand::kHigh;
  claim.provider_approval_required = true;
  claim.finance_approval_required = true;
  claim.hold_reason = "Query on the list size";
  claim.payment_run = "PR-1";
  claim.payment_reference = "REF-9";
  claim.original_claim_id = "CL-0";
  PaymentRunState run{PaymentRunStatus::kConfirmed,
                      "PR-1",
                      "C1",
                      d2,
                      {{"CL-1", "P1", 1'800'000}, {"CL-2", "P2", 5}},
                      1'800'005,
                      "fin",
                      "REF-9"};
  return {{0, std::monostate{}},
          {3, org},
          {7, account},
          {5, service},
          {2, offer},
          {41, claim},
          {1, ClaimKeyState{"CL-1"}},
          {3, run},
          {1, ClaimState{}},
          {1, OrgState{}},
          {1, PaymentRunState{}}};
}

TEST_CASE("every kind of stream state survives encoding unchanged, with its version") {
  for (const LoadedStream& stream : EveryKindOfState()) {
    INFO("state kind ", stream.state.index(), " at version ", stream.version);
    const std::string bytes = EncodeStreamState(stream);
    auto back = DecodeStreamState(bytes);
    REQUIRE(back.has_value());
    CHECK(back->version == stream.version);
    CHECK(back->state == stream.state);
    // Wherever the bytes start (a database hands them back at any address).
    for (std::size_t offset = 1; offset < 8; ++offset) {
      const std::string shifted = std::string(offset, '\0') + bytes;
      auto moved = DecodeStreamState(std::string_view(shifted).substr(offset));
      REQUIRE(moved.has_value());
      CHECK(moved->state == stream.state);
    }
  }
}

TEST_CASE("an account's password hash never enters the read model") {
  AccountState account;
  account.status = AccountStatus::kActive;
  account.username = "sam";
  account.password_hash = "$argon2id$v=19$secret";
  const std::string bytes = EncodeStreamState({4, account});
  CHECK(bytes.find("argon2id") == std::string::npos);
  auto back = DecodeStreamState(bytes);
  REQUIRE(back.has_value());
  const auto* state = std::get_if<AccountState>(&back->state);
  REQUIRE(state != nullptr);
  CHECK(state->username == "sam");
  CHECK(state->password_hash.empty());
}

TEST_CASE("damaged state bytes are refused or read safely, never out of bounds") {
  for (const LoadedStream& stream : EveryKindOfState()) {
    const std::string bytes = EncodeStreamState(stream);
    INFO("state kind ", stream.state.index());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      // Cut short: the trailer moves into the table, which no longer verifies as that kind.
      (void)DecodeStreamState(std::string_view(bytes).substr(0, n));
    }
    CHECK_FALSE(DecodeStreamState(std::string_view(bytes).substr(0, 8)).has_value());
    for (std::size_t i = 0; i + 9 < bytes.size(); ++i) {
      std::string flipped = bytes;
      flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
      (void)DecodeStreamState(flipped);  // a value or nullopt; ASan/UBSan report any bad read
    }
    std::string unknown_kind = bytes;
    unknown_kind.back() = static_cast<char>(std::variant_size_v<AggregateState>);
    CHECK_FALSE(DecodeStreamState(unknown_kind).has_value());
  }
  CHECK_FALSE(DecodeStreamState("").has_value());
  CHECK_FALSE(DecodeStreamState(std::string(9, '\0') + "x").has_value());
}

}  // namespace
}  // namespace ledger::core::testing
