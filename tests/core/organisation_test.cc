#include <doctest/doctest.h>

#include "world.h"

namespace ledger::core::testing {
namespace {

RegisterOrganisation Practice(const std::string& code, const std::string& commissioner = "C1") {
  return {code, "Practice " + code, OrgKind::kPractice, commissioner, "LS2 9JT", ApprovalMode::kSingleLevel, {}};
}

TEST_CASE("a commissioner administrator registers a practice under its own commissioner") {
  Scenario s = StandardWorld();
  auto result = s.When("c1admin", Practice("P7"));
  CHECK(Written(result, OrgStream("P7")) ==
        std::vector<Event>{OrganisationRegistered{
            "P7", "Practice P7", OrgKind::kPractice, "C1", "LS2 9JT", ApprovalMode::kSingleLevel, {}, Now()}});
}

TEST_CASE("a commissioner administrator cannot register a provider for another commissioner") {
  CHECK(Refusal(StandardWorld().When("c2admin", Practice("P7", "C1"))) == "forbidden");
}

TEST_CASE("only the operator registers commissioners") {
  Scenario s = StandardWorld();
  RegisterOrganisation c3{"C3", "Commissioner C3", OrgKind::kCommissioner, "", "", ApprovalMode::kSingleLevel, {}};
  CHECK(Refusal(s.When("c1admin", c3)) == "forbidden");
  CHECK(Written(s.When("op", c3), OrgStream("C3")).size() == 1);
  CHECK(Written(s.When("", c3), OrgStream("C3")).size() == 1);
}

TEST_CASE("an organisation code is registered once") {
  CHECK(Refusal(StandardWorld().When("c1admin", Practice("P1"))) == "organisation_exists");
}

TEST_CASE("a provider needs an existing commissioner, a name and a valid code") {
  Scenario s = StandardWorld();
  RegisterOrganisation bad{"P 7", "", OrgKind::kPractice, "C9", "", ApprovalMode::kSingleLevel, {}};
  auto result = s.When("op", bad);
  CHECK(Refusal(result) == "invalid_organisation");
  CHECK(ErrorPaths(result) == std::vector<std::string>{"code", "name", "commissioner_code"});
}

TEST_CASE("a commissioner has no commissioner of its own") {
  RegisterOrganisation c3{"C3", "C3", OrgKind::kCommissioner, "C1", "", ApprovalMode::kSingleLevel, {}};
  CHECK(ErrorPaths(StandardWorld().When("op", c3)) == std::vector<std::string>{"commissioner_code"});
}

TEST_CASE("a PCN's members must be practices of the same commissioner") {
  Scenario s = StandardWorld();
  RegisterOrganisation pcn{"PCN2", "PCN 2", OrgKind::kPcn, "C1", "", ApprovalMode::kSingleLevel, {"P1", "P3", "PX"}};
  CHECK(ErrorPaths(s.When("c1admin", pcn)) == std::vector<std::string>{"members.P3", "members.PX"});
  pcn.members = {"P1", "P2"};
  CHECK(Written(s.When("c1admin", pcn), OrgStream("PCN2")).size() == 1);
}

TEST_CASE("a practice cannot have members") {
  RegisterOrganisation p = Practice("P7");
  p.members = {"P1"};
  CHECK(ErrorPaths(StandardWorld().When("c1admin", p)) == std::vector<std::string>{"members"});
}

TEST_CASE("a commissioner switches a provider to multi-level approval") {
  Scenario s = StandardWorld();
  auto result = s.Do("c1admin", ConfigureProvider{"P1", ApprovalMode::kMultiLevel, {}});
  CHECK(Written(result, OrgStream("P1")) ==
        std::vector<Event>{ProviderConfigured{"P1", ApprovalMode::kMultiLevel, {}, Now()}});
  CHECK(s.State<OrgState>(OrgStream("P1")).approval_mode == ApprovalMode::kMultiLevel);
  CHECK(Unchanged(s.When("c1admin", ConfigureProvider{"P1", ApprovalMode::kMultiLevel, {}})));
}

TEST_CASE("configuring a provider needs its own commissioner, an existing provider") {
  Scenario s = StandardWorld();
  CHECK(Refusal(s.When("c2admin", ConfigureProvider{"P1", ApprovalMode::kMultiLevel, {}})) == "forbidden");
  CHECK(Refusal(s.When("c1admin", ConfigureProvider{"P404", ApprovalMode::kMultiLevel, {}})) == "unknown_organisation");
  CHECK(Refusal(s.When("op", ConfigureProvider{"C1", ApprovalMode::kMultiLevel, {}})) == "not_a_provider");
  CHECK(Refusal(s.When("p1admin", ConfigureProvider{"P1", ApprovalMode::kMultiLevel, {}})) == "forbidden");
}

TEST_CASE("a PCN's members are reconfigured only with practices of its commissioner") {
  Scenario s = StandardWorld();
  auto result = s.When("c1admin", ConfigureProvider{"PCN1", ApprovalMode::kSingleLevel, {"P1", "P3"}});
  CHECK(Refusal(result) == "invalid_members");
  CHECK(ErrorPaths(result) == std::vector<std::string>{"members.P3"});
  CHECK(Refusal(s.When("c1admin", ConfigureProvider{"P1", ApprovalMode::kSingleLevel, {"P2"}})) == "invalid_members");
  CHECK(s.When("c1admin", ConfigureProvider{"PCN1", ApprovalMode::kSingleLevel, {"P1"}}).ok());
}

TEST_CASE("list sizes are recorded only by the provider's commissioner or the operator") {
  Scenario s = StandardWorld();
  CHECK(Refusal(s.When("c2admin", RecordListSize{"P1", Date::FromYmd(2026, 10, 1), 8200})) == "forbidden");
  CHECK(Refusal(s.When("p1admin", RecordListSize{"P1", Date::FromYmd(2026, 10, 1), 8200})) == "forbidden");
  CHECK(Written(s.When("op", RecordListSize{"P1", Date::FromYmd(2026, 10, 1), 8200}), OrgStream("P1")) ==
        std::vector<Event>{ListSizeRecorded{"P1", Date::FromYmd(2026, 10, 1), 8200, Now()}});
}

TEST_CASE("list sizes are effective-dated: the size in force is the latest on or before the date") {
  Scenario s = StandardWorld();
  REQUIRE(s.Do("c1admin", RecordListSize{"P1", Date::FromYmd(2026, 10, 1), 8200}).ok());
  const OrgState& p1 = s.State<OrgState>(OrgStream("P1"));
  CHECK_FALSE(p1.ListSizeAt(Date::FromYmd(2026, 3, 31)).has_value());
  CHECK(p1.ListSizeAt(Date::FromYmd(2026, 4, 1)) == 8000);
  CHECK(p1.ListSizeAt(Date::FromYmd(2026, 9, 30)) == 8000);
  CHECK(p1.ListSizeAt(Date::FromYmd(2026, 10, 1)) == 8200);
  CHECK(Unchanged(s.When("c1admin", RecordListSize{"P1", Date::FromYmd(2026, 10, 1), 8200})));
}

TEST_CASE("a negative list size is refused") {
  auto result = StandardWorld().When("op", RecordListSize{"P1", Date::FromYmd(2026, 10, 1), -1});
  CHECK(Refusal(result) == "invalid_list_size");
}

TEST_CASE("a commissioner sets its finance threshold and whether it uses the Finance role") {
  Scenario s = StandardWorld();
  auto result = s.Do("c1admin", ConfigureCommissioner{"C1", 2'000'000, false});
  CHECK(Written(result, OrgStream("C1")) == std::vector<Event>{CommissionerConfigured{"C1", 2'000'000, false, Now()}});
  CHECK(s.State<OrgState>(OrgStream("C1")).finance_threshold_pence == 2'000'000);
  CHECK(Unchanged(s.When("c1admin", ConfigureCommissioner{"C1", 2'000'000, false})));
}

TEST_CASE("the operator rotates the ledger's signing key, once per key, from the key in force") {
  Scenario s = StandardWorld();
  const std::string k1(64, '1'), k2(64, '2'), k3(64, '3'), endorsement(128, 'e');
  auto first = s.Do("op", RotateSigningKey{"SYSTEM", k1, k2, endorsement});
  REQUIRE_MESSAGE(first.ok(), Refusal(first));
  CHECK(Written(first, OrgStream("SYSTEM")) ==
        std::vector<Event>{SigningKeyRotated{"SYSTEM", k1, k2, endorsement, "op", Now()}});
  CHECK(s.State<OrgState>(OrgStream("SYSTEM")).signing_key == k2);
  // The same rotation again changes nothing; a rotation from a key no longer in force is a conflict.
  CHECK(Unchanged(s.When("op", RotateSigningKey{"SYSTEM", k1, k2, endorsement})));
  CHECK(Refusal(s.When("op", RotateSigningKey{"SYSTEM", k1, k3, endorsement})) == "not_the_current_key");
  REQUIRE(s.Do("op", RotateSigningKey{"SYSTEM", k2, k3, endorsement}).ok());
  CHECK(s.State<OrgState>(OrgStream("SYSTEM")).signing_key == k3);
}

TEST_CASE("a key rotation names two different keys and an endorsement, by the operator, in the system organisation") {
  Scenario s = StandardWorld();
  const std::string k1(64, '1'), k2(64, '2'), endorsement(128, 'e');
  auto bad = s.When("op", RotateSigningKey{"SYSTEM", "xyz", k1.substr(2), "short"});
  CHECK(Refusal(bad) == "invalid_key_rotation");
  CHECK(ErrorPaths(bad) == std::vector<std::string>{"previous_public_key", "public_key", "endorsement"});
  auto same = s.When("op", RotateSigningKey{"SYSTEM", k1, k1, endorsement});
  CHECK(ErrorPaths(same) == std::vector<std::string>{"public_key"});
  CHECK(Refusal(s.When("c1admin", RotateSigningKey{"SYSTEM", k1, k2, endorsement})) == "forbidden");
  CHECK(Refusal(s.When("op", RotateSigningKey{"C1", k1, k2, endorsement})) == "not_the_system");
}

TEST_CASE("a finance threshold must be positive and set by the commissioner itself") {
  Scenario s = StandardWorld();
  CHECK(Refusal(s.When("c1admin", ConfigureCommissioner{"C1", 0, true})) == "invalid_threshold");
  CHECK(Refusal(s.When("c2admin", ConfigureCommissioner{"C1", 100, true})) == "forbidden");
  CHECK(Refusal(s.When("op", ConfigureCommissioner{"P1", 100, true})) == "not_a_commissioner");
  CHECK(Refusal(s.When("op", ConfigureCommissioner{"C404", 100, true})) == "unknown_organisation");
}

TEST_CASE("the default finance threshold is 15,000 pounds with the Finance role in use") {
  const Scenario s = StandardWorld();
  const OrgState& c1 = s.State<OrgState>(OrgStream("C1"));
  CHECK(c1.finance_threshold_pence == 1'500'000);
  CHECK(c1.uses_finance_role);
}

TEST_CASE("an unknown or disabled actor is refused before anything else") {
  Scenario s = StandardWorld();
  CHECK(Refusal(s.When("nobody", Practice("P7"))) == "unknown_actor");
  s.Given(AccountStream("c1admin"), {AccountDisabled{"c1admin", "left", "op", Now()}});
  CHECK(Refusal(s.When("c1admin", Practice("P7"))) == "account_inactive");
}

}  // namespace
}  // namespace ledger::core::testing
