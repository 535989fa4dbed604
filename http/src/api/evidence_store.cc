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

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool LooksLikeText(std::string_view bytes) {
  for (unsigned char c : bytes.substr(0, 64 * 1024)) {
    if (c == '\t' || c == '\r' || c == '\n') continue;
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
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

std::string SanitiseFilename(std::string_view name) {
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '"' || c == ';') continue;
    out.push_back(static_cast<char>(c));
    if (out.size() >= 200) break;
  }
  if (out == "." || out == "..") out.clear();
  return out;
}

std::string DefaultName(std::string_view type) {
  if (type == kPdf) return "evidence.pdf";
  if (type == kPng) return "evidence.png";
  if (type == kJpeg) return "evidence.jpg";
  if (type == kCsv) return "evidence.csv";
  return "evidence.xlsx";
}

bool IsOurType(std::string_view type) {
  return type == kPdf || type == kPng || type == kJpeg || type == kCsv || type == kXlsx;
}

Response WrongType() {
  return ToResponse(problems::UnsupportedMediaType(
      "a PDF, PNG, JPEG, CSV or XLSX file (application/pdf, image/png, image/jpeg, text/csv, "
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), as the raw body or multipart/form-data"));
}

Response BadUpload(std::string code, std::string message) {
  return ToResponse(problems::Validation("The evidence upload is not usable.",
                                         {core::FieldError{"evidence", std::move(code), std::move(message)}}));
}

// Settles the type from what was declared and what the bytes are.
std::optional<Response> Classify(std::string_view bytes, const std::string& declared, Upload* out) {
  if (bytes.empty()) return BadUpload("empty", "The file is empty.");
  std::string sniffed = SniffEvidenceType(bytes);
  if (sniffed.empty()) return WrongType();
  bool generic = declared.empty() || declared == "application/octet-stream";
  if (!generic && declared != sniffed) {
    // Spreadsheets saved as text are declared in several ways.
    bool csv_alias = sniffed == kCsv && (declared == "application/csv" || declared == "text/plain" ||
                                         declared == "application/vnd.ms-excel");
    if (!csv_alias) return WrongType();
  }
  out->bytes = bytes;
  out->content_type = sniffed;
  if (out->filename.empty()) out->filename = DefaultName(sniffed);
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
        if (name == "content-type") type = Lower(value.substr(0, value.find(';')));
      }
      if (line_end == std::string_view::npos) break;
      line_start = line_end + 2;
    }
    if (disposition.find("filename") != std::string::npos) {
      out->filename = SanitiseFilename(HeaderParam(disposition, "filename"));
      return Classify(body.substr(content_start, next - content_start), type, out);
    }
    at = next + 2;
  }
  return BadUpload("no_file", "The multipart body carries no file.");
}

}  // namespace

std::string SniffEvidenceType(std::string_view bytes) {
  if (StartsWith(bytes, "%PDF-")) return std::string(kPdf);
  if (StartsWith(bytes, std::string_view("\x89PNG\r\n\x1a\n", 8))) return std::string(kPng);
  if (StartsWith(bytes, "\xFF\xD8\xFF")) return std::string(kJpeg);
  if (StartsWith(bytes, std::string_view("PK\x03\x04", 4))) {
    // An Office Open XML workbook is a zip holding xl/ parts.
    if (bytes.find("[Content_Types].xml") != std::string_view::npos && bytes.find("xl/") != std::string_view::npos)
      return std::string(kXlsx);
    return "";
  }
  if (!bytes.empty() && LooksLikeText(bytes)) return std::string(kCsv);
  return "";
}

std::optional<Response> ReadUpload(const Request& request, Upload* out) {
  std::string type = request.MediaType();
  if (type == "multipart/form-data") return ReadMultipart(request, out);
  if (!type.empty() && type != "application/octet-stream" && !IsOurType(type) && type != "application/csv" &&
      type != "application/vnd.ms-excel") {
    return WrongType();
  }
  std::string name = request.Query("filename");
  if (name.empty()) name = HeaderParam(request.Header("content-disposition"), "filename");
  out->filename = SanitiseFilename(name);
  return Classify(request.body, type, out);
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
