// Strict JSON input: typed fields, and every problem listed at once.
#include <doctest/doctest.h>

#include "http_test_support.h"
#include "ledger/http/json_input.h"

namespace ledger::http {
namespace {

using testing::Make;

TEST_CASE("a well-formed body yields typed fields and no errors") {
  Request r = Make("POST", "/x", R"({"name":"Flu clinic","amount_pence":150000,"urgent":true,
                                     "note":null,"tags":["a","b"],"components":{"flu":12}})");
  JsonInput in(r);
  REQUIRE_FALSE(in.Open().has_value());
  CHECK(in.String("name") == "Flu clinic");
  CHECK(in.Pence("amount_pence") == 150000);
  CHECK(in.Bool("urgent"));
  CHECK_FALSE(in.OptionalString("note").has_value());
  CHECK_FALSE(in.OptionalPence("absent").has_value());
  CHECK(in.Strings("tags") == std::vector<std::string>{"a", "b"});
  JsonInput::Object components = in.Child("components");
  CHECK(components.Int("flu", {0, 5000}) == 12);
  CHECK_FALSE(in.Finish().has_value());
}

TEST_CASE("a body that is not declared as JSON answers 415") {
  Request r = Make("POST", "/x", R"({"name":"x"})", "text/plain");
  JsonInput in(r);
  auto bad = in.Open();
  REQUIRE(bad.has_value());
  CHECK(bad->status == 415);
  CHECK(testing::Body(*bad).at("type") == "/problems/unsupported-media-type");
  Request with_charset = Make("POST", "/x", R"({"name":"x"})", "Application/JSON; charset=utf-8");
  JsonInput ok(with_charset);
  CHECK_FALSE(ok.Open().has_value());
}

TEST_CASE("malformed JSON and a non-object body answer 400") {
  for (const char* body : {R"({"name": )", "[1,2]", "\"text\""}) {
    CAPTURE(body);
    Request r = Make("POST", "/x", body);
    JsonInput in(r);
    auto bad = in.Open();
    REQUIRE(bad.has_value());
    CHECK(bad->status == 400);
    CHECK(testing::Body(*bad).at("type") == "/problems/validation");
  }
  Request r = Make("POST", "/x", "{\"a\":");
  JsonInput in(r);
  CHECK(testing::ErrorCodes(*in.Open()) == std::vector<std::string>{":malformed_json"});
}

TEST_CASE("every field error is listed at once") {
  Request r = Make("POST", "/x", R"({
      "name": 7,
      "title": ")" + std::string(300, 'x') + R"(",
      "amount_pence": -5,
      "fee_pence": 12.5,
      "round_pence": 100.0,
      "huge_pence": 18446744073709551615,
      "count": "3",
      "flag": "yes",
      "color": "blue"
    })");
  JsonInput in(r);
  REQUIRE_FALSE(in.Open().has_value());
  in.String("name");
  in.String("title", {.max_length = 200});
  in.Pence("amount_pence");
  in.Pence("fee_pence");
  in.Pence("round_pence");
  in.Pence("huge_pence");
  in.Int("count");
  in.Bool("flag");
  in.String("period");
  auto bad = in.Finish();
  REQUIRE(bad.has_value());
  CHECK(bad->status == 400);
  CHECK(testing::ErrorCodes(*bad) == std::vector<std::string>{
                                         "name:wrong_type",
                                         "title:too_long",
                                         "amount_pence:negative",
                                         "fee_pence:fractional",
                                         "round_pence:wrong_type",
                                         "huge_pence:out_of_range",
                                         "count:wrong_type",
                                         "flag:wrong_type",
                                         "period:required",
                                         "color:unknown_field",
                                     });
}

TEST_CASE("nested objects report dotted paths and their own unknown fields") {
  Request r = Make("POST", "/x", R"({"components":{"flu":-1,"extra":1},"answers":[],"list":["a",2]})");
  JsonInput in(r);
  REQUIRE_FALSE(in.Open().has_value());
  JsonInput::Object c = in.Child("components");
  c.Int("flu", {0, 5000});
  in.Child("answers");
  in.Strings("list");
  CHECK(testing::ErrorCodes(*in.Finish()) == std::vector<std::string>{"components.flu:out_of_range",
                                                                       "answers:wrong_type", "list[1]:wrong_type",
                                                                       "components.extra:unknown_field"});
}

TEST_CASE("a map-shaped object can be read whole, and callers can add their own errors") {
  Request r = Make("POST", "/x", R"({"counts":{"a":1,"b":2}})");
  JsonInput in(r);
  REQUIRE_FALSE(in.Open().has_value());
  JsonInput::Object counts = in.Child("counts");
  CHECK(counts.Members().size() == 2);
  counts.Fail("b", "too_many", "No more than 1.");
  CHECK(testing::ErrorCodes(*in.Finish()) == std::vector<std::string>{"counts.b:too_many"});
}

TEST_CASE("finishing without opening the body is a programming error") {
  Request r = Make("POST", "/x", "{}");
  JsonInput in(r);
  CHECK_THROWS_AS(in.Finish(), std::logic_error);
}

}  // namespace
}  // namespace ledger::http
