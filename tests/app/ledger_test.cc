// The Ledger facade on the shared test world: a command reads each stream
// once and its result carries the state it left; queries answer from the
// read models once Execute returns.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ledger/app/event_visibility.h"
#include "ledger/app/ledger.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "support/world.h"

namespace ledger::app {
namespace {

using testing::LedgerWorld;

struct SeededLedger : LedgerWorld {
  SeededLedger() {
    testing::SeedWorld(ledger().store(), "hash");
    Start();
  }
  int next_id = 0;
  core::CommandMeta Meta(const std::string& actor) { return {"cmd-" + std::to_string(++next_id), "", actor, now}; }
};

core::ClaimRef P1Claim(const std::string& id) { return {id, "P1", "C1", "SPEND", testing::November(3).ToString()}; }

TEST_CASE("a command reads each stream it needs at most once, and the result carries their new state") {
  SeededLedger w;
  core::ClaimRef ref = P1Claim("C-once");
  REQUIRE(w.ledger().Execute(w.Meta("p1user"), core::CreateClaimDraft{ref, {{"cost", 12'345}}, {}}).ok());

  w.reads().ResetReads();
  core::CommandMeta meta = w.Meta("p1user");
  core::Command submit = core::SubmitClaim{ref};
  ExecuteResult result = w.ledger().Execute(meta, submit);
  REQUIRE_MESSAGE(result.ok(), result.Describe());

  std::vector<std::string> needed = core::StreamsToRead(meta, submit);
  std::map<std::string, int> reads = w.reads().Reads();
  for (const std::string& stream : needed) CHECK_MESSAGE(reads[stream] <= 1, stream);
  // The draft's command folded the claim, and no one has written it since.
  CHECK(reads[core::ClaimStream("C-once")] == 0);

  // The claim as the result carries it is the claim as the log now folds it
  // (a bus with nothing cached folds it from the first event).
  const Executed& executed = result.executed();
  const core::LoadedStream* now = executed.StateOf(core::ClaimStream("C-once"));
  REQUIRE(now != nullptr);
  CommandBus cold(w.ledger().store());
  auto fresh = cold.LoadStream(core::ClaimStream("C-once"));
  REQUIRE(fresh.ok());
  CHECK(now->version == fresh->version);
  CHECK(now->version == executed.VersionOf(core::ClaimStream("C-once")));
  CHECK(std::get<core::ClaimState>(now->state) == std::get<core::ClaimState>(fresh->state));
  CHECK(std::get<core::ClaimState>(now->state).status == core::ClaimStatus::kAwaitingTier1);
  CHECK(executed.state.size() == needed.size());
}

TEST_CASE("a stream the bus folded is not read again while unchanged, and moved on only its new events are read") {
  SeededLedger w;
  core::ClaimRef ref = P1Claim("C-cache");
  const std::string stream = core::ClaimStream("C-cache");
  REQUIRE(w.ledger().Execute(w.Meta("p1user"), core::CreateClaimDraft{ref, {{"cost", 400}}, {}}).ok());
  auto before = w.ledger().bus().LoadStream(stream);
  REQUIRE(before.ok());

  // Another command path on the same log (as a second process would) moves
  // the stream on behind the bus's back.
  CommandBus other(w.ledger().store());
  REQUIRE(other.Execute(w.Meta("p1user"), core::EnterClaimValues{ref, {{"cost", 650}}, {}}).ok());
  REQUIRE(other.Execute(w.Meta("p1user"), core::SubmitClaim{ref}).ok());

  w.reads().ResetReads();
  auto after = w.ledger().bus().LoadStream(stream);
  REQUIRE(after.ok());
  CHECK(w.reads().Reads()[stream] == 1);
  CHECK(w.reads().LastReadFrom()[stream] == before->version + 1);
  auto fresh = CommandBus(w.ledger().store()).LoadStream(stream);
  REQUIRE(fresh.ok());
  CHECK(after->version == fresh->version);
  CHECK(after->version > before->version);
  CHECK(std::get<core::ClaimState>(after->state) == std::get<core::ClaimState>(fresh->state));
  CHECK(std::get<core::ClaimState>(after->state).amount == 650);

  w.reads().ResetReads();
  REQUIRE(w.ledger().bus().LoadStream(stream).ok());
  CHECK(w.reads().Reads().count(stream) == 0);

  // An account is never taken from the cache: its password hash is not in
  // the encoding the cache keeps.
  auto account = w.ledger().bus().LoadStream(core::AccountStream("p1user"));
  REQUIRE(account.ok());
  CHECK_FALSE(std::get<core::AccountState>(account->state).password_hash.empty());
  w.reads().ResetReads();
  account = w.ledger().bus().LoadStream(core::AccountStream("p1user"));
  REQUIRE(account.ok());
  CHECK(w.reads().Reads()[core::AccountStream("p1user")] == 1);
  CHECK_FALSE(std::get<core::AccountState>(account->state).password_hash.empty());
}

TEST_CASE("a stream the caller has just read is not read again, and a stale one is read afresh") {
  SeededLedger w;
  core::ClaimRef ref = P1Claim("C-pre");
  REQUIRE(w.ledger().Execute(w.Meta("p1user"), core::CreateClaimDraft{ref, {{"cost", 500}}, {}}).ok());
  const std::string stream = core::ClaimStream("C-pre");
  auto read = w.ledger().bus().LoadStream(stream);
  REQUIRE(read.ok());

  SUBCASE("fresh: used as read") {
    ExecuteOptions options;
    options.preloaded.emplace(stream, *read);
    w.reads().ResetReads();
    ExecuteResult result = w.ledger().Execute(w.Meta("p1user"), core::SubmitClaim{ref}, options);
    REQUIRE_MESSAGE(result.ok(), result.Describe());
    CHECK(w.reads().Reads().count(stream) == 0);
  }
  SUBCASE("stale: the append conflicts and the retry reads the stream") {
    REQUIRE(w.ledger().Execute(w.Meta("p1user"), core::EnterClaimValues{ref, {{"cost", 700}}, {}}).ok());
    ExecuteOptions options;
    options.preloaded.emplace(stream, *read);  // before the edit
    w.reads().ResetReads();
    ExecuteResult result = w.ledger().Execute(w.Meta("p1user"), core::SubmitClaim{ref}, options);
    REQUIRE_MESSAGE(result.ok(), result.Describe());
    CHECK(w.reads().Reads()[stream] <= 1);  // the bus folded the edit when it made it
    CHECK(std::get<core::ClaimState>(result.executed().StateOf(stream)->state).amount == 700);
  }
}

TEST_CASE("after Execute the read models answer with what it wrote") {
  SeededLedger w;
  core::ClaimRef ref = P1Claim("C-ryw");
  REQUIRE(w.ledger().Execute(w.Meta("p1user"), core::CreateClaimDraft{ref, {{"cost", 900}}, {}}).ok());
  auto view = w.ledger().GetClaim("C-ryw");
  REQUIRE(view.ok());
  REQUIRE(view->has_value());
  CHECK((*view)->status == core::ClaimStatus::kDraft);
  CHECK(w.ledger().OrganisationName("P1") == "Organisation P1");
  CHECK(w.ledger().PersonName("p1user") == "Person p1user");
  CHECK_FALSE(w.ledger().PersonName("nobody").has_value());
}

TEST_CASE("the read model of states holds every stream as the command path folds it, without reading the log") {
  SeededLedger w;
  core::ClaimRef ref = P1Claim("C-state");
  REQUIRE(w.ledger().Execute(w.Meta("p1user"), core::CreateClaimDraft{ref, {{"cost", 4'200}}, {}}).ok());
  REQUIRE(w.ledger().Execute(w.Meta("p1user"), core::SubmitClaim{ref}).ok());
  REQUIRE(w.ledger().Execute(w.Meta("c1tier1"), core::ApproveClaim{ref, core::ApprovalTier::kTier1}).ok());

  std::set<std::string> streams;
  auto all = w.ledger().store().ReadAll(1, 100'000);
  REQUIRE(all.ok());
  for (const es::Envelope& env : *all) streams.insert(env.stream_id);
  REQUIRE(streams.size() > 20);
  for (const std::string& stream : streams) {
    INFO(stream);
    auto folded = w.ledger().bus().LoadStream(stream);
    REQUIRE(folded.ok());
    if (auto* account = std::get_if<core::AccountState>(&folded->state)) {
      CHECK_FALSE(account->password_hash.empty());
      account->password_hash.clear();  // the read model never holds one
    }
    w.reads().ResetReads();
    auto kept = w.ledger().StreamState(stream);
    CHECK(w.reads().Reads().empty());
    REQUIRE(kept.ok());
    CHECK(kept->version == folded->version);
    CHECK(kept->state == folded->state);
  }
  auto none = w.ledger().StreamState(core::ClaimStream("C-never"));
  REQUIRE(none.ok());
  CHECK(none->version == 0);
  CHECK(none->state == core::InitialState(core::ClaimStream("C-never")));
}

// The events of one claim's stream from `from` on.
std::vector<es::Envelope> ClaimEvents(LedgerWorld& w, const std::string& claim_id, uint64_t from = 1) {
  auto all = w.ledger().store().ReadAll(from, 100'000);
  REQUIRE(all.ok());
  std::vector<es::Envelope> out;
  for (const es::Envelope& e : *all) {
    if (e.stream_id == core::ClaimStream(claim_id)) out.push_back(e);
  }
  return out;
}

TEST_CASE("who may see an event is read from the read model of states, and from the log only before it is applied") {
  SeededLedger w;
  const core::Principal p1{
      "p1user", "P1", core::OrgKind::kPractice, "C1", testing::RolesOf({core::Role::kProviderUser}), true};
  const core::Principal p3{
      "p3user", "P3", core::OrgKind::kPractice, "C2", testing::RolesOf({core::Role::kProviderUser}), true};
  EventVisibility own(w.ledger(), p1, core::Authorize, core::Action::kViewClaim);
  EventVisibility other(w.ledger(), p3, core::Authorize, core::Action::kViewClaim);

  REQUIRE(w.ledger().Execute(w.Meta("p1user"), core::CreateClaimDraft{P1Claim("C-seen"), {{"cost", 100}}, {}}).ok());
  const std::vector<es::Envelope> applied = ClaimEvents(w, "C-seen");
  REQUIRE_FALSE(applied.empty());
  w.reads().ResetReads();
  for (const es::Envelope& e : applied) {
    CHECK(own.Visible(e));
    CHECK_FALSE(other.Visible(e));
  }
  CHECK(w.reads().Reads().empty());  // nothing folded from the log

  // Written while the read models stand still (as the live stream can see an
  // event before they apply it): placed from the log, and placed right.
  w.ledger().StopProjections();
  w.ledger().SetProjectionWait(std::chrono::milliseconds(1));
  // Another day's claim: the first draft holds its provider, service and period.
  const core::ClaimRef next_day{"C-new", "P1", "C1", "SPEND", testing::November(4).ToString()};
  ExecuteResult later = w.ledger().Execute(w.Meta("p1user"), core::CreateClaimDraft{next_day, {{"cost", 1}}, {}});
  REQUIRE(later.ok());
  const std::vector<es::Envelope> fresh = ClaimEvents(w, "C-new", later.executed().first_position);
  REQUIRE_FALSE(fresh.empty());
  REQUIRE(w.ledger().StreamState(core::ClaimStream("C-new"))->version == 0);
  CHECK(own.Visible(fresh.front()));
  CHECK_FALSE(other.Visible(fresh.front()));
}

}  // namespace
}  // namespace ledger::app
