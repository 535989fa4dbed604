// The directory projection: organisations (with list sizes), accounts,
// services and tariffs, offers and participation, payment runs and their
// claims. Every row is versioned, so the directory too can be read "as of".
#include <fmt/format.h>

#include <type_traits>

#include "directory_rows.h"
#include "ledger/core/domain.h"
#include "ledger/projections/keys.h"
#include "projection.h"
#include "row_codec.h"

namespace ledger::projections::internal {
namespace {

std::string LocatorKey(std::string_view kind, std::string_view id) {
  return std::string(keys::kLocator).append(kind).append(id);
}

// "From 2026-04-01: Reviews: £12.50 each": the date (sorting the versions) and
// the rates in the words every page uses (core::TariffText).
std::string TariffSummary(const core::Tariff& t) {
  return "From " + t.effective_from.ToString() + ": " + core::TariffText(t);
}

void Define(ServiceRow* row, const core::ServiceDefinition& d) {
  row->code = d.code;
  row->name = d.name;
  row->category = core::ServiceCategoryName(d.category);
  row->frequency = core::FrequencyName(d.frequency);
  row->window_days = d.window_days;
  row->start = d.start.ToString();
  row->end = d.end.ToString();
  row->evidence_required = d.evidence_required;
  row->components.clear();
  for (const auto& c : d.components)
    row->components.push_back(c.id + ":" + std::string(core::UnitKindName(c.unit_kind)));
}

class DirectoryProjection final : public Projection {
 public:
  std::string_view name() const override { return keys::kDirectoryProjection; }
  std::string_view key_namespace() const override { return keys::kDirectoryNamespace; }

  void Apply(const es::Envelope& env, const core::Event* event, Writer& w) override {
    if (event == nullptr) return;
    pos_ = env.position;
    actor_ = &env.actor_id;
    std::visit([&](const auto& e) { On(e, w); }, *event);
  }

 private:
  template <typename Row>
  bool Load(std::string_view table, std::string_view kind, std::string_view id, Row* row, std::string* logical,
            Writer& w) {
    std::optional<std::string> loc = w.Get(LocatorKey(kind, id));
    if (!loc) return false;
    *logical = *loc;
    std::optional<Versioned> current = w.GetCurrent(table, *logical);
    return current && Decode(current->row, row);
  }
  template <typename Row>
  void Store(std::string_view table, std::string_view kind, std::string_view id, const std::string& logical,
             const Row& row, Writer& w) {
    w.Put(LocatorKey(kind, id), logical);
    w.PutVersioned(table, logical, Encode(row), pos_);
  }

  // ---- organisations
  void On(const core::OrganisationRegistered& e, Writer& w) {
    OrgRow row;
    row.code = e.code;
    row.name = e.name;
    row.kind = core::OrgKindName(e.kind);
    row.commissioner_code = e.commissioner_code;
    row.postcode = e.postcode;
    row.approval_mode = core::ApprovalModeName(e.approval_mode);
    row.members = e.members;
    row.finance_threshold = core::kDefaultFinanceThresholdPence;
    row.registered_at = e.at;
    const std::string& owner = e.commissioner_code.empty() ? e.code : e.commissioner_code;
    Store(keys::kOrgTable, keys::kLocOrg, e.code, Logical({owner, e.code}), row, w);
  }
  template <typename F>
  void UpdateOrg(const std::string& code, Writer& w, F&& change) {
    OrgRow row;
    std::string logical;
    if (!Load(keys::kOrgTable, keys::kLocOrg, code, &row, &logical, w)) return;
    change(row);
    Store(keys::kOrgTable, keys::kLocOrg, code, logical, row, w);
  }
  void On(const core::ProviderConfigured& e, Writer& w) {
    UpdateOrg(e.code, w, [&](OrgRow& r) {
      r.approval_mode = core::ApprovalModeName(e.approval_mode);
      r.members = e.members;
    });
  }
  void On(const core::ListSizeRecorded& e, Writer& w) {
    UpdateOrg(e.code, w, [&](OrgRow& r) {
      std::vector<std::pair<int64_t, int64_t>> sizes;
      for (size_t i = 0; i + 1 < r.list_sizes.size(); i += 2) {
        if (r.list_sizes[i] != e.effective_from.days) sizes.emplace_back(r.list_sizes[i], r.list_sizes[i + 1]);
      }
      sizes.emplace_back(e.effective_from.days, e.patients);
      std::sort(sizes.begin(), sizes.end());
      r.list_sizes.clear();
      for (auto [day, patients] : sizes) {
        r.list_sizes.push_back(day);
        r.list_sizes.push_back(patients);
      }
    });
  }
  void On(const core::CommissionerConfigured& e, Writer& w) {
    UpdateOrg(e.code, w, [&](OrgRow& r) {
      r.finance_threshold = e.finance_threshold_pence;
      r.uses_finance_role = e.uses_finance_role;
    });
  }

  // ---- accounts
  void NewAccount(const std::string& username, const std::string& org, core::OrgKind kind,
                  const std::string& commissioner, const std::string& full_name, const std::string& email,
                  std::string status, uint32_t roles, uint32_t requested, bool dual, core::Timestamp at, Writer& w) {
    AccountRow row;
    row.username = username;
    row.org_code = org;
    row.org_kind = core::OrgKindName(kind);
    row.commissioner_code = commissioner;
    row.full_name = full_name;
    row.email = email;
    row.status = std::move(status);
    row.roles = roles;
    row.roles_requested = requested;
    row.dual_tier_warning = dual;
    row.decided_by = *actor_;
    row.requested_at = at;
    row.updated_at = at;
    Store(keys::kAccountTable, keys::kLocAccount, username, Logical({org, username}), row, w);
  }
  void On(const core::AccountRequested& e, Writer& w) {
    NewAccount(e.username, e.org_code, e.org_kind, e.commissioner_code, e.full_name, e.email, "requested", 0,
               e.roles_requested.bits(), false, e.at, w);
  }
  void On(const core::AccountCreated& e, Writer& w) {
    NewAccount(e.username, e.org_code, e.org_kind, e.commissioner_code, e.full_name, e.email, "active", e.roles.bits(),
               e.roles.bits(), e.dual_tier_warning, e.at, w);
  }
  template <typename F>
  void UpdateAccount(const std::string& username, core::Timestamp at, Writer& w, F&& change) {
    AccountRow row;
    std::string logical;
    if (!Load(keys::kAccountTable, keys::kLocAccount, username, &row, &logical, w)) return;
    change(row);
    row.updated_at = at;
    Store(keys::kAccountTable, keys::kLocAccount, username, logical, row, w);
  }
  void On(const core::AccountApproved& e, Writer& w) {
    UpdateAccount(e.username, e.at, w, [&](AccountRow& r) {
      r.status = "active";
      r.roles = e.roles.bits();
      r.dual_tier_warning = e.dual_tier_warning;
      r.decided_by = e.approved_by;
    });
  }
  void On(const core::AccountRefused& e, Writer& w) {
    UpdateAccount(e.username, e.at, w, [&](AccountRow& r) {
      r.status = "refused";
      r.decided_by = e.refused_by;
      r.reason = e.reason;
    });
  }
  void On(const core::AccountDisabled& e, Writer& w) {
    UpdateAccount(e.username, e.at, w, [&](AccountRow& r) {
      r.status = "disabled";
      r.decided_by = e.disabled_by;
      r.reason = e.reason;
    });
  }
  void On(const core::AccountEnabled& e, Writer& w) {
    UpdateAccount(e.username, e.at, w, [&](AccountRow& r) {
      r.status = "active";
      r.decided_by = e.enabled_by;
      r.reason.clear();
    });
  }
  void On(const core::RolesAssigned& e, Writer& w) {
    UpdateAccount(e.username, e.at, w, [&](AccountRow& r) {
      r.roles = e.roles.bits();
      r.dual_tier_warning = e.dual_tier_warning;
      r.decided_by = e.assigned_by;
    });
  }
  void On(const core::PasswordChanged&, Writer&) {}  // not part of the directory
  void On(const core::AccountSignedIn&, Writer&) {}  // nor is a sign-in (see the notices projection)
  void On(const core::PasswordReset&, Writer&) {}

  // ---- services
  void On(const core::ServiceDefined& e, Writer& w) {
    ServiceRow row;
    row.service_id = e.service_id;
    row.commissioner = e.commissioner;
    row.status = "draft";
    Define(&row, e.definition);
    Store(keys::kServiceTable, keys::kLocService, e.service_id, Logical({e.commissioner, e.service_id}), row, w);
  }
  template <typename F>
  void UpdateService(const std::string& id, Writer& w, F&& change) {
    ServiceRow row;
    std::string logical;
    if (!Load(keys::kServiceTable, keys::kLocService, id, &row, &logical, w)) return;
    change(row);
    Store(keys::kServiceTable, keys::kLocService, id, logical, row, w);
  }
  void On(const core::ServiceDraftEdited& e, Writer& w) {
    UpdateService(e.service_id, w, [&](ServiceRow& r) { Define(&r, e.definition); });
  }
  void On(const core::ServicePublished& e, Writer& w) {
    UpdateService(e.service_id, w, [&](ServiceRow& r) { r.status = "published"; });
  }
  void On(const core::ServiceRetired& e, Writer& w) {
    UpdateService(e.service_id, w, [&](ServiceRow& r) { r.status = "retired"; });
  }
  void On(const core::TariffVersionAdded& e, Writer& w) {
    UpdateService(e.service_id, w, [&](ServiceRow& r) {
      r.tariffs.push_back(TariffSummary(e.tariff));
      std::sort(r.tariffs.begin(), r.tariffs.end());
    });
  }
  void On(const core::ServiceShared& e, Writer& w) {
    UpdateService(e.service_id, w, [&](ServiceRow& r) {
      if (std::find(r.shared_with.begin(), r.shared_with.end(), e.with_commissioner) == r.shared_with.end()) {
        r.shared_with.push_back(e.with_commissioner);
      }
    });
  }

  // ---- offers
  static std::string OfferId(std::string_view service, std::string_view provider) {
    return std::string(service).append("|").append(provider);
  }
  void On(const core::ServiceOffered& e, Writer& w) {
    OfferRow row;
    std::string logical;
    const std::string id = OfferId(e.service_id, e.provider);
    Load(keys::kOfferTable, keys::kLocOffer, id, &row, &logical, w);  // keeps earlier participation
    row.service_id = e.service_id;
    row.provider = e.provider;
    row.commissioner = e.commissioner;
    row.status = "pending";
    row.start = e.start.ToString();
    row.end = e.end.ToString();
    row.respond_by = e.respond_by.ToString();
    row.responded_by.clear();
    row.reason.clear();
    row.offered_at = e.at;
    row.responded_at = 0;
    if (logical.empty()) logical = Logical({e.commissioner, e.service_id, e.provider});
    Store(keys::kOfferTable, keys::kLocOffer, id, logical, row, w);
  }
  template <typename F>
  void UpdateOffer(const std::string& service, const std::string& provider, core::Timestamp at, Writer& w, F&& change) {
    OfferRow row;
    std::string logical;
    const std::string id = OfferId(service, provider);
    if (!Load(keys::kOfferTable, keys::kLocOffer, id, &row, &logical, w)) return;
    change(row);
    row.responded_at = at;
    Store(keys::kOfferTable, keys::kLocOffer, id, logical, row, w);
  }
  void On(const core::OfferAccepted& e, Writer& w) {
    UpdateOffer(e.service_id, e.provider, e.at, w, [&](OfferRow& r) {
      r.status = "accepted";
      r.responded_by = e.accepted_by;
      r.participation.push_back(e.start.ToString() + ".." + e.end.ToString());
    });
  }
  void On(const core::OfferDeclined& e, Writer& w) {
    UpdateOffer(e.service_id, e.provider, e.at, w, [&](OfferRow& r) {
      r.status = "declined";
      r.responded_by = e.declined_by;
      r.reason = e.reason;
    });
  }
  void On(const core::OfferWithdrawn& e, Writer& w) {
    UpdateOffer(e.service_id, e.provider, e.at, w, [&](OfferRow& r) {
      r.status = "withdrawn";
      r.responded_by = e.withdrawn_by;
      r.reason = e.reason;
    });
  }

  // ---- payment runs
  void On(const core::PaymentRunCreated& e, Writer& w) {
    RunRow row;
    row.run_id = e.run_id;
    row.commissioner = e.commissioner;
    row.pay_date = e.pay_date.ToString();
    row.status = "created";
    row.claims = static_cast<int64_t>(e.claims.size());
    row.total = e.total;
    row.head_position = e.head_position;
    row.head_hash = e.head_hash;
    row.created_by = e.created_by;
    row.created_at = e.at;
    Store(keys::kRunTable, keys::kLocRun, e.run_id, Logical({e.commissioner, e.run_id}), row, w);
    for (const core::PaymentRunLine& line : e.claims) {
      std::string key(keys::kRunClaims);
      key.append(e.run_id).append("|").append(line.claim_id);
      w.Put(key, RowWriter().S(line.provider).I(line.amount).Take());
    }
  }
  void On(const core::PaymentRunConfirmed& e, Writer& w) {
    RunRow row;
    std::string logical;
    if (!Load(keys::kRunTable, keys::kLocRun, e.run_id, &row, &logical, w)) return;
    row.status = "confirmed";
    row.confirmed_by = e.confirmed_by;
    row.confirmed_at = e.at;
    Store(keys::kRunTable, keys::kLocRun, e.run_id, logical, row, w);
  }
  void On(const core::PaymentRunPaid& e, Writer& w) {
    RunRow row;
    std::string logical;
    if (!Load(keys::kRunTable, keys::kLocRun, e.run_id, &row, &logical, w)) return;
    row.status = "paid";
    row.payment_reference = e.payment_reference;
    row.paid_at = e.at;
    Store(keys::kRunTable, keys::kLocRun, e.run_id, logical, row, w);
  }

  // Claim events are the claims projection's.
  template <typename E>
  void On(const E&, Writer&) {}

  uint64_t pos_ = 0;
  const std::string* actor_ = nullptr;
};

}  // namespace

std::unique_ptr<Projection> MakeDirectoryProjection() { return std::make_unique<DirectoryProjection>(); }

}  // namespace ledger::projections::internal
