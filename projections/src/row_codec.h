// Internal: the compact binary encoding of projection rows and key fields.
//
// Rows are sequences of varints (unsigned), zig-zag varints (signed) and
// length-prefixed strings, written and read in the same order by each row
// type's Encode/Decode. Deterministic: the same row always has the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/base/big_endian.h"

namespace ledger::projections::internal {

// 8-byte big-endian (base/big_endian.h), so that keys sort numerically.
using base::AppendBE64;
using base::ReadBE64;  // REQUIRES: bytes.size() >= 8
// Signed times sort correctly with the sign bit flipped.
inline uint64_t OrderedTime(int64_t t) { return static_cast<uint64_t>(t) ^ (uint64_t{1} << 63); }
inline int64_t FromOrderedTime(uint64_t v) { return static_cast<int64_t>(v ^ (uint64_t{1} << 63)); }

class RowWriter {
 public:
  RowWriter& U(uint64_t v);
  RowWriter& I(int64_t v);
  RowWriter& B(bool v) { return U(v ? 1 : 0); }
  RowWriter& S(std::string_view s);
  RowWriter& Strings(const std::vector<std::string>& v);
  RowWriter& Ints(const std::vector<int64_t>& v);
  std::string Take() { return std::move(out_); }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

// Reads what RowWriter wrote; after a malformed or short input every read
// returns zero values and ok() is false.
class RowReader {
 public:
  explicit RowReader(std::string_view in) : in_(in) {}
  uint64_t U();
  int64_t I();
  bool B() { return U() != 0; }
  std::string S();
  std::vector<std::string> Strings();
  std::vector<int64_t> Ints();
  bool ok() const { return ok_; }

 private:
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace ledger::projections::internal
