#include "ledger/base/time.h"

// date::from_stream keeps parsed seconds in a long double that GCC 12 cannot
// see is set before use (it is, whenever parsing succeeds).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <date/tz.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <fmt/format.h>

#include <chrono>
#include <sstream>

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
// Europe/London in the system's time-zone database (Debian's tzdata), looked
// up once.
const date::time_zone& London() {
  static const date::time_zone* const zone = date::locate_zone("Europe/London");
  return *zone;
}

date::sys_info LondonAt(int64_t utc_micros) {
  return London().get_info(date::sys_time<std::chrono::microseconds>(std::chrono::microseconds(utc_micros)));
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

namespace {

// Writes `value` (>= 0) as exactly `width` decimal digits, zero-padded.
char* PutDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// "YYYY-MM-DD" into out (10 characters); the year in 0..9999.
char* PutDate(char* out, const CivilDate& date) {
  out = PutDigits(out, date.year, 4);
  *out++ = '-';
  out = PutDigits(out, date.month, 2);
  *out++ = '-';
  return PutDigits(out, date.day, 2);
}

bool FourDigitYear(const CivilDate& date) { return date.year >= 0 && date.year <= 9999; }

// "YYYY-MM-DDTHH:MM:SS" then `tail`, written digit by digit: the answers of
// the API carry many timestamps, and a general formatter costs several times
// more per field.
std::string FormatRfc3339(int64_t micros, bool with_micros) {
  const CivilDate date = CivilFromDays(DayOf(micros));
  const TimeOfDay t = TimeOfDayOf(micros);
  if (!FourDigitYear(date)) {
    std::string out = fmt::format("{}T{:02}:{:02}:{:02}", FormatDate(date), t.hour, t.minute, t.second);
    return out + (with_micros ? fmt::format(".{:06}Z", t.micros) : "Z");
  }
  std::string out(with_micros ? 27 : 20, 'Z');
  char* p = PutDate(out.data(), date);
  *p++ = 'T';
  p = PutDigits(p, t.hour, 2);
  *p++ = ':';
  p = PutDigits(p, t.minute, 2);
  *p++ = ':';
  p = PutDigits(p, t.second, 2);
  if (with_micros) {
    *p++ = '.';
    PutDigits(p, t.micros, 6);
  }
  return out;
}

}  // namespace

std::string FormatRfc3339Micros(int64_t micros) { return FormatRfc3339(micros, /*with_micros=*/true); }

std::optional<int64_t> ParseRfc3339(std::string_view text) {
  if (text.size() < 20 || text.size() > 27 || text[10] != 'T' || text.back() != 'Z') return std::nullopt;
  std::istringstream in{std::string(text)};
  date::sys_time<std::chrono::microseconds> at;
  in >> date::parse("%FT%TZ", at);
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
  return at.time_since_epoch().count();
}

std::string FormatRfc3339Seconds(int64_t micros) { return FormatRfc3339(micros, /*with_micros=*/false); }

std::string FormatDate(const CivilDate& date) {
  if (!FourDigitYear(date)) return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
  std::string out(10, '-');
  PutDate(out.data(), date);
  return out;
}

std::string FormatYearMonth(int year, int month) { return fmt::format("{:04}-{:02}", year, month); }

bool IsBritishSummerTime(int64_t utc_micros) { return LondonAt(utc_micros).save != std::chrono::minutes(0); }

int64_t UkLocalTime(int64_t utc_micros) {
  return utc_micros + std::chrono::duration_cast<std::chrono::microseconds>(LondonAt(utc_micros).offset).count();
}

}  // namespace ledger::base
