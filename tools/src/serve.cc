// ledger serve: the HTTP API over the event store and the read models.
//
// Opens <data>/events (the log), <data>/projections (read models, caught up
// and then fed live), keeps evidence under <data>/evidence, and serves until
// SIGINT/SIGTERM, then finishes in-flight requests and closes the store.
// --demo on an empty data directory first loads a simulated history of two
// sub-ICB commissioners and creates the demo accounts.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <malloc.h>
#include <boost/asio/ip/address.hpp>
#include <boost/json/object.hpp>

#include "ledger/app/command_bus.h"
#include "ledger/app/credentials.h"
#include "ledger/app/ledger.h"
#include "ledger/base/time.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "ledger/http/api.h"
#include "ledger/http/auth.h"
#include "ledger/http/metrics.h"
#include "ledger/http/router.h"
#include "ledger/http/server.h"
#include "ledger/portal/portal.h"
#include "ledger/projections/projection_db.h"
#include "ledger/tools/simulator.h"
#include "serve.h"

namespace ledger::tools {

namespace {

// The memory held for one database: RocksDB's memtables fill up to their write
// buffers and its block cache to its capacity, our caches in front of it up to
// their limits, then they stay there. The soak test subtracts these from the
// resident size to see whether anything else grows.
void AddMemoryGauges(http::Metrics& metrics, const std::string& prefix, const std::string& what,
                     const std::function<es::MemoryUsage()>& read) {
  metrics.AddGauge(prefix + "_memtable_bytes", "Bytes in the memtables of " + what,
                   [read] { return static_cast<double>(read().memtables); });
  metrics.AddGauge(prefix + "_block_cache_bytes", "Bytes in the block cache of " + what,
                   [read] { return static_cast<double>(read().block_cache); });
  metrics.AddGauge(prefix + "_table_readers_bytes", "Bytes of index and filter blocks held for " + what,
                   [read] { return static_cast<double>(read().table_readers); });
  metrics.AddGauge(prefix + "_cache_bytes", "Heap bytes of the ledger's own caches in front of " + what,
                   [read] { return static_cast<double>(read().caches); });
}

constexpr char kDefaultDemoPassword[] = "demo-password-2026";
// The first 61 practices of the file: every practice of sub-ICB locations 00L and 00N.
constexpr int kDemoPractices = 61;
constexpr int kDemoMonths = 3;

struct ServeArgs {
  std::string data = "./data";
  std::string listen = "127.0.0.1:8080";
  bool demo = false;
  std::string demo_password = kDefaultDemoPassword;
  int threads = 0;
  int command_threads = 64;
  int64_t max_connections = 0;  // 0 = derived from the descriptor limit
  int64_t cache_mib = 256;      // the ledger's own caches: a third the log's, the rest the read models'
  std::string practices = DefaultPracticesPath();
  std::string portal;  // "" = the templates and assets of the build tree
  std::vector<std::string> trusted_proxies;
  std::string tls_certificate;  // PEM files; both empty for plain HTTP
  std::string tls_key;
};

// The store's clock: the simulated calendar while the demo history loads, the
// wall clock afterwards.
class DemoClock final : public es::Clock {
 public:
  int64_t NowMicros() const override {
    return simulating_.load() ? simulated_.NowMicros() : es::SystemClock().NowMicros();
  }
  SimulatedClock& simulated() { return simulated_; }
  void Simulating(bool on) { simulating_.store(on); }

 private:
  SimulatedClock simulated_;
  std::atomic<bool> simulating_{false};
};

struct DemoAccount {
  std::string username;
  std::string org;
  core::Role role;
  std::string description;
};

// "YYYY-MM" of the month `back` months before the current one.
std::string MonthsAgo(int back) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  const base::CivilDate today = base::CivilFromDays(base::DayOf(micros));
  int months = today.year * 12 + today.month - 1 - back;
  return base::FormatYearMonth(months / 12, months % 12 + 1);
}

std::optional<core::OrgState> LoadOrg(app::CommandBus& bus, const std::string& code) {
  auto loaded = bus.LoadStream(core::OrgStream(code));
  if (!loaded.ok()) return std::nullopt;
  const auto* org = std::get_if<core::OrgState>(&loaded->state);
  if (org == nullptr || !org->exists) return std::nullopt;
  return *org;
}

int LoadDemo(es::EventStore& store, app::CommandBus& bus, DemoClock& clock, const ServeArgs& args,
             std::vector<DemoAccount>* accounts) {
  fmt::print("Loading the demo history (the practices of two sub-ICB commissioners, {} months)...\n", kDemoMonths);
  std::fflush(stdout);
  std::string hash = app::HashPassword(args.demo_password);
  SimulationOptions options;
  options.seed = 2026;
  options.months = kDemoMonths;
  options.practices_limit = kDemoPractices;
  options.csv_path = args.practices;
  options.start_month = MonthsAgo(kDemoMonths + 1);
  options.clock = &clock.simulated();
  options.password_hash = [hash] { return hash; };
  options.unreviewed_in_last_month = 0.3;  // the demo's approvers find work waiting for them
  auto started = std::chrono::steady_clock::now();
  clock.Simulating(true);
  auto report = Simulate(store, options);
  clock.Simulating(false);
  if (!report.ok()) {
    // The events before the failure are stored; the demo is still useful if the organisations, people and
    // services were set up, which the checks below establish.
    fmt::print("The simulated history stopped early ({}); serving the {} events loaded before it.\n",
               report.status().ToString(), store.GetHead().position);
  }

  // The demo people: the first commissioner, a multi-level and a single-level practice of it.
  auto rows = ReadPractices(args.practices);
  if (!rows.ok()) return Fail(kExitFailed, "cannot read the practices file: " + rows.status().ToString());
  std::string commissioner = rows->front().commissioner;
  std::string multi, single;
  for (const PracticeRow& row : *rows) {
    if (row.commissioner != commissioner || (!multi.empty() && !single.empty())) break;
    auto org = LoadOrg(bus, row.code);
    if (!org) continue;
    std::string& slot = org->approval_mode == core::ApprovalMode::kMultiLevel ? multi : single;
    if (slot.empty()) slot = row.code;
  }
  if (multi.empty() || single.empty())
    return Fail(kExitFailed, "the demo history has no multi-level and single-level practice pair");
  using core::Role;
  *accounts = {
      {"admin", std::string(core::kSystemOrgCode), Role::kOperator, "system operator"},
      {"icb.admin", commissioner, Role::kCommissionerAdmin, "commissioner administrator"},
      {"tier1", commissioner, Role::kApproverTier1, "Tier 1 approver (vets evidence)"},
      {"tier2", commissioner, Role::kApproverTier2, "Tier 2 approver (approves the money, holds, payment runs)"},
      {"finance", commissioner, Role::kFinance, "finance approver (claims of 15,000 pounds or more)"},
      {"auditor", commissioner, Role::kAuditor, "auditor (events, verify, reports)"},
      {"practice.user", multi, Role::kProviderUser, "prepares and submits claims (multi-level practice)"},
      {"practice.approver", multi, Role::kProviderApprover, "approves its practice's claims before the commissioner"},
      {"practice2.user", single, Role::kProviderUser, "prepares and submits claims (single-level practice)"},
  };
  for (const DemoAccount& a : *accounts) {
    core::RoleSet roles;
    roles.Add(a.role);
    if (a.username == "practice.user" || a.username == "practice2.user") roles.Add(Role::kProviderAdmin);
    core::CreateAccount command{a.username,
                                a.org,
                                "Demo " + a.description,
                                a.username + "@demo.invalid",
                                roles,
                                app::HashPassword(args.demo_password)};
    core::CommandMeta meta{"demo-account-" + a.username, "demo-accounts", "", WallClockMicros()};
    app::ExecuteResult result = bus.Execute(meta, command);
    if (!result.ok()) return Fail(kExitFailed, "cannot create demo account " + a.username + ": " + result.Describe());
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("Loaded the demo history: {} events in {:.1f} s.\n", store.GetHead().position, seconds);
  return kExitOk;
}

// The start-up check (EventStore::VerifyNewEvents): the hash chain from the
// last verified position to the head. Says on stderr what was found when the
// log is damaged; false only when the check itself could not run.
bool VerifyLogAtStart(es::EventStore& store, const DataDir& data) {
  const es::Head head = store.GetHead();
  const uint64_t from = store.Integrity().verified.position + 1;
  if (from <= head.position) {
    fmt::print("Verifying the event log from position {} to {}...\n", from, head.position);
    std::fflush(stdout);
  }
  auto report = store.VerifyNewEvents([&](uint64_t position) {
    if (position >= head.position) return;
    fmt::print("  verified to position {} of {}\n", position, head.position);
    std::fflush(stdout);
  });
  if (!report.ok()) {
    Fail(kExitFailed, fmt::format("cannot verify the event log in {}: {}; check the data directory and retry",
                                  data.events().string(), report.status().ToString()));
    return false;
  }
  if (report->ok) {
    if (from <= head.position) fmt::print("The event log is intact to position {}.\n", report->head.position);
    return true;
  }
  fmt::print(stderr,
             "ledger: the event log in {} FAILED VERIFICATION at position {}: {}. The server answers reads from the "
             "read models as they stood, but refuses every change (503) and does not feed the read models. Run "
             "`ledger verify --data {}` to see the damage, then restore from a backup taken before it "
             "(`ledger restore`).\n",
             data.events().string(), report->first_bad_position, report->problem, data.root().string());
  std::fflush(stderr);
  return true;
}

// /healthz: the log's start-up verification; 503 "damaged" when it failed.
http::HealthCheck LogHealth(es::EventStore& store) {
  es::IntegrityState state = store.Integrity();
  http::HealthCheck check;
  check.healthy = state.ok;
  check.status = state.ok ? "ok" : "damaged";
  boost::json::object log{{"verified", state.checked && state.ok}, {"verified_position", state.verified.position}};
  if (!state.ok) {
    log["damaged_position"] = state.bad_position;
    log["writes"] = "refused";
    log["action"] = "run `ledger verify` and restore from a backup taken before the damage";
  }
  check.log = std::move(log);
  return check;
}

void PrintDemoAccounts(const std::vector<DemoAccount>& accounts, const ServeArgs& args) {
  fmt::print("\nDemo accounts (password: {}{}):\n", args.demo_password,
             args.demo_password == kDefaultDemoPassword ? ", the default; choose another with --demo-password" : "");
  for (const DemoAccount& a : accounts) fmt::print("  {:<18} {:<7} {}\n", a.username, a.org, a.description);
  fmt::print("Simulated staff (e.g. 00l.tier1, a84002.user) sign in with the same password.\n");
}

// The store's and the read models' gauges and counters on /metrics.
void AddStoreMetrics(http::Metrics& metrics, app::Ledger& ledger) {
  es::EventStore* log = &ledger.store();
  metrics.AddGauge("ledger_projection_lag", "Log positions the read models are behind the head",
                   [&ledger] { return static_cast<double>(ledger.runner().Lag()); });
  metrics.AddGauge("ledger_log_head", "The log's head position",
                   [log] { return static_cast<double>(log->GetHead().position); });
  metrics.AddGauge("ledger_log_verified",
                   "1 when the start-up check found the log intact, 0 when it found damage (changes refused)",
                   [log] { return log->Integrity().ok ? 1.0 : 0.0; });
  metrics.AddGauge("ledger_log_verified_position", "The last log position proven intact (recorded in the store)",
                   [log] { return static_cast<double>(log->Integrity().verified.position); });
  metrics.AddGauge("ledger_log_damaged_position", "The log position that failed the start-up check (0: none)",
                   [log] { return static_cast<double>(log->Integrity().bad_position); });
  metrics.AddCounter("ledger_appends_total", "Commands appended to the log",
                     [log] { return static_cast<double>(log->Stats().appends); });
  metrics.AddCounter("ledger_events_appended_total", "Events appended to the log",
                     [log] { return static_cast<double>(log->Stats().events); });
  metrics.AddCounter("ledger_fsync_batches_total", "Group-commit batches (one fsync each)",
                     [log] { return static_cast<double>(log->Stats().batches); });
  metrics.AddGauge("ledger_fsync_batch_max_commands", "The most commands one fsync carried",
                   [log] { return static_cast<double>(log->Stats().max_batch_commands); });
  const es::WriteHistograms& writes = log->Histograms();
  metrics.AddHistogram("ledger_append_duration_seconds",
                       "Time from a command's append to its acknowledgement, waiting for its group included",
                       writes.append_seconds);
  metrics.AddHistogram("ledger_fsync_duration_seconds", "Time each group-commit batch took to write and fsync",
                       writes.write_seconds);
  metrics.AddHistogram("ledger_fsync_batch_commands", "Commands each group-commit batch (one fsync) carried",
                       writes.batch_commands);
  metrics.AddGaugeFamily("ledger_projection_lag_by_projection", "Log positions each read model is behind the head",
                         [log, read_models = &ledger.projections()] {
                           std::vector<std::pair<std::string, double>> lags;
                           uint64_t head = log->GetHead().position;
                           for (const std::string& name : projections::ProjectionDb::ProjectionNames()) {
                             uint64_t applied = read_models->Checkpoint(name).value_or(0);
                             lags.emplace_back(fmt::format("projection=\"{}\"", name),
                                               static_cast<double>(head > applied ? head - applied : 0));
                           }
                           return lags;
                         });
  // The command path's folded states are a cache in front of the log too.
  AddMemoryGauges(metrics, "ledger_log", "the event log", [log, bus = &ledger.bus()] {
    es::MemoryUsage usage = log->Memory();
    usage.caches += bus->cache_bytes();
    return usage;
  });
  AddMemoryGauges(metrics, "ledger_projections", "the read models",
                  [read_models = &ledger.projections()] { return read_models->Memory(); });
  // The C library's heap (glibc mallinfo2, every arena): what is allocated now,
  // and what was freed but is still held by the process. The resident size
  // does not fall when RocksDB frees a flushed memtable, because the heap keeps
  // the pages for reuse; heap in use does.
  metrics.AddGauge("ledger_heap_in_use_bytes", "Bytes allocated on the heap now (mallocs not yet freed)", [] {
    const struct mallinfo2 heap = mallinfo2();
    return static_cast<double>(heap.uordblks + heap.hblkhd);
  });
  metrics.AddGauge("ledger_heap_free_bytes", "Bytes freed but still held by the heap for reuse",
                   [] { return static_cast<double>(mallinfo2().fordblks); });
}

// The portal's dependencies: the templates and assets of --portal, or of the build tree.
http::PortalDeps PortalDepsFor(app::Ledger& ledger, const ServeArgs& args) {
  http::PortalDeps deps;
  deps.ledger = &ledger;
  deps.templates_dir = args.portal.empty() ? http::DefaultPortalTemplatesDir() : args.portal + "/templates";
  deps.static_dir = args.portal.empty() ? http::DefaultPortalStaticDir() : args.portal + "/static";
  return deps;
}

// Where the server listens, the API's address and, with --demo, the demo accounts.
void PrintServing(const std::string& host, uint16_t port, const DataDir& data, uint64_t head, const ServeArgs& args,
                  bool demo_loaded, const std::vector<DemoAccount>& demo_accounts) {
  std::string shown_host = host.empty() || host == "0.0.0.0" ? "127.0.0.1" : host;
  if (shown_host.find(':') != std::string::npos) shown_host = "[" + shown_host + "]";
  const char* scheme = args.tls_certificate.empty() ? "http" : "https";
  fmt::print("ledger serving {} (log head {}) at {}://{}:{}/\n", data.root().string(), head, scheme, shown_host, port);
  fmt::print("API: {}://{}:{}/api/v1 (sign in with POST /api/v1/session); health: /healthz; metrics: /metrics\n",
             scheme, shown_host, port);
  if (demo_loaded) {
    PrintDemoAccounts(demo_accounts, args);
  } else if (args.demo) {
    fmt::print(
        "The data directory already holds a history, so no demo data was loaded; the demo accounts "
        "(admin, icb.admin, tier1, tier2, finance, auditor, practice.user, practice.approver, "
        "practice2.user) keep the password they were given at first start.\n");
  }
}

// What is wrong with the options ("" when nothing is); sets the address to listen on.
std::string ServeArgsError(const ServeArgs& args, std::string* host, uint16_t* port) {
  if (!http::ParseListenAddress(args.listen, host, port)) return "--listen must be HOST:PORT, e.g. 127.0.0.1:8080";
  if (args.threads < 0 || args.threads > 256) return "--threads must be between 0 and 256";
  if (args.command_threads < 1 || args.command_threads > 1024) return "--command-threads must be between 1 and 1024";
  if (args.max_connections < 0 || args.max_connections > 1'000'000)
    return "--max-connections must be between 0 and 1000000";
  if (args.cache_mib < 3 || args.cache_mib > 65'536) return "--cache-mib must be between 3 and 65536";
  return {};
}

// One line of the JSON log on stderr, beside the request lines.
void LogEvent(std::string_view event, const boost::json::object& fields) {
  fmt::print(stderr, "{}\n", http::FormatEventLine(WallClockMicros(), "info", event, fields));
}

// Long: the composition root, wiring the store, the read models, the signing
// key, the API, the portal and the server in the order each needs the others;
// every step is a call, and the objects live as long as the server runs.
int RunServe(const CLI::App& app, const ServeArgs& args) {
  std::string host;
  uint16_t port = 0;
  if (std::string error = ServeArgsError(args, &host, &port); !error.empty()) return UsageError(app, error);
  const uint64_t cache_bytes = static_cast<uint64_t>(args.cache_mib) << 20;
  DataDir data(args.data);
  DemoClock clock;
  int exit_code = kExitOk;
  // A third for the log: half the store's caches, half the command path's folded states.
  auto store = OpenStoreForWriting(data, /*create_if_missing=*/true, &exit_code, &clock, cache_bytes / 6);
  if (!store) return exit_code;
  std::error_code ec;
  std::filesystem::create_directories(data.evidence(), ec);
  if (ec) return Fail(kExitFailed, fmt::format("cannot create {}: {}", data.evidence().string(), ec.message()));
  if (!VerifyLogAtStart(*store, data)) return kExitFailed;
  const bool log_intact = store->Integrity().ok;
  projections::ProjectionDbOptions db_options;
  db_options.cache_bytes = cache_bytes - cache_bytes / 3;
  auto db = projections::ProjectionDb::Open(data.projections().string(), db_options);
  if (!db.ok()) return Fail(kExitFailed, "cannot open the read models: " + db.status().ToString());
  app::LedgerOptions ledger_options;
  ledger_options.evidence_dir = data.evidence();
  ledger_options.state_cache_bytes = cache_bytes / 3 - cache_bytes / 6;
  app::Ledger ledger(std::move(store), std::move(db).value(), ledger_options);
  auto signing_key = app::OpenSigningKey(ledger.store(), data.signing_key());
  if (!signing_key.ok()) return Fail(kExitFailed, "cannot use the signing key: " + signing_key.status().message());
  ledger.SetSigningKey(std::move(signing_key).value());

  std::vector<DemoAccount> demo_accounts;
  bool demo_loaded = false;
  if (args.demo && log_intact && ledger.store().GetHead().position == 0) {
    if (int rc = LoadDemo(ledger.store(), ledger.bus(), clock, args, &demo_accounts); rc != kExitOk) return rc;
    demo_loaded = true;
  }
  if (log_intact) {  // read models are never fed from a log that failed verification
    if (es::Status s = ledger.StartProjections(); !s.ok())
      return Fail(kExitFailed, "cannot bring the read models up to date: " + s.ToString());
  }

  app::LogAccountDirectory accounts(ledger.bus(), ledger.store());
  http::Context context;
  context.accounts = &accounts;
  context.dummy_password_hash = app::HashPassword(http::RandomHex(16));
  context.AddRoutes(http::BuiltinRoutes());
  context.health = [log = &ledger.store()] { return LogHealth(*log); };
  http::ApiDeps deps(ledger);
  context.AddRoutes(http::ApiRoutes(deps));
  http::PortalDeps portal_deps = PortalDepsFor(ledger, args);
  try {
    context.AddRoutes(http::PortalRoutes(portal_deps));
  } catch (const std::exception& e) {
    return Fail(kExitFailed, std::string("cannot load the portal: ") + e.what());
  }
  AddStoreMetrics(context.metrics, ledger);
  http::AddProcessMetrics(context.metrics, LEDGER_VERSION);

  http::ServerOptions options;
  options.listen = args.listen;
  options.io_threads = args.threads;
  options.command_threads = args.command_threads;
  options.max_connections = static_cast<std::size_t>(args.max_connections);
  options.trusted_proxies = args.trusted_proxies;
  options.tls_certificate = args.tls_certificate;
  options.tls_key = args.tls_key;
  http::Server server(options, context);
  if (std::string error = server.Start(); !error.empty())
    return Fail(kExitFailed, fmt::format("cannot listen on {}: {}", args.listen, error));
  PrintServing(host, server.port(), data, ledger.store().GetHead().position, args, demo_loaded, demo_accounts);
  fmt::print("Press Ctrl+C to stop.\n");
  std::fflush(stdout);
  // The same in the JSON log (no password: those go to the terminal only).
  LogEvent("started", {{"version", LEDGER_VERSION},
                       {"listen", fmt::format("{}:{}", host, server.port())},
                       {"data", data.root().string()},
                       {"log_head", ledger.store().GetHead().position},
                       {"log_intact", log_intact},
                       {"demo_loaded", demo_loaded}});

  server.Run();
  deps.StopStreams();
  ledger.StopProjections();
  fmt::print("ledger serve stopped cleanly at log head {}.\n", ledger.store().GetHead().position);
  std::fflush(stdout);
  LogEvent("stopped", {{"log_head", ledger.store().GetHead().position}});
  return kExitOk;
}

// An IPv4 or IPv6 address, as the server compares them.
CLI::Validator IpAddress() {
  return {[](std::string& text) -> std::string {
            boost::system::error_code ec;
            boost::asio::ip::make_address(text, ec);
            return ec ? "not an IP address (like 10.0.0.2 or fd00::2): " + text : "";
          },
          "ADDRESS"};
}

}  // namespace

void RegisterServe(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the HTTP API server");
  cmd->add_option("--data", args->data, "Data directory (holds events/, projections/, evidence/)")
      ->capture_default_str()
      ->type_name("DIR");
  cmd->add_option("--listen", args->listen, "Address to listen on, HOST:PORT (port 0 picks a free one)")
      ->capture_default_str();
  cmd->add_flag("--demo", args->demo,
                "On an empty data directory, load a simulated history and create the demo accounts");
  cmd->add_option("--demo-password", args->demo_password, "Password of the demo accounts")->capture_default_str();
  cmd->add_option("--portal", args->portal,
                  "Portal directory with templates/ and static/ (default: the source templates and the built assets)");
  cmd->add_option("--threads", args->threads, "I/O threads (0 = one per core)")->capture_default_str();
  cmd->add_option("--command-threads", args->command_threads,
                  "Changes handled at once: each waits for its fsync and the read models on its thread, and those "
                  "in flight together share one fsync")
      ->capture_default_str();
  cmd->add_option("--max-connections", args->max_connections,
                  "Open connections at most; at the cap the oldest idle one is closed "
                  "(0 = the descriptor limit less 256 kept for the stores and files)")
      ->capture_default_str();
  cmd->add_option("--cache-mib", args->cache_mib,
                  "Memory for the ledger's own caches in front of RocksDB, in MiB: a third for the event log's (the "
                  "store's and the command path's folded states, half each), the rest for the read models' (each is "
                  "emptied and refilled when it passes its share)")
      ->capture_default_str();
  CLI::Option* certificate =
      cmd->add_option("--tls-cert", args->tls_certificate,
                      "Serve HTTPS (TLS 1.2 or later) with this certificate chain, a PEM file; needs --tls-key. "
                      "Session cookies are then Secure and answers carry Strict-Transport-Security")
          ->check(CLI::ExistingFile)
          ->type_name("FILE");
  CLI::Option* key = cmd->add_option("--tls-key", args->tls_key, "The certificate's private key, a PEM file")
                         ->check(CLI::ExistingFile)
                         ->type_name("FILE");
  certificate->needs(key);
  key->needs(certificate);
  cmd->add_option("--trust-proxy", args->trusted_proxies,
                  "IP address of a reverse proxy in front of the server that terminates TLS; repeat for several. "
                  "From these addresses only, X-Forwarded-Proto: https marks a request as secure (Secure cookies, "
                  "Strict-Transport-Security) and X-Forwarded-For gives the client's address")
      ->check(IpAddress())
      ->type_name("ADDRESS");
  cmd->add_option("--practices", args->practices, "The practices file the demo history is built from")
      ->capture_default_str()
      ->type_name("FILE");
  cmd->footer(
      "Serves until SIGINT or SIGTERM, then finishes the requests in flight and closes the store.\n\n"
      "Examples:\n  ledger serve --data ./data --listen 127.0.0.1:8080 --demo\n"
      "  ledger serve --data ./data --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem");
  registry.Add(cmd, [cmd, args] { return RunServe(*cmd, *args); });
}

}  // namespace ledger::tools
