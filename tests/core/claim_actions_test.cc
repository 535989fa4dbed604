// AvailableActions: what a person may do with a claim now. The table test
// runs every claim status (and the separation-of-duties and adjustment cases)
// x every person of the world x every claim action through the real decider,
// and checks the decider accepts exactly what AvailableActions lists.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "claim_world.h"

namespace ledger::core::testing {
namespace {

const std::vector<std::string> kEveryone = {"op",      "c1admin", "c1tier1",    "c1tier2", "c1finance", "c1auditor",
                                            "c1dual",  "c2admin", "c2tier1",    "p1admin", "p1user",    "p1approver",
                                            "p2admin", "p2user",  "p2approver", "p3admin", "p3user"};

Principal PrincipalOf(const Scenario& s, const std::string& username) {
  const AccountState& account = s.State<AccountState>(AccountStream(username));
  return PrincipalFrom(account, s.State<OrgState>(OrgStream(account.org_code)));
}

// The command of `action` on `claim` as an entry point builds it, with a valid payload.
Command CommandFor(ClaimAction action, const ClaimState& claim, const Principal& who) {
  const ClaimRef& ref = claim.claim;
  const std::optional<ApprovalTier> tier = TierToDecide(who, claim);
  const bool provider = tier == ApprovalTier::kProvider;
  auto cost = claim.values.contains("cost") ? claim.values.at("cost") : 0;
  switch (action) {
    case ClaimAction::kEdit: return EnterClaimValues{ref, {{"cost", cost + 1}}, claim.answers};
    case ClaimAction::kAttachEvidence:
      return AttachEvidence{ref, Evidence{kSha2, "invoice.pdf", "application/pdf", 99}};
    case ClaimAction::kRemoveEvidence: return RemoveEvidence{ref, kSha1};
    case ClaimAction::kDeleteDraft: return DeleteClaimDraft{ref};
    case ClaimAction::kSubmit: return SubmitClaim{ref};
    case ClaimAction::kWithdraw: return WithdrawClaim{ref, "No longer needed"};
    case ClaimAction::kApprove:
      if (provider) return ProviderApproveClaim{ref};
      return ApproveClaim{ref, tier.value_or(ApprovalTier::kTier1)};
    case ClaimAction::kReturn:
      if (provider) return ProviderReturnClaim{ref, "Attach the invoice"};
      return ReturnClaim{ref, "Attach the invoice", tier};
    case ClaimAction::kReject: return RejectClaim{ref, "other", "Not commissioned", tier};
    case ClaimAction::kHoldPayment: return HoldPayment{ref, "Query the invoice"};
    case ClaimAction::kReleasePayment: return ReleasePayment{ref};
    case ClaimAction::kRaiseAdjustment: return RaiseAdjustment{ref, ref.claim_id + "-adj", -100, "Overpaid"};
  }
  return SubmitClaim{ref};
}

// Whether the decider accepts the command and records something.
bool Accepted(const Outcome<Decision>& r) {
  return r.ok() && !r.value().writes.empty() && r.value().validation_errors.empty();
}

// A SPEND claim of `provider` for November `day`, drafted with one evidence file.
ClaimRef Draft(Scenario& s, const std::string& id, int day, const std::string& provider = "P1", Pence pence = 1'000) {
  const ClaimRef ref = Ref(id, provider, "SPEND", Date::FromYmd(2026, 11, day).ToString());
  const std::string user = provider == "P1" ? "p1user" : "p2user";
  DraftWith(s, ref, {{"cost", pence}}, user);
  REQUIRE(s.Do(user, AttachEvidence{ref, Evidence{kSha1, "register.pdf", "application/pdf", 1234}}).ok());
  return ref;
}

void Ok(Scenario& s, const std::string& user, const Command& c) {
  auto r = s.Do(user, c);
  REQUIRE_MESSAGE(Accepted(r), Refusal(r));
}

struct Case {
  std::string name;
  ClaimRef ref;
};

// One claim in every status, and the cases where the rules beyond the status decide.
std::vector<Case> EveryClaim(Scenario& s) {
  std::vector<Case> out;
  auto tier1 = [&](const std::string& id, int day, Pence pence = 1'000) {
    ClaimRef ref = Draft(s, id, day, "P1", pence);
    SubmitOk(s, ref);
    return ref;
  };
  // The claims approved for payment first: ApprovedSpendClaim takes the first free days.
  out.push_back({"approved for payment", ApprovedSpendClaim(s, "approved", 1'000)});
  ClaimRef in_run = ApprovedSpendClaim(s, "inrun", 1'000);
  s.Given(ClaimStream("inrun"), {ClaimAddedToPaymentRun{"inrun", "RUN1", Date::FromYmd(2026, 12, 1), Now()}});
  out.push_back({"approved for payment, in a payment run", in_run});
  ClaimRef held = ApprovedSpendClaim(s, "held", 1'000);
  Ok(s, "c1tier2", HoldPayment{held, "Query the invoice"});
  out.push_back({"payment held", held});
  ClaimRef sent = ApprovedSpendClaim(s, "sent", 1'000);
  s.Given(ClaimStream("sent"), {ClaimAddedToPaymentRun{"sent", "RUN1", Date::FromYmd(2026, 12, 1), Now()},
                                ClaimSentForPayment{"sent", "RUN1", Now()}});
  out.push_back({"sent for payment", sent});
  ClaimRef paid = ApprovedSpendClaim(s, "paid", 1'000);
  s.Given(ClaimStream("paid"),
          {ClaimAddedToPaymentRun{"paid", "RUN1", Date::FromYmd(2026, 12, 1), Now()},
           ClaimSentForPayment{"paid", "RUN1", Now()}, ClaimPaid{"paid", "RUN1", "REF1", 1'000, Now()}});
  out.push_back({"paid", paid});
  ClaimRef adjustment = paid;
  adjustment.claim_id = "paid-adj1";
  Ok(s, "c1tier2", RaiseAdjustment{paid, "paid-adj1", -100, "Overpaid"});
  REQUIRE(ClaimOf(s, "paid-adj1").status == ClaimStatus::kAwaitingTier1);
  out.push_back({"an adjustment awaiting tier 1", adjustment});
  ClaimRef practice = Draft(s, "practice", 2, "P2");
  SubmitOk(s, practice, "p2user");
  out.push_back({"awaiting provider approval", practice});
  out.push_back({"awaiting tier 1", tier1("tier1", 6)});
  ClaimRef tier2 = tier1("tier2", 7);
  ApproveOk(s, tier2, ApprovalTier::kTier1, "c1tier1");
  out.push_back({"awaiting tier 2", tier2});
  ClaimRef dual = tier1("dual", 8);
  ApproveOk(s, dual, ApprovalTier::kTier1, "c1dual");
  out.push_back({"awaiting tier 2, tier 1 approved by a dual-tier approver", dual});
  ClaimRef finance = tier1("finance", 9, 2'000'000);
  ApproveOk(s, finance, ApprovalTier::kTier1, "c1tier1");
  ApproveOk(s, finance, ApprovalTier::kTier2, "c1tier2");
  REQUIRE(ClaimOf(s, "finance").status == ClaimStatus::kAwaitingFinance);
  out.push_back({"awaiting finance", finance});
  ClaimRef returned = tier1("returned", 10);
  Ok(s, "c1tier1", ReturnClaim{returned, "Attach the invoice", std::nullopt});
  out.push_back({"returned", returned});
  ClaimRef rejected = tier1("rejected", 11);
  Ok(s, "c1tier1", RejectClaim{rejected, "other", "Not commissioned", std::nullopt});
  out.push_back({"rejected", rejected});
  ClaimRef withdrawn = tier1("withdrawn", 12);
  Ok(s, "p1user", WithdrawClaim{withdrawn, "No longer needed"});
  out.push_back({"withdrawn", withdrawn});
  out.push_back({"draft", Draft(s, "draft", 13)});
  ClaimRef deleted = Draft(s, "deleted", 14);
  Ok(s, "p1user", DeleteClaimDraft{deleted});
  out.push_back({"deleted", deleted});
  return out;
}

TEST_CASE("every status x every person x every action: the decider accepts exactly what AvailableActions lists") {
  Scenario s = ClaimWorld();
  std::vector<std::string> mismatches;
  int offered = 0;
  for (const Case& c : EveryClaim(s)) {
    const ClaimState& claim = ClaimOf(s, c.ref.claim_id);
    for (const std::string& person : kEveryone) {
      const Principal who = PrincipalOf(s, person);
      const std::vector<ClaimAction> available = AvailableActions(claim, who);
      for (int i = 0; i < kClaimActionCount; ++i) {
        const auto action = static_cast<ClaimAction>(i);
        const bool listed = std::find(available.begin(), available.end(), action) != available.end();
        CHECK(listed == MayTake(claim, who, action));
        auto r = s.When(person, CommandFor(action, claim, who));
        offered += listed ? 1 : 0;
        if (listed != Accepted(r)) {
          mismatches.push_back(c.name + " / " + person + " / " + std::string(ClaimActionName(action)) + ": listed " +
                               (listed ? "yes" : "no") + ", decider " +
                               (r.ok() ? (r.value().writes.empty() ? "no change" : "accepts") : Refusal(r)));
        }
      }
    }
  }
  std::string lines;
  for (const std::string& m : mismatches) lines += m + "\n";
  CHECK_MESSAGE(mismatches.empty(), lines);
  CHECK(offered > 40);
}

bool Lists(const ClaimState& claim, const Principal& who, std::vector<ClaimAction> expected) {
  return AvailableActions(claim, who) == expected;
}

TEST_CASE("the preparer may edit, attach and remove evidence, delete and submit a draft; nobody else may") {
  Scenario s = ClaimWorld();
  const ClaimState& draft = ClaimOf(s, Draft(s, "d1", 1).claim_id);
  using A = ClaimAction;
  CHECK(Lists(draft, PrincipalOf(s, "p1user"),
              {A::kEdit, A::kAttachEvidence, A::kRemoveEvidence, A::kDeleteDraft, A::kSubmit}));
  CHECK(Lists(draft, PrincipalOf(s, "c1tier1"), {}));
  CHECK(Lists(draft, PrincipalOf(s, "p2user"), {}));
  CHECK(Lists(draft, PrincipalOf(s, "p1admin"), {}));
}

TEST_CASE("a claim awaiting Tier 2 may be withdrawn by its provider, and decided only at Tier 2") {
  Scenario s = ClaimWorld();
  ClaimRef ref = Draft(s, "t2", 1);
  SubmitOk(s, ref);
  ApproveOk(s, ref, ApprovalTier::kTier1, "c1dual");
  const ClaimState& claim = ClaimOf(s, "t2");
  using A = ClaimAction;
  CHECK(Lists(claim, PrincipalOf(s, "p1user"), {A::kWithdraw}));
  CHECK(Lists(claim, PrincipalOf(s, "p1admin"), {A::kWithdraw}));
  CHECK(Lists(claim, PrincipalOf(s, "c1tier2"), {A::kApprove, A::kReturn, A::kReject}));
  CHECK(Lists(claim, PrincipalOf(s, "c1tier1"), {}));
  // Separation of duties: who approved at Tier 1 acts at no other tier of this submission.
  CHECK(Lists(claim, PrincipalOf(s, "c1dual"), {}));
}

TEST_CASE("a multi-level provider's approver approves or returns, never rejects; the commissioner waits") {
  Scenario s = ClaimWorld();
  ClaimRef ref = Draft(s, "pp", 1, "P2");
  SubmitOk(s, ref, "p2user");
  const ClaimState& claim = ClaimOf(s, "pp");
  using A = ClaimAction;
  CHECK(Lists(claim, PrincipalOf(s, "p2approver"), {A::kWithdraw, A::kApprove, A::kReturn}));
  CHECK(Lists(claim, PrincipalOf(s, "p2user"), {A::kWithdraw}));
  CHECK(Lists(claim, PrincipalOf(s, "c1tier1"), {}));
}

TEST_CASE("claim actions have stable snake_case names and statuses parse from their names and slugs") {
  CHECK(ClaimActionName(ClaimAction::kHoldPayment) == "hold_payment");
  CHECK(ClaimActionName(ClaimAction::kDeleteDraft) == "delete_draft");
  CHECK(ParseClaimStatus("Awaiting Tier 2 Approval") == ClaimStatus::kAwaitingTier2);
  CHECK(ParseClaimStatus("awaiting_tier_2_approval") == ClaimStatus::kAwaitingTier2);
  CHECK(ParseClaimStatus("None") == std::nullopt);
  CHECK(ParseClaimStatus("paid ") == std::nullopt);
  CHECK(StatusSnakeName(ClaimStatus::kReturned) == "returned_for_amendment");
}

}  // namespace
}  // namespace ledger::core::testing
