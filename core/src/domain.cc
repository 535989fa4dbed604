#include "ledger/core/domain.h"

#include <algorithm>

#include "decide_support.h"
#include "ledger/core/streams.h"
#include "variant_util.h"

namespace ledger::core {
namespace {

using internal::kIsAlternative;
using internal::Narrow;

std::vector<std::string> AggregateStreams(const Command& command) {
  return std::visit(
      [](const auto& c) -> std::vector<std::string> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (kIsAlternative<T, OrgCommand>)
          return StreamsForOrganisation(c);
        else if constexpr (kIsAlternative<T, AccountCommand>)
          return StreamsForAccount(c);
        else if constexpr (kIsAlternative<T, ServiceCommand>)
          return StreamsForService(c);
        else if constexpr (kIsAlternative<T, OfferCommand>)
          return StreamsForOffer(c);
        else if constexpr (kIsAlternative<T, ClaimCommand>)
          return StreamsForClaim(c);
        else if constexpr (kIsAlternative<T, PaymentRunCommand>)
          return StreamsForPaymentRun(c);
        else
          static_assert(internal::kAlwaysFalse<T>, "every command belongs to an aggregate");
      },
      command);
}

void AppendUnique(std::vector<std::string>& out, std::string stream) {
  if (std::find(out.begin(), out.end(), stream) == out.end()) out.push_back(std::move(stream));
}

// Folds `event` into `state` when the event belongs to the aggregate of S.
template <typename S, typename E, typename F>
AggregateState FoldIf(const S& state, const Event& event, F evolve) {
  auto narrowed = Narrow<E>(event);
  if (!narrowed) return state;
  return evolve(state, *narrowed);
}

// The aggregate state an event starts when the stream kind is unknown.
AggregateState FreshStateFor(const Event& event) {
  return std::visit(
      [](const auto& e) -> AggregateState {
        using T = std::decay_t<decltype(e)>;
        if constexpr (kIsAlternative<T, OrgEvent>)
          return OrgState{};
        else if constexpr (kIsAlternative<T, AccountEvent>)
          return AccountState{};
        else if constexpr (kIsAlternative<T, ServiceEvent>)
          return ServiceState{};
        else if constexpr (kIsAlternative<T, OfferEvent>)
          return OfferState{};
        else if constexpr (kIsAlternative<T, ClaimEvent>)
          return ClaimState{};
        else if constexpr (kIsAlternative<T, ClaimKeyEvent>)
          return ClaimKeyState{};
        else if constexpr (kIsAlternative<T, PaymentRunEvent>)
          return PaymentRunState{};
        else
          static_assert(internal::kAlwaysFalse<T>, "every event belongs to an aggregate");
      },
      event);
}

}  // namespace

std::vector<std::string> StreamsToRead(const CommandMeta& meta, const Command& command) {
  std::vector<std::string> out;
  if (!meta.actor.empty()) out.push_back(AccountStream(meta.actor));
  for (std::string& s : AggregateStreams(command)) AppendUnique(out, std::move(s));
  return out;
}

AggregateState InitialState(std::string_view stream_id) {
  switch (KindOfStream(stream_id)) {
    case StreamKind::kOrg: return OrgState{};
    case StreamKind::kAccount: return AccountState{};
    case StreamKind::kService: return ServiceState{};
    case StreamKind::kOffer: return OfferState{};
    case StreamKind::kClaim: return ClaimState{};
    case StreamKind::kClaimKey: return ClaimKeyState{};
    case StreamKind::kPaymentRun: return PaymentRunState{};
    case StreamKind::kUnknown: break;
  }
  return std::monostate{};
}

AggregateState Evolve(AggregateState state, const Event& event) {
  if (std::holds_alternative<std::monostate>(state)) state = FreshStateFor(event);
  return std::visit(
      internal::Overloaded{
          [](const std::monostate& s) -> AggregateState { return s; },
          [&](const OrgState& s) { return FoldIf<OrgState, OrgEvent>(s, event, EvolveOrganisation); },
          [&](const AccountState& s) { return FoldIf<AccountState, AccountEvent>(s, event, EvolveAccount); },
          [&](const ServiceState& s) { return FoldIf<ServiceState, ServiceEvent>(s, event, EvolveService); },
          [&](const OfferState& s) { return FoldIf<OfferState, OfferEvent>(s, event, EvolveOffer); },
          [&](const ClaimState& s) { return FoldIf<ClaimState, ClaimEvent>(s, event, EvolveClaim); },
          [&](const ClaimKeyState& s) { return FoldIf<ClaimKeyState, ClaimKeyEvent>(s, event, EvolveClaimKey); },
          [&](const PaymentRunState& s) {
            return FoldIf<PaymentRunState, PaymentRunEvent>(s, event, EvolvePaymentRun);
          },
      },
      state);
}

Outcome<Decision> Decide(const CommandMeta& meta, const Command& command, const Loaded& loaded) {
  if (auto errors = CommandTextProblems(command); !errors.empty()) {
    return internal::InvalidFields("invalid_text", "Some text cannot be stored: see the fields listed.",
                                   std::move(errors));
  }
  return std::visit(
      [&](const auto& c) -> Outcome<Decision> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (kIsAlternative<T, OrgCommand>)
          return DecideOrganisation(meta, c, loaded);
        else if constexpr (kIsAlternative<T, AccountCommand>)
          return DecideAccount(meta, c, loaded);
        else if constexpr (kIsAlternative<T, ServiceCommand>)
          return DecideService(meta, c, loaded);
        else if constexpr (kIsAlternative<T, OfferCommand>)
          return DecideOffer(meta, c, loaded);
        else if constexpr (kIsAlternative<T, ClaimCommand>)
          return DecideClaim(meta, c, loaded);
        else if constexpr (kIsAlternative<T, PaymentRunCommand>)
          return DecidePaymentRun(meta, c, loaded);
        else
          static_assert(internal::kAlwaysFalse<T>, "every command belongs to an aggregate");
      },
      command);
}

Principal PrincipalFrom(const AccountState& account) {
  Principal p;
  p.username = account.username;
  p.org_code = account.org_code;
  p.org_kind = account.org_kind;
  p.commissioner_code = account.commissioner_code;
  p.roles = account.roles;
  p.active = account.status == AccountStatus::kActive;
  return p;
}

Principal PrincipalFrom(const AccountState& account, const OrgState& org) {
  Principal p = PrincipalFrom(account);
  if (org.exists && org.code == account.org_code) {
    p.org_kind = org.kind;
    p.commissioner_code = org.commissioner_code;
  }
  return p;
}

Principal SystemPrincipal() {
  Principal p;
  p.username = "";
  p.org_code = std::string(kSystemOrgCode);
  p.org_kind = OrgKind::kSystem;
  p.roles.Add(Role::kOperator);
  p.active = true;
  return p;
}

}  // namespace ledger::core
