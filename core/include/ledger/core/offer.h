// Offer aggregate (stream offer-<service>-<provider>): a commissioner offers a
// published service to a provider, who accepts or declines; accepted offers
// become participation windows. One stream holds successive offers.
//
//   OfferService -> pending -> AcceptOffer -> accepted (a participation window)
//                           -> DeclineOffer -> declined
//                           -> WithdrawOffer (commissioner) -> withdrawn
//   A new offer may follow a declined, withdrawn or accepted one (the latter
//   only for dates after every accepted window).
#pragma once

#include <boost/describe/class.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ledger/core/access.h"
#include "ledger/core/types.h"

namespace ledger::core {

enum class OfferStatus : uint8_t { kNone = 0, kPending = 1, kAccepted = 2, kDeclined = 3, kWithdrawn = 4 };
std::string_view OfferStatusName(OfferStatus status);  // "none", "pending", "accepted", "declined", "withdrawn"

// Accepted participation: claims are allowed for periods inside [start, end].
struct ParticipationWindow {
  Date start;
  Date end;  // inclusive
  bool operator==(const ParticipationWindow&) const = default;
};
BOOST_DESCRIBE_STRUCT(ParticipationWindow, (), (start, end))

// ---- Commands -------------------------------------------------------------

struct OfferService {
  std::string service_id;
  std::string provider;
  Date start;
  Date end;         // inclusive
  Date respond_by;  // inclusive; later responses are refused
  bool operator==(const OfferService&) const = default;
};
struct AcceptOffer {
  std::string service_id;
  std::string provider;
  bool operator==(const AcceptOffer&) const = default;
};
struct DeclineOffer {
  std::string service_id;
  std::string provider;
  std::string reason;
  bool operator==(const DeclineOffer&) const = default;
};
struct WithdrawOffer {
  std::string service_id;
  std::string provider;
  std::string reason;
  bool operator==(const WithdrawOffer&) const = default;
};
using OfferCommand = std::variant<OfferService, AcceptOffer, DeclineOffer, WithdrawOffer>;

// ---- Events ---------------------------------------------------------------

struct ServiceOffered {
  static constexpr std::string_view kTypeName = "ServiceOffered";
  std::string service_id;
  std::string provider;
  std::string commissioner;  // the offering commissioner (the provider's)
  Date start;
  Date end;
  Date respond_by;
  Timestamp at = 0;
  bool operator==(const ServiceOffered&) const = default;
};
BOOST_DESCRIBE_STRUCT(ServiceOffered, (), (service_id, provider, commissioner, start, end, respond_by, at))
struct OfferAccepted {
  static constexpr std::string_view kTypeName = "OfferAccepted";
  std::string service_id;
  std::string provider;
  Date start;
  Date end;
  std::string accepted_by;
  Timestamp at = 0;
  bool operator==(const OfferAccepted&) const = default;
};
BOOST_DESCRIBE_STRUCT(OfferAccepted, (), (service_id, provider, start, end, accepted_by, at))
struct OfferDeclined {
  static constexpr std::string_view kTypeName = "OfferDeclined";
  std::string service_id;
  std::string provider;
  std::string reason;
  std::string declined_by;
  Timestamp at = 0;
  bool operator==(const OfferDeclined&) const = default;
};
BOOST_DESCRIBE_STRUCT(OfferDeclined, (), (service_id, provider, reason, declined_by, at))
struct OfferWithdrawn {
  static constexpr std::string_view kTypeName = "OfferWithdrawn";
  std::string service_id;
  std::string provider;
  std::string reason;
  std::string withdrawn_by;
  Timestamp at = 0;
  bool operator==(const OfferWithdrawn&) const = default;
};
BOOST_DESCRIBE_STRUCT(OfferWithdrawn, (), (service_id, provider, reason, withdrawn_by, at))
using OfferEvent = std::variant<ServiceOffered, OfferAccepted, OfferDeclined, OfferWithdrawn>;

// ---- State ----------------------------------------------------------------

struct OfferState {
  OfferStatus status = OfferStatus::kNone;  // of the latest offer
  std::string service_id;
  std::string provider;
  std::string commissioner;
  Date start;  // of the latest offer
  Date end;
  Date respond_by;
  std::vector<ParticipationWindow> participation;  // every accepted window, ascending
  bool operator==(const OfferState&) const = default;
};
BOOST_DESCRIBE_STRUCT(OfferState, (),
                      (status, service_id, provider, commissioner, start, end, respond_by, participation))

// The access scope of an offer (core::Authorize): its provider and its
// commissioner. The API and the portal both authorize offers by this.
Scope ScopeOf(const OfferState& offer);

// Whether accepted participation covers the whole period.
bool Participates(const OfferState& offer, const Period& period);

// Folds one event into the state. Pure. DecideOffer is in domain.h.
OfferState EvolveOffer(OfferState state, const OfferEvent& event);

}  // namespace ledger::core
