// The claim lifecycle, Given / When / Then through the real deciders.
#include <doctest/doctest.h>

#include <algorithm>

#include "claim_world.h"

namespace ledger::core::testing {
namespace {

bool HasCode(const std::vector<FieldError>& errors, const std::string& path, const std::string& code) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const FieldError& e) { return e.path == path && e.code == code; });
}

// Submits and returns the validation errors of a failed submission.
std::vector<FieldError> FailedSubmission(Scenario& s, const ClaimRef& ref, const std::string& user = "p1user",
                                         Timestamp at = Now()) {
  auto r = s.Do(user, SubmitClaim{ref}, at);
  REQUIRE_MESSAGE(r.ok(), Refusal(r));
  return r.value().validation_errors;
}

// A CHECK claim that passes every rule.
UnitValues GoodCheckValues() { return {{"eligible", 200}, {"checked", 160}, {"clinic_held", 1}}; }
Answers GoodCheckAnswers() { return {{"lead", "Dr Patel"}, {"sessions", "4"}, {"podiatry", "yes"}}; }

// ---- Drafts -------------------------------------------------------------------

TEST_CASE("a provider user creates a draft claim for a service, period and provider") {
  Scenario s = ClaimWorld();
  auto r = s.Do("p1user", CreateClaimDraft{Ref("c1")});
  REQUIRE(r.ok());
  CHECK(Written(r, ClaimStream("c1")) == std::vector<Event>{ClaimDrafted{Ref("c1"), "p1user", Now()}});
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kDraft);
  CHECK(StatusName(ClaimOf(s, "c1").status) == "Draft");
}

TEST_CASE("creating the same draft again changes nothing, but another claim under its id is refused") {
  Scenario s = ClaimWorld();
  REQUIRE(s.Do("p1user", CreateClaimDraft{Ref("c1")}).ok());
  CHECK(Unchanged(s.When("p1user", CreateClaimDraft{Ref("c1")})));
  CHECK(Refusal(s.When("p1user", CreateClaimDraft{Ref("c1", "P1", "SPEND")})) == "claim_exists");
}

TEST_CASE("a provider user cannot create a claim for another provider") {
  Scenario s = ClaimWorld();
  auto r = s.When("p1user", CreateClaimDraft{Ref("c1", "P2")});
  CHECK(Refusal(r) == "forbidden");
  CHECK(RefusalKind(r) == Rejection::Kind::kForbidden);
}

TEST_CASE("commissioner staff and provider administrators cannot prepare claims") {
  Scenario s = ClaimWorld();
  for (const char* who : {"c1admin", "c1tier1", "c1tier2", "c1finance", "c1auditor", "p1admin"}) {
    INFO(who);
    CHECK(Refusal(s.When(who, CreateClaimDraft{Ref("c1")})) == "forbidden");
  }
}

TEST_CASE("a draft names the provider's own commissioner, a published service and a period of its frequency") {
  Scenario s = ClaimWorld();
  ClaimRef wrong_commissioner = Ref("c1");
  wrong_commissioner.commissioner = "C2";
  CHECK(Refusal(s.When("p1user", CreateClaimDraft{wrong_commissioner})) == "wrong_commissioner");
  CHECK(Refusal(s.When("p1user", CreateClaimDraft{Ref("c1", "P1", "NOPE")})) == "service_not_found");
  CHECK(Refusal(s.When("p1user", CreateClaimDraft{Ref("c1", "P1", "FLU", "2026-Q3")})) == "invalid_period");
  CHECK(Refusal(s.When("p1user", CreateClaimDraft{Ref("c1", "P1", "FLU", "2026-13")})) == "invalid_period");
  s.Given(ServiceStream("FLU"), {ServiceRetired{"FLU", Now()}});
  CHECK(Refusal(s.When("p1user", CreateClaimDraft{Ref("c1")})) == "service_not_open");
}

TEST_CASE("a service never offered to the provider is not found, even another commissioner's published one") {
  Scenario s = ClaimWorld();
  CHECK(Refusal(s.When("p3user", CreateClaimDraft{Ref("c1", "P3", "SPEND", "2026-06-15")})) == "service_not_found");
  CHECK(Refusal(s.When("p2user", CreateClaimDraft{Ref("c1", "P2", "CHECK")})) == "service_not_found");
}

TEST_CASE("entering values replaces the draft's values and answers; the same values again change nothing") {
  Scenario s = ClaimWorld();
  REQUIRE(s.Do("p1user", CreateClaimDraft{Ref("c1")}).ok());
  REQUIRE(s.Do("p1user", EnterClaimValues{Ref("c1"), {{"vaccinations", 10}}, {{"notes", "first"}}}).ok());
  auto r = s.Do("p1user", EnterClaimValues{Ref("c1"), {{"vaccinations", 12}}, {}});
  CHECK(Written(r, ClaimStream("c1")) ==
        std::vector<Event>{ClaimValuesEntered{"c1", {{"vaccinations", 12}}, {}, "p1user", Now()}});
  CHECK(ClaimOf(s, "c1").values == UnitValues{{"vaccinations", 12}});
  CHECK(ClaimOf(s, "c1").answers.empty());
  CHECK(Unchanged(s.When("p1user", EnterClaimValues{Ref("c1"), {{"vaccinations", 12}}, {}})));
}

TEST_CASE("values for components or questions the service does not have are refused") {
  Scenario s = ClaimWorld();
  REQUIRE(s.Do("p1user", CreateClaimDraft{Ref("c1")}).ok());
  auto r = s.When("p1user", EnterClaimValues{Ref("c1"), {{"boosters", 1}}, {{"colour", "blue"}}});
  CHECK(Refusal(r) == "unknown_fields");
  CHECK(ErrorPaths(r) == std::vector<std::string>{"components.boosters", "answers.colour"});
}

TEST_CASE("evidence is attached and removed by its SHA-256 content hash") {
  Scenario s = ClaimWorld();
  REQUIRE(s.Do("p1user", CreateClaimDraft{Ref("c1")}).ok());
  const Evidence file{kSha1, "register.pdf", "application/pdf", 1234};
  auto attached = s.Do("p1user", AttachEvidence{Ref("c1"), file});
  CHECK(Written(attached, ClaimStream("c1")) == std::vector<Event>{EvidenceAttached{"c1", file, "p1user", Now()}});
  CHECK(Unchanged(s.When("p1user", AttachEvidence{Ref("c1"), file})));
  CHECK(ClaimOf(s, "c1").evidence == std::vector<Evidence>{file});
  auto removed = s.Do("p1user", RemoveEvidence{Ref("c1"), kSha1});
  CHECK(Written(removed, ClaimStream("c1")) == std::vector<Event>{EvidenceRemoved{"c1", kSha1, "p1user", Now()}});
  CHECK(ClaimOf(s, "c1").evidence.empty());
  CHECK(Unchanged(s.When("p1user", RemoveEvidence{Ref("c1"), kSha1})));
}

TEST_CASE("evidence needs a 64-digit lowercase SHA-256, a file name and a size") {
  Scenario s = ClaimWorld();
  REQUIRE(s.Do("p1user", CreateClaimDraft{Ref("c1")}).ok());
  auto r = s.When("p1user", AttachEvidence{Ref("c1"), Evidence{std::string(64, 'A'), "", "text/plain", -1}});
  CHECK(Refusal(r) == "invalid_evidence");
  CHECK(ErrorPaths(r) == std::vector<std::string>{"evidence.sha256", "evidence.filename", "evidence.size"});
}

TEST_CASE("a draft can be deleted, a submitted claim cannot") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  auto r = s.Do("p1user", DeleteClaimDraft{Ref("c1")});
  CHECK(Written(r, ClaimStream("c1")) == std::vector<Event>{ClaimDraftDeleted{"c1", "p1user", Now()}});
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kDeleted);
  CHECK(Unchanged(s.When("p1user", DeleteClaimDraft{Ref("c1")})));
  DraftWith(s, Ref("c2", "P1", "SPEND"), {{"cost", 100}});
  SubmitOk(s, Ref("c2", "P1", "SPEND"));
  CHECK(Refusal(s.When("p1user", DeleteClaimDraft{Ref("c2", "P1", "SPEND")})) == "not_a_draft");
}

TEST_CASE("a command whose provider, service or period differ from the claim's is a conflict") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  auto r = s.When("p1user", SubmitClaim{Ref("c1", "P1", "FLU", "2026-09")});
  CHECK(Refusal(r) == "claim_mismatch");
  CHECK(Refusal(s.When("p1user", SubmitClaim{Ref("nope")})) == "claim_not_found");
}

// ---- Submission -----------------------------------------------------------------

TEST_CASE("a valid submission records the amount priced with the tariff in force and reserves the claim key") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 25}}, "p1user", {{"notes", "care homes"}});
  REQUIRE(s.Do("p1user", AttachEvidence{Ref("c1"), Evidence{kSha1, "log.csv", "text/csv", 10}}).ok());
  auto r = s.Do("p1user", SubmitClaim{Ref("c1")});
  REQUIRE(r.ok());
  CHECK(r.value().validation_errors.empty());
  ClaimSubmitted expected;
  expected.claim_id = "c1";
  expected.amount = 25'000;
  expected.risk_band = RiskBand::kLow;
  expected.tariff_effective_from = Date::FromYmd(2026, 4, 1);
  expected.payment_type = PaymentType::kItemOfService;
  expected.list_size = 8000;
  expected.values = {{"vaccinations", 25}};
  expected.answers = {{"notes", "care homes"}};
  expected.evidence = {kSha1};
  expected.submitted_by = "p1user";
  expected.at = Now();
  CHECK(Written(r, ClaimStream("c1")) == std::vector<Event>{expected});
  CHECK(Written(r, ClaimKeyStream("P1", "FLU", kPeriod)).empty());  // the draft took the key
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kAwaitingTier1);
  CHECK(StatusName(ClaimOf(s, "c1").status) == "Awaiting Commissioning Organisation Approval");
}

TEST_CASE("a claim is priced with the tariff version in force at its period end, and keeps that price") {
  Scenario s = ClaimWorld();
  s.Given(ServiceStream("FLU"), {TariffVersionAdded{"FLU", FluTariff(Date::FromYmd(2026, 11, 1), 1500), Now()}});
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  CHECK(ClaimOf(s, "c1").amount == 10'000);  // October: 1,000p per vaccination
  s.Given(ServiceStream("FLU"), {TariffVersionAdded{"FLU", FluTariff(Date::FromYmd(2026, 10, 1), 2000), Now()}});
  CHECK(ClaimOf(s, "c1").amount == 10'000);  // a later tariff change leaves it alone
  DraftWith(s, Ref("c2", "P2"), {{"vaccinations", 10}}, "p2user");
  SubmitOk(s, Ref("c2", "P2"), "p2user");
  CHECK(ClaimOf(s, "c2").amount == 20'000);  // the new October version
}

TEST_CASE("a submission that breaks every rule lists every error at once and stays a draft") {
  Scenario s = ClaimWorld();
  const ClaimRef ref = Ref("c1", "P1", "CHECK");
  DraftWith(s, ref, {{"eligible", 9000}, {"checked", 9500}}, "p1user", {{"sessions", "four"}, {"podiatry", "maybe"}});
  // Values out of range are refused when entered; a draft of an older log may still hold them.
  s.Given(ClaimStream("c1"),
          {ClaimValuesEntered{"c1",
                              {{"eligible", 9000}, {"checked", 9500}, {"clinic_held", 2}, {"home_visits", 101}},
                              {{"sessions", "four"}, {"podiatry", "maybe"}},
                              "p1user",
                              Now()}});
  auto r = s.Do("p1user", SubmitClaim{ref}, At(2026, 12, 5));
  REQUIRE(r.ok());
  const auto& errors = r.value().validation_errors;
  CHECK(Codes(errors) == std::vector<std::string>{"window_closed", "units_above_list_size", "units_above_list_size",
                                                  "numerator_above_denominator", "value_out_of_range",
                                                  "value_out_of_range", "answer_required", "answer_not_a_number",
                                                  "answer_not_yes_no", "evidence_required"});
  for (const FieldError& e : errors) CHECK_FALSE(e.message.empty());
  CHECK(Written(r, ClaimStream("c1")) ==
        std::vector<Event>{ClaimSubmissionFailed{"c1", errors, "p1user", At(2026, 12, 5)}});
  CHECK(Written(r, ClaimKeyStream("P1", "CHECK", kPeriod)).empty());
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kDraft);
}

TEST_CASE("a submission with a required component missing names the component") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {});
  auto errors = FailedSubmission(s, Ref("c1"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == FieldError{"components.vaccinations", "required", "Enter a value for Vaccinations given."});
}

TEST_CASE("a value outside the component's range is refused with the range in pounds for money") {
  Scenario s = ClaimWorld();
  // Refused when entered (input_rules_test.cc); checked again at submission for drafts of an older log.
  DraftWith(s, Ref("c1"), {});
  s.Given(ClaimStream("c1"), {ClaimValuesEntered{"c1", {{"vaccinations", 5001}}, {}, "p1user", Now()}});
  auto errors = FailedSubmission(s, Ref("c1"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == "value_out_of_range");
  CHECK(errors[0].message == "Enter a value for Vaccinations given between 0 and 5000 (you entered 5001).");
  DraftWith(s, Ref("c2", "P1", "SPEND"), {});
  s.Given(ClaimStream("c2"), {ClaimValuesEntered{"c2", {{"cost", -1}}, {}, "p1user", Now()}});
  errors = FailedSubmission(s, Ref("c2", "P1", "SPEND"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message ==
        "Enter a value for Costs incurred between \xC2\xA3"
        "0.00 and \xC2\xA3"
        "1,000,000.00 (you entered -\xC2\xA3"
        "0.01).");
}

TEST_CASE("a numerator above its denominator is refused") {
  Scenario s = ClaimWorld();
  UnitValues values = GoodCheckValues();
  values["checked"] = 201;
  DraftWith(s, Ref("c1", "P1", "CHECK"), values, "p1user", GoodCheckAnswers());
  REQUIRE(
      s.Do("p1user", AttachEvidence{Ref("c1", "P1", "CHECK"), Evidence{kSha1, "a.pdf", "application/pdf", 1}}).ok());
  auto errors = FailedSubmission(s, Ref("c1", "P1", "CHECK"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == FieldError{"components.checked", "numerator_above_denominator",
                                "Patients checked (201) cannot be more than Patients eligible (200)."});
}

TEST_CASE("more patients than the registered list size are refused; exactly the list size is allowed") {
  Scenario s = ClaimWorld();
  s.Given(OrgStream("P1"), {ListSizeRecorded{"P1", Date::FromYmd(2026, 10, 1), 3000, Now()}});
  DraftWith(s, Ref("c1"), {{"vaccinations", 3001}});
  auto errors = FailedSubmission(s, Ref("c1"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == FieldError{"components.vaccinations", "units_above_list_size",
                                "Vaccinations given (3001) cannot be more than your registered list size of 3000 "
                                "patients."});
  REQUIRE(s.Do("p1user", EnterClaimValues{Ref("c1"), {{"vaccinations", 3000}}, {}}).ok());
  SubmitOk(s, Ref("c1"));
}

TEST_CASE("a period outside the provider's participation is refused") {
  Scenario s = StandardWorld();
  AddService(s, "SPEND", SpendDefinition(), PennyTariff(), {"P1"});
  const Date start = Date::FromYmd(2026, 4, 1);
  const Date end = Date::FromYmd(2026, 9, 30);  // P2 took part until September only
  s.Given(OfferStream("SPEND", "P2"), {ServiceOffered{"SPEND", "P2", "C1", start, end, start, Now()},
                                       OfferAccepted{"SPEND", "P2", start, end, "p2admin", Now()}});
  DraftWith(s, Ref("c1", "P2", "SPEND"), {{"cost", 100}}, "p2user");
  auto errors = FailedSubmission(s, Ref("c1", "P2", "SPEND"), "p2user");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].path == "period");
  CHECK(errors[0].code == "period_outside_participation");
  CHECK(
      errors[0].message ==
      "Your organisation is not signed up to Care home support costs for 1 November 2026. Check the service offer with "
      "your commissioner.");
}

TEST_CASE("a claim before its window opens is refused with the opening date") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  auto errors = FailedSubmission(s, Ref("c1"), "p1user", At(2026, 10, 31));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] ==
        FieldError{"period", "window_not_open", "Claims for October 2026 can be submitted from 1 November 2026."});
  SubmitOk(s, Ref("c1"));
}

TEST_CASE("a claim after its window closes is refused; the last day of the window is allowed") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  auto errors = FailedSubmission(s, Ref("c1"), "p1user", At(2026, 12, 1));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == "window_closed");
  CHECK(errors[0].message.find("closed on 30 November 2026") != std::string::npos);
  auto r = s.Do("p1user", SubmitClaim{Ref("c1")}, At(2026, 11, 30));
  REQUIRE(r.ok());
  CHECK(r.value().validation_errors.empty());
}

TEST_CASE("the first draft takes the provider/service/period key; a second draft is refused, naming the first") {
  Scenario s = ClaimWorld();
  auto drafted = s.Do("p1user", CreateClaimDraft{Ref("c1")});
  REQUIRE(drafted.ok());
  CHECK(Written(drafted, ClaimKeyStream("P1", "FLU", kPeriod)) ==
        std::vector<Event>{ClaimKeyReserved{"P1", "FLU", kPeriod, "c1", Now()}});
  auto second = s.When("p1user", CreateClaimDraft{Ref("c2"), {{"vaccinations", 11}}, {}});
  CHECK(Refusal(second) == "duplicate_claim");
  REQUIRE(!second.ok());
  CHECK(second.rejection().kind == Rejection::Kind::kConflict);
  CHECK(second.rejection().message.find("claim c1") != std::string::npos);
  CHECK(ErrorPaths(second) == std::vector<std::string>{"period"});
  // Another person of the practice is refused alike; the holder's own draft is unchanged.
  CHECK(Refusal(s.When("p1approver", CreateClaimDraft{Ref("c3")})) == "duplicate_claim");
  CHECK(Unchanged(s.When("p1user", CreateClaimDraft{Ref("c1")})));
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  CHECK(Refusal(s.When("p1user", CreateClaimDraft{Ref("c3")})) == "duplicate_claim");
  // Another period, service or provider is a different key.
  DraftWith(s, Ref("c4", "P2"), {{"vaccinations", 10}}, "p2user");
  SubmitOk(s, Ref("c4", "P2"), "p2user");
}

TEST_CASE("a draft of an older log that never took the key is refused at submission while another claim holds it") {
  Scenario s = ClaimWorld();
  s.Given(ClaimStream("c2"), {ClaimDrafted{Ref("c2"), "p1user", Now()},
                              ClaimValuesEntered{"c2", {{"vaccinations", 11}}, {}, "p1user", Now()}});
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  auto errors = FailedSubmission(s, Ref("c2"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == "duplicate_claim");
  CHECK(errors[0].message.find("claim c1") != std::string::npos);
}

TEST_CASE("deleting a draft frees its period for a new draft") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  auto deleted = s.Do("p1user", DeleteClaimDraft{Ref("c1")});
  REQUIRE(deleted.ok());
  CHECK(Written(deleted, ClaimKeyStream("P1", "FLU", kPeriod)) ==
        std::vector<Event>{ClaimKeyReleased{"P1", "FLU", kPeriod, "c1", Now()}});
  DraftWith(s, Ref("c2"), {{"vaccinations", 12}});
  CHECK(s.State<ClaimKeyState>(ClaimKeyStream("P1", "FLU", kPeriod)).holder == "c2");
}

TEST_CASE("a draft is refused for a period whose claim window has closed, with nothing stored") {
  Scenario s = ClaimWorld();
  auto r = s.When("p1user", CreateClaimDraft{Ref("c1")}, At(2026, 12, 1));
  CHECK(Refusal(r) == "window_closed");
  CHECK(ErrorPaths(r) == std::vector<std::string>{"period"});
  // The last day of the window is still open for a draft.
  CHECK(s.Do("p1user", CreateClaimDraft{Ref("c1")}, At(2026, 11, 30)).ok());
}

TEST_CASE("a draft's first values are checked as entered values are: a negative count stores no draft") {
  Scenario s = ClaimWorld();
  auto r = s.When("p1user", CreateClaimDraft{Ref("c1"), {{"vaccinations", -3}}, {}});
  CHECK(Refusal(r) == "invalid_values");
  CHECK(ErrorPaths(r) == std::vector<std::string>{"components.vaccinations"});
  CHECK(s.State<ClaimKeyState>(ClaimKeyStream("P1", "FLU", kPeriod)).holder.empty());
}

TEST_CASE("required evidence and required questions must be present") {
  Scenario s = ClaimWorld();
  const ClaimRef ref = Ref("c1", "P1", "CHECK");
  DraftWith(s, ref, GoodCheckValues(), "p1user", {{"lead", ""}});
  auto errors = FailedSubmission(s, ref);
  CHECK(Codes(errors) ==
        std::vector<std::string>{"answer_required", "answer_required", "answer_required", "evidence_required"});
  CHECK(HasCode(errors, "answers.lead", "answer_required"));
  CHECK(HasCode(errors, "evidence", "evidence_required"));
  CHECK(errors[0].message == "Answer the question: Who led the clinic?");
  REQUIRE(s.Do("p1user", EnterClaimValues{ref, GoodCheckValues(), GoodCheckAnswers()}).ok());
  REQUIRE(s.Do("p1user", AttachEvidence{ref, Evidence{kSha1, "a.pdf", "application/pdf", 1}}).ok());
  SubmitOk(s, ref);
  CHECK(ClaimOf(s, "c1").amount == 100'000);  // 160 of 200 = 80% meets the 75% tier
}

TEST_CASE("the failed attempt is recorded and the corrected claim then submits") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {});  // the required value is missing
  CHECK_FALSE(FailedSubmission(s, Ref("c1")).empty());
  REQUIRE(s.Do("p1user", EnterClaimValues{Ref("c1"), {{"vaccinations", 99}}, {}}).ok());
  SubmitOk(s, Ref("c1"));
  CHECK(ClaimOf(s, "c1").submissions == 1);
}

// ---- Risk bands and finance approval ----------------------------------------------

struct Band {
  Pence amount;
  RiskBand band;
  bool finance;
};

TEST_CASE("risk bands and finance approval on both sides of each threshold") {
  for (const Band& b : {Band{1'499'999, RiskBand::kLow, false}, Band{1'500'000, RiskBand::kMedium, true},
                        Band{4'999'999, RiskBand::kMedium, true}, Band{5'000'000, RiskBand::kHigh, true}}) {
    INFO("amount ", b.amount);
    Scenario s = ClaimWorld();
    DraftWith(s, Ref("c1", "P1", "SPEND"), {{"cost", b.amount}});
    SubmitOk(s, Ref("c1", "P1", "SPEND"));
    CHECK(ClaimOf(s, "c1").amount == b.amount);
    CHECK(ClaimOf(s, "c1").risk_band == b.band);
    CHECK(ClaimOf(s, "c1").finance_approval_required == b.finance);
  }
}

TEST_CASE("a claim of 14999.99 pounds needs no finance approval: Tier 2 approves it for payment") {
  Scenario s = ClaimWorld();
  const ClaimRef ref = Ref("c1", "P1", "SPEND");
  DraftWith(s, ref, {{"cost", 1'499'999}});
  SubmitOk(s, ref);
  ApproveOk(s, ref, ApprovalTier::kTier1, "c1tier1");
  auto r = s.Do("c1tier2", ApproveClaim{ref, ApprovalTier::kTier2});
  CHECK(Written(r, ClaimStream("c1")) ==
        std::vector<Event>{ClaimApprovedAtTier{"c1", ApprovalTier::kTier2, "c1tier2", Now()},
                           ClaimApprovedForPayment{"c1", 1'499'999, Now()}});
  CHECK(StatusName(ClaimOf(s, "c1").status) == "Approved for Payment");
}

TEST_CASE("a claim of 15000 pounds or more needs finance approval") {
  Scenario s = ClaimWorld();
  const ClaimRef ref = Ref("c1", "P1", "SPEND");
  DraftWith(s, ref, {{"cost", 1'500'000}});
  SubmitOk(s, ref);
  ApproveOk(s, ref, ApprovalTier::kTier1, "c1tier1");
  auto r = s.Do("c1tier2", ApproveClaim{ref, ApprovalTier::kTier2});
  CHECK(Written(r, ClaimStream("c1")) ==
        std::vector<Event>{ClaimApprovedAtTier{"c1", ApprovalTier::kTier2, "c1tier2", Now()}});
  CHECK(StatusName(ClaimOf(s, "c1").status) == "Awaiting Finance Approval");
  auto f = s.Do("c1finance", ApproveClaim{ref, ApprovalTier::kFinance});
  CHECK(Written(f, ClaimStream("c1")) ==
        std::vector<Event>{ClaimApprovedAtTier{"c1", ApprovalTier::kFinance, "c1finance", Now()},
                           ClaimApprovedForPayment{"c1", 1'500'000, Now()}});
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kApprovedForPayment);
}

TEST_CASE("the finance threshold is the commissioner's own, and applies only if it uses the Finance role") {
  Scenario s = ClaimWorld();
  s.Given(OrgStream("C1"), {CommissionerConfigured{"C1", 1'000'000, true, Now()}});
  DraftWith(s, Ref("c1", "P1", "SPEND"), {{"cost", 999'999}});
  SubmitOk(s, Ref("c1", "P1", "SPEND"));
  CHECK_FALSE(ClaimOf(s, "c1").finance_approval_required);
  DraftWith(s, Ref("c2", "P2", "SPEND"), {{"cost", 1'000'000}}, "p2user");
  SubmitOk(s, Ref("c2", "P2", "SPEND"), "p2user");
  CHECK(ClaimOf(s, "c2").finance_approval_required);

  Scenario t = ClaimWorld();
  t.Given(OrgStream("C1"), {CommissionerConfigured{"C1", 1'500'000, false, Now()}});
  DraftWith(t, Ref("c1", "P1", "SPEND"), {{"cost", 9'000'000}});
  SubmitOk(t, Ref("c1", "P1", "SPEND"));
  CHECK_FALSE(ClaimOf(t, "c1").finance_approval_required);
  CHECK(ClaimOf(t, "c1").risk_band == RiskBand::kHigh);
}

// ---- Approval path --------------------------------------------------------------

TEST_CASE("a single-level claim goes Tier 1 then Tier 2 then Approved for Payment") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  auto r = s.Do("c1tier1", ApproveClaim{Ref("c1"), ApprovalTier::kTier1});
  CHECK(Written(r, ClaimStream("c1")) ==
        std::vector<Event>{ClaimApprovedAtTier{"c1", ApprovalTier::kTier1, "c1tier1", Now()}});
  CHECK(StatusName(ClaimOf(s, "c1").status) == "Awaiting Tier 2 Approval");
  ApproveOk(s, Ref("c1"), ApprovalTier::kTier2, "c1tier2");
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kApprovedForPayment);
}

TEST_CASE("a multi-level provider's claim waits for the provider approver first") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1", "P2"), {{"vaccinations", 10}}, "p2user");
  SubmitOk(s, Ref("c1", "P2"), "p2user");
  CHECK(StatusName(ClaimOf(s, "c1").status) == "Awaiting Service Provider Approval");
  CHECK(Refusal(s.When("c1tier1", ApproveClaim{Ref("c1", "P2"), ApprovalTier::kTier1})) == "not_awaiting_tier");
  CHECK(Refusal(s.When("p1approver", ProviderApproveClaim{Ref("c1", "P2")})) == "forbidden");
  auto r = s.Do("p2approver", ProviderApproveClaim{Ref("c1", "P2")});
  CHECK(Written(r, ClaimStream("c1")) == std::vector<Event>{ClaimApprovedByProvider{"c1", "p2approver", Now()}});
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kAwaitingTier1);
}

TEST_CASE("the provider approver returns a claim to the preparer with a reason, who amends and resubmits it") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1", "P2"), {{"vaccinations", 10}}, "p2user");
  SubmitOk(s, Ref("c1", "P2"), "p2user");
  CHECK(Refusal(s.When("p2approver", ProviderReturnClaim{Ref("c1", "P2"), ""})) == "reason_required");
  auto r = s.Do("p2approver", ProviderReturnClaim{Ref("c1", "P2"), "Count looks low"});
  CHECK(Written(r, ClaimStream("c1")) ==
        std::vector<Event>{ClaimReturnedByProvider{"c1", "Count looks low", "p2approver", Now()}});
  CHECK(StatusName(ClaimOf(s, "c1").status) == "Returned for Amendment");
  REQUIRE(s.Do("p2user", EnterClaimValues{Ref("c1", "P2"), {{"vaccinations", 30}}, {}}).ok());
  SubmitOk(s, Ref("c1", "P2"), "p2user");
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kAwaitingProviderApproval);
  CHECK(ClaimOf(s, "c1").amount == 30'000);
  CHECK(ClaimOf(s, "c1").submissions == 2);
}

TEST_CASE("Tier 1 returns a claim for amendment; the resubmission starts the tiers again") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  ApproveOk(s, Ref("c1"), ApprovalTier::kTier1, "c1tier1");
  auto r = s.Do("c1tier2", ReturnClaim{Ref("c1"), "Attach the vaccination log"});
  CHECK(Written(r, ClaimStream("c1")) ==
        std::vector<Event>{ClaimReturned{"c1", ApprovalTier::kTier2, "Attach the vaccination log", "c1tier2", Now()}});
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kReturned);
  CHECK(ClaimOf(s, "c1").decided_by.empty());
  REQUIRE(s.Do("p1user", AttachEvidence{Ref("c1"), Evidence{kSha1, "log.pdf", "application/pdf", 5}}).ok());
  auto resubmitted = s.Do("p1user", SubmitClaim{Ref("c1")});
  REQUIRE(resubmitted.ok());
  CHECK(Written(resubmitted, ClaimKeyStream("P1", "FLU", kPeriod)).empty());  // the key is still held
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kAwaitingTier1);
  ApproveOk(s, Ref("c1"), ApprovalTier::kTier1, "c1tier1");
}

TEST_CASE("returning needs a reason") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  auto r = s.When("c1tier1", ReturnClaim{Ref("c1"), ""});
  CHECK(Refusal(r) == "reason_required");
  CHECK(ErrorPaths(r) == std::vector<std::string>{"reason"});
}

TEST_CASE("Tier 1 rejects with a coded reason; rejection is final and frees the period for a new claim") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  auto r = s.Do("c1tier1", RejectClaim{Ref("c1"), "evidence_insufficient", "No vaccination log"});
  CHECK(Written(r, ClaimStream("c1")) ==
        std::vector<Event>{ClaimRejected{"c1", ApprovalTier::kTier1, "evidence_insufficient", "No vaccination log",
                                         "c1tier1", Now()}});
  CHECK(Written(r, ClaimKeyStream("P1", "FLU", kPeriod)) ==
        std::vector<Event>{ClaimKeyReleased{"P1", "FLU", kPeriod, "c1", Now()}});
  CHECK(StatusName(ClaimOf(s, "c1").status) == "Rejected");
  CHECK(Refusal(s.When("c1tier1", ApproveClaim{Ref("c1"), ApprovalTier::kTier1})) == "not_awaiting_tier");
  CHECK(Refusal(s.When("p1user", SubmitClaim{Ref("c1")})) == "not_submittable");
  CHECK(Refusal(s.When("p1user", EnterClaimValues{Ref("c1"), {}, {}})) == "not_editable");
  CHECK(Refusal(s.When("p1user", WithdrawClaim{Ref("c1"), ""})) == "not_withdrawable");
  CHECK(Unchanged(s.When("c1tier1", RejectClaim{Ref("c1"), "other", "again"})));
  DraftWith(s, Ref("c2"), {{"vaccinations", 12}});
  SubmitOk(s, Ref("c2"));
  CHECK(s.State<ClaimKeyState>(ClaimKeyStream("P1", "FLU", kPeriod)).holder == "c2");
}

TEST_CASE("a rejection needs a known reason code and an explanation") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  auto r = s.When("c1tier1", RejectClaim{Ref("c1"), "because", ""});
  CHECK(Refusal(r) == "invalid_rejection");
  CHECK(ErrorPaths(r) == std::vector<std::string>{"reason_code", "reason"});
  CHECK(IsRejectionReasonCode("values_incorrect"));
  CHECK_FALSE(RejectionReasonCodes().empty());
}

TEST_CASE("commissioners cannot reject or return a claim still awaiting the provider's approval") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1", "P2"), {{"vaccinations", 10}}, "p2user");
  SubmitOk(s, Ref("c1", "P2"), "p2user");
  CHECK(Refusal(s.When("c1tier1", RejectClaim{Ref("c1", "P2"), "other", "x"})) == "awaiting_provider");
  CHECK(Refusal(s.When("c1tier1", ReturnClaim{Ref("c1", "P2"), "x"})) == "awaiting_provider");
}

TEST_CASE("the provider withdraws a claim before approval for payment, which frees the period") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  CHECK(Refusal(s.When("p1user", WithdrawClaim{Ref("c1"), ""})) == "not_submitted");
  SubmitOk(s, Ref("c1"));
  ApproveOk(s, Ref("c1"), ApprovalTier::kTier1, "c1tier1");
  CHECK(Refusal(s.When("c1tier2", WithdrawClaim{Ref("c1"), "no"})) == "forbidden");
  auto r = s.Do("p1admin", WithdrawClaim{Ref("c1"), "Claimed in error"});
  CHECK(Written(r, ClaimStream("c1")) ==
        std::vector<Event>{ClaimWithdrawn{"c1", "Claimed in error", "p1admin", Now()}});
  CHECK(Written(r, ClaimKeyStream("P1", "FLU", kPeriod)) ==
        std::vector<Event>{ClaimKeyReleased{"P1", "FLU", kPeriod, "c1", Now()}});
  CHECK(StatusName(ClaimOf(s, "c1").status) == "Withdrawn");
  DraftWith(s, Ref("c2"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c2"));
}

TEST_CASE("a claim approved for payment can no longer be withdrawn") {
  Scenario s = ClaimWorld();
  const ClaimRef ref = ApprovedSpendClaim(s, "c1", 100);
  CHECK(Refusal(s.When("p1user", WithdrawClaim{ref, ""})) == "not_withdrawable");
}

// ---- Separation of duties and races ------------------------------------------------

TEST_CASE("nobody approves a claim at two tiers of one submission") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  ApproveOk(s, Ref("c1"), ApprovalTier::kTier1, "c1dual");
  auto r = s.When("c1dual", ApproveClaim{Ref("c1"), ApprovalTier::kTier2});
  CHECK(Refusal(r) == "separation_of_duties");
  CHECK(RefusalKind(r) == Rejection::Kind::kForbidden);
  CHECK(Refusal(s.When("c1dual", ReturnClaim{Ref("c1"), "x"})) == "separation_of_duties");
  CHECK(Refusal(s.When("c1dual", RejectClaim{Ref("c1"), "other", "x"})) == "separation_of_duties");
  ApproveOk(s, Ref("c1"), ApprovalTier::kTier2, "c1tier2");
}

TEST_CASE("a dual-tier approver may act at the other tier on a later submission") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  ApproveOk(s, Ref("c1"), ApprovalTier::kTier1, "c1dual");
  REQUIRE(s.Do("c1tier2", ReturnClaim{Ref("c1"), "Check the count"}).ok());
  SubmitOk(s, Ref("c1"));
  ApproveOk(s, Ref("c1"), ApprovalTier::kTier1, "c1tier1");
  ApproveOk(s, Ref("c1"), ApprovalTier::kTier2, "c1dual");
}

TEST_CASE("the person who prepared or submitted a claim cannot approve it") {
  Scenario s = ClaimWorld();
  // p2approver prepares and submits; the provider approval must be someone else.
  DraftWith(s, Ref("c1", "P2"), {{"vaccinations", 10}}, "p2approver");
  SubmitOk(s, Ref("c1", "P2"), "p2approver");
  CHECK(Refusal(s.When("p2approver", ProviderApproveClaim{Ref("c1", "P2")})) == "separation_of_duties");
  // p2user prepared c2, p2approver submitted it: neither may approve.
  DraftWith(s, Ref("c2", "P2", "SPEND"), {{"cost", 10}}, "p2user");
  SubmitOk(s, Ref("c2", "P2", "SPEND"), "p2approver");
  CHECK(Refusal(s.When("p2approver", ProviderApproveClaim{Ref("c2", "P2", "SPEND")})) == "separation_of_duties");
  REQUIRE(s.Do("p2admin", ProviderApproveClaim{Ref("c2", "P2", "SPEND")}).ok());
}

TEST_CASE("two approvers racing at one tier: the second decision is refused") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  // Both decide against the same state: each alone would be accepted.
  CHECK(s.When("c1tier1", ApproveClaim{Ref("c1"), ApprovalTier::kTier1}).ok());
  CHECK(s.When("c1dual", ApproveClaim{Ref("c1"), ApprovalTier::kTier1}).ok());
  // The first is recorded; the second, decided again on the new state, is refused.
  ApproveOk(s, Ref("c1"), ApprovalTier::kTier1, "c1tier1");
  auto second = s.When("c1dual", ApproveClaim{Ref("c1"), ApprovalTier::kTier1});
  CHECK(Refusal(second) == "already_decided");
  CHECK(RefusalKind(second) == Rejection::Kind::kConflict);
  CHECK(Unchanged(s.When("c1tier1", ApproveClaim{Ref("c1"), ApprovalTier::kTier1})));
}

TEST_CASE("a decision at a tier the claim has moved on from is a conflict naming its status now, not a denial") {
  Scenario s = ClaimWorld();
  const ClaimRef ref = Ref("c1", "P1", "SPEND");
  DraftWith(s, ref, {{"cost", 2'000'000}});  // needs Finance too
  SubmitOk(s, ref);
  // Given c1tier1 read the claim at Tier 1 and c1dual approved it there first,
  ApproveOk(s, ref, ApprovalTier::kTier1, "c1dual");
  // when c1tier1 rejects or returns at the tier they read, then it is a conflict naming the status now.
  // Naming no tier is the same: the claim has passed the tier c1tier1 decides at (TierToDecide).
  CHECK(TierToDecide(PrincipalFrom(s.State<AccountState>(AccountStream("c1tier1"))), ClaimOf(s, "c1")) ==
        ApprovalTier::kTier1);
  for (const auto& late : {Outcome<Decision>(s.When("c1tier1", RejectClaim{ref, "other", "x", ApprovalTier::kTier1})),
                           Outcome<Decision>(s.When("c1tier1", RejectClaim{ref, "other", "x"})),
                           Outcome<Decision>(s.When("c1tier1", ReturnClaim{ref, "x", ApprovalTier::kTier1})),
                           Outcome<Decision>(s.When("c1tier1", ReturnClaim{ref, "x"})),
                           Outcome<Decision>(s.When("c1tier1", ApproveClaim{ref, ApprovalTier::kTier1}))}) {
    CHECK(Refusal(late) == "already_decided");
    CHECK(RefusalKind(late) == Rejection::Kind::kConflict);
    CHECK(late.rejection().message.find("Awaiting Tier 2 Approval") != std::string::npos);
  }
  // The same one tier on, and when the claim has left the tiers altogether.
  ApproveOk(s, ref, ApprovalTier::kTier2, "c1tier2");
  auto at_tier2 = s.When("c1dual", RejectClaim{ref, "other", "x", ApprovalTier::kTier2});
  CHECK(RefusalKind(at_tier2) == Rejection::Kind::kConflict);
  CHECK(at_tier2.rejection().message.find("Awaiting Finance Approval") != std::string::npos);
  ApproveOk(s, ref, ApprovalTier::kFinance, "c1finance");
  auto paid = s.When("c1tier1", ReturnClaim{ref, "x", ApprovalTier::kTier1});
  CHECK(RefusalKind(paid) == Rejection::Kind::kConflict);
  CHECK(paid.rejection().message.find("Approved for Payment") != std::string::npos);
  // Someone who could never decide at the tier they name is still refused as before.
  CHECK(Refusal(s.When("c1finance", RejectClaim{ref, "other", "x", ApprovalTier::kTier1})) == "forbidden");
  CHECK(Refusal(s.When("c1auditor", ReturnClaim{ref, "x", ApprovalTier::kTier2})) == "forbidden");
}

TEST_CASE("a rejection naming the tier the claim waits for is decided as one naming no tier") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  CHECK(Refusal(s.When("c1tier2", RejectClaim{Ref("c1"), "other", "x", ApprovalTier::kTier1})) == "forbidden");
  auto named = s.When("c1tier1", RejectClaim{Ref("c1"), "other", "x", ApprovalTier::kTier1});
  auto unnamed = s.When("c1tier1", RejectClaim{Ref("c1"), "other", "x"});
  REQUIRE(named.ok());
  CHECK(Written(named, ClaimStream("c1")) == Written(unnamed, ClaimStream("c1")));
}

TEST_CASE("approving at a tier the claim is not waiting for is refused") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  CHECK(Refusal(s.When("c1tier1", ApproveClaim{Ref("c1"), ApprovalTier::kTier1})) == "not_awaiting_tier");
  SubmitOk(s, Ref("c1"));
  CHECK(Refusal(s.When("c1tier2", ApproveClaim{Ref("c1"), ApprovalTier::kTier2})) == "not_awaiting_tier");
  CHECK(Refusal(s.When("c1finance", ApproveClaim{Ref("c1"), ApprovalTier::kFinance})) == "not_awaiting_tier");
}

// ---- Role denials ----------------------------------------------------------------

TEST_CASE("each approval tier needs its own role") {
  Scenario s = ClaimWorld();
  const ClaimRef ref = Ref("c1", "P1", "SPEND");
  DraftWith(s, ref, {{"cost", 2'000'000}});
  SubmitOk(s, ref);
  for (const char* who : {"p1user", "p1admin", "p1approver", "c1admin", "c1tier2", "c1finance", "c1auditor"}) {
    INFO(who);
    CHECK(Refusal(s.When(who, ApproveClaim{ref, ApprovalTier::kTier1})) == "forbidden");
  }
  ApproveOk(s, ref, ApprovalTier::kTier1, "c1tier1");
  for (const char* who : {"p1user", "c1admin", "c1tier1", "c1finance", "c1auditor"}) {
    INFO(who);
    CHECK(Refusal(s.When(who, ApproveClaim{ref, ApprovalTier::kTier2})) == "forbidden");
  }
  ApproveOk(s, ref, ApprovalTier::kTier2, "c1tier2");
  for (const char* who : {"p1user", "c1admin", "c1tier1", "c1tier2", "c1auditor"}) {
    INFO(who);
    CHECK(Refusal(s.When(who, ApproveClaim{ref, ApprovalTier::kFinance})) == "forbidden");
  }
}

TEST_CASE("rejecting or returning needs the role of the tier the claim is waiting for") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c1"));
  CHECK(Refusal(s.When("c1finance", RejectClaim{Ref("c1"), "other", "x"})) == "forbidden");
  CHECK(Refusal(s.When("c1tier2", ReturnClaim{Ref("c1"), "x"})) == "forbidden");
  CHECK(Refusal(s.When("p1user", RejectClaim{Ref("c1"), "other", "x"})) == "forbidden");
  CHECK(Refusal(s.When("c1admin", ReturnClaim{Ref("c1"), "x"})) == "forbidden");
}

TEST_CASE("another commissioner's staff and another provider's users cannot touch a claim") {
  Scenario s = ClaimWorld();
  s.Given(AccountStream("c2tier2"),
          {Person("c2tier2", "C2", OrgKind::kCommissioner, "C2", Roles({Role::kApproverTier2, Role::kFinance}))});
  DraftWith(s, Ref("c1"), {{"vaccinations", 10}});
  CHECK(Refusal(s.When("p2user", EnterClaimValues{Ref("c1"), {}, {}})) == "forbidden");
  CHECK(Refusal(s.When("p3user", SubmitClaim{Ref("c1")})) == "forbidden");
  SubmitOk(s, Ref("c1"));
  CHECK(Refusal(s.When("c2tier1", ApproveClaim{Ref("c1"), ApprovalTier::kTier1})) == "forbidden");
  CHECK(Refusal(s.When("p2approver", ProviderApproveClaim{Ref("c1")})) == "forbidden");
  CHECK(Refusal(s.When("p2admin", WithdrawClaim{Ref("c1"), ""})) == "forbidden");
  ApproveOk(s, Ref("c1"), ApprovalTier::kTier1, "c1tier1");
  ApproveOk(s, Ref("c1"), ApprovalTier::kTier2, "c1tier2");
  CHECK(Refusal(s.When("c2tier2", HoldPayment{Ref("c1"), "x"})) == "forbidden");
}

TEST_CASE("a disabled or unknown account cannot act on claims") {
  Scenario s = ClaimWorld();
  s.Given(AccountStream("p1user"), {AccountDisabled{"p1user", "left", "p1admin", Now()}});
  CHECK(Refusal(s.When("p1user", CreateClaimDraft{Ref("c1")})) == "account_inactive");
  CHECK(Refusal(s.When("ghost", CreateClaimDraft{Ref("c1")})) == "unknown_actor");
}

// ---- Holds --------------------------------------------------------------------

TEST_CASE("Tier 2 or Finance hold an approved claim with a reason and release it") {
  for (const char* who : {"c1tier2", "c1finance"}) {
    INFO(who);
    Scenario s = ClaimWorld();
    const ClaimRef ref = ApprovedSpendClaim(s, "c1", 100);
    auto r = s.Do(who, HoldPayment{ref, "Query on the invoice"});
    CHECK(Written(r, ClaimStream("c1")) == std::vector<Event>{PaymentHeld{"c1", "Query on the invoice", who, Now()}});
    CHECK(StatusName(ClaimOf(s, "c1").status) == "Payment Held");
    CHECK(ClaimOf(s, "c1").hold_reason == "Query on the invoice");
    CHECK(Unchanged(s.When(who, HoldPayment{ref, "again"})));
    auto released = s.Do(who, ReleasePayment{ref});
    CHECK(Written(released, ClaimStream("c1")) == std::vector<Event>{PaymentReleased{"c1", who, Now()}});
    CHECK(ClaimOf(s, "c1").status == ClaimStatus::kApprovedForPayment);
    CHECK(Unchanged(s.When(who, ReleasePayment{ref})));
  }
}

TEST_CASE("holding needs a reason, the Tier 2 or Finance role, and a claim approved for payment") {
  Scenario s = ClaimWorld();
  DraftWith(s, Ref("c2"), {{"vaccinations", 10}});
  SubmitOk(s, Ref("c2"));
  CHECK(Refusal(s.When("c1tier2", HoldPayment{Ref("c2"), "x"})) == "not_approved_for_payment");
  CHECK(Refusal(s.When("c1tier2", ReleasePayment{Ref("c2")})) == "not_held");
  const ClaimRef ref = ApprovedSpendClaim(s, "c1", 100);
  CHECK(Refusal(s.When("c1tier2", HoldPayment{ref, ""})) == "reason_required");
  for (const char* who : {"c1tier1", "c1admin", "c1auditor", "p1user", "p1admin"}) {
    INFO(who);
    CHECK(Refusal(s.When(who, HoldPayment{ref, "x"})) == "forbidden");
  }
  REQUIRE(s.Do("c1tier2", HoldPayment{ref, "x"}).ok());
  CHECK(Refusal(s.When("c1tier1", ReleasePayment{ref})) == "forbidden");
}

}  // namespace
}  // namespace ledger::core::testing
