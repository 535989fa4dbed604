// Claim decider. Placeholder bodies: the lifecycle rules are not implemented
// yet; DecideClaim refuses every command.
#include "ledger/core/claim.h"

#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "variant_util.h"

namespace ledger::core {
namespace {

// Every stream a claim command may need: the claim, its key reservation, the
// service (tariff), the participation, the provider and the commissioner.
std::vector<std::string> StreamsForRef(const ClaimRef& ref) {
  return {ClaimStream(ref.claim_id),       ClaimKeyStream(ref.provider, ref.service_id, ref.period),
          ServiceStream(ref.service_id),   OfferStream(ref.service_id, ref.provider),
          OrgStream(ref.provider),         OrgStream(ref.commissioner)};
}

}  // namespace

std::vector<std::string> StreamsForClaim(const ClaimCommand& command) {
  return std::visit(internal::Overloaded{
                        [](const RaiseAdjustment& c) {
                          auto streams = StreamsForRef(c.original);
                          streams.push_back(ClaimStream(c.adjustment_id));
                          return streams;
                        },
                        [](const auto& c) { return StreamsForRef(c.claim); },
                    },
                    command);
}

Outcome<Decision> DecideClaim(const CommandMeta&, const ClaimCommand&, const Loaded&) {
  return Rejection::Conflict("not_implemented", "Claims are not available yet.");
}

ClaimState EvolveClaim(ClaimState state, const ClaimEvent&) { return state; }

ClaimKeyState EvolveClaimKey(ClaimKeyState state, const ClaimKeyEvent&) { return state; }

}  // namespace ledger::core
