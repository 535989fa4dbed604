// Internal: integer statistics for reports (deterministic: no floating point).
#pragma once

#include <cstdint>
#include <vector>

namespace ledger::projections::internal {

// Round-half-up division of a non-negative numerator by a positive divisor.
inline int64_t DivideRoundHalfUp(int64_t numerator, int64_t divisor) {
  return (2 * numerator + divisor) / (2 * divisor);
}

// The k-th quartile (k = 1, 2, 3) of ascending values by linear interpolation
// between closest ranks (h = (n - 1) k / 4), rounded half up. REQUIRES: non-empty.
inline int64_t Quartile(const std::vector<int64_t>& sorted, int k) {
  const int64_t num = static_cast<int64_t>(sorted.size() - 1) * k;
  const int64_t lo = num / 4, frac = num % 4;
  if (frac == 0) return sorted[lo];
  return sorted[lo] + DivideRoundHalfUp(frac * (sorted[lo + 1] - sorted[lo]), 4);
}

// The nearest-rank p-th percentile (the smallest value with at least p% of
// the values at or below it). REQUIRES: non-empty, 0 < p <= 100.
inline int64_t NearestRank(const std::vector<int64_t>& sorted, int p) {
  const int64_t n = static_cast<int64_t>(sorted.size());
  int64_t rank = (p * n + 99) / 100;
  if (rank < 1) rank = 1;
  return sorted[rank - 1];
}

}  // namespace ledger::projections::internal
