// The bulk claim importer's planner on arbitrary files, against a real (empty)
// store: every file is either a plan or a list of line errors, never a crash.
// The file's syntax, header and row checks run; rows name providers the store
// does not know, so deciding stops at the lookup.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <unistd.h>

#include "ledger/app/claim_import.h"
#include "ledger/eventstore/event_store.h"

namespace {

// An empty store in a temporary directory, removed when the process exits.
struct TempStore {
  TempStore() : dir(std::filesystem::temp_directory_path() / ("ledger-fuzz-import-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir);
    store = std::move(ledger::es::EventStore::Open(dir.string()).value());
  }
  ~TempStore() {
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::filesystem::path dir;
  std::unique_ptr<ledger::es::EventStore> store;
};

ledger::es::EventStore& Store() {
  static TempStore temp;
  return *temp.store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ledger::app::ClaimImportOptions options;
  options.actor = "p1user";
  options.at = 1'794'700'800'000'000;
  options.digest = std::string(64, 'a');
  std::string_view csv(reinterpret_cast<const char*>(data), size);
  (void)ledger::app::PlanClaimImport(Store(), csv, options);
  return 0;
}
