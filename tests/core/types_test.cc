#include <doctest/doctest.h>

#include "ledger/core/types.h"

namespace ledger::core {
namespace {

TEST_CASE("dates parse and format as YYYY-MM-DD, and invalid dates are refused") {
  auto d = Date::Parse("2026-10-14");
  REQUIRE(d.has_value());
  CHECK(d->year() == 2026);
  CHECK(d->month() == 10);
  CHECK(d->day() == 14);
  CHECK(d->ToString() == "2026-10-14");
  CHECK(Date::FromYmd(1970, 1, 1).days == 0);
  CHECK(Date::Parse("2028-02-29").has_value());
  CHECK_FALSE(Date::Parse("2026-02-29").has_value());
  CHECK_FALSE(Date::Parse("2100-02-29").has_value());
  CHECK(Date::Parse("2000-02-29").has_value());
  CHECK_FALSE(Date::Parse("2026-13-01").has_value());
  CHECK_FALSE(Date::Parse("2026-04-31").has_value());
  CHECK_FALSE(Date::Parse("2026-4-1").has_value());
  CHECK_FALSE(Date::Parse("2026/04/01").has_value());
  CHECK_FALSE(Date::Parse("").has_value());
}

TEST_CASE("dates from year 1 to 9999 round-trip through their text") {
  for (int32_t days = Date::FromYmd(1, 1, 1).days; days <= Date::FromYmd(9999, 12, 31).days; days += 997) {
    const Date d{days};
    auto parsed = Date::Parse(d.ToString());
    REQUIRE(parsed.has_value());
    CHECK(parsed->days == days);
  }
}

TEST_CASE("a timestamp maps to its UTC date, also just before midnight and before 1970") {
  constexpr Timestamp kDay = 86'400'000'000;
  CHECK(Date::FromTimestamp(0).ToString() == "1970-01-01");
  CHECK(Date::FromTimestamp(kDay - 1).ToString() == "1970-01-01");
  CHECK(Date::FromTimestamp(kDay).ToString() == "1970-01-02");
  CHECK(Date::FromTimestamp(-1).ToString() == "1969-12-31");
  CHECK(Date::FromTimestamp(Date::FromYmd(2026, 11, 15).days * kDay + 5).ToString() == "2026-11-15");
}

TEST_CASE("a monthly period covers the calendar month") {
  auto p = Period::Parse(Frequency::kMonthly, "2026-02");
  REQUIRE(p.has_value());
  CHECK(p->start.ToString() == "2026-02-01");
  CHECK(p->end.ToString() == "2026-02-28");
  CHECK(p->ToString() == "2026-02");
  CHECK(Period::Month(2028, 2).end.ToString() == "2028-02-29");
  CHECK(Period::Month(2026, 12).end.ToString() == "2026-12-31");
  CHECK_FALSE(Period::Parse(Frequency::kMonthly, "2026-13").has_value());
  CHECK_FALSE(Period::Parse(Frequency::kMonthly, "2026-00").has_value());
}

TEST_CASE("quarters follow the NHS financial year: Q1 is April to June, Q4 is January to March of the next year") {
  struct Case {
    const char* text;
    const char* start;
    const char* end;
  };
  for (const Case& c : {Case{"2026-Q1", "2026-04-01", "2026-06-30"}, Case{"2026-Q2", "2026-07-01", "2026-09-30"},
                        Case{"2026-Q3", "2026-10-01", "2026-12-31"}, Case{"2026-Q4", "2027-01-01", "2027-03-31"}}) {
    auto p = Period::Parse(Frequency::kQuarterly, c.text);
    REQUIRE(p.has_value());
    CHECK(p->start.ToString() == c.start);
    CHECK(p->end.ToString() == c.end);
    CHECK(p->ToString() == c.text);
  }
  CHECK_FALSE(Period::Parse(Frequency::kQuarterly, "2026-Q5").has_value());
  CHECK_FALSE(Period::Parse(Frequency::kQuarterly, "2026-Q0").has_value());
}

TEST_CASE("an annual period is the financial year April to March") {
  auto p = Period::Parse(Frequency::kAnnual, "2026/27");
  REQUIRE(p.has_value());
  CHECK(p->start.ToString() == "2026-04-01");
  CHECK(p->end.ToString() == "2027-03-31");
  CHECK(p->ToString() == "2026/27");
  CHECK(Period::Parse(Frequency::kAnnual, "2099/00").has_value());
  CHECK_FALSE(Period::Parse(Frequency::kAnnual, "2026/28").has_value());
}

TEST_CASE("a one-off period is the single day of the activity") {
  auto p = Period::Parse(Frequency::kOneOff, "2026-10-14");
  REQUIRE(p.has_value());
  CHECK(p->start == p->end);
  CHECK(p->ToString() == "2026-10-14");
  CHECK_FALSE(Period::Parse(Frequency::kOneOff, "2026-10-32").has_value());
}

TEST_CASE("a period's frequency is inferred from the shape of its text") {
  CHECK(Period::Parse("2026-10")->frequency == Frequency::kMonthly);
  CHECK(Period::Parse("2026-Q3")->frequency == Frequency::kQuarterly);
  CHECK(Period::Parse("2026/27")->frequency == Frequency::kAnnual);
  CHECK(Period::Parse("2026-10-14")->frequency == Frequency::kOneOff);
  CHECK_FALSE(Period::Parse("October 2026").has_value());
  CHECK_FALSE(Period::Parse(Frequency::kMonthly, "2026-Q3").has_value());
}

TEST_CASE("frequencies have stable names") {
  for (Frequency f : {Frequency::kMonthly, Frequency::kQuarterly, Frequency::kAnnual, Frequency::kOneOff}) {
    CHECK(ParseFrequency(FrequencyName(f)) == f);
  }
  CHECK(FrequencyName(Frequency::kOneOff) == "one-off");
  CHECK_FALSE(ParseFrequency("weekly").has_value());
}

TEST_CASE("money is shown in pounds with thousands separators and two decimals") {
  CHECK(FormatPounds(0) == "£0.00");
  CHECK(FormatPounds(5) == "£0.05");
  CHECK(FormatPounds(1'499'999) == "£14,999.99");
  CHECK(FormatPounds(1'500'000) == "£15,000.00");
  CHECK(FormatPounds(123'456'789) == "£1,234,567.89");
  CHECK(FormatPounds(-250) == "-£2.50");
  CHECK(FormatPounds(INT64_MIN) == "-£92,233,720,368,547,758.08");
  CHECK(FormatPoundsPlain(1'500'000) == "15000.00");
  CHECK(FormatPoundsPlain(-1) == "-0.01");
}

}  // namespace
}  // namespace ledger::core
