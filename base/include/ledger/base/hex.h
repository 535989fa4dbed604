// Hexadecimal text of bytes: lower-case to write, either case to read. Pure;
// thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ledger::base {

// The value of one hex digit (either case), or -1 for any other character.
int HexDigitValue(char c);

// "00ff..." : two lower-case digits a byte.
std::string ToHex(std::span<const uint8_t> bytes);
std::string ToHex(std::string_view bytes);

// The bytes of `hex` (digits in either case) into *out. False, with *out
// unspecified, for an odd length or a character that is not a digit.
bool FromHex(std::string_view hex, std::string* out);
// Exactly out.size() bytes: false, with `out` untouched, unless `hex` is
// 2 * out.size() digits.
bool FromHex(std::string_view hex, std::span<uint8_t> out);

}  // namespace ledger::base
