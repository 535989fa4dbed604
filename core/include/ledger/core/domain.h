// The uniform decider contract: every command of every aggregate goes through
// StreamsToRead -> (read + InitialState/Evolve per stream) -> Decide -> one
// atomic multi-stream append of Decision::writes, each stream at the version
// it was read at (0 = no stream). Pure functions; thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ledger/core/access.h"
#include "ledger/core/account.h"
#include "ledger/core/claim.h"
#include "ledger/core/offer.h"
#include "ledger/core/organisation.h"
#include "ledger/core/payment_run.h"
#include "ledger/core/rejection.h"
#include "ledger/core/service.h"
#include "ledger/core/text.h"
#include "ledger/core/types.h"

namespace ledger::core {

// Who issues a command, when, and under which ids (all from the caller).
struct CommandMeta {
  std::string command_id;
  std::string correlation_id;
  std::string actor;  // username; "" only for operator tooling acting as the system
  Timestamp at = 0;
  bool operator==(const CommandMeta&) const = default;
};

namespace internal {
template <typename... Vs>
struct VariantConcat;
template <typename... As>
struct VariantConcat<std::variant<As...>> {
  using type = std::variant<As...>;
};
template <typename... As, typename... Bs, typename... Rest>
struct VariantConcat<std::variant<As...>, std::variant<Bs...>, Rest...> {
  using type = typename VariantConcat<std::variant<As..., Bs...>, Rest...>::type;
};
}  // namespace internal

// Every command and every event of every aggregate, as one closed variant each.
using Command = typename internal::VariantConcat<OrgCommand, AccountCommand, ServiceCommand, OfferCommand, ClaimCommand,
                                                 PaymentRunCommand>::type;
using Event = typename internal::VariantConcat<OrgEvent, AccountEvent, ServiceEvent, OfferEvent, ClaimEvent,
                                               ClaimKeyEvent, PaymentRunEvent>::type;

using AggregateState = std::variant<std::monostate, OrgState, AccountState, ServiceState, OfferState, ClaimState,
                                    ClaimKeyState, PaymentRunState>;

struct LoadedStream {
  uint64_t version = 0;  // 0 = the stream does not exist
  AggregateState state;
};
using Loaded = std::map<std::string, LoadedStream, std::less<>>;

struct StreamWrite {
  std::string stream_id;
  std::vector<Event> events;
  bool operator==(const StreamWrite&) const = default;
};

struct Decision {
  std::vector<StreamWrite> writes;            // empty = nothing to do (an idempotent no-op)
  std::vector<FieldError> validation_errors;  // non-empty: the attempt is recorded in `writes`
                                              // (ClaimSubmissionFailed) and these are reported (HTTP 422)
  bool operator==(const Decision&) const = default;
};

// Every stream Decide needs to see or may write: the actor's account stream
// (unless the actor is the system), and the aggregate streams the command
// names. The actor's organisation kind and commissioner are recorded on the
// account itself, so the actor's organisation stream is not needed to
// authorize. No duplicates; deterministic order.
std::vector<std::string> StreamsToRead(const CommandMeta& meta, const Command& command);

// The empty state for a stream id, typed by its kind (monostate if unknown).
AggregateState InitialState(std::string_view stream_id);

// Folds one event into a stream's state; events of another aggregate leave it unchanged.
AggregateState Evolve(AggregateState state, const Event& event);

// Decides the command against the loaded streams (every stream StreamsToRead
// listed must be present in `loaded`, at version 0 when missing). Returns the
// writes, or the Rejection (forbidden, not found, invalid, conflict) that
// stored nothing. First of all, every text field of the command must follow
// the text rule of text.h (else kInvalid "invalid_text", every bad field named).
Outcome<Decision> Decide(const CommandMeta& meta, const Command& command, const Loaded& loaded);

// Every text field of a command with its path (as the API names the field,
// list items by index: "members.0", "components.1.name") and its kind.
// The const walk also visits map keys (component and question ids), at the
// map's path ("values", "answers"); the mutable walk cannot change keys.
using ConstTextVisitor = std::function<void(const std::string& path, const std::string& text, TextKind kind)>;
using TextVisitor = std::function<void(const std::string& path, std::string& text, TextKind kind)>;
void ForEachTextField(const Command& command, const ConstTextVisitor& visit);
void ForEachTextField(Command& command, const TextVisitor& visit);
// A field error for each text field of the command that breaks the text rule.
std::vector<FieldError> CommandTextProblems(const Command& command);

// The acting person, from their account and organisation (org may be an empty
// state: the account's own copy of the organisation's kind is then used).
Principal PrincipalFrom(const AccountState& account, const OrgState& org);
Principal PrincipalFrom(const AccountState& account);
// The system itself (operator tooling, actor ""): an active operator of SYSTEM.
Principal SystemPrincipal();

// ---- Per aggregate (dispatched to by Decide) ------------------------------

std::vector<std::string> StreamsForOrganisation(const OrgCommand& command);
std::vector<std::string> StreamsForAccount(const AccountCommand& command);
std::vector<std::string> StreamsForService(const ServiceCommand& command);
std::vector<std::string> StreamsForOffer(const OfferCommand& command);
std::vector<std::string> StreamsForClaim(const ClaimCommand& command);
std::vector<std::string> StreamsForPaymentRun(const PaymentRunCommand& command);

Outcome<Decision> DecideOrganisation(const CommandMeta& meta, const OrgCommand& command, const Loaded& loaded);
Outcome<Decision> DecideAccount(const CommandMeta& meta, const AccountCommand& command, const Loaded& loaded);
Outcome<Decision> DecideService(const CommandMeta& meta, const ServiceCommand& command, const Loaded& loaded);
Outcome<Decision> DecideOffer(const CommandMeta& meta, const OfferCommand& command, const Loaded& loaded);
Outcome<Decision> DecideClaim(const CommandMeta& meta, const ClaimCommand& command, const Loaded& loaded);
Outcome<Decision> DecidePaymentRun(const CommandMeta& meta, const PaymentRunCommand& command, const Loaded& loaded);

}  // namespace ledger::core
