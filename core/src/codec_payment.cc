// Placeholder codec: encodes nothing and decodes nothing yet.
#include "codec_internal.h"
#include "variant_util.h"

namespace ledger::core::internal {

EncodedEvent EncodePaymentRunEvent(const PaymentRunEvent& event) {
  return {std::string(EventTypeName(Widen<Event>(event))), kCurrentSchemaVersion, {}};
}

DecodeResult DecodePaymentRunEvent(std::string_view, uint32_t, std::string_view) { return std::nullopt; }

boost::json::object PaymentRunEventToJson(const PaymentRunEvent&) { return {}; }

}  // namespace ledger::core::internal
