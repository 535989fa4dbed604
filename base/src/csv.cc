#include "ledger/base/csv.h"

namespace ledger::base {

namespace {

// Reads one CSV text record by record. Line ends outside quotes: CRLF, LF or
// a lone CR, each one line end.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  CsvParse Read() {
    while (i_ < text_.size() && out_.error.empty()) {
      if (LineEndLength(i_) > 0) {
        SkipLineEnd();  // a blank line
        continue;
      }
      ReadRecord();
    }
    return std::move(out_);
  }

 private:
  // 2 for CRLF, 1 for LF or a lone CR, 0 for anything else (or the end).
  size_t LineEndLength(size_t at) const {
    if (at >= text_.size()) return 0;
    if (text_[at] == '\n') return 1;
    if (text_[at] != '\r') return 0;
    return at + 1 < text_.size() && text_[at + 1] == '\n' ? 2 : 1;
  }
  void SkipLineEnd() {
    i_ += LineEndLength(i_);
    ++line_;
  }
  void Fail(int line, std::string reason) {
    out_.error = "line " + std::to_string(line) + ": " + reason;
    out_.error_reason = std::move(reason);
    out_.error_line = line;
  }

  void ReadRecord() {
    CsvRecord record;
    record.line = line_;
    while (out_.error.empty()) {
      record.fields.push_back(i_ < text_.size() && text_[i_] == '"' ? Quoted() : Plain());
      if (i_ < text_.size() && text_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < text_.size()) SkipLineEnd();
      break;
    }
    if (out_.error.empty()) out_.records.push_back(std::move(record));
  }

  // A quoted field from its opening quote: its text verbatim, "" for a quote.
  std::string Quoted() {
    const int open_line = line_;
    std::string field;
    for (++i_; i_ < text_.size(); ++i_) {
      if (text_[i_] == '"') {
        if (i_ + 1 >= text_.size() || text_[i_ + 1] != '"') break;
        ++i_;
      } else if (size_t end = LineEndLength(i_); end > 0) {
        field.append(text_.substr(i_, end));
        i_ += end - 1;
        ++line_;
        continue;
      }
      field.push_back(text_[i_]);
    }
    if (i_ >= text_.size()) {
      Fail(open_line, "a quoted field is not closed");
      return field;
    }
    ++i_;  // the closing quote
    if (i_ < text_.size() && text_[i_] != ',' && LineEndLength(i_) == 0)
      Fail(line_, "a quoted field is followed by text before the next comma");
    return field;
  }

  std::string Plain() {
    std::string field;
    for (; i_ < text_.size() && text_[i_] != ',' && LineEndLength(i_) == 0; ++i_) {
      if (text_[i_] == '"') {
        Fail(line_, "a quote inside an unquoted field (quote the whole field)");
        break;
      }
      field.push_back(text_[i_]);
    }
    return field;
  }

  std::string_view text_;
  size_t i_ = 0;
  int line_ = 1;
  CsvParse out_;
};

}  // namespace

CsvParse ParseCsv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return CsvReader(text).Read();
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
    case '\n': return true;
    default: return false;
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

}  // namespace ledger::base
