#include "ledger/projections/notices.h"

#include "ledger/projections/keys.h"
#include "notice_rows.h"
#include "query_support.h"
#include "row_codec.h"

namespace ledger::projections {
namespace internal {

std::string NoticeOrgPrefix(std::string_view org) { return std::string(keys::kNoticesByOrg).append(org).append("|"); }

std::string NoticeKey(std::string_view org, core::Timestamp at, uint64_t position) {
  std::string key = NoticeOrgPrefix(org);
  AppendBE64(&key, OrderedTime(at));
  AppendBE64(&key, position);
  return key;
}

std::string EncodeNotice(const Notice& n) {
  return RowWriter()
      .U(static_cast<uint64_t>(n.kind))
      .S(n.stream_id)
      .S(n.subject)
      .S(n.provider)
      .S(n.tier)
      .S(n.reason)
      .S(n.reference)
      .S(n.date)
      .I(n.amount)
      .I(n.at)
      .Take();
}

bool DecodeNotice(std::string_view row, Notice* out) {
  RowReader r(row);
  out->kind = static_cast<NoticeKind>(r.U());
  out->stream_id = r.S();
  out->subject = r.S();
  out->provider = r.S();
  out->tier = r.S();
  out->reason = r.S();
  out->reference = r.S();
  out->date = r.S();
  out->amount = r.I();
  out->at = r.I();
  return r.ok();
}

std::string EncodeSignIns(const SignIns& s) { return RowWriter().I(s.latest).I(s.previous).Take(); }

bool DecodeSignIns(std::string_view row, SignIns* out) {
  RowReader r(row);
  out->latest = r.I();
  out->previous = r.I();
  return r.ok();
}

}  // namespace internal

es::Result<NoticePage> FindNotices(const ProjectionDb& db, std::string_view org, core::Timestamp since,
                                   const std::function<bool(const Notice&)>& visible, size_t limit, size_t scan_limit) {
  auto view = internal::ReadView::Open(db, AsOf{});
  if (!view.ok()) return view.status();
  const std::string prefix = internal::NoticeOrgPrefix(org);
  std::string floor = prefix;
  internal::AppendBE64(&floor, internal::OrderedTime(since));
  internal::AppendBE64(&floor, ~uint64_t{0});  // after every notice at `since` itself
  NoticePage page;
  auto it = (*view)->NewIterator(prefix);
  size_t scanned = 0;
  for (it->SeekForPrev(internal::PrefixEnd(prefix)); it->Valid() && it->key().starts_with(prefix); it->Prev()) {
    if (it->key().ToStringView() <= std::string_view(floor)) break;
    if (++scanned > scan_limit) {
      page.more_counted_fully = false;
      break;
    }
    Notice n;
    if (!internal::DecodeNotice(it->value().ToStringView(), &n)) {
      return es::Status::Corruption("a notice row does not decode");
    }
    const std::string_view key = it->key().ToStringView();
    n.position = internal::ReadBE64(key.substr(key.size() - 8));
    if (!visible(n)) continue;
    if (page.notices.size() < limit) {
      page.notices.push_back(std::move(n));
    } else {
      ++page.more;
    }
  }
  if (!it->status().ok()) return internal::FromRocks(it->status(), "read notices");
  return page;
}

es::Result<SignIns> FindSignIns(const ProjectionDb& db, std::string_view username) {
  auto view = internal::ReadView::Open(db, AsOf{});
  if (!view.ok()) return view.status();
  SignIns s;
  auto row = (*view)->Get(std::string(keys::kNoticeSignIns).append(username));
  if (row && !internal::DecodeSignIns(*row, &s)) return es::Status::Corruption("a sign-in row does not decode");
  return s;
}

}  // namespace ledger::projections
