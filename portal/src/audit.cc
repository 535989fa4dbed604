// Auditor pages (event log, verify), reports with a chart and a table, and the
// signed-out account request page.
#include <algorithm>

#include <fmt/format.h>

#include "ledger/app/event_visibility.h"
#include "ledger/core/codec.h"
#include "ledger/core/streams.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/projections/reports.h"
#include "portal_internal.h"

namespace ledger::http::portal {
namespace {

using core::Action;
constexpr size_t kEventsPerPage = 50;
constexpr size_t kReportRowsShown = 100;  // the CSV download has every row

std::string ClaimOfStream(const std::string& stream) { return stream.rfind("claim-", 0) == 0 ? stream.substr(6) : ""; }

// One row of the event log: where, when, who, and the amount or reason it carries.
json::object EventRow(const es::Envelope& e) {
  std::string summary;
  auto decoded = core::Decode(e.type, e.schema_version, e.payload);
  if (decoded.ok()) {
    json::object j = core::ToJson(decoded.value());
    if (j.contains("amount") && j["amount"].is_int64()) summary = core::FormatPounds(j["amount"].as_int64());
    if (j.contains("reason") && j["reason"].is_string() && !j["reason"].as_string().empty()) {
      summary += (summary.empty() ? "" : ", ") + std::string(j["reason"].as_string());
    }
  }
  std::string hash = es::HashToHex(e.hash);
  return json::object{{"position", WithThousands(static_cast<int64_t>(e.position))},
                      {"recorded_iso", FormatIso(e.recorded_at_us)},
                      {"recorded_text", FormatWhen(e.recorded_at_us)},
                      {"stream_id", e.stream_id},
                      {"claim_id", ClaimOfStream(e.stream_id)},
                      {"stream_version", std::to_string(e.stream_version)},
                      {"type", e.type},
                      {"actor", e.actor_id.empty() ? "system" : e.actor_id},
                      {"summary", summary},
                      {"hash_short", hash.substr(0, 12)}};
}

// The event log's filter form, filled in with the filters in use.
json::object EventFilterFields(Page& page, const std::string& claim, const std::string& user, const std::string& type) {
  json::object claim_f = InputField("claim", "claim", "Claim");
  claim_f["value"] = claim;
  json::object user_f = InputField("user", "user", "User");
  user_f["value"] = user;
  json::object from_f = InputField("from", "from", "From position");
  from_f["inputmode"] = "numeric";
  from_f["value"] = page.call().Query("from");
  json::object type_f = SelectField("type", "type", "Event type");
  json::array options;
  options.push_back(json::object{{"option_value", ""}, {"option_text", "All types"}, {"selected", type.empty()}});
  for (const char* t : {"ClaimDrafted", "ClaimSubmitted", "ClaimSubmissionFailed", "ClaimApprovedAtTier",
                        "ClaimRejected", "ClaimReturned", "PaymentHeld", "PaymentRunCreated", "PaymentRunConfirmed",
                        "PaymentRunPaid", "ServiceOffered", "AccountApproved"}) {
    options.push_back(json::object{{"option_value", t}, {"option_text", t}, {"selected", type == t}});
  }
  type_f["options"] = options;
  return json::object{{"claim", claim_f}, {"user", user_f}, {"type", type_f}, {"from", from_f}};
}

Response EventsPage(Page& page) {
  es::EventStore& store = page.portal().deps().ledger->store();
  es::Head head = store.GetHead();
  std::string claim = page.call().Query("claim");
  std::string user = page.call().Query("user");
  std::string type = page.call().Query("type");
  auto from_q = ParseWholeNumber(page.call().Query("from"));
  uint64_t last = head.position;
  // Newest first: a page ends at `from` (default: the head).
  if (from_q && *from_q > 0 && static_cast<uint64_t>(*from_q) < last) last = static_cast<uint64_t>(*from_q);
  // The API's rule for which events this person may see.
  app::EventVisibility visibility(page.ledger(), page.who(), page.call().context().authorize);
  json::array events;
  uint64_t scanned_to = last;
  uint64_t lowest = last + 1;
  // Scan backwards in chunks until a page is full (filters may skip events).
  while (events.size() < kEventsPerPage && scanned_to > 0) {
    uint64_t chunk = std::min<uint64_t>(scanned_to, 500);
    uint64_t from = scanned_to - chunk + 1;
    auto batch = store.ReadAll(from, chunk);
    if (!batch.ok()) break;
    for (auto it = batch.value().rbegin(); it != batch.value().rend() && events.size() < kEventsPerPage; ++it) {
      const es::Envelope& e = *it;
      lowest = e.position;
      if (!claim.empty() && e.stream_id != core::ClaimStream(claim)) continue;
      if (!user.empty() && e.actor_id != user) continue;
      if (!type.empty() && e.type != type) continue;
      if (!visibility.Visible(e)) continue;
      events.push_back(EventRow(e));
    }
    scanned_to = from - 1;
  }
  std::string filters;
  if (!claim.empty()) filters += "&claim=" + UrlEncode(claim);
  if (!user.empty()) filters += "&user=" + UrlEncode(user);
  if (!type.empty()) filters += "&type=" + UrlEncode(type);
  json::object m = page.Base("Event log", "/audit/events");
  m["summary_text"] = events.empty() ? "No events match."
                                     : fmt::format("{} events, newest first, from position {} of {}", events.size(),
                                                   WithThousands(static_cast<int64_t>(last)),
                                                   WithThousands(static_cast<int64_t>(head.position)));
  m["fields"] = EventFilterFields(page, claim, user, type);
  m["has_events"] = !events.empty();
  m["events"] = events;
  m["previous_href"] = lowest > 1 && !events.empty() ? fmt::format("/audit/events?from={}{}", lowest - 1, filters) : "";
  m["next_href"] = last < head.position
                       ? fmt::format("/audit/events?from={}{}", std::min(head.position, last + kEventsPerPage), filters)
                       : "";
  return page.Render(200, "audit_events", m);
}

Response VerifyPage(Page& page) {
  auto report = page.portal().deps().ledger->store().Verify();
  json::object m = page.Base("Check the ledger", "/audit/verify");
  if (!report.ok()) {
    m["verify"] =
        json::object{{"ok", false},         {"checked_text", ""}, {"problem", report.status().ToString()},
                     {"head_position", ""}, {"head_hash", ""},    {"checked_at_text", FormatWhen(page.ledger().Now())}};
  } else {
    const auto& r = report.value();
    m["verify"] = json::object{{"ok", r.ok},
                               {"checked_text", fmt::format("{} events checked from position 1 to {}.",
                                                            WithThousands(static_cast<int64_t>(r.events_checked)),
                                                            WithThousands(static_cast<int64_t>(r.head.position)))},
                               {"problem", r.ok ? "" : fmt::format("Position {}: {}", r.first_bad_position, r.problem)},
                               {"head_position", WithThousands(static_cast<int64_t>(r.head.position))},
                               {"head_hash", es::HashToHex(r.head.hash)},
                               {"checked_at_text", FormatWhen(page.ledger().Now())}};
  }
  return page.Render(200, "audit_verify", m);
}

// ---- Reports ---------------------------------------------------------------------

std::string ReportScope(const Page& page) {
  return page.who().commissioner_code.empty() ? page.who().org_code : page.who().commissioner_code;
}

bool MaySee(Page& page, const projections::ReportInfo& info) {
  if (info.scope != projections::ScopeKind::kCommissioner) return false;
  core::Scope scope;
  scope.commissioner_code = ReportScope(page);
  return page.Allowed(info.action, scope) && !page.viewer().IsProvider();
}

Response ReportsPage(Page& page) {
  json::array reports;
  for (const auto& info : projections::Reports()) {
    if (!MaySee(page, info) || info.name == "payment_run_claims") continue;
    reports.push_back(
        json::object{{"name", info.name}, {"title", info.title}, {"description", "Table, chart and CSV download"}});
  }
  json::object m = page.Base("Reports", "/reports");
  m["reports"] = reports;
  return page.Render(200, "reports", m);
}

std::string CellText(const projections::Column& col, const projections::Cell& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  int64_t v = std::get<int64_t>(cell);
  switch (col.kind) {
    case projections::ColumnKind::kMoney: return core::FormatPounds(v);
    case projections::ColumnKind::kDecimal2: return projections::FormatDecimal2(v);
    default: return WithThousands(v);
  }
}

std::string Label(std::string name) {
  for (char& c : name) {
    if (c == '_') c = ' ';
  }
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

// A report table as the page shows it: the first rows, and the label and
// value columns of its chart (the first text column that is not an id, and
// the first money column or else the first number).
struct ReportView {
  json::array columns, rows, labels, data;
  std::string chart_label;
};

ReportView ViewOf(const projections::Table& t) {
  ReportView v;
  int label_col = -1, value_col = -1;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    bool numeric = t.columns[i].kind != projections::ColumnKind::kText;
    v.columns.push_back(json::object{{"label", Label(t.columns[i].name)}, {"numeric", numeric}});
    if (!numeric && label_col < 0 && t.columns[i].name != "service_id") label_col = static_cast<int>(i);
    if (numeric && (value_col < 0 || (t.columns[value_col].kind != projections::ColumnKind::kMoney &&
                                      t.columns[i].kind == projections::ColumnKind::kMoney))) {
      value_col = static_cast<int>(i);
    }
  }
  for (const auto& row : t.rows) {
    if (v.rows.size() >= kReportRowsShown) break;
    json::array cells;
    for (size_t i = 0; i < row.size() && i < t.columns.size(); ++i) {
      cells.push_back(json::object{{"text", CellText(t.columns[i], row[i])},
                                   {"numeric", t.columns[i].kind != projections::ColumnKind::kText}});
    }
    v.rows.push_back(json::object{{"cells", cells}});
    if (label_col >= 0 && value_col >= 0 && v.labels.size() < 40) {
      v.labels.push_back(json::string(CellText(t.columns[label_col], row[label_col])));
      const auto* cell = std::get_if<int64_t>(&row[value_col]);
      double number = cell == nullptr ? 0.0 : static_cast<double>(*cell);
      if (t.columns[value_col].kind != projections::ColumnKind::kInteger) number /= 100.0;
      v.data.push_back(number);
    }
  }
  if (value_col >= 0) v.chart_label = Label(t.columns[value_col].name);
  return v;
}

// The bar chart of a report (false when it has nothing to chart), its JSON
// escaped for a <script> element.
json::value ChartOf(const ReportView& view) {
  if (!view.labels.empty()) {
    json::object chart_data{{"type", "bar"},
                            {"labels", view.labels},
                            {"y_title", view.chart_label},
                            {"datasets", json::array{json::object{{"label", view.chart_label}, {"data", view.data}}}}};
    std::string serialised = json::serialize(chart_data);
    std::string escaped;
    for (char c : serialised) {
      if (c == '<') {
        escaped += "\\u003c";
      } else {
        escaped += c;
      }
    }
    return json::object{{"title",
                         view.chart_label + (view.labels.size() < view.rows.size() ? " (the first 40 rows)" : "")},
                        {"json", escaped},
                        {"data", chart_data}};
  }
  return false;
}

Response ReportPage(Page& page) {
  const projections::ReportInfo* info = projections::FindReport(page.call().Param("name"));
  if (info == nullptr || !MaySee(page, *info)) return page.NotFound();
  std::string as_of_text = page.call().Query("as_of");
  projections::AsOf as_of;
  std::string error;
  if (!as_of_text.empty()) {
    auto d = core::Date::Parse(as_of_text);
    if (!d) {
      error = "Enter the date as YYYY-MM-DD, like 2026-03-31";
    } else {
      as_of = projections::AsOf::Time(static_cast<core::Timestamp>(d->AddDays(1).days) * 86'400'000'000LL - 1);
    }
  }
  projections::ReportParams params;
  params.scope = ReportScope(page);
  auto table = page.ledger().RunReport(info->name, params, as_of);
  json::object m = page.Base(info->title, "/reports");
  json::object as_of_f = InputField("as_of", "as_of", "As of date");
  as_of_f["label_class"] = "nhsuk-label--s";
  as_of_f["hint"] = "Leave empty for today. For example, 2026-03-31";
  as_of_f["width_class"] = "nhsuk-input--width-10";
  as_of_f["value"] = as_of_text;
  as_of_f["error"] = error;
  m["fields"] = json::object{{"as_of", as_of_f}};
  if (!error.empty()) m["error_summary"] = ErrorSummary({{"as_of", error}});
  ReportView view;
  if (table.ok()) view = ViewOf(table.value());
  json::array& rows = view.rows;
  projections::Answered answered = table.ok() ? table.value().as_of : projections::Answered{};
  m["report"] =
      json::object{{"name", info->name},
                   {"title", info->title},
                   {"description", info->title},
                   {"as_of", as_of_text},
                   {"as_of_text", fmt::format("Figures as of {}, ledger position {}.",
                                              answered.at ? FormatWhen(answered.at) : "the start of the ledger",
                                              WithThousands(static_cast<int64_t>(answered.position)))},
                   {"row_count", rows.size()},
                   {"table_caption", table.ok() && table.value().rows.size() > rows.size()
                                         ? fmt::format("{}: the first {} of {} rows (download the CSV for all of them)",
                                                       info->title, rows.size(), table.value().rows.size())
                                         : info->title},
                   {"columns", view.columns},
                   {"rows", rows}};
  json::value chart = ChartOf(view);
  m["chart"] = chart;
  m["uses_charts"] = !chart.is_bool();
  return page.Render(error.empty() ? 200 : 422, "report", m);
}

}  // namespace

void AddAuditRoutes(const std::shared_ptr<Portal>& p, std::vector<Route>& routes) {
  routes.push_back(PageRoute(p, "GET", "/audit/events", Action::kViewEvents, EventsPage));
  routes.push_back(PageRoute(p, "GET", "/audit/verify", Action::kVerifyLog, VerifyPage));
  routes.push_back(PageRoute(p, "GET", "/reports", std::nullopt, ReportsPage));
  routes.push_back(PageRoute(p, "GET", "/reports/{name}", std::nullopt, ReportPage));
}

}  // namespace ledger::http::portal
