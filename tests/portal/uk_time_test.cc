// UK local time on the portal's pages: GMT in winter, BST (UTC+1) from 01:00 UTC
// on the last Sunday of March to 01:00 UTC on the last Sunday of October.
#include <doctest/doctest.h>

#include "ledger/base/time.h"
#include "portal_internal.h"

namespace ledger::http::portal {
namespace {

core::Timestamp Utc(int year, int month, int day, int hour, int minute, int second = 0) {
  int64_t seconds = int64_t{core::Date::FromYmd(year, month, day).days} * 86'400 + hour * 3600 + minute * 60 + second;
  return seconds * 1'000'000;
}

TEST_CASE("clocks go forward at 01:00 UTC on the last Sunday of March") {
  // 29 March 2026 is the last Sunday of March 2026.
  CHECK_FALSE(base::IsBritishSummerTime(Utc(2026, 3, 29, 0, 59, 59)));
  CHECK(base::IsBritishSummerTime(Utc(2026, 3, 29, 1, 0)));
  CHECK(FormatWhen(Utc(2026, 3, 29, 0, 59)) == "29 March 2026, 12:59am");
  CHECK(FormatWhen(Utc(2026, 3, 29, 1, 0)) == "29 March 2026, 2:00am");
  // A week earlier is still winter time.
  CHECK(FormatWhen(Utc(2026, 3, 22, 12, 0)) == "22 March 2026, 12:00pm");
}

TEST_CASE("clocks go back at 01:00 UTC on the last Sunday of October") {
  // 25 October 2026 is the last Sunday of October 2026.
  CHECK(base::IsBritishSummerTime(Utc(2026, 10, 25, 0, 59, 59)));
  CHECK_FALSE(base::IsBritishSummerTime(Utc(2026, 10, 25, 1, 0)));
  CHECK(FormatWhen(Utc(2026, 10, 25, 0, 59)) == "25 October 2026, 1:59am");
  CHECK(FormatWhen(Utc(2026, 10, 25, 1, 0)) == "25 October 2026, 1:00am");
}

TEST_CASE("a month ending on a Sunday changes on its 31st") {
  // 31 October 2027 and 31 March 2024 are Sundays.
  CHECK(base::IsBritishSummerTime(Utc(2027, 10, 31, 0, 59)));
  CHECK_FALSE(base::IsBritishSummerTime(Utc(2027, 10, 31, 1, 0)));
  CHECK_FALSE(base::IsBritishSummerTime(Utc(2024, 3, 31, 0, 59)));
  CHECK(base::IsBritishSummerTime(Utc(2024, 3, 31, 1, 0)));
  CHECK_FALSE(base::IsBritishSummerTime(Utc(2024, 3, 24, 1, 0)));
}

TEST_CASE("around midnight the UK date is the local one and the ISO time stays UTC") {
  // Summer: 23:30 UTC is 00:30 the next day in the UK.
  CHECK(FormatWhen(Utc(2026, 6, 30, 23, 30)) == "1 July 2026, 12:30am");
  CHECK(FormatIso(Utc(2026, 6, 30, 23, 30)) == "2026-06-30T23:30:00Z");
  CHECK(FormatWhen(Utc(2026, 6, 30, 22, 59)) == "30 June 2026, 11:59pm");
  // Winter: UK time is UTC.
  CHECK(FormatWhen(Utc(2026, 12, 31, 23, 30)) == "31 December 2026, 11:30pm");
  CHECK(FormatWhen(Utc(2027, 1, 1, 0, 0)) == "1 January 2027, 12:00am");
  CHECK(base::UkLocalTime(Utc(2027, 1, 1, 0, 0)) == Utc(2027, 1, 1, 0, 0));
  CHECK(base::UkLocalTime(Utc(2026, 7, 1, 0, 0)) == Utc(2026, 7, 1, 1, 0));
}

}  // namespace
}  // namespace ledger::http::portal
