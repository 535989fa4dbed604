#include <doctest/doctest.h>

#include "ledger/tools/csv.h"

namespace ledger::tools {
namespace {

TEST_CASE("csv reading handles a BOM, CRLF, blank lines and quoted fields") {
  CsvParse p = ParseCsv("\xEF\xBB\xBF" "a,b\r\n\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\n1,\"two\nlines\"\n");
  REQUIRE(p.error.empty());
  REQUIRE(p.records.size() == 3);
  CHECK(p.records[0].fields == std::vector<std::string>{"a", "b"});
  CHECK(p.records[1].line == 3);
  CHECK(p.records[1].fields == std::vector<std::string>{"x, y", "say \"hi\""});
  CHECK(p.records[2].line == 5);
  CHECK(p.records[2].fields == std::vector<std::string>{"1", "two\nlines"});
}

TEST_CASE("csv reading keeps empty fields") {
  CsvParse p = ParseCsv("a,,c,\n");
  REQUIRE(p.records.size() == 1);
  CHECK(p.records[0].fields == std::vector<std::string>{"a", "", "c", ""});
}

TEST_CASE("an unclosed quote is an error naming its line") {
  CsvParse p = ParseCsv("a,b\n1,2\n\"open,3\n");
  CHECK(p.error_line == 3);
  CHECK_FALSE(p.error.empty());
}

TEST_CASE("csv writing quotes only what needs it") {
  CHECK(CsvLine({"plain", "a,b", "say \"x\""}) == "plain,\"a,b\",\"say \"\"x\"\"\"\n");
}

}  // namespace
}  // namespace ledger::tools
