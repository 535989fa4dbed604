// wire.h: one description gives the JSON of a body, reads it back, and gives
// its JSON Schema; drift between a hand-built answer and its description is
// an error, never a silent mismatch.
#include "ledger/http/wire.h"

#include <doctest/doctest.h>
#include <boost/describe/class.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

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
