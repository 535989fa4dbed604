#include "ledger/projections/directory.h"

#include "directory_rows.h"
#include "ledger/projections/keys.h"
#include "query_support.h"

namespace ledger::projections {
namespace {

// The current row of the directory entry `kind`/`id`, decoded into *row.
template <typename Row>
es::Result<bool> FindRow(const ProjectionDb& db, std::string_view table, std::string_view kind, std::string_view id,
                         Row* row) {
  auto view = internal::ReadView::Open(db, AsOf{});
  if (!view.ok()) return view.status();
  auto logical = (*view)->Get(std::string(keys::kLocator).append(kind).append(id));
  if (!logical) return false;
  auto versioned = (*view)->GetAsOf(table, *logical);
  if (!versioned) return false;
  if (!internal::Decode(versioned->row, row)) return es::Status::Corruption("a directory row does not decode");
  return true;
}

}  // namespace

es::Result<std::optional<OrganisationEntry>> FindOrganisation(const ProjectionDb& db, std::string_view code) {
  internal::OrgRow row;
  auto found = FindRow(db, keys::kOrgTable, keys::kLocOrg, code, &row);
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<OrganisationEntry>();
  return std::optional<OrganisationEntry>(OrganisationEntry{row.code, row.name, row.kind, row.commissioner_code});
}

es::Result<std::optional<PersonEntry>> FindPerson(const ProjectionDb& db, std::string_view username) {
  internal::AccountRow row;
  auto found = FindRow(db, keys::kAccountTable, keys::kLocAccount, username, &row);
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<PersonEntry>();
  return std::optional<PersonEntry>(PersonEntry{row.username, row.full_name, row.org_code, row.status});
}

es::Result<std::optional<PaymentRunEntry>> FindPaymentRun(const ProjectionDb& db, std::string_view run_id) {
  internal::RunRow row;
  auto found = FindRow(db, keys::kRunTable, keys::kLocRun, run_id, &row);
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<PaymentRunEntry>();
  return std::optional<PaymentRunEntry>(
      PaymentRunEntry{row.run_id, row.commissioner, row.status, row.created_by, row.confirmed_by, row.payment_reference,
                      row.head_hash, row.head_position, row.created_at, row.confirmed_at, row.paid_at});
}

}  // namespace ledger::projections
