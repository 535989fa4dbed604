// multipart/form-data (RFC 7578): the one parser of uploaded forms, for the
// API's evidence upload and the portal's forms. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/http/message.h"

namespace ledger::http {

struct MultipartPart {
  std::string name;                     // the form field: Content-Disposition's name=
  std::optional<std::string> filename;  // Content-Disposition's filename= as sent, when present
  std::string content_type;             // the part's Content-Type as sent; "" when absent
  std::string_view content;             // a view into the request body
};

struct Multipart {
  enum class Error { kNone, kNoBoundary, kMalformed, kNotClosed };
  std::vector<MultipartPart> parts;  // in order; on an error, the parts read before it
  Error error = Error::kNone;
};

// Reads a multipart/form-data body with the boundary of its Content-Type.
// REQUIRES: `request` outlives the returned views (so a temporary is refused).
Multipart ParseMultipart(const Request& request);
Multipart ParseMultipart(const Request&& request) = delete;

// A parameter of a header value (`name=value` or `name="value"`, the name in
// any case): "" when absent or when a quoted value is not closed.
std::string HeaderParam(std::string_view header, std::string_view name);

}  // namespace ledger::http
