// Evidence files at the edge: reading an upload (raw body or multipart),
// its type decided by content (core/evidence.h), storing it
// content-addressed, and serving it as a download.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/core/claim.h"
#include "ledger/core/evidence.h"
#include "ledger/eventstore/status.h"
#include "ledger/http/message.h"
#include "ledger/http/router.h"

namespace ledger::http::api {

// The body limit of the evidence upload routes (API and portal): the largest
// file (core::kEvidenceMaxBytes) and room for multipart framing and form
// fields. A larger body is 413 before it is read; a file over the limit
// inside a smaller body is 413 from ReadUpload.
inline constexpr std::size_t kEvidenceBodyLimit = static_cast<std::size_t>(core::kEvidenceMaxBytes) + 64 * kKiB;

struct Upload {
  std::string_view bytes;  // a view into the request body
  std::string filename;    // sanitised: no directories, quotes or control characters; valid UTF-8
  std::string content_type;  // the accepted type the bytes are (core::DetectEvidenceType)
};

// Reads the upload of a PUT: either the raw body (filename from ?filename= or
// Content-Disposition), or multipart/form-data (the first part carrying a
// file), and settles its type with core::DetectEvidenceType. Returns the
// answer when it is not acceptable: 413 over the limit, 415 for a type that is
// not accepted or a name or declared type that disagrees with the content
// (the detail lists the accepted types), 400 for an empty or malformed upload.
std::optional<Response> ReadUpload(const Request& request, Upload* out);

// The media type of a Content-Type value: lower case, without parameters or blanks.
std::string MediaTypeOf(std::string_view content_type);

// The file name for a Content-Disposition: "" becomes "evidence.<ext>" of the type.
// Returns `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266, 8187).
std::string AttachmentDisposition(std::string_view filename, std::string_view content_type);
// A stored evidence file as a download: the detected Content-Type (text with
// charset=utf-8; a stored type no longer accepted as application/octet-stream),
// Content-Disposition attachment, X-Content-Type-Options: nosniff and a
// sandboxing Content-Security-Policy. Callers add their cache headers.
Response EvidenceDownload(std::string bytes, const core::Evidence& evidence);

// <dir>/<sha[0..2]>/<sha>.
std::filesystem::path EvidencePath(const std::filesystem::path& dir, std::string_view sha256);
// Writes bytes to EvidencePath (temporary file, fsync, rename) unless already
// there. Thread-safe: racing writers of the same content are harmless.
es::Status StoreEvidence(const std::filesystem::path& dir, std::string_view sha256, std::string_view bytes);
// The bytes of a stored file; NotFound when absent.
es::Result<std::string> ReadEvidence(const std::filesystem::path& dir, std::string_view sha256);

}  // namespace ledger::http::api
