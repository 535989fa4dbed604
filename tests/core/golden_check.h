// Checks of sample events against golden files:
//  - CheckJsonGolden: their JSON, one serialized object per line. The file is
//    written once (LEDGER_WRITE_GOLDEN=1 when it is missing) and pins the JSON
//    the API documents, so JSON from the events' descriptions stays the same.
//  - CheckEncodingGolden: Encode writes every event byte for byte as the golden
//    payload file of its schema version holds it ("<type> <version> <hex>").
#pragma once

#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/core/codec.h"
#include "ledger/core/domain.h"

namespace ledger::core::testing {

inline void CheckJsonGolden(const std::string& path, const std::vector<Event>& events) {
  if (!std::filesystem::exists(path) && std::getenv("LEDGER_WRITE_GOLDEN") != nullptr) {
    std::ofstream out(path);
    for (const Event& e : events) out << boost::json::serialize(ToJson(e)) << '\n';
  }
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "missing " << path);
  std::string line;
  size_t i = 0;
  while (std::getline(in, line)) {
    REQUIRE(i < events.size());
    INFO("line ", i + 1, ": ", EventTypeName(events[i]));
    CHECK(boost::json::serialize(ToJson(events[i])) == line);
    ++i;
  }
  CHECK(i == events.size());
}

inline void CheckEncodingGolden(const std::string& path, const std::vector<Event>& events) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "missing " << path);
  std::string line;
  size_t i = 0;
  while (std::getline(in, line)) {
    REQUIRE(i < events.size());
    INFO("line ", i + 1, ": ", EventTypeName(events[i]));
    std::istringstream fields(line);
    std::string type, hex;
    uint32_t version = 0;
    fields >> type >> version >> hex;
    const EncodedEvent encoded = Encode(events[i]);
    std::string encoded_hex;
    for (unsigned char c : encoded.payload) {
      encoded_hex += kDigits[c >> 4];
      encoded_hex += kDigits[c & 15];
    }
    CHECK(encoded.type == type);
    CHECK(encoded.schema_version == version);
    CHECK(encoded_hex == hex);
    ++i;
  }
  CHECK(i == events.size());
}

}  // namespace ledger::core::testing
