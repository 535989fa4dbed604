#include "ledger/eventstore/envelope.h"

#include <charconv>
#include <optional>

#include "ledger/eventstore/event_store.h"

namespace ledger::es {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string HashToHex(const Hash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(hash.size() * 2);
  for (uint8_t b : hash) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

bool HashFromHex(const std::string& hex, Hash* out) {
  if (hex.size() != out->size() * 2) return false;
  Hash parsed{};
  for (size_t i = 0; i < parsed.size(); ++i) {
    int hi = HexValue(hex[2 * i]);
    int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    parsed[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  *out = parsed;
  return true;
}

std::optional<ExpectedVersion> ExpectedVersion::Parse(std::string_view text) {
  if (text == "any") return Any();
  if (text == "no-stream") return NoStream();
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return Exact(v);
}

}  // namespace ledger::es
