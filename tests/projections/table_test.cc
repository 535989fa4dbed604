// Rendering of report tables (JSON and RFC 4180 CSV) and the integer statistics behind the reports.
#include <doctest/doctest.h>

#include "../../projections/src/stats.h"
#include "ledger/projections/table.h"
#include "support/rfc4180.h"

namespace ledger::projections {
namespace {

Table Sample() {
  Table t;
  t.name = "sample";
  t.scope = "C1";
  t.as_of = {42, 0};
  t.columns = {{"name", ColumnKind::kText},
               {"claims", ColumnKind::kInteger},
               {"amount", ColumnKind::kMoney},
               {"rate", ColumnKind::kDecimal2}};
  t.rows = {{std::string("Plain"), int64_t{3}, int64_t{1'500'000}, int64_t{1234}},
            {std::string("Smith, \"Jo\"\nline"), int64_t{-1}, int64_t{-250}, int64_t{-5}}};
  return t;
}

TEST_CASE("CSV has a header row, CRLF line ends, quotes only fields that need them and money in pounds") {
  CHECK(TableToCsv(Sample()) ==
        "name,claims,amount,rate\r\n"
        "Plain,3,15000.00,12.34\r\n"
        "\"Smith, \"\"Jo\"\"\nline\",-1,-2.50,-0.05\r\n");
}

TEST_CASE("a text cell that could start a formula is neutralised in every column kind; numbers stay numbers") {
  for (std::string_view lead : ledger::testing::kFormulaLeads) {
    const std::string value = std::string(lead) + "HYPERLINK(\"http://x\",\"y\")";
    CAPTURE(value);
    Table t = Sample();
    // A text cell may sit in any column (e.g. "" for a missing amount); whatever its column, text is text.
    t.rows.push_back({value, value, value, value});
    t.rows.push_back({value, int64_t{-7}, int64_t{-1250}, int64_t{-99}});
    std::string csv = TableToCsv(t);
    auto parsed = ledger::testing::ParseStrictCsv(csv);
    REQUIRE_MESSAGE(parsed.error.empty(), parsed.error);
    REQUIRE(parsed.records.size() == 5);
    CHECK(parsed.records[3] == std::vector<std::string>(4, "'" + value));
    CHECK(parsed.quoted[3] == std::vector<bool>(4, true));
    CHECK(parsed.records[4] == std::vector<std::string>{"'" + value, "-7", "-12.50", "-0.99"});
    CHECK(parsed.quoted[4] == std::vector<bool>{true, false, false, false});
  }
}

TEST_CASE("JSON names the report, its scope and position, and writes money and decimals as exact strings") {
  CHECK(TableToJsonText(Sample()) ==
        R"({"report":"sample","scope":"C1","as_of":{"position":42,"at":""},)"
        R"("columns":[{"name":"name","kind":"text"},{"name":"claims","kind":"integer"},)"
        R"({"name":"amount","kind":"money"},{"name":"rate","kind":"decimal"}],)"
        R"("rows":[["Plain",3,"15000.00","12.34"],["Smith, \"Jo\"\nline",-1,"-2.50","-0.05"]]})");
}

TEST_CASE("quartiles interpolate between closest ranks and the 90th percentile is the nearest rank") {
  using internal::NearestRank;
  using internal::Quartile;
  const std::vector<int64_t> v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  CHECK(Quartile(v, 1) == 3);  // 3.25 rounds to 3
  CHECK(Quartile(v, 2) == 6);  // 5.5 rounds half up to 6
  CHECK(Quartile(v, 3) == 8);  // 7.75 rounds to 8
  CHECK(NearestRank(v, 90) == 9);
  CHECK(Quartile({7}, 2) == 7);
  CHECK(NearestRank({7}, 90) == 7);
  const std::vector<int64_t> w = {100, 200, 300, 400};
  CHECK(Quartile(w, 1) == 175);
  CHECK(Quartile(w, 2) == 250);
  CHECK(Quartile(w, 3) == 325);
}

TEST_CASE("decimal cells keep two places and their sign") {
  CHECK(FormatDecimal2(0) == "0.00");
  CHECK(FormatDecimal2(7) == "0.07");
  CHECK(FormatDecimal2(-1234) == "-12.34");
  CHECK(FormatDecimal2(100000) == "1000.00");
}

}  // namespace
}  // namespace ledger::projections
