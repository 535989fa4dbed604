#include "query_support.h"

#include "claim_row.h"
#include "ledger/projections/keys.h"
#include "row_codec.h"

namespace ledger::projections::internal {

std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<uint8_t>(end.back()) == 0xff) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(end.back() + 1);
  return end;
}

es::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return es::Status::Ok();
  if (s.IsCorruption()) return es::Status::Corruption(std::string(what) + ": " + s.ToString());
  return es::Status::IoError(std::string(what) + ": " + s.ToString());
}

es::Result<std::unique_ptr<ReadView>> ReadView::Open(const ProjectionDb& db, const AsOf& as_of) {
  std::unique_ptr<ReadView> view(new ReadView());
  view->db_ = db.rocks();
  // What the snapshot has applied: the lowest checkpoint it holds, as the
  // database published it when the snapshot was taken.
  uint64_t applied = 0;
  view->snapshot_ = db.SnapshotApplied(&applied);
  view->options_.snapshot = view->snapshot_;
  view->checkpoint_min_ = applied;
  uint64_t position = applied;
  if (as_of.position) position = std::min(*as_of.position, applied);
  if (as_of.at) {
    std::string key(keys::kTimelineByTime);
    AppendBE64(&key, OrderedTime(*as_of.at) + 1);  // the first time after `at`
    auto it = view->NewIterator(keys::kTimelineByTime);
    it->Seek(key);
    if (it->Valid()) position = std::min(position, ReadBE64(it->value().ToStringView()) - 1);
    if (!it->status().ok()) return FromRocks(it->status(), "timeline");
  }
  view->answered_.position = position;
  if (std::optional<core::Timestamp> at = db.RecallTimeAt(position)) {
    view->answered_.at = *at;
    return view;
  }
  std::string key(keys::kTimelineByPosition);
  AppendBE64(&key, position);
  auto it = view->NewIterator(keys::kTimelineByPosition);
  it->SeekForPrev(key);
  if (it->Valid()) {
    view->answered_.at = FromOrderedTime(ReadBE64(it->value().ToStringView()));
    db.RememberTimeAt(position, view->answered_.at);
  }
  return view;
}

ReadView::~ReadView() {
  if (snapshot_) db_->ReleaseSnapshot(snapshot_);
}

std::unique_ptr<rocksdb::Iterator> ReadView::NewIterator(std::string_view prefix) const {
  (void)prefix;  // callers check the prefix themselves
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(options_));
}

std::optional<std::string> ReadView::Get(const std::string& key) const {
  std::string value;
  if (db_->Get(options_, key, &value).ok()) return value;
  return std::nullopt;
}

std::optional<Versioned> ReadView::GetAsOf(std::string_view table, std::string_view logical) const {
  Versioned v;
  if (auto current = Get(CurrentKey(table, logical))) {
    if (!DecodeVersioned(*current, &v)) return std::nullopt;
    if (v.ValidAt(position())) return v;
  } else {
    return std::nullopt;  // history rows exist only for rows that still have a current row
  }
  std::string his_prefix = std::string(table).append(keys::kHistory).append(logical);
  auto it = NewIterator(his_prefix);
  it->SeekForPrev(HistoryKey(table, logical, position()));
  if (!it->Valid() || !it->key().starts_with(his_prefix)) return std::nullopt;
  if (DecodeVersioned(it->value().ToStringView(), &v) && v.ValidAt(position())) return v;
  return std::nullopt;
}

es::Status ReadView::ScanAsOf(std::string_view table, std::string_view prefix, std::string_view after,
                              const std::function<bool(std::string_view, const Versioned&)>& visit) const {
  const std::string cur_prefix = std::string(table).append(keys::kCurrent).append(prefix);
  const std::string his_prefix = std::string(table).append(keys::kHistory).append(prefix);
  const size_t cur_skip = table.size() + keys::kCurrent.size();
  const size_t his_skip = table.size() + keys::kHistory.size();
  const bool need_history = position() < checkpoint_min_;

  auto cur = NewIterator(cur_prefix);
  auto his = NewIterator(his_prefix);
  auto seek = [&](rocksdb::Iterator* it, const std::string& p, size_t skip, bool history) {
    if (after.empty()) {
      it->Seek(p);
      return;
    }
    std::string start = std::string(p.substr(0, skip)).append(after);
    if (history) start.append(8, '\xff');
    it->Seek(start);
    if (!history && it->Valid() && it->key().ToStringView() == start) it->Next();
  };
  seek(cur.get(), cur_prefix, cur_skip, false);
  if (need_history) seek(his.get(), his_prefix, his_skip, true);

  auto cur_logical = [&]() -> std::optional<std::string_view> {
    if (!cur->Valid() || !cur->key().starts_with(cur_prefix)) return std::nullopt;
    return cur->key().ToStringView().substr(cur_skip);
  };
  auto his_logical = [&]() -> std::optional<std::string_view> {
    if (!need_history || !his->Valid() || !his->key().starts_with(his_prefix)) return std::nullopt;
    std::string_view k = his->key().ToStringView();
    return k.substr(his_skip, k.size() - his_skip - 8);
  };

  Versioned v;
  while (true) {
    std::optional<std::string_view> c = cur_logical();
    std::optional<std::string_view> h = his_logical();
    if (!c && !h) break;
    std::string logical(!h || (c && *c <= *h) ? *c : *h);
    std::optional<Versioned> found;
    while (h && *h == logical) {
      if (DecodeVersioned(his->value().ToStringView(), &v) && v.ValidAt(position())) found = v;
      his->Next();
      h = his_logical();
    }
    if (c && *c == logical) {
      if (!found && DecodeVersioned(cur->value().ToStringView(), &v) && v.ValidAt(position())) found = v;
      cur->Next();
    }
    if (found && !visit(logical, *found)) break;
  }
  if (!cur->status().ok()) return FromRocks(cur->status(), "scan");
  if (!his->status().ok()) return FromRocks(his->status(), "scan");
  return es::Status::Ok();
}

std::optional<ClaimView> ReadView::Claim(std::string_view claim_id) const {
  std::optional<std::string> commissioner = Get(std::string(keys::kClaimLocator).append(claim_id));
  if (!commissioner) return std::nullopt;
  std::optional<Versioned> v = GetAsOf(keys::kClaimTable, Logical({*commissioner, claim_id}));
  if (!v) return std::nullopt;
  ClaimView claim;
  if (!DecodeClaimRow(v->row, &claim)) return std::nullopt;
  claim.valid_from = v->valid_from;
  claim.valid_to = v->valid_to;
  return claim;
}

}  // namespace ledger::projections::internal
