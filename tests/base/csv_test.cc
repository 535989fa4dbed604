#include <doctest/doctest.h>

#include "ledger/base/csv.h"
#include "support/rfc4180.h"

namespace ledger::base {
namespace {

using ledger::testing::kFormulaLeads;
using ledger::testing::ParseStrictCsv;

TEST_CASE("csv reading handles a BOM, CRLF, blank lines and quoted fields") {
  CsvParse p = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b\r\n\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\n1,\"two\nlines\"\n");
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

TEST_CASE("a lone CR outside quotes ends a line like LF and CRLF; inside quotes it is kept") {
  CsvParse p = ParseCsv("a,b\rc,d\r\re,f\r\"x\ry\",\"p\r\nq\"\r");
  REQUIRE_MESSAGE(p.error.empty(), p.error);
  REQUIRE(p.records.size() == 4);
  CHECK(p.records[0].fields == std::vector<std::string>{"a", "b"});
  CHECK(p.records[1].fields == std::vector<std::string>{"c", "d"});
  CHECK(p.records[2].line == 4);
  CHECK(p.records[2].fields == std::vector<std::string>{"e", "f"});
  CHECK(p.records[3].line == 5);
  CHECK(p.records[3].fields == std::vector<std::string>{"x\ry", "p\r\nq"});
}

TEST_CASE("a lone CR after a quoted field ends the record; it never swallows the next character") {
  CsvParse p = ParseCsv("\"a\"\rb\n");
  REQUIRE_MESSAGE(p.error.empty(), p.error);
  REQUIRE(p.records.size() == 2);
  CHECK(p.records[0].fields == std::vector<std::string>{"a"});
  CHECK(p.records[1].fields == std::vector<std::string>{"b"});
}

TEST_CASE("syntax errors name their line and reason") {
  CsvParse quote = ParseCsv("a\nb\"c\n");
  CHECK(quote.error_line == 2);
  CHECK(quote.error_reason == "a quote inside an unquoted field (quote the whole field)");
  CHECK(quote.error == "line 2: " + quote.error_reason);
  CHECK(quote.records.size() == 1);  // the records before the fault
  CsvParse after = ParseCsv("a\r\"b\"c\n");
  CHECK(after.error == "line 2: a quoted field is followed by text before the next comma");
  CsvParse open = ParseCsv("a\r\n\"b\nc\n");
  CHECK(open.error == "line 2: a quoted field is not closed");
}

TEST_CASE("csv writing quotes only what needs it and ends rows in CRLF") {
  CsvWriter w;
  w.Text("plain").Text("a,b").Text("say \"x\"").Text("two\nlines").EndRow();
  CHECK(w.str() == "plain,\"a,b\",\"say \"\"x\"\"\",\"two\nlines\"\r\n");
}

TEST_CASE("a text cell a spreadsheet would run as a formula is prefixed with ' and quoted") {
  for (std::string_view lead : kFormulaLeads) {
    for (std::string rest : {"", "1+2", "HYPERLINK(\"http://x\",\"y\")", "cmd|' /C calc'!A0", ",x"}) {
      std::string value = std::string(lead) + rest;
      CAPTURE(value);
      CsvWriter w;
      w.Text("a").Text(value).Text("b").EndRow();
      auto parsed = ParseStrictCsv(w.str());
      REQUIRE_MESSAGE(parsed.error.empty(), parsed.error);
      REQUIRE(parsed.records.size() == 1);
      CHECK(parsed.records[0] == std::vector<std::string>{"a", "'" + value, "b"});
      CHECK(parsed.quoted[0][1]);
    }
  }
  CHECK(CsvTextField("=SUM(A1)") == "\"'=SUM(A1)\"");
  CHECK(CsvTextField("\n=1") == "\"'\n=1\"");
  CHECK(CsvTextField("a=1") == "a=1");
  CHECK(CsvTextField("'quoted already") == "'quoted already");
}

TEST_CASE("number cells the writer is given stay numbers, negative ones too; text that looks negative does not") {
  CsvWriter w;
  w.Number("-12.50").Number("0").Number("15000.00").Number("-3").Text("-12.50").EndRow();
  CHECK(w.str() == "-12.50,0,15000.00,-3,\"'-12.50\"\r\n");
}

TEST_CASE("a number cell that is not a plain number is written as neutralised text") {
  for (std::string value : {"-1+2", "=1", "1e5", "-", "1.", ".5", "+3", "-1.2.3", "", " 1"}) {
    CAPTURE(value);
    CHECK_FALSE(IsCsvNumber(value));
    CsvWriter number, text;
    number.Number(value).EndRow();
    text.Text(value).EndRow();
    CHECK(number.str() == text.str());
  }
  CHECK(IsCsvNumber("-0.01"));
  CHECK(IsCsvNumber("42"));
}

TEST_CASE("what the writer writes, the reader reads back") {
  CsvWriter w;
  w.TextRow({"name", "note"});
  w.Text("=x").Text("a \"b\", c\r\nd").EndRow();
  CsvParse p = ParseCsv(w.str());
  REQUIRE(p.error.empty());
  REQUIRE(p.records.size() == 2);
  CHECK(p.records[1].fields == std::vector<std::string>{"'=x", "a \"b\", c\r\nd"});
}

}  // namespace
}  // namespace ledger::base
