// The one test world: a real app::Ledger (event store, read models, runner,
// command bus) in a temporary directory, with a fixed clock, every stream read
// counted (CountingStore), and the standard cast seeded on demand.
//
// The standard cast (SeedWorld):
//   C1 (commissioner): c1admin, c1tier1, c1tier2, c1tier2b (a second Tier 2),
//                      c1finance, c1auditor
//   C2 (commissioner): c2tier1, c2auditor
//   P1 (C1, single-level): p1user         P2 (C1, multi-level): p2user, p2approver
//   P3 (C2): p3user                        SYSTEM: op (operator)
//   Service SPEND of C1: one-off (period = the day of the activity), one money
//   component "cost" priced 1p per penny (a claim's amount is its value),
//   window 30 days; accepted by P1 and P2.
// "Now" is 15 November 2026; claims are for days of early November 2026.
// The API, portal and app test worlds are thin layers on LedgerWorld.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "ledger/app/ledger.h"
#include "ledger/core/domain.h"
#include "ledger/eventstore/event_store.h"
#include "support/counting_store.h"
#include "support/temp_dir.h"

namespace ledger::testing {

inline constexpr core::Timestamp kWorldNow = 1'794'700'800'000'000;  // 2026-11-15T00:00:00Z

// Day `d` of November 2026.
core::Date November(int d);

core::RoleSet RolesOf(std::initializer_list<core::Role> roles);

// Writes events straight to a stream (the world as given, not as decided).
void Seed(es::EventStore& store, const std::string& stream, const std::vector<core::Event>& events);

// Seeds the standard cast above; every account has `password_hash`. `today`:
// the service runs from 200 days before it to 200 days after.
void SeedWorld(es::EventStore& store, const std::string& password_hash, core::Date today = November(15));

// Store options for worlds that write much and never crash: no fsync per append.
es::Options UnsyncedStore();

// A Ledger on a fresh (or given) directory: <dir>/events, <dir>/projections,
// <dir>/evidence; its clock reads `now`. The read models are fed once Start()
// is called (seed first, then start: the runner catches up on what was seeded).
class LedgerWorld {
 public:
  explicit LedgerWorld(std::unique_ptr<TempDir> temp = std::make_unique<TempDir>(),
                       const es::Options& store_options = {});
  ~LedgerWorld();
  LedgerWorld(const LedgerWorld&) = delete;
  LedgerWorld& operator=(const LedgerWorld&) = delete;

  // Catches the read models up and starts feeding them.
  void Start();

  app::Ledger& ledger() { return *ledger_; }
  // The stream reads of everything that ran on the ledger.
  CountingStore& reads() { return *counting_; }

  std::unique_ptr<TempDir> dir;
  core::Timestamp now = kWorldNow;

 private:
  CountingStore* counting_ = nullptr;  // owned by ledger_
  std::unique_ptr<app::Ledger> ledger_;
};

}  // namespace ledger::testing
