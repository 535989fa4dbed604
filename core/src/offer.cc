#include "ledger/core/offer.h"

#include "decide_support.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "variant_util.h"

namespace ledger::core {
namespace {

using internal::Overloaded;

}  // namespace

std::string_view OfferStatusName(OfferStatus status) {
  switch (status) {
    case OfferStatus::kNone: return "none";
    case OfferStatus::kPending: return "pending";
    case OfferStatus::kAccepted: return "accepted";
    case OfferStatus::kDeclined: return "declined";
    case OfferStatus::kWithdrawn: return "withdrawn";
  }
  return "unknown";
}

bool Participates(const OfferState& offer, const Period& period) {
  for (const ParticipationWindow& w : offer.participation) {
    if (w.start <= period.start && period.end <= w.end) return true;
  }
  return false;
}

OfferState EvolveOffer(OfferState state, const OfferEvent& event) {
  std::visit(Overloaded{
                 [&](const ServiceOffered& e) {
                   state.status = OfferStatus::kPending;
                   state.service_id = e.service_id;
                   state.provider = e.provider;
                   state.commissioner = e.commissioner;
                   state.start = e.start;
                   state.end = e.end;
                   state.respond_by = e.respond_by;
                 },
                 [&](const OfferAccepted& e) {
                   state.status = OfferStatus::kAccepted;
                   state.participation.push_back({e.start, e.end});
                 },
                 [&](const OfferDeclined&) { state.status = OfferStatus::kDeclined; },
                 [&](const OfferWithdrawn&) { state.status = OfferStatus::kWithdrawn; },
             },
             event);
  return state;
}

std::vector<std::string> StreamsForOffer(const OfferCommand& command) {
  return std::visit(Overloaded{
                        [](const OfferService& c) {
                          return std::vector<std::string>{OfferStream(c.service_id, c.provider),
                                                          ServiceStream(c.service_id), OrgStream(c.provider)};
                        },
                        [](const auto& c) { return std::vector<std::string>{OfferStream(c.service_id, c.provider)}; },
                    },
                    command);
}

Outcome<Decision> DecideOffer(const CommandMeta&, const OfferCommand&, const Loaded&) {
  return Rejection::Conflict("not_implemented", "Not available yet.");
}

}  // namespace ledger::core
