// Reports: every commissioner, finance and provider report, and the directory
// listings, served by name as Tables "as of" a log position or a time.
// Pure reads of a ProjectionDb snapshot; thread-safe.
//
// Tenancy: every report takes a scope -- a commissioner code, or a provider
// code for the provider statement -- and shows nothing outside it. The caller
// checks the principal may see that scope (core::Authorize with the report's
// action) before calling.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/access.h"
#include "ledger/eventstore/status.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/table.h"

namespace ledger::projections {

enum class ScopeKind : uint8_t { kCommissioner, kProvider };

// The report's own measure, as its chart shows it: one bar per row, named by
// the label columns (joined with ", "), one series per value column, with the
// axis titles people read (the value axis with its unit). Reports that are
// lists (claims, services, accounts, ...) have none.
struct ReportChart {
  std::vector<std::string> label_columns;
  std::vector<std::string> value_columns;
  std::string label_title;  // "Practice"
  std::string value_title;  // "Units per 1,000 registered patients"
  // For uptake: one chart per service (service_id), marking that service's
  // median and quartiles (service_median, service_q1, service_q3) and naming
  // its outliers (outlier); the report computes them, the chart only shows them.
  bool per_service_spread = false;
};

struct ReportInfo {
  std::string name;
  std::string title;
  ScopeKind scope = ScopeKind::kCommissioner;
  core::Action action = core::Action::kViewReports;  // what the caller must be allowed to do
  std::vector<std::string> filters;                  // the parameter names it understands
  std::optional<ReportChart> chart;                  // its measure; none for lists
};

struct ReportParams {
  std::string scope;  // commissioner code, or provider code for ScopeKind::kProvider reports
  // Optional filters by name: service, provider, status, risk_band, period_from,
  // period_to (Period::ToString forms), run (payment run id), org.
  std::map<std::string, std::string, std::less<>> filters;
};

std::vector<ReportInfo> Reports();
std::vector<std::string> ReportNames();
const ReportInfo* FindReport(std::string_view name);

// Runs the named report. NotFound for an unknown name; Invalid for a missing
// scope or a malformed filter.
es::Result<Table> RunReport(const ProjectionDb& db, std::string_view name, const ReportParams& params,
                            const AsOf& as_of = {});

}  // namespace ledger::projections
