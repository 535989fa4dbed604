// Aligned views of bytes for readers that access scalars in place
// (FlatBuffers verifies alignment relative to the buffer's start). Not
// thread-safe: one AlignedCopy per reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ledger::base {

// The largest alignment a FlatBuffers payload needs (its 8-byte scalars).
inline constexpr std::size_t kPayloadAlignment = alignof(uint64_t);

class AlignedCopy {
 public:
  // `bytes` itself when it starts on a kPayloadAlignment boundary, otherwise
  // a copy held here. The view lives until the next call or this object's end.
  std::string_view Aligned(std::string_view bytes);

 private:
  std::vector<uint64_t> words_;
};

}  // namespace ledger::base
