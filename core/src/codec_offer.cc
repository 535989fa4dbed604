// Offer events <-> FlatBuffers tables of core/schema/offer_events.fbs, from
// the events' descriptions (codec_described.h).
#include "codec_described.h"
#include "offer_events_generated.h"

namespace ledger::core::internal {
namespace {

namespace fb = ::ledger::fb::offer;

constexpr DecoderEntry kDecoders[] = {
    Described<ServiceOffered, fb::ServiceOffered>(),
    Described<OfferAccepted, fb::OfferAccepted>(),
    Described<OfferDeclined, fb::OfferDeclined>(),
    Described<OfferWithdrawn, fb::OfferWithdrawn>(),
};

}  // namespace

EncodedEvent EncodeOfferEvent(const OfferEvent& event) { return EncodeVariant(event, BuildOrder::kReverseFields); }

DecodeResult DecodeOfferEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeByType(kDecoders, type, schema_version, payload);
}

}  // namespace ledger::core::internal
