#include "ledger/core/csv.h"

namespace ledger::core {

CsvParse ParseCsv(std::string_view text) {
  CsvParse out;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  int line = 1;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    // A blank line (only a line end) is skipped.
    if (text[i] == '\n' || (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')) {
      i += text[i] == '\r' ? 2 : 1;
      ++line;
      continue;
    }
    CsvRecord record;
    record.line = line;
    std::string field;
    bool done = false;
    while (!done) {
      if (i < n && text[i] == '"') {
        int open_line = line;
        ++i;
        bool closed = false;
        while (i < n) {
          char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field.push_back(c);
          ++i;
        }
        if (!closed) {
          out.error = "line " + std::to_string(open_line) + ": a quoted field is not closed";
          out.error_line = open_line;
          return out;
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          out.error = "line " + std::to_string(line) + ": a quoted field is followed by text before the next comma";
          out.error_line = line;
          return out;
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')) {
          if (text[i] == '"') {
            out.error = "line " + std::to_string(line) + ": a quote inside an unquoted field (quote the whole field)";
            out.error_line = line;
            return out;
          }
          field.push_back(text[i]);
          ++i;
        }
        if (i < n && text[i] == '\r' && i + 1 == n) ++i;  // a lone trailing CR
      }
      record.fields.push_back(std::move(field));
      field.clear();
      if (i >= n) {
        done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        i += text[i] == '\r' ? 2 : 1;  // CRLF or LF
        ++line;
        done = true;
      }
    }
    out.records.push_back(std::move(record));
  }
  return out;
}

bool IsCsvFormulaLead(std::string_view value) {
  if (value.empty()) return false;
  switch (value.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
    case '\n':
      return true;
    default:
      return false;
  }
}

bool IsCsvNumber(std::string_view value) {
  if (value.starts_with('-')) value.remove_prefix(1);
  size_t digits = 0;
  while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9') ++digits;
  if (digits == 0) return false;
  value.remove_prefix(digits);
  if (value.empty()) return true;
  if (value.front() != '.' || value.size() == 1) return false;
  for (char c : value.substr(1))
    if (c < '0' || c > '9') return false;
  return true;
}

namespace {

std::string Quoted(std::string_view prefix, std::string_view value) {
  std::string out = "\"";
  out.append(prefix);
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

std::string CsvTextField(std::string_view value) {
  if (IsCsvFormulaLead(value)) return Quoted("'", value);
  if (value.find_first_of(",\"\r\n") != std::string_view::npos) return Quoted("", value);
  return std::string(value);
}

void CsvWriter::Separate() {
  if (row_open_) out_.push_back(',');
  row_open_ = true;
}

CsvWriter& CsvWriter::Text(std::string_view value) {
  Separate();
  out_ += CsvTextField(value);
  return *this;
}

CsvWriter& CsvWriter::Number(std::string_view value) {
  if (!IsCsvNumber(value)) return Text(value);
  Separate();
  out_.append(value);
  return *this;
}

CsvWriter& CsvWriter::TextRow(const std::vector<std::string>& values) {
  for (const std::string& v : values) Text(v);
  return EndRow();
}

CsvWriter& CsvWriter::EndRow() {
  out_.append("\r\n");
  row_open_ = false;
  return *this;
}

}  // namespace ledger::core
