// A small standard world for decider tests:
//   SYSTEM                       operator "op"
//   C1 commissioner              c1admin, c1tier1, c1tier2, c1finance, c1auditor, c1dual (tier1+tier2)
//   C2 commissioner              c2admin, c2tier1
//   P1 practice of C1 (single)   p1admin, p1user, p1approver      list size 8,000 from 2026-04-01
//   P2 practice of C1 (multi)    p2admin, p2user, p2approver      list size 4,500 from 2026-04-01
//   P3 practice of C2 (single)   p3admin, p3user
//   PCN1 pcn of C1 (members P1, P2)
//   service FLU of C1 (published, monthly, item of service 1,000p per vaccination), offered to and
//   accepted by P1 and P2 for 2026-04-01..2027-03-31.
#pragma once

#include <string>

#include "scenario.h"

namespace ledger::core::testing {

inline Event Org(const std::string& code, OrgKind kind, const std::string& commissioner = "",
                 ApprovalMode mode = ApprovalMode::kSingleLevel, std::vector<std::string> members = {}) {
  return OrganisationRegistered{code, "Organisation " + code, kind, commissioner, "LS1 4AP", mode, members, Now()};
}

inline Event Person(const std::string& username, const std::string& org, OrgKind kind, const std::string& commissioner,
                    RoleSet roles) {
  return AccountCreated{
      username,          org,  kind, commissioner, "Person " + username, username + "@nhs.net", roles, "$argon2id$hash",
      IsDualTier(roles), Now()};
}

inline ServiceDefinition FluDefinition() {
  ServiceDefinition d;
  d.code = "FLU";
  d.name = "Flu vaccinations for housebound patients";
  d.description = "Home visits to vaccinate housebound patients.";
  d.category = ServiceCategory::kLes;
  d.frequency = Frequency::kMonthly;
  d.window_days = 30;
  d.components = {Component{"vaccinations", "Vaccinations given", UnitKind::kCount, 0, 5000, true, ""}};
  d.questions = {Question{"notes", "Anything the commissioner should know?", QuestionKind::kText, false}};
  d.evidence_required = false;
  d.start = Date::FromYmd(2026, 4, 1);
  d.end = Date::FromYmd(2027, 3, 31);
  return d;
}

inline Tariff FluTariff(Date from = Date::FromYmd(2026, 4, 1), Pence per_unit = 1000) {
  Tariff t;
  t.effective_from = from;
  t.payment_type = PaymentType::kItemOfService;
  t.unit_rates = {ComponentRate{"vaccinations", per_unit}};
  return t;
}

inline void AddPeople(Scenario& s) {
  using R = Role;
  auto c = [&](const std::string& u, const std::string& org, RoleSet roles) {
    s.Given(AccountStream(u), {Person(u, org, OrgKind::kCommissioner, org, roles)});
  };
  auto p = [&](const std::string& u, const std::string& org, const std::string& comm, RoleSet roles) {
    s.Given(AccountStream(u), {Person(u, org, OrgKind::kPractice, comm, roles)});
  };
  s.Given(AccountStream("op"), {Person("op", "SYSTEM", OrgKind::kSystem, "", Roles({R::kOperator}))});
  c("c1admin", "C1", Roles({R::kCommissionerAdmin}));
  c("c1tier1", "C1", Roles({R::kApproverTier1}));
  c("c1tier2", "C1", Roles({R::kApproverTier2}));
  c("c1finance", "C1", Roles({R::kFinance}));
  c("c1auditor", "C1", Roles({R::kAuditor}));
  c("c1dual", "C1", Roles({R::kApproverTier1, R::kApproverTier2}));
  c("c2admin", "C2", Roles({R::kCommissionerAdmin}));
  c("c2tier1", "C2", Roles({R::kApproverTier1}));
  p("p1admin", "P1", "C1", Roles({R::kProviderAdmin}));
  p("p1user", "P1", "C1", Roles({R::kProviderUser}));
  p("p1approver", "P1", "C1", Roles({R::kProviderApprover}));
  p("p2admin", "P2", "C1", Roles({R::kProviderAdmin}));
  p("p2user", "P2", "C1", Roles({R::kProviderUser}));
  p("p2approver", "P2", "C1", Roles({R::kProviderApprover}));
  p("p3admin", "P3", "C2", Roles({R::kProviderAdmin}));
  p("p3user", "P3", "C2", Roles({R::kProviderUser}));
}

inline void AddFluService(Scenario& s) {
  s.Given(ServiceStream("FLU"), {ServiceDefined{"FLU", "C1", FluDefinition(), Now()},
                                 TariffVersionAdded{"FLU", FluTariff(), Now()}, ServicePublished{"FLU", Now()}});
  const Date start = Date::FromYmd(2026, 4, 1);
  const Date end = Date::FromYmd(2027, 3, 31);
  for (const std::string provider : {"P1", "P2"}) {
    s.Given(OfferStream("FLU", provider),
            {ServiceOffered{"FLU", provider, "C1", start, end, Date::FromYmd(2026, 3, 31), Now()},
             OfferAccepted{"FLU", provider, start, end, provider == "P1" ? "p1admin" : "p2admin", Now()}});
  }
}

inline Scenario StandardWorld() {
  Scenario s;
  s.Given(OrgStream("SYSTEM"), {Org("SYSTEM", OrgKind::kSystem)});
  s.Given(OrgStream("C1"), {Org("C1", OrgKind::kCommissioner)});
  s.Given(OrgStream("C2"), {Org("C2", OrgKind::kCommissioner)});
  s.Given(OrgStream("P1"),
          {Org("P1", OrgKind::kPractice, "C1"), ListSizeRecorded{"P1", Date::FromYmd(2026, 4, 1), 8000, Now()}});
  s.Given(OrgStream("P2"), {Org("P2", OrgKind::kPractice, "C1", ApprovalMode::kMultiLevel),
                            ListSizeRecorded{"P2", Date::FromYmd(2026, 4, 1), 4500, Now()}});
  s.Given(OrgStream("P3"), {Org("P3", OrgKind::kPractice, "C2")});
  s.Given(OrgStream("PCN1"), {Org("PCN1", OrgKind::kPcn, "C1", ApprovalMode::kSingleLevel, {"P1", "P2"})});
  AddPeople(s);
  AddFluService(s);
  return s;
}

}  // namespace ledger::core::testing
