#include "row_codec.h"

namespace ledger::projections::internal {

RowWriter& RowWriter::U(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
  return *this;
}

RowWriter& RowWriter::I(int64_t v) { return U((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }

RowWriter& RowWriter::S(std::string_view s) {
  U(s.size());
  out_.append(s);
  return *this;
}

RowWriter& RowWriter::Strings(const std::vector<std::string>& v) {
  U(v.size());
  for (const auto& s : v) S(s);
  return *this;
}

RowWriter& RowWriter::Ints(const std::vector<int64_t>& v) {
  U(v.size());
  for (int64_t i : v) I(i);
  return *this;
}

uint64_t RowReader::U() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in_.empty()) {
      ok_ = false;
      return 0;
    }
    uint8_t byte = static_cast<uint8_t>(in_.front());
    in_.remove_prefix(1);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return v;
  }
  ok_ = false;
  return 0;
}

int64_t RowReader::I() {
  uint64_t u = U();
  return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

std::string RowReader::S() {
  uint64_t n = U();
  if (!ok_ || n > in_.size()) {
    ok_ = false;
    return {};
  }
  std::string s(in_.substr(0, n));
  in_.remove_prefix(n);
  return s;
}

std::vector<std::string> RowReader::Strings() {
  uint64_t n = U();
  std::vector<std::string> v;
  for (uint64_t i = 0; ok_ && i < n; ++i) v.push_back(S());
  return v;
}

std::vector<int64_t> RowReader::Ints() {
  uint64_t n = U();
  std::vector<int64_t> v;
  for (uint64_t i = 0; ok_ && i < n; ++i) v.push_back(I());
  return v;
}

}  // namespace ledger::projections::internal
