// Internal: per-aggregate codecs behind the dispatcher in codec.cc.
//
// Each aggregate provides, for its own event variant:
//   Encode<X>Event     the FlatBuffers payload of one event
//   Decode<X>Event     nullopt when `type` is not one of its event types,
//                      otherwise the decoded event or a kInvalid rejection
#pragma once

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

EncodedEvent EncodeAccountEvent(const AccountEvent& event);
DecodeResult DecodeAccountEvent(std::string_view type, uint32_t schema_version, std::string_view payload);

EncodedEvent EncodeServiceEvent(const ServiceEvent& event);
DecodeResult DecodeServiceEvent(std::string_view type, uint32_t schema_version, std::string_view payload);

EncodedEvent EncodeOfferEvent(const OfferEvent& event);
DecodeResult DecodeOfferEvent(std::string_view type, uint32_t schema_version, std::string_view payload);

EncodedEvent EncodeClaimEvent(const ClaimEvent& event);
DecodeResult DecodeClaimEvent(std::string_view type, uint32_t schema_version, std::string_view payload);

EncodedEvent EncodeClaimKeyEvent(const ClaimKeyEvent& event);
DecodeResult DecodeClaimKeyEvent(std::string_view type, uint32_t schema_version, std::string_view payload);

EncodedEvent EncodePaymentRunEvent(const PaymentRunEvent& event);
DecodeResult DecodePaymentRunEvent(std::string_view type, uint32_t schema_version, std::string_view payload);

// ---- Shared helpers (codec_support.cc) ------------------------------------

// The rejections every decoder uses.
Rejection UnsupportedSchemaVersion(std::string_view type, uint32_t schema_version);
Rejection CorruptPayload(std::string_view type);

}  // namespace ledger::core::internal
