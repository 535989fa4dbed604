// Property test: seeded random sequences of claim and payment-run commands,
// by random (and often wrong) actors, never break the invariants:
//   - no negative money except adjustments (recoveries);
//   - at most one decision per tier per submission of a claim;
//   - a claim is paid at most once;
//   - a payment run's total equals the sum of its claims, and every claim in
//     it was approved for payment (unheld) at the time;
//   - a claim key is held only by a live claim, and by at most one.
// LEDGER_PROPERTY_SEED=<n> replays one seed; the default runs fixed seeds.
#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <random>
#include <set>

#include "claim_world.h"
#include "ledger/core/codec.h"

namespace ledger::core::testing {
namespace {

struct Recorded {
  std::string stream;
  Event event;
};

class Driver {
 public:
  explicit Driver(uint64_t seed) : rng_(seed), world_(ClaimWorld()) {}

  void Step() {
    const Timestamp at = At(2026, 11, Pick(2, 30));
    // Mostly the next sensible step for a claim by a plausible actor, so that
    // sequences reach payment; otherwise anything by anyone.
    auto [command, actor] = Pick(0, 9) < 6 ? GuidedCommand() : std::pair{RandomCommand(), RandomActor()};
    auto result = world_.Do(actor, command, at);
    ++attempts_;
    if (!result.ok()) return;
    ++accepted_;
    for (const StreamWrite& w : result.value().writes) {
      for (const Event& e : w.events) log_.push_back({w.stream_id, e});
    }
  }

  const std::vector<Recorded>& log() const { return log_; }
  const Scenario& world() const { return world_; }
  int accepted() const { return accepted_; }
  int attempts() const { return attempts_; }

 private:
  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <typename T>
  const T& OneOf(const std::vector<T>& xs) {
    return xs[Pick(0, static_cast<int>(xs.size()) - 1)];
  }

  ClaimRef RandomRef() {
    const std::string id = "c" + std::to_string(Pick(0, 11));
    // A claim id keeps the keys it was created with; pick them from the id.
    const int n = std::stoi(id.substr(1));
    const std::string provider = n % 2 == 0 ? "P1" : "P2";
    const std::string service = n % 3 == 0 ? "FLU" : "SPEND";
    const std::string period = service == "FLU" ? kPeriod : Date::FromYmd(2026, 11, 1 + n % 3).ToString();
    return Ref(id, provider, service, period);
  }

  std::string RandomActor() {
    static const std::vector<std::string> kActors = {"p1user",  "p1approver", "p1admin", "p2user",    "p2approver",
                                                     "p2admin", "c1tier1",    "c1tier2", "c1finance", "c1dual",
                                                     "c1admin", "p3user",     "c2tier1"};
    return OneOf(kActors);
  }

  // Out-of-range values (-1, -5, 5001 to 5100) are refused when entered; no
  // values at all make the next submission fail (a required value missing).
  UnitValues RandomValues(const ClaimRef& ref) {
    if (ref.service_id == "FLU") {
      const int64_t v = Pick(-1, 5200);
      if (v > 5100) return {};
      return {{"vaccinations", v}};
    }
    static const std::vector<Pence> kAmounts = {0, 1, 99'999, 1'499'999, 1'500'000, 4'999'999, 5'000'000, -5};
    return {{"cost", OneOf(kAmounts)}};
  }

  std::vector<std::string> RandomClaimIds() {
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i) {
      if (Pick(0, 2) == 0) ids.push_back("c" + std::to_string(i));
    }
    for (int i = 0; i < 4; ++i) {
      if (Pick(0, 3) == 0) ids.push_back("a" + std::to_string(i));
    }
    return ids;
  }

  // A run's listed claims: usually exactly its own (read from the world).
  std::vector<std::string> RunClaims(const std::string& run_id) {
    std::vector<std::string> ids;
    for (const auto& line : world_.State<PaymentRunState>(PaymentRunStream(run_id)).claims)
      ids.push_back(line.claim_id);
    if (Pick(0, 9) == 0) ids.push_back("c0");
    return ids;
  }

  std::pair<Command, std::string> GuidedCommand() {
    const ClaimRef ref = RandomRef();
    const ClaimState& claim = ClaimOf(world_, ref.claim_id);
    const std::string preparer = ref.provider == "P1" ? "p1user" : "p2user";
    static const std::vector<std::string> kTier1 = {"c1tier1", "c1dual"};
    static const std::vector<std::string> kTier2 = {"c1tier2", "c1dual"};
    static const std::vector<std::string> kMoney = {"c1tier2", "c1finance"};
    const std::string run = "r" + std::to_string(Pick(0, 3));
    switch (claim.status) {
      case ClaimStatus::kNone: return {CreateClaimDraft{ref}, preparer};
      case ClaimStatus::kDraft:
      case ClaimStatus::kReturned:
        if (claim.values.empty() || Pick(0, 3) == 0) return {EnterClaimValues{ref, RandomValues(ref), {}}, preparer};
        return {SubmitClaim{ref}, preparer};
      case ClaimStatus::kAwaitingProviderApproval:
        return {ProviderApproveClaim{ref}, OneOf(std::vector<std::string>{"p2approver", "p2admin"})};
      case ClaimStatus::kAwaitingTier1:
        if (const int p = Pick(0, 19); p <= 1) {
          if (p == 0) return {ReturnClaim{ref, "Please amend"}, OneOf(kTier1)};
          return {WithdrawClaim{ref, "Claimed in error"}, preparer};
        }
        return {ApproveClaim{ref, ApprovalTier::kTier1}, OneOf(kTier1)};
      case ClaimStatus::kAwaitingTier2:
        if (Pick(0, 12) == 0) return {RejectClaim{ref, "values_incorrect", "Too high"}, OneOf(kTier2)};
        return {ApproveClaim{ref, ApprovalTier::kTier2}, OneOf(kTier2)};
      case ClaimStatus::kAwaitingFinance: return {ApproveClaim{ref, ApprovalTier::kFinance}, "c1finance"};
      case ClaimStatus::kApprovedForPayment:
        if (Pick(0, 9) == 0) return {HoldPayment{ref, "Query"}, OneOf(kMoney)};
        if (claim.payment_run.empty()) return {RunOf(run, {ref.claim_id}), OneOf(kMoney)};
        return {ConfirmPaymentRun{claim.payment_run, RunClaims(claim.payment_run)}, OneOf(kMoney)};
      case ClaimStatus::kPaymentHeld: return {ReleasePayment{ref}, OneOf(kMoney)};
      case ClaimStatus::kSentForPayment:
        return {MarkPaymentRunPaid{claim.payment_run, RunClaims(claim.payment_run), "REM-" + claim.payment_run},
                OneOf(kMoney)};
      case ClaimStatus::kPaid:
        return {RaiseAdjustment{ref, "a" + std::to_string(Pick(0, 3)), Pick(0, 1) ? -100 : 2'000'000, "Correction"},
                OneOf(kMoney)};
      default: return {RandomCommand(), RandomActor()};
    }
  }

  // A run over `claims` plus every other approved, unrun claim (new run ids
  // only, so that runs with several claims are common).
  Command RunOf(const std::string& run_id, std::vector<std::string> claims) {
    for (const auto& [stream, loaded] : world_.loaded()) {
      const auto* c = std::get_if<ClaimState>(&loaded.state);
      if (c && c->status == ClaimStatus::kApprovedForPayment && c->payment_run.empty() &&
          c->claim.claim_id != claims.front()) {
        claims.push_back(c->claim.claim_id);
      }
    }
    return CreatePaymentRun{
        run_id + "-" + std::to_string(attempts_), "C1", Date::FromYmd(2026, 11, 15), claims, 7, kHeadHash};
  }

  Command RandomCommand() {
    const ClaimRef ref = RandomRef();
    const std::string run = "r" + std::to_string(Pick(0, 3));
    switch (Pick(0, 16)) {
      case 0: return CreateClaimDraft{ref};
      case 1:
      case 2: return EnterClaimValues{ref, RandomValues(ref), {}};
      case 3: return AttachEvidence{ref, Evidence{kSha1, "log.pdf", "application/pdf", 10}};
      case 4: return Pick(0, 3) == 0 ? Command{DeleteClaimDraft{ref}} : Command{SubmitClaim{ref}};
      case 5: return SubmitClaim{ref};
      case 6: return ProviderApproveClaim{ref};
      case 7:
      case 8:
      case 9: return ApproveClaim{ref, static_cast<ApprovalTier>(Pick(0, 3))};
      case 10:
        return Pick(0, 1) ? Command{RejectClaim{ref, "other", "Not supported"}}
                          : Command{ReturnClaim{ref, "Please amend"}};
      case 11: return Pick(0, 3) == 0 ? Command{WithdrawClaim{ref, ""}} : Command{ProviderReturnClaim{ref, "Check"}};
      case 12: return Pick(0, 1) ? Command{HoldPayment{ref, "Query"}} : Command{ReleasePayment{ref}};
      case 13: return CreatePaymentRun{run, "C1", Date::FromYmd(2026, 11, 15), RandomClaimIds(), 7, kHeadHash};
      case 14: return ConfirmPaymentRun{run, RunClaims(run)};
      case 15: return MarkPaymentRunPaid{run, RunClaims(run), "REM-" + run};
      default: {
        static const std::vector<Pence> kAdjustments = {-100, -1'000'000, 250, 2'000'000, 0};
        return RaiseAdjustment{ref, "a" + std::to_string(Pick(0, 3)), OneOf(kAdjustments), "Correction"};
      }
    }
  }

  std::mt19937_64 rng_;
  Scenario world_;
  std::vector<Recorded> log_;
  int accepted_ = 0;
  int attempts_ = 0;
};

std::string ClaimIdOf(const std::string& stream) { return stream.substr(std::string("claim-").size()); }

void CheckInvariants(const Driver& d) {
  std::set<std::string> adjustments;
  std::map<std::string, int> submission;                       // claim -> submissions so far
  std::map<std::tuple<std::string, int, int>, int> decisions;  // (claim, submission, tier) -> count
  std::map<std::string, int> paid;
  std::map<std::string, ClaimStatus> status;     // claim -> status as of the event
  std::map<std::string, AggregateState> states;  // claim stream -> state so far
  for (const Recorded& r : d.log()) {
    std::visit(
        [&](const auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, AdjustmentRaised>) {
            adjustments.insert(e.claim.claim_id);
          } else if constexpr (std::is_same_v<T, ClaimSubmitted>) {
            ++submission[e.claim_id];
            if (!adjustments.count(e.claim_id)) CHECK(e.amount >= 0);
            CHECK(e.risk_band == RiskBandFor(e.amount < 0 ? -e.amount : e.amount));
          } else if constexpr (std::is_same_v<T, ClaimApprovedByProvider>) {
            ++decisions[{e.claim_id, submission[e.claim_id], 0}];
          } else if constexpr (std::is_same_v<T, ClaimReturnedByProvider>) {
            ++decisions[{e.claim_id, submission[e.claim_id], 0}];
          } else if constexpr (std::is_same_v<T, ClaimApprovedAtTier> || std::is_same_v<T, ClaimRejected> ||
                               std::is_same_v<T, ClaimReturned>) {
            ++decisions[{e.claim_id, submission[e.claim_id], static_cast<int>(e.tier)}];
          } else if constexpr (std::is_same_v<T, ClaimApprovedForPayment>) {
            if (!adjustments.count(e.claim_id)) CHECK(e.amount >= 0);
          } else if constexpr (std::is_same_v<T, ClaimPaid>) {
            ++paid[e.claim_id];
            if (!adjustments.count(e.claim_id)) CHECK(e.amount >= 0);
          } else if constexpr (std::is_same_v<T, PaymentRunCreated>) {
            Pence sum = 0;
            for (const PaymentRunLine& line : e.claims) {
              sum += line.amount;
              if (!adjustments.count(line.claim_id)) CHECK(line.amount >= 0);
              CHECK(status[line.claim_id] == ClaimStatus::kApprovedForPayment);
            }
            CHECK(e.total == sum);
            CHECK_FALSE(e.claims.empty());
          }
        },
        r.event);
    // Fold each claim stream as the events come, so later checks see the
    // status a claim had at that point of the log.
    if (KindOfStream(r.stream) == StreamKind::kClaim) {
      auto [it, fresh] = states.try_emplace(r.stream, InitialState(r.stream));
      it->second = Evolve(std::move(it->second), r.event);
      status[ClaimIdOf(r.stream)] = std::get<ClaimState>(it->second).status;
    }
  }
  for (const auto& [key, count] : decisions) {
    INFO("claim ", std::get<0>(key), " submission ", std::get<1>(key), " tier ", std::get<2>(key));
    CHECK(count <= 1);
  }
  for (const auto& [claim, count] : paid) {
    INFO("claim ", claim);
    CHECK(count == 1);
  }
  // The end state: paid claims went through every tier their submission needed,
  // each by a different person who neither prepared nor submitted it.
  for (const auto& [stream, loaded] : d.world().loaded()) {
    if (const auto* claim = std::get_if<ClaimState>(&loaded.state)) {
      if (claim->status != ClaimStatus::kPaid) continue;
      INFO("claim ", stream);
      CHECK(claim->decided_by.count(ApprovalTier::kTier1));
      CHECK(claim->decided_by.count(ApprovalTier::kTier2));
      CHECK(claim->decided_by.count(ApprovalTier::kFinance) == (claim->finance_approval_required ? 1u : 0u));
      std::set<std::string> people;
      for (const auto& [tier, by] : claim->decided_by) {
        people.insert(by);
        CHECK(by != claim->prepared_by);
        CHECK(by != claim->submitted_by);
      }
      CHECK(people.size() == claim->decided_by.size());
    }
    if (const auto* key = std::get_if<ClaimKeyState>(&loaded.state)) {
      if (key->holder.empty()) continue;
      INFO("key ", stream);
      const ClaimStatus s = ClaimOf(d.world(), key->holder).status;
      CHECK(s != ClaimStatus::kRejected);
      CHECK(s != ClaimStatus::kWithdrawn);
      CHECK(s != ClaimStatus::kDeleted);
      CHECK(s != ClaimStatus::kDraft);
    }
  }
}

TEST_CASE("random command sequences never break the claim and payment invariants") {
  std::vector<uint64_t> seeds = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  if (const char* env = std::getenv("LEDGER_PROPERTY_SEED")) seeds = {std::strtoull(env, nullptr, 10)};
  int paid_claims = 0;
  int runs_paid = 0;
  int steps = 0;
  std::set<std::string> seen;
  for (uint64_t seed : seeds) {
    INFO("seed ", seed);
    Driver d(seed);
    for (int step = 0; step < 700; ++step, ++steps) d.Step();
    CheckInvariants(d);
    for (const Recorded& r : d.log()) {
      seen.insert(std::string(EventTypeName(r.event)));
      if (std::holds_alternative<ClaimPaid>(r.event)) ++paid_claims;
      if (std::holds_alternative<PaymentRunPaid>(r.event)) ++runs_paid;
    }
    CHECK(d.accepted() > 0);
  }
  // The generator reaches the end of the lifecycle, so the invariants were exercised.
  CHECK(paid_claims > 0);
  CHECK(runs_paid > 0);
  for (const char* type : {"ClaimSubmissionFailed", "ClaimApprovedByProvider", "ClaimApprovedForPayment",
                           "ClaimRejected", "ClaimReturned", "ClaimWithdrawn", "PaymentHeld", "PaymentReleased",
                           "ClaimKeyReleased", "AdjustmentRaised", "PaymentRunConfirmed"}) {
    if (seeds.size() > 1) CHECK_MESSAGE(seen.count(type), std::string(type));
  }
  MESSAGE(steps, " steps, ", paid_claims, " claims paid in ", runs_paid, " runs, ", seen.size(), " event types");
}

}  // namespace
}  // namespace ledger::core::testing
