// Civil dates and the ledger's timestamp formats. A timestamp is int64
// microseconds since 1970-01-01T00:00:00Z (core::Timestamp, the envelope's
// recorded_at). Proleptic Gregorian calendar; times before 1970 round down.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ledger::base {

inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kMicrosPerHour = 3600 * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  bool operator==(const CivilDate&) const = default;
};

// Days since 1970-01-01 and back (H. Hinnant's algorithms). REQUIRES: a
// valid date for DaysFromCivil.
int32_t DaysFromCivil(const CivilDate& date);
CivilDate CivilFromDays(int32_t days);
// The day a timestamp falls on (UTC), as days since 1970-01-01.
int32_t DayOf(int64_t micros);

// "2026-04-03T08:12:00.000000Z": RFC 3339 in UTC to the microsecond, what the
// API, the reports and `ledger replay` print.
std::string FormatRfc3339Micros(int64_t micros);
// The other way, by the date library: "2026-04-03T08:12:00Z" or with up to six
// digits of fraction ("...T08:12:00.5Z"), UTC only; nullopt for anything else.
std::optional<int64_t> ParseRfc3339(std::string_view text);
// "2026-04-03T08:12:00Z": RFC 3339 in UTC to the second (HTML <time datetime>).
std::string FormatRfc3339Seconds(int64_t micros);
// "2026-04-03".
std::string FormatDate(const CivilDate& date);
// "2026-04".
std::string FormatYearMonth(int year, int month);

// UK civil time, from Europe/London in the system's time-zone database
// (Debian's tzdata, read through Howard Hinnant's date library, since GCC 12's
// libstdc++ has no std::chrono::locate_zone): BST (UTC+1) from 01:00 UTC on the
// last Sunday of March to 01:00 UTC on the last Sunday of October, GMT (UTC)
// otherwise, and whatever the database records for other years.
bool IsBritishSummerTime(int64_t utc_micros);
int64_t UkLocalTime(int64_t utc_micros);  // utc plus London's offset then

}  // namespace ledger::base
