// Auditor pages (event log, verify), reports with a chart and a table, and the
// signed-out account request page.
#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "ledger/app/event_visibility.h"
#include "ledger/base/time.h"
#include "ledger/core/codec.h"
#include "ledger/core/streams.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/projections/claim_views.h"
#include "ledger/projections/reports.h"
#include "portal_internal.h"

namespace ledger::http::portal {
namespace {

using core::Action;
constexpr size_t kEventsPerPage = 50;
constexpr size_t kReportRowsPerPage = 50;  // the CSV download has every row

std::string ClaimOfStream(const std::string& stream) { return stream.rfind("claim-", 0) == 0 ? stream.substr(6) : ""; }

// "ClaimApprovedAtTier" -> "Claim approved at tier".
std::string EventTypeText(std::string_view type) {
  std::string out;
  for (char c : type) {
    if (std::isupper(static_cast<unsigned char>(c)) && !out.empty()) {
      out += ' ';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

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
                      {"type", EventTypeText(e.type)},
                      {"actor", e.actor_id.empty() ? "system" : e.actor_id},
                      {"summary", summary},
                      {"hash", hash},
                      {"hash_short", hash.substr(0, 12)}};
}

// ---- "As of": a date and time (UK time) or a log position -----------------------

// What the person asked the page to be computed as of: ?as_of= (a date, or a
// date and time, in UK time) or ?position= (a log position), through the
// projections' one parser (projections::AsOf::Parse).
struct AsOfChoice {
  std::string when, position;                               // as typed
  projections::AsOf as_of;                                  // the head when neither was given (or one was bad)
  std::vector<std::pair<std::string, std::string>> errors;  // field id, message
};

std::string Trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// The UTC time of a UK wall-clock time (an hour earlier during BST). A time
// the clocks skip in March is taken as GMT; one they repeat in October as BST.
core::Timestamp UtcOfUkTime(core::Timestamp local) {
  const core::Timestamp summer = local - 3'600'000'000LL;
  return base::UkLocalTime(summer) == local ? summer : local;
}

// "2026-03-31" (the end of that day) or "2026-03-31 14:30" (or with a T), in UK time.
std::optional<core::Timestamp> ParseUkWhen(const std::string& text) {
  std::string iso;
  if (text.size() == 10) {
    iso = text;
  } else if (text.size() == 16 && (text[10] == ' ' || text[10] == 'T')) {
    iso = text.substr(0, 10) + "T" + text.substr(11) + ":00Z";
  } else {
    return std::nullopt;
  }
  std::optional<projections::AsOf> parsed = projections::AsOf::Parse(iso);
  if (!parsed || !parsed->at) return std::nullopt;  // a number is a position, not a date
  return UtcOfUkTime(*parsed->at);
}

AsOfChoice ReadAsOf(Page& page, uint64_t head) {
  AsOfChoice c;
  c.when = Trimmed(page.call().Query("as_of"));
  c.position = Trimmed(page.call().Query("position"));
  if (!c.when.empty() && !c.position.empty()) {
    c.errors.emplace_back("position", "Enter a date and time or a log position, not both");
  } else if (!c.position.empty()) {
    std::optional<int64_t> n = ParseWholeNumber(c.position);
    if (!n || *n < 1) {
      c.errors.emplace_back("position", "Enter the log position as a whole number, like 1,234");
    } else if (static_cast<uint64_t>(*n) > head) {
      const std::string last = WithThousands(static_cast<int64_t>(head));
      c.errors.emplace_back("position",
                            fmt::format("The log has {} events so far: enter a position from 1 to {}", last, last));
    } else {
      c.as_of = projections::AsOf::Position(static_cast<uint64_t>(*n));
    }
  } else if (!c.when.empty()) {
    std::optional<core::Timestamp> at = ParseUkWhen(c.when);
    if (!at) {
      c.errors.emplace_back("as_of", "Enter the date as 2026-03-31, or the date and time as 2026-03-31 14:30");
    } else {
      c.as_of = projections::AsOf::Time(*at);
    }
  }
  return c;
}

// The as_of and position inputs (partials/as_of_fields), filled in and with their errors.
json::object AsOfFields(const AsOfChoice& c, std::string_view latest) {
  auto error_of = [&c](std::string_view id) {
    for (const auto& [field, message] : c.errors) {
      if (field == id) return message;
    }
    return std::string();
  };
  json::object when = InputField("as_of", "as_of", "Date, or date and time");
  when["hint"] = "In UK time. For example, 2026-03-31 (the end of that day) or 2026-03-31 14:30";
  when["width_class"] = "nhsuk-input--width-20";
  when["value"] = c.when;
  when["error"] = error_of("as_of");
  json::object position = InputField("position", "position", "Or log position");
  position["hint"] = "Every event up to and including this one. For example, 1,234";
  position["inputmode"] = "numeric";
  position["width_class"] = "nhsuk-input--width-10";
  position["value"] = c.position;
  position["error"] = error_of("position");
  return json::object{{"as_of", when}, {"position", position}, {"latest", latest}};
}

// The log a page was computed from (partials/log_head): its last event's
// position and time, and the fingerprint of the log up to it (the hash chain's
// hash there), shortened with the full value beside it.
json::object LogHead(uint64_t position, core::Timestamp at, const std::string& hash) {
  const std::string pos = WithThousands(static_cast<int64_t>(position));
  if (position == 0) {
    return json::object{{"position", "0"}, {"text", "The log had no events then."}, {"hash", ""}};
  }
  return json::object{{"position", pos},
                      {"text",
                       at != 0 ? fmt::format("Computed from the log up to event {}, recorded {}.", pos, FormatWhen(at))
                               : fmt::format("Computed from the log up to event {}.", pos)},
                      {"fingerprint_label", fmt::format("Fingerprint of the log up to event {}", pos)},
                      {"hash", hash},
                      {"hash_short", hash.substr(0, 12)}};
}

// The log head at `position`, read from the store (the event there carries the chain's hash).
json::object LogHeadAt(es::EventStore& store, uint64_t position) {
  if (position == 0) return LogHead(0, 0, "");
  auto events = store.ReadAll(position, 1);
  if (!events.ok() || events.value().empty()) return LogHead(0, 0, "");
  const es::Envelope& e = events.value().front();
  return LogHead(e.position, e.recorded_at_us, es::HashToHex(e.hash));
}

// The event log's filter form, filled in with the filters in use.
json::object EventFilterFields(const std::string& claim, const std::string& user, const std::string& type) {
  json::object claim_f = InputField("claim", "claim", "Claim");
  claim_f["value"] = claim;
  json::object user_f = InputField("user", "user", "User");
  user_f["value"] = user;
  json::object type_f = SelectField("type", "type", "Event type");
  json::array options;
  options.push_back(json::object{{"option_value", ""}, {"option_text", "All types"}, {"selected", type.empty()}});
  for (const char* t : {"ClaimDrafted", "ClaimSubmitted", "ClaimSubmissionFailed", "ClaimApprovedAtTier",
                        "ClaimRejected", "ClaimReturned", "PaymentHeld", "PaymentRunCreated", "PaymentRunConfirmed",
                        "PaymentRunPaid", "ServiceOffered", "AccountApproved"}) {
    options.push_back(json::object{{"option_value", t}, {"option_text", EventTypeText(t)}, {"selected", type == t}});
  }
  type_f["options"] = options;
  return json::object{{"claim", claim_f}, {"user", user_f}, {"type", type_f}};
}

// The newest position the event log shows: the "as of" asked for, else the
// page's `from` (Previous and Next), else the head.
uint64_t EventsUpTo(Page& page, const AsOfChoice& choice, uint64_t head) {
  if (!choice.errors.empty()) return head;
  if (choice.as_of.position) return *choice.as_of.position;
  if (choice.as_of.at) {
    auto answered = projections::ResolveAsOf(page.ledger().projections(), choice.as_of);
    return answered.ok() ? std::min(head, answered.value().position) : head;
  }
  auto from_q = ParseWholeNumber(page.call().Query("from"));
  if (from_q && *from_q > 0 && static_cast<uint64_t>(*from_q) < head) return static_cast<uint64_t>(*from_q);
  return head;
}

Response EventsPage(Page& page) {
  es::EventStore& store = page.portal().deps().ledger->store();
  es::Head head = store.GetHead();
  std::string claim = page.call().Query("claim");
  std::string user = page.call().Query("user");
  std::string type = page.call().Query("type");
  AsOfChoice choice = ReadAsOf(page, head.position);
  uint64_t last = EventsUpTo(page, choice, head.position);  // newest first: a page ends at `last`
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
  m["fields"] = EventFilterFields(claim, user, type);
  m["as_of_fields"] = AsOfFields(choice, "Leave both empty for the latest events.");
  if (!choice.errors.empty()) m["error_summary"] = ErrorSummary(choice.errors);
  m["log_head"] = LogHeadAt(store, last);
  m["has_events"] = !events.empty();
  m["events"] = events;
  m["previous_href"] = lowest > 1 && !events.empty() ? fmt::format("/audit/events?from={}{}", lowest - 1, filters) : "";
  m["next_href"] = last < head.position
                       ? fmt::format("/audit/events?from={}{}", std::min(head.position, last + kEventsPerPage), filters)
                       : "";
  return page.Render(choice.errors.empty() ? 200 : 422, "audit_events", m);
}

// The result of checking the whole chain, and the fingerprint of the log up
// to the position asked for (the head by default).
Response VerifyPage(Page& page) {
  es::EventStore& store = page.portal().deps().ledger->store();
  auto report = store.Verify();
  AsOfChoice choice = ReadAsOf(page, store.GetHead().position);
  json::object m = page.Base("Check the ledger", "/audit/verify");
  json::object verify{{"ok", false},
                      {"checked_text", ""},
                      {"problem", ""},
                      {"checked_at_text", FormatWhen(page.ledger().Now())}};
  uint64_t up_to = 0;
  if (!report.ok()) {
    verify["problem"] = report.status().ToString();
  } else {
    const auto& r = report.value();
    verify["ok"] = r.ok;
    verify["checked_text"] = fmt::format("{} events checked, from the first to event {}.",
                                         WithThousands(static_cast<int64_t>(r.events_checked)),
                                         WithThousands(static_cast<int64_t>(r.head.position)));
    verify["problem"] = r.ok ? ""
                             : fmt::format("Event {}: {}", WithThousands(static_cast<int64_t>(r.first_bad_position)),
                                           r.problem);
    up_to = r.head.position;
  }
  if (choice.errors.empty()) up_to = EventsUpTo(page, choice, up_to);
  m["verify"] = verify;
  m["as_of_fields"] = AsOfFields(choice, "Leave both empty for the fingerprint of the whole log.");
  if (!choice.errors.empty()) m["error_summary"] = ErrorSummary(choice.errors);
  m["log_head"] = LogHeadAt(store, up_to);
  return page.Render(choice.errors.empty() ? 200 : 422, "audit_verify", m);
}

// "Service and stage" -> "service and stage" (a title inside a sentence).
std::string Lowered(std::string text) {
  if (text.size() > 1 && std::isupper(static_cast<unsigned char>(text[0])) &&
      !std::isupper(static_cast<unsigned char>(text[1]))) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
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
        json::object{{"name", info.name},
                     {"title", info.title},
                     {"description", info.chart ? "Table, chart and CSV download" : "Table and CSV download"}});
  }
  json::object m = page.Base("Reports", "/reports");
  m["reports"] = reports;
  return page.Render(200, "reports", m);
}

// "approved_for_payment" -> "Approved for payment"; text that is not a code is kept.
std::string Sentence(std::string text) {
  if (text.empty() || !std::islower(static_cast<unsigned char>(text[0]))) return text;
  for (char& c : text) {
    if (c == '_') c = ' ';
  }
  text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// A cell as the page shows it: money in pounds, periods in words, codes as words.
std::string CellText(const projections::Column& col, const projections::Cell& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) {
    const std::string& name = col.name;
    if (name == "claim_id" && !s->empty()) return ClaimRef(*s);
    if (name == "period" || name.ends_with("_month")) return PeriodText(*s);
    if (name == "holder_role") return s->empty() ? *s : RoleText(*s);
    if (name == "roles" || name == "roles_requested") return RolesText(*s);
    if (name == "status" || name == "kind" || name == "stage" || name == "outlier") return Sentence(*s);
    return *s;
  }
  int64_t v = std::get<int64_t>(cell);
  switch (col.kind) {
    case projections::ColumnKind::kMoney: return core::FormatPounds(v);
    case projections::ColumnKind::kDecimal2: return projections::FormatDecimal2(v);
    default: return WithThousands(v);
  }
}

// A column's heading: the report's column name in words.
std::string ColumnTitle(const std::string& name) {
  static const std::map<std::string, std::string, std::less<>> kTitles = {
      {"service_id", "Service ID"},
      {"claim_id", "Claim"},
      {"provider", "Practice code"},
      {"provider_name", "Practice"},
      {"list_size", "Registered patients"},
      {"units_per_1000", "Units per 1,000 patients"},
      {"service_median", "Service median"},
      {"service_q1", "Lower quartile"},
      {"service_q3", "Upper quartile"},
      {"service_iqr", "Inter-quartile range"},
      {"median_hours", "Median (hours)"},
      {"p90_hours", "90th percentile (hours)"},
      {"head_position", "Log position"},
      {"head_hash", "Log fingerprint"},
      {"age_days", "Age (days)"},
      {"window_days", "Claim window (days)"},
      {"holder_role", "With"},
      {"risk_band", "Risk band"},
      {"reason_code", "Reason code"},
  };
  auto it = kTitles.find(name);
  return it != kTitles.end() ? it->second : Sentence(name);
}

double ChartNumber(const projections::Column& col, const projections::Cell& cell) {
  const auto* v = std::get_if<int64_t>(&cell);
  if (v == nullptr) return 0.0;
  return col.kind == projections::ColumnKind::kInteger ? static_cast<double>(*v) : static_cast<double>(*v) / 100.0;
}

int ColumnIndex(const projections::Table& t, std::string_view name) {
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

// A chart's data block (drawn by app.js) escaped for a <script> element.
std::string ScriptJson(const json::object& data) {
  std::string escaped;
  for (char c : json::serialize(data)) {
    if (c == '<') {
      escaped += "\\u003c";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

// The label of one row's bar: its label columns' non-empty texts, joined.
std::string BarLabel(const projections::Table& t, const std::vector<int>& label_cols,
                     const std::vector<projections::Cell>& row) {
  std::string label;
  for (int i : label_cols) {
    std::string text = CellText(t.columns[i], row[i]);
    if (!text.empty()) label += (label.empty() ? "" : ", ") + text;
  }
  return label;
}

std::vector<int> ColumnIndexes(const projections::Table& t, const std::vector<std::string>& names) {
  std::vector<int> out;
  for (const std::string& name : names) {
    if (int i = ColumnIndex(t, name); i >= 0) out.push_back(i);
  }
  return out;
}

// One chart (partials of report.mustache): its title, the text that says what
// it shows, and the data block app.js draws it from.
json::object ChartModel(std::string id, std::string title, std::string summary, json::object data) {
  std::string serialised = ScriptJson(data);
  return json::object{{"id", std::move(id)}, {"title", std::move(title)}, {"summary", std::move(summary)},
                      {"json", serialised},  {"data", std::move(data)},   {"outliers", json::array{}}};
}

// The report's measure for rows [begin, end) of the table: one bar per row,
// one series per value column, the axes titled with their units.
json::value BarChart(const projections::Table& t, const projections::ReportChart& spec, size_t begin, size_t end) {
  std::vector<int> label_cols = ColumnIndexes(t, spec.label_columns);
  std::vector<int> value_cols = ColumnIndexes(t, spec.value_columns);
  if (begin >= end || value_cols.empty()) return false;
  json::array labels, datasets;
  for (size_t r = begin; r < end; ++r) labels.emplace_back(BarLabel(t, label_cols, t.rows[r]));
  for (int col : value_cols) {
    json::array data;
    for (size_t r = begin; r < end; ++r) data.emplace_back(ChartNumber(t.columns[col], t.rows[r][col]));
    datasets.push_back(json::object{{"label", ColumnTitle(t.columns[col].name)}, {"data", data}});
  }
  json::object data{{"type", "bar"},
                    {"labels", labels},
                    {"x_title", spec.label_title},
                    {"y_title", spec.value_title},
                    {"datasets", datasets}};
  std::string rows = end - begin == t.rows.size()
                         ? "every row"
                         : fmt::format("rows {} to {} of {}", WithThousands(static_cast<int64_t>(begin + 1)),
                                       WithThousands(static_cast<int64_t>(end)),
                                       WithThousands(static_cast<int64_t>(t.rows.size())));
  return ChartModel("chart-data", fmt::format("{} by {} ({})", spec.value_title, Lowered(spec.label_title), rows),
                    "The same figures are in the table below.", std::move(data));
}

// A line across every bar at `value`, marking one of the service's statistics.
json::object ReferenceLine(std::string label, double value, size_t bars, bool dashed) {
  json::array data;
  for (size_t i = 0; i < bars; ++i) data.emplace_back(value);
  return json::object{{"type", "line"}, {"label", std::move(label)}, {"data", data}, {"dashed", dashed}};
}

// Uptake for one service: every practice's units per 1,000 registered
// patients, the service's median and quartiles marked, its outliers named.
// The statistics are the report's own columns (projections computes them).
json::object SpreadChart(const projections::Table& t, const projections::ReportChart& spec,
                         const std::vector<size_t>& rows, size_t n) {
  std::vector<int> label_cols = ColumnIndexes(t, spec.label_columns);
  const int value = ColumnIndex(t, spec.value_columns.front()), median = ColumnIndex(t, "service_median"),
            q1 = ColumnIndex(t, "service_q1"), q3 = ColumnIndex(t, "service_q3"), outlier = ColumnIndex(t, "outlier"),
            service = ColumnIndex(t, "service");
  const auto& first = t.rows[rows.front()];
  auto text = [&](int col, size_t r) { return CellText(t.columns[col], t.rows[r][col]); };
  json::array labels, data, colours, outliers;
  for (size_t r : rows) {
    labels.emplace_back(BarLabel(t, label_cols, t.rows[r]));
    data.emplace_back(ChartNumber(t.columns[value], t.rows[r][value]));
    const std::string flag = std::get<std::string>(t.rows[r][outlier]);
    colours.emplace_back(flag.empty() ? "#005eb8" : "#d5281b");
    if (!flag.empty()) {
      outliers.push_back(json::object{{"name", BarLabel(t, label_cols, t.rows[r])},
                                      {"direction", flag == "high" ? "High" : "Low"},
                                      {"value", text(value, r)}});
    }
  }
  json::array datasets{json::object{{"label", spec.value_title}, {"data", data}, {"colours", colours}},
                       ReferenceLine("Median " + text(median, rows.front()),
                                     ChartNumber(t.columns[median], first[median]), rows.size(), false),
                       ReferenceLine("Lower quartile " + text(q1, rows.front()), ChartNumber(t.columns[q1], first[q1]),
                                     rows.size(), true),
                       ReferenceLine("Upper quartile " + text(q3, rows.front()), ChartNumber(t.columns[q3], first[q3]),
                                     rows.size(), true)};
  json::object chart_data{{"type", "bar"},
                          {"labels", labels},
                          {"x_title", spec.label_title},
                          {"y_title", spec.value_title},
                          {"datasets", datasets}};
  std::string summary = fmt::format(
      "Median {} units per 1,000 registered patients. The middle half of practices lies between {} (lower quartile) "
      "and {} (upper quartile). {}",
      text(median, rows.front()), text(q1, rows.front()), text(q3, rows.front()),
      outliers.empty()
          ? "No practice is an outlier."
          : fmt::format("{} named below {} more than 1.5 times the inter-quartile range beyond a quartile.",
                        outliers.size() == 1 ? "The practice" : "The practices", outliers.size() == 1 ? "is" : "are"));
  json::object chart = ChartModel(fmt::format("chart-data-{}", n), text(service, rows.front()), summary,
                                  std::move(chart_data));
  chart["has_outliers"] = !outliers.empty();
  chart["outliers"] = outliers;
  return chart;
}

// The uptake charts: one per service in the (filtered) report, at most 12.
json::array SpreadCharts(const projections::Table& t, const projections::ReportChart& spec) {
  std::map<std::string, std::vector<size_t>> by_service;
  std::vector<std::string> order;
  const int service = ColumnIndex(t, "service_id");
  if (service < 0 || spec.value_columns.empty()) return {};
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const std::string& id = std::get<std::string>(t.rows[r][service]);
    if (!by_service.contains(id)) order.push_back(id);
    by_service[id].push_back(r);
  }
  json::array charts;
  for (const std::string& id : order) {
    if (charts.size() >= 12) break;
    charts.push_back(SpreadChart(t, spec, by_service[id], charts.size() + 1));
  }
  return charts;
}

// The filters the report page offers, in the order shown: those the report
// understands of service, provider and the periods.
constexpr std::array<std::string_view, 4> kPageFilters = {"service", "provider", "period_from", "period_to"};

bool Understands(const projections::ReportInfo& info, std::string_view filter) {
  return std::find(info.filters.begin(), info.filters.end(), filter) != info.filters.end();
}

// Options for a filter's select: every service or practice in the viewer's
// scope (from the directory reports), or the months of the last three years.
json::array FilterOptions(Page& page, std::string_view filter, const std::string& selected) {
  json::array options;
  auto add = [&](std::string value, std::string text) {
    bool is_selected = value == selected;
    options.push_back(
        json::object{{"option_value", std::move(value)}, {"option_text", std::move(text)}, {"selected", is_selected}});
  };
  add("", filter == "service" ? "All services" : filter == "provider" ? "All practices" : "Any period");
  projections::ReportParams params;
  params.scope = ReportScope(page);
  if (filter == "service" || filter == "provider") {
    auto table = page.ledger().RunReport(filter == "service" ? "services" : "organisations", params);
    if (!table.ok()) return options;
    const int id = ColumnIndex(*table, filter == "service" ? "service_id" : "code"), name = ColumnIndex(*table, "name");
    for (const auto& row : table->rows) {
      const std::string& value = std::get<std::string>(row[id]);
      if (value != params.scope) add(value, fmt::format("{} ({})", std::get<std::string>(row[name]), value));
    }
    return options;
  }
  const core::Date today = core::Date::FromTimestamp(page.ledger().Now());
  int year = today.year(), month = today.month();
  for (int i = 0; i < 36; ++i) {
    std::string value = fmt::format("{:04}-{:02}", year, month);
    add(value, PeriodText(value));
    if (--month == 0) month = 12, --year;
  }
  return options;
}

struct ReportFilters {
  std::map<std::string, std::string, std::less<>> values;  // the filters in use, by the report's names
  json::object fields;
  std::string query;  // "&service=...&provider=..." for links
  std::vector<std::pair<std::string, std::string>> errors;
};

bool Offers(const json::array& options, const std::string& value) {
  return std::any_of(options.begin(), options.end(),
                     [&](const json::value& o) { return o.at("option_value").as_string() == value; });
}

ReportFilters ReadReportFilters(Page& page, const projections::ReportInfo& info) {
  static const std::map<std::string_view, std::string_view> kLabels = {{"service", "Service"},
                                                                       {"provider", "Practice"},
                                                                       {"period_from", "From period"},
                                                                       {"period_to", "To period"}};
  ReportFilters f;
  for (std::string_view filter : kPageFilters) {
    if (!Understands(info, filter)) continue;
    std::string name(filter);
    std::string value = Trimmed(page.call().Query(name));
    json::object field = SelectField(name, name, std::string(kLabels.at(filter)));
    json::array options = FilterOptions(page, filter, value);
    if (!value.empty() && !Offers(options, value)) {
      std::string what = filter == "service" ? "a service" : filter == "provider" ? "a practice" : "a month";
      field["error"] = "Choose " + what + " from the list";
      f.errors.emplace_back(name, "Choose " + what + " from the list");
    } else if (!value.empty()) {
      f.values[name] = value;
      f.query += "&" + name + "=" + UrlEncode(value);
    }
    field["options"] = options;
    f.fields[name] = field;
  }
  return f;
}

// The page of the table asked for (?page=, 1-based; past the end: the last).
size_t PageNumber(Page& page, size_t rows) {
  const size_t pages = std::max<size_t>(1, (rows + kReportRowsPerPage - 1) / kReportRowsPerPage);
  std::optional<int64_t> n = ParseWholeNumber(page.call().Query("page"));
  if (!n || *n < 1) return 1;
  return std::min(pages, static_cast<size_t>(*n));
}

// The table's rows on one page, with every cell as the page shows it.
json::object TableModel(const projections::Table& t, size_t begin, size_t end) {
  json::array columns, rows;
  for (const auto& col : t.columns) {
    columns.push_back(
        json::object{{"label", ColumnTitle(col.name)}, {"numeric", col.kind != projections::ColumnKind::kText}});
  }
  for (size_t r = begin; r < end; ++r) {
    json::array cells;
    for (size_t i = 0; i < t.rows[r].size() && i < t.columns.size(); ++i) {
      cells.push_back(json::object{{"text", CellText(t.columns[i], t.rows[r][i])},
                                   {"numeric", t.columns[i].kind != projections::ColumnKind::kText}});
    }
    rows.push_back(json::object{{"cells", cells}});
  }
  return json::object{{"columns", columns}, {"rows", rows}};
}

// Previous and next pages of the table, the filters and "as of" kept.
json::value ReportPagination(const std::string& base, size_t number, size_t pages) {
  if (pages <= 1) return false;
  return json::object{{"previous_href", number > 1 ? fmt::format("{}&page={}", base, number - 1) : ""},
                      {"previous_text", fmt::format("Page {} of {}", number - 1, pages)},
                      {"next_href", number < pages ? fmt::format("{}&page={}", base, number + 1) : ""},
                      {"next_text", fmt::format("Page {} of {}", number + 1, pages)}};
}

// The report's title, table page, charts, CSV link and the head it was computed from.
// `filters` ("&service=...") are the report's filters as the API takes them; `links` adds the "as of" asked for.
void AddReportBody(Page& page, const projections::ReportInfo& info, const projections::Table& t,
                   const std::string& filters, const std::string& links, json::object& m) {
  const size_t number = PageNumber(page, t.rows.size());
  const size_t pages = std::max<size_t>(1, (t.rows.size() + kReportRowsPerPage - 1) / kReportRowsPerPage);
  const size_t begin = (number - 1) * kReportRowsPerPage, end = std::min(t.rows.size(), begin + kReportRowsPerPage);
  const std::string count = fmt::format("{} {}", WithThousands(static_cast<int64_t>(t.rows.size())),
                                        t.rows.size() == 1 ? "row" : "rows");
  json::object report = TableModel(t, begin, end);
  report["name"] = info.name;
  report["title"] = info.title;
  report["row_count"] = t.rows.size();
  report["row_count_text"] = count;
  report["table_caption"] = pages == 1 ? fmt::format("{} ({})", info.title, count)
                                       : fmt::format("{}: rows {} to {} of {} (page {} of {})", info.title,
                                                     WithThousands(static_cast<int64_t>(begin + 1)),
                                                     WithThousands(static_cast<int64_t>(end)), count, number, pages);
  // The CSV is the same report through the API: the same filters, as of the position this page was computed at.
  report["csv_href"] = fmt::format("/api/v1/reports/{}?format=csv&as_of={}{}", info.name, t.as_of.position, filters);
  m["report"] = report;
  m["pagination"] = ReportPagination(fmt::format("/reports/{}?{}", info.name, links.empty() ? "" : links.substr(1)),
                                     number, pages);
  json::array charts;
  if (info.chart && info.chart->per_service_spread) {
    charts = SpreadCharts(t, *info.chart);
  } else if (info.chart) {
    if (json::value chart = BarChart(t, *info.chart, begin, end); chart.is_object()) charts.push_back(chart);
  }
  m["uses_charts"] = !charts.empty();
  m["charts"] = charts;
  m["log_head"] = LogHead(t.as_of.position, t.as_of.at, t.head_hash);
}

Response ReportPage(Page& page) {
  const projections::ReportInfo* info = projections::FindReport(page.call().Param("name"));
  if (info == nullptr || !MaySee(page, *info)) return page.NotFound();
  AsOfChoice choice = ReadAsOf(page, page.ledger().store().GetHead().position);
  ReportFilters filters = ReadReportFilters(page, *info);
  projections::ReportParams params;
  params.scope = ReportScope(page);
  params.filters = filters.values;
  auto table = page.ledger().RunReport(info->name, params, choice.as_of);
  std::vector<std::pair<std::string, std::string>> errors = choice.errors;
  errors.insert(errors.end(), filters.errors.begin(), filters.errors.end());
  if (!table.ok()) errors.emplace_back("service", "The report could not be computed: " + table.status().ToString());
  json::object m = page.Base(info->title, "/reports");
  m["fields"] = filters.fields;
  m["has_filters"] = !filters.fields.empty();
  m["as_of_fields"] = AsOfFields(choice, "Leave both empty for the latest figures.");
  if (!errors.empty()) m["error_summary"] = ErrorSummary(errors);
  std::string links = filters.query;
  if (!choice.when.empty() && choice.errors.empty()) links += "&as_of=" + UrlEncode(choice.when);
  if (!choice.position.empty() && choice.errors.empty()) links += "&position=" + UrlEncode(choice.position);
  m["report"] = json::object{{"name", info->name}, {"title", info->title}};
  if (table.ok()) AddReportBody(page, *info, *table, filters.query, links, m);
  m["has_report"] = table.ok();
  return page.Render(errors.empty() ? 200 : 422, "report", m);
}

}  // namespace

void AddAuditRoutes(const std::shared_ptr<Portal>& p, std::vector<Route>& routes) {
  routes.push_back(PageRoute(p, "GET", "/audit/events", Action::kViewEvents, EventsPage));
  routes.push_back(PageRoute(p, "GET", "/audit/verify", Action::kVerifyLog, VerifyPage));
  routes.push_back(PageRoute(p, "GET", "/reports", std::nullopt, ReportsPage));
  routes.push_back(PageRoute(p, "GET", "/reports/{name}", std::nullopt, ReportPage));
}

}  // namespace ledger::http::portal
