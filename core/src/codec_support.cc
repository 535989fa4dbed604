#include <string>

#include "codec_internal.h"
#include "variant_util.h"

namespace ledger::core::internal {

Rejection UnsupportedSchemaVersion(std::string_view type, uint32_t schema_version) {
  return Rejection::Invalid("unsupported_schema_version", "Event " + std::string(type) + " has schema version " +
                                                              std::to_string(schema_version) +
                                                              ", which this version cannot read.");
}

Rejection CorruptPayload(std::string_view type) {
  return Rejection::Invalid("corrupt_payload", "The payload of a " + std::string(type) + " event is not valid.");
}

boost::json::value DateJson(Date date) { return boost::json::value(date.ToString()); }

boost::json::array RolesJson(const RoleSet& roles) {
  boost::json::array out;
  for (Role r : roles.List()) out.emplace_back(RoleName(r));
  return out;
}

boost::json::array StringsJson(const std::vector<std::string>& strings) {
  boost::json::array out;
  for (const auto& s : strings) out.emplace_back(s);
  return out;
}

boost::json::object FieldErrorJson(const FieldError& error) {
  return {{"path", error.path}, {"code", error.code}, {"message", error.message}};
}

}  // namespace ledger::core::internal
