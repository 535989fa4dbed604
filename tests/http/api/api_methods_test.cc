// HEAD, OPTIONS and 405 over the real route table, through HandleRequest.
#include <doctest/doctest.h>

#include <string>

#include "api_world.h"

namespace ledger::http::testing {
namespace {

// The pattern with every {param} replaced by `value`.
std::string Fill(const std::string& pattern, const std::string& value) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      out += value;
      i = pattern.find('}', i);
    } else {
      out.push_back(pattern[i]);
    }
  }
  return out;
}

TEST_CASE("HEAD on every GET route answers as GET does, with its length and without a body") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 3, 1'000);
  for (const Route& route : w.context->routes()) {
    if (route.method != "GET") continue;
    std::string target = Fill(route.pattern, route.pattern.find("/claims/{id}") != std::string::npos ? id : "P1");
    for (const char* user : {"c1auditor", "p1user"}) {
      Response get = w.As(user, "GET", target);
      Response head = w.As(user, "HEAD", target);
      INFO(user << " HEAD " << target << ": " << get.status << " / " << head.status);
      CHECK(head.status == get.status);
      CHECK(head.body.empty());
      CHECK(!head.stream);
      CHECK(head.Header("content-type") == get.Header("content-type"));
      CHECK(head.Header("etag") == get.Header("etag"));
      if (get.stream) CHECK(head.Header("content-length").empty());
      // The metrics text counts the requests themselves, so only its presence is compared.
      else if (route.pattern == "/metrics")
        CHECK(!head.Header("content-length").empty());
      else
        CHECK(head.Header("content-length") == std::to_string(get.body.size()));
    }
  }
  Response claim = w.As("p1user", "HEAD", "/api/v1/claims/" + id);
  CHECK(claim.status == 200);
  CHECK(claim.Header("etag") == "\"2\"");
}

TEST_CASE("OPTIONS on every routed path answers 204 with Allow; another method answers 405 with the same Allow") {
  ApiWorld w;
  for (const Route& route : w.context->routes()) {
    std::string target = Fill(route.pattern, "x");
    Response options = w.Handle("OPTIONS", target);
    INFO("OPTIONS " << target);
    CHECK(options.status == 204);
    std::string allow(options.Header("allow"));
    CHECK(allow.find(route.method) != std::string::npos);
    CHECK(allow.ends_with("OPTIONS"));
    if (route.method == "GET") CHECK(allow.find("GET, HEAD") != std::string::npos);
    Response patch = w.As("p1user", "PATCH", target);
    CHECK(patch.status == 405);
    CHECK(patch.Header("allow") == allow);
    CHECK(patch.Header("content-type") == "application/problem+json");
  }
  CHECK(w.As("p1user", "GET", "/api/v1/claims").status == 200);
  CHECK(w.Handle("OPTIONS", "/api/v1/nothing-here").status == 404);
}

}  // namespace
}  // namespace ledger::http::testing
