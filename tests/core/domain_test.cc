#include <doctest/doctest.h>

#include "world.h"

namespace ledger::core::testing {
namespace {

TEST_CASE("stream ids follow the documented prefixes, and a claim key writes an annual period's slash as _") {
  CHECK(OrgStream("C1") == "org-C1");
  CHECK(AccountStream("sam") == "account-sam");
  CHECK(ServiceStream("FLU") == "service-FLU");
  CHECK(OfferStream("FLU", "P1") == "offer-FLU-P1");
  CHECK(ClaimStream("c-1") == "claim-c-1");
  CHECK(ClaimKeyStream("P1", "FLU", "2026/27") == "claimkey-P1-FLU-2026_27");
  CHECK(PaymentRunStream("r1") == "payrun-r1");
  CHECK(KindOfStream("claimkey-P1-FLU-2026-10") == StreamKind::kClaimKey);
  CHECK(KindOfStream("claim-x") == StreamKind::kClaim);
  CHECK(KindOfStream("payrun-x") == StreamKind::kPaymentRun);
  CHECK(KindOfStream("nothing") == StreamKind::kUnknown);
  CHECK(KindOfStream("widget-1") == StreamKind::kUnknown);
}

TEST_CASE("ids and usernames are checked for their characters and length") {
  CHECK(IsValidId("Y02345.b_c-1"));
  CHECK_FALSE(IsValidId(""));
  CHECK_FALSE(IsValidId("a b"));
  CHECK_FALSE(IsValidId("a/b"));
  CHECK_FALSE(IsValidId(std::string(65, 'a')));
  CHECK(IsValidId(std::string(64, 'a')));
  CHECK(IsValidUsername("sam.patel-2"));
  CHECK_FALSE(IsValidUsername("Sam"));
}

TEST_CASE("the streams to read start with the actor's account and hold no duplicates") {
  const CommandMeta meta{"c", "c", "c1admin", Now()};
  auto streams = StreamsToRead(meta,
                               Command{RegisterOrganisation{"P7", "P7", OrgKind::kPcn, "C1", "", {}, {"P1", "P1"}}});
  CHECK(streams == std::vector<std::string>{"account-c1admin", "org-P7", "org-C1", "org-P1"});
  const CommandMeta system{"c", "c", "", Now()};
  CHECK(StreamsToRead(system, Command{CreateAccount{"ann", "C2", "", "", {}, ""}}) ==
        std::vector<std::string>{"account-ann", "org-C2"});
  CHECK(StreamsToRead(meta, Command{OfferService{"FLU", "P1", {}, {}, {}}}) ==
        std::vector<std::string>{"account-c1admin", "offer-FLU-P1", "service-FLU", "org-P1"});
}

TEST_CASE("each stream starts from the empty state of its aggregate") {
  CHECK(std::holds_alternative<OrgState>(InitialState("org-C1")));
  CHECK(std::holds_alternative<AccountState>(InitialState("account-sam")));
  CHECK(std::holds_alternative<ServiceState>(InitialState("service-FLU")));
  CHECK(std::holds_alternative<OfferState>(InitialState("offer-FLU-P1")));
  CHECK(std::holds_alternative<ClaimState>(InitialState("claim-1")));
  CHECK(std::holds_alternative<ClaimKeyState>(InitialState("claimkey-P1-FLU-2026-10")));
  CHECK(std::holds_alternative<PaymentRunState>(InitialState("payrun-1")));
  CHECK(std::holds_alternative<std::monostate>(InitialState("other-1")));
}

TEST_CASE("an event of another aggregate leaves a stream's state unchanged") {
  AggregateState org = Evolve(InitialState("org-C1"), Event{ServicePublished{"FLU", Now()}});
  CHECK(std::get<OrgState>(org) == OrgState{});
}

TEST_CASE("an unknown stream takes the state of the aggregate of its first event") {
  AggregateState s = Evolve(std::monostate{}, Event{ListSizeRecorded{"P1", Date::FromYmd(2026, 4, 1), 10, Now()}});
  REQUIRE(std::holds_alternative<OrgState>(s));
  CHECK(std::get<OrgState>(s).ListSizeAt(Date::FromYmd(2026, 5, 1)) == 10);
}

TEST_CASE("a command from the system needs no account, but a named actor must have one") {
  Scenario s = StandardWorld();
  CHECK(s.When("", RecordListSize{"P1", Date::FromYmd(2026, 10, 1), 9000}).ok());
  CHECK(Refusal(s.When("ghost", RecordListSize{"P1", Date::FromYmd(2026, 10, 1), 9000})) == "unknown_actor");
}

}  // namespace
}  // namespace ledger::core::testing
