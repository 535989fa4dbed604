// The command path on a real event store: read, fold, decide, append.
#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ledger/app/command_bus.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "ledger/eventstore/event_store.h"
#include "support/world.h"

namespace ledger::app {
namespace {

using core::CommandMeta;

constexpr core::Timestamp kNoon = 1'790'000'000'000'000;  // a fixed moment in 2026

// The shared test world's ledger, driven through its command bus.
struct Fixture : testing::LedgerWorld {
  es::EventStore* store = &ledger().store();
  CommandBus* bus = &ledger().bus();
  int next_id = 0;

  CommandMeta Meta(const std::string& actor) { return {"cmd-" + std::to_string(++next_id), "", actor, kNoon}; }

  ExecuteResult Run(const std::string& actor, const core::Command& command) {
    return bus->Execute(Meta(actor), command);
  }

  // A commissioner with an administrator, and one practice with a pending account request.
  void SeedCommissionerWithPendingRequest() {
    REQUIRE(Run("", core::RegisterOrganisation{"00L", "North East ICB", core::OrgKind::kCommissioner}).ok());
    REQUIRE(Run("", core::RegisterOrganisation{"A84002", "The Rothbury Practice", core::OrgKind::kPractice, "00L",
                                               "NE65 7UW"})
                .ok());
    core::RoleSet admin;
    admin.Add(core::Role::kCommissionerAdmin);
    for (const char* name : {"icb.admin", "icb.admin2", "icb.admin3", "icb.admin4"}) {
      REQUIRE(Run("", core::CreateAccount{name, "00L", "Admin", "admin@example.nhs.uk", admin, "hash"}).ok());
    }
    core::RoleSet user;
    user.Add(core::Role::kProviderUser);
    REQUIRE(Run("", core::RequestAccount{"pat.jones", "A84002", "Pat Jones", "pat@example.nhs.uk", user, "hash"}).ok());
  }
};

core::ApproveAccount ApprovePat() {
  core::RoleSet roles;
  roles.Add(core::Role::kProviderUser);
  return {"pat.jones", roles};
}

TEST_CASE("a command's events are appended and fold back into the aggregate's state") {
  Fixture f;
  auto result = f.Run("", core::RegisterOrganisation{"00L", "North East ICB", core::OrgKind::kCommissioner});
  REQUIRE(result.ok());
  CHECK(result.executed().first_position == 1);
  CHECK(result.executed().VersionOf(core::OrgStream("00L")) == 1);

  auto loaded = f.bus->LoadStream(core::OrgStream("00L"));
  REQUIRE(loaded.ok());
  CHECK(loaded->version == 1);
  const auto& org = std::get<core::OrgState>(loaded->state);
  CHECK(org.name == "North East ICB");
}

TEST_CASE("a refused command stores nothing") {
  Fixture f;
  REQUIRE(f.Run("", core::RegisterOrganisation{"00L", "North East ICB", core::OrgKind::kCommissioner}).ok());
  uint64_t head = f.store->GetHead().position;
  auto again = f.Run("", core::RegisterOrganisation{"00L", "Another name", core::OrgKind::kCommissioner});
  REQUIRE(again.rejected());
  CHECK(f.store->GetHead().position == head);
}

TEST_CASE("a retried command id returns the original result and adds no event") {
  Fixture f;
  f.SeedCommissionerWithPendingRequest();
  CommandMeta meta = f.Meta("icb.admin");
  auto first = f.bus->Execute(meta, ApprovePat());
  REQUIRE(first.ok());
  uint64_t head = f.store->GetHead().position;

  auto retry = f.bus->Execute(meta, ApprovePat());
  REQUIRE(retry.ok());
  CHECK(retry.executed().duplicate);
  CHECK(retry.executed().first_position == first.executed().first_position);
  CHECK(f.store->GetHead().position == head);
}

TEST_CASE("a command id stored with one request tag is refused under another, and answered under the same") {
  Fixture f;
  f.SeedCommissionerWithPendingRequest();
  CommandMeta meta = f.Meta("icb.admin");
  ExecuteOptions first_request;
  first_request.request_tag = "request-1";
  auto first = f.bus->Execute(meta, ApprovePat(), first_request);
  REQUIRE(first.ok());
  uint64_t head = f.store->GetHead().position;

  ExecuteOptions other_request;
  other_request.request_tag = "request-2";
  auto other = f.bus->Execute(meta, ApprovePat(), other_request);
  REQUIRE(other.store_failed());
  CHECK(other.status().code() == es::Status::Code::kIdempotencyMismatch);
  auto same = f.bus->Execute(meta, ApprovePat(), first_request);
  REQUIRE(same.ok());
  CHECK(same.executed().duplicate);
  CHECK(same.executed().last_position == first.executed().last_position);
  CHECK(f.store->GetHead().position == head);
}

TEST_CASE("a stale precondition is refused as precondition_failed and stores nothing") {
  Fixture f;
  f.SeedCommissionerWithPendingRequest();
  uint64_t head = f.store->GetHead().position;
  ExecuteOptions options;
  options.precondition = Precondition{core::AccountStream("pat.jones"), 7};
  auto result = f.bus->Execute(f.Meta("icb.admin"), ApprovePat(), options);
  REQUIRE(result.rejected());
  CHECK(result.rejection().code == "precondition_failed");
  CHECK(f.store->GetHead().position == head);

  options.precondition->version = 1;  // the version the account is really at
  CHECK(f.bus->Execute(f.Meta("icb.admin"), ApprovePat(), options).ok());
}

TEST_CASE("racing administrators: exactly one approval is recorded, the others change nothing") {
  Fixture f;
  f.SeedCommissionerWithPendingRequest();
  std::vector<std::string> admins = {"icb.admin", "icb.admin2", "icb.admin3", "icb.admin4"};
  std::vector<CommandMeta> metas;
  for (const auto& admin : admins) metas.push_back(f.Meta(admin));
  std::atomic<int> wrote{0}, unchanged{0}, failed{0};
  std::vector<std::thread> threads;
  for (const CommandMeta& meta : metas) {
    threads.emplace_back([&, meta] {
      // The losers re-read the account after the conflict: already approved
      // with these roles, so their decision is an empty one.
      auto result = f.bus->Execute(meta, ApprovePat());
      if (!result.ok())
        failed++;
      else
        (result.executed().first_position != 0 ? wrote : unchanged)++;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wrote == 1);
  CHECK(unchanged == 3);
  CHECK(failed == 0);
  auto stream = f.store->ReadStream(core::AccountStream("pat.jones"));
  REQUIRE(stream.ok());
  CHECK(stream->size() == 2);  // requested, approved once
}

TEST_CASE("an unknown actor is refused before anything is stored") {
  Fixture f;
  f.SeedCommissionerWithPendingRequest();
  uint64_t head = f.store->GetHead().position;
  auto result = f.Run("nobody", ApprovePat());
  REQUIRE(result.rejected());
  CHECK(f.store->GetHead().position == head);
}

}  // namespace
}  // namespace ledger::app
