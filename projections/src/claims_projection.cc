// The claims projection: claim status rows (versioned), the claim and provider
// locators, open worklist entries, rejection/return reasons, and the unit
// components of each service (so that claimed units can be counted).
#include <type_traits>

#include "claim_row.h"
#include "ledger/core/codec.h"
#include "ledger/projections/keys.h"
#include "projection.h"
#include "row_codec.h"

namespace ledger::projections::internal {
namespace {

using core::ClaimStatus;

template <typename T, typename Variant>
struct IsAlternativeOf;
template <typename T, typename... Ts>
struct IsAlternativeOf<T, std::variant<Ts...>> : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {};

std::string ServiceFactsKey(std::string_view service_id) {
  return std::string(keys::kClaimServiceFacts).append(service_id);
}
std::string LocatorKey(std::string_view claim_id) { return std::string(keys::kClaimLocator).append(claim_id); }

std::string WorklistKey(std::string_view org, std::string_view role, uint64_t since, std::string_view claim_id) {
  std::string key(keys::kWorklist);
  key.append(org).push_back('|');
  key.append(role).push_back('|');
  AppendBE64(&key, since);
  key.push_back('|');
  key.append(claim_id);
  return key;
}

// The components whose values count as "units" (count components, and the
// numerators of percentage pairs).
std::string EncodeServiceFacts(const core::ServiceDefinition& definition) {
  std::vector<std::string> unit_components;
  for (const core::Component& c : definition.components) {
    if (c.unit_kind == core::UnitKind::kCount || !c.numerator_of.empty()) unit_components.push_back(c.id);
  }
  return RowWriter().Strings(unit_components).Take();
}

class ClaimsProjection final : public Projection {
 public:
  std::string_view name() const override { return keys::kClaimsProjection; }
  std::string_view key_namespace() const override { return keys::kClaimsNamespace; }

  void Apply(const es::Envelope& envelope, const core::Event* event, Writer& w) override {
    if (event == nullptr) return;
    std::visit(
        [&](const auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, core::ServiceDefined> || std::is_same_v<T, core::ServiceDraftEdited>) {
            w.Put(ServiceFactsKey(e.service_id), EncodeServiceFacts(e.definition));
          } else if constexpr (IsAlternativeOf<T, core::ClaimEvent>::value) {
            ApplyClaimEvent(envelope, e, w);
          }
        },
        *event);
  }

 private:
  template <typename E>
  void ApplyClaimEvent(const es::Envelope& env, const E& e, Writer& w) {
    ClaimView c;
    if constexpr (std::is_same_v<E, core::ClaimDrafted>) {
      Start(&c, e.claim);
      w.Put(LocatorKey(c.claim_id), c.commissioner);
      w.Put(std::string(keys::kClaimsByProvider).append(c.provider).append("|").append(c.claim_id), c.commissioner);
    } else if constexpr (std::is_same_v<E, core::AdjustmentRaised>) {
      Start(&c, e.claim);
      w.Put(LocatorKey(c.claim_id), c.commissioner);
      w.Put(std::string(keys::kClaimsByProvider).append(c.provider).append("|").append(c.claim_id), c.commissioner);
    } else {
      std::optional<std::string> commissioner = w.Get(LocatorKey(e.claim_id));
      if (!commissioner) return;  // an event for a claim never drafted: nothing to show
      std::optional<Versioned> current = w.GetCurrent(keys::kClaimTable, Logical({*commissioner, e.claim_id}));
      if (!current || !DecodeClaimRow(current->row, &c)) return;
    }
    const ClaimStatus old_status = c.status;
    const std::string old_role = c.holder_role, old_org = c.holder_org;
    const uint64_t old_since = c.status_since_position;

    Evolve(env, e, &c, w);
    c.last_actor = env.actor_id;
    if (c.status != old_status) {
      c.status_since_position = env.position;
      c.status_since_at = e.at;
    }
    HolderFor(c, &c.holder_role, &c.holder_org);
    if (c.holder_role != old_role || c.holder_org != old_org || c.status_since_position != old_since) {
      if (!old_role.empty()) w.Delete(WorklistKey(old_org, old_role, old_since, c.claim_id));
      if (!c.holder_role.empty())
        w.Put(WorklistKey(c.holder_org, c.holder_role, c.status_since_position, c.claim_id), "");
    }
    w.PutVersioned(keys::kClaimTable, Logical({c.commissioner, c.claim_id}), EncodeClaimRow(c), env.position);
  }

  static void Start(ClaimView* c, const core::ClaimRef& ref) {
    c->claim_id = ref.claim_id;
    c->commissioner = ref.commissioner;
    c->provider = ref.provider;
    c->service_id = ref.service_id;
    c->period = ref.period;
  }

  static void Mark(ClaimView* c, Stage s, core::Timestamp at) { c->stage_at[static_cast<int>(s)] = at; }

  void RecordReason(const es::Envelope& env, const ClaimView& c, std::string_view kind, std::string_view tier,
                    std::string_view code, std::string_view reason, core::Timestamp at, Writer& w) {
    std::string key(keys::kReasons);
    key.append(c.commissioner).push_back('|');
    AppendBE64(&key, env.position);
    RowWriter row;
    row.S(c.claim_id).S(c.service_id).S(c.provider).S(c.period).S(kind).S(tier).S(code).S(reason).S(env.actor_id).I(at);
    w.Put(key, row.Take());
  }

  int64_t CountUnits(const std::string& service_id, const core::UnitValues& values, Writer& w) {
    std::optional<std::string> facts = w.Get(ServiceFactsKey(service_id));
    int64_t units = 0;
    if (!facts) {
      for (const auto& [id, v] : values) units += v;
      return units;
    }
    RowReader r(*facts);
    for (const std::string& id : r.Strings()) {
      if (auto it = values.find(id); it != values.end()) units += it->second;
    }
    return units;
  }

  void Evolve(const es::Envelope& env, const core::ClaimDrafted& e, ClaimView* c, Writer&) {
    c->status = ClaimStatus::kDraft;
    c->prepared_by = e.prepared_by;
    Mark(c, Stage::kDrafted, e.at);
    (void)env;
  }
  void Evolve(const es::Envelope&, const core::ClaimValuesEntered&, ClaimView*, Writer&) {}
  void Evolve(const es::Envelope&, const core::EvidenceAttached& e, ClaimView* c, Writer&) {
    for (const std::string& h : c->evidence) {
      if (h == e.evidence.sha256) return;
    }
    c->evidence.push_back(e.evidence.sha256);
  }
  void Evolve(const es::Envelope&, const core::EvidenceRemoved& e, ClaimView* c, Writer&) {
    std::erase(c->evidence, e.sha256);
  }
  void Evolve(const es::Envelope&, const core::ClaimDraftDeleted& e, ClaimView* c, Writer&) {
    c->status = ClaimStatus::kDeleted;
    Mark(c, Stage::kDeleted, e.at);
  }
  void Evolve(const es::Envelope&, const core::ClaimSubmissionFailed& e, ClaimView* c, Writer&) {
    ++c->failed_submissions;
    Mark(c, Stage::kSubmissionFailed, e.at);
  }
  void Evolve(const es::Envelope&, const core::ClaimSubmitted& e, ClaimView* c, Writer& w) {
    c->status = e.provider_approval_required ? ClaimStatus::kAwaitingProviderApproval : ClaimStatus::kAwaitingTier1;
    c->amount = e.amount;
    c->risk_band = e.risk_band;
    c->list_size = e.list_size;
    c->units = CountUnits(c->service_id, e.values, w);
    c->submitted_by = e.submitted_by;
    c->evidence_in_force = e.evidence;
    c->provider_approval_required = e.provider_approval_required;
    c->finance_approval_required = e.finance_approval_required;
    if (c->submissions == 0) Mark(c, Stage::kFirstSubmitted, e.at);
    ++c->submissions;
    for (Stage s : {Stage::kProviderApproved, Stage::kTier1Approved, Stage::kTier2Approved, Stage::kFinanceApproved}) {
      Mark(c, s, 0);
    }
    Mark(c, Stage::kSubmitted, e.at);
  }
  void Evolve(const es::Envelope&, const core::ClaimApprovedByProvider& e, ClaimView* c, Writer&) {
    c->status = ClaimStatus::kAwaitingTier1;
    Mark(c, Stage::kProviderApproved, e.at);
  }
  void Evolve(const es::Envelope& env, const core::ClaimReturnedByProvider& e, ClaimView* c, Writer& w) {
    c->status = ClaimStatus::kReturned;
    ++c->returns;
    c->last_reason_code.clear();
    c->last_reason = e.reason;
    Mark(c, Stage::kReturned, e.at);
    RecordReason(env, *c, "returned", core::ApprovalTierName(core::ApprovalTier::kProvider), "", e.reason, e.at, w);
  }
  void Evolve(const es::Envelope&, const core::ClaimApprovedAtTier& e, ClaimView* c, Writer&) {
    switch (e.tier) {
      case core::ApprovalTier::kProvider:
        c->status = ClaimStatus::kAwaitingTier1;
        Mark(c, Stage::kProviderApproved, e.at);
        break;
      case core::ApprovalTier::kTier1:
        c->status = ClaimStatus::kAwaitingTier2;
        Mark(c, Stage::kTier1Approved, e.at);
        break;
      case core::ApprovalTier::kTier2:
        c->status = c->finance_approval_required ? ClaimStatus::kAwaitingFinance : ClaimStatus::kApprovedForPayment;
        Mark(c, Stage::kTier2Approved, e.at);
        break;
      case core::ApprovalTier::kFinance:
        c->status = ClaimStatus::kApprovedForPayment;
        Mark(c, Stage::kFinanceApproved, e.at);
        break;
    }
    if (c->status == ClaimStatus::kApprovedForPayment && c->At(Stage::kApprovedForPayment) == 0) {
      Mark(c, Stage::kApprovedForPayment, e.at);
    }
  }
  void Evolve(const es::Envelope&, const core::ClaimApprovedForPayment& e, ClaimView* c, Writer&) {
    c->status = ClaimStatus::kApprovedForPayment;
    c->amount = e.amount;
    Mark(c, Stage::kApprovedForPayment, e.at);
  }
  void Evolve(const es::Envelope& env, const core::ClaimRejected& e, ClaimView* c, Writer& w) {
    c->status = ClaimStatus::kRejected;
    c->last_reason_code = e.reason_code;
    c->last_reason = e.reason;
    Mark(c, Stage::kRejected, e.at);
    RecordReason(env, *c, "rejected", core::ApprovalTierName(e.tier), e.reason_code, e.reason, e.at, w);
  }
  void Evolve(const es::Envelope& env, const core::ClaimReturned& e, ClaimView* c, Writer& w) {
    c->status = ClaimStatus::kReturned;
    ++c->returns;
    c->last_reason_code.clear();
    c->last_reason = e.reason;
    Mark(c, Stage::kReturned, e.at);
    RecordReason(env, *c, "returned", core::ApprovalTierName(e.tier), "", e.reason, e.at, w);
  }
  void Evolve(const es::Envelope&, const core::ClaimWithdrawn& e, ClaimView* c, Writer&) {
    c->status = ClaimStatus::kWithdrawn;
    c->last_reason = e.reason;
    Mark(c, Stage::kWithdrawn, e.at);
  }
  void Evolve(const es::Envelope& env, const core::PaymentHeld& e, ClaimView* c, Writer&) {
    c->status = ClaimStatus::kPaymentHeld;
    c->hold_reason = e.reason;
    c->held_by = e.held_by.empty() ? env.actor_id : e.held_by;
    Mark(c, Stage::kHeld, e.at);
  }
  void Evolve(const es::Envelope&, const core::PaymentReleased& e, ClaimView* c, Writer&) {
    c->status = ClaimStatus::kApprovedForPayment;
    c->hold_reason.clear();
    c->held_by.clear();
    Mark(c, Stage::kReleased, e.at);
  }
  void Evolve(const es::Envelope&, const core::ClaimAddedToPaymentRun& e, ClaimView* c, Writer&) {
    c->payment_run = e.run_id;
    c->pay_date = e.pay_date.ToString();
    Mark(c, Stage::kAddedToPaymentRun, e.at);
  }
  void Evolve(const es::Envelope&, const core::ClaimSentForPayment& e, ClaimView* c, Writer&) {
    c->status = ClaimStatus::kSentForPayment;
    c->payment_run = e.run_id;
    Mark(c, Stage::kSentForPayment, e.at);
  }
  void Evolve(const es::Envelope&, const core::ClaimPaid& e, ClaimView* c, Writer&) {
    c->status = ClaimStatus::kPaid;
    c->payment_run = e.run_id;
    c->payment_reference = e.reference;
    c->paid_amount = e.amount != 0 ? e.amount : c->amount;
    Mark(c, Stage::kPaid, e.at);
  }
  void Evolve(const es::Envelope&, const core::AdjustmentRaised& e, ClaimView* c, Writer&) {
    // An adjustment is a new linked claim; its ClaimSubmitted follows at once.
    c->status = ClaimStatus::kDraft;
    c->original_claim_id = e.original_claim_id;
    c->amount = e.amount;
    c->prepared_by = e.raised_by;
    c->last_reason = e.reason;
    Mark(c, Stage::kDrafted, e.at);
  }
};

}  // namespace

std::unique_ptr<Projection> MakeClaimsProjection() { return std::make_unique<ClaimsProjection>(); }

core::Timestamp EventTime(const core::Event& event) {
  return std::visit([](const auto& e) -> core::Timestamp { return e.at; }, event);
}

}  // namespace ledger::projections::internal
