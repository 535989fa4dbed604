// Evidence files at the HTTP edge: reading an upload (raw body or multipart,
// ledger/http/multipart.h), its type decided by content (core/evidence.h), and
// serving a stored file as a download. Storage is app/evidence_store.h.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/core/claim.h"
#include "ledger/core/evidence.h"
#include "ledger/http/message.h"
#include "ledger/http/router.h"

namespace ledger::http {

// The body limit of the evidence upload routes (API and portal): the largest
// file (core::kEvidenceMaxBytes) and room for multipart framing and form
// fields. A larger body is 413 before it is read; a file over the limit
// inside a smaller body is 413 from ReadUpload.
inline constexpr std::size_t kEvidenceBodyLimit = static_cast<std::size_t>(core::kEvidenceMaxBytes) + 64 * kKiB;

struct Upload {
  std::string_view bytes;    // a view into the request body
  std::string filename;      // sanitised: no directories, quotes or control characters; valid UTF-8
  std::string content_type;  // the accepted type the bytes are (core::DetectEvidenceType)
};

// Reads the upload of a PUT: either the raw body (filename from ?filename= or
// Content-Disposition), or multipart/form-data (the first part carrying a
// file), and settles its type with core::DetectEvidenceType. Returns the
// answer when it is not acceptable: 413 over the limit, 415 for a type that is
// not accepted or a name or declared type that disagrees with the content
// (the detail lists the accepted types), 400 for an empty or malformed upload.
std::optional<Response> ReadUpload(const Request& request, Upload* out);

// The file name for a Content-Disposition: "" becomes "evidence.<ext>" of the type.
// Returns `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266, 8187).
std::string AttachmentDisposition(std::string_view filename, std::string_view content_type);
// A stored evidence file as a download: the detected Content-Type (text with
// charset=utf-8; a stored type no longer accepted as application/octet-stream),
// Content-Disposition attachment, X-Content-Type-Options: nosniff and a
// sandboxing Content-Security-Policy. Callers add their cache headers.
Response EvidenceDownload(std::string bytes, const core::Evidence& evidence);

}  // namespace ledger::http
