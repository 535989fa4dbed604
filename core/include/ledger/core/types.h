// Value types shared by every aggregate: money, dates, periods, timestamps.
// Pure values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ledger::core {

// A described struct added to an event as one field after the event was first
// written: while it is empty (equal to T{}) it is left out of the event's
// FlatBuffers table and of its JSON, so that an event without it encodes, reads
// and shows exactly as before (docs/domain.md, "Event codec"). Specialised to
// true next to such a struct.
template <typename T>
inline constexpr bool kAddedLater = false;

// Money is always int64 pence. £15,000.00 == 1'500'000.
using Pence = int64_t;
// Microseconds since the Unix epoch (UTC), supplied by the caller of Decide.
using Timestamp = int64_t;

// "£15,000.00" / "-£2.50".
std::string FormatPounds(Pence pence);
// "15000.00": the form used in CSV reports.
std::string FormatPoundsPlain(Pence pence);

// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
struct Date {
  int32_t days = 0;
  static Date FromYmd(int year, int month, int day);
  // Parses "YYYY-MM-DD" (years 0001 to 9999); nullopt when malformed or not a real date.
  static std::optional<Date> Parse(std::string_view text);
  // The UTC date of a timestamp.
  static Date FromTimestamp(Timestamp at);
  int year() const;
  int month() const;             // 1..12
  int day() const;               // 1..31
  std::string ToString() const;  // "YYYY-MM-DD"
  Date AddDays(int n) const { return Date{days + n}; }
  auto operator<=>(const Date&) const = default;
};

// How often a service is claimed.
enum class Frequency : uint8_t { kMonthly = 0, kQuarterly = 1, kAnnual = 2, kOneOff = 3 };
std::string_view FrequencyName(Frequency f);  // "monthly", "quarterly", "annual", "one-off"
std::optional<Frequency> ParseFrequency(std::string_view text);

// The stretch of time a claim covers.
//   monthly   "2026-10"       1 Oct 2026 .. 31 Oct 2026
//   quarterly "2026-Q3"       1 Oct 2026 .. 31 Dec 2026 (NHS financial quarters:
//                             Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar of year+1)
//   annual    "2026/27"       1 Apr 2026 .. 31 Mar 2027 (financial year)
//   one-off   "2026-10-14"    that single day (the date of the activity)
struct Period {
  Frequency frequency = Frequency::kMonthly;
  Date start;
  Date end;  // inclusive
  // nullopt when malformed: a month outside 01..12, a quarter outside Q1..Q4, year 0000.
  static std::optional<Period> Parse(Frequency frequency, std::string_view text);
  // Infers the frequency from the text's shape.
  static std::optional<Period> Parse(std::string_view text);
  static Period Month(int year, int month);
  std::string ToString() const;
  auto operator<=>(const Period&) const = default;
};

}  // namespace ledger::core
