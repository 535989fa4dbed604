#include <doctest/doctest.h>

#include "world.h"

namespace ledger::core::testing {
namespace {

const Date kStart = Date::FromYmd(2026, 12, 1);
const Date kEnd = Date::FromYmd(2027, 3, 31);
const Date kRespondBy = Date::FromYmd(2026, 11, 30);

// The standard world plus a published service SMK of C1, not yet offered.
Scenario WithSmk() {
  Scenario s = StandardWorld();
  s.Given(ServiceStream("SMK"), {ServiceDefined{"SMK", "C1", FluDefinition(), Now()},
                                 TariffVersionAdded{"SMK", FluTariff(), Now()}, ServicePublished{"SMK", Now()}});
  return s;
}

Scenario WithPendingOffer() {
  Scenario s = WithSmk();
  REQUIRE(s.Do("c1admin", OfferService{"SMK", "P1", kStart, kEnd, kRespondBy}).ok());
  return s;
}

TEST_CASE("a commissioner offers a published service to its provider") {
  auto result = WithSmk().When("c1admin", OfferService{"SMK", "P1", kStart, kEnd, kRespondBy});
  CHECK(Written(result, OfferStream("SMK", "P1")) ==
        std::vector<Event>{ServiceOffered{"SMK", "P1", "C1", kStart, kEnd, kRespondBy, Now()}});
}

TEST_CASE("a commissioner cannot offer to another commissioner's provider") {
  CHECK(Refusal(WithSmk().When("c1admin", OfferService{"SMK", "P3", kStart, kEnd, kRespondBy})) == "forbidden");
  CHECK(Refusal(WithSmk().When("c1tier2", OfferService{"SMK", "P1", kStart, kEnd, kRespondBy})) == "forbidden");
}

TEST_CASE("a shared service is offered by the other commissioner to its own providers") {
  Scenario s = WithSmk();
  CHECK(Refusal(s.When("c2admin", OfferService{"SMK", "P3", kStart, kEnd, kRespondBy})) == "service_not_shared");
  s.Given(ServiceStream("SMK"), {ServiceShared{"SMK", "C2", Now()}});
  CHECK(Written(s.When("c2admin", OfferService{"SMK", "P3", kStart, kEnd, kRespondBy}), OfferStream("SMK", "P3")) ==
        std::vector<Event>{ServiceOffered{"SMK", "P3", "C2", kStart, kEnd, kRespondBy, Now()}});
}

TEST_CASE("only a published service of an existing provider can be offered") {
  Scenario s = StandardWorld();
  s.Given(ServiceStream("DRAFT"), {ServiceDefined{"DRAFT", "C1", FluDefinition(), Now()}});
  CHECK(Refusal(s.When("c1admin", OfferService{"DRAFT", "P1", kStart, kEnd, kRespondBy})) == "service_not_published");
  CHECK(Refusal(s.When("c1admin", OfferService{"NONE", "P1", kStart, kEnd, kRespondBy})) == "unknown_service");
  CHECK(Refusal(s.When("c1admin", OfferService{"FLU", "P404", kStart, kEnd, kRespondBy})) == "unknown_provider");
  CHECK(Refusal(s.When("c1admin", OfferService{"FLU", "C2", kStart, kEnd, kRespondBy})) == "unknown_provider");
}

TEST_CASE("an offer's dates lie within the service, end after start, and can still be answered") {
  auto result = WithSmk().When("c1admin", OfferService{"SMK", "P1", Date::FromYmd(2027, 5, 1),
                                                       Date::FromYmd(2027, 4, 1), Date::FromYmd(2026, 11, 14)});
  CHECK(Refusal(result) == "invalid_offer");
  CHECK(ErrorPaths(result) == std::vector<std::string>{"end", "dates", "respond_by"});
  CHECK(WithSmk().When("c1admin", OfferService{"SMK", "P1", kStart, kEnd, Date::FromYmd(2026, 11, 15)}).ok());
}

TEST_CASE("a provider administrator accepts an offer, which becomes a participation window") {
  Scenario s = WithPendingOffer();
  auto result = s.Do("p1admin", AcceptOffer{"SMK", "P1"});
  CHECK(Written(result, OfferStream("SMK", "P1")) ==
        std::vector<Event>{OfferAccepted{"SMK", "P1", kStart, kEnd, "p1admin", Now()}});
  const OfferState& offer = s.State<OfferState>(OfferStream("SMK", "P1"));
  CHECK(Participates(offer, Period::Month(2026, 12)));
  CHECK(Participates(offer, Period::Month(2027, 3)));
  CHECK_FALSE(Participates(offer, Period::Month(2026, 11)));
  CHECK_FALSE(Participates(offer, Period::Month(2027, 4)));
  CHECK_FALSE(Participates(offer, *Period::Parse(Frequency::kQuarterly, "2026-Q3")));  // Oct-Dec: partly outside
  CHECK(Participates(offer, *Period::Parse(Frequency::kQuarterly, "2026-Q4")));
  CHECK(Unchanged(s.When("p1admin", AcceptOffer{"SMK", "P1"})));
}

TEST_CASE("only the provider's own administrator answers an offer") {
  Scenario s = WithPendingOffer();
  CHECK(Refusal(s.When("p1user", AcceptOffer{"SMK", "P1"})) == "forbidden");
  CHECK(Refusal(s.When("p2admin", AcceptOffer{"SMK", "P1"})) == "forbidden");
  CHECK(Refusal(s.When("c1admin", AcceptOffer{"SMK", "P1"})) == "forbidden");
  CHECK(Refusal(s.When("p1admin", AcceptOffer{"SMK", "P2"})) == "unknown_offer");
}

TEST_CASE("an offer can be answered up to and including its respond-by date") {
  Scenario s = WithPendingOffer();
  CHECK(s.When("p1admin", AcceptOffer{"SMK", "P1"}, At(2026, 11, 30)).ok());
  CHECK(Refusal(s.When("p1admin", AcceptOffer{"SMK", "P1"}, At(2026, 12, 1))) == "offer_expired");
  CHECK(Refusal(s.When("p1admin", DeclineOffer{"SMK", "P1", "late"}, At(2026, 12, 1))) == "offer_expired");
}

TEST_CASE("a provider declines an offer and cannot then accept it") {
  Scenario s = WithPendingOffer();
  CHECK(Written(s.Do("p1admin", DeclineOffer{"SMK", "P1", "No capacity"}), OfferStream("SMK", "P1")) ==
        std::vector<Event>{OfferDeclined{"SMK", "P1", "No capacity", "p1admin", Now()}});
  CHECK(Unchanged(s.When("p1admin", DeclineOffer{"SMK", "P1", "again"})));
  CHECK(Refusal(s.When("p1admin", AcceptOffer{"SMK", "P1"})) == "offer_not_pending");
  CHECK_FALSE(Participates(s.State<OfferState>(OfferStream("SMK", "P1")), Period::Month(2026, 12)));
}

TEST_CASE("the commissioner withdraws an offer only while it is pending") {
  Scenario s = WithPendingOffer();
  CHECK(Refusal(s.When("p1admin", WithdrawOffer{"SMK", "P1", "x"})) == "forbidden");
  CHECK(Written(s.Do("c1admin", WithdrawOffer{"SMK", "P1", "Budget cut"}), OfferStream("SMK", "P1")) ==
        std::vector<Event>{OfferWithdrawn{"SMK", "P1", "Budget cut", "c1admin", Now()}});
  CHECK(Unchanged(s.When("c1admin", WithdrawOffer{"SMK", "P1", "again"})));
  CHECK(Refusal(s.When("p1admin", AcceptOffer{"SMK", "P1"})) == "offer_not_pending");
  Scenario accepted = WithPendingOffer();
  REQUIRE(accepted.Do("p1admin", AcceptOffer{"SMK", "P1"}).ok());
  CHECK(Refusal(accepted.When("c1admin", WithdrawOffer{"SMK", "P1", "x"})) == "offer_not_pending");
}

TEST_CASE("a new offer may follow a withdrawn one, but not a pending one or overlap accepted participation") {
  Scenario s = WithPendingOffer();
  CHECK(Refusal(s.When("c1admin", OfferService{"SMK", "P1", kStart, kEnd, kRespondBy})) == "offer_pending");
  REQUIRE(s.Do("c1admin", WithdrawOffer{"SMK", "P1", "redo"}).ok());
  REQUIRE(s.Do("c1admin", OfferService{"SMK", "P1", kStart, kEnd, kRespondBy}).ok());
  REQUIRE(s.Do("p1admin", AcceptOffer{"SMK", "P1"}).ok());
  CHECK(Refusal(s.When("c1admin", OfferService{"SMK", "P1", kEnd, kEnd, kRespondBy})) == "participation_overlaps");
}

TEST_CASE("participation windows accumulate across successive accepted offers") {
  Scenario s = StandardWorld();
  s.Given(ServiceStream("SMK"), {ServiceDefined{"SMK", "C1", FluDefinition(), Now()},
                                 TariffVersionAdded{"SMK", FluTariff(), Now()}, ServicePublished{"SMK", Now()}});
  s.Given(OfferStream("SMK", "P1"),
          {ServiceOffered{"SMK", "P1", "C1", Date::FromYmd(2026, 4, 1), Date::FromYmd(2026, 6, 30), kRespondBy, Now()},
           OfferAccepted{"SMK", "P1", Date::FromYmd(2026, 4, 1), Date::FromYmd(2026, 6, 30), "p1admin", Now()}});
  REQUIRE(s.Do("c1admin", OfferService{"SMK", "P1", kStart, kEnd, kRespondBy}).ok());
  REQUIRE(s.Do("p1admin", AcceptOffer{"SMK", "P1"}).ok());
  const OfferState& offer = s.State<OfferState>(OfferStream("SMK", "P1"));
  CHECK(Participates(offer, Period::Month(2026, 5)));
  CHECK_FALSE(Participates(offer, Period::Month(2026, 8)));
  CHECK(Participates(offer, Period::Month(2027, 1)));
}

}  // namespace
}  // namespace ledger::core::testing
