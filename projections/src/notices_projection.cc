// The notices projection: for each organisation, the events on its claims and
// offers that the home page's message centre tells people about, keyed by
// time; and each person's latest two sign-ins. Claim and offer events name
// their stream only, so the organisations a stream belongs to are kept from
// the event that opens it (ClaimDrafted, AdjustmentRaised, ServiceOffered).
#include <optional>
#include <string>
#include <type_traits>
#include <variant>

#include "ledger/core/domain.h"
#include "ledger/projections/keys.h"
#include "ledger/projections/notices.h"
#include "notice_rows.h"
#include "projection.h"
#include "row_codec.h"

namespace ledger::projections::internal {
namespace {

struct Owners {
  std::string provider, commissioner;
};

class NoticesProjection final : public Projection {
 public:
  std::string_view name() const override { return keys::kNoticesProjection; }
  std::string_view key_namespace() const override { return keys::kNoticesNamespace; }

  void Apply(const es::Envelope& env, const core::Event* event, Writer& w) override {
    if (event == nullptr) return;
    std::visit([&](const auto& e) { On(env, e, w); }, *event);
  }

 private:
  template <typename E>
  void On(const es::Envelope&, const E&, Writer&) {}  // every other event tells nobody anything

  void On(const es::Envelope& env, const core::ClaimDrafted& e, Writer& w) {
    KeepOwners(env.stream_id, e.claim.provider, e.claim.commissioner, w);
  }
  void On(const es::Envelope& env, const core::AdjustmentRaised& e, Writer& w) {
    KeepOwners(env.stream_id, e.claim.provider, e.claim.commissioner, w);
  }
  void On(const es::Envelope& env, const core::ClaimReturned& e, Writer& w) {
    Add(env, Claim(NoticeKind::kReturned, e.claim_id, e.at, e.reason, e.tier), w);
  }
  void On(const es::Envelope& env, const core::ClaimReturnedByProvider& e, Writer& w) {
    Add(env, Claim(NoticeKind::kReturnedByPractice, e.claim_id, e.at, e.reason), w);
  }
  void On(const es::Envelope& env, const core::ClaimRejected& e, Writer& w) {
    Add(env, Claim(NoticeKind::kRejected, e.claim_id, e.at, e.reason, e.tier), w);
  }
  void On(const es::Envelope& env, const core::PaymentHeld& e, Writer& w) {
    Add(env, Claim(NoticeKind::kHeld, e.claim_id, e.at, e.reason), w);
  }
  void On(const es::Envelope& env, const core::PaymentReleased& e, Writer& w) {
    Add(env, Claim(NoticeKind::kReleased, e.claim_id, e.at), w);
  }
  void On(const es::Envelope& env, const core::ClaimPaid& e, Writer& w) {
    Notice n = Claim(NoticeKind::kPaid, e.claim_id, e.at);
    n.amount = e.amount;
    n.reference = e.reference;
    Add(env, n, w);
  }
  void On(const es::Envelope& env, const core::ServiceOffered& e, Writer& w) {
    KeepOwners(env.stream_id, e.provider, e.commissioner, w);
    Notice n = Offer(NoticeKind::kOffered, e.service_id, e.provider, e.at);
    n.date = e.respond_by.ToString();
    Add(env, n, w);
  }
  void On(const es::Envelope& env, const core::OfferAccepted& e, Writer& w) {
    Add(env, Offer(NoticeKind::kOfferAccepted, e.service_id, e.provider, e.at), w);
  }
  void On(const es::Envelope& env, const core::OfferDeclined& e, Writer& w) {
    Notice n = Offer(NoticeKind::kOfferDeclined, e.service_id, e.provider, e.at);
    n.reason = e.reason;
    Add(env, n, w);
  }
  void On(const es::Envelope& env, const core::OfferWithdrawn& e, Writer& w) {
    Notice n = Offer(NoticeKind::kOfferWithdrawn, e.service_id, e.provider, e.at);
    n.reason = e.reason;
    Add(env, n, w);
  }
  void On(const es::Envelope&, const core::AccountSignedIn& e, Writer& w) {
    const std::string key = std::string(keys::kNoticeSignIns) + e.username;
    SignIns s;
    if (auto stored = w.Get(key)) DecodeSignIns(*stored, &s);
    if (e.at <= s.latest) return;  // an older sign-in replayed out of order changes nothing
    s.previous = s.latest;
    s.latest = e.at;
    w.Put(key, EncodeSignIns(s));
  }

  static Notice Claim(NoticeKind kind, const std::string& claim_id, core::Timestamp at, const std::string& reason = "",
                      std::optional<core::ApprovalTier> tier = std::nullopt) {
    Notice n;
    n.kind = kind;
    n.subject = claim_id;
    n.at = at;
    n.reason = reason;
    if (tier) n.tier = core::ApprovalTierName(*tier);
    return n;
  }
  static Notice Offer(NoticeKind kind, const std::string& service_id, const std::string& provider, core::Timestamp at) {
    Notice n;
    n.kind = kind;
    n.subject = service_id;
    n.provider = provider;
    n.at = at;
    return n;
  }

  static void KeepOwners(const std::string& stream, const std::string& provider, const std::string& commissioner,
                         Writer& w) {
    w.Put(std::string(keys::kNoticeOwners) + stream, RowWriter().S(provider).S(commissioner).Take());
  }

  // The notice under each organisation its stream belongs to.
  static void Add(const es::Envelope& env, Notice n, Writer& w) {
    auto stored = w.Get(std::string(keys::kNoticeOwners) + env.stream_id);
    if (!stored) return;  // a stream whose opening event is not known: nobody to tell
    RowReader r(*stored);
    Owners owners{r.S(), r.S()};
    if (!r.ok()) return;
    n.position = env.position;
    n.stream_id = env.stream_id;
    if (n.provider.empty()) n.provider = owners.provider;
    const std::string row = EncodeNotice(n);
    for (const std::string* org : {&owners.provider, &owners.commissioner}) {
      if (!org->empty()) w.Append(NoticeKey(*org, n.at, n.position), row);
    }
  }
};

}  // namespace

std::unique_ptr<Projection> MakeNoticesProjection() { return std::make_unique<NoticesProjection>(); }

}  // namespace ledger::projections::internal
