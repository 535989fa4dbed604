// The report registry and every report. Reports read claim rows, reasons and
// directory rows as of one position (a snapshot) and aggregate in memory; all
// arithmetic is integer so that the output is deterministic.
#include "ledger/projections/reports.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "claim_row.h"
#include "directory_rows.h"
#include "ledger/projections/keys.h"
#include "query_support.h"
#include "row_codec.h"
#include "stats.h"

namespace ledger::projections {

using core::ClaimStatus;
using internal::ReadView;
using internal::Versioned;

namespace {

using Row = std::vector<Cell>;
using Params = ReportParams;

std::string Filter(const Params& p, std::string_view name) {
  auto it = p.filters.find(name);
  return it == p.filters.end() ? std::string() : it->second;
}

// The claim filters every claim-based report understands.
struct ClaimSelection {
  std::string service, provider;
  std::optional<core::ClaimStatus> status;
  std::optional<core::RiskBand> risk_band;
  std::optional<core::Date> from, to;
  std::optional<core::Date> to_end;  // the last day of period_to, for dated rows (a run's pay date)

  // Whether a date (YYYY-MM-DD) falls from the start of period_from to the end of period_to.
  bool DateWithin(const std::string& text) const {
    if (!from && !to_end) return true;
    std::optional<core::Date> d = core::Date::Parse(text);
    return d && !(from && *d < *from) && !(to_end && *d > *to_end);
  }

  bool Matches(const ClaimView& c) const {
    if (c.status == ClaimStatus::kDeleted) return false;
    if (!service.empty() && c.service_id != service) return false;
    if (!provider.empty() && c.provider != provider) return false;
    if (status && c.status != *status) return false;
    if (risk_band && c.risk_band != *risk_band) return false;
    if (from || to) {
      std::optional<core::Period> p = core::Period::Parse(c.period);
      if (!p || (from && p->start < *from) || (to && p->start > *to)) return false;
    }
    return true;
  }
};

es::Result<ClaimSelection> SelectionFrom(const Params& p) {
  ClaimSelection s;
  s.service = Filter(p, "service");
  s.provider = Filter(p, "provider");
  if (std::string v = Filter(p, "status"); !v.empty()) {
    if (!(s.status = core::ParseClaimStatus(v))) return es::Status::Invalid("unknown status: " + v);
  }
  if (std::string v = Filter(p, "risk_band"); !v.empty()) {
    for (auto band : {core::RiskBand::kLow, core::RiskBand::kMedium, core::RiskBand::kHigh}) {
      if (core::RiskBandName(band) == v) s.risk_band = band;
    }
    if (!s.risk_band) return es::Status::Invalid("unknown risk band: " + v);
  }
  for (auto [name, out] : {std::pair{"period_from", &s.from}, std::pair{"period_to", &s.to}}) {
    if (std::string v = Filter(p, name); !v.empty()) {
      std::optional<core::Period> period = core::Period::Parse(v);
      if (!period) return es::Status::Invalid(std::string(name) + " is not a period: " + v);
      *out = period->start;
      if (out == &s.to) s.to_end = period->end;
    }
  }
  return s;
}

// Every claim of the commissioner valid at the view's position, matching `sel`.
es::Status ForEachClaim(const ReadView& view, const std::string& commissioner, const ClaimSelection& sel,
                        const std::function<void(const ClaimView&)>& fn) {
  return view.ScanAsOf(keys::kClaimTable, internal::Logical({commissioner}), "",
                       [&](std::string_view, const Versioned& v) {
                         ClaimView c;
                         if (internal::DecodeClaimRow(v.row, &c) && sel.Matches(c)) fn(c);
                         return true;
                       });
}

template <typename RowT>
es::Status ForEachVersioned(const ReadView& view, std::string_view table, std::string_view prefix,
                            const std::function<void(const RowT&)>& fn) {
  return view.ScanAsOf(table, prefix, "", [&](std::string_view, const Versioned& v) {
    RowT row;
    if (internal::Decode(v.row, &row)) fn(row);
    return true;
  });
}

std::map<std::string, std::string> ServiceNames(const ReadView& view) {
  std::map<std::string, std::string> names;
  (void)ForEachVersioned<internal::ServiceRow>(view, keys::kServiceTable, "",
                                               [&](const internal::ServiceRow& s) { names[s.service_id] = s.name; });
  return names;
}

std::map<std::string, internal::OrgRow> Organisations(const ReadView& view, const std::string& commissioner) {
  std::map<std::string, internal::OrgRow> orgs;
  (void)ForEachVersioned<internal::OrgRow>(view, keys::kOrgTable, internal::Logical({commissioner}),
                                           [&](const internal::OrgRow& o) { orgs[o.code] = o; });
  return orgs;
}

std::string Lookup(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

std::string Month(core::Timestamp at) {
  if (at == 0) return "";
  core::Date d = core::Date::FromTimestamp(at);
  return d.ToString().substr(0, 7);
}

Table Start(std::string name, const Params& p, const ReadView& view, std::vector<Column> columns) {
  Table t;
  t.name = std::move(name);
  t.scope = p.scope;
  t.as_of = view.answered();
  t.columns = std::move(columns);
  return t;
}

constexpr ColumnKind kText = ColumnKind::kText;
constexpr ColumnKind kInt = ColumnKind::kInteger;
constexpr ColumnKind kMoney = ColumnKind::kMoney;
constexpr ColumnKind kDec = ColumnKind::kDecimal2;

bool Submitted(const ClaimView& c) { return c.submissions > 0; }
bool ApprovedForPaymentReached(const ClaimView& c) {
  return c.status == ClaimStatus::kApprovedForPayment || c.status == ClaimStatus::kPaymentHeld ||
         c.status == ClaimStatus::kSentForPayment || c.status == ClaimStatus::kPaid;
}

// ---- claims --------------------------------------------------------------------

es::Result<Table> ClaimsReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  Table t = Start("claims", p, view,
                  {{"claim_id", kText},
                   {"service_id", kText},
                   {"service", kText},
                   {"provider", kText},
                   {"period", kText},
                   {"status", kText},
                   {"holder_role", kText},
                   {"amount", kMoney},
                   {"risk_band", kText},
                   {"units", kInt},
                   {"submitted_at", kText},
                   {"status_since", kText}});
  auto names = ServiceNames(view);
  es::Status s = ForEachClaim(view, p.scope, sel, [&](const ClaimView& c) {
    t.rows.push_back({c.claim_id, c.service_id, Lookup(names, c.service_id), c.provider, c.period,
                      std::string(core::StatusName(c.status)), c.holder_role, c.amount,
                      std::string(core::RiskBandName(c.risk_band)), c.units, FormatTimestamp(c.At(Stage::kSubmitted)),
                      FormatTimestamp(c.status_since_at)});
  });
  if (!s.ok()) return s;
  return t;
}

es::Result<Table> ActivityReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  struct Totals {
    int64_t claims = 0, units = 0, amount = 0;
  };
  std::map<std::tuple<std::string, std::string, std::string, std::string>, Totals> groups;
  es::Status s = ForEachClaim(view, p.scope, sel, [&](const ClaimView& c) {
    Totals& g = groups[{c.service_id, c.provider, c.period, std::string(core::StatusName(c.status))}];
    ++g.claims;
    g.units += c.units;
    g.amount += c.amount;
  });
  if (!s.ok()) return s;
  auto names = ServiceNames(view);
  Table t = Start("activity", p, view,
                  {{"service_id", kText},
                   {"service", kText},
                   {"provider", kText},
                   {"period", kText},
                   {"status", kText},
                   {"claims", kInt},
                   {"units", kInt},
                   {"amount", kMoney}});
  for (const auto& [k, g] : groups) {
    const auto& [service, provider, period, status] = k;
    t.rows.push_back({service, Lookup(names, service), provider, period, status, g.claims, g.units, g.amount});
  }
  return t;
}

es::Result<Table> UptakeReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  struct Uptake {
    int64_t units = 0, list_size = 0;
    std::string latest_period;
  };
  std::map<std::string, std::map<std::string, Uptake>> by_service;  // service -> provider -> uptake
  es::Status s = ForEachClaim(view, p.scope, sel, [&](const ClaimView& c) {
    if (!Submitted(c) || c.status == ClaimStatus::kRejected || c.status == ClaimStatus::kWithdrawn ||
        c.status == ClaimStatus::kReturned || !c.original_claim_id.empty()) {
      return;
    }
    Uptake& u = by_service[c.service_id][c.provider];
    u.units += c.units;
    if (c.list_size > 0 && c.period >= u.latest_period) {
      u.latest_period = c.period;
      u.list_size = c.list_size;
    }
  });
  if (!s.ok()) return s;
  auto names = ServiceNames(view);
  auto orgs = Organisations(view, p.scope);
  Table t = Start("uptake", p, view,
                  {{"service_id", kText},
                   {"service", kText},
                   {"provider", kText},
                   {"provider_name", kText},
                   {"list_size", kInt},
                   {"units", kInt},
                   {"units_per_1000", kDec},
                   {"service_median", kDec},
                   {"service_q1", kDec},
                   {"service_q3", kDec},
                   {"service_iqr", kDec},
                   {"outlier", kText}});
  for (auto& [service, providers] : by_service) {
    std::vector<std::pair<std::string, int64_t>> rates;  // provider, hundredths per 1,000
    for (auto& [provider, u] : providers) {
      if (u.list_size <= 0) {
        auto it = orgs.find(provider);
        if (it != orgs.end()) u.list_size = it->second.LatestListSize();
      }
      if (u.list_size <= 0) continue;  // no registered list size: no rate
      rates.emplace_back(provider, internal::DivideRoundHalfUp(u.units * 100'000, u.list_size));
    }
    std::vector<int64_t> sorted;
    for (const auto& [provider, rate] : rates) sorted.push_back(rate);
    std::sort(sorted.begin(), sorted.end());
    if (sorted.empty()) continue;
    const int64_t q1 = internal::Quartile(sorted, 1), median = internal::Quartile(sorted, 2),
                  q3 = internal::Quartile(sorted, 3), iqr = q3 - q1;
    for (const auto& [provider, rate] : rates) {
      std::string outlier;
      // Beyond 1.5 IQR, compared exactly in halves: 2*rate vs 2*q +/- 3*iqr.
      if (2 * rate > 2 * q3 + 3 * iqr)
        outlier = "high";
      else if (2 * rate < 2 * q1 - 3 * iqr)
        outlier = "low";
      const Uptake& u = providers[provider];
      auto org = orgs.find(provider);
      t.rows.push_back({service, Lookup(names, service), provider, org == orgs.end() ? std::string() : org->second.name,
                        u.list_size, u.units, rate, median, q1, q3, iqr, outlier});
    }
  }
  return t;
}

es::Result<Table> TurnaroundReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  struct StageSpan {
    std::string_view name;
    Stage from;
    Stage alt_from;
    Stage to;
  };
  static constexpr StageSpan kSpans[] = {
      {"provider approval", Stage::kSubmitted, Stage::kSubmitted, Stage::kProviderApproved},
      {"tier 1 approval", Stage::kProviderApproved, Stage::kSubmitted, Stage::kTier1Approved},
      {"tier 2 approval", Stage::kTier1Approved, Stage::kTier1Approved, Stage::kTier2Approved},
      {"finance approval", Stage::kTier2Approved, Stage::kTier2Approved, Stage::kFinanceApproved},
      {"submission to approval for payment", Stage::kSubmitted, Stage::kSubmitted, Stage::kApprovedForPayment},
      {"approval to payment", Stage::kApprovedForPayment, Stage::kApprovedForPayment, Stage::kPaid},
  };
  std::map<std::pair<std::string, int>, std::vector<int64_t>> durations;  // (service, span) -> hundredths of hours
  es::Status s = ForEachClaim(view, p.scope, sel, [&](const ClaimView& c) {
    for (int i = 0; i < static_cast<int>(std::size(kSpans)); ++i) {
      const StageSpan& span = kSpans[i];
      core::Timestamp from = c.At(span.from) != 0 ? c.At(span.from) : c.At(span.alt_from);
      core::Timestamp to = c.At(span.to);
      if (from == 0 || to == 0 || to < from) continue;
      durations[{c.service_id, i}].push_back(internal::DivideRoundHalfUp((to - from) * 100, 3'600'000'000LL));
    }
  });
  if (!s.ok()) return s;
  auto names = ServiceNames(view);
  Table t = Start("turnaround", p, view,
                  {{"service_id", kText},
                   {"service", kText},
                   {"stage", kText},
                   {"claims", kInt},
                   {"median_hours", kDec},
                   {"p90_hours", kDec}});
  for (auto& [key, values] : durations) {
    std::sort(values.begin(), values.end());
    t.rows.push_back({key.first, Lookup(names, key.first), std::string(kSpans[key.second].name),
                      static_cast<int64_t>(values.size()), internal::Quartile(values, 2),
                      internal::NearestRank(values, 90)});
  }
  return t;
}

es::Result<Table> ReasonsReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string>, int64_t> counts;
  const std::string prefix = std::string(keys::kReasons).append(p.scope).append("|");
  auto it = view.NewIterator(prefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (internal::ReadBE64(it->key().ToStringView().substr(prefix.size())) > view.position()) break;
    internal::RowReader r(it->value().ToStringView());
    std::string claim_id = r.S(), service = r.S(), provider = r.S(), period = r.S(), kind = r.S(), tier = r.S(),
                code = r.S(), reason = r.S();
    if (!sel.service.empty() && service != sel.service) continue;
    if (!sel.provider.empty() && provider != sel.provider) continue;
    if (sel.from || sel.to) {
      std::optional<core::Period> per = core::Period::Parse(period);
      if (!per || (sel.from && per->start < *sel.from) || (sel.to && per->start > *sel.to)) continue;
    }
    ++counts[{service, kind, tier, code, reason}];
  }
  if (!it->status().ok()) return internal::FromRocks(it->status(), "reasons");
  auto names = ServiceNames(view);
  Table t = Start("reasons", p, view,
                  {{"service_id", kText},
                   {"service", kText},
                   {"kind", kText},
                   {"tier", kText},
                   {"reason_code", kText},
                   {"reason", kText},
                   {"count", kInt}});
  for (const auto& [k, n] : counts) {
    const auto& [service, kind, tier, code, reason] = k;
    t.rows.push_back({service, Lookup(names, service), kind, tier, code, reason, n});
  }
  return t;
}

es::Result<Table> ParticipationReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  struct Counts {
    int64_t offered = 0, accepted = 0, declined = 0, pending = 0, withdrawn = 0;
  };
  std::map<std::string, Counts> by_service;
  es::Status s = ForEachVersioned<internal::OfferRow>(view, keys::kOfferTable, internal::Logical({p.scope}),
                                                      [&](const internal::OfferRow& o) {
                                                        if (!sel.service.empty() && o.service_id != sel.service) return;
                                                        if (!sel.provider.empty() && o.provider != sel.provider) return;
                                                        Counts& c = by_service[o.service_id];
                                                        ++c.offered;
                                                        if (o.status == "accepted")
                                                          ++c.accepted;
                                                        else if (o.status == "declined")
                                                          ++c.declined;
                                                        else if (o.status == "pending")
                                                          ++c.pending;
                                                        else if (o.status == "withdrawn")
                                                          ++c.withdrawn;
                                                      });
  if (!s.ok()) return s;
  auto names = ServiceNames(view);
  Table t = Start("participation", p, view,
                  {{"service_id", kText},
                   {"service", kText},
                   {"offered", kInt},
                   {"accepted", kInt},
                   {"declined", kInt},
                   {"pending", kInt},
                   {"withdrawn", kInt}});
  for (const auto& [service, c] : by_service) {
    t.rows.push_back({service, Lookup(names, service), c.offered, c.accepted, c.declined, c.pending, c.withdrawn});
  }
  return t;
}

// ---- finance --------------------------------------------------------------------

es::Result<Table> LiabilityReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>> groups;
  es::Status s = ForEachClaim(view, p.scope, sel, [&](const ClaimView& c) {
    if (c.status != ClaimStatus::kApprovedForPayment && c.status != ClaimStatus::kPaymentHeld &&
        c.status != ClaimStatus::kSentForPayment) {
      return;
    }
    auto& g = groups[{c.service_id, Month(c.At(Stage::kApprovedForPayment))}];
    ++g.first;
    g.second += c.amount;
  });
  if (!s.ok()) return s;
  auto names = ServiceNames(view);
  Table t = Start(
      "liability", p, view,
      {{"service_id", kText}, {"service", kText}, {"approved_month", kText}, {"claims", kInt}, {"amount", kMoney}});
  for (const auto& [k, g] : groups) t.rows.push_back({k.first, Lookup(names, k.first), k.second, g.first, g.second});
  return t;
}

es::Result<Table> PaymentRunsReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  Table t = Start("payment_runs", p, view,
                  {{"run_id", kText},
                   {"status", kText},
                   {"pay_date", kText},
                   {"claims", kInt},
                   {"total", kMoney},
                   {"head_position", kInt},
                   {"head_hash", kText},
                   {"created_by", kText},
                   {"created_at", kText},
                   {"confirmed_by", kText},
                   {"confirmed_at", kText},
                   {"paid_at", kText},
                   {"payment_reference", kText}});
  es::Status s = ForEachVersioned<internal::RunRow>(
      view, keys::kRunTable, internal::Logical({p.scope}), [&](const internal::RunRow& r) {
        if (!sel.DateWithin(r.pay_date)) return;
        t.rows.push_back({r.run_id, r.status, r.pay_date, r.claims, r.total, static_cast<int64_t>(r.head_position),
                          r.head_hash, r.created_by, FormatTimestamp(r.created_at), r.confirmed_by,
                          FormatTimestamp(r.confirmed_at), FormatTimestamp(r.paid_at), r.payment_reference});
      });
  if (!s.ok()) return s;
  return t;
}

es::Result<Table> PaymentRunClaimsReport(const ReadView& view, const Params& p, const ClaimSelection&) {
  const std::string run = Filter(p, "run");
  if (run.empty()) return es::Status::Invalid("the payment_run_claims report needs a run");
  Table t = Start("payment_run_claims", p, view,
                  {{"run_id", kText}, {"claim_id", kText}, {"provider", kText}, {"amount", kMoney}, {"status", kText}});
  if (!view.GetAsOf(keys::kRunTable, internal::Logical({p.scope, run}))) return t;  // not this scope's, or not yet
  const std::string prefix = std::string(keys::kRunClaims).append(run).append("|");
  auto it = view.NewIterator(prefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    std::string claim_id(it->key().ToStringView().substr(prefix.size()));
    internal::RowReader r(it->value().ToStringView());
    std::string provider = r.S();
    int64_t amount = r.I();
    std::optional<ClaimView> c = view.Claim(claim_id);
    t.rows.push_back({run, claim_id, provider, amount, c ? std::string(core::StatusName(c->status)) : ""});
  }
  if (!it->status().ok()) return internal::FromRocks(it->status(), "run claims");
  return t;
}

es::Result<Table> SpendReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  std::map<std::tuple<std::string, std::string, std::string>, std::pair<int64_t, int64_t>> groups;
  es::Status s = ForEachClaim(view, p.scope, sel, [&](const ClaimView& c) {
    if (c.status != ClaimStatus::kPaid) return;
    auto& g = groups[{c.service_id, c.provider, Month(c.At(Stage::kPaid))}];
    ++g.first;
    g.second += c.paid_amount;
  });
  if (!s.ok()) return s;
  auto names = ServiceNames(view);
  Table t = Start("spend", p, view,
                  {{"service_id", kText},
                   {"service", kText},
                   {"provider", kText},
                   {"paid_month", kText},
                   {"claims", kInt},
                   {"amount", kMoney}});
  for (const auto& [k, g] : groups) {
    const auto& [service, provider, month] = k;
    t.rows.push_back({service, Lookup(names, service), provider, month, g.first, g.second});
  }
  return t;
}

es::Result<Table> HeldReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  Table t = Start("held", p, view,
                  {{"claim_id", kText},
                   {"service_id", kText},
                   {"provider", kText},
                   {"period", kText},
                   {"amount", kMoney},
                   {"reason", kText},
                   {"held_by", kText},
                   {"held_at", kText},
                   {"age_days", kInt}});
  std::vector<ClaimView> held;
  es::Status s = ForEachClaim(view, p.scope, sel, [&](const ClaimView& c) {
    if (c.status == ClaimStatus::kPaymentHeld) held.push_back(c);
  });
  if (!s.ok()) return s;
  std::sort(held.begin(), held.end(), [](const ClaimView& a, const ClaimView& b) {
    return std::pair(a.At(Stage::kHeld), a.claim_id) < std::pair(b.At(Stage::kHeld), b.claim_id);
  });
  const core::Timestamp now = view.answered().at;
  for (const ClaimView& c : held) {
    const int64_t age = now > c.At(Stage::kHeld) ? (now - c.At(Stage::kHeld)) / 86'400'000'000LL : 0;
    t.rows.push_back({c.claim_id, c.service_id, c.provider, c.period, c.amount, c.hold_reason, c.held_by,
                      FormatTimestamp(c.At(Stage::kHeld)), age});
  }
  return t;
}

es::Result<Table> RiskBandsReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  std::map<std::pair<int, std::string>, std::pair<int64_t, int64_t>> groups;
  es::Status s = ForEachClaim(view, p.scope, sel, [&](const ClaimView& c) {
    if (!Submitted(c)) return;
    auto& g = groups[{static_cast<int>(c.risk_band), std::string(core::StatusName(c.status))}];
    ++g.first;
    g.second += c.amount;
  });
  if (!s.ok()) return s;
  Table t = Start("risk_bands", p, view,
                  {{"risk_band", kText}, {"status", kText}, {"claims", kInt}, {"amount", kMoney}});
  for (const auto& [k, g] : groups) {
    t.rows.push_back(
        {std::string(core::RiskBandName(static_cast<core::RiskBand>(k.first))), k.second, g.first, g.second});
  }
  return t;
}

// ---- provider statement ----------------------------------------------------------

es::Result<Table> StatementReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  Table t = Start("statement", p, view,
                  {{"claim_id", kText},
                   {"service_id", kText},
                   {"period", kText},
                   {"status", kText},
                   {"submitted_at", kText},
                   {"claimed", kMoney},
                   {"approved", kMoney},
                   {"approved_at", kText},
                   {"held", kText},
                   {"hold_reason", kText},
                   {"paid", kMoney},
                   {"paid_at", kText},
                   {"payment_run", kText},
                   {"pay_date", kText},
                   {"payment_reference", kText}});
  const std::string prefix = std::string(keys::kClaimsByProvider).append(p.scope).append("|");
  auto it = view.NewIterator(prefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    std::optional<ClaimView> c = view.Claim(it->key().ToStringView().substr(prefix.size()));
    if (!c || !sel.Matches(*c) || !Submitted(*c)) continue;
    const bool approved = ApprovedForPaymentReached(*c);
    t.rows.push_back({c->claim_id, c->service_id, c->period, std::string(core::StatusName(c->status)),
                      FormatTimestamp(c->At(Stage::kSubmitted)), c->amount, approved ? c->amount : 0,
                      FormatTimestamp(c->At(Stage::kApprovedForPayment)),
                      c->status == ClaimStatus::kPaymentHeld ? "yes" : "", c->hold_reason, c->paid_amount,
                      FormatTimestamp(c->At(Stage::kPaid)), c->payment_run, c->pay_date, c->payment_reference});
  }
  if (!it->status().ok()) return internal::FromRocks(it->status(), "statement");
  return t;
}

// ---- directory -------------------------------------------------------------------

es::Result<Table> OrganisationsReport(const ReadView& view, const Params& p, const ClaimSelection&) {
  Table t = Start("organisations", p, view,
                  {{"code", kText},
                   {"name", kText},
                   {"kind", kText},
                   {"commissioner", kText},
                   {"postcode", kText},
                   {"approval_mode", kText},
                   {"list_size", kInt},
                   {"members", kText}});
  for (const auto& [code, o] : Organisations(view, p.scope)) {
    std::string members;
    for (const std::string& m : o.members) members += (members.empty() ? "" : ";") + m;
    t.rows.push_back(
        {o.code, o.name, o.kind, o.commissioner_code, o.postcode, o.approval_mode, o.LatestListSize(), members});
  }
  return t;
}

es::Result<Table> ServicesReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  Table t = Start("services", p, view,
                  {{"service_id", kText},
                   {"owner", kText},
                   {"code", kText},
                   {"name", kText},
                   {"category", kText},
                   {"frequency", kText},
                   {"status", kText},
                   {"window_days", kInt},
                   {"start", kText},
                   {"end", kText},
                   {"components", kText},
                   {"tariffs", kText},
                   {"shared_with", kText}});
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += (out.empty() ? "" : "; ") + s;
    return out;
  };
  es::Status s =
      ForEachVersioned<internal::ServiceRow>(view, keys::kServiceTable, "", [&](const internal::ServiceRow& r) {
        const bool shared = std::find(r.shared_with.begin(), r.shared_with.end(), p.scope) != r.shared_with.end();
        if ((r.commissioner != p.scope && !shared) || (!sel.service.empty() && r.service_id != sel.service)) return;
        t.rows.push_back({r.service_id, r.commissioner, r.code, r.name, r.category, r.frequency, r.status,
                          r.window_days, r.start, r.end, join(r.components), join(r.tariffs), join(r.shared_with)});
      });
  if (!s.ok()) return s;
  return t;
}

es::Result<Table> OffersReport(const ReadView& view, const Params& p, const ClaimSelection& sel) {
  Table t = Start("offers", p, view,
                  {{"service_id", kText},
                   {"provider", kText},
                   {"status", kText},
                   {"start", kText},
                   {"end", kText},
                   {"respond_by", kText},
                   {"participation", kText},
                   {"responded_by", kText},
                   {"reason", kText}});
  es::Status s = ForEachVersioned<internal::OfferRow>(view, keys::kOfferTable, internal::Logical({p.scope}),
                                                      [&](const internal::OfferRow& o) {
                                                        if (!sel.service.empty() && o.service_id != sel.service) return;
                                                        if (!sel.provider.empty() && o.provider != sel.provider) return;
                                                        std::string windows;
                                                        for (const std::string& w : o.participation)
                                                          windows += (windows.empty() ? "" : ";") + w;
                                                        t.rows.push_back({o.service_id, o.provider, o.status, o.start,
                                                                          o.end, o.respond_by, windows, o.responded_by,
                                                                          o.reason});
                                                      });
  if (!s.ok()) return s;
  return t;
}

es::Result<Table> AccountsReport(const ReadView& view, const Params& p, const ClaimSelection&) {
  const std::string org = Filter(p, "org");
  Table t = Start("accounts", p, view,
                  {{"username", kText},
                   {"org_code", kText},
                   {"org_kind", kText},
                   {"full_name", kText},
                   {"email", kText},
                   {"status", kText},
                   {"roles", kText},
                   {"roles_requested", kText},
                   {"dual_tier_warning", kText},
                   {"decided_by", kText},
                   {"updated_at", kText}});
  es::Status s =
      ForEachVersioned<internal::AccountRow>(view, keys::kAccountTable, "", [&](const internal::AccountRow& a) {
        if (a.org_code != p.scope && a.commissioner_code != p.scope) return;
        if (!org.empty() && a.org_code != org) return;
        t.rows.push_back({a.username, a.org_code, a.org_kind, a.full_name, a.email, a.status,
                          internal::RoleList(a.roles), internal::RoleList(a.roles_requested),
                          a.dual_tier_warning ? "yes" : "", a.decided_by, FormatTimestamp(a.updated_at)});
      });
  if (!s.ok()) return s;
  return t;
}

// Each report's measure as its chart shows it (ReportChart); lists have none.
std::optional<ReportChart> ChartFor(std::string_view report) {
  static const std::map<std::string, ReportChart, std::less<>> kCharts = {
      {"activity",
       {{"service", "provider", "period"}, {"amount"}, "Service, practice and period", "Amount claimed (£)"}},
      {"uptake",
       {{"provider_name", "provider"}, {"units_per_1000"}, "Practice", "Units per 1,000 registered patients", true}},
      {"turnaround", {{"service", "stage"}, {"median_hours", "p90_hours"}, "Service and stage", "Hours"}},
      {"reasons", {{"service", "reason"}, {"count"}, "Service and reason", "Claims rejected or returned"}},
      {"participation", {{"service"}, {"accepted", "declined", "pending", "withdrawn"}, "Service", "Offers"}},
      {"liability",
       {{"service", "approved_month"}, {"amount"}, "Service and month approved", "Approved, not yet paid (£)"}},
      {"payment_runs", {{"run_id"}, {"total"}, "Payment run", "Total of the run (£)"}},
      {"spend", {{"service", "provider", "paid_month"}, {"amount"}, "Service, practice and month paid", "Paid (£)"}},
      {"held", {{"claim_id"}, {"amount"}, "Claim", "Held (£)"}},
      {"risk_bands", {{"risk_band", "status"}, {"claims"}, "Risk band and status", "Claims"}},
  };
  auto it = kCharts.find(report);
  if (it == kCharts.end()) return std::nullopt;
  return it->second;
}

using ReportFn = es::Result<Table> (*)(const ReadView&, const Params&, const ClaimSelection&);

struct Entry {
  ReportInfo info;
  ReportFn run;
};

std::vector<Entry> WithCharts(std::vector<Entry> entries) {
  for (Entry& e : entries) e.info.chart = ChartFor(e.info.name);
  return entries;
}

const std::vector<Entry>& Registry() {
  using core::Action;
  const std::vector<std::string> claim_filters = {"service",   "provider",    "status",
                                                  "risk_band", "period_from", "period_to"};
  static const std::vector<Entry> kRegistry = WithCharts({
      {{"claims", "Claims by status", ScopeKind::kCommissioner, Action::kViewReports, claim_filters}, ClaimsReport},
      {{"activity", "Activity by service, provider and period", ScopeKind::kCommissioner, Action::kViewReports,
        claim_filters},
       ActivityReport},
      {{"uptake", "Uptake variation across practices (units per 1,000 registered patients)", ScopeKind::kCommissioner,
        Action::kViewReports, claim_filters},
       UptakeReport},
      {{"turnaround", "Turnaround per stage (median and 90th percentile, hours)", ScopeKind::kCommissioner,
        Action::kViewReports, claim_filters},
       TurnaroundReport},
      {{"reasons",
        "Rejection and return reasons",
        ScopeKind::kCommissioner,
        Action::kViewReports,
        {"service", "provider", "period_from", "period_to"}},
       ReasonsReport},
      {{"participation",
        "Participation: offered, accepted, declined, pending",
        ScopeKind::kCommissioner,
        Action::kViewReports,
        {"service", "provider"}},
       ParticipationReport},
      {{"liability", "Approved but unpaid (liability) by service and month", ScopeKind::kCommissioner,
        Action::kViewFinanceReports, claim_filters},
       LiabilityReport},
      {{"payment_runs",
        "Payment runs with totals and the log head they were computed from",
        ScopeKind::kCommissioner,
        Action::kViewFinanceReports,
        {"period_from", "period_to"}},
       PaymentRunsReport},
      {{"payment_run_claims",
        "The claims of one payment run",
        ScopeKind::kCommissioner,
        Action::kViewFinanceReports,
        {"run"}},
       PaymentRunClaimsReport},
      {{"spend", "Spend by service, provider and month", ScopeKind::kCommissioner, Action::kViewFinanceReports,
        claim_filters},
       SpendReport},
      {{"held", "Held payments with reasons and age", ScopeKind::kCommissioner, Action::kViewFinanceReports,
        claim_filters},
       HeldReport},
      {{"risk_bands", "Claims by risk band", ScopeKind::kCommissioner, Action::kViewFinanceReports, claim_filters},
       RiskBandsReport},
      {{"statement", "Provider statement: claimed, approved, held, paid", ScopeKind::kProvider, Action::kViewStatement,
        claim_filters},
       StatementReport},
      {{"organisations",
        "Organisations and their providers with list sizes",
        ScopeKind::kCommissioner,
        Action::kViewProviders,
        {}},
       OrganisationsReport},
      {{"services", "Services and tariffs", ScopeKind::kCommissioner, Action::kViewServices, {"service"}},
       ServicesReport},
      {{"offers",
        "Offers and participation by provider and service",
        ScopeKind::kCommissioner,
        Action::kViewServices,
        {"service", "provider"}},
       OffersReport},
      {{"accounts",
        "Accounts by organisation with status and roles",
        ScopeKind::kCommissioner,
        Action::kViewAccounts,
        {"org"}},
       AccountsReport},
  });
  return kRegistry;
}

}  // namespace

std::vector<ReportInfo> Reports() {
  std::vector<ReportInfo> out;
  for (const Entry& e : Registry()) out.push_back(e.info);
  return out;
}

std::vector<std::string> ReportNames() {
  std::vector<std::string> out;
  for (const Entry& e : Registry()) out.push_back(e.info.name);
  return out;
}

const ReportInfo* FindReport(std::string_view name) {
  for (const Entry& e : Registry()) {
    if (e.info.name == name) return &e.info;
  }
  return nullptr;
}

es::Result<Table> RunReport(const ProjectionDb& db, std::string_view name, const ReportParams& params,
                            const AsOf& as_of) {
  const Entry* entry = nullptr;
  for (const Entry& e : Registry()) {
    if (e.info.name == name) entry = &e;
  }
  if (!entry) return es::Status::NotFound("no report named " + std::string(name));
  if (params.scope.empty()) return es::Status::Invalid("the " + std::string(name) + " report needs a scope");
  for (const auto& [filter, value] : params.filters) {
    if (std::find(entry->info.filters.begin(), entry->info.filters.end(), filter) == entry->info.filters.end()) {
      return es::Status::Invalid("the " + std::string(name) + " report has no filter " + filter);
    }
  }
  es::Result<ClaimSelection> selection = SelectionFrom(params);
  if (!selection.ok()) return selection.status();
  auto view = ReadView::Open(db, as_of);
  if (!view.ok()) return view.status();
  return entry->run(**view, params, *selection);
}

}  // namespace ledger::projections
