// Previous and next links for lists paged by the read models' cursor.
#include <algorithm>

#include <fmt/format.h>

#include "portal_internal.h"

namespace ledger::http::portal {
namespace {

constexpr std::string_view kFirstPage = "-";

bool IsCursor(std::string_view s) {
  auto lower_hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  return !s.empty() && s.size() % 2 == 0 && std::all_of(s.begin(), s.end(), lower_hex);
}

bool IsTrail(std::string_view s) {
  while (!s.empty()) {
    size_t dot = s.find('.');
    std::string_view part = s.substr(0, dot);
    if (part != kFirstPage && !IsCursor(part)) return false;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
    if (s.empty()) return false;
  }
  return true;
}

std::string Href(std::string_view base, const std::string& cursor, const std::string& back) {
  std::string href(base);
  auto add = [&href](std::string_view name, const std::string& value) {
    if (value.empty()) return;
    href += href.find('?') == std::string::npos ? '?' : '&';
    href.append(name).append("=").append(value);
  };
  add("cursor", cursor);
  add("back", back);
  return href;
}

}  // namespace

ListPage ListPageOf(const Call& call) {
  ListPage at;
  std::string cursor = call.Query("cursor");
  std::string back = call.Query("back");
  if (!IsCursor(cursor) || !IsTrail(back)) return at;
  at.cursor = cursor;
  at.back = back;
  at.number = 2 + static_cast<int>(std::count(back.begin(), back.end(), '.'));
  if (back.empty()) at.number = 2;
  return at;
}

json::value PaginationModel(std::string_view base, const ListPage& at, const std::string& next_cursor) {
  if (at.number == 1 && next_cursor.empty()) return false;
  std::string previous_href;
  if (at.number > 1) {
    size_t dot = at.back.rfind('.');
    std::string cursor = dot == std::string::npos ? at.back : at.back.substr(dot + 1);
    std::string back = dot == std::string::npos ? "" : at.back.substr(0, dot);
    if (cursor == kFirstPage) cursor.clear();
    previous_href = Href(base, cursor, cursor.empty() ? "" : back);
  }
  std::string next_href;
  if (!next_cursor.empty()) {
    std::string back = at.back;
    if (!back.empty()) back += '.';
    back += at.cursor.empty() ? std::string(kFirstPage) : at.cursor;
    next_href = Href(base, next_cursor, back);
  }
  return json::object{{"previous_href", previous_href},
                      {"previous_text", fmt::format("Page {}", at.number - 1)},
                      {"next_href", next_href},
                      {"next_text", fmt::format("Page {}", at.number + 1)}};
}

std::string ListCountText(size_t rows, const ListPage& at, const std::string& next_cursor) {
  std::string count = fmt::format("{} {}", rows, rows == 1 ? "claim" : "claims");
  if (at.number == 1 && next_cursor.empty()) return count;
  return fmt::format("{} on page {}", count, at.number);
}

}  // namespace ledger::http::portal
