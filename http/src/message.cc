#include "ledger/http/message.h"

#include <boost/json/serialize.hpp>

namespace ledger::http {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes a query component; '+' is a space.
std::string DecodeQueryComponent(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 && HexValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])));
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
  std::string_view rest = RawQuery();
  while (!rest.empty()) {
    std::size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    std::size_t eq = pair.find('=');
    std::string key = DecodeQueryComponent(pair.substr(0, eq));
    if (key == name) {
      return eq == std::string_view::npos ? std::string{} : DecodeQueryComponent(pair.substr(eq + 1));
    }
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

std::string Request::MediaType() const {
  std::string_view ct = Header("content-type");
  ct = Trim(ct.substr(0, ct.find(';')));
  std::string out;
  for (char c : ct) out.push_back(Lower(c));
  return out;
}

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
