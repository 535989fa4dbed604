// A histogram of observations over fixed upper bounds, without locks: the
// event store's group commit and the HTTP router observe into one, GET
// /metrics reads it (rendered by http::Metrics as Prometheus text).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace ledger::base {

class Histogram {
 public:
  // REQUIRES bounds ascending. A last, unbounded bucket is always present.
  explicit Histogram(std::vector<double> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void Observe(double value);

  struct Reading {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // observations <= bounds[i]; the last entry counts all of them
    double sum = 0;
  };
  // The counts so far. Concurrent observations may be seen in some buckets and
  // not yet in others, never lost.
  Reading Read() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
};

}  // namespace ledger::base
