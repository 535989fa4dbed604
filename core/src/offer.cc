#include "ledger/core/offer.h"

#include "decide_support.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "variant_util.h"

namespace ledger::core {
namespace {

using internal::Deny;
using internal::NoChange;
using internal::Overloaded;
using internal::StateOf;
using internal::WriteTo;

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

Scope ScopeOf(const OfferState& offer) { return Scope{offer.provider, offer.commissioner, ""}; }

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

namespace {

bool Overlaps(const ParticipationWindow& w, Date start, Date end) { return w.start <= end && start <= w.end; }

std::vector<FieldError> OfferDateErrors(const OfferService& c, const ServiceState& service, Date today) {
  std::vector<FieldError> errors;
  if (c.end < c.start) errors.push_back({"end", "end_before_start", "The end date must not be before the start."});
  if (c.start < service.definition.start || c.end > service.definition.end) {
    errors.push_back({"dates", "outside_service",
                      "The offer must lie within the service's dates (" + service.definition.start.ToString() + " to " +
                          service.definition.end.ToString() + ")."});
  }
  if (c.respond_by < today) {
    errors.push_back({"respond_by", "in_the_past", "The respond-by date must not be in the past."});
  }
  return errors;
}

std::optional<Rejection> OfferConflict(const OfferState& offer, const OfferService& c) {
  if (offer.status == OfferStatus::kPending) {
    return Rejection::Conflict("offer_pending", "An offer of this service to this provider is awaiting a response.");
  }
  for (const ParticipationWindow& w : offer.participation) {
    if (Overlaps(w, c.start, c.end)) {
      return Rejection::Conflict("participation_overlaps", "The provider already takes part from " +
                                                               w.start.ToString() + " to " + w.end.ToString() + ".");
    }
  }
  return std::nullopt;
}

// The service, provider and offering commissioner checks, then the offer itself.
Outcome<Decision> Offer(const CommandMeta& meta, const Principal& who, const OfferService& c, const Loaded& loaded) {
  const auto& provider = StateOf<OrgState>(loaded, OrgStream(c.provider));
  if (!provider.exists || !IsProvider(provider.kind)) {
    return Rejection::NotFound("unknown_provider", "There is no provider " + c.provider + ".");
  }
  if (auto denied = Deny(who, Action::kManageOffers, {c.provider, provider.commissioner_code, ""})) return *denied;
  const auto& service = StateOf<ServiceState>(loaded, ServiceStream(c.service_id));
  if (service.status == ServiceStatus::kNone) {
    return Rejection::NotFound("unknown_service", "There is no service " + c.service_id + ".");
  }
  if (!MayOffer(service, provider.commissioner_code)) {
    return Rejection::Forbidden("service_not_shared", "The service is neither yours nor shared with you.");
  }
  if (service.status != ServiceStatus::kPublished) {
    return Rejection::Conflict("service_not_published", "Only a published service can be offered.");
  }
  if (auto errors = OfferDateErrors(c, service, internal::Today(meta)); !errors.empty()) {
    return internal::InvalidFields("invalid_offer", "The offer's dates need correcting.", std::move(errors));
  }
  const auto& offer = StateOf<OfferState>(loaded, OfferStream(c.service_id, c.provider));
  if (auto conflict = OfferConflict(offer, c)) return *conflict;
  return WriteTo(OfferStream(c.service_id, c.provider),
                 {ServiceOffered{c.service_id, c.provider, provider.commissioner_code, c.start, c.end, c.respond_by,
                                 meta.at}});
}

// The offer a response or withdrawal names, after checking `who` may act on it.
Outcome<const OfferState*> ExistingOffer(const Principal& who, const Loaded& loaded, std::string_view service_id,
                                         std::string_view provider, Action action) {
  const auto& offer = StateOf<OfferState>(loaded, OfferStream(service_id, provider));
  if (offer.status == OfferStatus::kNone) {
    return Rejection::NotFound("unknown_offer", "This service has not been offered to " + std::string(provider) + ".");
  }
  if (auto denied = Deny(who, action, {std::string(provider), offer.commissioner, ""})) return *denied;
  return &offer;
}

Rejection NotPending(const OfferState& offer) {
  return Rejection::Conflict("offer_not_pending",
                             "The offer is " + std::string(OfferStatusName(offer.status)) + ", not pending.");
}

// A response is allowed while pending and up to the respond-by date inclusive.
std::optional<Rejection> CheckRespondable(const OfferState& offer, const CommandMeta& meta) {
  if (offer.status != OfferStatus::kPending) return NotPending(offer);
  if (internal::Today(meta) > offer.respond_by) {
    return Rejection::Conflict("offer_expired", "The offer had to be answered by " + offer.respond_by.ToString() + ".");
  }
  return std::nullopt;
}

Outcome<Decision> Accept(const CommandMeta& meta, const Principal& who, const AcceptOffer& c, const Loaded& loaded) {
  auto offer = ExistingOffer(who, loaded, c.service_id, c.provider, Action::kRespondToOffer);
  if (!offer) return offer.rejection();
  const OfferState& o = *offer.value();
  if (o.status == OfferStatus::kAccepted) return NoChange();
  if (auto refused = CheckRespondable(o, meta)) return *refused;
  return WriteTo(OfferStream(c.service_id, c.provider),
                 {OfferAccepted{c.service_id, c.provider, o.start, o.end, meta.actor, meta.at}});
}

Outcome<Decision> Decline(const CommandMeta& meta, const Principal& who, const DeclineOffer& c, const Loaded& loaded) {
  auto offer = ExistingOffer(who, loaded, c.service_id, c.provider, Action::kRespondToOffer);
  if (!offer) return offer.rejection();
  const OfferState& o = *offer.value();
  if (o.status == OfferStatus::kDeclined) return NoChange();
  if (auto refused = CheckRespondable(o, meta)) return *refused;
  return WriteTo(OfferStream(c.service_id, c.provider),
                 {OfferDeclined{c.service_id, c.provider, c.reason, meta.actor, meta.at}});
}

Outcome<Decision> Withdraw(const CommandMeta& meta, const Principal& who, const WithdrawOffer& c,
                           const Loaded& loaded) {
  auto offer = ExistingOffer(who, loaded, c.service_id, c.provider, Action::kManageOffers);
  if (!offer) return offer.rejection();
  const OfferState& o = *offer.value();
  if (o.status == OfferStatus::kWithdrawn) return NoChange();
  if (o.status != OfferStatus::kPending) return NotPending(o);
  return WriteTo(OfferStream(c.service_id, c.provider),
                 {OfferWithdrawn{c.service_id, c.provider, c.reason, meta.actor, meta.at}});
}

}  // namespace

Outcome<Decision> DecideOffer(const CommandMeta& meta, const OfferCommand& command, const Loaded& loaded) {
  auto who = internal::ActingPrincipal(meta, loaded);
  if (!who) return who.rejection();
  const Principal& p = who.value();
  return std::visit(Overloaded{
                        [&](const OfferService& c) { return Offer(meta, p, c, loaded); },
                        [&](const AcceptOffer& c) { return Accept(meta, p, c, loaded); },
                        [&](const DeclineOffer& c) { return Decline(meta, p, c, loaded); },
                        [&](const WithdrawOffer& c) { return Withdraw(meta, p, c, loaded); },
                    },
                    command);
}

}  // namespace ledger::core
