#include "decide_support.h"

namespace ledger::core::internal {

Outcome<Principal> ActingPrincipal(const CommandMeta& meta, const Loaded& loaded) {
  if (meta.actor.empty()) return SystemPrincipal();
  const auto& account = StateOf<AccountState>(loaded, AccountStream(meta.actor));
  if (account.status == AccountStatus::kNone) {
    return Rejection::Forbidden("unknown_actor", "There is no account for " + meta.actor + ".");
  }
  if (account.status != AccountStatus::kActive) {
    return Rejection::Forbidden("account_inactive", "Your account is not active.");
  }
  return PrincipalFrom(account);
}

std::optional<Rejection> Deny(const Principal& who, Action action, const Scope& scope) {
  AccessDecision decision = Authorize(who, action, scope);
  if (decision.allowed) return std::nullopt;
  return Rejection::Forbidden("forbidden", std::move(decision.reason));
}

Decision WriteTo(std::string stream_id, std::vector<Event> events) {
  Decision d;
  d.writes.push_back(StreamWrite{std::move(stream_id), std::move(events)});
  return d;
}

Rejection InvalidFields(std::string code, std::string message, std::vector<FieldError> errors) {
  return Rejection::Invalid(std::move(code), std::move(message), std::move(errors));
}

}  // namespace ledger::core::internal
