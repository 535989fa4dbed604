#include "ledger/core/types.h"

#include <charconv>
#include <cstdlib>

#include "ledger/base/time.h"

namespace ledger::core {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Parses exactly `width` decimal digits.
std::optional<int> Digits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::string Pad(int value, int width) {
  std::string s = std::to_string(value);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

// "1234567" -> "1,234,567".
std::string GroupThousands(std::string digits) {
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return digits;
}

// Quarter q (1..4) of financial year starting in April of `fy`.
Period Quarter(int fy, int q) {
  const int first_month = 4 + (q - 1) * 3;  // 4, 7, 10, 13
  const int year = fy + (first_month > 12 ? 1 : 0);
  const int month = (first_month - 1) % 12 + 1;
  const Date start = Date::FromYmd(year, month, 1);
  const Date end = Date::FromYmd(year, month + 2, DaysInMonth(year, month + 2));
  return {Frequency::kQuarterly, start, end};
}

Period FinancialYear(int fy) { return {Frequency::kAnnual, Date::FromYmd(fy, 4, 1), Date::FromYmd(fy + 1, 3, 31)}; }

std::optional<Period> ParseMonthly(std::string_view t) {
  if (t.size() != 7 || t[4] != '-') return std::nullopt;
  auto y = Digits(t, 0, 4);
  auto m = Digits(t, 5, 2);
  if (!y || *y < 1 || !m || *m < 1 || *m > 12) return std::nullopt;
  return Period::Month(*y, *m);
}

std::optional<Period> ParseQuarterly(std::string_view t) {
  if (t.size() != 7 || t[4] != '-' || t[5] != 'Q') return std::nullopt;
  auto y = Digits(t, 0, 4);
  auto q = Digits(t, 6, 1);
  if (!y || *y < 1 || !q || *q < 1 || *q > 4) return std::nullopt;
  return Quarter(*y, *q);
}

std::optional<Period> ParseAnnual(std::string_view t) {
  if (t.size() != 7 || t[4] != '/') return std::nullopt;
  auto y = Digits(t, 0, 4);
  auto yy = Digits(t, 5, 2);
  if (!y || *y < 1 || !yy || (*y + 1) % 100 != *yy) return std::nullopt;
  return FinancialYear(*y);
}

std::optional<Period> ParseOneOff(std::string_view t) {
  auto d = Date::Parse(t);
  if (!d) return std::nullopt;
  return Period{Frequency::kOneOff, *d, *d};
}

}  // namespace

std::string FormatPoundsPlain(Pence pence) {
  const bool negative = pence < 0;
  // Work in unsigned to survive INT64_MIN.
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(pence) : static_cast<uint64_t>(pence);
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / 100) + "." + Pad(static_cast<int>(magnitude % 100), 2);
  return out;
}

std::string FormatPounds(Pence pence) {
  const bool negative = pence < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(pence) : static_cast<uint64_t>(pence);
  std::string out = negative ? "-\xC2\xA3" : "\xC2\xA3";  // "£" in UTF-8
  out += GroupThousands(std::to_string(magnitude / 100)) + "." + Pad(static_cast<int>(magnitude % 100), 2);
  return out;
}

Date Date::FromYmd(int year, int month, int day) { return Date{base::DaysFromCivil({year, month, day})}; }

std::optional<Date> Date::Parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = Digits(text, 0, 4);
  auto m = Digits(text, 5, 2);
  auto d = Digits(text, 8, 2);
  if (!y || *y < 1 || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > DaysInMonth(*y, *m)) return std::nullopt;
  return FromYmd(*y, *m, *d);
}

Date Date::FromTimestamp(Timestamp at) { return Date{base::DayOf(at)}; }

int Date::year() const { return base::CivilFromDays(days).year; }
int Date::month() const { return base::CivilFromDays(days).month; }
int Date::day() const { return base::CivilFromDays(days).day; }

std::string Date::ToString() const { return base::FormatDate(base::CivilFromDays(days)); }

std::string_view FrequencyName(Frequency f) {
  switch (f) {
    case Frequency::kMonthly: return "monthly";
    case Frequency::kQuarterly: return "quarterly";
    case Frequency::kAnnual: return "annual";
    case Frequency::kOneOff: return "one-off";
  }
  return "unknown";
}

std::optional<Frequency> ParseFrequency(std::string_view text) {
  for (Frequency f : {Frequency::kMonthly, Frequency::kQuarterly, Frequency::kAnnual, Frequency::kOneOff}) {
    if (FrequencyName(f) == text) return f;
  }
  return std::nullopt;
}

std::optional<Period> Period::Parse(Frequency frequency, std::string_view text) {
  switch (frequency) {
    case Frequency::kMonthly: return ParseMonthly(text);
    case Frequency::kQuarterly: return ParseQuarterly(text);
    case Frequency::kAnnual: return ParseAnnual(text);
    case Frequency::kOneOff: return ParseOneOff(text);
  }
  return std::nullopt;
}

std::optional<Period> Period::Parse(std::string_view text) {
  for (Frequency f : {Frequency::kMonthly, Frequency::kQuarterly, Frequency::kAnnual, Frequency::kOneOff}) {
    if (auto p = Parse(f, text)) return p;
  }
  return std::nullopt;
}

Period Period::Month(int year, int month) {
  return {Frequency::kMonthly, Date::FromYmd(year, month, 1), Date::FromYmd(year, month, DaysInMonth(year, month))};
}

std::string Period::ToString() const {
  switch (frequency) {
    case Frequency::kMonthly: return Pad(start.year(), 4) + "-" + Pad(start.month(), 2);
    case Frequency::kQuarterly: {
      const int fy = start.month() >= 4 ? start.year() : start.year() - 1;
      const int q = start.month() >= 4 ? (start.month() - 4) / 3 + 1 : 4;
      return Pad(fy, 4) + "-Q" + std::to_string(q);
    }
    case Frequency::kAnnual: return Pad(start.year(), 4) + "/" + Pad((start.year() + 1) % 100, 2);
    case Frequency::kOneOff: return start.ToString();
  }
  return start.ToString();
}

}  // namespace ledger::core
