// Payment runs and adjustments, Given / When / Then through the real deciders.
#include <doctest/doctest.h>

#include "claim_world.h"
#include "ledger/core/codec.h"

namespace ledger::core::testing {
namespace {

// The scenarios' today (Now()): a run may be made for today and marked paid the same day.
const Date kPayDate = Date::FromYmd(2026, 11, 15);

CreatePaymentRun Run(const std::string& run_id, std::vector<std::string> claim_ids,
                     const std::string& commissioner = "C1") {
  return CreatePaymentRun{run_id, commissioner, kPayDate, std::move(claim_ids), 42, kHeadHash};
}

// Two approved claims (c1 £100.00 of P1, c2 £250.50 of P2) in run r1.
Scenario WorldWithRun() {
  Scenario s = ClaimWorld();
  ApprovedSpendClaim(s, "c1", 10'000);
  ApprovedSpendClaim(s, "c2", 25'050, "P2");
  auto r = s.Do("c1tier2", Run("r1", {"c1", "c2"}));
  REQUIRE_MESSAGE(r.ok(), Refusal(r));
  return s;
}

TEST_CASE("a payment run takes the chosen approved claims, totals them and records the log head") {
  Scenario s = ClaimWorld();
  ApprovedSpendClaim(s, "c1", 10'000);
  ApprovedSpendClaim(s, "c2", 25'050, "P2");
  auto r = s.Do("c1finance", Run("r1", {"c1", "c2"}));
  REQUIRE(r.ok());
  const PaymentRunCreated expected{"r1",   "C1", kPayDate,  {{"c1", "P1", 10'000}, {"c2", "P2", 25'050}},
                                   35'050, 42,   kHeadHash, "c1finance",
                                   Now()};
  CHECK(Written(r, PaymentRunStream("r1")) == std::vector<Event>{expected});
  CHECK(Written(r, ClaimStream("c1")) == std::vector<Event>{ClaimAddedToPaymentRun{"c1", "r1", kPayDate, Now()}});
  CHECK(Written(r, ClaimStream("c2")) == std::vector<Event>{ClaimAddedToPaymentRun{"c2", "r1", kPayDate, Now()}});
  CHECK(s.State<PaymentRunState>(PaymentRunStream("r1")).total == 35'050);
  CHECK(ClaimOf(s, "c1").payment_run == "r1");
  CHECK(Unchanged(s.When("c1finance", Run("r1", {"c1", "c2"}))));
  CHECK(Refusal(s.When("c1finance", Run("r1", {"c1"}))) == "run_exists");
}

TEST_CASE("a payment run's pay date may be today or later, never a day that has passed") {
  Scenario s = ClaimWorld();
  ApprovedSpendClaim(s, "c1", 10'000);
  CreatePaymentRun past = Run("r1", {"c1"});
  past.pay_date = Date::FromYmd(2026, 11, 14);  // the day before the command's day
  auto r = s.When("c1tier2", past);
  CHECK(Refusal(r) == "claims_not_payable");
  CHECK(ErrorPaths(r) == std::vector<std::string>{"pay_date"});
  CHECK(r.rejection().errors.at(0).code == "pay_date_in_past");
  CHECK(r.rejection().errors.at(0).message.find("14 November 2026") != std::string::npos);
  // The same run made the day before is accepted: the command's time decides, not a clock.
  CHECK(s.When("c1tier2", past, At(2026, 11, 14)).ok());
  CreatePaymentRun later = Run("r1", {"c1"});
  later.pay_date = Date::FromYmd(2026, 11, 30);
  CHECK(s.When("c1tier2", later).ok());
}

TEST_CASE("a payment run is marked paid on its pay date or after, not before") {
  Scenario s = ClaimWorld();
  ApprovedSpendClaim(s, "c1", 10'000);
  CreatePaymentRun run = Run("r1", {"c1"});
  run.pay_date = Date::FromYmd(2026, 11, 30);
  REQUIRE(s.Do("c1tier2", run).ok());
  REQUIRE(s.Do("c1finance", ConfirmPaymentRun{"r1", {"c1"}}).ok());
  const MarkPaymentRunPaid paid{"r1", {"c1"}, "REM-1"};
  auto early = s.When("c1tier2", paid, At(2026, 11, 29));
  CHECK(Refusal(early) == "before_pay_date");
  CHECK(early.rejection().kind == Rejection::Kind::kConflict);
  CHECK(early.rejection().message.find("30 November 2026") != std::string::npos);
  REQUIRE(s.Do("c1tier2", paid, At(2026, 11, 30)).ok());
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kPaid);
}

TEST_CASE("a payment run refuses held, unapproved, foreign and duplicated claims, listing each") {
  Scenario s = WorldWithRun();
  const ClaimRef held = ApprovedSpendClaim(s, "c3", 500);
  REQUIRE(s.Do("c1tier2", HoldPayment{held, "Query"}).ok());
  DraftWith(s, Ref("c4"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c4"));
  ApprovedSpendClaim(s, "c5", 700);
  auto r = s.When("c1tier2", Run("r2", {"c1", "c3", "c4", "nope", "c5", "c5"}));
  CHECK(Refusal(r) == "claims_not_payable");
  // c1 is in run r1: left out, not refused (see the next test).
  CHECK(ErrorPaths(r) == std::vector<std::string>{"claim_ids.c5", "claim_ids.c3", "claim_ids.c4", "claim_ids.nope"});
  std::vector<std::string> codes;
  for (const FieldError& e : r.rejection().errors) codes.push_back(e.code);
  CHECK(codes == std::vector<std::string>{"duplicate", "payment_held", "not_approved_for_payment", "claim_not_found"});
  REQUIRE(s.Do("c1tier2", Run("r2", {"c5"})).ok());
}

TEST_CASE("a new run may be made while another is unconfirmed: it takes only the approved claims in no run") {
  // Given run r1 (c1, c2) not yet confirmed and c3 approved since,
  Scenario s = WorldWithRun();
  ApprovedSpendClaim(s, "c3", 700);
  // when a run is made of every claim approved for payment (the selection still shows c1 and c2),
  auto r = s.Do("c1finance", Run("r2", {"c1", "c2", "c3"}));
  REQUIRE_MESSAGE(r.ok(), Refusal(r));
  // then it takes c3 alone, and c1 and c2 stay in r1 untouched.
  const PaymentRunCreated created = std::get<PaymentRunCreated>(Written(r, PaymentRunStream("r2")).at(0));
  CHECK(created.claims == std::vector<PaymentRunLine>{{"c3", "P1", 700}});
  CHECK(created.total == 700);
  CHECK(Written(r, ClaimStream("c3")) == std::vector<Event>{ClaimAddedToPaymentRun{"c3", "r2", kPayDate, Now()}});
  CHECK(Written(r, ClaimStream("c1")).empty());
  CHECK(Written(r, ClaimStream("c2")).empty());
  CHECK(ClaimOf(s, "c1").payment_run == "r1");
  CHECK(ClaimOf(s, "c3").payment_run == "r2");
  // The same command again changes nothing; both runs are confirmed and paid on their own.
  CHECK(Unchanged(s.When("c1finance", Run("r2", {"c1", "c2", "c3"}))));
  REQUIRE(s.Do("c1tier2", ConfirmPaymentRun{"r2", {"c3"}}).ok());
  REQUIRE(s.Do("c1tier2", ConfirmPaymentRun{"r1", {"c1", "c2"}}).ok());
  REQUIRE(s.Do("c1finance", MarkPaymentRunPaid{"r1", {"c1", "c2"}, "REM-1"}).ok());
  REQUIRE(s.Do("c1finance", MarkPaymentRunPaid{"r2", {"c3"}, "REM-2"}).ok());
  CHECK(ClaimOf(s, "c3").payment_reference == "REM-2");
}

TEST_CASE("a run of claims that are all in other runs is refused: there is nothing new to pay") {
  Scenario s = WorldWithRun();
  auto r = s.When("c1tier2", Run("r2", {"c2", "c1"}));
  CHECK(Refusal(r) == "claims_not_payable");
  CHECK(ErrorPaths(r) == std::vector<std::string>{"claim_ids"});
  CHECK(r.rejection().errors.at(0).code == "no_claims");
  REQUIRE(s.Do("c1tier2", ConfirmPaymentRun{"r1", {"c1", "c2"}}).ok());
  CHECK(Refusal(s.When("c1tier2", Run("r3", {"c1"}))) == "claims_not_payable");
}

TEST_CASE("a payment run needs claims, a valid id and a 64-digit log head hash") {
  Scenario s = ClaimWorld();
  CreatePaymentRun bad{"bad id!", "C1", kPayDate, {}, 0, "xyz"};
  auto r = s.When("c1tier2", bad);
  CHECK(Refusal(r) == "claims_not_payable");
  CHECK(ErrorPaths(r) == std::vector<std::string>{"run_id", "claim_ids", "head_hash"});
}

TEST_CASE("a run records the signed log head it cites, whole or not at all") {
  Scenario s = ClaimWorld();
  ApprovedSpendClaim(s, "c1", 100);
  CreatePaymentRun run = Run("r1", {"c1"});
  run.signed_head = {std::string(64, 'b'), 1'700'000'000'000'000, std::string(64, 'c'), ""};
  // Without its signature, or with a signature of the wrong size or case, the head is refused.
  for (const std::string& signature : {std::string(), std::string(126, 'd'), std::string(128, 'D')}) {
    CAPTURE(signature);
    run.signed_head.signature = signature;
    auto r = s.When("c1tier2", run);
    CHECK(Refusal(r) == "claims_not_payable");
    CHECK(ErrorPaths(r) == std::vector<std::string>{"signed_head"});
    CHECK(r.rejection().errors.at(0).code == "invalid_signed_head");
  }
  run.signed_head.signature = std::string(128, 'd');
  auto r = s.Do("c1tier2", run);
  REQUIRE_MESSAGE(r.ok(), Refusal(r));
  const auto created = std::get<PaymentRunCreated>(Written(r, PaymentRunStream("r1")).at(0));
  CHECK(created.head_position == 42);
  CHECK(created.signed_head == run.signed_head);
  const auto& state = s.State<PaymentRunState>(PaymentRunStream("r1"));
  CHECK(state.head_hash == kHeadHash);
  CHECK(state.signed_head == run.signed_head);
}

TEST_CASE("an event field added later is absent while empty: old events encode, read and show as before") {
  PaymentRunCreated unsigned_run{"r1", "C1", kPayDate, {{"c1", "P1", 100}}, 100, 42, kHeadHash, "c1tier2", 7};
  const EncodedEvent plain = Encode(Event{unsigned_run});
  CHECK_FALSE(ToJson(Event{unsigned_run}).contains("signed_head"));
  PaymentRunCreated signed_run = unsigned_run;
  signed_run.signed_head = {std::string(64, 'b'), 9, std::string(64, 'c'), std::string(128, 'd')};
  const EncodedEvent with_head = Encode(Event{signed_run});
  CHECK(with_head.payload.size() > plain.payload.size() + 64 + 32 + 32);
  CHECK(ToJson(Event{signed_run}).at("signed_head").at("signed_at") == "1970-01-01T00:00:00.000009Z");
  for (const PaymentRunCreated& e : {unsigned_run, signed_run}) {
    const EncodedEvent encoded = Encode(Event{e});
    auto decoded = Decode(encoded.type, encoded.schema_version, encoded.payload);
    REQUIRE(decoded.ok());
    CHECK(std::get<PaymentRunCreated>(decoded.value()) == e);
    auto from_json = FromJson(ToJson(Event{e}));
    REQUIRE(from_json.ok());
    CHECK(std::get<PaymentRunCreated>(from_json.value()) == e);
  }
}

TEST_CASE("only Tier 2 and Finance of the claims' own commissioner manage payment runs") {
  Scenario s = ClaimWorld();
  ApprovedSpendClaim(s, "c1", 100);
  for (const char* who : {"c1tier1", "c1admin", "c1auditor", "p1user", "p1admin"}) {
    INFO(who);
    CHECK(Refusal(s.When(who, Run("r1", {"c1"}))) == "forbidden");
  }
  s.Given(AccountStream("c2tier2"),
          {Person("c2tier2", "C2", OrgKind::kCommissioner, "C2", Roles({Role::kApproverTier2}))});
  CHECK(Refusal(s.When("c2tier2", Run("r1", {"c1"}))) == "forbidden");
  auto foreign = s.When("c2tier2", Run("r1", {"c1"}, "C2"));
  CHECK(Refusal(foreign) == "claims_not_payable");
  CHECK(ErrorPaths(foreign) == std::vector<std::string>{"claim_ids.c1"});
}

TEST_CASE("confirming a run sends its claims for payment") {
  Scenario s = WorldWithRun();
  auto r = s.Do("c1tier2", ConfirmPaymentRun{"r1", {"c2", "c1"}});
  REQUIRE(r.ok());
  CHECK(Written(r, PaymentRunStream("r1")) == std::vector<Event>{PaymentRunConfirmed{"r1", "c1tier2", Now()}});
  CHECK(Written(r, ClaimStream("c1")) == std::vector<Event>{ClaimSentForPayment{"c1", "r1", Now()}});
  CHECK(StatusName(ClaimOf(s, "c2").status) == "Sent for Payment");
  CHECK(Unchanged(s.When("c1tier2", ConfirmPaymentRun{"r1", {"c1", "c2"}})));
}

TEST_CASE("confirming or paying a run must list exactly its claims") {
  Scenario s = WorldWithRun();
  CHECK(Refusal(s.When("c1tier2", ConfirmPaymentRun{"r1", {"c1"}})) == "run_claims_mismatch");
  CHECK(Refusal(s.When("c1tier2", MarkPaymentRunPaid{"r1", {"c1", "c2", "c3"}, "REM-1"})) == "run_claims_mismatch");
  CHECK(Refusal(s.When("c1tier2", ConfirmPaymentRun{"r9", {}})) == "run_not_found");
}

TEST_CASE("a run is paid only after it is confirmed, and each claim is paid once with the reference") {
  Scenario s = WorldWithRun();
  CHECK(Refusal(s.When("c1tier2", MarkPaymentRunPaid{"r1", {"c1", "c2"}, "REM-1"})) == "run_not_confirmed");
  REQUIRE(s.Do("c1tier2", ConfirmPaymentRun{"r1", {"c1", "c2"}}).ok());
  CHECK(Refusal(s.When("c1finance", MarkPaymentRunPaid{"r1", {"c1", "c2"}, ""})) == "reference_required");
  auto r = s.Do("c1finance", MarkPaymentRunPaid{"r1", {"c1", "c2"}, "REM-1"});
  REQUIRE(r.ok());
  CHECK(Written(r, PaymentRunStream("r1")) == std::vector<Event>{PaymentRunPaid{"r1", "REM-1", Now()}});
  CHECK(Written(r, ClaimStream("c1")) == std::vector<Event>{ClaimPaid{"c1", "r1", "REM-1", 10'000, Now()}});
  CHECK(Written(r, ClaimStream("c2")) == std::vector<Event>{ClaimPaid{"c2", "r1", "REM-1", 25'050, Now()}});
  CHECK(StatusName(ClaimOf(s, "c1").status) == "Paid");
  CHECK(ClaimOf(s, "c1").payment_reference == "REM-1");
  CHECK(Unchanged(s.When("c1finance", MarkPaymentRunPaid{"r1", {"c1", "c2"}, "REM-1"})));
  CHECK(Refusal(s.When("c1finance", MarkPaymentRunPaid{"r1", {"c1", "c2"}, "REM-2"})) == "run_already_paid");
  auto again = s.When("c1finance", Run("r2", {"c1"}));
  CHECK(Refusal(again) == "claims_not_payable");
}

TEST_CASE("a claim in a payment run can no longer be held") {
  Scenario s = WorldWithRun();
  CHECK(Refusal(s.When("c1tier2", HoldPayment{Ref("c1", "P1", "SPEND"), "Query"})) == "in_payment_run");
}

// ---- Adjustments ----------------------------------------------------------------

// c1 (£100.00, P1) paid in run r1.
Scenario WorldWithPaidClaim() {
  Scenario s = WorldWithRun();
  REQUIRE(s.Do("c1tier2", ConfirmPaymentRun{"r1", {"c1", "c2"}}).ok());
  REQUIRE(s.Do("c1tier2", MarkPaymentRunPaid{"r1", {"c1", "c2"}, "REM-1"}).ok());
  return s;
}

TEST_CASE("a recovery after payment is a new linked claim with a negative amount that is approved and paid") {
  Scenario s = WorldWithPaidClaim();
  const ClaimRef original = Ref("c1", "P1", "SPEND");
  auto r = s.Do("c1finance", RaiseAdjustment{original, "adj1", -2'500, "Duplicate invoice line"});
  REQUIRE(r.ok());
  ClaimRef adj = original;
  adj.claim_id = "adj1";
  const auto written = Written(r, ClaimStream("adj1"));
  REQUIRE(written.size() == 2);
  CHECK(written[0] == Event{AdjustmentRaised{adj, "c1", -2'500, "Duplicate invoice line", "c1finance", Now()}});
  const auto& submitted = std::get<ClaimSubmitted>(written[1]);
  CHECK(submitted.amount == -2'500);
  CHECK(submitted.risk_band == RiskBand::kLow);
  CHECK(Written(r, ClaimStream("c1")).empty());  // the original is never edited
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kPaid);
  CHECK(ClaimOf(s, "adj1").original_claim_id == "c1");
  CHECK(ClaimOf(s, "adj1").status == ClaimStatus::kAwaitingTier1);
  CHECK(Refusal(s.When("c1finance", ApproveClaim{adj, ApprovalTier::kFinance})) == "not_awaiting_tier");
  ApproveOk(s, adj, ApprovalTier::kTier1, "c1tier1");
  ApproveOk(s, adj, ApprovalTier::kTier2, "c1tier2");
  REQUIRE(ClaimOf(s, "adj1").status == ClaimStatus::kApprovedForPayment);
  ApprovedSpendClaim(s, "c9", 10'000, "P2");
  REQUIRE(s.Do("c1tier2", Run("r2", {"adj1", "c9"})).ok());
  CHECK(s.State<PaymentRunState>(PaymentRunStream("r2")).total == 7'500);
}

TEST_CASE("a top-up of 15000 pounds or more needs finance approval, and its raiser cannot approve it") {
  Scenario s = WorldWithPaidClaim();
  const ClaimRef original = Ref("c1", "P1", "SPEND");
  REQUIRE(s.Do("c1tier2", RaiseAdjustment{original, "adj1", 1'500'000, "Tariff uplift"}).ok());
  ClaimRef adj = original;
  adj.claim_id = "adj1";
  CHECK(ClaimOf(s, "adj1").finance_approval_required);
  CHECK(ClaimOf(s, "adj1").risk_band == RiskBand::kMedium);
  ApproveOk(s, adj, ApprovalTier::kTier1, "c1tier1");
  CHECK(Refusal(s.When("c1tier2", ApproveClaim{adj, ApprovalTier::kTier2})) == "separation_of_duties");
  ApproveOk(s, adj, ApprovalTier::kTier2, "c1dual");
  CHECK(ClaimOf(s, "adj1").status == ClaimStatus::kAwaitingFinance);
}

TEST_CASE("an adjustment needs a paid original, a non-zero amount, a reason and a recovery no larger than paid") {
  Scenario s = WorldWithPaidClaim();
  const ClaimRef original = Ref("c1", "P1", "SPEND");
  auto r = s.When("c1finance", RaiseAdjustment{original, "adj1", 0, ""});
  CHECK(Refusal(r) == "invalid_adjustment");
  CHECK(ErrorPaths(r) == std::vector<std::string>{"amount", "reason"});
  auto too_much = s.When("c1finance", RaiseAdjustment{original, "adj1", -10'001, "x"});
  CHECK(ErrorPaths(too_much) == std::vector<std::string>{"amount"});
  CHECK(too_much.rejection().errors[0].code == "recovery_above_paid");
  CHECK(s.When("c1finance", RaiseAdjustment{original, "adj1", -10'000, "x"}).ok());
  const ClaimRef unpaid = ApprovedSpendClaim(s, "c7", 100);
  CHECK(Refusal(s.When("c1finance", RaiseAdjustment{unpaid, "adj2", -50, "x"})) == "not_paid");
  CHECK(Refusal(s.When("c1tier1", RaiseAdjustment{original, "adj1", -50, "x"})) == "forbidden");
  CHECK(Refusal(s.When("p1user", RaiseAdjustment{original, "adj1", -50, "x"})) == "forbidden");
  REQUIRE(s.Do("c1finance", RaiseAdjustment{original, "adj1", -50, "x"}).ok());
  CHECK(Unchanged(s.When("c1finance", RaiseAdjustment{original, "adj1", -50, "x"})));
  CHECK(Refusal(s.When("c1finance", RaiseAdjustment{original, "adj1", -60, "x"})) == "claim_exists");
  ClaimRef adj = original;
  adj.claim_id = "adj1";
  CHECK(Refusal(s.When("p1user", WithdrawClaim{adj, ""})) == "adjustment_not_withdrawable");
  CHECK(Refusal(s.When("c1tier1", ReturnClaim{adj, "x"})) == "adjustment_not_returnable");
}

}  // namespace
}  // namespace ledger::core::testing
