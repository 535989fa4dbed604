#include "ledger/http/multipart.h"

namespace ledger::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// Where `name=` starts as a parameter of a lower-cased header value, or npos.
size_t ParamAt(std::string_view lower, std::string_view key) {
  for (size_t at = lower.find(key); at != std::string_view::npos; at = lower.find(key, at + key.size())) {
    if (at == 0 || lower[at - 1] == ';' || lower[at - 1] == ' ') return at;
  }
  return std::string_view::npos;
}

bool HasParam(std::string_view header, std::string_view name) {
  return ParamAt(Lower(header), Lower(name) + "=") != std::string_view::npos;
}

// Fills a part's name, filename and type from its header block.
void ReadPartHeaders(std::string_view headers, MultipartPart* part) {
  std::string disposition;
  while (!headers.empty()) {
    size_t eol = headers.find("\r\n");
    std::string_view line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (HeaderNameEquals(line.substr(0, colon), "content-disposition")) disposition = std::string(value);
    if (HeaderNameEquals(line.substr(0, colon), "content-type")) part->content_type = std::string(value);
  }
  part->name = HeaderParam(disposition, "name");
  if (HasParam(disposition, "filename") || HasParam(disposition, "filename*")) {
    part->filename = HeaderParam(disposition, "filename");
  }
}

}  // namespace

std::string HeaderParam(std::string_view header, std::string_view name) {
  const size_t at = ParamAt(Lower(header), Lower(name) + "=");
  if (at == std::string_view::npos) return "";
  const size_t start = at + name.size() + 1;
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

Multipart ParseMultipart(const Request& request) {
  Multipart out;
  std::string boundary = HeaderParam(request.Header("content-type"), "boundary");
  if (boundary.empty()) {
    out.error = Multipart::Error::kNoBoundary;
    return out;
  }
  std::string_view body = request.body;
  const std::string delimiter = "--" + boundary;
  size_t at = body.find(delimiter);
  while (at != std::string_view::npos) {
    size_t part_start = at + delimiter.size();
    if (body.substr(part_start, 2) == "--") return out;  // the closing delimiter
    size_t headers_end = body.find("\r\n\r\n", part_start + 2);
    if (body.substr(part_start, 2) != "\r\n" || headers_end == std::string_view::npos) {
      out.error = Multipart::Error::kMalformed;
      return out;
    }
    part_start += 2;
    size_t content_start = headers_end + 4;
    size_t next = body.find("\r\n" + delimiter, content_start);
    if (next == std::string_view::npos) {
      out.error = Multipart::Error::kNotClosed;
      return out;
    }
    MultipartPart part;
    ReadPartHeaders(body.substr(part_start, headers_end - part_start), &part);
    part.content = body.substr(content_start, next - content_start);
    out.parts.push_back(std::move(part));
    at = next + 2;
  }
  return out;  // no delimiter at all: no parts
}

}  // namespace ledger::http
