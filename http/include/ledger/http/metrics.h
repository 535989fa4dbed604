// Metrics: counters, gauges and histograms rendered as Prometheus text for
// GET /metrics.
//
// The router records every request (by method, route pattern and status, and
// a latency histogram). The application adds its own figures either as
// callbacks read at scrape time (appends, projection lag) or as Histograms it
// owns and observes into (fsync batch sizes). Thread-safe throughout.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace ledger::http {

class Histogram {
 public:
  // REQUIRES bounds ascending. An implicit +Inf bucket is always present.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);
  // Appends the _bucket/_sum/_count lines for name with extra labels
  // (e.g. `route="/x"`; empty for none).
  void Render(std::string& out, std::string_view name, std::string_view labels) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

class Metrics {
 public:
  Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Called by the router once per request. A method other than GET, HEAD,
  // POST, PUT, PATCH, DELETE and OPTIONS is counted as "other".
  void ObserveRequest(std::string_view method, std::string_view route, int status, double seconds);

  // A value read at scrape time. name must be a valid Prometheus metric name
  // ("ledger_appends_total"); registering a name twice replaces the callback.
  // `labels`, when given, are rendered inside braces after the name
  // (`version="0.1.0"`; values escaped by the caller).
  void AddCounter(std::string name, std::string help, std::function<double()> read);
  void AddGauge(std::string name, std::string help, std::function<double()> read, std::string labels = "");
  // A histogram the application observes into; the reference stays valid for
  // the life of the registry. Registering a name twice returns the same one.
  Histogram& AddHistogram(std::string name, std::string help, std::vector<double> bounds);

  // Prometheus text exposition format 0.0.4.
  std::string Render() const;

 private:
  struct Callback {
    std::string type;  // "counter" | "gauge"
    std::string help;
    std::function<double()> read;
    std::string labels;
  };
  struct Owned {
    std::string help;
    std::unique_ptr<Histogram> histogram;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // method, route, status
  std::map<std::string, std::unique_ptr<Histogram>, std::less<>> latency_;  // by route
  std::map<std::string, Callback> callbacks_;
  std::map<std::string, Owned> histograms_;
};

// The process's own figures under the names Prometheus' client libraries give
// them, read from /proc at scrape time: process_cpu_seconds_total,
// process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds; and
// ledger_build_info{version="<version>"} 1.
void AddProcessMetrics(Metrics& metrics, std::string_view version);

}  // namespace ledger::http
