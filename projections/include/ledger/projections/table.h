// Table: every report's shape, {columns, rows}, rendered as JSON (Boost.JSON)
// and as CSV (RFC 4180). Rendering is a pure function of the table, so a
// report gives the same bytes whether the projection was fed live or rebuilt.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "ledger/projections/claim_views.h"

namespace ledger::projections {

enum class ColumnKind : uint8_t {
  kText,
  kInteger,
  kMoney,     // int64 pence; rendered as pounds with two decimals ("15000.00")
  kDecimal2,  // int64 hundredths; rendered with two decimals ("12.34")
};
std::string_view ColumnKindName(ColumnKind kind);  // "text", "integer", "money", "decimal"

struct Column {
  std::string name;
  ColumnKind kind = ColumnKind::kText;
};

// A text cell, or an int64 interpreted by the column's kind.
using Cell = std::variant<std::string, int64_t>;

struct Table {
  std::string name;   // the report name
  std::string scope;  // the organisation it was produced for
  Answered as_of;
  // The log at as_of.position, in hex, for whoever checks the report against
  // the ledger later (docs/auditing.md): the event hash there (the chain's
  // head) and the Merkle tree's root over positions 1..as_of.position. Set by
  // the caller that holds the log (app::StampLogHead); "" when not set.
  std::string head_hash;
  std::string tree_root;
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

// {"report","scope","as_of":{"position","at"[,"hash","tree_root"]},"columns":[{"name","kind"}],"rows":[[...]]};
// money and decimal cells as strings ("15000.00"), integers as numbers.
boost::json::object TableToJson(const Table& table);
std::string TableToJsonText(const Table& table);
// RFC 4180 through base::CsvWriter: a header row, CRLF line ends, fields quoted
// when they hold a comma, quote, CR or LF (quotes doubled); number cells
// (int64) as numbers, money as pounds with two decimals; text cells that could
// start a spreadsheet formula (= + - @ tab CR LF) prefixed with ' and quoted.
std::string TableToCsv(const Table& table);

// "12.34" from 1234 hundredths.
std::string FormatDecimal2(int64_t hundredths);

}  // namespace ledger::projections
