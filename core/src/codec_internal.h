// Internal: per-aggregate codecs behind the dispatcher in codec.cc.
//
// Each aggregate provides, for its own event variant:
//   Encode<X>Event     the FlatBuffers payload of one event
//   Decode<X>Event     nullopt when `type` is not one of its event types,
//                      otherwise the decoded event or a kInvalid rejection
//   <X>EventToJson     every field as JSON (without "type", which the dispatcher adds)
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/codec.h"
#include "ledger/core/domain.h"

namespace ledger::core::internal {

using DecodeResult = std::optional<Outcome<Event>>;

EncodedEvent EncodeOrgEvent(const OrgEvent& event);
DecodeResult DecodeOrgEvent(std::string_view type, uint32_t schema_version, std::string_view payload);
boost::json::object OrgEventToJson(const OrgEvent& event);

EncodedEvent EncodeAccountEvent(const AccountEvent& event);
DecodeResult DecodeAccountEvent(std::string_view type, uint32_t schema_version, std::string_view payload);
boost::json::object AccountEventToJson(const AccountEvent& event);

EncodedEvent EncodeServiceEvent(const ServiceEvent& event);
DecodeResult DecodeServiceEvent(std::string_view type, uint32_t schema_version, std::string_view payload);
boost::json::object ServiceEventToJson(const ServiceEvent& event);

EncodedEvent EncodeOfferEvent(const OfferEvent& event);
DecodeResult DecodeOfferEvent(std::string_view type, uint32_t schema_version, std::string_view payload);
boost::json::object OfferEventToJson(const OfferEvent& event);

EncodedEvent EncodeClaimEvent(const ClaimEvent& event);
DecodeResult DecodeClaimEvent(std::string_view type, uint32_t schema_version, std::string_view payload);
boost::json::object ClaimEventToJson(const ClaimEvent& event);

EncodedEvent EncodeClaimKeyEvent(const ClaimKeyEvent& event);
DecodeResult DecodeClaimKeyEvent(std::string_view type, uint32_t schema_version, std::string_view payload);
boost::json::object ClaimKeyEventToJson(const ClaimKeyEvent& event);

EncodedEvent EncodePaymentRunEvent(const PaymentRunEvent& event);
DecodeResult DecodePaymentRunEvent(std::string_view type, uint32_t schema_version, std::string_view payload);
boost::json::object PaymentRunEventToJson(const PaymentRunEvent& event);

// ---- Shared helpers (codec_support.cc) ------------------------------------

// The rejections every decoder uses.
Rejection UnsupportedSchemaVersion(std::string_view type, uint32_t schema_version);
Rejection CorruptPayload(std::string_view type);

// JSON forms of shared values.
boost::json::value DateJson(Date date);
boost::json::array RolesJson(const RoleSet& roles);
boost::json::array StringsJson(const std::vector<std::string>& strings);
boost::json::object FieldErrorJson(const FieldError& error);
// What ToJson shows instead of a password hash.
inline constexpr std::string_view kRedacted = "[redacted]";

}  // namespace ledger::core::internal
