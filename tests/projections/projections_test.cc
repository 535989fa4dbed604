// Read models over a real event store and a real projection database, fed by
// histories written through the real command path.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <set>

#include "history.h"
#include "ledger/core/codec.h"
#include "ledger/projections/claim_views.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/reports.h"
#include "ledger/projections/runner.h"
#include "support/world.h"

namespace ledger::projections {
namespace {

using core::ClaimStatus;
using testing::History;

// The shared test world's ledger, with a History written into its log; the
// read models are caught up by hand (CatchUp) unless a test starts them.
struct Fixture : testing::LedgerWorld {
  testing::HistoryOptions options;
  es::EventStore* store = &ledger().store();
  ProjectionDb* db = &ledger().projections();
  std::unique_ptr<History> history = std::make_unique<History>(*store, options);

  explicit Fixture(testing::HistoryOptions history_options = {})
      : LedgerWorld(std::make_unique<testing::TempDir>(), testing::UnsyncedStore()), options(history_options) {}
  void CatchUp() { REQUIRE(ledger().runner().CatchUp().ok()); }
  ClaimView Claim(const std::string& id, const AsOf& as_of = {}) {
    auto c = GetClaim(*db, id, as_of);
    REQUIRE(c.ok());
    REQUIRE(c->has_value());
    return **c;
  }
  core::ClaimRef Ref(int c, int j, const std::string& service, const std::string& period) {
    const std::string p = History::Practice(c, j);
    return {History::ClaimId(service, p, period), p, History::Commissioner(c), service, period};
  }
};

const core::Timestamp kNov = History::Noon(2026, 11, 3);

TEST_CASE("a claim's status view follows its lifecycle, names who holds it and when each stage happened") {
  Fixture f;
  f.history->Setup();
  const core::ClaimRef ref = f.Ref(1, 2, "FLU1", "2026-10");  // P1x2 is multi-level
  f.history->Ok("P1x2user", core::CreateClaimDraft{ref}, kNov);
  f.history->Ok("P1x2user", core::EnterClaimValues{ref, {{"vaccinations", 40}}, {}}, kNov + 1);
  f.history->Ok("P1x2user", core::SubmitClaim{ref}, kNov + 2);
  f.CatchUp();
  ClaimView c = f.Claim(ref.claim_id);
  CHECK(c.status == ClaimStatus::kAwaitingProviderApproval);
  CHECK(c.holder_role == "provider_approver");
  CHECK(c.holder_org == "P1x2");
  CHECK(c.amount == 40'000);
  CHECK(c.units == 40);
  CHECK(c.commissioner == "C1");
  CHECK(c.At(Stage::kSubmitted) == kNov + 2);

  f.history->Ok("P1x2approver", core::ProviderApproveClaim{ref}, kNov + 3);
  f.history->Ok("C1tier1", core::ApproveClaim{ref, core::ApprovalTier::kTier1}, kNov + 4);
  f.CatchUp();
  c = f.Claim(ref.claim_id);
  CHECK(core::StatusName(c.status) == "Awaiting Tier 2 Approval");
  CHECK(c.holder_role == "tier2");
  CHECK(c.holder_org == "C1");
  CHECK(c.At(Stage::kProviderApproved) == kNov + 3);
  CHECK(c.At(Stage::kTier1Approved) == kNov + 4);

  f.history->Ok("C1tier2", core::ApproveClaim{ref, core::ApprovalTier::kTier2}, kNov + 5);
  f.history->Ok("C1tier2", core::HoldPayment{ref, "Query on numbers"}, kNov + 6);
  f.CatchUp();
  c = f.Claim(ref.claim_id);
  CHECK(c.status == ClaimStatus::kPaymentHeld);
  CHECK(c.hold_reason == "Query on numbers");
  CHECK(c.held_by == "c1tier2");
  CHECK(c.holder_role == "held");
  CHECK(c.At(Stage::kApprovedForPayment) == kNov + 5);
}

TEST_CASE("the projected status of every claim is the status the deciders fold from its stream") {
  Fixture f({2, 6, 11});
  f.history->Setup();
  f.history->Month(2026, 4);
  f.history->Month(2026, 5);
  f.CatchUp();
  int compared = 0;
  for (int c = 1; c <= 2; ++c) {
    ClaimQuery q;
    q.commissioner = History::Commissioner(c);
    q.limit = 1000;
    auto page = ListClaims(*f.db, q);
    REQUIRE(page.ok());
    CHECK(page->next_cursor.empty());
    for (const ClaimView& view : page->claims) {
      auto loaded = f.history->bus().LoadStream(core::ClaimStream(view.claim_id));
      REQUIRE(loaded.ok());
      const auto& state = std::get<core::ClaimState>(loaded->state);
      INFO(view.claim_id);
      CHECK(view.status == state.status);
      CHECK(view.amount == state.amount);
      CHECK(view.payment_run == state.payment_run);
      ++compared;
    }
  }
  CHECK(compared > 30);
}

TEST_CASE("worklists list the claims waiting for a role, oldest first, paged by a stable cursor") {
  Fixture f({1, 8, 3});
  f.history->Setup();
  std::vector<std::string> expected;
  for (int j : {6, 1, 7, 3}) {  // single-level practices taking part in SPEND, submitted in this order
    const core::ClaimRef ref = f.Ref(1, j, "SPEND1", "2026-10");
    const core::Timestamp t = kNov + j * History::kHour;
    f.history->Ok(ref.provider + "user", core::CreateClaimDraft{ref}, t);
    f.history->Ok(ref.provider + "user", core::EnterClaimValues{ref, {{"cost", 5000}}, {}}, t);
    f.history->Ok(ref.provider + "user", core::SubmitClaim{ref}, t);
    expected.push_back(ref.claim_id);
  }
  f.CatchUp();
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = Worklist(*f.db, "tier1", "C1", cursor, 3);
    REQUIRE(page.ok());
    for (const ClaimView& c : page->claims) seen.push_back(c.claim_id);
    cursor = page->next_cursor;
    ++pages;
  } while (!cursor.empty());
  CHECK(pages == 2);
  CHECK(seen == expected);  // by when they reached the status (log order), not by id

  // The first one approved at tier 1 leaves the tier 1 worklist for tier 2's.
  f.history->Ok("C1tier1", core::ApproveClaim{f.Ref(1, 6, "SPEND1", "2026-10"), core::ApprovalTier::kTier1},
                kNov + History::kDay);
  f.CatchUp();
  auto tier1 = Worklist(*f.db, "tier1", "C1");
  auto tier2 = Worklist(*f.db, "tier2", "C1");
  REQUIRE(tier1.ok());
  REQUIRE(tier2.ok());
  CHECK(tier1->claims.size() == 3);
  REQUIRE(tier2->claims.size() == 1);
  CHECK(tier2->claims[0].claim_id == expected[0]);
  CHECK(Worklist(*f.db, "tier1", "C2")->claims.empty());
  CHECK_FALSE(Worklist(*f.db, "janitor", "C1").ok());
}

TEST_CASE(
    "a claim's audit trail holds every failed submission with its errors and each decision with evidence and amount") {
  Fixture f;
  f.history->Setup();
  const core::ClaimRef ref = f.Ref(1, 1, "FLU1", "2026-10");
  const std::string sha(64, 'e');
  f.history->Ok("P1x1user", core::CreateClaimDraft{ref}, kNov);
  f.history->Ok("P1x1user", core::EnterClaimValues{ref, {{"vaccinations", 9}}, {}}, kNov + 1);
  f.history->Ok("P1x1user", core::EnterClaimValues{ref, {}, {}}, kNov + 1);  // the required value taken out again
  app::Executed failed = f.history->Ok("P1x1user", core::SubmitClaim{ref}, kNov + 2);
  REQUIRE_FALSE(failed.validation_errors.empty());
  f.history->Ok("P1x1user", core::AttachEvidence{ref, {sha, "list.pdf", "application/pdf", 10}}, kNov + 3);
  f.history->Ok("P1x1user", core::EnterClaimValues{ref, {{"vaccinations", 12}}, {}}, kNov + 4);
  f.history->Ok("P1x1user", core::SubmitClaim{ref}, kNov + 5);
  f.history->Ok("C1tier1", core::ReturnClaim{ref, "Please attach the vaccination list"}, kNov + 6);
  f.CatchUp();

  auto trail = ClaimAudit(*f.db, *f.store, ref.claim_id);
  REQUIRE(trail.ok());
  std::vector<std::string> types;
  for (const AuditEntry& e : trail->entries) {
    types.push_back(boost::json::parse(e.json).as_object().at("type").as_string().c_str());
  }
  CHECK(types == std::vector<std::string>{"ClaimDrafted", "ClaimValuesEntered", "ClaimValuesEntered",
                                          "ClaimSubmissionFailed", "EvidenceAttached", "ClaimValuesEntered",
                                          "ClaimSubmitted", "ClaimReturned"});
  const auto failed_entry = boost::json::parse(trail->entries[3].json).as_object();
  CHECK(failed_entry.at("actor").as_string() == "p1x1user");
  CHECK(failed_entry.at("event").as_object().at("errors").as_array().size() == failed.validation_errors.size());
  const auto returned = boost::json::parse(trail->entries[7].json).as_object();
  CHECK(returned.at("actor").as_string() == "c1tier1");
  CHECK(returned.at("event").as_object().at("reason").as_string() == "Please attach the vaccination list");
  CHECK(returned.at("amount_pence").as_int64() == 12'000);
  CHECK(returned.at("evidence_in_force").as_array() == boost::json::array{boost::json::string(sha)});

  auto user = UserAudit(*f.db, *f.store, "c1tier1");
  REQUIRE(user.ok());
  REQUIRE(user->entries.size() == 1);
  CHECK(user->entries[0].position == trail->entries[7].position);

  auto page = ClaimAudit(*f.db, *f.store, ref.claim_id, "", 4);
  REQUIRE(page.ok());
  CHECK(page->entries.size() == 4);
  auto rest = ClaimAudit(*f.db, *f.store, ref.claim_id, page->next_cursor, 4);
  REQUIRE(rest.ok());
  CHECK(rest->entries.size() == 4);
  CHECK(rest->next_cursor.empty());
}

TEST_CASE("a report asked as of position P after more appends gives the same bytes it gave at P") {
  Fixture f({2, 5, 5});
  f.history->Setup();
  f.history->Month(2026, 4);
  f.CatchUp();
  const uint64_t p = f.store->GetHead().position;
  std::map<std::string, std::pair<std::string, std::string>> at_p;
  ReportParams params{"C1", {}};
  for (const std::string& name : ReportNames()) {
    ReportParams rp = params;
    if (name == "statement") rp.scope = "P1x1";
    if (name == "payment_run_claims") rp.filters["run"] = "RUN-C1-2026-04";
    auto t = RunReport(*f.db, name, rp);
    REQUIRE_MESSAGE(t.ok(), name, ": ", t.status().ToString());
    CHECK(t->as_of.position == p);
    at_p[name] = {TableToJsonText(*t), TableToCsv(*t)};
  }
  const ClaimView claim_at_p = f.Claim(History::ClaimId("FLU1", "P1x1", "2026-04"));

  f.history->Month(2026, 5);
  f.history->Month(2026, 6);
  f.CatchUp();
  REQUIRE(f.store->GetHead().position > p);
  int changed = 0;
  for (const auto& entry : at_p) {
    const std::string& name = entry.first;  // named, not bound: INFO captures it
    const auto& bytes = entry.second;
    ReportParams rp = params;
    if (name == "statement") rp.scope = "P1x1";
    if (name == "payment_run_claims") rp.filters["run"] = "RUN-C1-2026-04";
    auto then = RunReport(*f.db, name, rp, AsOf::Position(p));
    REQUIRE(then.ok());
    INFO(name);
    CHECK(TableToJsonText(*then) == bytes.first);
    CHECK(TableToCsv(*then) == bytes.second);
    auto now = RunReport(*f.db, name, rp);
    REQUIRE(now.ok());
    if (TableToCsv(*now) != bytes.second) ++changed;
  }
  CHECK(changed >= 8);  // the later months did change most reports
  CHECK(f.Claim(claim_at_p.claim_id, AsOf::Position(p)) == claim_at_p);

  // As of a time: the last position whose event time is at or before it.
  auto by_time = ResolveAsOf(*f.db, AsOf::Time(f.Claim(claim_at_p.claim_id).At(Stage::kSubmitted)));
  REQUIRE(by_time.ok());
  CHECK(by_time->position < p);
  auto claim_then = GetClaim(*f.db, claim_at_p.claim_id, AsOf::Position(by_time->position));
  REQUIRE(claim_then.ok());
  REQUIRE(claim_then->has_value());
  CHECK((*claim_then)->submissions >= 1);
  auto before_any = GetClaim(*f.db, claim_at_p.claim_id, AsOf::Time(History::Noon(2026, 1, 1)));
  REQUIRE(before_any.ok());
  CHECK_FALSE(before_any->has_value());
}

TEST_CASE("reports stay inside their scope and list claims by status, service and provider") {
  Fixture f({2, 4, 9});
  f.history->Setup();
  f.history->Month(2026, 4);
  f.CatchUp();
  auto claims = RunReport(*f.db, "claims", {"C1", {}});
  REQUIRE(claims.ok());
  REQUIRE_FALSE(claims->rows.empty());
  for (const auto& row : claims->rows) CHECK(std::get<std::string>(row[3]).rfind("P1x", 0) == 0);
  auto runs = RunReport(*f.db, "payment_runs", {"C2", {}});
  REQUIRE(runs.ok());
  REQUIRE(runs->rows.size() == 1);
  CHECK(std::get<std::string>(runs->rows[0][0]) == "RUN-C2-2026-04");
  CHECK(std::get<std::string>(runs->rows[0][1]) == "paid");
  auto other = RunReport(*f.db, "payment_run_claims", {"C1", {{"run", "RUN-C2-2026-04"}}});
  REQUIRE(other.ok());
  CHECK(other->rows.empty());  // another commissioner's run

  auto filtered = RunReport(*f.db, "claims", {"C1", {{"service", "SPEND1"}, {"status", "Paid"}}});
  REQUIRE(filtered.ok());
  for (const auto& row : filtered->rows) {
    CHECK(std::get<std::string>(row[1]) == "SPEND1");
    CHECK(std::get<std::string>(row[5]) == "Paid");
  }
  CHECK_FALSE(RunReport(*f.db, "claims", {"C1", {{"status", "Lost"}}}).ok());
  CHECK_FALSE(RunReport(*f.db, "claims", {"", {}}).ok());
  CHECK_FALSE(RunReport(*f.db, "nonsense", {"C1", {}}).ok());
  CHECK(RunReport(*f.db, "nonsense", {"C1", {}}).status().code() == es::Status::Code::kNotFound);

  ClaimQuery q;
  q.provider = "P1x1";
  auto mine = ListClaims(*f.db, q);
  REQUIRE(mine.ok());
  REQUIRE_FALSE(mine->claims.empty());
  for (const ClaimView& c : mine->claims) CHECK(c.provider == "P1x1");
}

TEST_CASE("uptake flags practices beyond 1.5 IQR from their service's quartiles") {
  Fixture f({1, 6, 1});
  f.history->Setup();
  // Six single-level-or-not practices claim FLU; list sizes differ, so compare per 1,000 patients.
  const int64_t units[] = {0, 50, 52, 48, 51, 49, 400};
  for (int j = 1; j <= 6; ++j) {
    if (j == 6) continue;  // P1x6 declined FLU
    const core::ClaimRef ref = f.Ref(1, j, "FLU1", "2026-10");
    f.history->Ok(ref.provider + "user", core::CreateClaimDraft{ref}, kNov);
    f.history->Ok(ref.provider + "user", core::EnterClaimValues{ref, {{"vaccinations", units[j]}}, {}}, kNov);
    f.history->Ok(ref.provider + "user", core::SubmitClaim{ref}, kNov);
  }
  f.CatchUp();
  auto uptake = RunReport(*f.db, "uptake", {"C1", {}});
  REQUIRE(uptake.ok());
  REQUIRE(uptake->rows.size() == 5);
  for (const auto& row : uptake->rows) {
    const int64_t list = std::get<int64_t>(row[4]), claimed = std::get<int64_t>(row[5]);
    const int64_t rate = std::get<int64_t>(row[6]);
    CHECK(rate == (claimed * 100'000 * 2 + list) / (2 * list));
    const int64_t q1 = std::get<int64_t>(row[8]), q3 = std::get<int64_t>(row[9]);
    const std::string flag = std::get<std::string>(row[11]);
    CHECK(flag == (2 * rate > 2 * q3 + 3 * (q3 - q1) ? "high" : 2 * rate < 2 * q1 - 3 * (q3 - q1) ? "low" : ""));
  }
  CHECK(TableToCsv(*uptake).rfind("service_id,service,provider,provider_name,list_size,units,units_per_1000", 0) == 0);
}

TEST_CASE("replaying envelopes already applied changes nothing") {
  Fixture f({1, 4, 2});
  f.history->Setup();
  f.history->Month(2026, 4);
  f.CatchUp();
  std::map<std::string, std::string> before;
  for (const std::string& name : ProjectionDb::ProjectionNames()) before[name] = *f.db->Checksum(name);
  auto all = f.store->ReadAll(1, 100'000);
  REQUIRE(all.ok());
  REQUIRE(f.db->Apply(*all).ok());
  for (const std::string& name : ProjectionDb::ProjectionNames()) CHECK(*f.db->Checksum(name) == before[name]);
  CHECK(f.db->Applied() == f.store->GetHead().position);
  CHECK(f.db->undecodable_events() == 0);
}

TEST_CASE("the runner follows the live log and WaitFor gives read-your-writes after a command") {
  auto f = std::make_unique<Fixture>();
  f->history->Setup();
  Runner& runner = f->ledger().runner();
  f->Start();
  const core::ClaimRef ref = f->Ref(1, 1, "FLU1", "2026-10");
  app::Executed e = f->history->Ok("P1x1user", core::CreateClaimDraft{ref}, kNov);
  REQUIRE(runner.WaitFor(e.last_position, std::chrono::seconds(10)));
  CHECK(f->Claim(ref.claim_id).status == ClaimStatus::kDraft);
  CHECK(runner.Lag() == 0);
  CHECK_FALSE(runner.WaitFor(e.last_position + 1, std::chrono::milliseconds(20)));
  CHECK(runner.last_error().ok());
  runner.Stop();
  // Reopening continues from the checkpoints.
  f->history->Ok("P1x1user", core::DeleteClaimDraft{ref}, kNov + 1);
  std::unique_ptr<testing::TempDir> dir = std::move(f->dir);
  f.reset();
  testing::LedgerWorld reopened(std::move(dir), testing::UnsyncedStore());
  ProjectionDb& db = reopened.ledger().projections();
  CHECK(db.Applied() == e.last_position);
  REQUIRE(reopened.ledger().runner().CatchUp().ok());
  auto claim = GetClaim(db, ref.claim_id);
  REQUIRE(claim.ok());
  REQUIRE(claim->has_value());
  CHECK((*claim)->status == ClaimStatus::kDeleted);
}

}  // namespace
}  // namespace ledger::projections

namespace ledger::projections {
namespace {

TEST_CASE("uptake names the practice beyond the upper fence, and its filters narrow it by service and period") {
  Fixture f({1, 6, 1});
  f.history->Setup();
  const int64_t units[] = {0, 50, 52, 48, 51, 49};
  for (int j = 1; j <= 5; ++j) {
    const core::ClaimRef ref = f.Ref(1, j, "FLU1", "2026-10");
    f.history->Ok(ref.provider + "user", core::CreateClaimDraft{ref}, kNov);
    f.history->Ok(ref.provider + "user",
                  core::EnterClaimValues{ref, {{"vaccinations", units[j] * (j == 3 ? 8 : 1)}}, {}}, kNov);
    f.history->Ok(ref.provider + "user", core::SubmitClaim{ref}, kNov);
  }
  f.CatchUp();
  auto all = RunReport(*f.db, "uptake", {"C1", {}});
  REQUIRE(all.ok());
  REQUIRE(all->rows.size() == 5);
  const std::string service = std::get<std::string>(all->rows[0][0]);
  // P1x3 claimed eight times its neighbours: the only outlier, and high; the others sit inside the fences.
  for (const auto& row : all->rows) {
    CHECK(std::get<std::string>(row[11]) == (std::get<std::string>(row[2]) == History::Practice(1, 3) ? "high" : ""));
    CHECK(std::get<int64_t>(row[7]) == std::get<int64_t>(all->rows[0][7]));  // one median per service
  }
  auto one = RunReport(*f.db, "uptake", {"C1", {{"service", service}}});
  REQUIRE(one.ok());
  CHECK(one->rows == all->rows);
  auto other = RunReport(*f.db, "uptake", {"C1", {{"service", service + "X"}}});
  REQUIRE(other.ok());
  CHECK(other->rows.empty());
  auto later = RunReport(*f.db, "uptake", {"C1", {{"period_from", "2026-11"}}});
  REQUIRE(later.ok());
  CHECK(later->rows.empty());
  auto to_october = RunReport(*f.db, "uptake", {"C1", {{"period_to", "2026-10"}}});
  REQUIRE(to_october.ok());
  CHECK(to_october->rows == all->rows);
}

TEST_CASE("every report's chart names columns the report has; lists have no chart") {
  Fixture f({1, 4, 2});
  f.history->Setup();
  f.history->Month(2026, 4);
  f.CatchUp();
  for (const ReportInfo& info : Reports()) {
    CAPTURE(info.name);
    if (!info.chart) continue;
    ReportParams params{"C1", {}};
    if (info.name == "payment_run_claims") params.filters["run"] = "none";
    auto table = RunReport(*f.db, info.name, params);
    REQUIRE(table.ok());
    auto has = [&](const std::string& column) {
      return std::any_of(table->columns.begin(), table->columns.end(),
                         [&](const Column& c) { return c.name == column; });
    };
    for (const std::string& c : info.chart->label_columns) CHECK_MESSAGE(has(c), c);
    for (const std::string& c : info.chart->value_columns) {
      CHECK_MESSAGE(has(c), c);
      for (const Column& col : table->columns)
        if (col.name == c) CHECK(col.kind != ColumnKind::kText);
    }
    CHECK_FALSE(info.chart->value_title.empty());
  }
  CHECK(FindReport("uptake")->chart->value_columns == std::vector<std::string>{"units_per_1000"});
  CHECK(FindReport("uptake")->chart->per_service_spread);
  CHECK(FindReport("turnaround")->chart->value_title == "Hours");
  for (const char* list : {"claims", "services", "organisations", "accounts", "offers", "statement"})
    CHECK_FALSE(FindReport(list)->chart.has_value());
}

TEST_CASE("payment runs filter by the period of their pay date; services by service") {
  Fixture f({1, 4, 2});
  f.history->Setup();
  f.history->Month(2026, 4);
  f.history->Month(2026, 5);
  f.CatchUp();
  auto runs = RunReport(*f.db, "payment_runs", {"C1", {}});
  REQUIRE(runs.ok());
  REQUIRE_FALSE(runs->rows.empty());
  const int pay_date = 2;
  std::map<std::string, size_t> by_month;
  for (const auto& row : runs->rows) ++by_month[std::get<std::string>(row[pay_date]).substr(0, 7)];
  for (const auto& [month, n] : by_month) {
    CAPTURE(month);
    auto in_month = RunReport(*f.db, "payment_runs", {"C1", {{"period_from", month}, {"period_to", month}}});
    REQUIRE(in_month.ok());
    CHECK(in_month->rows.size() == n);
    for (const auto& row : in_month->rows) CHECK(std::get<std::string>(row[pay_date]).starts_with(month));
  }
  CHECK(RunReport(*f.db, "payment_runs", {"C1", {{"period_from", "October"}}}).status().code() ==
        es::Status::Code::kInvalid);
  auto services = RunReport(*f.db, "services", {"C1", {}});
  REQUIRE(services.ok());
  REQUIRE_FALSE(services->rows.empty());
  const std::string first = std::get<std::string>(services->rows[0][0]);
  auto one = RunReport(*f.db, "services", {"C1", {{"service", first}}});
  REQUIRE(one.ok());
  REQUIRE(one->rows.size() == 1);
  CHECK(std::get<std::string>(one->rows[0][0]) == first);
}

}  // namespace
}  // namespace ledger::projections
