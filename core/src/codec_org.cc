// Placeholder codec: encodes nothing and decodes nothing yet.
#include "codec_internal.h"
#include "variant_util.h"

namespace ledger::core::internal {

EncodedEvent EncodeOrgEvent(const OrgEvent& event) {
  return {std::string(EventTypeName(Widen<Event>(event))), kCurrentSchemaVersion, {}};
}

DecodeResult DecodeOrgEvent(std::string_view, uint32_t, std::string_view) { return std::nullopt; }

boost::json::object OrgEventToJson(const OrgEvent&) { return {}; }

}  // namespace ledger::core::internal
