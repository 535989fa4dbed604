#include "ledger/app/event_visibility.h"

#include <type_traits>
#include <variant>

#include "ledger/core/codec.h"
#include "ledger/core/domain.h"
#include "ledger/core/organisation.h"
#include "ledger/core/streams.h"

namespace ledger::app {
namespace {

// Events nobody but the operator sees: the system's own streams, or streams we cannot place.
core::Scope SystemScope() {
  core::Scope s;
  s.org_code = std::string(core::kSystemOrgCode);
  return s;
}

core::Scope ProviderScope(const std::string& provider, const std::string& commissioner) {
  core::Scope s;
  s.provider_code = provider;
  s.commissioner_code = commissioner;
  return s;
}

core::Scope CommissionerScope(const std::string& commissioner) {
  core::Scope s;
  s.commissioner_code = commissioner;
  return s;
}

bool Empty(const core::Scope& s) {
  return s.provider_code.empty() && s.commissioner_code.empty() && s.org_code.empty();
}

}  // namespace

es::Result<core::LoadedStream> EventVisibility::Owners(const std::string& stream_id) {
  auto loaded = ledger_.StreamState(stream_id);
  if (loaded.ok() && loaded->version > 0) return loaded;
  return ledger_.bus().LoadStream(stream_id);  // not applied to the read models yet
}

core::Scope EventVisibility::ScopeOfOrg(const std::string& org_code) {
  auto loaded = Owners(core::OrgStream(org_code));
  if (!loaded.ok()) return SystemScope();
  const auto* org = std::get_if<core::OrgState>(&loaded->state);
  if (org == nullptr || !org->exists || org->kind == core::OrgKind::kSystem) return SystemScope();
  if (org->kind == core::OrgKind::kCommissioner) return CommissionerScope(org->code);
  return ProviderScope(org->code, org->commissioner_code);
}

core::Scope EventVisibility::ScopeOf(const es::Envelope& envelope) {
  const std::string& stream = envelope.stream_id;
  switch (core::KindOfStream(stream)) {
    case core::StreamKind::kOrg: return ScopeOfOrg(stream.substr(4));
    case core::StreamKind::kClaimKey: {
      auto event = core::Decode(envelope.type, envelope.schema_version, envelope.payload);
      if (!event.ok()) return SystemScope();
      if (const auto* e = std::get_if<core::ClaimKeyReserved>(&*event)) return ScopeOfOrg(e->provider);
      if (const auto* e = std::get_if<core::ClaimKeyReleased>(&*event)) return ScopeOfOrg(e->provider);
      return SystemScope();
    }
    default: break;
  }
  auto loaded = Owners(stream);
  if (!loaded.ok()) return SystemScope();
  core::Scope scope = std::visit(
      [&](const auto& state) -> core::Scope {
        using T = std::decay_t<decltype(state)>;
        if constexpr (std::is_same_v<T, core::ClaimState>) {
          return ProviderScope(state.claim.provider, state.claim.commissioner);
        } else if constexpr (std::is_same_v<T, core::AccountState>) {
          if (state.org_kind == core::OrgKind::kSystem) return SystemScope();
          if (state.org_kind == core::OrgKind::kCommissioner) return CommissionerScope(state.org_code);
          return ProviderScope(state.org_code, state.commissioner_code);
        } else if constexpr (std::is_same_v<T, core::ServiceState>) {
          return CommissionerScope(state.commissioner);
        } else if constexpr (std::is_same_v<T, core::OfferState>) {
          return ProviderScope(state.provider, state.commissioner);
        } else if constexpr (std::is_same_v<T, core::PaymentRunState>) {
          return CommissionerScope(state.commissioner);
        } else {
          return SystemScope();
        }
      },
      loaded->state);
  return Empty(scope) ? SystemScope() : scope;
}

bool EventVisibility::Visible(const es::Envelope& envelope) {
  core::Scope scope;
  {
    std::lock_guard lock(mu_);
    auto it = scopes_.find(envelope.stream_id);
    if (it != scopes_.end()) scope = it->second;
  }
  if (Empty(scope)) {
    scope = ScopeOf(envelope);
    std::lock_guard lock(mu_);
    if (scopes_.size() >= kRememberedStreams) scopes_.clear();  // resolving again is cheap; memory is bounded
    scopes_.emplace(envelope.stream_id, scope);
  }
  return authorize_(who_, action_, scope).allowed;
}

es::Result<Messages> MessagesFor(Ledger& ledger, const core::Principal& who,
                                 const EventVisibility::Authorize& authorize, size_t limit) {
  auto sign_ins = ledger.SignIns(who.username);
  if (!sign_ins.ok()) return sign_ins.status();
  Messages out;
  out.since = sign_ins->previous;
  // A claim's notice is for whoever may see the claim; an offer's for whoever
  // answers it (the practice) or makes offers (the commissioner).
  EventVisibility claims(ledger, who, authorize, core::Action::kViewClaim);
  EventVisibility answers(ledger, who, authorize, core::Action::kRespondToOffer);
  EventVisibility offers(ledger, who, authorize, core::Action::kManageOffers);
  auto visible = [&](const projections::Notice& n) {
    es::Envelope envelope;
    envelope.stream_id = n.stream_id;  // claim and offer streams are placed by their state alone
    if (core::KindOfStream(n.stream_id) == core::StreamKind::kClaim) return claims.Visible(envelope);
    return answers.Visible(envelope) || offers.Visible(envelope);
  };
  auto page = ledger.Notices(who.org_code, out.since, visible, limit);
  if (!page.ok()) return page.status();
  out.page = std::move(*page);
  return out;
}

}  // namespace ledger::app
