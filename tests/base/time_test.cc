#include <doctest/doctest.h>

#include "ledger/base/time.h"

namespace ledger::base {
namespace {

int64_t Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int64_t us = 0) {
  return static_cast<int64_t>(DaysFromCivil({y, mo, d})) * kMicrosPerDay + h * kMicrosPerHour +
         (mi * 60 + s) * kMicrosPerSecond + us;
}

TEST_CASE("civil dates and day numbers go both ways, leap days and times before 1970 included") {
  CHECK(DaysFromCivil({1970, 1, 1}) == 0);
  CHECK(DaysFromCivil({2000, 3, 1}) == 11017);
  CHECK(DaysFromCivil({1969, 12, 31}) == -1);
  for (int32_t day = -800'000; day <= 800'000; day += 997) {
    CAPTURE(day);
    CHECK(DaysFromCivil(CivilFromDays(day)) == day);
  }
  CHECK(CivilFromDays(DaysFromCivil({2024, 2, 29})) == CivilDate{2024, 2, 29});
  CHECK(DayOf(-1) == -1);
  CHECK(DayOf(0) == 0);
}

TEST_CASE("timestamps are formatted as RFC 3339 in UTC, to the microsecond or the second") {
  CHECK(FormatRfc3339Micros(0) == "1970-01-01T00:00:00.000000Z");
  CHECK(FormatRfc3339Micros(Utc(2026, 4, 3, 8, 12, 5, 42)) == "2026-04-03T08:12:05.000042Z");
  CHECK(FormatRfc3339Micros(-1) == "1969-12-31T23:59:59.999999Z");
  CHECK(FormatRfc3339Seconds(Utc(2026, 4, 3, 8, 12, 5, 999'999)) == "2026-04-03T08:12:05Z");
  CHECK(FormatRfc3339Seconds(-1) == "1969-12-31T23:59:59Z");
  CHECK(FormatDate({2026, 4, 3}) == "2026-04-03");
  CHECK(FormatYearMonth(987, 11) == "0987-11");
  // Every field zero-padded, up to the widest four-digit year, and past it.
  CHECK(FormatDate({987, 1, 2}) == "0987-01-02");
  CHECK(FormatRfc3339Micros(Utc(9999, 12, 31, 23, 59, 59, 999'999)) == "9999-12-31T23:59:59.999999Z");
  CHECK(FormatRfc3339Seconds(Utc(1, 2, 3, 4, 5, 6)) == "0001-02-03T04:05:06Z");
  CHECK(FormatRfc3339Micros(Utc(10000, 1, 1)) == "10000-01-01T00:00:00.000000Z");
  CHECK(FormatRfc3339Seconds(Utc(10000, 1, 1)) == "10000-01-01T00:00:00Z");
  CHECK(FormatDate({10000, 1, 1}) == "10000-01-01");
}

TEST_CASE("RFC 3339 times in UTC read back to the microsecond, and nothing else reads") {
  for (int64_t at : {int64_t{0}, int64_t{-1}, Utc(2026, 4, 3, 8, 12, 5, 42), Utc(9999, 12, 31, 23, 59, 59, 999'999)}) {
    CHECK(ParseRfc3339(FormatRfc3339Micros(at)) == at);
  }
  CHECK(ParseRfc3339("2026-04-03T08:12:05Z") == Utc(2026, 4, 3, 8, 12, 5));
  CHECK(ParseRfc3339("2026-04-03T08:12:05.5Z") == Utc(2026, 4, 3, 8, 12, 5, 500'000));
  for (const char* bad :
       {"", "2026-04-03", "2026-04-03T08:12:05", "2026-04-03T08:12:05+01:00", "2026-04-03 08:12:05Z",
        "2026-13-03T08:12:05Z", "2026-04-03T08:12:05ZZ", "yesterday", "2026-04-03T08:12:05.1234567Z"}) {
    CHECK_MESSAGE(!ParseRfc3339(bad).has_value(), bad);
  }
}

TEST_CASE("British Summer Time runs from 01:00 UTC on the last Sunday of March to the last Sunday of October") {
  CHECK_FALSE(IsBritishSummerTime(Utc(2026, 3, 29, 0, 59, 59)));
  CHECK(IsBritishSummerTime(Utc(2026, 3, 29, 1)));
  CHECK(IsBritishSummerTime(Utc(2026, 10, 25, 0, 59, 59)));
  CHECK_FALSE(IsBritishSummerTime(Utc(2026, 10, 25, 1)));
  CHECK(UkLocalTime(Utc(2026, 6, 30, 23, 30)) == Utc(2026, 7, 1, 0, 30));
  CHECK(UkLocalTime(Utc(2026, 12, 1, 9)) == Utc(2026, 12, 1, 9));
}

TEST_CASE("UK local time follows the time-zone database where history departs from today's rule") {
  // From 27 October 1968 to 31 October 1971 the UK kept UTC+1 all year (British Standard Time), as standard
  // time, not as summer time.
  CHECK(UkLocalTime(Utc(1970, 1, 15, 12)) == Utc(1970, 1, 15, 13));
  CHECK_FALSE(IsBritishSummerTime(Utc(1970, 1, 15, 12)));
  // In 1947 the clocks went two hours ahead in the summer (British Double Summer Time).
  CHECK(UkLocalTime(Utc(1947, 6, 15, 12)) == Utc(1947, 6, 15, 14));
  CHECK(IsBritishSummerTime(Utc(1947, 6, 15, 12)));
}

}  // namespace
}  // namespace ledger::base
