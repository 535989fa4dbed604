#include "ledger/base/time.h"

#include <fmt/format.h>

namespace ledger::base {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

struct TimeOfDay {
  int64_t hour, minute, second, micros;
};

TimeOfDay TimeOfDayOf(int64_t micros) {
  int64_t in_day = micros - static_cast<int64_t>(DayOf(micros)) * kMicrosPerDay;
  int64_t seconds = in_day / kMicrosPerSecond;
  return {seconds / 3600, seconds / 60 % 60, seconds % 60, in_day % kMicrosPerSecond};
}

// 01:00 UTC on the last Sunday of a 31-day month (March, October).
int64_t LastSundayAtOneUtc(int year, int month) {
  int32_t last = DaysFromCivil({year, month, 31});
  int weekday = ((last + 4) % 7 + 7) % 7;  // 0 = Sunday; 1970-01-01 was a Thursday
  return static_cast<int64_t>(last - weekday) * kMicrosPerDay + kMicrosPerHour;
}

}  // namespace

int32_t DaysFromCivil(const CivilDate& date) {
  const int y = date.year - (date.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

int32_t DayOf(int64_t micros) { return static_cast<int32_t>(FloorDiv(micros, kMicrosPerDay)); }

std::string FormatRfc3339Micros(int64_t micros) {
  TimeOfDay t = TimeOfDayOf(micros);
  return fmt::format("{}T{:02}:{:02}:{:02}.{:06}Z", FormatDate(CivilFromDays(DayOf(micros))), t.hour, t.minute,
                     t.second, t.micros);
}

std::string FormatRfc3339Seconds(int64_t micros) {
  TimeOfDay t = TimeOfDayOf(micros);
  return fmt::format("{}T{:02}:{:02}:{:02}Z", FormatDate(CivilFromDays(DayOf(micros))), t.hour, t.minute, t.second);
}

std::string FormatDate(const CivilDate& date) {
  return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

std::string FormatYearMonth(int year, int month) { return fmt::format("{:04}-{:02}", year, month); }

bool IsBritishSummerTime(int64_t utc_micros) {
  int year = CivilFromDays(DayOf(utc_micros)).year;
  return utc_micros >= LastSundayAtOneUtc(year, 3) && utc_micros < LastSundayAtOneUtc(year, 10);
}

int64_t UkLocalTime(int64_t utc_micros) { return utc_micros + (IsBritishSummerTime(utc_micros) ? kMicrosPerHour : 0); }

}  // namespace ledger::base
