#include "ledger/tools/csv.h"

namespace ledger::tools {

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

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += CsvField(fields[i]);
  }
  out.push_back('\n');
  return out;
}

}  // namespace ledger::tools
