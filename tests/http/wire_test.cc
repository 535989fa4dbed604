// wire.h: one description gives the JSON of a body, reads it back, and gives
// its JSON Schema; drift between a hand-built answer and its description is
// an error, never a silent mismatch.
#include "ledger/http/wire.h"
#include "ledger/http/wire_input.h"

#include "http_test_support.h"

#include <doctest/doctest.h>
#include <boost/describe/class.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ledger::http::wire::testing {

struct Line {
  static constexpr std::string_view kSchemaName = "Line";
  std::string claim_id;
  int64_t amount_pence = 0;
};
BOOST_DESCRIBE_STRUCT(Line, (), (claim_id, amount_pence))

struct Run {
  static constexpr std::string_view kSchemaName = "Run";
  static constexpr std::string_view kDoc = "A payment run";
  static boost::json::object Notes() { return {{"pay_date", {{"format", "date"}}}}; }
  static Run Example() { return {"R1", "2026-12-01", 3, {{"C1", 3}}, {}, std::nullopt}; }
  std::string run_id;
  std::string pay_date;
  uint64_t count = 0;
  std::vector<Line> lines;
  std::map<std::string, int64_t> totals;
  std::optional<std::string> reference;
};
BOOST_DESCRIBE_STRUCT(Run, (), (run_id, pay_date, count, lines, totals, reference))

struct Renamed {
  static constexpr std::string_view kSchemaName = "Renamed";
  static boost::json::object Notes() { return {{"old_name", {{"format", "date"}}}}; }
  std::string new_name;
};
BOOST_DESCRIBE_STRUCT(Renamed, (), (new_name))

TEST_CASE("a body's JSON has its described members in order, an empty optional left out") {
  Run run{"R7", "2026-12-01", 2, {{"C1", 150}, {"C2", 250}}, {{"A84009", 400}}, std::nullopt};
  CHECK(boost::json::serialize(ToJson(run)) ==
        R"({"run_id":"R7","pay_date":"2026-12-01","count":2,"lines":[{"claim_id":"C1","amount_pence":150},)"
        R"({"claim_id":"C2","amount_pence":250}],"totals":{"A84009":400}})");
  run.reference = "PAY-1";
  CHECK(ToJson(run).as_object().at("reference") == "PAY-1");
}

TEST_CASE("what ToJson writes, FromJson reads back to the same body") {
  Run run{"R7", "2026-12-01", 2, {{"C1", 150}}, {{"A84009", 150}}, "PAY-1"};
  Run back;
  std::string error;
  REQUIRE(FromJson(ToJson(run), &back, &error));
  CHECK(ToJson(back) == ToJson(run));
}

TEST_CASE("FromJson names the first path that breaks the description") {
  Run run;
  std::string error;
  auto read = [&](std::string_view text) { return FromJson(boost::json::parse(text), &run, &error); };
  CHECK_FALSE(read(R"({"run_id":"R","pay_date":"d","count":1,"lines":[],"totals":{}, "extra":1})"));
  CHECK(error == "$: a member extra the description does not have");
  CHECK_FALSE(read(R"({"run_id":"R","pay_date":"d","lines":[],"totals":{}})"));
  CHECK(error == "$: missing count");
  CHECK_FALSE(read(R"({"run_id":"R","pay_date":"d","count":-1,"lines":[],"totals":{}})"));
  CHECK(error == "$.count: not an integer in range");
  CHECK_FALSE(
      read(R"({"run_id":"R","pay_date":"d","count":1,"lines":[{"claim_id":"C","amount_pence":"1"}],"totals":{}})"));
  CHECK(error == "$.lines[0].amount_pence: not an integer in range");
  CHECK_FALSE(read(R"({"run_id":"R","pay_date":"d","count":1,"lines":[],"totals":{"A":true}})"));
  CHECK(error == "$.totals.A: not an integer in range");
}

TEST_CASE("Checked passes a hand-built answer through its description, and refuses one that drifted") {
  boost::json::value built = boost::json::parse(
      R"({"reference":"P","totals":{},"lines":[],"count":0,"pay_date":"d","run_id":"R"})");
  // Re-written in the described order.
  CHECK(boost::json::serialize(Checked<Run>(built)) ==
        R"({"run_id":"R","pay_date":"d","count":0,"lines":[],"totals":{},"reference":"P"})");
  built.as_object()["amount"] = "1.00";
  CHECK_THROWS_WITH_AS(Checked<Run>(built), "the answer is not a Run: $: a member amount the description does not have",
                       std::logic_error);
}

TEST_CASE("the schema of a body comes from the same description, with its notes and example") {
  Schemas schemas;
  CHECK(boost::json::serialize(schemas.Of<Run>()) == R"({"$ref":"#/components/schemas/Run"})");
  const boost::json::object& run = schemas.named().at("Run");
  CHECK(run.at("type") == "object");
  CHECK(run.at("additionalProperties") == false);
  CHECK(run.at("description") == "A payment run");
  CHECK(boost::json::serialize(run.at("required")) == R"(["run_id","pay_date","count","lines","totals"])");
  const auto& props = run.at("properties").as_object();
  CHECK(boost::json::serialize(props.at("pay_date")) == R"({"type":"string","format":"date"})");
  CHECK(boost::json::serialize(props.at("count")) == R"({"type":"integer","minimum":0})");
  CHECK(boost::json::serialize(props.at("lines")) ==
        R"({"type":"array","items":{"$ref":"#/components/schemas/Line"}})");
  CHECK(boost::json::serialize(props.at("totals")) == R"({"type":"object","additionalProperties":{"type":"integer"}})");
  CHECK(boost::json::serialize(props.at("reference")) == R"({"type":"string"})");
  CHECK(run.at("examples").as_array().at(0) == ToJson(Run::Example()));
  // The nested body is defined once, beside it.
  CHECK(schemas.named().at("Line").at("properties").as_object().contains("amount_pence"));
}

TEST_CASE("a note on a member the body does not have is refused, so notes cannot outlive a rename") {
  Schemas schemas;
  CHECK_THROWS_WITH_AS(schemas.Of<Renamed>(), "wire: a note on old_name, which Renamed does not have",
                       std::logic_error);
}

}  // namespace ledger::http::wire::testing

// ---- Request bodies: what wire::Read checks is what the schema declares ----

namespace ledger::http::wire::testing {

struct Item {
  static constexpr std::string_view kSchemaName = "Item";
  static constexpr bool kRequest = true;
  std::string id;
  std::optional<int64_t> min;
};
BOOST_DESCRIBE_STRUCT(Item, (), (id, min))

struct Order {
  static constexpr std::string_view kSchemaName = "Order";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() {
    return {{"kind", {{"enum", {"flu", "covid"}}}},
            {"on", {{"format", "date"}, {"maxLength", 10}}},
            {"note", {{"minLength", 0}, {"maxLength", 5}}},
            {"password", {{"minLength", 4}}},
            {"count", {{"minimum", 0}, {"maximum", 10}}},
            {"items", {{"minItems", 1}, {"maxItems", 2}}},
            {"values", {{"additionalProperties", {{"minimum", 0}}}}}};
  }
  std::string kind;
  std::string on;
  std::optional<std::string> note;
  std::string password;
  int64_t count = 0;
  std::vector<Item> items;
  std::optional<std::map<std::string, int64_t>> values;
};
BOOST_DESCRIBE_STRUCT(Order, (), (kind, on, note, password, count, items, values))

std::vector<std::string> Problems(std::string_view body, Order* out = nullptr) {
  Request r = http::testing::Make("POST", "/x", std::string(body));
  JsonInput in(r);
  REQUIRE_FALSE(in.Open().has_value());
  Order order = Read<Order>(in.body());
  in.Finish();
  if (out != nullptr) *out = order;
  std::vector<std::string> codes;
  for (const auto& e : in.errors()) codes.push_back(e.path + ":" + e.code);
  return codes;
}

TEST_CASE("a request body is read by its description, and a good one has no problems") {
  Order order;
  CHECK(Problems(R"({"kind":"flu","on":"2026-12-01","note":"","password":"abcd","count":3,)"
                 R"("items":[{"id":"A","min":1},{"id":"B","min":null}],"values":{"x":5}})",
                 &order)
            .empty());
  CHECK(order.kind == "flu");
  CHECK(order.note == "");
  CHECK(order.items.size() == 2);
  CHECK(order.items[0].min == 1);
  CHECK_FALSE(order.items[1].min.has_value());
  CHECK(order.values->at("x") == 5);
}

TEST_CASE("every rule the schema states is checked, and every problem is listed at once") {
  auto codes = Problems(R"({"kind":"measles","on":"2026-13-01","note":"too long","password":"abc","count":-1,)"
                        R"("items":[{"id":""},7,{"id":"C"}],"values":{"x":-2},"extra":true})");
  std::vector<std::string> expected{"kind:invalid",       "on:invalid_date", "note:too_long",
                                    "password:too_short", "count:negative",  "items.0.id:required",
                                    "items.1:wrong_type", "items:too_many",  "values.x:negative",
                                    "extra:unknown_field"};
  for (const std::string& e : expected) CHECK_MESSAGE(std::find(codes.begin(), codes.end(), e) != codes.end(), e);
  CHECK(codes.size() == expected.size());
  CHECK(Problems(R"({"kind":"flu","on":"2026-12-01","password":"abcd","count":1,"items":[]})") ==
        std::vector<std::string>{"items:required"});
  CHECK(Problems(R"({"on":"2026-12-01","password":"abcd","count":1,"items":[{"id":"A"}]})") ==
        std::vector<std::string>{"kind:required"});
}

TEST_CASE("a request body's schema states the reader's defaults: strings non-empty and at most 1000 bytes") {
  Schemas schemas;
  schemas.Of<Order>();
  const auto& props = schemas.named().at("Order").at("properties").as_object();
  CHECK(boost::json::serialize(props.at("kind")) ==
        R"({"type":"string","minLength":1,"maxLength":1000,"enum":["flu","covid"]})");
  CHECK(boost::json::serialize(props.at("note")) == R"({"type":"string","minLength":0,"maxLength":5})");
  CHECK(boost::json::serialize(props.at("count")) == R"({"type":"integer","minimum":0,"maximum":10})");
  CHECK(boost::json::serialize(schemas.named().at("Order").at("required")) ==
        R"(["kind","on","password","count","items"])");
}

}  // namespace ledger::http::wire::testing
