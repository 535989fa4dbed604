// Every event payload decoder on arbitrary bytes. Input: the event type, a
// newline, then the payload. A payload that decodes must encode again to a
// payload that decodes to the same type.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ledger/core/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  std::string_view type = input.substr(0, newline);
  std::string_view payload = input.substr(newline + 1);
  auto event = ledger::core::Decode(type, 1, payload);
  if (!event.ok()) return 0;
  ledger::core::EncodedEvent encoded = ledger::core::Encode(event.value());
  auto again = ledger::core::Decode(encoded.type, encoded.schema_version, encoded.payload);
  if (!again.ok() || encoded.type != type) std::abort();
  return 0;
}
