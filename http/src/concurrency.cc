#include "ledger/http/concurrency.h"

#include <algorithm>
#include <charconv>

#include "ledger/base/sha256.h"
#include "ledger/http/auth.h"
#include "ledger/http/problem.h"

namespace ledger::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string ETagFor(uint64_t version) { return "\"" + std::to_string(version) + "\""; }

std::optional<uint64_t> IfMatch::single() const {
  if (!present || any || malformed || versions.size() != 1) return std::nullopt;
  return versions.front();
}

IfMatch ParseIfMatch(std::string_view header) {
  IfMatch out;
  header = Trim(header);
  if (header.empty()) return out;
  out.present = true;
  if (header == "*") {
    out.any = true;
    return out;
  }
  while (!header.empty()) {
    std::size_t comma = header.find(',');
    std::string_view tag = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    uint64_t v = 0;
    if (tag.size() < 3 || tag.front() != '"' || tag.back() != '"') {
      out.malformed = true;
      return out;
    }
    std::string_view digits = tag.substr(1, tag.size() - 2);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) {
      out.malformed = true;
      return out;
    }
    out.versions.push_back(v);
  }
  if (out.versions.empty()) out.malformed = true;
  return out;
}

std::optional<Response> CheckIfMatch(const Request& request, uint64_t current_version) {
  IfMatch m = ParseIfMatch(request.Header("if-match"));
  if (!m.present || m.any) return std::nullopt;
  if (m.malformed) {
    return ToResponse(problems::BadRequest("If-Match must be \"*\" or a list of ETags as returned by this API."));
  }
  if (std::find(m.versions.begin(), m.versions.end(), current_version) != m.versions.end()) return std::nullopt;
  Response r = ToResponse(problems::PreconditionFailed("This was changed since you last read it (it is now at " +
                                                       ETagFor(current_version) + "); reload it and try again."));
  r.Set("ETag", ETagFor(current_version));
  return r;
}

std::optional<std::string> IdempotencyKey(const Request& request, std::optional<Response>* bad) {
  if (!request.HasHeader("idempotency-key")) return std::nullopt;
  std::string_view key = request.Header("idempotency-key");
  bool ok = !key.empty() && key.size() <= 200 &&
            std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; });
  if (!ok) {
    *bad = ToResponse(problems::BadRequest("Idempotency-Key must be 1 to 200 visible ASCII characters."));
    return std::nullopt;
  }
  return std::string(key);
}

std::string CommandIdFor(std::string_view username, std::string_view key) {
  std::string material(username);
  material.push_back('\0');
  material.append(key);
  return base::Sha256Hex(material);
}

std::string RequestFingerprint(const Request& request) {
  constexpr std::string_view kDomain = "ledger.http.request.v1";
  std::string material;
  std::string_view content_type = request.Header("content-type");
  material.reserve(kDomain.size() + request.method.size() + request.target.size() + content_type.size() +
                   request.body.size() + 4);
  for (std::string_view part :
       {kDomain, std::string_view(request.method), std::string_view(request.target), content_type}) {
    material.append(part);
    material.push_back('\0');
  }
  material.append(request.body);
  return base::Sha256Hex(material);
}

}  // namespace ledger::http
