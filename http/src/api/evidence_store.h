// Evidence files at the edge: reading an upload (raw body or multipart),
// checking its type by its first bytes, and storing it content-addressed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/eventstore/status.h"
#include "ledger/http/message.h"

namespace ledger::http::api {

// The media types evidence may have.
inline constexpr std::string_view kPdf = "application/pdf";
inline constexpr std::string_view kPng = "image/png";
inline constexpr std::string_view kJpeg = "image/jpeg";
inline constexpr std::string_view kCsv = "text/csv";
inline constexpr std::string_view kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// The type the bytes are, by their magic numbers (CSV: text without NUL
// bytes or control characters other than tab/CR/LF); "" when none of ours.
std::string SniffEvidenceType(std::string_view bytes);

struct Upload {
  std::string_view bytes;  // a view into the request body
  std::string filename;    // sanitised: no directories, quotes or control characters
  std::string content_type;  // one of the types above, checked against the bytes
};

// Reads the upload of a PUT: either the raw body (Content-Type one of ours or
// application/octet-stream; filename from ?filename= or Content-Disposition),
// or multipart/form-data (the first part carrying a file). Returns the answer
// when it is not acceptable: 415 for a type that is not ours or does not match
// the bytes, 400 for an empty or malformed upload.
std::optional<Response> ReadUpload(const Request& request, Upload* out);

// <dir>/<sha[0..2]>/<sha>.
std::filesystem::path EvidencePath(const std::filesystem::path& dir, std::string_view sha256);
// Writes bytes to EvidencePath (temporary file, fsync, rename) unless already
// there. Thread-safe: racing writers of the same content are harmless.
es::Status StoreEvidence(const std::filesystem::path& dir, std::string_view sha256, std::string_view bytes);
// The bytes of a stored file; NotFound when absent.
es::Result<std::string> ReadEvidence(const std::filesystem::path& dir, std::string_view sha256);

}  // namespace ledger::http::api
