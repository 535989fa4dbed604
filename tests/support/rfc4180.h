// A strict RFC 4180 reader for tests: every record ends in CRLF, a field is
// either plain (no comma, quote, CR or LF) or wholly quoted with "" for a
// quote, and every record has as many fields as the first. Anything else is a
// failure with the byte offset, so a test can check that a writer's output is
// what a careful spreadsheet import expects.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ledger::testing {

struct StrictCsv {
  std::vector<std::vector<std::string>> records;  // raw field text after unquoting
  std::vector<std::vector<bool>> quoted;          // whether each field was quoted
  std::string error;                              // "" when the text is strict RFC 4180
};

inline StrictCsv ParseStrictCsv(std::string_view text) {
  StrictCsv out;
  auto fail = [&](size_t at, const std::string& why) {
    out.error = "byte " + std::to_string(at) + ": " + why;
    return out;
  };
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    std::vector<std::string> fields;
    std::vector<bool> quoted;
    while (true) {
      std::string field;
      bool is_quoted = i < n && text[i] == '"';
      if (is_quoted) {
        ++i;
        while (true) {
          if (i >= n) return fail(i, "a quoted field is not closed");
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          field.push_back(text[i++]);
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          if (text[i] == '"') return fail(i, "a quote inside an unquoted field");
          field.push_back(text[i++]);
        }
      }
      fields.push_back(std::move(field));
      quoted.push_back(is_quoted);
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      if (i + 1 < n && text[i] == '\r' && text[i + 1] == '\n') {
        i += 2;
        break;
      }
      return fail(i, i >= n ? "the last record does not end in CRLF" : "a field is followed by neither , nor CRLF");
    }
    if (!out.records.empty() && fields.size() != out.records.front().size())
      return fail(i, "a record has " + std::to_string(fields.size()) + " fields, the first has " +
                         std::to_string(out.records.front().size()));
    out.records.push_back(std::move(fields));
    out.quoted.push_back(std::move(quoted));
  }
  return out;
}

// The characters a text cell may not start with unless neutralised (OWASP).
inline constexpr std::string_view kFormulaLeads[] = {"=", "+", "-", "@", "\t", "\r"};

}  // namespace ledger::testing
