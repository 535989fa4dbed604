#include "ledger/projections/claim_views.h"

#include <fmt/format.h>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <charconv>

#include "claim_row.h"
#include "ledger/base/hex.h"
#include "ledger/base/time.h"
#include "ledger/core/codec.h"
#include "ledger/projections/keys.h"
#include "projection.h"
#include "query_support.h"
#include "row_codec.h"

namespace ledger::projections {

std::optional<AsOf> AsOf::Parse(const std::string& text) {
  if (text.empty()) return Head();
  uint64_t position = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), position);
  if (ec == std::errc() && end == text.data() + text.size()) return Position(position);
  if (text.size() == 10) {  // a date: the end of that day
    auto date = core::Date::Parse(text);
    if (!date) return std::nullopt;
    constexpr int64_t kDay = 86'400'000'000;
    return Time((static_cast<int64_t>(date->days) + 1) * kDay - 1);
  }
  auto at = base::ParseRfc3339(text);
  if (!at) return std::nullopt;
  return Time(*at);
}

using internal::ReadView;

namespace {

constexpr size_t kMaxLimit = 1000;

size_t ClampLimit(size_t limit) { return std::clamp<size_t>(limit, 1, kMaxLimit); }

std::optional<core::Date> PeriodStart(std::string_view text) {
  std::optional<core::Period> p = core::Period::Parse(text);
  if (!p) return std::nullopt;
  return p->start;
}

struct ClaimFilter {
  const ClaimQuery& q;
  std::optional<core::Date> from, to;
  bool Matches(const ClaimView& c) const {
    if (!q.commissioner.empty() && c.commissioner != q.commissioner) return false;
    if (!q.provider.empty() && c.provider != q.provider) return false;
    if (!q.service_id.empty() && c.service_id != q.service_id) return false;
    if (q.status && c.status != *q.status) return false;
    if (q.risk_band && c.risk_band != *q.risk_band) return false;
    if (from || to) {
      std::optional<core::Date> start = PeriodStart(c.period);
      if (!start) return false;
      if (from && *start < *from) return false;
      if (to && *start > *to) return false;
    }
    return true;
  }
};

bool DecodeCursor(const std::string& cursor, std::string* out) {
  return cursor.empty() ? (out->clear(), true) : base::FromHex(cursor, out);
}

}  // namespace

std::string_view StageName(Stage stage) {
  static constexpr std::string_view kNames[kStageCount] = {"drafted",
                                                           "first_submitted",
                                                           "submitted",
                                                           "submission_failed",
                                                           "provider_approved",
                                                           "tier1_approved",
                                                           "tier2_approved",
                                                           "finance_approved",
                                                           "approved_for_payment",
                                                           "held",
                                                           "released",
                                                           "added_to_payment_run",
                                                           "sent_for_payment",
                                                           "paid",
                                                           "returned",
                                                           "rejected",
                                                           "withdrawn",
                                                           "deleted"};
  return kNames[static_cast<int>(stage)];
}

std::vector<std::string> WorklistRoleNames() {
  return {"provider_user", "provider_approver", "tier1", "tier2", "finance", "payments", "held"};
}

std::string FormatTimestamp(core::Timestamp at) { return at == 0 ? std::string() : base::FormatRfc3339Micros(at); }

es::Result<Answered> ResolveAsOf(const ProjectionDb& db, const AsOf& as_of) {
  auto view = ReadView::Open(db, as_of);
  if (!view.ok()) return view.status();
  return (*view)->answered();
}

es::Result<std::optional<ClaimView>> GetClaim(const ProjectionDb& db, std::string_view claim_id, const AsOf& as_of) {
  auto view = ReadView::Open(db, as_of);
  if (!view.ok()) return view.status();
  return (*view)->Claim(claim_id);
}

es::Result<ClaimPage> ListClaims(const ProjectionDb& db, const ClaimQuery& query, const AsOf& as_of) {
  if (query.commissioner.empty() && query.provider.empty()) {
    return es::Status::Invalid("a claim query needs a commissioner or a provider");
  }
  ClaimFilter filter{query, {}, {}};
  if (!query.period_from.empty() && !(filter.from = PeriodStart(query.period_from))) {
    return es::Status::Invalid("period_from is not a period: " + query.period_from);
  }
  if (!query.period_to.empty() && !(filter.to = PeriodStart(query.period_to))) {
    return es::Status::Invalid("period_to is not a period: " + query.period_to);
  }
  std::string after;
  if (!DecodeCursor(query.cursor, &after)) return es::Status::Invalid("malformed cursor");
  auto opened = ReadView::Open(db, as_of);
  if (!opened.ok()) return opened.status();
  const ReadView& view = **opened;
  const size_t limit = ClampLimit(query.limit);

  ClaimPage page;
  page.as_of = view.answered();
  std::string last;
  bool more = false;
  if (query.provider.empty()) {
    // Scan the commissioner's claims; the cursor is the last logical key.
    std::string prefix = internal::Logical({query.commissioner});
    es::Status s = view.ScanAsOf(keys::kClaimTable, prefix, after,
                                 [&](std::string_view logical, const internal::Versioned& v) {
                                   ClaimView c;
                                   if (!internal::DecodeClaimRow(v.row, &c) || !filter.Matches(c)) return true;
                                   if (page.claims.size() == limit) {
                                     more = true;
                                     return false;
                                   }
                                   c.valid_from = v.valid_from;
                                   c.valid_to = v.valid_to;
                                   page.claims.push_back(std::move(c));
                                   last = logical;
                                   return true;
                                 });
    if (!s.ok()) return s;
  } else {
    // A provider's claims, through the provider index; the cursor is the last claim id.
    const std::string prefix = std::string(keys::kClaimsByProvider).append(query.provider).append("|");
    auto it = view.NewIterator(prefix);
    it->Seek(prefix + after);
    if (!after.empty() && it->Valid() && it->key().ToStringView() == prefix + after) it->Next();
    for (; it->Valid() && it->key().starts_with(prefix); it->Next()) {
      std::string claim_id(it->key().ToStringView().substr(prefix.size()));
      std::optional<ClaimView> c = view.Claim(claim_id);
      if (!c || !filter.Matches(*c)) continue;
      if (page.claims.size() == limit) {
        more = true;
        break;
      }
      page.claims.push_back(std::move(*c));
      last = claim_id;
    }
    if (!it->status().ok()) return internal::FromRocks(it->status(), "list claims");
  }
  if (more) page.next_cursor = base::ToHex(last);
  return page;
}

es::Result<ClaimPage> Worklist(const ProjectionDb& db, std::string_view role, std::string_view org,
                               const std::string& cursor, size_t limit, const AsOf& as_of) {
  std::vector<std::string> roles = WorklistRoleNames();
  if (std::find(roles.begin(), roles.end(), role) == roles.end()) {
    return es::Status::Invalid("no worklist for role " + std::string(role));
  }
  std::string after;
  if (!DecodeCursor(cursor, &after)) return es::Status::Invalid("malformed cursor");
  auto opened = ReadView::Open(db, as_of);
  if (!opened.ok()) return opened.status();
  const ReadView& view = **opened;
  limit = ClampLimit(limit);
  ClaimPage page;
  page.as_of = view.answered();

  // Entries sort by (status since, claim id): "BE64 since|claim id".
  auto entry_key = [](const ClaimView& c) {
    std::string k;
    internal::AppendBE64(&k, c.status_since_position);
    return k.append("|").append(c.claim_id);
  };
  std::optional<std::string> claims_checkpoint = view.Get(std::string(keys::kCheckpointPrefix).append("claims"));
  const bool live = claims_checkpoint && claims_checkpoint->size() == 8 &&
                    view.position() >= internal::ReadBE64(*claims_checkpoint);
  std::string last;
  bool more = false;
  if (live) {
    const std::string prefix = std::string(keys::kWorklist).append(org).append("|").append(role).append("|");
    auto it = view.NewIterator(prefix);
    it->Seek(prefix + after);
    if (!after.empty() && it->Valid() && it->key().ToStringView() == prefix + after) it->Next();
    for (; it->Valid() && it->key().starts_with(prefix); it->Next()) {
      std::string_view entry = it->key().ToStringView().substr(prefix.size());
      if (entry.size() < 10) continue;
      std::optional<ClaimView> c = view.Claim(entry.substr(9));
      if (!c) continue;
      if (page.claims.size() == limit) {
        more = true;
        break;
      }
      last = entry;
      page.claims.push_back(std::move(*c));
    }
    if (!it->status().ok()) return internal::FromRocks(it->status(), "worklist");
  } else {
    // As of an earlier position: every claim of the organisation then, by holder.
    std::vector<ClaimView> held;
    auto consider = [&](ClaimView c) {
      if (c.holder_role == role && c.holder_org == org && entry_key(c) > after) held.push_back(std::move(c));
    };
    const bool provider_role = role == "provider_user" || role == "provider_approver";
    if (provider_role) {
      const std::string prefix = std::string(keys::kClaimsByProvider).append(org).append("|");
      auto it = view.NewIterator(prefix);
      for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
        if (auto c = view.Claim(it->key().ToStringView().substr(prefix.size()))) consider(std::move(*c));
      }
    } else {
      es::Status s = view.ScanAsOf(keys::kClaimTable, internal::Logical({org}), "",
                                   [&](std::string_view, const internal::Versioned& v) {
                                     ClaimView c;
                                     if (internal::DecodeClaimRow(v.row, &c)) {
                                       c.valid_from = v.valid_from;
                                       c.valid_to = v.valid_to;
                                       consider(std::move(c));
                                     }
                                     return true;
                                   });
      if (!s.ok()) return s;
    }
    std::sort(held.begin(), held.end(),
              [&](const ClaimView& a, const ClaimView& b) { return entry_key(a) < entry_key(b); });
    for (ClaimView& c : held) {
      if (page.claims.size() == limit) {
        more = true;
        break;
      }
      last = entry_key(c);
      page.claims.push_back(std::move(c));
    }
  }
  if (more) page.next_cursor = base::ToHex(last);
  return page;
}

namespace {

// The audit entry at `position` as JSON: the event read from the log with
// the context the projection kept beside its position.
es::Result<std::string> AuditEntryAt(es::EventStore& store, uint64_t position, std::string_view context) {
  auto envelopes = store.ReadAll(position, 1);
  if (!envelopes.ok()) return envelopes.status();
  if (envelopes->empty() || envelopes->front().position != position) {
    return es::Status::Corruption("the audit trail names position " + std::to_string(position) +
                                  ", which the event store does not hold: rebuild the projections from this store");
  }
  const es::Envelope& env = envelopes->front();
  core::Outcome<core::Event> decoded = core::Decode(env.type, env.schema_version, env.payload);
  return internal::AuditEntryJson(env, decoded.ok() ? &decoded.value() : nullptr, context);
}

es::Result<AuditPage> AuditRange(const ProjectionDb& db, es::EventStore& store, std::string_view table,
                                 std::string_view id, const std::string& cursor, size_t limit, const AsOf& as_of) {
  std::string after;
  if (!DecodeCursor(cursor, &after) || !(after.empty() || after.size() == 8)) {
    return es::Status::Invalid("malformed cursor");
  }
  auto opened = ReadView::Open(db, as_of);
  if (!opened.ok()) return opened.status();
  const ReadView& view = **opened;
  limit = ClampLimit(limit);
  AuditPage page;
  page.as_of = view.answered();
  const std::string prefix = std::string(table).append(id).append("|");
  auto it = view.NewIterator(prefix);
  it->Seek(prefix + after);
  if (!after.empty() && it->Valid() && it->key().ToStringView() == prefix + after) it->Next();
  for (; it->Valid() && it->key().starts_with(prefix); it->Next()) {
    uint64_t position = internal::ReadBE64(it->key().ToStringView().substr(prefix.size()));
    if (position > view.position()) break;
    if (page.entries.size() == limit) {
      std::string last;
      internal::AppendBE64(&last, page.entries.back().position);
      page.next_cursor = base::ToHex(last);
      break;
    }
    auto json = AuditEntryAt(store, position, it->value().ToStringView());
    if (!json.ok()) return json.status();
    page.entries.push_back(AuditEntry{position, std::move(json).value()});
  }
  if (!it->status().ok()) return internal::FromRocks(it->status(), "audit");
  return page;
}

}  // namespace

es::Result<AuditPage> ClaimAudit(const ProjectionDb& db, es::EventStore& store, std::string_view claim_id,
                                 const std::string& cursor, size_t limit, const AsOf& as_of) {
  return AuditRange(db, store, keys::kAuditByClaim, claim_id, cursor, limit, as_of);
}

es::Result<AuditPage> UserAudit(const ProjectionDb& db, es::EventStore& store, std::string_view username,
                                const std::string& cursor, size_t limit, const AsOf& as_of) {
  return AuditRange(db, store, keys::kAuditByUser, username, cursor, limit, as_of);
}

}  // namespace ledger::projections
