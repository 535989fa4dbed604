#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "ledger/base/csv.h"
#include "ledger/tools/simulator.h"

namespace ledger::tools {

es::Result<std::vector<PracticeRow>> ReadPractices(const std::string& csv_path) {
  std::ifstream in(csv_path, std::ios::binary);
  if (!in) return es::Status::NotFound(fmt::format("cannot read the practices file {}", csv_path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  base::CsvParse parsed = base::ParseCsv(buffer.str());
  if (!parsed.error.empty()) return es::Status::Invalid(fmt::format("{}: {}", csv_path, parsed.error));
  std::vector<PracticeRow> rows;
  bool header = true;
  for (const base::CsvRecord& record : parsed.records) {
    if (header) {
      header = false;
      if (record.fields.size() < 5 || record.fields[0] != "practice_code")
        return es::Status::Invalid(
            fmt::format("{}: the header must start practice_code,practice_name,postcode,"
                        "sub_icb_location_code,registered_patients",
                        csv_path));
      continue;
    }
    if (record.fields.size() != 5)
      return es::Status::Invalid(
          fmt::format("{}: line {} has {} fields, expected 5", csv_path, record.line, record.fields.size()));
    PracticeRow row{record.fields[0], record.fields[1], record.fields[2], record.fields[3], 0};
    const std::string& count = record.fields[4];
    auto [ptr, ec] = std::from_chars(count.data(), count.data() + count.size(), row.patients);
    if (ec != std::errc() || ptr != count.data() + count.size() || row.patients < 0)
      return es::Status::Invalid(
          fmt::format("{}: line {}: registered_patients is not a whole number", csv_path, record.line));
    // Trailing punctuation in the source names ("Fulwell Medical Centre,") is trimmed.
    while (!row.name.empty() && (row.name.back() == ',' || row.name.back() == ' ')) row.name.pop_back();
    if (row.name.empty()) row.name = "Practice " + row.code;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace ledger::tools
