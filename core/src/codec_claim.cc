// Placeholder codec: encodes nothing and decodes nothing yet.
#include "codec_internal.h"
#include "variant_util.h"

namespace ledger::core::internal {

EncodedEvent EncodeClaimEvent(const ClaimEvent& event) {
  return {std::string(EventTypeName(Widen<Event>(event))), kCurrentSchemaVersion, {}};
}

DecodeResult DecodeClaimEvent(std::string_view, uint32_t, std::string_view) { return std::nullopt; }

boost::json::object ClaimEventToJson(const ClaimEvent&) { return {}; }

}  // namespace ledger::core::internal

namespace ledger::core::internal {

EncodedEvent EncodeClaimKeyEvent(const ClaimKeyEvent& event) {
  return {std::string(EventTypeName(Widen<Event>(event))), kCurrentSchemaVersion, {}};
}

DecodeResult DecodeClaimKeyEvent(std::string_view, uint32_t, std::string_view) { return std::nullopt; }

boost::json::object ClaimKeyEventToJson(const ClaimKeyEvent&) { return {}; }

}  // namespace ledger::core::internal
