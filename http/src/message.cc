#include "ledger/http/message.h"

#include <boost/json/serialize.hpp>

#include "ledger/base/hex.h"

namespace ledger::http {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Percent-decoding, with '+' as a space when `plus_is_space`.
std::string Decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < in.size() && base::HexDigitValue(in[i + 1]) >= 0 &&
               base::HexDigitValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(base::HexDigitValue(in[i + 1]) * 16 + base::HexDigitValue(in[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string PercentDecode(std::string_view in) { return Decode(in, false); }

std::string DecodeFormComponent(std::string_view in) { return Decode(in, true); }

std::string PercentEncode(std::string_view in, std::string_view keep) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (alnum || keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kDigits[c >> 4], kDigits[c & 0xF]};
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!text.empty()) {
    std::size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    pairs.emplace_back(DecodeFormComponent(pair.substr(0, eq)),
                       eq == std::string_view::npos ? std::string() : DecodeFormComponent(pair.substr(eq + 1)));
  }
  return pairs;
}

bool HeaderNameEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (HeaderNameEquals(k, name)) return v;
  }
  return {};
}

bool Request::HasHeader(std::string_view name) const {
  for (const auto& h : headers) {
    if (HeaderNameEquals(h.first, name)) return true;
  }
  return false;
}

std::string_view Request::Path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view Request::RawQuery() const {
  std::string_view t = target;
  std::size_t q = t.find('?');
  return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

std::string Request::Query(std::string_view name) const {
  for (auto& [key, value] : ParseUrlEncoded(RawQuery())) {
    if (key == name) return std::move(value);
  }
  return {};
}

std::string Request::Cookie(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (!HeaderNameEquals(k, "cookie")) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      std::size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      std::size_t eq = pair.find('=');
      if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == name) {
        return std::string(Trim(pair.substr(eq + 1)));
      }
    }
  }
  return {};
}

std::string MediaTypeOf(std::string_view content_type) {
  std::string_view type = Trim(content_type.substr(0, content_type.find(';')));
  std::string out;
  for (char c : type) out.push_back(Lower(c));
  return out;
}

std::string Request::MediaType() const { return MediaTypeOf(Header("content-type")); }

void Response::Set(std::string_view name, std::string value) {
  for (auto& h : headers) {
    if (HeaderNameEquals(h.first, name)) {
      h.second = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::move(value));
}

void Response::Add(std::string_view name, std::string value) {
  headers.emplace_back(std::string(name), std::move(value));
}

std::string_view Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (HeaderNameEquals(k, name)) return v;
  }
  return {};
}

Response Response::Json(int status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  r.Set("Content-Type", "application/json");
  return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.Set("Content-Type", std::move(content_type));
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::Stream(EventStream stream) {
  Response r;
  r.status = 200;
  r.stream = std::move(stream);
  r.Set("Content-Type", "text/event-stream");
  return r;
}

std::string FormatSseFrame(std::string_view id, std::string_view event, std::string_view data) {
  std::string out;
  auto clean = [](std::string_view s) {  // a field value must not break the frame
    std::string v;
    for (char c : s) {
      if (c != '\n' && c != '\r') v.push_back(c);
    }
    return v;
  };
  if (!id.empty()) out += "id: " + clean(id) + "\n";
  if (!event.empty()) out += "event: " + clean(event) + "\n";
  std::string_view rest = data;
  do {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += "data: ";
    out += line;
    out += "\n";
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (nl == std::string_view::npos) break;
  } while (true);
  out += "\n";
  return out;
}

}  // namespace ledger::http
