// The real `ledger serve` checks the log at start-up: on a tampered log it
// refuses every change with 503 naming the position and says so in /healthz,
// /metrics and its log; on an intact log each start checks only what is new.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "api_world.h"
#include "ledger/http/auth.h"
#include "live_ledger.h"
#include "support/raw_store.h"
#include "support/temp_dir.h"

namespace ledger::http::testing {
namespace {

core::Date Today() {
  return core::Date::FromTimestamp(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

// A data directory holding the standard world, with the service open around today.
struct SeededData {
  SeededData() {
    auto store = es::EventStore::Open(dir.Sub("events"));
    REQUIRE(store.ok());
    SeedWorld(**store, app::HashPassword(kApiPassword, app::PasswordCost::kMinimum), Today());
  }
  std::string data() const { return dir.str(); }
  ledger::testing::TempDir dir;
};

uint64_t StoredHead(const std::string& data) {
  es::Options options;
  options.read_only = true;
  auto store = es::EventStore::Open(data + "/events", options);
  REQUIRE(store.ok());
  return (*store)->GetHead().position;
}

// Changes one letter of the SYSTEM organisation's name in the payload of
// position 1 through raw RocksDB, recomputing nothing.
void TamperFirstEvent(const std::string& data) {
  ledger::testing::RawStore raw(data + "/events");
  const std::string key("\0\0\0\0\0\0\0\1", 8);
  std::string value = raw.Get("events", key);
  size_t at = value.find("Operators");
  REQUIRE(at != std::string::npos);
  value[at] = 'o';
  raw.Put("events", key, value);
}

using ledger::testing::ReadFile;

Reply DraftClaim(Client& c, const std::string& token, const std::string& key) {
  return c.Send("POST", "/api/v1/claims",
                R"({"service_id":"SPEND","period":")" + Today().AddDays(-1).ToString() + R"("})", token,
                {{"Idempotency-Key", key}});
}

boost::json::object HealthLog(const Reply& health) { return boost::json::parse(health.body).at("log").as_object(); }

TEST_CASE("a server started on a tampered log refuses changes with 503 naming the position and says so") {
  SeededData world;
  const uint64_t head = StoredHead(world.data());
  TamperFirstEvent(world.data());
  {
    LiveLedger server(world.data());
    Client c(server.port());

    Reply health = c.Send("GET", "/healthz");
    CHECK(health.status == 503);
    CHECK(boost::json::parse(health.body).at("status").as_string() == "damaged");
    boost::json::object log = HealthLog(health);
    CHECK(log.at("verified").as_bool() == false);
    CHECK(log.at("damaged_position").to_number<uint64_t>() == 1);
    CHECK(log.at("verified_position").to_number<uint64_t>() == 0);
    CHECK(log.at("writes").as_string() == "refused");

    Reply metrics = c.Send("GET", "/metrics");
    CHECK(metrics.body.find("\nledger_log_verified 0\n") != std::string::npos);
    CHECK(metrics.body.find("\nledger_log_damaged_position 1\n") != std::string::npos);
    CHECK(metrics.body.find("\nledger_log_verified_position 0\n") != std::string::npos);

    // Reads are served; every change is refused and nothing is stored.
    std::string p2 = SignIn(c, "p2user");
    CHECK(c.Send("GET", "/api/v1/me", "", p2).status == 200);
    Reply draft = DraftClaim(c, p2, "after-tamper-1");
    CHECK(draft.status == 503);
    CHECK(draft.Header("Content-Type").find("application/problem+json") != std::string::npos);
    boost::json::value problem = boost::json::parse(draft.body);
    CHECK(problem.at("type").as_string() == "/problems/writes-refused");
    CHECK(std::string(problem.at("detail").as_string()).find("position 1,") != std::string::npos);
    CHECK(server.Stop() == 0);
  }
  CHECK(StoredHead(world.data()) == head);
  std::string log = ReadFile(world.data() + ".stderr");
  CHECK(log.find("FAILED VERIFICATION at position 1") != std::string::npos);
  CHECK(log.find("ledger verify --data " + world.data()) != std::string::npos);
  CHECK(log.find("ledger restore") != std::string::npos);
}

TEST_CASE("each start of the server verifies only what was appended since the last verified position") {
  SeededData world;
  const uint64_t seeded = StoredHead(world.data());
  {
    LiveLedger server(world.data());
    CHECK(server.output().find("Verifying the event log from position 1 to " + std::to_string(seeded)) !=
          std::string::npos);
    Client c(server.port());
    Reply health = c.Send("GET", "/healthz");
    CHECK(health.status == 200);
    CHECK(HealthLog(health).at("verified").as_bool());
    CHECK(HealthLog(health).at("verified_position").to_number<uint64_t>() == seeded);
    Reply draft = DraftClaim(c, SignIn(c, "p2user"), "restart-1");
    REQUIRE_MESSAGE(draft.status == 201, draft.body);
    CHECK(server.Stop() == 0);
  }
  const uint64_t grown = StoredHead(world.data());
  REQUIRE(grown > seeded);
  {
    LiveLedger server(world.data());
    CHECK(server.output().find("Verifying the event log from position " + std::to_string(seeded + 1) + " to " +
                               std::to_string(grown)) != std::string::npos);
    Client c(server.port());
    CHECK(HealthLog(c.Send("GET", "/healthz")).at("verified_position").to_number<uint64_t>() == grown);
    CHECK(c.Send("GET", "/metrics").body.find("\nledger_log_verified_position " + std::to_string(grown) + "\n") !=
          std::string::npos);
    CHECK(server.Stop() == 0);
  }
  {
    LiveLedger server(world.data());  // nothing new: nothing to verify
    CHECK(server.output().find("Verifying the event log") == std::string::npos);
    Client c(server.port());
    CHECK(HealthLog(c.Send("GET", "/healthz")).at("verified_position").to_number<uint64_t>() == grown);
    CHECK(server.Stop() == 0);
  }
}

// The gauge's value in a /metrics body, or -1 when it is missing.
double Gauge(const std::string& metrics, const std::string& name) {
  const std::string key = "\n" + name + " ";
  const size_t at = metrics.find(key);
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + key.size(), metrics.find('\n', at + key.size()) - at - key.size()));
}

TEST_CASE("/metrics reports the memory RocksDB and the caches in front of it hold for the log and the read models") {
  SeededData world;
  LiveLedger server(world.data());
  Client c(server.port());
  Reply draft = DraftClaim(c, SignIn(c, "p2user"), "memory-1");
  REQUIRE_MESSAGE(draft.status == 201, draft.body);
  const std::string metrics = c.Send("GET", "/metrics").body;
  for (const char* db : {"ledger_log", "ledger_projections"}) {
    CAPTURE(db);
    // The claim just written sits in both databases' memtables until a flush.
    CHECK(Gauge(metrics, std::string(db) + "_memtable_bytes") > 0);
    CHECK(Gauge(metrics, std::string(db) + "_block_cache_bytes") >= 0);
    CHECK(Gauge(metrics, std::string(db) + "_table_readers_bytes") >= 0);
    // The draft's streams were read and written: the store remembers their versions and the command, the
    // read models the rows they read back.
    CHECK(Gauge(metrics, std::string(db) + "_cache_bytes") > 0);
  }
  // The heap as the C library counts it: what is allocated now, and what was freed but kept for reuse.
  CHECK(Gauge(metrics, "ledger_heap_in_use_bytes") > 0);
  CHECK(Gauge(metrics, "ledger_heap_free_bytes") >= 0);
  CHECK(server.Stop() == 0);
}

// What `promtool check metrics` says of a /metrics body: "" when it passes.
std::string PromtoolProblems(const std::string& metrics) {
  ledger::testing::TempDir dir;
  const std::string body = dir.Sub("metrics.txt");
  const std::string said = dir.Sub("promtool.txt");
  ledger::testing::WriteFile(body, metrics);
  const int status = std::system(("promtool check metrics < " + body + " > " + said + " 2>&1").c_str());
  if (status == 0) return "";
  return "promtool exit status " + std::to_string(status) + ": " + ReadFile(said);
}

TEST_CASE("/metrics has the write path's histograms and each read model's lag, in a form promtool accepts") {
  SeededData world;
  LiveLedger server(world.data());
  Client c(server.port());
  Reply draft = DraftClaim(c, SignIn(c, "p2user"), "histograms-1");
  REQUIRE_MESSAGE(draft.status == 201, draft.body);
  const std::string metrics = c.Send("GET", "/metrics").body;
  // The draft was appended and written in a batch of its own or with others; every batch is counted in both.
  CHECK(Gauge(metrics, "ledger_append_duration_seconds_count") >= 1);
  CHECK(Gauge(metrics, "ledger_fsync_duration_seconds_count") >= 1);
  CHECK(Gauge(metrics, "ledger_fsync_batch_commands_count") == Gauge(metrics, "ledger_fsync_duration_seconds_count"));
  CHECK(Gauge(metrics, "ledger_fsync_batch_commands_sum") >= Gauge(metrics, "ledger_fsync_batch_commands_count"));
  CHECK(metrics.find("\nledger_fsync_batch_commands_bucket{le=\"+Inf\"} ") != std::string::npos);
  for (const char* projection : {"audit", "claims", "directory", "timeline", "states"}) {
    CAPTURE(projection);
    CHECK(metrics.find(std::string("\nledger_projection_lag_by_projection{projection=\"") + projection + "\"} ") !=
          std::string::npos);
  }
  CHECK(PromtoolProblems(metrics) == "");
  CHECK(server.Stop() == 0);
}

}  // namespace
}  // namespace ledger::http::testing
