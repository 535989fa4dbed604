// The simulator's model is described in docs/simulator.md; keep them in step.
#include "ledger/tools/simulator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "catalogue.h"
#include "ledger/app/command_bus.h"
#include "ledger/base/sha256.h"
#include "ledger/base/time.h"
#include "ledger/core/codec.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"

namespace ledger::tools {
namespace {

using core::ApprovalTier;
using core::ClaimRef;
using core::ClaimStatus;
using core::Date;
using core::Period;
using core::Role;
using core::RoleSet;
using sim::ServiceTemplate;

constexpr int64_t kMicrosPerHour = 3'600'000'000;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;
constexpr int64_t kCommandStepMicros = 10'000;  // 10 ms of simulated time per command

// Probabilities of the model (docs/simulator.md, "The model").
constexpr double kMultiLevelShare = 0.15;
constexpr double kOfferAccepted = 0.92;
constexpr double kOfferDeclined = 0.05;  // the rest are withdrawn by the commissioner
constexpr double kClaimSkipped = 0.04;
constexpr double kFailedValidation = 0.02;
constexpr double kProviderReturn = 0.03;
constexpr double kWithdrawn = 0.005;
constexpr double kTier1Reject = 0.015;
constexpr double kTier1Return = 0.03;
constexpr double kHeld = 0.02;
constexpr double kReleasedNextMonth = 0.8;

// splitmix64: small, fast, and the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
  double Between(double low, double high) { return low + (high - low) * Uniform(); }
  bool Chance(double p) { return Uniform() < p; }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_;
};

// A generator of its own for every decision point, keyed by what it decides
// about, so that adding practices or months never shifts other draws.
Rng RngFor(uint64_t seed, std::string_view key) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (char c : key) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ULL;
  Rng rng(h);
  rng.Next();
  return rng;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

RoleSet Roles(std::initializer_list<Role> roles) {
  RoleSet set;
  for (Role r : roles) set.Add(r);
  return set;
}

struct YearMonth {
  int year = 2024;
  int month = 4;
  static std::optional<YearMonth> Parse(std::string_view text) {
    auto date = Date::Parse(std::string(text) + "-01");
    if (!date || text.size() != 7) return std::nullopt;
    return YearMonth{date->year(), date->month()};
  }
  static YearMonth Of(Date d) { return {d.year(), d.month()}; }
  YearMonth Plus(int n) const {
    int index = year * 12 + (month - 1) + n;
    return {index / 12, index % 12 + 1};
  }
  Date First() const { return Date::FromYmd(year, month, 1); }
  std::string ToString() const { return base::FormatYearMonth(year, month); }
};

int64_t At(Date d, int hour) { return static_cast<int64_t>(d.days) * kMicrosPerDay + hour * kMicrosPerHour; }

struct Practice {
  PracticeRow row;
  bool multi_level = false;
  std::string user;      // provider_admin + provider_user: prepares claims, answers offers
  std::string approver;  // provider_approver (multi-level practices only)
};

struct Commissioner {
  std::string code;
  std::string admin, tier1, tier2, finance, auditor;
  bool uses_finance_role = true;
  std::vector<size_t> practices;  // indexes into Simulator::practices_
};

// A claim the simulator is taking through its lifecycle.
struct SimClaim {
  ClaimRef ref;
  size_t practice = 0;
  size_t service = 0;  // index into the catalogue
};

class Simulator {
 public:
  Simulator(es::EventStore& store, const SimulationOptions& options,
            const std::function<void(const SimulationProgress&)>& progress)
      : store_(store), bus_(store), options_(options), progress_(progress) {}

  es::Result<SimulationReport> Run();

 private:
  // Runs one command at the current simulated time. A rejection the model did
  // not expect stops the simulation (Status::Invalid naming the command).
  es::Status Exec(const std::string& actor, const std::string& command_id, const core::Command& command,
                  app::Executed* executed = nullptr);
  void SetTime(int64_t at) { now_ = std::max(now_, at); }
  void Progress(const std::string& phase, uint64_t done, uint64_t total) {
    if (progress_) progress_({phase, done, total});
  }

  es::Status LoadPractices();
  es::Status Setup(Date day);
  es::Status SetupCommissioner(const Commissioner& c);
  es::Status SetupServices(const Commissioner& c);
  es::Status SetupPractice(Practice& p, const Commissioner& c, Date service_start);
  es::Status RecoverOpenClaims();
  es::Status SimulateMonth(YearMonth month, bool is_last_month, MonthStats& stats);
  es::Status PrepareClaim(const SimClaim& claim, const Period& period, MonthStats& stats, bool* submitted);
  es::Status SubmitWithRetry(const SimClaim& claim, const core::UnitValues& values, const core::Answers& answers,
                             MonthStats& stats, std::string_view round = "");
  es::Status CommissionerReview(const SimClaim& claim, MonthStats& stats);
  es::Status ReturnAndResubmit(const SimClaim& claim, MonthStats& stats);
  es::Status PaymentRuns(YearMonth month, MonthStats& stats);
  es::Result<core::ClaimState> ClaimStateOf(const std::string& claim_id);

  core::UnitValues ValuesFor(const SimClaim& claim, const Period& period);
  core::Answers AnswersFor(const ServiceTemplate& t);
  std::string ServiceId(const Commissioner& c, const ServiceTemplate& t) const { return c.code + "-" + t.code; }
  bool Accepted(const Practice& p, size_t service) const;

  es::EventStore& store_;
  app::CommandBus bus_;
  const SimulationOptions& options_;
  const std::function<void(const SimulationProgress&)>& progress_;
  int64_t now_ = 0;
  std::string password_hash_;
  std::vector<Practice> practices_;
  std::vector<Commissioner> commissioners_;
  std::map<std::string, size_t> commissioner_index_;
  std::map<std::string, size_t> practice_index_;
  Date service_start_;
  // Claims approved for payment (or held) and not yet in a payment run, by id.
  std::map<std::string, SimClaim> payable_;
  std::set<std::string> held_;
  SimulationReport report_;
};

es::Status Simulator::Exec(const std::string& actor, const std::string& command_id, const core::Command& command,
                           app::Executed* executed) {
  now_ += kCommandStepMicros;
  if (options_.clock != nullptr) options_.clock->Set(now_);
  core::CommandMeta meta{command_id, "sim", actor, now_};
  app::ExecuteResult result = bus_.Execute(meta, command);
  if (result.store_failed()) return result.status();
  if (result.rejected())
    return es::Status::Invalid(fmt::format("simulated command {} by '{}' was refused ({}): {}", command_id, actor,
                                           result.rejection().code, result.rejection().message));
  if (executed != nullptr) *executed = result.executed();
  return es::Status::Ok();
}

es::Status Simulator::LoadPractices() {
  auto rows = ReadPractices(options_.csv_path);
  if (!rows.ok()) return rows.status();
  size_t limit = options_.practices_limit > 0 ? static_cast<size_t>(options_.practices_limit) : rows->size();
  for (PracticeRow& row : *rows) {
    if (practices_.size() >= limit) break;
    if (!core::IsValidId(row.code) || !core::IsValidId(row.commissioner)) continue;
    Practice p;
    p.multi_level = RngFor(options_.seed, "multi/" + row.code).Chance(kMultiLevelShare);
    p.user = Lower(row.code) + ".user";
    if (p.multi_level) p.approver = Lower(row.code) + ".approver";
    auto [it, inserted] = commissioner_index_.emplace(row.commissioner, commissioners_.size());
    if (inserted) {
      Commissioner c;
      c.code = row.commissioner;
      std::string base = Lower(row.commissioner);
      c.admin = base + ".admin";
      c.tier1 = base + ".tier1";
      c.tier2 = base + ".tier2";
      c.finance = base + ".finance";
      c.auditor = base + ".auditor";
      c.uses_finance_role = RngFor(options_.seed, "finance/" + row.commissioner).Chance(0.85);
      commissioners_.push_back(std::move(c));
    }
    commissioners_[it->second].practices.push_back(practices_.size());
    practice_index_[row.code] = practices_.size();
    p.row = std::move(row);
    practices_.push_back(std::move(p));
  }
  report_.practices = practices_.size();
  report_.commissioners = commissioners_.size();
  report_.services = commissioners_.size() * sim::Catalogue().size();
  return es::Status::Ok();
}

// Organisations, accounts, services and offers. Every command id is fixed, so
// on a store that already holds them this is a series of no-ops.
es::Status Simulator::Setup(Date day) {
  SetTime(At(day, 8));
  uint64_t before = store_.GetHead().position;
  using namespace core;  // NOLINT: command names read better unqualified here
  if (auto s = Exec("", "sim-setup-org-SYSTEM",
                    RegisterOrganisation{std::string(kSystemOrgCode),
                                         "Ledger operators",
                                         OrgKind::kSystem,
                                         "",
                                         "",
                                         ApprovalMode::kSingleLevel,
                                         {}});
      !s.ok())
    return s;
  if (auto s = Exec("", "sim-setup-account-operator",
                    CreateAccount{"operator", std::string(kSystemOrgCode), "Simulated Operator",
                                  "operator@ledger.invalid", Roles({Role::kOperator}), password_hash_});
      !s.ok())
    return s;
  size_t done = 0;
  for (Commissioner& c : commissioners_) {
    if (auto s = SetupCommissioner(c); !s.ok()) return s;
    if (auto s = SetupServices(c); !s.ok()) return s;
    for (size_t index : c.practices) {
      if (auto s = SetupPractice(practices_[index], c, day); !s.ok()) return s;
      if (++done % 50 == 0) Progress("setup", done, practices_.size());
    }
  }
  Progress("setup", practices_.size(), practices_.size());
  report_.setup_events += store_.GetHead().position - before;
  return es::Status::Ok();
}

// A commissioner: its organisation, finance threshold, administrator and
// approvers (each requests an account, the administrator approves it).
es::Status Simulator::SetupCommissioner(const Commissioner& c) {
  using namespace core;  // NOLINT: command names read better unqualified here
  std::string id = "sim-setup-" + c.code;
  if (auto s = Exec(
          "operator", id + "-org",
          RegisterOrganisation{
              c.code, "Sub-ICB location " + c.code, OrgKind::kCommissioner, "", "", ApprovalMode::kSingleLevel, {}});
      !s.ok())
    return s;
  if (auto s = Exec("operator", id + "-finance",
                    ConfigureCommissioner{c.code, kDefaultFinanceThresholdPence, c.uses_finance_role});
      !s.ok())
    return s;
  if (auto s = Exec("operator", id + "-admin",
                    CreateAccount{c.admin, c.code, "Administrator " + c.code, c.admin + "@nhs.invalid",
                                  Roles({Role::kCommissionerAdmin}), password_hash_});
      !s.ok())
    return s;
  const std::pair<const std::string*, Role> staff[] = {{&c.tier1, Role::kApproverTier1},
                                                       {&c.tier2, Role::kApproverTier2},
                                                       {&c.finance, Role::kFinance},
                                                       {&c.auditor, Role::kAuditor}};
  for (const auto& [username, role] : staff) {
    if (auto s = Exec("", id + "-request-" + *username,
                      RequestAccount{*username, c.code, std::string(RoleName(role)) + " " + c.code,
                                     *username + "@nhs.invalid", Roles({role}), password_hash_});
        !s.ok())
      return s;
    if (auto s = Exec(c.admin, id + "-approve-" + *username, ApproveAccount{*username, Roles({role})}); !s.ok())
      return s;
  }
  return es::Status::Ok();
}

// The catalogue's services of a commissioner: defined, priced and published.
es::Status Simulator::SetupServices(const Commissioner& c) {
  using namespace core;  // NOLINT: command names read better unqualified here
  for (const ServiceTemplate& t : sim::Catalogue()) {
    std::string service_id = ServiceId(c, t);
    ServiceDefinition def{t.code,
                          t.name,
                          t.description,
                          t.category,
                          t.frequency,
                          30,
                          {},
                          t.questions,
                          t.evidence_required,
                          service_start_,
                          service_start_.AddDays(5 * 365 - 1)};
    for (const sim::ComponentModel& m : t.components) def.components.push_back(m.component);
    if (auto s = Exec(c.admin, "sim-setup-" + service_id + "-define", DefineService{service_id, c.code, def}); !s.ok())
      return s;
    Tariff tariff = t.tariff;
    tariff.effective_from = service_start_;
    if (auto s = Exec(c.admin, "sim-setup-" + service_id + "-tariff", AddTariffVersion{service_id, tariff}); !s.ok())
      return s;
    if (auto s = Exec(c.admin, "sim-setup-" + service_id + "-publish", PublishService{service_id}); !s.ok()) return s;
  }
  return es::Status::Ok();
}

bool Simulator::Accepted(const Practice& p, size_t service) const {
  const ServiceTemplate& t = sim::Catalogue()[service];
  Rng rng = RngFor(options_.seed, "offer/" + p.row.code + "/" + t.code);
  if (!rng.Chance(t.offered_share)) return false;
  return rng.Chance(kOfferAccepted);
}

es::Status Simulator::SetupPractice(Practice& p, const Commissioner& c, Date day) {
  using namespace core;  // NOLINT
  std::string id = "sim-setup-" + p.row.code;
  if (auto s = Exec(c.admin, id + "-org",
                    RegisterOrganisation{p.row.code,
                                         p.row.name,
                                         OrgKind::kPractice,
                                         c.code,
                                         p.row.postcode,
                                         p.multi_level ? ApprovalMode::kMultiLevel : ApprovalMode::kSingleLevel,
                                         {}});
      !s.ok())
    return s;
  if (auto s = Exec(c.admin, id + "-list-size", RecordListSize{p.row.code, Date::FromYmd(2021, 1, 1), p.row.patients});
      !s.ok())
    return s;
  std::vector<std::pair<std::string, RoleSet>> people = {{p.user, Roles({Role::kProviderAdmin, Role::kProviderUser})}};
  if (p.multi_level) people.push_back({p.approver, Roles({Role::kProviderApprover})});
  for (const auto& [username, roles] : people) {
    if (auto s = Exec("", id + "-request-" + username,
                      RequestAccount{username, p.row.code, "Practice manager " + p.row.code, username + "@nhs.invalid",
                                     roles, password_hash_});
        !s.ok())
      return s;
    if (auto s = Exec(c.admin, id + "-approve-" + username, ApproveAccount{username, roles}); !s.ok()) return s;
  }
  const auto& catalogue = sim::Catalogue();
  for (size_t i = 0; i < catalogue.size(); ++i) {
    const ServiceTemplate& t = catalogue[i];
    Rng rng = RngFor(options_.seed, "offer/" + p.row.code + "/" + t.code);
    if (!rng.Chance(t.offered_share)) continue;
    std::string service_id = ServiceId(c, t);
    std::string offer_id = id + "-offer-" + t.code;
    if (auto s = Exec(c.admin, offer_id,
                      OfferService{service_id, p.row.code, service_start_, service_start_.AddDays(5 * 365 - 1),
                                   day.AddDays(30)});
        !s.ok())
      return s;
    double draw = rng.Uniform();
    if (draw < kOfferAccepted) {
      if (auto s = Exec(p.user, offer_id + "-accept", AcceptOffer{service_id, p.row.code}); !s.ok()) return s;
    } else if (draw < kOfferAccepted + kOfferDeclined) {
      if (auto s = Exec(p.user, offer_id + "-decline",
                        DeclineOffer{service_id, p.row.code, "The practice does not have capacity for this service."});
          !s.ok())
        return s;
    } else {
      if (auto s = Exec(c.admin, offer_id + "-withdraw",
                        WithdrawOffer{service_id, p.row.code,
                                      "Offered in error: the practice is outside the scheme's area."});
          !s.ok())
        return s;
    }
  }
  return es::Status::Ok();
}

// Claims approved for payment or held but not yet in a payment run, from the
// log, so that a continued history pays them.
es::Status Simulator::RecoverOpenClaims() {
  std::map<std::string, core::ClaimState> claims;
  es::Status status = store_.Scan(1, 0, [&](const es::Envelope& env) {
    if (core::KindOfStream(env.stream_id) != core::StreamKind::kClaim) return true;
    auto event = core::Decode(env.type, env.schema_version, env.payload);
    if (!event.ok()) return true;
    auto& state = claims[env.stream_id];
    core::AggregateState folded = core::Evolve(core::AggregateState(std::move(state)), event.value());
    state = std::move(std::get<core::ClaimState>(folded));
    return true;
  });
  if (!status.ok()) return status;
  for (const auto& [stream, state] : claims) {
    if (state.status != ClaimStatus::kApprovedForPayment && state.status != ClaimStatus::kPaymentHeld) continue;
    auto practice = practice_index_.find(state.claim.provider);
    if (practice == practice_index_.end()) continue;
    SimClaim claim{state.claim, practice->second, 0};
    payable_[state.claim.claim_id] = claim;
    if (state.status == ClaimStatus::kPaymentHeld) held_.insert(state.claim.claim_id);
  }
  return es::Status::Ok();
}

core::UnitValues Simulator::ValuesFor(const SimClaim& claim, const Period& period) {
  const ServiceTemplate& t = sim::Catalogue()[claim.service];
  const Practice& p = practices_[claim.practice];
  Rng rng = RngFor(options_.seed, "values/" + claim.ref.claim_id);
  double months = period.frequency == core::Frequency::kQuarterly ? 3.0 : 1.0;
  double thousands = static_cast<double>(p.row.patients) / 1000.0;
  core::UnitValues values;
  for (const sim::ComponentModel& m : t.components) {
    if (!m.component.numerator_of.empty()) continue;
    int64_t units = 0;
    if (m.per_thousand_per_month == 0) {
      units = 1 + static_cast<int64_t>(rng.Below(3));
    } else if (m.component.unit_kind == core::UnitKind::kPercentage) {
      units = std::llround(thousands * m.per_thousand_per_month * rng.Between(0.85, 1.15));
    } else {
      units = std::llround(thousands * m.per_thousand_per_month * months * rng.Between(0.7, 1.3));
    }
    values[m.component.id] = std::clamp<int64_t>(units, 0, std::min<int64_t>(m.component.max, p.row.patients));
  }
  for (const sim::ComponentModel& m : t.components) {
    if (m.component.numerator_of.empty()) continue;
    int64_t denominator = std::max<int64_t>(values[m.component.numerator_of], 1);
    values[m.component.numerator_of] = denominator;
    values[m.component.id] = std::llround(static_cast<double>(denominator) *
                                          rng.Between(t.achievement_low, t.achievement_high));
  }
  return values;
}

core::Answers Simulator::AnswersFor(const ServiceTemplate& t) {
  core::Answers answers;
  for (const core::Question& q : t.questions) answers[q.id] = q.kind == core::QuestionKind::kNumber ? "1" : "yes";
  return answers;
}

es::Result<core::ClaimState> Simulator::ClaimStateOf(const std::string& claim_id) {
  auto loaded = bus_.LoadStream(core::ClaimStream(claim_id));
  if (!loaded.ok()) return loaded.status();
  if (auto* state = std::get_if<core::ClaimState>(&loaded->state)) return *state;
  return es::Status::Corruption("stream " + core::ClaimStream(claim_id) + " is not a claim");
}

es::Status Simulator::SubmitWithRetry(const SimClaim& claim, const core::UnitValues& values,
                                      const core::Answers& answers, MonthStats& stats, std::string_view round) {
  const Practice& p = practices_[claim.practice];
  const std::string& id = claim.ref.claim_id;
  for (int attempt = 1; attempt <= 4; ++attempt) {
    std::string prefix = fmt::format("sim-{}{}-submit{}", id, round, attempt);
    app::Executed executed;
    if (auto s = Exec(p.user, prefix, core::SubmitClaim{claim.ref}, &executed); !s.ok()) return s;
    ++stats.commands;
    if (executed.validation_errors.empty()) {
      ++stats.claims_submitted;
      return es::Status::Ok();
    }
    ++stats.failed_submissions;
    // The practice corrects the values and tries again.
    if (auto s = Exec(p.user, prefix + "-fix", core::EnterClaimValues{claim.ref, values, answers}); !s.ok()) return s;
    ++stats.commands;
  }
  return es::Status::Invalid("simulated claim " + id + " kept failing validation");
}

es::Status Simulator::PrepareClaim(const SimClaim& claim, const Period& period, MonthStats& stats, bool* submitted) {
  *submitted = false;
  const ServiceTemplate& t = sim::Catalogue()[claim.service];
  const Practice& p = practices_[claim.practice];
  const std::string& id = claim.ref.claim_id;
  Rng rng = RngFor(options_.seed, "claim/" + id);
  if (rng.Chance(kClaimSkipped)) return es::Status::Ok();
  core::UnitValues values = ValuesFor(claim, period);
  core::Answers answers = AnswersFor(t);
  if (auto s = Exec(p.user, "sim-" + id + "-draft", core::CreateClaimDraft{claim.ref}); !s.ok()) return s;
  core::UnitValues entered = values;
  if (rng.Chance(kFailedValidation) && !entered.empty()) entered.erase(entered.begin());  // a required value left out
  if (auto s = Exec(p.user, "sim-" + id + "-values", core::EnterClaimValues{claim.ref, entered, answers}); !s.ok())
    return s;
  stats.commands += 2;
  if (t.evidence_required) {
    std::string content = fmt::format("Evidence for claim {} ({}), seed {}", id, t.name, options_.seed);
    core::Evidence evidence{base::Sha256Hex(content), fmt::format("{}-{}.pdf", t.code, claim.ref.period),
                            "application/pdf", static_cast<int64_t>(content.size())};
    if (auto s = Exec(p.user, "sim-" + id + "-evidence", core::AttachEvidence{claim.ref, evidence}); !s.ok()) return s;
    ++stats.commands;
  }
  if (auto s = SubmitWithRetry(claim, values, answers, stats); !s.ok()) return s;
  if (p.multi_level) {
    if (rng.Chance(kProviderReturn)) {
      if (auto s = Exec(p.approver, "sim-" + id + "-provider-return",
                        core::ProviderReturnClaim{claim.ref, "Please check the figures against the clinical system."});
          !s.ok())
        return s;
      ++stats.returned;
      ++stats.commands;
      if (auto s = Exec(p.user, "sim-" + id + "-provider-amend", core::EnterClaimValues{claim.ref, values, answers});
          !s.ok())
        return s;
      if (auto s = SubmitWithRetry(claim, values, answers, stats, "-after-provider-return"); !s.ok()) return s;
    }
    if (auto s = Exec(p.approver, "sim-" + id + "-provider-approve", core::ProviderApproveClaim{claim.ref}); !s.ok())
      return s;
    ++stats.commands;
  }
  if (rng.Chance(kWithdrawn)) {
    if (auto s = Exec(p.user, "sim-" + id + "-withdraw",
                      core::WithdrawClaim{claim.ref, "Submitted against the wrong period."});
        !s.ok())
      return s;
    ++stats.commands;
    return es::Status::Ok();
  }
  *submitted = true;
  return es::Status::Ok();
}

// Tier 1 returns the claim; the practice enters its values again and resubmits.
es::Status Simulator::ReturnAndResubmit(const SimClaim& claim, MonthStats& stats) {
  const Commissioner& c = commissioners_[commissioner_index_.at(claim.ref.commissioner)];
  const Practice& p = practices_[claim.practice];
  const std::string& id = claim.ref.claim_id;
  if (auto s = Exec(c.tier1, "sim-" + id + "-return",
                    core::ReturnClaim{claim.ref, "Please confirm the unit values against the practice's records."});
      !s.ok())
    return s;
  ++stats.returned;
  ++stats.commands;
  core::UnitValues values = ValuesFor(claim, *Period::Parse(claim.ref.period));
  if (auto s = Exec(p.user, "sim-" + id + "-amend",
                    core::EnterClaimValues{claim.ref, values, AnswersFor(sim::Catalogue()[claim.service])});
      !s.ok())
    return s;
  if (auto s = Exec(p.user, "sim-" + id + "-resubmit", core::SubmitClaim{claim.ref}); !s.ok()) return s;
  stats.commands += 2;
  return es::Status::Ok();
}

es::Status Simulator::CommissionerReview(const SimClaim& claim, MonthStats& stats) {
  const Commissioner& c = commissioners_[commissioner_index_.at(claim.ref.commissioner)];
  const Practice& p = practices_[claim.practice];
  const std::string& id = claim.ref.claim_id;
  Rng rng = RngFor(options_.seed, "review/" + id);
  double draw = rng.Uniform();
  if (draw < kTier1Reject) {
    static const std::pair<const char*, const char*> kReasons[] = {
        {"not_eligible", "The activity claimed is outside the service specification."},
        {"already_claimed", "This activity was already claimed under another service."},
        {"evidence_insufficient", "The evidence does not support the number of units claimed."}};
    const auto& reason = kReasons[rng.Below(3)];
    ++stats.rejected;
    ++stats.commands;
    return Exec(c.tier1, "sim-" + id + "-reject", core::RejectClaim{claim.ref, reason.first, reason.second});
  }
  if (draw < kTier1Reject + kTier1Return) {
    if (auto s = ReturnAndResubmit(claim, stats); !s.ok()) return s;
  }
  for (int step = 0; step < 6; ++step) {
    auto state = ClaimStateOf(id);
    if (!state.ok()) return state.status();
    std::string actor;
    ApprovalTier tier;
    switch (state->status) {
      case ClaimStatus::kAwaitingProviderApproval:
        if (auto s = Exec(p.approver, fmt::format("sim-{}-provider-approve{}", id, step),
                          core::ProviderApproveClaim{claim.ref});
            !s.ok())
          return s;
        ++stats.commands;
        continue;
      case ClaimStatus::kAwaitingTier1:
        actor = c.tier1;
        tier = ApprovalTier::kTier1;
        break;
      case ClaimStatus::kAwaitingTier2:
        actor = c.tier2;
        tier = ApprovalTier::kTier2;
        break;
      case ClaimStatus::kAwaitingFinance:
        actor = c.finance;
        tier = ApprovalTier::kFinance;
        break;
      case ClaimStatus::kApprovedForPayment: {
        payable_[id] = claim;
        if (rng.Chance(kHeld)) {
          if (auto s = Exec(c.tier2, "sim-" + id + "-hold",
                            core::HoldPayment{claim.ref, "Awaiting confirmation of the activity from the provider."});
              !s.ok())
            return s;
          held_.insert(id);
          ++stats.held;
          ++stats.commands;
        }
        return es::Status::Ok();
      }
      default: return es::Status::Ok();  // rejected, withdrawn or otherwise settled
    }
    if (auto s = Exec(actor, fmt::format("sim-{}-approve-{}", id, core::ApprovalTierName(tier)),
                      core::ApproveClaim{claim.ref, tier});
        !s.ok())
      return s;
    ++stats.commands;
  }
  return es::Status::Invalid("simulated claim " + id + " did not reach a decision");
}

es::Status Simulator::PaymentRuns(YearMonth month, MonthStats& stats) {
  std::map<std::string, std::vector<std::string>> by_commissioner;
  for (const auto& [id, claim] : payable_)
    if (!held_.contains(id)) by_commissioner[claim.ref.commissioner].push_back(id);
  for (auto& [commissioner, ids] : by_commissioner) {
    const Commissioner& c = commissioners_[commissioner_index_.at(commissioner)];
    std::string run_id = fmt::format("{}-{}", commissioner, month.ToString());
    Date pay_date = month.First().AddDays(27);
    es::Head head = store_.GetHead();
    std::string prefix = "sim-payrun-" + run_id;
    if (auto s = Exec(c.tier2, prefix + "-create",
                      core::CreatePaymentRun{run_id, commissioner, pay_date, ids, head.position,
                                             es::HashToHex(head.hash)});
        !s.ok())
      return s;
    if (auto s = Exec(c.tier2, prefix + "-confirm", core::ConfirmPaymentRun{run_id, ids}); !s.ok()) return s;
    // The payment reaches the practices on the pay date; the run is marked paid that day, not before.
    SetTime(At(pay_date, 9));
    std::string reference = fmt::format("REM-{}-{:04}{:02}", commissioner, month.year, month.month);
    if (auto s = Exec(c.tier2, prefix + "-paid", core::MarkPaymentRunPaid{run_id, ids, reference}); !s.ok()) return s;
    stats.commands += 3;
    ++stats.payment_runs;
    auto run = bus_.LoadStream(core::PaymentRunStream(run_id));
    if (!run.ok()) return run.status();
    if (auto* state = std::get_if<core::PaymentRunState>(&run->state)) stats.paid_pence += state->total;
    for (const std::string& id : ids) payable_.erase(id);
  }
  return es::Status::Ok();
}

bool IsQuarterEnd(int month) { return month == 3 || month == 6 || month == 9 || month == 12; }

es::Status Simulator::SimulateMonth(YearMonth month, bool is_last_month, MonthStats& stats) {
  Date first = month.First();
  std::string label = month.ToString();
  // Day 2: most held payments are released.
  SetTime(At(first.AddDays(1), 9));
  for (auto it = held_.begin(); it != held_.end();) {
    const SimClaim& claim = payable_.at(*it);
    const Commissioner& c = commissioners_[commissioner_index_.at(claim.ref.commissioner)];
    if (RngFor(options_.seed, "release/" + *it + "/" + label).Chance(kReleasedNextMonth)) {
      if (auto s = Exec(c.tier2, "sim-" + *it + "-release-" + label, core::ReleasePayment{claim.ref}); !s.ok())
        return s;
      ++stats.commands;
      it = held_.erase(it);
    } else {
      ++it;
    }
  }
  // Days 3 to 10: practices claim for the month just ended (and the quarter, at a quarter's end).
  YearMonth previous = month.Plus(-1);
  Period monthly = Period::Month(previous.year, previous.month);
  std::optional<Period> quarterly;
  if (IsQuarterEnd(previous.month))
    quarterly = Period::Parse(core::Frequency::kQuarterly,
                              fmt::format("{:04}-Q{}", previous.month == 3 ? previous.year - 1 : previous.year,
                                          previous.month == 3 ? 4 : previous.month / 3 - 1));
  std::vector<SimClaim> submitted;
  const auto& catalogue = sim::Catalogue();
  for (size_t pi = 0; pi < practices_.size(); ++pi) {
    SetTime(At(first.AddDays(2 + static_cast<int>(pi * 8 / std::max<size_t>(practices_.size(), 1))), 9));
    const Practice& p = practices_[pi];
    for (size_t si = 0; si < catalogue.size(); ++si) {
      const ServiceTemplate& t = catalogue[si];
      const Period* period = t.frequency == core::Frequency::kMonthly ? &monthly : quarterly ? &*quarterly : nullptr;
      if (period == nullptr || !Accepted(p, si)) continue;
      int m = period->end.month();
      if (t.winter_only && m >= 4 && m <= 8) continue;
      const Commissioner& c = commissioners_[commissioner_index_.at(p.row.commissioner)];
      std::string period_text = period->ToString();
      SimClaim claim{{p.row.code + "-" + t.code + "-" + period_text, p.row.code, c.code, ServiceId(c, t), period_text},
                     pi,
                     si};
      bool ok = false;
      if (auto s = PrepareClaim(claim, *period, stats, &ok); !s.ok()) return s;
      if (ok) submitted.push_back(std::move(claim));
    }
    if ((pi + 1) % 50 == 0) Progress(label, pi + 1, practices_.size());
  }
  // Days 12 to 20: commissioners review, approve, reject, return and hold.
  for (size_t i = 0; i < submitted.size(); ++i) {
    if (is_last_month &&
        RngFor(options_.seed, "unreviewed/" + submitted[i].ref.claim_id).Chance(options_.unreviewed_in_last_month))
      continue;  // still waiting for the commissioner when the history ends
    SetTime(At(first.AddDays(11 + static_cast<int>(i * 8 / std::max<size_t>(submitted.size(), 1))), 9));
    if (auto s = CommissionerReview(submitted[i], stats); !s.ok()) return s;
  }
  // Day 25: one payment run per commissioner, paid on day 28.
  SetTime(At(first.AddDays(24), 9));
  if (auto s = PaymentRuns(month, stats); !s.ok()) return s;
  Progress(label, practices_.size(), practices_.size());
  return es::Status::Ok();
}

es::Result<SimulationReport> Simulator::Run() {
  if (options_.months < 1) return es::Status::Invalid("months must be at least 1");
  auto start = YearMonth::Parse(options_.start_month);
  if (!start) return es::Status::Invalid("start month must look like 2024-04");
  if (auto s = LoadPractices(); !s.ok()) return s;
  password_hash_ = options_.password_hash ? options_.password_hash() : "simulated-account-no-password";
  // Services start a year before the first month, at a financial quarter's start.
  es::Head head = store_.GetHead();
  YearMonth first = *start;
  if (head.position > 0) {
    auto last = store_.ReadAll(head.position, 1);
    if (!last.ok()) return last.status();
    first = YearMonth::Of(Date::FromTimestamp(last->front().recorded_at_us)).Plus(1);
    now_ = last->front().recorded_at_us;
    report_.continued = true;
  }
  YearMonth origin = report_.continued ? first : *start;
  // The service start must not move when a history continues: it derives
  // from the history's first event (or the start month of a new one).
  if (report_.continued) {
    auto events = store_.ReadAll(1, 1);
    if (!events.ok()) return events.status();
    origin = YearMonth::Of(Date::FromTimestamp(events->front().recorded_at_us)).Plus(1);
  }
  YearMonth base = origin.Plus(-12);
  int quarter_offset = ((base.month - 4) % 3 + 3) % 3;
  service_start_ = base.Plus(-quarter_offset).First();

  Date setup_day = report_.continued ? first.First() : first.First().AddDays(-1);
  if (auto s = Setup(setup_day); !s.ok()) return s;
  if (auto s = store_.Sync(); !s.ok()) return s;
  if (auto s = RecoverOpenClaims(); !s.ok()) return s;
  for (int i = 0; i < options_.months; ++i) {
    YearMonth month = first.Plus(i);
    MonthStats stats;
    stats.month = month.ToString();
    uint64_t before = store_.GetHead().position;
    if (auto s = SimulateMonth(month, i + 1 == options_.months, stats); !s.ok()) return s;
    if (auto s = store_.Sync(); !s.ok()) return s;
    stats.events = store_.GetHead().position - before;
    report_.months.push_back(std::move(stats));
  }
  report_.head = store_.GetHead();
  return report_;
}

}  // namespace

es::Result<SimulationReport> Simulate(es::EventStore& store, const SimulationOptions& options,
                                      const std::function<void(const SimulationProgress&)>& progress) {
  Simulator simulator(store, options, progress);
  return simulator.Run();
}

}  // namespace ledger::tools
