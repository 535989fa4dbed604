// CSV (RFC 4180): the one reader and the one writer of every CSV file the
// ledger reads or writes (reports, payment files, templates, the practices
// file). Pure; thread-safe.
//
// Writing is cell by cell and knows text from numbers. A text cell that a
// spreadsheet would run as a formula (it starts with =, +, -, @, tab, CR or
// LF) is neutralised the OWASP way: prefixed with ' and quoted. A number cell
// is one the caller formatted itself (-12.50) and is written as it is; a
// number cell that is not a plain decimal number is written as text.
//
// Reading accepts a UTF-8 byte-order mark, quoted fields (with "" for a quote,
// and commas or line breaks inside, kept as they are), and skips blank lines.
// Outside quotes a line ends at CRLF, LF or a lone CR: a lone CR is what old
// Mac spreadsheets end lines with and what Python's csv module and
// spreadsheets read as a line end; kept in a value it would hide in a code or
// a number. Each record keeps the line number it starts on, for messages.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ledger::base {

struct CsvRecord {
  int line = 0;  // 1-based line number of the record's first character
  std::vector<std::string> fields;
};

struct CsvParse {
  std::vector<CsvRecord> records;
  std::string error;         // non-empty: the first syntax error, e.g. "line 7: a quoted field is not closed"
  std::string error_reason;  // the same without its line: "a quoted field is not closed"
  int error_line = 0;
};

CsvParse ParseCsv(std::string_view text);

// True when `value` starts with a character a spreadsheet reads as the start
// of a formula or strips before one: = + - @ tab CR LF.
bool IsCsvFormulaLead(std::string_view value);
// True for a plain decimal number: an optional '-', digits, optionally '.' and digits.
bool IsCsvNumber(std::string_view value);

// One text field as written: neutralised ('=1+2' becomes "'=1+2") when it
// could start a formula; quoted when it holds a comma, quote, CR or LF, or was
// neutralised; quotes doubled.
std::string CsvTextField(std::string_view value);

// Builds a CSV file row by row: header and text cells with Text, numbers the
// caller formatted with Number, EndRow after each row (CRLF). Not thread-safe.
class CsvWriter {
 public:
  CsvWriter& Text(std::string_view value);
  CsvWriter& Number(std::string_view value);
  // A whole row of text cells (a header), ended.
  CsvWriter& TextRow(const std::vector<std::string>& values);
  CsvWriter& EndRow();
  const std::string& str() const { return out_; }
  std::string Take() && { return std::move(out_); }

 private:
  void Separate();
  std::string out_;
  bool row_open_ = false;
};

}  // namespace ledger::base
