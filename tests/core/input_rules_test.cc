// Input rules every decider applies: the text rule on every text field of
// every command (through Decide), entered values within their component's
// range, and claim periods that are well formed and within the service's dates.
#include <doctest/doctest.h>

#include <set>

#include "claim_world.h"
#include "ledger/core/text.h"

namespace ledger::core::testing {
namespace {

TEST_CASE("the text rule: UTF-8 without control characters; new lines and tabs only in multi-line text") {
  for (std::string_view good : {"", "Flu clinic", "Caf\xC3\xA9", "\xE2\x80\x93 \xF0\x9F\x98\x80", "\xEF\xBF\xBD"}) {
    CAPTURE(good);
    CHECK(IsValidText(good, TextKind::kSingleLine));
    CHECK(IsValidText(good, TextKind::kMultiLine));
  }
  struct Bad {
    std::string text;
    std::string code;
  };
  for (const Bad& b :
       {Bad{"caf\xE9", "invalid_utf8"}, Bad{"\xC0\x80", "invalid_utf8"}, Bad{"\xE0\x80\xAF", "invalid_utf8"},
        Bad{"\xED\xA0\x80", "invalid_utf8"}, Bad{"\xF4\x90\x80\x80", "invalid_utf8"}, Bad{"\xC3", "invalid_utf8"},
        Bad{"\xFF", "invalid_utf8"}, Bad{std::string("a\0b", 3), "control_character"},
        Bad{"a\x01", "control_character"}, Bad{"\x7F", "control_character"}, Bad{"\xC2\x85", "control_character"},
        Bad{"a\rb", "control_character"}}) {
    CAPTURE(b.text);
    CHECK(TextProblemCode(b.text, TextKind::kSingleLine) == b.code);
    CHECK(TextProblemCode(b.text, TextKind::kMultiLine) == b.code);
  }
  CHECK(TextProblemCode("two\nlines", TextKind::kSingleLine) == "control_character");
  CHECK(TextProblemCode("a\tb", TextKind::kSingleLine) == "control_character");
  CHECK(IsValidText("two\nlines\tand a tab", TextKind::kMultiLine));
}

// One command of every type, with one item in each list, and the path of
// each of its text fields, written out by hand (not taken from core's walk).
struct Sample {
  Command command;
  std::vector<std::string> paths;
};

const std::vector<std::string> kRef = {"claim_id", "provider", "commissioner", "service_id", "period"};
std::vector<std::string> RefAnd(std::vector<std::string> more) {
  std::vector<std::string> out = kRef;
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

ServiceDefinition OneOfEach() {
  ServiceDefinition d = FluDefinition();
  d.components.resize(1);
  d.questions.resize(1);
  return d;
}

std::vector<Sample> Samples() {
  const std::vector<std::string> definition = {"code",
                                               "name",
                                               "description",
                                               "components.0.id",
                                               "components.0.name",
                                               "components.0.numerator_of",
                                               "questions.0.id",
                                               "questions.0.text"};
  auto with = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  Tariff tariff;
  tariff.unit_rates = {ComponentRate{"x", 1}};
  ClaimRef ref{"c", "P1", "C1", "FLU", kPeriod};
  return {
      {RegisterOrganisation{.members = {"M"}}, {"code", "name", "commissioner_code", "postcode", "members.0"}},
      {ConfigureProvider{.members = {"M"}}, {"code", "members.0"}},
      {RecordListSize{}, {"code"}},
      {ConfigureCommissioner{}, {"code"}},
      {RotateSigningKey{}, {"code", "previous_public_key", "public_key", "endorsement"}},
      {RequestAccount{}, {"username", "org_code", "full_name", "email", "password_hash"}},
      {ApproveAccount{}, {"username"}},
      {RefuseAccount{}, {"username", "reason"}},
      {DisableAccount{}, {"username", "reason"}},
      {EnableAccount{}, {"username"}},
      {AssignRoles{}, {"username"}},
      {ChangePassword{}, {"username", "password_hash"}},
      {RecordSignIn{}, {"username"}},
      {ResetPassword{}, {"username", "password_hash"}},
      {CreateAccount{}, {"username", "org_code", "full_name", "email", "password_hash"}},
      {DefineService{.definition = OneOfEach()}, with({"service_id", "commissioner"}, definition)},
      {EditServiceDraft{.definition = OneOfEach()}, with({"service_id"}, definition)},
      {PublishService{}, {"service_id"}},
      {RetireService{}, {"service_id"}},
      {AddTariffVersion{.tariff = tariff},
       {"service_id", "tariff.unit_rates.0.component_id", "tariff.numerator_component",
        "tariff.denominator_component"}},
      {ShareService{}, {"service_id", "with_commissioner"}},
      {OfferService{}, {"service_id", "provider"}},
      {AcceptOffer{}, {"service_id", "provider"}},
      {DeclineOffer{}, {"service_id", "provider", "reason"}},
      {WithdrawOffer{}, {"service_id", "provider", "reason"}},
      {CreateClaimDraft{ref, {}, {{"notes", "a"}}}, RefAnd({"answers", "answers.notes"})},
      {EnterClaimValues{ref, {}, {{"notes", "a"}}}, RefAnd({"answers", "answers.notes"})},
      {AttachEvidence{ref, {}}, RefAnd({"evidence.sha256", "evidence.filename", "evidence.content_type"})},
      {RemoveEvidence{ref, ""}, RefAnd({"sha256"})},
      {DeleteClaimDraft{ref}, kRef},
      {SubmitClaim{ref}, kRef},
      {ProviderApproveClaim{ref}, kRef},
      {ProviderReturnClaim{ref, ""}, RefAnd({"reason"})},
      {ApproveClaim{ref}, kRef},
      {RejectClaim{ref, "", ""}, RefAnd({"reason_code", "reason"})},
      {ReturnClaim{ref, ""}, RefAnd({"reason"})},
      {WithdrawClaim{ref, ""}, RefAnd({"reason"})},
      {HoldPayment{ref, ""}, RefAnd({"reason"})},
      {ReleasePayment{ref}, kRef},
      {RaiseAdjustment{ref, "", 0, ""}, RefAnd({"adjustment_id", "reason"})},
      {CreatePaymentRun{.claim_ids = {"c"}},
       {"run_id", "commissioner", "claim_ids.0", "head_hash", "signed_head.tree_root", "signed_head.public_key",
        "signed_head.signature"}},
      {ConfirmPaymentRun{.claim_ids = {"c"}}, {"run_id", "claim_ids.0"}},
      {MarkPaymentRunPaid{.claim_ids = {"c"}}, {"run_id", "claim_ids.0", "payment_reference"}},
  };
}

std::vector<std::string> WalkedPaths(const Command& command) {
  std::vector<std::string> out;
  ForEachTextField(command, [&](const std::string& path, const std::string&, TextKind) { out.push_back(path); });
  return out;
}

TEST_CASE("every command type's text fields are all walked by core, under the API's field names") {
  std::set<size_t> covered;
  for (const Sample& sample : Samples()) {
    CAPTURE(sample.command.index());
    covered.insert(sample.command.index());
    CHECK(WalkedPaths(sample.command) == sample.paths);
  }
  CHECK(covered.size() == std::variant_size_v<Command>);
}

// Decide refuses every command whose text field holds `bad`, naming the field.
void CheckEveryFieldRefuses(const std::string& bad, bool also_multi_line) {
  const Loaded nothing;  // the text rule comes before anything is read
  for (const Sample& sample : Samples()) {
    for (size_t target = 0; target < sample.paths.size(); ++target) {
      Command command = sample.command;
      bool corrupted = false;
      ForEachTextField(command, [&](const std::string& path, std::string& text, TextKind kind) {
        if (path == sample.paths[target] && (also_multi_line || kind == TextKind::kSingleLine)) {
          text = "x" + bad;
          corrupted = true;
        }
      });
      if (!corrupted) continue;  // a map key (walked read-only) or a multi-line field
      CAPTURE(sample.command.index());
      CAPTURE(sample.paths[target]);
      auto r = Decide(CommandMeta{"cmd", "cmd", "p1user", Now()}, command, nothing);
      REQUIRE_FALSE(r.ok());
      CHECK(r.rejection().kind == Rejection::Kind::kInvalid);
      CHECK(r.rejection().code == "invalid_text");
      REQUIRE(r.rejection().errors.size() == 1);
      CHECK(r.rejection().errors[0].path == sample.paths[target]);
    }
  }
}

TEST_CASE("property: for every command type, any invalid byte sequence in any text field is refused by Decide") {
  for (std::string bad : {std::string("\xE9"), std::string(1, '\0'), std::string("\xC0\x80"),
                          std::string("\xED\xA0\x80"), std::string("\x1B"), std::string("\x7F"),
                          std::string("\xC2\x9F"), std::string("\r"), std::string("\xF8\x88\x80\x80\x80")}) {
    CAPTURE(bad);
    CheckEveryFieldRefuses(bad, true);
  }
  // A new line or a tab is refused in every one-line field.
  CheckEveryFieldRefuses("\n", false);
  CheckEveryFieldRefuses("\t", false);
}

TEST_CASE("component and question ids used as keys are checked too") {
  ClaimRef ref{"c", "P1", "C1", "FLU", kPeriod};
  auto problems = CommandTextProblems(EnterClaimValues{ref, {{"caf\xE9", 1}}, {{std::string("q\0", 2), "\x01"}}});
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].path == "values");
  CHECK(problems[1].path == "answers");
  CHECK(problems[2].path == "answers.?");  // the answer's own path never carries the bad key
}

TEST_CASE("new lines and tabs are kept in reasons, descriptions and free-text answers") {
  Scenario s = ClaimWorld();
  const ClaimRef ref = Ref("c1");
  DraftWith(s, ref, {{"vaccinations", 10}}, "p1user", {{"notes", "Two visits:\n\tmorning and evening"}});
  CHECK(ClaimOf(s, "c1").answers.at("notes") == "Two visits:\n\tmorning and evening");
  auto bad = s.Do("p1user", EnterClaimValues{ref, {}, {{"notes", std::string("nul\0here", 8)}}});
  CHECK(Refusal(bad) == "invalid_text");
}

// ---- Entered values ------------------------------------------------------

TEST_CASE("a value outside its component's range is refused when entered, so no draft holds one") {
  Scenario s = ClaimWorld();
  REQUIRE(s.Do("p1user", CreateClaimDraft{Ref("c1")}).ok());
  for (int64_t bad : {int64_t{-1}, int64_t{5001}, INT64_MIN, INT64_MAX}) {
    CAPTURE(bad);
    auto r = s.Do("p1user", EnterClaimValues{Ref("c1"), {{"vaccinations", bad}}, {}});
    CHECK(Refusal(r) == "invalid_values");
    CHECK(ErrorPaths(r) == std::vector<std::string>{"components.vaccinations"});
  }
  auto yes_no = s.Do("p1user", CreateClaimDraft{Ref("c2", "P1", "CHECK"), {{"clinic_held", 2}}, {}});
  CHECK(Refusal(yes_no) == "invalid_values");
  CHECK(ClaimOf(s, "c2").status == ClaimStatus::kNone);
  auto lowest = s.Do("p1user", EnterClaimValues{Ref("c1"), {{"vaccinations", 0}}, {}});
  CHECK(lowest.ok());
  CHECK(ClaimOf(s, "c1").values == UnitValues{{"vaccinations", 0}});
}

TEST_CASE("a draft created with values is one decision: both events, or a refusal and nothing") {
  Scenario s = ClaimWorld();
  auto bad = s.Do("p1user", CreateClaimDraft{Ref("c1"), {{"vaccinations", 10}, {"nope", 1}}, {}});
  CHECK(Refusal(bad) == "unknown_fields");
  CHECK(ErrorPaths(bad) == std::vector<std::string>{"components.nope"});
  CHECK(ClaimOf(s, "c1").status == ClaimStatus::kNone);
  auto good = s.Do("p1user", CreateClaimDraft{Ref("c1"), {{"vaccinations", 10}}, {{"notes", "ok"}}});
  REQUIRE(good.ok());
  CHECK(Written(good, ClaimStream("c1")) ==
        std::vector<Event>{ClaimDrafted{Ref("c1"), "p1user", Now()},
                           ClaimValuesEntered{"c1", {{"vaccinations", 10}}, {{"notes", "ok"}}, "p1user", Now()}});
}

// ---- Periods ---------------------------------------------------------------

TEST_CASE("a malformed period, or one outside the service's dates, is refused with a field error on period") {
  Scenario s = ClaimWorld();  // FLU runs from 1 April 2026 to 31 March 2027, monthly
  int n = 0;
  for (const char* period : {"0000-01", "2026-13", "2026-00", "2026-1", "26-10", "2026-10-01", "2026-Q3"}) {
    CAPTURE(period);
    auto r = s.Do("p1user", CreateClaimDraft{Ref("bad" + std::to_string(++n), "P1", "FLU", period)});
    CHECK(Refusal(r) == "invalid_period");
    CHECK(ErrorPaths(r) == std::vector<std::string>{"period"});
  }
  for (const char* period : {"2026-03", "2027-04", "1999-12", "9999-12"}) {
    CAPTURE(period);
    auto r = s.Do("p1user", CreateClaimDraft{Ref("out" + std::to_string(++n), "P1", "FLU", period)});
    CHECK(Refusal(r) == "period_outside_service");
    CHECK(ErrorPaths(r) == std::vector<std::string>{"period"});
    REQUIRE_FALSE(r.rejection().errors.empty());
    CHECK(r.rejection().errors[0].message.find("1 April 2026 to 31 March 2027") != std::string::npos);
  }
  // The first month of the service, drafted while its claim window is open.
  CHECK(s.Do("p1user", CreateClaimDraft{Ref("first", "P1", "FLU", "2026-04")}, At(2026, 5, 1)).ok());
  CHECK(s.Do("p1user", CreateClaimDraft{Ref("last", "P1", "FLU", "2027-03")}).ok());
  CHECK_FALSE(Period::Parse(Frequency::kQuarterly, "0000-Q1").has_value());
  CHECK_FALSE(Period::Parse(Frequency::kAnnual, "0000/01").has_value());
  CHECK_FALSE(Date::Parse("0000-01-01").has_value());
}

}  // namespace
}  // namespace ledger::core::testing
