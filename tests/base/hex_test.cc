#include <doctest/doctest.h>

#include <array>

#include "ledger/base/hex.h"

namespace ledger::base {
namespace {

TEST_CASE("hex is written in lower case, two digits a byte") {
  CHECK(ToHex(std::string_view("\x00\x0f\xa0\xff", 4)) == "000fa0ff");
  const std::array<uint8_t, 3> bytes{0xde, 0xad, 0x01};
  CHECK(ToHex(bytes) == "dead01");
  CHECK(ToHex(std::string_view()) == "");
}

TEST_CASE("hex is read in either case and refused when odd or not hex") {
  std::string out;
  REQUIRE(FromHex("000FA0ff", &out));
  CHECK(out == std::string("\x00\x0f\xa0\xff", 4));
  CHECK_FALSE(FromHex("abc", &out));
  CHECK_FALSE(FromHex("zz", &out));
  CHECK_FALSE(FromHex("0g", &out));
  REQUIRE(FromHex("", &out));
  CHECK(out.empty());
}

TEST_CASE("hex into a fixed buffer needs exactly its length and leaves it untouched on failure") {
  std::array<uint8_t, 2> out{7, 7};
  CHECK_FALSE(FromHex("abcdef", out));
  CHECK_FALSE(FromHex("ab", out));
  CHECK_FALSE(FromHex("abcg", out));
  CHECK(out == std::array<uint8_t, 2>{7, 7});
  REQUIRE(FromHex("ABcd", out));
  CHECK(out == std::array<uint8_t, 2>{0xab, 0xcd});
}

TEST_CASE("every byte survives hex and back") {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  std::string back;
  REQUIRE(FromHex(ToHex(all), &back));
  CHECK(back == all);
}

}  // namespace
}  // namespace ledger::base
