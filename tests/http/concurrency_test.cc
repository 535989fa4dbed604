// ETag / If-Match and Idempotency-Key helpers.
#include <doctest/doctest.h>

#include "http_test_support.h"
#include "ledger/http/concurrency.h"

namespace ledger::http {
namespace {

Request WithHeader(const char* name, const char* value) {
  Request r = testing::Make("POST", "/x");
  r.headers.emplace_back(name, value);
  return r;
}

TEST_CASE("an ETag is the stream version and If-Match parses back to it") {
  CHECK(ETagFor(7) == "\"7\"");
  IfMatch m = ParseIfMatch(ETagFor(7));
  CHECK(m.present);
  CHECK(m.single() == 7u);
  CHECK(ParseIfMatch(" \"3\", \"4\" ").versions == std::vector<uint64_t>{3, 4});
  CHECK(ParseIfMatch("*").any);
  CHECK_FALSE(ParseIfMatch("").present);
  CHECK(ParseIfMatch("W/\"3\"").malformed);
  CHECK(ParseIfMatch("\"x\"").malformed);
  CHECK(ParseIfMatch("3").malformed);
}

TEST_CASE("a stale If-Match answers 412 with the current ETag; a current one passes") {
  CHECK_FALSE(CheckIfMatch(testing::Make("POST", "/x"), 5).has_value());
  CHECK_FALSE(CheckIfMatch(WithHeader("If-Match", "\"5\""), 5).has_value());
  CHECK_FALSE(CheckIfMatch(WithHeader("If-Match", "*"), 5).has_value());
  auto stale = CheckIfMatch(WithHeader("If-Match", "\"4\""), 5);
  REQUIRE(stale.has_value());
  CHECK(stale->status == 412);
  CHECK(stale->Header("etag") == "\"5\"");
  CHECK(testing::Body(*stale).at("type") == "/problems/precondition-failed");
  auto malformed = CheckIfMatch(WithHeader("If-Match", "five"), 5);
  REQUIRE(malformed.has_value());
  CHECK(malformed->status == 400);
}

TEST_CASE("an Idempotency-Key becomes the same command id for the same caller only") {
  std::optional<Response> bad;
  auto key = IdempotencyKey(WithHeader("Idempotency-Key", "retry-123"), &bad);
  REQUIRE(key.has_value());
  CHECK_FALSE(bad.has_value());
  CHECK(CommandIdFor("alice", *key) == CommandIdFor("alice", "retry-123"));
  CHECK(CommandIdFor("alice", *key).size() == 64);
  CHECK(CommandIdFor("alice", *key) != CommandIdFor("bob", *key));
  CHECK(CommandIdFor("alice", "b") != CommandIdFor("alic", "eb"));  // the separator keeps fields apart
  CHECK_FALSE(IdempotencyKey(testing::Make("POST", "/x"), &bad).has_value());
  CHECK_FALSE(bad.has_value());
  CHECK_FALSE(IdempotencyKey(WithHeader("Idempotency-Key", "has space"), &bad).has_value());
  REQUIRE(bad.has_value());
  CHECK(bad->status == 400);
}

}  // namespace
}  // namespace ledger::http
