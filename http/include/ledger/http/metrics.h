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

#include "ledger/base/histogram.h"

namespace ledger::http {

using base::Histogram;

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
  // A histogram owned and observed elsewhere (the event store's), read at
  // scrape time. REQUIRES it outlives the registry.
  void AddHistogram(std::string name, std::string help, const Histogram& borrowed);
  // A gauge with one series per label set, read at scrape time: each pair is
  // the labels (`projection="claims"`, values escaped by the caller) and the value.
  void AddGaugeFamily(std::string name, std::string help,
                      std::function<std::vector<std::pair<std::string, double>>()> read);

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
    std::unique_ptr<Histogram> owned;  // null for a borrowed one
    const Histogram* histogram = nullptr;
  };
  struct Family {
    std::string help;
    std::function<std::vector<std::pair<std::string, double>>()> read;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // method, route, status
  std::map<std::string, std::unique_ptr<Histogram>, std::less<>> latency_;  // by route
  std::map<std::string, Callback> callbacks_;
  std::map<std::string, Owned> histograms_;
  std::map<std::string, Family> families_;
};

// The process's own figures under the names Prometheus' client libraries give
// them, read from /proc at scrape time: process_cpu_seconds_total,
// process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds; and
// ledger_build_info{version="<version>"} 1.
void AddProcessMetrics(Metrics& metrics, std::string_view version);

}  // namespace ledger::http
