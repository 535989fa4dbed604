#include "support/world.h"

#include <doctest/doctest.h>

#include "ledger/core/codec.h"
#include "ledger/core/streams.h"
#include "ledger/projections/projection_db.h"

namespace ledger::testing {

core::Date November(int d) { return core::Date::FromYmd(2026, 11, d); }

core::RoleSet RolesOf(std::initializer_list<core::Role> roles) {
  core::RoleSet set;
  for (core::Role r : roles) set.Add(r);
  return set;
}

void Seed(es::EventStore& store, const std::string& stream, const std::vector<core::Event>& events) {
  es::AppendRequest request;
  request.command_id = "seed-" + stream;
  request.actor_id = "";
  es::StreamAppend append;
  append.stream_id = stream;
  for (const core::Event& e : events) {
    core::EncodedEvent encoded = core::Encode(e);
    append.events.push_back({encoded.type, encoded.schema_version, encoded.payload});
  }
  request.streams.push_back(std::move(append));
  auto result = store.Append(request);
  REQUIRE_MESSAGE(result.ok(), result.status().ToString());
}

namespace {

void SeedOrganisations(es::EventStore& store, core::Date today) {
  using namespace core;  // NOLINT: the world reads better unqualified
  auto org = [&](const std::string& code, const std::string& comm, ApprovalMode mode) {
    Seed(
        store, OrgStream(code),
        {OrganisationRegistered{code, "Organisation " + code, OrgKind::kPractice, comm, "LS1 4AP", mode, {}, kWorldNow},
         ListSizeRecorded{code, today.AddDays(-200), 8000, kWorldNow}});
  };
  Seed(store, OrgStream("SYSTEM"),
       {OrganisationRegistered{
           "SYSTEM", "Operators", OrgKind::kSystem, "", "", ApprovalMode::kSingleLevel, {}, kWorldNow}});
  for (const char* c : {"C1", "C2"}) {
    Seed(store, OrgStream(c),
         {OrganisationRegistered{c,
                                 std::string("Commissioner ") + c,
                                 OrgKind::kCommissioner,
                                 c,
                                 "",
                                 ApprovalMode::kSingleLevel,
                                 {},
                                 kWorldNow},
          CommissionerConfigured{c, kDefaultFinanceThresholdPence, true, kWorldNow}});
  }
  org("P1", "C1", ApprovalMode::kSingleLevel);
  org("P2", "C1", ApprovalMode::kMultiLevel);
  org("P3", "C2", ApprovalMode::kSingleLevel);
}

void SeedPeople(es::EventStore& store, const std::string& hash) {
  using namespace core;  // NOLINT
  using R = Role;
  auto person = [&](const std::string& username, const std::string& org_code, OrgKind kind, const std::string& comm,
                    RoleSet roles) {
    Seed(store, AccountStream(username),
         {AccountCreated{username, org_code, kind, comm, "Person " + username, username + "@nhs.invalid", roles, hash,
                         IsDualTier(roles), kWorldNow}});
  };
  person("op", "SYSTEM", OrgKind::kSystem, "", RolesOf({R::kOperator}));
  person("c1admin", "C1", OrgKind::kCommissioner, "C1", RolesOf({R::kCommissionerAdmin}));
  person("c1tier1", "C1", OrgKind::kCommissioner, "C1", RolesOf({R::kApproverTier1}));
  person("c1tier2", "C1", OrgKind::kCommissioner, "C1", RolesOf({R::kApproverTier2}));
  person("c1tier2b", "C1", OrgKind::kCommissioner, "C1", RolesOf({R::kApproverTier2}));
  person("c1finance", "C1", OrgKind::kCommissioner, "C1", RolesOf({R::kFinance}));
  person("c1auditor", "C1", OrgKind::kCommissioner, "C1", RolesOf({R::kAuditor}));
  person("c2tier1", "C2", OrgKind::kCommissioner, "C2", RolesOf({R::kApproverTier1}));
  person("c2auditor", "C2", OrgKind::kCommissioner, "C2", RolesOf({R::kAuditor}));
  person("p1user", "P1", OrgKind::kPractice, "C1", RolesOf({R::kProviderUser, R::kProviderAdmin}));
  person("p2user", "P2", OrgKind::kPractice, "C1", RolesOf({R::kProviderUser}));
  person("p2approver", "P2", OrgKind::kPractice, "C1", RolesOf({R::kProviderApprover}));
  person("p3user", "P3", OrgKind::kPractice, "C2", RolesOf({R::kProviderUser}));
}

void SeedSpendService(es::EventStore& store, core::Date today) {
  using namespace core;  // NOLINT
  ServiceDefinition d;
  d.code = "SPEND";
  d.name = "Care home support costs";
  d.description = "Costs of supporting care home residents.";
  d.category = ServiceCategory::kLes;
  d.frequency = Frequency::kOneOff;
  d.window_days = 30;
  d.components = {Component{"cost", "Costs incurred", UnitKind::kMoney, 0, 100'000'000, true, ""}};
  d.questions = {Question{"notes", "Anything the commissioner should know?", QuestionKind::kText, false}};
  d.start = today.AddDays(-200);
  d.end = today.AddDays(200);
  Tariff t;
  t.effective_from = d.start;
  t.payment_type = PaymentType::kItemOfService;
  t.unit_rates = {ComponentRate{"cost", 1}};
  Seed(store, ServiceStream("SPEND"),
       {ServiceDefined{"SPEND", "C1", d, kWorldNow}, TariffVersionAdded{"SPEND", t, kWorldNow},
        ServicePublished{"SPEND", kWorldNow}});
  for (const char* p : {"P1", "P2"}) {
    Seed(store, OfferStream("SPEND", p),
         {ServiceOffered{"SPEND", p, "C1", d.start, d.end, d.start.AddDays(-1), kWorldNow},
          OfferAccepted{"SPEND", p, d.start, d.end, "p1user", kWorldNow}});
  }
}

}  // namespace

void SeedWorld(es::EventStore& store, const std::string& password_hash, core::Date today) {
  SeedOrganisations(store, today);
  SeedPeople(store, password_hash);
  SeedSpendService(store, today);
}

es::Options UnsyncedStore() {
  es::Options options;
  options.sync = false;
  return options;
}

LedgerWorld::LedgerWorld(std::unique_ptr<TempDir> temp, const es::Options& store_options) : dir(std::move(temp)) {
  auto opened = es::EventStore::Open(dir->Sub("events"), store_options);
  REQUIRE_MESSAGE(opened.ok(), opened.status().ToString());
  auto counting = std::make_unique<CountingStore>(std::move(opened).value());
  counting_ = counting.get();
  auto db = projections::ProjectionDb::Open(dir->Sub("projections"));
  REQUIRE_MESSAGE(db.ok(), db.status().ToString());
  app::LedgerOptions options;
  options.evidence_dir = dir->path() / "evidence";
  options.clock = [this] { return now; };
  ledger_ = std::make_unique<app::Ledger>(std::move(counting), std::move(db).value(), std::move(options));
  auto key = app::SigningKey::LoadOrCreate(dir->path() / "signing.key");
  REQUIRE_MESSAGE(key.ok(), key.status().ToString());
  ledger_->SetSigningKey(std::move(key).value());
}

LedgerWorld::~LedgerWorld() = default;

void LedgerWorld::Start() {
  es::Status s = ledger_->StartProjections();
  REQUIRE_MESSAGE(s.ok(), s.ToString());
}

}  // namespace ledger::testing
