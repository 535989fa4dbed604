#include "evidence_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "ledger/http/auth.h"
#include "ledger/http/problem.h"

namespace ledger::http::api {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A parameter of a header value: `name=value` or `name="value"`.
std::string HeaderParam(std::string_view header, std::string_view name) {
  std::string lower = Lower(header);
  std::string key = std::string(name) + "=";
  size_t at = 0;
  while ((at = lower.find(key, at)) != std::string::npos) {
    bool boundary = at == 0 || lower[at - 1] == ';' || lower[at - 1] == ' ';
    if (!boundary) {
      at += key.size();
      continue;
    }
    size_t start = at + key.size();
    if (start < header.size() && header[start] == '"') {
      size_t end = header.find('"', start + 1);
      if (end == std::string_view::npos) return "";
      return std::string(header.substr(start + 1, end - start - 1));
    }
    size_t end = header.find(';', start);
    std::string_view v = header.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return std::string(v);
  }
  return "";
}

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
  std::string boundary = HeaderParam(request.Header("content-type"), "boundary");
  if (boundary.empty()) return BadUpload("malformed_multipart", "The multipart body has no boundary.");
  std::string_view body = request.body;
  std::string delimiter = "--" + boundary;
  size_t at = body.find(delimiter);
  while (at != std::string_view::npos) {
    size_t part_start = at + delimiter.size();
    if (body.substr(part_start, 2) == "--") break;  // the closing delimiter
    if (body.substr(part_start, 2) != "\r\n")
      return BadUpload("malformed_multipart", "The multipart body is malformed.");
    part_start += 2;
    size_t headers_end = body.find("\r\n\r\n", part_start);
    if (headers_end == std::string_view::npos)
      return BadUpload("malformed_multipart", "The multipart body is malformed.");
    std::string_view headers = body.substr(part_start, headers_end - part_start);
    size_t content_start = headers_end + 4;
    size_t next = body.find("\r\n" + delimiter, content_start);
    if (next == std::string_view::npos)
      return BadUpload("malformed_multipart", "The multipart body is not closed.");
    std::string disposition, type;
    size_t line_start = 0;
    while (line_start <= headers.size()) {
      size_t line_end = headers.find("\r\n", line_start);
      std::string_view line = headers.substr(line_start, line_end == std::string_view::npos
                                                             ? std::string_view::npos
                                                             : line_end - line_start);
      size_t colon = line.find(':');
      if (colon != std::string_view::npos) {
        std::string name = Lower(line.substr(0, colon));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (name == "content-disposition") disposition = std::string(value);
        if (name == "content-type") type = MediaTypeOf(value);
      }
      if (line_end == std::string_view::npos) break;
      line_start = line_end + 2;
    }
    if (disposition.find("filename") != std::string::npos) {
      out->filename = core::EvidenceFilename(HeaderParam(disposition, "filename"));
      return Classify(body.substr(content_start, next - content_start), type, out);
    }
    at = next + 2;
  }
  return BadUpload("no_file", "The multipart body carries no file.");
}

}  // namespace

std::string MediaTypeOf(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  return Lower(type);
}

std::optional<Response> ReadUpload(const Request& request, Upload* out) {
  std::string type = MediaTypeOf(request.Header("content-type"));
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
  // filename= for old clients: printable ASCII, anything else '_'; filename*= the exact name (RFC 8187).
  static constexpr char kHex[] = "0123456789ABCDEF";
  static constexpr std::string_view kAttrChar = "!#$&+-.^_`|~";
  std::string fallback, encoded;
  for (unsigned char c : name) {
    bool printable = c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%';
    fallback.push_back(printable ? static_cast<char>(c) : '_');
    if (std::isalnum(c) || kAttrChar.find(static_cast<char>(c)) != std::string_view::npos) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += {'%', kHex[c >> 4], kHex[c & 0xF]};
    }
  }
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

std::filesystem::path EvidencePath(const std::filesystem::path& dir, std::string_view sha256) {
  return dir / std::string(sha256.substr(0, 2)) / std::string(sha256);
}

es::Status StoreEvidence(const std::filesystem::path& dir, std::string_view sha256, std::string_view bytes) {
  std::filesystem::path target = EvidencePath(dir, sha256);
  std::error_code ec;
  if (std::filesystem::exists(target, ec)) return es::Status::Ok();
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) return es::Status::IoError("cannot create " + target.parent_path().string() + ": " + ec.message());
  std::filesystem::path temp = target;
  temp += ".tmp-" + RandomHex(8);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return es::Status::IoError("cannot create " + temp.string() + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      std::filesystem::remove(temp, ec);
      return es::Status::IoError("cannot write " + temp.string() + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    std::filesystem::remove(temp, ec);
    return es::Status::IoError("cannot sync " + temp.string());
  }
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return es::Status::IoError("cannot rename into " + target.string());
  }
  return es::Status::Ok();
}

es::Result<std::string> ReadEvidence(const std::filesystem::path& dir, std::string_view sha256) {
  std::ifstream in(EvidencePath(dir, sha256), std::ios::binary);
  if (!in) return es::Status::NotFound("no evidence file " + std::string(sha256));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace ledger::http::api
