// Placeholder codec: encodes nothing and decodes nothing yet.
#include "codec_internal.h"
#include "variant_util.h"

namespace ledger::core::internal {

EncodedEvent EncodeAccountEvent(const AccountEvent& event) {
  return {std::string(EventTypeName(Widen<Event>(event))), kCurrentSchemaVersion, {}};
}

DecodeResult DecodeAccountEvent(std::string_view, uint32_t, std::string_view) { return std::nullopt; }

boost::json::object AccountEventToJson(const AccountEvent&) { return {}; }

}  // namespace ledger::core::internal
