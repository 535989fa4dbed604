// Writes the golden log fixture (see golden_log.h). Run once per storage
// format version; the committed output must never be rewritten for an
// existing version.
//
//   eventstore_golden_tool <output-dir>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "golden_log.h"

namespace {

class FixedClock final : public ledger::es::Clock {
 public:
  int64_t NowMicros() const override { return ledger::es::golden::kGoldenTimeMicros; }
};

}  // namespace

int main(int argc, char** argv) {
  namespace es = ledger::es;
  if (argc != 2) {
    std::cerr << "usage: eventstore_golden_tool <output-dir>\n";
    return 64;
  }
  const std::filesystem::path out = argv[1];
  const std::filesystem::path store_dir = std::filesystem::temp_directory_path() / "ledger-golden-store";
  std::filesystem::remove_all(store_dir);
  std::filesystem::create_directories(out);
  FixedClock clock;
  es::Options options;
  options.clock = &clock;
  es::Head head;
  {
    auto store = es::EventStore::Open(store_dir.string(), options);
    if (!store.ok()) {
      std::cerr << store.status().ToString() << "\n";
      return 1;
    }
    for (const auto& req : es::golden::GoldenCommands()) {
      auto r = (*store)->Append(req);
      if (!r.ok()) {
        std::cerr << r.status().ToString() << "\n";
        return 1;
      }
    }
    head = (*store)->GetHead();
  }
  std::string error;
  if (!es::golden::WriteDump(store_dir.string(), (out / "store.dump").string(), &error)) {
    std::cerr << error << "\n";
    return 1;
  }
  std::ofstream((out / "head.txt").string())
      << "position " << head.position << "\nhash " << es::HashToHex(head.hash) << "\n";
  std::filesystem::remove_all(store_dir);
  std::cout << "wrote " << head.position << " envelopes, head " << es::HashToHex(head.hash) << "\n";
  return 0;
}
