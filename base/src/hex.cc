#include "ledger/base/hex.h"

#include <algorithm>
#include <vector>

namespace ledger::base {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

// Decodes 2 * n digits of `hex` into out[0..n); false at the first non-digit.
bool Decode(std::string_view hex, uint8_t* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    int hi = HexDigitValue(hex[2 * i]);
    int lo = HexDigitValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

}  // namespace

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string ToHex(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

std::string ToHex(std::string_view bytes) {
  return ToHex(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

bool FromHex(std::string_view hex, std::string* out) {
  if (hex.size() % 2 != 0) return false;
  out->assign(hex.size() / 2, '\0');
  return Decode(hex, reinterpret_cast<uint8_t*>(out->data()), out->size());
}

bool FromHex(std::string_view hex, std::span<uint8_t> out) {
  if (hex.size() != out.size() * 2) return false;
  std::vector<uint8_t> parsed(out.size());
  if (!Decode(hex, parsed.data(), parsed.size())) return false;
  std::copy(parsed.begin(), parsed.end(), out.begin());
  return true;
}

}  // namespace ledger::base
