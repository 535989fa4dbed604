#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "ledger/base/aligned.h"

namespace ledger::base {
namespace {

bool IsAligned(std::string_view v) { return reinterpret_cast<std::uintptr_t>(v.data()) % kPayloadAlignment == 0; }

TEST_CASE("aligned bytes are used in place; misaligned ones are copied to an aligned buffer") {
  alignas(8) char buffer[40] = "0123456789abcdefghijklmnopqrstuvwxyz";
  AlignedCopy copy;
  std::string_view aligned(buffer, 20);
  CHECK(copy.Aligned(aligned).data() == buffer);
  for (size_t offset = 1; offset < 8; ++offset) {
    CAPTURE(offset);
    std::string_view shifted(buffer + offset, 21);
    std::string_view view = copy.Aligned(shifted);
    CHECK(IsAligned(view));
    CHECK(view.data() != shifted.data());
    CHECK(view == shifted);
  }
  CHECK(copy.Aligned(std::string_view()).empty());
}

}  // namespace
}  // namespace ledger::base
