// Stream ids: where each aggregate's events live in the log.
//
//   org-<ODS code>                        an organisation (commissioner or provider)
//   account-<username>                    a person's account (the stream's existence reserves the username)
//   service-<service id>                  a service (scheme) with its tariff versions
//   offer-<service id>-<provider code>    an offer of a service to a provider and its participation
//   claim-<claim id>                      a claim
//   claimkey-<provider>-<service>-<period>  reservation: at most one live claim per provider/service/period
//   payrun-<run id>                       a payment run
//
// Ids and codes use [A-Za-z0-9._-] (1 to 64 characters); usernames [a-z0-9._-].
// The event store accepts these characters in stream ids. In a claim key the
// period's '/' (annual periods, "2026/27") is written as '_'.
#pragma once

#include <string>
#include <string_view>

namespace ledger::core {

std::string OrgStream(std::string_view org_code);
std::string AccountStream(std::string_view username);
std::string ServiceStream(std::string_view service_id);
std::string OfferStream(std::string_view service_id, std::string_view provider_code);
std::string ClaimStream(std::string_view claim_id);
std::string ClaimKeyStream(std::string_view provider_code, std::string_view service_id, std::string_view period);
std::string PaymentRunStream(std::string_view run_id);

// The aggregate kind of a stream id (its prefix before the first '-').
enum class StreamKind { kUnknown, kOrg, kAccount, kService, kOffer, kClaim, kClaimKey, kPaymentRun };
StreamKind KindOfStream(std::string_view stream_id);

// Whether `id` is a valid id/code/username for the streams above.
bool IsValidId(std::string_view id);
bool IsValidUsername(std::string_view username);

}  // namespace ledger::core
