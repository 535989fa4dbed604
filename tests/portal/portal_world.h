// The portal tests' world: the API world of tests/http/api (on the shared
// test world of tests/support) with the portal's
// routes added, and a browser-like client keeping the session cookie and the
// latest CSRF token of the pages it gets.
#pragma once

#include <doctest/doctest.h>

#include <cctype>
#include <cstdio>
#include <map>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api_world.h"
#include "ledger/portal/portal.h"

namespace ledger::http::testing {

// The API world with the portal's routes added, and a browser-like client.
struct PortalWorld : ApiWorld {
  explicit PortalWorld(std::size_t list_page_size = 50) {
    PortalDeps p;
    p.list_page_size = list_page_size;
    p.ledger = &ledger();
    p.templates_dir = DefaultPortalTemplatesDir();
    p.static_dir = DefaultPortalStaticDir();
    p.on_render = [this](std::string_view page, const boost::json::object& model) {
      rendered_page = std::string(page);
      rendered = model;
    };
    context->AddRoutes(PortalRoutes(p));
  }
  // The template and view model of the last page rendered: what a test
  // asserts on first; the HTML only where the markup itself matters.
  std::string rendered_page;
  boost::json::object rendered;
};

// The value at `path` in a view model: keys and array indexes joined by dots
// ("fields.username.error", "timeline.0.title"); nullptr when there is none.
inline const boost::json::value* ModelAt(const boost::json::object& model, std::string_view path) {
  const boost::json::value* at = nullptr;
  const boost::json::object* object = &model;
  const boost::json::array* array = nullptr;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string_view step = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (object != nullptr) {
      at = object->if_contains(step);
    } else if (array != nullptr) {
      std::size_t i = 0;
      for (char c : step) i = c >= '0' && c <= '9' ? i * 10 + static_cast<std::size_t>(c - '0') : array->size();
      at = step.empty() || i >= array->size() ? nullptr : &(*array)[i];
    }
    if (at == nullptr) return nullptr;
    object = at->if_object();
    array = at->if_array();
  }
  return at;
}

// The text at `path` in a view model ("" when there is none, or it is not text).
inline std::string ModelText(const boost::json::object& model, std::string_view path) {
  const boost::json::value* at = ModelAt(model, path);
  return at != nullptr && at->is_string() ? std::string(at->get_string()) : std::string();
}

// A page's error summary as field id -> message (empty when it has none).
inline std::map<std::string, std::string> SummaryErrors(const boost::json::object& model) {
  std::map<std::string, std::string> out;
  const boost::json::value* items = ModelAt(model, "error_summary.items");
  if (items == nullptr || !items->is_array()) return out;
  for (const auto& item : items->get_array()) {
    out[std::string(item.at("field_id").as_string())] = std::string(item.at("message").as_string());
  }
  return out;
}

// Every message of a page's error summary, one per line.
inline std::string SummaryText(const boost::json::object& model) {
  std::string out;
  for (const auto& [field, message] : SummaryErrors(model)) out += message + "\n";
  return out;
}

// The text of `key` in each object of the array at `path` ({} when none).
inline std::vector<std::string> ModelColumn(const boost::json::object& model, std::string_view path,
                                            std::string_view key) {
  std::vector<std::string> out;
  const boost::json::value* rows = ModelAt(model, path);
  if (rows == nullptr || !rows->is_array()) return out;
  for (const auto& row : rows->get_array()) {
    const boost::json::value* v = row.is_object() ? row.get_object().if_contains(key) : nullptr;
    out.push_back(v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string());
  }
  return out;
}

inline bool HasText(const std::vector<std::string>& texts, const std::string& text) {
  for (const auto& t : texts) {
    if (t == text) return true;
  }
  return false;
}

inline std::string CsrfIn(const std::string& html) {
  std::smatch m;
  static const std::regex kCsrf(R"re(name="csrf_token" value="([0-9a-f]+)")re");
  return std::regex_search(html, m, kCsrf) ? m[1].str() : "";
}

inline std::string CookieValue(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (HeaderNameEquals(k, "set-cookie") && v.rfind(name + "=", 0) == 0) {
      return v.substr(name.size() + 1, v.find(';') - name.size() - 1);
    }
  }
  return "";
}

inline std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += k + '=';
    for (unsigned char c : v) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
        out.push_back(static_cast<char>(c));
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        out += buf;
      }
    }
  }
  return out;
}

// A browser: keeps the session cookie and the latest CSRF token.
struct Browser {
  PortalWorld& w;
  std::string session;
  std::string presession;
  std::string csrf;

  Response Get(const std::string& target) { return Send("GET", target, "", ""); }
  Response Post(const std::string& target, std::vector<std::pair<std::string, std::string>> fields,
                bool with_csrf = true) {
    if (with_csrf) fields.emplace_back("csrf_token", csrf);
    return Send("POST", target, FormEncode(fields), "application/x-www-form-urlencoded");
  }
  // A multipart/form-data form: `fields`, the CSRF token, and one file part.
  Response PostFile(const std::string& target, std::vector<std::pair<std::string, std::string>> fields,
                    const std::string& file_field, const std::string& filename, const std::string& bytes) {
    fields.emplace_back("csrf_token", csrf);
    const std::string boundary = "ledger-test-boundary-7d3f";
    std::string body;
    for (const auto& [name, value] : fields) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file_field + "\"; filename=\"" +
            filename + "\"\r\nContent-Type: text/csv\r\n\r\n" + bytes + "\r\n--" + boundary + "--\r\n";
    return Send("POST", target, body, "multipart/form-data; boundary=" + boundary);
  }
  // One request with the browser's cookies; remembers what the answer sets.
  Response Send(const std::string& method, const std::string& target, std::string body,
                const std::string& content_type) {
    std::vector<HeaderField> headers;
    headers.emplace_back("Cookie", Cookies());
    Response r = w.Handle(method, target, std::move(body), headers, content_type);
    Remember(r);
    return r;
  }
  bool SignIn(const std::string& username, const std::string& password = kApiPassword) {
    Get("/sign-in");
    Response r = Post("/sign-in", {{"username", username}, {"password", password}, {"return_to", "/"}});
    if (r.status != 303) return false;
    Get("/");
    return !session.empty();
  }
  std::string Cookies() const {
    std::string c;
    if (!session.empty()) c += "ledger_session=" + session;
    if (!presession.empty()) c += std::string(c.empty() ? "" : "; ") + "ledger_presession=" + presession;
    return c;
  }
  void Remember(const Response& r) {
    if (std::string s = CookieValue(r, "ledger_session"); !s.empty() || !r.Header("set-cookie").empty()) {
      for (const auto& [k, v] : r.headers) {
        if (HeaderNameEquals(k, "set-cookie") && v.rfind("ledger_session=", 0) == 0) session = s;
      }
    }
    if (std::string p = CookieValue(r, "ledger_presession"); !p.empty()) presession = p;
    if (std::string t = CsrfIn(r.body); !t.empty()) csrf = t;
  }
};

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace ledger::http::testing
