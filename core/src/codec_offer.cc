// Placeholder codec: encodes nothing and decodes nothing yet.
#include "codec_internal.h"
#include "variant_util.h"

namespace ledger::core::internal {

EncodedEvent EncodeOfferEvent(const OfferEvent& event) {
  return {std::string(EventTypeName(Widen<Event>(event))), kCurrentSchemaVersion, {}};
}

DecodeResult DecodeOfferEvent(std::string_view, uint32_t, std::string_view) { return std::nullopt; }

boost::json::object OfferEventToJson(const OfferEvent&) { return {}; }

}  // namespace ledger::core::internal
