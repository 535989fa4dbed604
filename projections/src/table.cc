#include "ledger/projections/table.h"

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include "ledger/base/csv.h"

namespace ledger::projections {

std::string_view ColumnKindName(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kText: return "text";
    case ColumnKind::kInteger: return "integer";
    case ColumnKind::kMoney: return "money";
    case ColumnKind::kDecimal2: return "decimal";
  }
  return "text";
}

std::string FormatDecimal2(int64_t hundredths) {
  const bool negative = hundredths < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(hundredths) : static_cast<uint64_t>(hundredths);
  return fmt::format("{}{}.{:02}", negative ? "-" : "", magnitude / 100, magnitude % 100);
}

namespace {

std::string CellText(const Cell& cell, ColumnKind kind) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  int64_t v = std::get<int64_t>(cell);
  switch (kind) {
    case ColumnKind::kMoney: return core::FormatPoundsPlain(v);
    case ColumnKind::kDecimal2: return FormatDecimal2(v);
    default: return std::to_string(v);
  }
}

}  // namespace

boost::json::object TableToJson(const Table& table) {
  boost::json::array columns;
  for (const Column& c : table.columns) {
    columns.emplace_back(boost::json::object{{"name", c.name}, {"kind", ColumnKindName(c.kind)}});
  }
  boost::json::array rows;
  for (const auto& row : table.rows) {
    boost::json::array cells;
    for (size_t i = 0; i < row.size(); ++i) {
      ColumnKind kind = i < table.columns.size() ? table.columns[i].kind : ColumnKind::kText;
      if (kind == ColumnKind::kInteger && std::holds_alternative<int64_t>(row[i])) {
        cells.emplace_back(std::get<int64_t>(row[i]));
      } else {
        cells.emplace_back(CellText(row[i], kind));
      }
    }
    rows.emplace_back(std::move(cells));
  }
  boost::json::object as_of{{"position", table.as_of.position}, {"at", FormatTimestamp(table.as_of.at)}};
  if (!table.head_hash.empty()) as_of["hash"] = table.head_hash;
  if (!table.tree_root.empty()) as_of["tree_root"] = table.tree_root;
  return {{"report", table.name},
          {"scope", table.scope},
          {"as_of", std::move(as_of)},
          {"columns", std::move(columns)},
          {"rows", std::move(rows)}};
}

std::string TableToJsonText(const Table& table) { return boost::json::serialize(TableToJson(table)); }

std::string TableToCsv(const Table& table) {
  base::CsvWriter csv;
  for (const Column& c : table.columns) csv.Text(c.name);
  csv.EndRow();
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      ColumnKind kind = i < table.columns.size() ? table.columns[i].kind : ColumnKind::kText;
      // Only what the table holds as a number is written as one; text stays text, whatever it looks like.
      if (std::holds_alternative<int64_t>(row[i])) {
        csv.Number(CellText(row[i], kind));
      } else {
        csv.Text(CellText(row[i], kind));
      }
    }
    csv.EndRow();
  }
  return std::move(csv).Take();
}

}  // namespace ledger::projections
