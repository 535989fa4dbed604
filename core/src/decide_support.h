// Internal helpers shared by the deciders: typed access to loaded streams,
// the acting principal, authorization and building decisions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/core/access.h"
#include "ledger/core/domain.h"
#include "ledger/core/rejection.h"
#include "ledger/core/streams.h"

namespace ledger::core::internal {

// The typed state of a loaded stream; the empty state when the stream is not
// loaded, does not exist or holds another aggregate.
template <typename S>
const S& StateOf(const Loaded& loaded, std::string_view stream_id) {
  static const S kEmpty{};
  auto it = loaded.find(stream_id);
  if (it == loaded.end()) return kEmpty;
  const S* state = std::get_if<S>(&it->second.state);
  return state ? *state : kEmpty;
}

// The principal issuing the command: the system for actor "", otherwise the
// actor's account. Rejects (kForbidden) an unknown or inactive actor.
Outcome<Principal> ActingPrincipal(const CommandMeta& meta, const Loaded& loaded);

// nullopt when allowed; otherwise the kForbidden rejection to return.
std::optional<Rejection> Deny(const Principal& who, Action action, const Scope& scope);

// The UTC date the command is issued on.
inline Date Today(const CommandMeta& meta) { return Date::FromTimestamp(meta.at); }

// A decision writing `events` to one stream.
Decision WriteTo(std::string stream_id, std::vector<Event> events);
// A decision that changes nothing (an idempotent repeat).
inline Decision NoChange() { return Decision{}; }

// The set of field errors as one kInvalid rejection.
Rejection InvalidFields(std::string code, std::string message, std::vector<FieldError> errors);

}  // namespace ledger::core::internal
