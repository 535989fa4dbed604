#include "ledger/http/evidence_upload.h"

#include "ledger/http/multipart.h"
#include "ledger/http/problem.h"

namespace ledger::http {
namespace {

Response BadUpload(std::string code, std::string message) {
  return ToResponse(problems::Validation("The evidence upload is not usable.",
                                         {core::FieldError{"evidence", std::move(code), std::move(message)}}));
}

// Settles the type from the bytes, the name and what was declared (core::DetectEvidenceType).
std::optional<Response> Classify(std::string_view bytes, const std::string& declared, Upload* out) {
  if (bytes.empty()) return BadUpload("empty", "The file is empty.");
  auto type = core::DetectEvidenceType(bytes, out->filename, declared);
  if (!type.ok()) return ProblemResponse(type.rejection());
  out->bytes = bytes;
  out->content_type = std::string((*type)->media_type);
  if (out->filename.empty()) out->filename = "evidence." + std::string((*type)->extensions.front());
  return std::nullopt;
}

std::optional<Response> ReadMultipart(const Request& request, Upload* out) {
  Multipart form = ParseMultipart(request);
  for (const MultipartPart& part : form.parts) {
    if (!part.filename) continue;
    out->filename = core::EvidenceFilename(*part.filename);
    return Classify(part.content, MediaTypeOf(part.content_type), out);
  }
  switch (form.error) {
    case Multipart::Error::kNone: break;
    case Multipart::Error::kNoBoundary: return BadUpload("malformed_multipart", "The multipart body has no boundary.");
    case Multipart::Error::kMalformed: return BadUpload("malformed_multipart", "The multipart body is malformed.");
    case Multipart::Error::kNotClosed: return BadUpload("malformed_multipart", "The multipart body is not closed.");
  }
  return BadUpload("no_file", "The multipart body carries no file.");
}

}  // namespace

std::optional<Response> ReadUpload(const Request& request, Upload* out) {
  std::string type = request.MediaType();
  if (type == "multipart/form-data") return ReadMultipart(request, out);
  std::string name = request.Query("filename");
  if (name.empty()) name = HeaderParam(request.Header("content-disposition"), "filename");
  out->filename = core::EvidenceFilename(name);
  return Classify(request.body, type, out);
}

std::string AttachmentDisposition(std::string_view filename, std::string_view content_type) {
  std::string name(filename);
  if (name.empty()) {
    const core::EvidenceType* type = core::FindEvidenceType(content_type);
    name = "evidence" + (type != nullptr ? "." + std::string(type->extensions.front()) : std::string());
  }
  // filename= for old clients: printable ASCII, anything else '_'; filename*= the exact name (RFC 8187 attr-char).
  std::string fallback;
  for (unsigned char c : name) {
    bool printable = c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%';
    fallback.push_back(printable ? static_cast<char>(c) : '_');
  }
  std::string encoded = PercentEncode(name, "!#$&+-.^_`|~");
  return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

Response EvidenceDownload(std::string bytes, const core::Evidence& evidence) {
  const core::EvidenceType* type = core::FindEvidenceType(evidence.content_type);
  std::string content_type = type == nullptr ? "application/octet-stream" : std::string(type->media_type);
  if (content_type.starts_with("text/")) content_type += "; charset=utf-8";
  Response r = Response::Text(200, std::move(bytes), content_type);
  r.Set("Content-Disposition", AttachmentDisposition(evidence.filename, evidence.content_type));
  r.Set("X-Content-Type-Options", "nosniff");
  r.Set("Content-Security-Policy", "default-src 'none'; sandbox");
  return r;
}

}  // namespace ledger::http
