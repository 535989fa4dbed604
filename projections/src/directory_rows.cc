#include "directory_rows.h"

#include "ledger/core/access.h"
#include "row_codec.h"

namespace ledger::projections::internal {

int64_t OrgRow::ListSizeOn(int32_t day) const {
  int64_t size = 0;
  for (size_t i = 0; i + 1 < list_sizes.size(); i += 2) {
    if (list_sizes[i] <= day) size = list_sizes[i + 1];
  }
  return size;
}

int64_t OrgRow::LatestListSize() const { return list_sizes.empty() ? 0 : list_sizes.back(); }

std::string Encode(const OrgRow& r) {
  return RowWriter()
      .S(r.code)
      .S(r.name)
      .S(r.kind)
      .S(r.commissioner_code)
      .S(r.postcode)
      .S(r.approval_mode)
      .Strings(r.members)
      .Ints(r.list_sizes)
      .I(r.finance_threshold)
      .B(r.uses_finance_role)
      .I(r.registered_at)
      .Take();
}
bool Decode(std::string_view bytes, OrgRow* r) {
  RowReader in(bytes);
  r->code = in.S();
  r->name = in.S();
  r->kind = in.S();
  r->commissioner_code = in.S();
  r->postcode = in.S();
  r->approval_mode = in.S();
  r->members = in.Strings();
  r->list_sizes = in.Ints();
  r->finance_threshold = in.I();
  r->uses_finance_role = in.B();
  r->registered_at = in.I();
  return in.ok();
}

std::string Encode(const AccountRow& r) {
  return RowWriter()
      .S(r.username)
      .S(r.org_code)
      .S(r.org_kind)
      .S(r.commissioner_code)
      .S(r.full_name)
      .S(r.email)
      .S(r.status)
      .U(r.roles)
      .U(r.roles_requested)
      .B(r.dual_tier_warning)
      .S(r.decided_by)
      .S(r.reason)
      .I(r.requested_at)
      .I(r.updated_at)
      .Take();
}
bool Decode(std::string_view bytes, AccountRow* r) {
  RowReader in(bytes);
  r->username = in.S();
  r->org_code = in.S();
  r->org_kind = in.S();
  r->commissioner_code = in.S();
  r->full_name = in.S();
  r->email = in.S();
  r->status = in.S();
  r->roles = static_cast<uint32_t>(in.U());
  r->roles_requested = static_cast<uint32_t>(in.U());
  r->dual_tier_warning = in.B();
  r->decided_by = in.S();
  r->reason = in.S();
  r->requested_at = in.I();
  r->updated_at = in.I();
  return in.ok();
}

std::string Encode(const ServiceRow& r) {
  return RowWriter()
      .S(r.service_id)
      .S(r.commissioner)
      .S(r.code)
      .S(r.name)
      .S(r.category)
      .S(r.frequency)
      .S(r.status)
      .I(r.window_days)
      .S(r.start)
      .S(r.end)
      .Strings(r.components)
      .Strings(r.tariffs)
      .Strings(r.shared_with)
      .B(r.evidence_required)
      .Take();
}
bool Decode(std::string_view bytes, ServiceRow* r) {
  RowReader in(bytes);
  r->service_id = in.S();
  r->commissioner = in.S();
  r->code = in.S();
  r->name = in.S();
  r->category = in.S();
  r->frequency = in.S();
  r->status = in.S();
  r->window_days = in.I();
  r->start = in.S();
  r->end = in.S();
  r->components = in.Strings();
  r->tariffs = in.Strings();
  r->shared_with = in.Strings();
  r->evidence_required = in.B();
  return in.ok();
}

std::string Encode(const OfferRow& r) {
  return RowWriter()
      .S(r.service_id)
      .S(r.provider)
      .S(r.commissioner)
      .S(r.status)
      .S(r.start)
      .S(r.end)
      .S(r.respond_by)
      .Strings(r.participation)
      .S(r.responded_by)
      .S(r.reason)
      .I(r.offered_at)
      .I(r.responded_at)
      .Take();
}
bool Decode(std::string_view bytes, OfferRow* r) {
  RowReader in(bytes);
  r->service_id = in.S();
  r->provider = in.S();
  r->commissioner = in.S();
  r->status = in.S();
  r->start = in.S();
  r->end = in.S();
  r->respond_by = in.S();
  r->participation = in.Strings();
  r->responded_by = in.S();
  r->reason = in.S();
  r->offered_at = in.I();
  r->responded_at = in.I();
  return in.ok();
}

std::string Encode(const RunRow& r) {
  return RowWriter()
      .S(r.run_id)
      .S(r.commissioner)
      .S(r.pay_date)
      .S(r.status)
      .I(r.claims)
      .I(r.total)
      .U(r.head_position)
      .S(r.head_hash)
      .S(r.created_by)
      .S(r.confirmed_by)
      .S(r.payment_reference)
      .I(r.created_at)
      .I(r.confirmed_at)
      .I(r.paid_at)
      .Take();
}
bool Decode(std::string_view bytes, RunRow* r) {
  RowReader in(bytes);
  r->run_id = in.S();
  r->commissioner = in.S();
  r->pay_date = in.S();
  r->status = in.S();
  r->claims = in.I();
  r->total = in.I();
  r->head_position = in.U();
  r->head_hash = in.S();
  r->created_by = in.S();
  r->confirmed_by = in.S();
  r->payment_reference = in.S();
  r->created_at = in.I();
  r->confirmed_at = in.I();
  r->paid_at = in.I();
  return in.ok();
}

std::string RoleList(uint32_t bits) {
  std::string out;
  for (int i = 0; i < core::kRoleCount; ++i) {
    if ((bits >> i) & 1u) {
      if (!out.empty()) out.push_back(',');
      out.append(core::RoleName(static_cast<core::Role>(i)));
    }
  }
  return out;
}

}  // namespace ledger::projections::internal
