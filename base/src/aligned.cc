#include "ledger/base/aligned.h"

#include <cstring>

namespace ledger::base {

std::string_view AlignedCopy::Aligned(std::string_view bytes) {
  if (bytes.empty() || reinterpret_cast<std::uintptr_t>(bytes.data()) % kPayloadAlignment == 0) return bytes;
  words_.resize((bytes.size() + sizeof(uint64_t) - 1) / sizeof(uint64_t));
  std::memcpy(words_.data(), bytes.data(), bytes.size());
  return std::string_view(reinterpret_cast<const char*>(words_.data()), bytes.size());
}

}  // namespace ledger::base
