// The standard world (world.h) plus what claim tests need:
//   service SPEND of C1: one-off (period = the day of the activity), one money
//     component "cost" (0..£1,000,000.00), priced 1p per penny claimed, so a
//     claim's amount is exactly its value; accepted by P1 and P2. Its claims
//     default to 1 November 2026 (window 2 November to 1 December).
//   service CHECK of C1: monthly, every kind of rule (denominator/numerator,
//     yes/no, optional capped count, three required questions, evidence
//     required), threshold tariff (>= 50% pays £500, >= 75% pays £1,000);
//     accepted by P1.
// Claims are for October 2026 (window 1 to 30 November 2026); "now" is
// 15 November 2026.
#pragma once

#include <string>

#include "world.h"

namespace ledger::core::testing {

inline const std::string kPeriod = "2026-10";
inline const std::string kSha1 = std::string(64, 'a');
inline const std::string kSha2 = std::string(64, 'b');

inline const std::string kSpendPeriod = "2026-11-01";

inline ClaimRef Ref(const std::string& id, const std::string& provider = "P1", const std::string& service = "FLU",
                    const std::string& period = "") {
  const std::string commissioner = provider == "P3" ? "C2" : "C1";
  const std::string p = !period.empty() ? period : service == "SPEND" ? kSpendPeriod : kPeriod;
  return ClaimRef{id, provider, commissioner, service, p};
}

inline ServiceDefinition SpendDefinition() {
  ServiceDefinition d = FluDefinition();
  d.code = "SPEND";
  d.name = "Care home support costs";
  d.frequency = Frequency::kOneOff;
  d.components = {Component{"cost", "Costs incurred", UnitKind::kMoney, 0, 100'000'000, true, ""}};
  d.questions = {};
  return d;
}

inline ServiceDefinition CheckDefinition() {
  ServiceDefinition d = FluDefinition();
  d.code = "CHECK";
  d.name = "Diabetes foot checks";
  d.components = {
      Component{"eligible", "Patients eligible", UnitKind::kPercentage, 0, 10'000, true, ""},
      Component{"checked", "Patients checked", UnitKind::kPercentage, 0, 10'000, true, "eligible"},
      Component{"clinic_held", "Clinic held", UnitKind::kYesNo, 0, 1, true, ""},
      Component{"home_visits", "Home visits", UnitKind::kCount, 0, 100, false, ""},
  };
  d.questions = {
      Question{"lead", "Who led the clinic?", QuestionKind::kText, true},
      Question{"sessions", "How many sessions were run?", QuestionKind::kNumber, true},
      Question{"podiatry", "Was a podiatrist present?", QuestionKind::kYesNo, true},
  };
  d.evidence_required = true;
  return d;
}

inline Tariff PennyTariff() {
  Tariff t;
  t.effective_from = Date::FromYmd(2026, 4, 1);
  t.payment_type = PaymentType::kItemOfService;
  t.unit_rates = {ComponentRate{"cost", 1}};
  return t;
}

inline Tariff CheckTariff() {
  Tariff t;
  t.effective_from = Date::FromYmd(2026, 4, 1);
  t.payment_type = PaymentType::kThreshold;
  t.numerator_component = "checked";
  t.denominator_component = "eligible";
  t.tiers = {ThresholdTier{5000, 50'000}, ThresholdTier{7500, 100'000}};
  return t;
}

inline void AddService(Scenario& s, const std::string& id, ServiceDefinition d, Tariff t,
                       std::initializer_list<std::string> providers) {
  s.Given(ServiceStream(id), {ServiceDefined{id, "C1", std::move(d), Now()}, TariffVersionAdded{id, t, Now()},
                              ServicePublished{id, Now()}});
  const Date start = Date::FromYmd(2026, 4, 1);
  const Date end = Date::FromYmd(2027, 3, 31);
  for (const std::string& p : providers) {
    s.Given(OfferStream(id, p), {ServiceOffered{id, p, "C1", start, end, Date::FromYmd(2026, 3, 31), Now()},
                                 OfferAccepted{id, p, start, end, p == "P1" ? "p1admin" : "p2admin", Now()}});
  }
}

inline Scenario ClaimWorld() {
  Scenario s = StandardWorld();
  AddService(s, "SPEND", SpendDefinition(), PennyTariff(), {"P1", "P2"});
  AddService(s, "CHECK", CheckDefinition(), CheckTariff(), {"P1"});
  return s;
}

inline const ClaimState& ClaimOf(const Scenario& s, const std::string& id) {
  return s.State<ClaimState>(ClaimStream(id));
}

// Creates a draft and enters `values` as `user`; REQUIREs both to be accepted.
inline void DraftWith(Scenario& s, const ClaimRef& ref, UnitValues values, const std::string& user = "p1user",
                      Answers answers = {}) {
  auto created = s.Do(user, CreateClaimDraft{ref});
  REQUIRE_MESSAGE(created.ok(), Refusal(created));
  auto entered = s.Do(user, EnterClaimValues{ref, std::move(values), std::move(answers)});
  REQUIRE_MESSAGE(entered.ok(), Refusal(entered));
}

// Submits and REQUIREs a valid submission.
inline void SubmitOk(Scenario& s, const ClaimRef& ref, const std::string& user = "p1user") {
  auto r = s.Do(user, SubmitClaim{ref});
  REQUIRE_MESSAGE(r.ok(), Refusal(r));
  std::string errors;
  for (const FieldError& e : r.value().validation_errors) errors += e.path + ":" + e.code + " ";
  REQUIRE_MESSAGE(r.value().validation_errors.empty(), errors);
}

inline void ApproveOk(Scenario& s, const ClaimRef& ref, ApprovalTier tier, const std::string& user) {
  auto r = s.Do(user, ApproveClaim{ref, tier});
  REQUIRE_MESSAGE(r.ok(), Refusal(r));
}

// A SPEND claim of `pence` by the provider, for the first day of November
// 2026 it has no claim for yet, submitted and approved up to Approved for
// Payment (Finance too when needed).
inline ClaimRef ApprovedSpendClaim(Scenario& s, const std::string& id, Pence pence,
                                   const std::string& provider = "P1") {
  std::string period;
  for (int day = 1; day <= 14 && period.empty(); ++day) {
    const std::string p = Date::FromYmd(2026, 11, day).ToString();
    if (s.State<ClaimKeyState>(ClaimKeyStream(provider, "SPEND", p)).holder.empty()) period = p;
  }
  REQUIRE(!period.empty());
  const ClaimRef ref = Ref(id, provider, "SPEND", period);
  const std::string user = provider == "P1" ? "p1user" : "p2user";
  DraftWith(s, ref, {{"cost", pence}}, user);
  SubmitOk(s, ref, user);
  if (provider == "P2") REQUIRE(s.Do("p2approver", ProviderApproveClaim{ref}).ok());
  ApproveOk(s, ref, ApprovalTier::kTier1, "c1tier1");
  ApproveOk(s, ref, ApprovalTier::kTier2, "c1tier2");
  if (ClaimOf(s, id).status == ClaimStatus::kAwaitingFinance) ApproveOk(s, ref, ApprovalTier::kFinance, "c1finance");
  REQUIRE(ClaimOf(s, id).status == ClaimStatus::kApprovedForPayment);
  return ref;
}

inline const std::string kHeadHash = std::string(64, 'c');

// The codes of the errors, in order.
inline std::vector<std::string> Codes(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const FieldError& e : errors) out.push_back(e.code);
  return out;
}

}  // namespace ledger::core::testing
