// What counts as evidence: the accepted file types, decided by content, and
// the largest file. Pure; thread-safe.
//
// The content decides the type (magic bytes); the name and the declared media
// type may only agree with it. Accepted: PDF (%PDF-), PNG, JPEG, XLSX and DOCX
// (a ZIP whose central directory names [Content_Types].xml and xl/ or word/
// parts), plain text (valid UTF-8 without NUL or control characters other than
// tab, CR and LF) and CSV (plain text named .csv or declared as CSV, that
// parses as CSV). Text that opens with markup (<html, <!doctype, <script,
// <svg, <?xml, any tag) is refused, as is everything else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/rejection.h"

namespace ledger::core {

// The largest evidence file, in bytes (10 MiB). The one limit: the HTTP body
// limits of the upload routes are derived from it.
inline constexpr int64_t kEvidenceMaxBytes = 10 * 1024 * 1024;
static_assert(kEvidenceMaxBytes % (1024 * 1024) == 0, "EvidenceLimitText states the limit in whole MiB");
// "10 MiB (10485760 bytes)": the limit as messages and pages state it.
std::string EvidenceLimitText();

struct EvidenceType {
  std::string_view media_type;               // stored in the event and sent as Content-Type
  std::string_view label;                    // shown to people: "PDF", "Plain text"
  std::vector<std::string_view> extensions;  // lower case, the first is the default: {"jpg", "jpeg"}
};

// Every accepted type, in the order they are listed to people.
const std::vector<EvidenceType>& EvidenceTypes();
// The accepted type with this media type, or nullptr.
const EvidenceType* FindEvidenceType(std::string_view media_type);
// "PDF (.pdf), PNG (.png), ..., or plain text (.txt)": for messages.
std::string AcceptedEvidenceText();
// What people see for a stored content type: the label, or the media type
// itself for one that is not (or no longer) accepted.
std::string EvidenceLabel(std::string_view media_type);

// The name an uploaded file is recorded under: the last path component, valid
// UTF-8 (other bytes dropped), without control characters, quotes or
// semicolons, at most kEvidenceFilenameMaxBytes; "" when nothing is left.
inline constexpr std::size_t kEvidenceFilenameMaxBytes = 200;
std::string EvidenceFilename(std::string_view name);

// Rejection codes of DetectEvidenceType.
inline constexpr std::string_view kEvidenceEmpty = "evidence_empty";
inline constexpr std::string_view kEvidenceTooLarge = "evidence_too_large";
inline constexpr std::string_view kEvidenceTypeNotAccepted = "evidence_type_not_accepted";
inline constexpr std::string_view kEvidenceTypeMismatch = "evidence_type_mismatch";

// The accepted type of an upload, from its bytes; `filename` (may be "") and
// `declared` (the sender's media type, lower case without parameters; "" or
// application/octet-stream for none) must agree with it. A Rejection
// (kInvalid) with one of the codes above and a message that says why and
// lists the accepted types.
Outcome<const EvidenceType*> DetectEvidenceType(std::string_view bytes, std::string_view filename,
                                                std::string_view declared);

}  // namespace ledger::core
