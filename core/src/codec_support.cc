#include <string>

#include "codec_internal.h"

namespace ledger::core::internal {

Rejection UnsupportedSchemaVersion(std::string_view type, uint32_t schema_version) {
  return Rejection::Invalid("unsupported_schema_version", "Event " + std::string(type) + " has schema version " +
                                                              std::to_string(schema_version) +
                                                              ", which this version cannot read.");
}

Rejection CorruptPayload(std::string_view type) {
  return Rejection::Invalid("corrupt_payload", "The payload of a " + std::string(type) + " event is not valid.");
}

}  // namespace ledger::core::internal
