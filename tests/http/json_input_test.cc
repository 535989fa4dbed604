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
  Request r = Make("POST", "/x",
                   R"({
      "name": 7,
      "title": ")" + std::string(300, 'x') +
                       R"(",
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

// The first error of a body refused by Open, as "path:code".
std::string OpenRefusal(const std::string& body) {
  Request r = Make("POST", "/x", body);
  JsonInput in(r);
  auto bad = in.Open();
  if (!bad.has_value()) return "accepted";
  CHECK(bad->status == 400);
  const boost::json::value problem = testing::Body(*bad);
  const auto& error = problem.at("errors").as_array().at(0);
  return std::string(error.at("path").as_string()) + ":" + std::string(error.at("code").as_string());
}

TEST_CASE("a key repeated within one object is refused at every level, naming the key") {
  CHECK(OpenRefusal(R"({"name":"a","name":"b"})") == "name:duplicate_key");
  CHECK(OpenRefusal(R"({"values":{"cost":1,"cost":2}})") == "values.cost:duplicate_key");
  CHECK(OpenRefusal(R"({"components":[{"id":"a"},{"id":"b","max":1,"max":2}]})") == "components.1.max:duplicate_key");
  CHECK(OpenRefusal(R"({"a":{"b":{"c":[[{"d":1,"d":1}]]}}})") == "a.b.c.0.0.d:duplicate_key");
  // The same key in sibling objects, or a key equal to a value, is not a repeat.
  CHECK(OpenRefusal(R"({"list":[{"id":"x"},{"id":"y"}],"a":{"id":"id"},"id":"a"})") == "accepted");
}

TEST_CASE("a string or key holding a control character or bad UTF-8 is refused, naming the field") {
  CHECK(OpenRefusal(R"({"name":"a\u0000b"})") == "name:control_character");
  CHECK(OpenRefusal(R"({"a":{"b":["ok","\u001b[31m"]}})") == "a.b.1:control_character");
  CHECK(OpenRefusal(R"({"a":"\u0085"})") == "a:control_character");
  CHECK(OpenRefusal(R"({"a\u0007":1})") == "?:control_character");
  // A lone surrogate escape cannot be stored as UTF-8.
  CHECK(OpenRefusal(R"({"a":"\ud800"})") != "accepted");
  // Raw bytes that are not UTF-8 never parse.
  for (const char* bad : {"{\"a\":\"caf\xE9\"}", "{\"a\":\"\xC0\x80\"}", "{\"a\":\"\xED\xA0\x80\"}"}) {
    CAPTURE(bad);
    CHECK(OpenRefusal(bad) != "accepted");
  }
  // New lines and tabs pass the reader (the deciders refuse them in one-line fields).
  CHECK(OpenRefusal(R"({"reason":"line one\nline two\tend","name":"Caf\u00e9 \u2013 \ud83d\ude00"})") == "accepted");
}

TEST_CASE("Int: a whole number written with a decimal point or exponent is wrong_type, a fraction fractional") {
  for (auto [value, code] : {std::pair{"100.0", "wrong_type"}, std::pair{"1e2", "wrong_type"},
                             std::pair{"12.5", "fractional"}, std::pair{"-1", "out_of_range"}}) {
    CAPTURE(value);
    Request r = Make("POST", "/x", std::string(R"({"n":)") + value + "}");
    JsonInput in(r);
    REQUIRE_FALSE(in.Open().has_value());
    in.Int("n", {0, 5000});
    auto bad = in.Finish();
    REQUIRE(bad.has_value());
    CHECK(testing::Body(*bad).at("errors").as_array().at(0).at("code") == code);
  }
}

TEST_CASE("a whole number is an integer: 100 passes; 100.0 and 1e2 are wrong_type, -1 negative, \"100\" wrong_type") {
  struct Case {
    const char* value;
    const char* code;  // "" = accepted
  };
  for (const Case& c : {Case{"100", ""}, Case{"100.0", "wrong_type"}, Case{"1e2", "wrong_type"}, Case{"-1", "negative"},
                        Case{"\"100\"", "wrong_type"}, Case{"12.5", "fractional"}, Case{"-1.5", "negative"},
                        Case{"18446744073709551615", "out_of_range"}}) {
    CAPTURE(c.value);
    for (int reader = 0; reader < 2; ++reader) {  // amounts, and values read from a map
      CAPTURE(reader);
      Request r = Make("POST", "/x", std::string(R"({"n":)") + c.value + "}");
      JsonInput in(r);
      REQUIRE_FALSE(in.Open().has_value());
      if (reader == 0) in.Pence("n");
      if (reader == 1) in.body().WholeNumber("n", *in.body().Raw("n"), {0, INT64_MAX});
      auto bad = in.Finish();
      if (std::string(c.code).empty()) {
        CHECK_FALSE(bad.has_value());
      } else {
        REQUIRE(bad.has_value());
        CHECK(testing::Body(*bad).at("errors").as_array().at(0).at("code") == c.code);
      }
    }
  }
}

TEST_CASE("finishing without opening the body is a programming error") {
  Request r = Make("POST", "/x", "{}");
  JsonInput in(r);
  CHECK_THROWS_AS(in.Finish(), std::logic_error);
}

}  // namespace
}  // namespace ledger::http
