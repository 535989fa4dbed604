// A small RFC 4180 CSV reader and writer for the practices file, bulk claim
// imports and payment exports. Pure; thread-safe.
//
// Reading accepts a UTF-8 byte-order mark, LF or CRLF line ends, quoted fields
// (with "" for a quote, and commas or line breaks inside), and skips blank
// lines. Each record keeps the line number it starts on, for error messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ledger::tools {

struct CsvRecord {
  int line = 0;  // 1-based line number of the record's first character
  std::vector<std::string> fields;
};

struct CsvParse {
  std::vector<CsvRecord> records;
  std::string error;  // non-empty: the first syntax error, e.g. "line 7: a quoted field is not closed"
  int error_line = 0;
};

CsvParse ParseCsv(std::string_view text);

// One field, quoted when it holds a comma, a quote or a line break.
std::string CsvField(std::string_view value);
// A whole line: fields joined with commas, ending in "\n".
std::string CsvLine(const std::vector<std::string>& fields);

}  // namespace ledger::tools
