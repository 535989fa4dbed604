#include "ledger/core/codec.h"

#include <cstdint>
#include <vector>

#include "codec_internal.h"
#include "ledger/base/aligned.h"
#include "ledger/core/event_json.h"
#include "variant_util.h"

namespace ledger::core {

using internal::kAlwaysFalse;
using internal::kIsAlternative;

EncodedEvent Encode(const Event& event) {
  return std::visit(
      [](const auto& e) -> EncodedEvent {
        using T = std::decay_t<decltype(e)>;
        if constexpr (kIsAlternative<T, OrgEvent>)
          return internal::EncodeOrgEvent(e);
        else if constexpr (kIsAlternative<T, AccountEvent>)
          return internal::EncodeAccountEvent(e);
        else if constexpr (kIsAlternative<T, ServiceEvent>)
          return internal::EncodeServiceEvent(e);
        else if constexpr (kIsAlternative<T, OfferEvent>)
          return internal::EncodeOfferEvent(e);
        else if constexpr (kIsAlternative<T, ClaimEvent>)
          return internal::EncodeClaimEvent(e);
        else if constexpr (kIsAlternative<T, ClaimKeyEvent>)
          return internal::EncodeClaimKeyEvent(e);
        else if constexpr (kIsAlternative<T, PaymentRunEvent>)
          return internal::EncodePaymentRunEvent(e);
        else
          static_assert(kAlwaysFalse<T>, "every event belongs to an aggregate");
      },
      event);
}

Outcome<Event> Decode(std::string_view type, uint32_t schema_version, std::string_view payload) {
  // FlatBuffers reads scalars in place, and its verifier checks alignment
  // relative to the buffer's start: a payload that does not start on an
  // 8-byte boundary (a caller's bytes need not) is decoded from an aligned
  // copy. The decoded event owns its data, so the copy may go afterwards.
  base::AlignedCopy copy;
  payload = copy.Aligned(payload);
  using Decoder = internal::DecodeResult (*)(std::string_view, uint32_t, std::string_view);
  static constexpr Decoder kDecoders[] = {
      internal::DecodeOrgEvent,        internal::DecodeAccountEvent, internal::DecodeServiceEvent,
      internal::DecodeOfferEvent,      internal::DecodeClaimEvent,   internal::DecodeClaimKeyEvent,
      internal::DecodePaymentRunEvent,
  };
  for (Decoder decode : kDecoders) {
    if (auto result = decode(type, schema_version, payload)) return std::move(*result);
  }
  return Rejection::Invalid("unknown_event_type", "Unknown event type " + std::string(type) + ".");
}

boost::json::object ToJson(const Event& event) {
  boost::json::object out = std::visit([](const auto& e) { return FieldsJson(e); }, event);
  out["type"] = EventTypeName(event);
  return out;
}

std::string_view EventTypeName(const Event& event) {
  return std::visit([](const auto& e) -> std::string_view { return std::decay_t<decltype(e)>::kTypeName; }, event);
}

}  // namespace ledger::core
