// A deterministic claims history for projection tests and the benchmark,
// written through the real command path (app::CommandBus and the real
// deciders) into a real event store:
//
//   commissioners C1..Cn, each with admin/tier1/tier2/finance accounts and two
//   services (FLU: count of vaccinations at £10 each; SPEND: money claimed at
//   1p per penny, so some claims need Finance approval);
//   practices P<c>x<j> with list sizes, every third one multi-level, offered
//   both services (a few decline FLU, a few leave SPEND pending);
//   then month by month every participating practice claims each service and
//   the claim goes through its lifecycle: failed submissions, provider
//   returns, tier 1 returns and rejections, tier 2, finance, holds and
//   releases, and a monthly payment run (created, confirmed, paid).
//
// Every id, command id and time derives from the options and the month
// number: the same options give the same events. A refused command throws
// std::runtime_error (a test failure; the benchmark stops).
#pragma once

#include <cctype>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "ledger/app/command_bus.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "ledger/eventstore/event_store.h"

namespace ledger::testing {

struct HistoryOptions {
  int commissioners = 2;
  int practices_per_commissioner = 4;
  uint64_t seed = 7;
};

class History {
 public:
  static constexpr core::Timestamp kDay = 86'400'000'000;
  static constexpr core::Timestamp kHour = 3'600'000'000;

  History(es::EventStore& store, HistoryOptions options) : store_(store), bus_(store), options_(options) {}

  // Usernames are lower case: "C1tier1" acts as "c1tier1".
  static std::string Username(std::string name) {
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return name;
  }
  static std::string Commissioner(int c) { return "C" + std::to_string(c); }
  static std::string Practice(int c, int j) { return "P" + std::to_string(c) + "x" + std::to_string(j); }
  static bool MultiLevel(int j) { return j % 3 == 2; }
  static std::string ClaimId(const std::string& service, const std::string& practice, const std::string& period) {
    return service + "." + practice + "." + period;
  }
  // Noon UTC on a day.
  static core::Timestamp Noon(int y, int m, int d) { return core::Date::FromYmd(y, m, d).days * kDay + kDay / 2; }

  // Organisations, accounts, services and offers (at 1 March 2026).
  void Setup() {
    const core::Timestamp t = Noon(2026, 3, 1);
    Ok("", core::RegisterOrganisation{"SYSTEM", "System", core::OrgKind::kSystem, "", "", {}, {}}, t);
    for (int c = 1; c <= options_.commissioners; ++c) SetupCommissioner(c, t);
  }

  // One month of claims for `period` ("2026-04" .. ), submitted in the month after.
  void Month(int year, int month) {
    const core::Period period = core::Period::Month(year, month);
    const core::Timestamp base = (period.end.days + 2) * kDay + 9 * kHour;  // two days after the period ends
    for (int c = 1; c <= options_.commissioners; ++c) {
      std::vector<std::string> approved;
      for (int j = 1; j <= options_.practices_per_commissioner; ++j) {
        for (const char* service : {"FLU", "SPEND"}) {
          if (!Participates(c, j, service)) continue;
          std::string id = Claim(c, j, std::string(service) + std::to_string(c), period, base);
          if (!id.empty()) approved.push_back(id);
        }
      }
      PaymentRun(c, period, approved, base + 20 * kDay);
    }
  }

  // Months from April 2026 until the log holds at least `events` events.
  int FillTo(uint64_t events) {
    int months = 0;
    for (int m = 0; store_.GetHead().position < events; ++m, ++months) Month(2026 + (3 + m) / 12, (3 + m) % 12 + 1);
    return months;
  }

  app::ExecuteResult Do(const std::string& actor, const core::Command& command, core::Timestamp at) {
    core::CommandMeta meta{"cmd-" + std::to_string(++commands_), "", Username(actor), at};
    return bus_.Execute(meta, command);
  }
  app::Executed Ok(const std::string& actor, const core::Command& command, core::Timestamp at) {
    app::ExecuteResult r = Do(actor, command, at);
    if (!r.ok()) throw std::runtime_error("history: " + r.Describe());
    return r.executed();
  }
  app::CommandBus& bus() { return bus_; }

 private:
  uint64_t Random(uint64_t salt) const {
    uint64_t z = options_.seed * 0x9E3779B97F4A7C15ull + salt;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t Salt(const std::string& s) const {
    uint64_t h = 1469598103934665603ull;
    for (char ch : s) h = (h ^ static_cast<uint8_t>(ch)) * 1099511628211ull;
    return h;
  }

  bool Participates(int c, int j, const std::string& service) const {
    (void)c;
    if (service == "FLU") return j % 7 != 6;  // declined
    return j % 5 != 4;                        // pending
  }

  static core::RoleSet Roles(std::initializer_list<core::Role> roles) {
    core::RoleSet set;
    for (core::Role r : roles) set.Add(r);
    return set;
  }

  void Person(const std::string& username, const std::string& org, core::RoleSet roles, core::Timestamp t) {
    const std::string name = Username(username);
    Ok("", core::CreateAccount{name, org, "Person " + name, name + "@nhs.net", roles, "$argon2id$x"}, t);
  }

  void SetupCommissioner(int c, core::Timestamp t) {
    using R = core::Role;
    const std::string cc = Commissioner(c);
    Ok("", core::RegisterOrganisation{cc, "Commissioner " + cc, core::OrgKind::kCommissioner, "", "LS1 1AA", {}, {}},
       t);
    Person(cc + "admin", cc, Roles({R::kCommissionerAdmin}), t);
    Person(cc + "tier1", cc, Roles({R::kApproverTier1}), t);
    Person(cc + "tier2", cc, Roles({R::kApproverTier2}), t);
    Person(cc + "finance", cc, Roles({R::kFinance}), t);
    Person(cc + "auditor", cc, Roles({R::kAuditor}), t);
    const std::string admin = cc + "admin";
    DefineServices(c, admin, t);
    for (int j = 1; j <= options_.practices_per_commissioner; ++j) {
      const std::string p = Practice(c, j);
      Ok("",
         core::RegisterOrganisation{p,
                                    "Practice " + p,
                                    core::OrgKind::kPractice,
                                    cc,
                                    "LS2 2BB",
                                    MultiLevel(j) ? core::ApprovalMode::kMultiLevel : core::ApprovalMode::kSingleLevel,
                                    {}},
         t);
      Ok("",
         core::RecordListSize{p, core::Date::FromYmd(2026, 4, 1), 2000 + static_cast<int64_t>(Random(Salt(p)) % 12000)},
         t);
      Person(p + "admin", p, Roles({R::kProviderAdmin}), t);
      Person(p + "user", p, Roles({R::kProviderUser}), t);
      if (MultiLevel(j)) Person(p + "approver", p, Roles({R::kProviderApprover}), t);
      for (const char* svc : {"FLU", "SPEND"}) {
        const std::string service = svc + std::to_string(c);
        Ok(admin,
           core::OfferService{service, p, core::Date::FromYmd(2026, 4, 1), core::Date::FromYmd(2028, 3, 31),
                              core::Date::FromYmd(2026, 3, 31)},
           t);
        if (std::string(svc) == "FLU" && !Participates(c, j, "FLU")) {
          Ok(p + "admin", core::DeclineOffer{service, p, "No housebound patients"}, t + kHour);
        } else if (Participates(c, j, svc)) {
          Ok(p + "admin", core::AcceptOffer{service, p}, t + kHour);
        }
      }
    }
  }

  void DefineServices(int c, const std::string& admin, core::Timestamp t) {
    const std::string cc = Commissioner(c);
    core::ServiceDefinition flu;
    flu.code = "FLU";
    flu.name = "Flu vaccinations for housebound patients";
    flu.category = core::ServiceCategory::kLes;
    flu.frequency = core::Frequency::kMonthly;
    flu.window_days = 30;
    flu.components = {core::Component{"vaccinations", "Vaccinations given", core::UnitKind::kCount, 0, 5000, true, ""}};
    flu.start = core::Date::FromYmd(2026, 4, 1);
    flu.end = core::Date::FromYmd(2028, 3, 31);
    core::Tariff flu_tariff;
    flu_tariff.effective_from = core::Date::FromYmd(2026, 4, 1);
    flu_tariff.unit_rates = {core::ComponentRate{"vaccinations", 1000}};

    core::ServiceDefinition spend = flu;
    spend.code = "SPEND";
    spend.name = "Care home support costs";
    spend.components = {core::Component{"cost", "Costs incurred", core::UnitKind::kMoney, 0, 100'000'000, true, ""}};
    core::Tariff spend_tariff = flu_tariff;
    spend_tariff.unit_rates = {core::ComponentRate{"cost", 1}};

    for (auto [id, def, tariff] : {std::tuple{"FLU" + std::to_string(c), flu, flu_tariff},
                                   std::tuple{"SPEND" + std::to_string(c), spend, spend_tariff}}) {
      Ok(admin, core::DefineService{id, cc, def}, t);
      Ok(admin, core::AddTariffVersion{id, tariff}, t);
      Ok(admin, core::PublishService{id}, t);
    }
  }

  // Runs one claim through a lifecycle chosen by its id; returns the id when
  // it ends Approved for Payment (for the month's payment run).
  std::string Claim(int c, int j, const std::string& service, const core::Period& period, core::Timestamp t) {
    const std::string cc = Commissioner(c), p = Practice(c, j), user = p + "user";
    const std::string id = ClaimId(service, p, period.ToString());
    const core::ClaimRef ref{id, p, cc, service, period.ToString()};
    const uint64_t r = Random(Salt(id));
    const bool is_spend = service.rfind("SPEND", 0) == 0;
    const int64_t value = is_spend ? static_cast<int64_t>(100'000 + r % 2'500'000) : static_cast<int64_t>(5 + r % 400);
    const std::string component = is_spend ? "cost" : "vaccinations";
    t += static_cast<core::Timestamp>(r % 8) * kHour;

    Ok(user, core::CreateClaimDraft{ref}, t);
    if (r % 20 == 1) {  // submitted before any value is entered: the submission fails and is recorded
      app::Executed failed = Ok(user, core::SubmitClaim{ref}, t + 2 * kHour);
      if (failed.validation_errors.empty()) throw std::runtime_error("history: " + id + " should have failed");
    }
    if (r % 10 == 3) {
      Ok(user, core::AttachEvidence{ref, core::Evidence{Sha(id), "evidence.pdf", "application/pdf", 1000}}, t + kHour);
    }
    Ok(user, core::EnterClaimValues{ref, {{component, value}}, {}}, t + 2 * kHour);
    Submit(ref, user, t + 3 * kHour);

    if (MultiLevel(j)) {
      if (r % 13 == 5) {
        Ok(p + "approver", core::ProviderReturnClaim{ref, "Wrong month"}, t + 4 * kHour);
        Submit(ref, user, t + 5 * kHour);
      }
      Ok(p + "approver", core::ProviderApproveClaim{ref}, t + 6 * kHour);
    }
    const core::Timestamp review = t + kDay + static_cast<core::Timestamp>(r % 48) * kHour;
    if (r % 31 == 7) {
      Ok(cc + "tier1", core::RejectClaim{ref, "not_eligible", "Service not delivered in the period"}, review);
      return "";
    }
    if (r % 17 == 4) {
      Ok(cc + "tier1", core::ReturnClaim{ref, "Evidence missing"}, review);
      Submit(ref, user, review + 2 * kHour);
      if (MultiLevel(j)) Ok(p + "approver", core::ProviderApproveClaim{ref}, review + 3 * kHour);
    }
    if (r % 29 == 11) {
      Ok(user, core::WithdrawClaim{ref, "Claimed in error"}, review + 4 * kHour);
      return "";
    }
    Ok(cc + "tier1", core::ApproveClaim{ref, core::ApprovalTier::kTier1}, review + 5 * kHour);
    Ok(cc + "tier2", core::ApproveClaim{ref, core::ApprovalTier::kTier2}, review + kDay);
    if (value >= core::kDefaultFinanceThresholdPence && is_spend) {
      Ok(cc + "finance", core::ApproveClaim{ref, core::ApprovalTier::kFinance}, review + 2 * kDay);
    }
    if (r % 11 == 2) {
      Ok(cc + "tier2", core::HoldPayment{ref, "Awaiting audit of invoices"}, review + 3 * kDay);
      if (r % 2 == 0) return "";  // still held
      Ok(cc + "finance", core::ReleasePayment{ref}, review + 4 * kDay);
    }
    return id;
  }

  void Submit(const core::ClaimRef& ref, const std::string& user, core::Timestamp t) {
    app::Executed e = Ok(user, core::SubmitClaim{ref}, t);
    if (!e.validation_errors.empty()) {
      throw std::runtime_error("history: " + ref.claim_id + ": " + e.validation_errors.front().code);
    }
  }

  static std::string Sha(const std::string& id) {
    std::string out(64, '0');
    uint64_t h = 1469598103934665603ull;
    for (char ch : id) h = (h ^ static_cast<uint8_t>(ch)) * 1099511628211ull;
    static constexpr char kHex[] = "0123456789abcdef";
    for (size_t i = 0; i < out.size(); ++i) out[i] = kHex[(h >> ((i % 16) * 4)) & 0xf];
    return out;
  }

  void PaymentRun(int c, const core::Period& period, const std::vector<std::string>& claims, core::Timestamp t) {
    if (claims.empty()) return;
    const std::string cc = Commissioner(c);
    const std::string run = "RUN-" + cc + "-" + period.ToString();
    es::Head head = store_.GetHead();
    const core::Date pay_date = core::Date::FromTimestamp(t).AddDays(10);
    Ok(cc + "tier2", core::CreatePaymentRun{run, cc, pay_date, claims, head.position, es::HashToHex(head.hash)}, t);
    Ok(cc + "finance", core::ConfirmPaymentRun{run, claims}, t + kDay);
    Ok(cc + "tier2", core::MarkPaymentRunPaid{run, claims, "BACS-" + run}, t + 10 * kDay);
  }

  es::EventStore& store_;
  app::CommandBus bus_;
  HistoryOptions options_;
  uint64_t commands_ = 0;
};

}  // namespace ledger::testing
