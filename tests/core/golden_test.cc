// The golden file tests/core/golden/core_events_v1.txt holds the encoding of
// one event of every type this module owns, as first written by schema
// version 1; a type added later gets its line appended once. Later versions
// of the code must still decode it to the same events. The file is written
// once (LEDGER_WRITE_GOLDEN=1 when it is missing) and never regenerated: a
// failure here means old logs no longer decode.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "golden_check.h"
#include "ledger/base/hex.h"
#include "ledger/core/codec.h"
#include "sample_events.h"
#include "support/build_paths.h"

namespace ledger::core::testing {
namespace {

const std::string kGoldenPath = std::string(LEDGER_SOURCE_DIR) + "/tests/core/golden/core_events_v1.txt";

std::string Unhex(std::string_view hex) {
  std::string out;
  REQUIRE(base::FromHex(hex, &out));
  return out;
}

void WriteGolden() {
  std::filesystem::create_directories(std::filesystem::path(kGoldenPath).parent_path());
  std::ofstream out(kGoldenPath);
  for (const Event& e : EveryOwnedEvent()) {
    const EncodedEvent encoded = Encode(e);
    out << encoded.type << ' ' << encoded.schema_version << ' ' << base::ToHex(encoded.payload) << '\n';
  }
}

TEST_CASE("events written by schema version 1 still decode to the same events") {
  if (!std::filesystem::exists(kGoldenPath) && std::getenv("LEDGER_WRITE_GOLDEN") != nullptr) WriteGolden();
  std::ifstream in(kGoldenPath);
  REQUIRE(in.good());
  const std::vector<Event> expected = EveryOwnedEvent();
  size_t i = 0;
  std::string type, hex;
  uint32_t version = 0;
  while (in >> type >> version >> hex) {
    REQUIRE(i < expected.size());
    INFO("line ", i + 1, " ", type);
    auto decoded = Decode(type, version, Unhex(hex));
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == expected[i]);
    ++i;
  }
  CHECK(i == expected.size());
}

}  // namespace
}  // namespace ledger::core::testing

namespace ledger::core::testing {
namespace {

TEST_CASE("the JSON of every organisation, account, service and offer event stays as documented") {
  CheckJsonGolden(std::string(LEDGER_SOURCE_DIR) + "/tests/core/golden/core_events_v1.json", EveryOwnedEvent());
}

TEST_CASE("every organisation, account, service and offer event encodes byte for byte as schema version 1 did") {
  CheckEncodingGolden(kGoldenPath, EveryOwnedEvent());
}

}  // namespace
}  // namespace ledger::core::testing
