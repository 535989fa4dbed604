// Fixed-width unsigned integers as big-endian bytes: the one encoding of
// numbers inside keys and records (the log's positions and record fields,
// the read models' positions and times, a stream state's version), so that
// keys sort numerically. Pure; header-only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ledger::base {

inline void AppendBE32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}
inline void AppendBE64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}
// REQUIRES: bytes.size() >= 4.
inline uint32_t ReadBE32(std::string_view bytes) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  return v;
}
// REQUIRES: bytes.size() >= 8.
inline uint64_t ReadBE64(std::string_view bytes) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  return v;
}

}  // namespace ledger::base
