#include "ledger/http/message.h"

#include <boost/asio/ip/address.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/pct_string_view.hpp>

#include <algorithm>

namespace ledger::http {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An IP address in one spelling ("::ffff:10.0.0.1" is "10.0.0.1"); "" for
// what is not an address.
std::string CanonicalAddress(std::string_view text) {
  boost::system::error_code ec;
  boost::asio::ip::address address = boost::asio::ip::make_address(Trim(text), ec);
  if (ec) return {};
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

}  // namespace

void ApplyTrustedProxy(Request& request, const std::vector<std::string>& trusted) {
  if (trusted.empty()) return;
  std::vector<std::string> proxies;
  for (const std::string& t : trusted) proxies.push_back(CanonicalAddress(t));
  auto is_proxy = [&](std::string_view address) {
    std::string canonical = CanonicalAddress(address);
    return !canonical.empty() && std::find(proxies.begin(), proxies.end(), canonical) != proxies.end();
  };
  if (!is_proxy(request.remote_address)) return;
  if (HeaderNameEquals(Trim(request.Header("x-forwarded-proto")), "https")) request.tls = true;
  // X-Forwarded-For: client, proxy1, proxy2 (each proxy appends the address it
  // saw): from the right, the first address that is not a proxy of ours.
  std::string_view chain = request.Header("x-forwarded-for");
  while (!chain.empty()) {
    size_t comma = chain.rfind(',');
    std::string_view hop = Trim(comma == std::string_view::npos ? chain : chain.substr(comma + 1));
    chain = comma == std::string_view::npos ? std::string_view{} : chain.substr(0, comma);
    if (is_proxy(hop)) continue;
    if (std::string client = CanonicalAddress(hop); !client.empty()) request.remote_address = client;
    return;
  }
}

std::string PercentDecode(std::string_view in) {
  if (in.empty()) return {};
  auto valid = boost::urls::make_pct_string_view(in);
  return valid ? valid->decode() : std::string(in);
}

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

std::optional<std::vector<std::pair<std::string, std::string>>> ParseUrlEncoded(std::string_view text) {
  // An absent query is a view without data, which Boost.URL 1.81 would read
  // as a C string: nothing to parse.
  if (text.empty()) return std::vector<std::pair<std::string, std::string>>{};
  auto params = boost::urls::parse_query(text);
  if (!params) return std::nullopt;
  const boost::urls::encoding_opts plus_is_space(/*space_as_plus=*/true);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const boost::urls::param_pct_view& param : *params) {
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b": the empty pair between
    pairs.emplace_back(param.key.decode(plus_is_space), param.has_value ? param.value.decode(plus_is_space) : "");
  }
  return pairs;
}

bool IsValidTarget(std::string_view target) {
  return !target.empty() && boost::urls::parse_origin_form(target).has_value();
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
  auto pairs = ParseUrlEncoded(RawQuery());
  if (!pairs) return {};
  for (auto& [key, value] : *pairs) {
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
