#include "ledger/http/metrics.h"

#include <fmt/format.h>

#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace ledger::http {
namespace {

// Seconds: 1 ms .. 10 s.
const std::vector<double> kLatencyBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

std::string EscapeLabel(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  return fmt::format("{}", v);
}

// Appends the _bucket/_sum/_count lines of a histogram named `name`, with
// extra labels (`route="/x"`; empty for none).
void RenderHistogram(std::string& out, const Histogram& histogram, std::string_view name, std::string_view labels) {
  Histogram::Reading r = histogram.Read();
  std::string sep = labels.empty() ? "" : ",";
  for (std::size_t i = 0; i < r.cumulative.size(); ++i) {
    std::string le = i < r.bounds.size() ? FormatValue(r.bounds[i]) : "+Inf";
    out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, le, r.cumulative[i]);
  }
  std::string braces = labels.empty() ? "" : fmt::format("{{{}}}", labels);
  out += fmt::format("{}_sum{} {}\n", name, braces, FormatValue(r.sum));
  out += fmt::format("{}_count{} {}\n", name, braces, r.cumulative.back());
}

}  // namespace

Metrics::Metrics() = default;

namespace {

// The method as a label: a client may send any token as a method, and every
// distinct label would be a series kept for ever, so the rest are "other".
std::string_view MethodLabel(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "other";
}

}  // namespace

void Metrics::ObserveRequest(std::string_view method, std::string_view route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{std::string(MethodLabel(method)), std::string(route), status}];
  auto it = latency_.find(route);
  if (it == latency_.end()) {
    it = latency_.emplace(std::string(route), std::make_unique<Histogram>(kLatencyBounds)).first;
  }
  it->second->Observe(seconds);
}

void Metrics::AddCounter(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  callbacks_[std::move(name)] = Callback{"counter", std::move(help), std::move(read)};
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read, std::string labels) {
  std::lock_guard lock(mu_);
  callbacks_[std::move(name)] = Callback{"gauge", std::move(help), std::move(read), std::move(labels)};
}

Histogram& Metrics::AddHistogram(std::string name, std::string help, std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  auto it = histograms_.find(name);
  if (it == histograms_.end()) {
    auto owned = std::make_unique<Histogram>(std::move(bounds));
    const Histogram* histogram = owned.get();
    it = histograms_.emplace(std::move(name), Owned{std::move(help), std::move(owned), histogram}).first;
  }
  return *it->second.owned;
}

void Metrics::AddHistogram(std::string name, std::string help, const Histogram& borrowed) {
  std::lock_guard lock(mu_);
  histograms_[std::move(name)] = Owned{std::move(help), nullptr, &borrowed};
}

void Metrics::AddGaugeFamily(std::string name, std::string help,
                             std::function<std::vector<std::pair<std::string, double>>()> read) {
  std::lock_guard lock(mu_);
  families_[std::move(name)] = Family{std::move(help), std::move(read)};
}

std::string Metrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP ledger_http_requests_total HTTP requests by method, route pattern and status.\n";
  out += "# TYPE ledger_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out += fmt::format("ledger_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                       EscapeLabel(method), EscapeLabel(route), status, count);
  }
  out += "# HELP ledger_http_request_duration_seconds Time from request read to response ready, by route.\n";
  out += "# TYPE ledger_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency_) {
    RenderHistogram(out, *histogram, "ledger_http_request_duration_seconds",
                    fmt::format("route=\"{}\"", EscapeLabel(route)));
  }
  for (const auto& [name, cb] : callbacks_) {
    std::string braces = cb.labels.empty() ? "" : fmt::format("{{{}}}", cb.labels);
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{}{} {}\n", name, cb.help, name, cb.type, name, braces,
                       FormatValue(cb.read()));
  }
  for (const auto& [name, owned] : histograms_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} histogram\n", name, owned.help, name);
    RenderHistogram(out, *owned.histogram, name, "");
  }
  for (const auto& [name, family] : families_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, family.help, name);
    for (const auto& [labels, value] : family.read()) {
      out += fmt::format("{}{{{}}} {}\n", name, labels, FormatValue(value));
    }
  }
  return out;
}

namespace {

// /proc/self/stat, the fields after the command name (which may hold spaces
// and parentheses, so they start after the last ')'): field 3 is the first.
std::vector<std::string> ProcStatFields() {
  std::ifstream in("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t close = text.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream rest(text.substr(close + 1));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

// Field `n` (as proc(5) numbers them, from 3) of /proc/self/stat; 0 when absent.
double ProcStatField(const std::vector<std::string>& fields, size_t n) {
  return n >= 3 && n - 3 < fields.size() ? std::strtod(fields[n - 3].c_str(), nullptr) : 0;
}

double ClockTicks() { return static_cast<double>(::sysconf(_SC_CLK_TCK)); }

// Seconds since the epoch at which the machine booted ("btime" of /proc/stat).
double BootTime() {
  std::ifstream in("/proc/stat");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("btime ")) return std::strtod(line.c_str() + 6, nullptr);
  }
  return 0;
}

}  // namespace

void AddProcessMetrics(Metrics& metrics, std::string_view version) {
  metrics.AddCounter("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", [] {
    auto f = ProcStatFields();
    return (ProcStatField(f, 14) + ProcStatField(f, 15)) / ClockTicks();
  });
  metrics.AddGauge("process_resident_memory_bytes", "Resident memory size in bytes.",
                   [] { return ProcStatField(ProcStatFields(), 24) * static_cast<double>(::sysconf(_SC_PAGESIZE)); });
  metrics.AddGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                   [] { return ProcStatField(ProcStatFields(), 23); });
  const double start = BootTime() + ProcStatField(ProcStatFields(), 22) / ClockTicks();
  metrics.AddGauge("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.",
                   [start] { return start; });
  metrics.AddGauge("process_open_fds", "Open file descriptors.", [] {
    std::error_code ec;
    double open = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
      ++open;
    }
    return open;
  });
  metrics.AddGauge("process_max_fds", "The most file descriptors the process may open.", [] {
    struct rlimit limit {};
    return ::getrlimit(RLIMIT_NOFILE, &limit) == 0 ? static_cast<double>(limit.rlim_cur) : 0;
  });
  metrics.AddGauge(
      "ledger_build_info", "The ledger's version; always 1.", [] { return 1.0; },
      fmt::format("version=\"{}\"", EscapeLabel(version)));
}

}  // namespace ledger::http
