// Renders every portal example (templates/examples/*.json) with kainjow mustache, the library the server uses, into
// OUT_DIR/<name>.html, exactly as docs/portal.md says the server must: Boost.JSON view model -> kainjow data (empty
// strings become false), partials registered by file name, page first, then layout.mustache with {{{content}}}.
// scripts/kainjow-check.sh compares the result with the npm mustache previews, so a template that renders differently
// in C++ is caught before the server exists. Usage: kainjow-render PORTAL_DIR OUT_DIR (after preview.mjs --render).
#include <boost/json.hpp>
#include <boost/json/src.hpp>  // header-only Boost.JSON: this is a standalone check program
#include <filesystem>
#include <fstream>
#include <iostream>
#include <kainjow/mustache.hpp>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
using kainjow::mustache::data;
using kainjow::mustache::mustache;
using kainjow::mustache::partial;

static std::string Read(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

static data ToData(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      data d{data::type::object};
      for (auto& kv : v.as_object()) d.set(std::string(kv.key()), ToData(kv.value()));
      return d;
    }
    case boost::json::kind::array: {
      data d{data::type::list};
      for (auto& e : v.as_array()) d.push_back(ToData(e));
      return d;
    }
    // kainjow treats "" as true in sections; the portal templates mean "absent", so "" becomes false.
    case boost::json::kind::string:
      return v.as_string().empty() ? data{data::type::bool_false} : data{std::string(v.as_string())};
    case boost::json::kind::bool_: return v.as_bool() ? data{data::type::bool_true} : data{data::type::bool_false};
    case boost::json::kind::int64: return data{std::to_string(v.as_int64())};
    case boost::json::kind::uint64: return data{std::to_string(v.as_uint64())};
    case boost::json::kind::double_: {
      std::ostringstream o;
      o << v.as_double();
      return data{o.str()};
    }
    default: return data{data::type::bool_false};
  }
}

int main(int argc, char** argv) {
  fs::path portal = argv[1], out = argv[2];
  fs::create_directories(out);
  std::map<std::string, std::string> partials;
  for (auto& e : fs::directory_iterator(portal / "templates/partials")) partials[e.path().stem()] = Read(e.path());
  auto common = boost::json::parse(Read(portal / "templates/examples/_layout.json")).as_object();
  common["asset_version"] = Read(portal / "preview/out/static/VERSION").substr(0, 12);
  int failures = 0;
  for (auto& e : fs::directory_iterator(portal / "templates/examples")) {
    std::string name = e.path().stem();
    if (name[0] == '_') continue;
    std::string page = name.substr(0, name.find('.'));
    boost::json::object d = common;
    boost::json::value parsed = boost::json::parse(Read(e.path()));
    for (auto& kv : parsed.as_object()) d[kv.key()] = kv.value();
    if (d.contains("chart") && d["chart"].is_object() && d["chart"].as_object().contains("data")) {
      std::string j = boost::json::serialize(d["chart"].as_object()["data"]);
      std::string esc;
      for (char c : j) {
        if (c == '<')
          esc += "\\u003c";
        else
          esc += c;
      }
      d["chart"].as_object()["json"] = esc;
    }
    data ctx = ToData(d);
    for (auto& [n, t] : partials) {
      std::string text = t;
      ctx.set(n, partial{[text] { return text; }});
    }
    mustache page_tmpl{Read(portal / "templates" / (page + ".mustache"))};
    if (!page_tmpl.is_valid()) {
      std::cerr << page << ": " << page_tmpl.error_message() << "\n";
      ++failures;
      continue;
    }
    std::string content = page_tmpl.render(ctx);
    ctx.set("content", content);
    mustache layout{Read(portal / "templates/layout.mustache")};
    std::string html = layout.render(ctx);
    if (!layout.is_valid()) {
      std::cerr << "layout: " << layout.error_message() << "\n";
      ++failures;
    }
    std::ofstream(out / (name + ".html")) << html;
  }
  return failures;
}
