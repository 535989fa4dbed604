// The `ledger` binary, run as a subprocess against a store the simulator built.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "ledger/app/claim_import.h"
#include "ledger/app/event_json.h"
#include "ledger/app/tree_heads.h"
#include "ledger/base/csv.h"
#include "ledger/core/types.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/projections/projection_db.h"
#include "ledger/projections/reports.h"
#include "ledger/projections/table.h"
#include "support/build_paths.h"
#include "support/raw_store.h"
#include "support/rfc4180.h"
#include "support/temp_dir.h"

namespace ledger::tools {
namespace {

// The month `offset` months from this one ("2026-12"), on the wall clock the
// command line runs on: a draft may be made for a period whose claim window has
// not closed, and the simulated services run to March 2028.
std::string MonthFromNow(int offset) {
  const core::Date today = core::Date::FromTimestamp(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  const int months = today.year() * 12 + (today.month() - 1) + offset;
  return fmt::format("{:04}-{:02}", months / 12, months % 12 + 1);
}

namespace fs = std::filesystem;

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

using testing::ReadFile;
using testing::WriteFile;

// Runs `ledger args...` with stdin from `input`, capturing stdout and stderr.
Run Ledger(const std::vector<std::string>& args, const std::string& input = "") {
  static testing::TempDir io;
  static int counter = 0;
  std::string base = io.Sub(std::to_string(++counter));
  WriteFile(base + ".in", input);
  std::string command = Quote(LEDGER_CLI);
  for (const std::string& a : args) command += " " + Quote(a);
  command += " <" + Quote(base + ".in") + " >" + Quote(base + ".out") + " 2>" + Quote(base + ".err");
  int status = std::system(command.c_str());
  Run run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = ReadFile(base + ".out");
  run.err = ReadFile(base + ".err");
  return run;
}

std::string LastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  size_t nl = trimmed.rfind('\n');
  return nl == std::string::npos ? trimmed : trimmed.substr(nl + 1);
}

uint64_t HeadPosition(const std::string& head) { return std::stoull(head.substr(0, head.find(':'))); }

// One simulated store for the whole file (50 practices, 2 months); tests that
// change it work on a copy.
class Fixture {
 public:
  static Fixture& Get() {
    static Fixture fixture;
    return fixture;
  }
  std::string data() const { return dir_.Sub("data"); }
  const std::string& head() const { return head_; }
  const std::string& simulate_out() const { return simulate_out_; }
  // A copy of the simulated data directory in `dir`.
  std::string CopyTo(const testing::TempDir& dir) const {
    std::string copy = dir.Sub("data");
    fs::copy(data(), copy, fs::copy_options::recursive);
    return copy;
  }

 private:
  Fixture() {
    Run run = Ledger({"simulate", "--data", data(), "--seed", "11", "--months", "2", "--practices-limit", "50"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    simulate_out_ = run.out;
    head_ = LastLine(run.out);
  }
  testing::TempDir dir_;
  std::string head_;
  std::string simulate_out_;
};

TEST_CASE("simulate prints one line per month and the head as its last line") {
  const Fixture& f = Fixture::Get();
  CHECK(f.simulate_out().find("2024-04: ") != std::string::npos);
  CHECK(f.simulate_out().find("2024-05: ") != std::string::npos);
  CHECK(HeadPosition(f.head()) > 1000);
  CHECK(f.head().size() > 64);
}

TEST_CASE("simulate with the same seed in a new directory reaches the same head") {
  testing::TempDir dir;
  Run run = Ledger({"simulate", "--data", dir.Sub("data"), "--seed", "11", "--months", "2", "--practices-limit", "50"});
  REQUIRE(run.exit_code == 0);
  CHECK(LastLine(run.out) == Fixture::Get().head());
}

TEST_CASE("replay prints one JSON object per event with its payload decoded") {
  const Fixture& f = Fixture::Get();
  Run run = Ledger({"replay", "--data", f.data()});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  std::istringstream lines(run.out);
  std::string line;
  uint64_t count = 0;
  uint64_t submitted = 0;
  while (std::getline(lines, line)) {
    boost::json::value v = boost::json::parse(line);
    ++count;
    CHECK(v.at("position").as_int64() == static_cast<int64_t>(count));
    CHECK(v.at("payload").is_object());
    if (v.at("type").as_string() == "ClaimSubmitted") ++submitted;
  }
  CHECK(count == HeadPosition(f.head()));
  CHECK(submitted > 0);
}

TEST_CASE("replay prints every envelope exactly as /api/v1/events serves it") {
  const Fixture& f = Fixture::Get();
  Run run = Ledger({"replay", "--data", f.data(), "--to", "40"});
  REQUIRE(run.exit_code == 0);
  es::Options options;
  options.read_only = true;
  auto store = es::EventStore::Open(f.data() + "/events", options);
  REQUIRE(store.ok());
  auto envelopes = (*store)->ReadAll(1, 40);
  REQUIRE(envelopes.ok());
  REQUIRE(envelopes->size() == 40);
  std::istringstream lines(run.out);
  std::string line;
  size_t i = 0;
  while (std::getline(lines, line)) {
    REQUIRE(i < envelopes->size());
    CHECK(line == boost::json::serialize(app::EnvelopeJson((*envelopes)[i])));
    ++i;
  }
  CHECK(i == 40);
  const boost::json::value first = boost::json::parse(run.out.substr(0, run.out.find('\n')));
  for (const char* key : {"position", "stream", "version", "type", "schema_version", "recorded_at", "actor",
                          "command_id", "correlation_id", "prev_hash", "hash", "payload"}) {
    CHECK_MESSAGE(first.as_object().contains(key), key);
  }
}

TEST_CASE("replay filters by type and stream") {
  const Fixture& f = Fixture::Get();
  Run run = Ledger({"replay", "--data", f.data(), "--type", "PaymentRunPaid"});
  REQUIRE(run.exit_code == 0);
  std::istringstream lines(run.out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    CHECK(boost::json::parse(line).at("type").as_string() == "PaymentRunPaid");
    ++count;
  }
  CHECK(count >= 2);
  Run stream = Ledger({"replay", "--data", f.data(), "--stream", "org-A84002", "--format", "table"});
  REQUIRE(stream.exit_code == 0);
  CHECK(stream.out.find("OrganisationRegistered") != std::string::npos);
  CHECK(stream.out.find("ClaimSubmitted") == std::string::npos);
}

TEST_CASE("verify passes and prints the head as POS:HASH on its last line") {
  const Fixture& f = Fixture::Get();
  Run run = Ledger({"verify", "--data", f.data()});
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(LastLine(run.out) == f.head());
  CHECK(run.err.find('\r') == std::string::npos);  // no progress bar when stderr is not a terminal...
  CHECK(run.err.find("verifying: 100.0% (" + std::to_string(HeadPosition(f.head())) + "/") !=
        std::string::npos);  // ...but progress lines, the last when it is done
  Run expected = Ledger({"verify", "--data", f.data(), "--expect-head", f.head()});
  CHECK(expected.exit_code == 0);
}

TEST_CASE("verify checks the Merkle tree; one changed node is named and rebuild-tree repairs it") {
  testing::TempDir dir;
  std::string data = Fixture::Get().CopyTo(dir);
  Run clean = Ledger({"verify", "--data", data});
  CHECK(clean.exit_code == 0);
  CHECK(clean.err.find("events and their Merkle tree") != std::string::npos);
  Run first = Ledger({"rebuild-tree", "--data", data});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const std::string tree_head = LastLine(first.out);  // SIZE:ROOT
  CHECK(HeadPosition(tree_head) == HeadPosition(Fixture::Get().head()));
  {
    testing::RawStore raw(data + "/events");
    const std::string key("\x03\0\0\0\0\0\0\0\x01", 9);  // level 3, index 1: positions 9..16
    std::string value = raw.Get("merkle", key);
    value[0] ^= 0x40;
    raw.Put("merkle", key, value);
  }
  Run damaged = Ledger({"verify", "--data", data});
  CHECK(damaged.exit_code == 1);
  CHECK(damaged.err.find("position 16 (merkle key level 3 index 1)") != std::string::npos);
  CHECK(damaged.err.find("ledger rebuild-tree") != std::string::npos);
  Run rebuilt = Ledger({"rebuild-tree", "--data", data});
  CHECK(rebuilt.exit_code == 0);
  CHECK(LastLine(rebuilt.out) == tree_head);
  CHECK(Ledger({"verify", "--data", data}).exit_code == 0);
}

// Runs ledger-verifier, as an auditor would on what `ledger prove` printed.
Run Verifier(const std::vector<std::string>& args) {
  static testing::TempDir io;
  static int counter = 0;
  std::string base = io.Sub(std::to_string(++counter));
  std::string command = Quote(LEDGER_VERIFIER);
  for (const std::string& a : args) command += " " + Quote(a);
  command += " >" + Quote(base + ".out") + " 2>" + Quote(base + ".err");
  int status = std::system(command.c_str());
  return Run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadFile(base + ".out"), ReadFile(base + ".err")};
}

TEST_CASE("prove prints a claim's proof, and inclusion and consistency proofs, that ledger-verifier accepts") {
  testing::TempDir dir;
  std::string data = Fixture::Get().CopyTo(dir);
  const uint64_t head = HeadPosition(Fixture::Get().head());

  Run no_key = Ledger({"key", "show", "--data", data});
  CHECK(no_key.exit_code == 1);
  CHECK(no_key.err.find("`ledger serve` creates it") != std::string::npos);
  REQUIRE(app::SigningKey::LoadOrCreate(fs::path(data) / "signing.key").ok());  // as `ledger serve` would
  Run key = Ledger({"key", "show", "--data", data});
  REQUIRE_MESSAGE(key.exit_code == 0, key.err);
  const std::string key_file = dir.Sub("key.json");
  WriteFile(key_file, key.out);

  // A claim of the simulated history: the first claim stream in the log.
  std::string claim;
  {
    es::Options options;
    options.read_only = true;
    auto store = es::EventStore::Open(data + "/events", options);
    REQUIRE(store.ok());
    REQUIRE((*store)
                ->Scan(1, 0,
                       [&](const es::Envelope& e) {
                         if (!e.stream_id.starts_with("claim-")) return true;
                         claim = e.stream_id.substr(6);
                         return false;
                       })
                .ok());
  }
  REQUIRE_FALSE(claim.empty());
  Run proof = Ledger({"prove", "--data", data, "--claim", claim});
  REQUIRE_MESSAGE(proof.exit_code == 0, proof.err);
  const std::string proof_file = dir.Sub("claim.json");
  WriteFile(proof_file, proof.out);
  Run checked = Verifier({"claim", "--key", key_file, "--proof", proof_file});
  INFO(checked.err);
  CHECK(checked.exit_code == 0);
  CHECK(checked.out.find("ok: claim " + claim) == 0);

  Run inclusion = Ledger({"prove", "--data", data, "--position", "7", "--size", "100"});
  REQUIRE_MESSAGE(inclusion.exit_code == 0, inclusion.err);
  boost::json::value included = boost::json::parse(inclusion.out);
  CHECK(included.at("position").to_number<uint64_t>() == 7);
  CHECK(included.at("size").to_number<uint64_t>() == 100);
  Run consistency = Ledger({"prove", "--data", data, "--from", "100"});
  REQUIRE_MESSAGE(consistency.exit_code == 0, consistency.err);
  CHECK(boost::json::parse(consistency.out).at("to").to_number<uint64_t>() == head);

  CHECK(Ledger({"prove", "--data", data}).exit_code == 2);
  CHECK(Ledger({"prove", "--data", data, "--position", "1", "--from", "1"}).exit_code == 2);
  Run past = Ledger({"prove", "--data", data, "--position", std::to_string(head + 1)});
  CHECK(past.exit_code == 2);
  CHECK(past.err.find("is not in the tree") != std::string::npos);
  CHECK(Ledger({"prove", "--data", data, "--claim", "c-00000000"}).exit_code == 1);
}

TEST_CASE("key rotate records the rotation in the log, and ledger-verifier follows the old key's endorsement") {
  testing::TempDir dir;
  std::string data = Fixture::Get().CopyTo(dir);
  REQUIRE(app::SigningKey::LoadOrCreate(fs::path(data) / "signing.key").ok());  // as `ledger serve` would
  Run shown = Ledger({"key", "show", "--data", data});
  REQUIRE_MESSAGE(shown.exit_code == 0, shown.err);
  const std::string old_key_file = dir.Sub("old-key.json");
  WriteFile(old_key_file, shown.out);
  const std::string old_key(boost::json::parse(shown.out).at("public_key").as_string());
  CHECK(boost::json::parse(shown.out).at("rotations").as_array().empty());

  Run rotated = Ledger({"key", "rotate", "--data", data});
  REQUIRE_MESSAGE(rotated.exit_code == 0, rotated.err);
  CHECK(rotated.err.find("heads signed before stay valid under " + old_key) != std::string::npos);
  const boost::json::value now = boost::json::parse(rotated.out);
  const std::string new_key(now.at("public_key").as_string());
  CHECK(new_key != old_key);
  REQUIRE(now.at("rotations").as_array().size() == 1);
  CHECK(now.at("rotations").as_array()[0].at("previous_public_key").as_string() == old_key);
  CHECK(Ledger({"key", "show", "--data", data}).out == rotated.out);
  CHECK_FALSE(fs::exists(fs::path(data) / "signing.key.next"));
  Run replay = Ledger({"replay", "--data", data, "--type", "SigningKeyRotated"});
  REQUIRE(replay.exit_code == 0);
  CHECK(std::count(replay.out.begin(), replay.out.end(), '\n') == 1);

  // A head signed with the new key: the auditor who holds only the old key
  // trusts it through the rotation record, and not without it.
  const std::string rotations_file = dir.Sub("public-key.json");
  WriteFile(rotations_file, rotated.out);
  std::string claim;
  {
    Run claims = Ledger({"replay", "--data", data, "--type", "ClaimSubmitted"});
    const std::string first = claims.out.substr(0, claims.out.find('\n'));
    const std::string stream(boost::json::parse(first).at("stream").as_string());
    claim = stream.substr(6);
  }
  Run signed_proof = Ledger({"prove", "--data", data, "--claim", claim});
  REQUIRE_MESSAGE(signed_proof.exit_code == 0, signed_proof.err);
  const std::string proof_file = dir.Sub("claim.json");
  WriteFile(proof_file, signed_proof.out);
  Run without = Verifier({"claim", "--key", old_key_file, "--proof", proof_file});
  CHECK(without.exit_code == 1);
  CHECK(without.err.find("signed by another key") != std::string::npos);
  Run with = Verifier({"claim", "--key", old_key_file, "--rotations", rotations_file, "--proof", proof_file});
  INFO(with.err);
  CHECK(with.exit_code == 0);
  // A rotation record whose endorsement was forged is caught.
  boost::json::value forged = now;
  std::string endorsement(forged.at("rotations").as_array()[0].at("endorsement").as_string());
  endorsement[0] = endorsement[0] == '0' ? '1' : '0';
  forged.at("rotations").as_array()[0].as_object()["endorsement"] = endorsement;
  const std::string forged_file = dir.Sub("forged.json");
  WriteFile(forged_file, boost::json::serialize(forged));
  Run caught = Verifier({"claim", "--key", old_key_file, "--rotations", forged_file, "--proof", proof_file});
  CHECK(caught.exit_code == 1);
  CHECK(caught.err.find("is not endorsed by the key it replaces") != std::string::npos);

  // A second rotation goes on from the key in force; a key file the log does not name is refused.
  Run again = Ledger({"key", "rotate", "--data", data});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(boost::json::parse(again.out).at("rotations").as_array().size() == 2);
  fs::remove(fs::path(data) / "signing.key");
  REQUIRE(app::SigningKey::LoadOrCreate(fs::path(data) / "signing.key").ok());
  Run refused = Ledger({"key", "rotate", "--data", data});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("says the ledger signs with key") != std::string::npos);
}

TEST_CASE("verify fails at the exact position after one stored byte is changed") {
  testing::TempDir dir;
  std::string data = Fixture::Get().CopyTo(dir);
  const uint64_t target = 777;
  {
    testing::RawStore raw(data + "/events");
    std::string key;
    for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>((target >> shift) & 0xff));
    std::string value = raw.Get("events", key);
    // Change one byte of the stream id inside the stored envelope.
    size_t at = value.find('-');
    REQUIRE(at != std::string::npos);
    value[at] = '_';
    raw.Put("events", key, value);
  }
  Run run = Ledger({"verify", "--data", data});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("position 777") != std::string::npos);
  CHECK(run.out.empty());
}

TEST_CASE("backup and restore round trip verifies to the same head") {
  const Fixture& f = Fixture::Get();
  testing::TempDir dir;
  Run backup = Ledger({"backup", "--data", f.data(), "--to", dir.Sub("backup")});
  INFO(backup.err);
  REQUIRE(backup.exit_code == 0);
  CHECK(LastLine(backup.out) == f.head());
  Run restore = Ledger({"restore", "--from", dir.Sub("backup"), "--data", dir.Sub("restored")});
  INFO(restore.err);
  REQUIRE(restore.exit_code == 0);
  CHECK(LastLine(restore.out) == f.head());
  Run verify = Ledger({"verify", "--data", dir.Sub("restored"), "--expect-head", f.head()});
  CHECK(verify.exit_code == 0);
  CHECK(LastLine(verify.out) == f.head());
  Run again = Ledger({"restore", "--from", dir.Sub("backup"), "--data", dir.Sub("restored")});
  CHECK(again.exit_code == 1);
}

TEST_CASE("--expect-head fails on a restore of an older, shorter backup") {
  testing::TempDir dir;
  Run first = Ledger(
      {"simulate", "--data", dir.Sub("live"), "--seed", "3", "--months", "1", "--practices-limit", "20"});
  REQUIRE(first.exit_code == 0);
  REQUIRE(Ledger({"backup", "--data", dir.Sub("live"), "--to", dir.Sub("old")}).exit_code == 0);
  Run second = Ledger(
      {"simulate", "--data", dir.Sub("live"), "--seed", "3", "--months", "1", "--practices-limit", "20"});
  REQUIRE(second.exit_code == 0);
  std::string recorded = LastLine(second.out);
  CHECK(HeadPosition(recorded) > HeadPosition(LastLine(first.out)));
  REQUIRE(Ledger({"restore", "--from", dir.Sub("old"), "--data", dir.Sub("restored")}).exit_code == 0);
  Run run = Ledger({"verify", "--data", dir.Sub("restored"), "--expect-head", recorded});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("before the expected head") != std::string::npos);
  // The live store, continued by the second run, still verifies with dense positions.
  Run live = Ledger({"verify", "--data", dir.Sub("live"), "--expect-head", recorded});
  CHECK(live.exit_code == 0);
}

// Monthly claims for the next month of the first practices, for services
// they accepted (found in the log), as an import file.
std::string GoodImportFile(const std::string& data, int rows) {
  Run accepted = Ledger({"replay", "--data", data, "--type", "OfferAccepted"});
  REQUIRE(accepted.exit_code == 0);
  std::string csv = "\xEF\xBB\xBFprovider,service,period,patients_monitored,vaccinations,checks_completed\r\n";
  std::istringstream lines(accepted.out);
  std::string line;
  int written = 0;
  while (std::getline(lines, line) && written < rows) {
    boost::json::value v = boost::json::parse(line);
    std::string service(v.at("payload").at("service_id").as_string());
    std::string provider(v.at("payload").at("provider").as_string());
    std::string code = service.substr(service.find('-') + 1);
    std::string column = code == "ACM" || code == "SDM" ? "patients_monitored,,"
                         : code == "PHV"                ? ",\"12\","
                         : code == "NHC"                ? ",,7"
                                                        : "";
    if (column.empty()) continue;
    csv += fmt::format("{},{},{},{}\r\n\r\n", provider, code, MonthFromNow(0), column);
    ++written;
  }
  REQUIRE(written == rows);
  return csv;
}

TEST_CASE("import of a good file creates every claim in one append") {
  testing::TempDir dir;
  std::string data = Fixture::Get().CopyTo(dir);
  std::string csv = GoodImportFile(data, 5);
  for (size_t p = csv.find("patients_monitored,,"); p != std::string::npos; p = csv.find("patients_monitored,,", p))
    csv.replace(p, 18, "9");
  WriteFile(dir.Sub("claims.csv"), csv);
  // The claims are imported by each practice's own user: one file per provider in practice; here one row.
  std::string first_provider = csv.substr(csv.find("\r\n") + 2, 6);
  std::string single = csv.substr(0, csv.find("\r\n") + 2);
  std::istringstream rows(csv.substr(csv.find("\r\n") + 2));
  std::string row;
  int expected = 0;
  while (std::getline(rows, row))
    if (row.rfind(first_provider, 0) == 0) {
      single += row + "\n";
      ++expected;
    }
  WriteFile(dir.Sub("single.csv"), single);
  std::string user = first_provider;
  for (char& c : user) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  user += ".user";
  Run dry = Ledger({"import-claims", dir.Sub("single.csv"), "--data", data, "--as", user, "--dry-run"});
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  Run run = Ledger({"import-claims", dir.Sub("single.csv"), "--data", data, "--as", user});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  Run drafted = Ledger({"replay", "--data", data, "--type", "ClaimDrafted", "--from",
                        std::to_string(HeadPosition(Fixture::Get().head()) + 1)});
  REQUIRE(drafted.exit_code == 0);
  CHECK(std::count(drafted.out.begin(), drafted.out.end(), '\n') == expected);
  Run again = Ledger({"import-claims", dir.Sub("single.csv"), "--data", data, "--as", user});
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("already imported") != std::string::npos);
}

TEST_CASE("a file with one bad row creates nothing and lists the row") {
  testing::TempDir dir;
  std::string data = Fixture::Get().CopyTo(dir);
  std::string csv =
      "provider,service,period,patients_monitored\n"
      "A84002,ACM,2024-06,10\n"
      "\n"
      "A84002,ACM,2024-06,11\n"
      "A84002,ACM,2024-13,\"x\"\n";
  WriteFile(dir.Sub("bad.csv"), csv);
  Run run = Ledger({"import-claims", dir.Sub("bad.csv"), "--data", data, "--as", "a84002.user"});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("bad.csv:4: duplicates line 2") != std::string::npos);
  CHECK(run.err.find("bad.csv:5: column period") != std::string::npos);
  CHECK(run.err.find("nothing was stored") != std::string::npos);
  Run verify = Ledger({"verify", "--data", data});
  CHECK(LastLine(verify.out) == Fixture::Get().head());
}

TEST_CASE("import-claims refuses a negative value, a Latin-1 byte or a NUL in any row, and stores nothing") {
  testing::TempDir dir;
  std::string data = Fixture::Get().CopyTo(dir);
  std::string csv =
      "provider,service,period,patients_monitored\n"
      "A84002,ACM," +
      MonthFromNow(0) + ",10\n" + "A84002,ACM," + MonthFromNow(1) + ",-3\n" + "A84002,ACM," + MonthFromNow(2) +
      ",12\n" + "A84002,ACM," + MonthFromNow(3) + ",caf\xE9\n" + "A84002,ACM," + MonthFromNow(4) + ",1";
  csv += '\0';
  csv += "2\nA84002,ACM," + MonthFromNow(5) + ",14\n";
  WriteFile(dir.Sub("bad.csv"), csv);
  Run run = Ledger({"import-claims", dir.Sub("bad.csv"), "--data", data, "--as", "a84002.user"});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("bad.csv:3: column patients_monitored") != std::string::npos);
  CHECK(run.err.find("bad.csv:5: column patients_monitored: This text is not valid UTF-8") != std::string::npos);
  CHECK(run.err.find("bad.csv:6: column patients_monitored: This text holds a control character") != std::string::npos);
  CHECK(run.err.find("bad.csv:2:") == std::string::npos);
  CHECK(run.err.find("nothing was stored") != std::string::npos);
  Run verify = Ledger({"verify", "--data", data});
  CHECK(LastLine(verify.out) == Fixture::Get().head());
}

TEST_CASE("import-claims refuses a file over the row limit at once, saying the limit") {
  testing::TempDir dir;
  std::string data = Fixture::Get().CopyTo(dir);
  std::string csv = "provider,service,period,patients_monitored\n";
  for (int i = 0; i < app::kMaxImportRows + 1; ++i) csv += "A84002,ACM,2024-06,1\n";
  WriteFile(dir.Sub("big.csv"), csv);
  Run run = Ledger({"import-claims", dir.Sub("big.csv"), "--data", data, "--as", "a84002.user"});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("at most 2500 are taken in one file") != std::string::npos);
  CHECK(run.err.find("nothing was stored") != std::string::npos);
  // Refused before any row is decided: the rows (all duplicates of each other) are not listed.
  CHECK(run.err.find("duplicates line") == std::string::npos);
  Run verify = Ledger({"verify", "--data", data});
  CHECK(LastLine(verify.out) == Fixture::Get().head());
}

TEST_CASE("export-payments prints one line per provider of a payment run") {
  const Fixture& f = Fixture::Get();
  Run run = Ledger({"export-payments", "--data", f.data(), "--run", "00L-2024-04"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(run.out.rfind("run_id,commissioner,pay_date,status,provider_code", 0) == 0);
  CHECK(run.out.find("00L-2024-04,00L,2024-04-28,paid,") != std::string::npos);
  CHECK(run.out.find("REM-00L-202404") != std::string::npos);
  Run missing = Ledger({"export-payments", "--data", f.data(), "--run", "NOPE-1"});
  CHECK(missing.exit_code == 1);
}

// A store simulated from practices whose names start with what a spreadsheet
// runs as a formula: = + - @, two practices each. (A name cannot hold a tab or
// CR: the text rule refuses control characters in one-line fields; reasons may
// start with a tab, and csv_test covers the writer for every lead.)
constexpr std::string_view kNameLeads[] = {"=", "+", "-", "@"};

class FormulaNamesFixture {
 public:
  static FormulaNamesFixture& Get() {
    static FormulaNamesFixture fixture;
    return fixture;
  }
  std::string data() const { return dir_.Sub("data"); }
  // Practice code -> name as registered.
  const std::map<std::string, std::string>& names() const { return names_; }

 private:
  FormulaNamesFixture() {
    std::ifstream source(fs::path(LEDGER_SOURCE_DIR) / ".." / "shared" / "data" / "gp-practices-2021.csv");
    std::string header, line;
    REQUIRE(std::getline(source, header));
    std::string file = header + "\r\n";
    size_t i = 0;
    const size_t leads = std::size(kNameLeads);
    while (i < 2 * leads && std::getline(source, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      base::CsvParse row = base::ParseCsv(line);
      REQUIRE(row.records.size() == 1);
      std::vector<std::string> f = row.records[0].fields;
      REQUIRE(f.size() == 5);
      if (f[3] != "00L") continue;
      f[1] = std::string(kNameLeads[i % leads]) + (i < leads ? "HYPERLINK(\"http://x\",\"y\")" : "1+2 " + f[1]);
      names_[f[0]] = f[1];
      std::string quoted = "\"";
      for (char c : f[1]) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      file += f[0] + "," + quoted + "\"," + f[2] + "," + f[3] + "," + f[4] + "\r\n";
      ++i;
    }
    REQUIRE(i == 2 * leads);
    WriteFile(dir_.Sub("practices.csv"), file);
    Run run = Ledger(
        {"simulate", "--data", data(), "--seed", "3", "--months", "3", "--practices", dir_.Sub("practices.csv")});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
  }
  testing::TempDir dir_;
  std::map<std::string, std::string> names_;
};

bool StartsWithFormulaLead(const std::string& cell) {
  for (std::string_view lead : testing::kFormulaLeads)
    if (cell.starts_with(lead)) return true;
  return false;
}

// Checks `csv` is strict RFC 4180 and that no cell but a number starts a formula; returns the cells.
std::vector<std::vector<std::string>> CheckNeutralised(const std::string& csv) {
  auto parsed = testing::ParseStrictCsv(csv);
  REQUIRE_MESSAGE(parsed.error.empty(), parsed.error);
  for (const auto& record : parsed.records)
    for (const std::string& cell : record)
      if (StartsWithFormulaLead(cell)) CHECK_MESSAGE(base::IsCsvNumber(cell), cell);
  return parsed.records;
}

// The names (as registered) whose neutralised form ("'" + name) is a cell of `records`.
std::set<std::string> NeutralisedNames(const std::vector<std::vector<std::string>>& records,
                                       const std::map<std::string, std::string>& names) {
  std::set<std::string> seen;
  for (const auto& record : records)
    for (const std::string& cell : record)
      for (const auto& [code, name] : names)
        if (cell == "'" + name) seen.insert(name);
  return seen;
}

std::vector<std::string> PaymentRunIds(const std::string& data) {
  Run run = Ledger({"replay", "--data", data, "--type", "PaymentRunCreated"});
  REQUIRE(run.exit_code == 0);
  std::vector<std::string> ids;
  std::istringstream lines(run.out);
  std::string line;
  while (std::getline(lines, line)) ids.emplace_back(boost::json::parse(line).at("payload").at("run_id").as_string());
  return ids;
}

TEST_CASE("export-payments writes CRLF RFC 4180 with provider names that start a formula neutralised") {
  const FormulaNamesFixture& f = FormulaNamesFixture::Get();
  std::vector<std::string> runs = PaymentRunIds(f.data());
  REQUIRE_FALSE(runs.empty());
  std::set<std::string> seen;
  for (const std::string& id : runs) {
    Run run = Ledger({"export-payments", "--data", f.data(), "--run", id});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    auto records = CheckNeutralised(run.out);
    REQUIRE(records.size() >= 2);
    CHECK(records[0][5] == "provider_name");
    for (size_t r = 1; r < records.size(); ++r) {
      CHECK(records[r][5] == "'" + f.names().at(records[r][4]));
      CHECK(base::IsCsvNumber(records[r][6]));
    }
    auto names = NeutralisedNames(records, f.names());
    seen.insert(names.begin(), names.end());
  }
  for (std::string_view lead : kNameLeads) {
    CAPTURE(lead);
    CHECK(std::any_of(seen.begin(), seen.end(), [&](const std::string& n) { return n.starts_with(lead); }));
  }
}

TEST_CASE("every report's CSV is strict RFC 4180 and neutralises names that start a formula") {
  const FormulaNamesFixture& f = FormulaNamesFixture::Get();
  const std::string run_id = PaymentRunIds(f.data()).front();
  const std::string provider = f.names().begin()->first;
  std::set<std::string> seen;
  for (const projections::ReportInfo& info : projections::Reports()) {
    CAPTURE(info.name);
    std::vector<std::string> args = {"report", info.name, "--data", f.data(), "--format", "csv"};
    if (info.scope == projections::ScopeKind::kProvider) {
      args.insert(args.end(), {"--provider", provider});
    } else {
      args.insert(args.end(), {"--commissioner", "00L"});
    }
    if (std::find(info.filters.begin(), info.filters.end(), "run") != info.filters.end())
      args.insert(args.end(), {"--filter", "run=" + run_id});
    Run run = Ledger(args);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    auto names = NeutralisedNames(CheckNeutralised(run.out), f.names());
    seen.insert(names.begin(), names.end());
  }
  CHECK(seen.size() == f.names().size());  // every name reached some report, neutralised
}

TEST_CASE("user create reads the password from stdin and refuses a duplicate username") {
  testing::TempDir dir;
  Run run = Ledger({"user", "create", "--data", dir.Sub("data"), "--username", "ops", "--org", "SYSTEM", "--role",
                    "operator"},
                   "a-long-enough-password\n");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  Run replay = Ledger({"replay", "--data", dir.Sub("data"), "--type", "AccountCreated"});
  CHECK(replay.out.find("a-long-enough-password") == std::string::npos);
  CHECK(replay.out.find("\"ops\"") != std::string::npos);
  Run again = Ledger({"user", "create", "--data", dir.Sub("data"), "--username", "ops", "--org", "SYSTEM", "--role",
                      "operator"},
                     "a-long-enough-password\n");
  CHECK(again.exit_code == 1);
  Run reset = Ledger({"user", "reset-password", "--data", dir.Sub("data"), "--username", "ops"},
                     "another-password-1\n");
  CHECK(reset.exit_code == 0);
  Run resets = Ledger({"replay", "--data", dir.Sub("data"), "--type", "PasswordReset"});
  CHECK(resets.out.find("\"reset_by\":\"\"") != std::string::npos);  // the operator, not the account holder
  CHECK(resets.out.find("another-password-1") == std::string::npos);
  Run unknown = Ledger({"user", "reset-password", "--data", dir.Sub("data"), "--username", "nobody"},
                       "another-password-1\n");
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("no account nobody") != std::string::npos);
  Run short_pw = Ledger({"user", "reset-password", "--data", dir.Sub("data"), "--username", "ops"}, "short\n");
  CHECK(short_pw.exit_code == 2);
}

TEST_CASE("every usage error prints help and exits 2") {
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"no-such-command"},
      {"verify"},
      {"verify", "--data"},
      {"verify", "--data", "x", "--expect-head", "not-a-head"},
      {"replay", "--data", "x", "--format", "xml"},
      {"replay", "--data", "x", "--from", "ten"},
      {"simulate", "--data", "x", "--months", "0"},
      {"import-claims", "--data", "x", "--as", "u"},
      {"export-payments", "--data", "x"},
      {"backup", "--data", "x"},
      {"restore", "--data", "x"},
      {"user"},
      {"user", "create", "--data", "x", "--username", "u", "--org", "O"},
      {"user", "create", "--data", "x", "--username", "u", "--org", "O", "--role", "emperor"},
      {"report", "--data", "x"},
      {"report", "no_such_report", "--data", "x"},
      {"report", "claims", "--data", "x"},
      {"report", "statement", "--data", "x", "--commissioner", "00L"},
      {"report", "claims", "--data", "x", "--commissioner", "00L", "--format", "xml"},
      {"report", "claims", "--data", "x", "--commissioner", "00L", "--as-of", "yesterday"},
      {"report", "claims", "--data", "x", "--commissioner", "00L", "--filter", "colour=red"},
      {"report", "payment_run_claims", "--data", "x", "--commissioner", "00L"},
      {"rebuild"},
      {"rebuild", "--data", "x", "--projection", "no_such_projection"},
      {"user", "create", "--data", "x", "--username", "u", "--org", "O", "--role", "operator", "--email", "nope"},
      {"serve", "--data", "x", "--listen", "nowhere"},
      {"serve", "--data", "x", "--threads", "999"},
      {"serve", "--data", "x", "--cache-mib", "2"},
  };
  for (const auto& args : cases) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    INFO("ledger " << joined);
    Run run = Ledger(args);
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("Usage:") != std::string::npos);
  }
}

TEST_CASE("--version names the version, and a mistyped command is named with the closest command") {
  Run version = Ledger({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("ledger ", 0) == 0);
  CHECK(version.out.find('.') != std::string::npos);
  Run typo = Ledger({"verfy", "--data", "x"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("there is no command 'verfy': did you mean 'verify'?") != std::string::npos);
  CHECK(typo.err.find("Usage:") != std::string::npos);
  Run unknown = Ledger({"frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("the commands are ") != std::string::npos);
  CHECK(unknown.err.find("simulate") != std::string::npos);
}

TEST_CASE("every command's help has an example") {
  for (const char* cmd : {"simulate", "replay", "verify", "rebuild-tree", "prove", "key", "rebuild", "report",
                          "import-claims", "export-payments", "backup", "restore", "user", "serve"}) {
    INFO(cmd);
    Run run = Ledger({cmd, "--help"});
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("Example") != std::string::npos);
  }
  Run top = Ledger({"--help"});
  CHECK(top.exit_code == 0);
  CHECK(top.out.find("Exit codes") != std::string::npos);
}

TEST_CASE("a writing command refuses with exit 3 while another process holds the store") {
  const Fixture& f = Fixture::Get();
  testing::TempDir dir;
  std::string data = f.CopyTo(dir);
  // Hold the store with a long-running writer: a simulate reading its password from nowhere is not
  // possible, so take the RocksDB lock directly.
  testing::RawStore held(data + "/events");
  Run write = Ledger({"user", "reset-password", "--data", data, "--username", "operator"}, "a-long-enough-password\n");
  CHECK(write.exit_code == 3);
  CHECK(write.err.find("in use") != std::string::npos);
  Run read = Ledger({"verify", "--data", data});
  CHECK(read.exit_code == 0);
}

// NAME -> "POSITION SHA256", from `ledger rebuild` output.
std::map<std::string, std::string> RebuildLines(const std::string& out) {
  std::map<std::string, std::string> lines;
  std::istringstream in(out);
  std::string name, position, checksum;
  while (in >> name >> position >> checksum) lines[name] = position + " " + checksum;
  return lines;
}

TEST_CASE("rebuild prints the checksums of projections fed incrementally as the log grew") {
  testing::TempDir dir;
  std::string data = dir.Sub("data");
  REQUIRE(Ledger({"simulate", "--data", data, "--seed", "5", "--months", "1", "--practices-limit", "30"}).exit_code ==
          0);
  // `report` catches the projection database up with the first part of the log...
  Run first = Ledger({"report", "organisations", "--data", data, "--commissioner", "00L"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.err.find("caught up") != std::string::npos);
  Run second = Ledger({"simulate", "--data", data, "--seed", "5", "--months", "1", "--practices-limit", "30"});
  REQUIRE(second.exit_code == 0);
  const uint64_t head = HeadPosition(LastLine(second.out));
  std::map<std::string, std::string> live;
  {
    // ...and the rest is applied here in small batches, as the server's feed would.
    es::Options options;
    options.read_only = true;
    auto store = es::EventStore::Open(data + "/events", options);
    REQUIRE(store.ok());
    auto db = projections::ProjectionDb::Open(data + "/projections");
    REQUIRE(db.ok());
    uint64_t from = (*db)->Applied() + 1;
    CHECK(from > 1);
    CHECK(from <= head);
    while (from <= head) {
      auto batch = (*store)->ReadAll(from, 37);
      REQUIRE(batch.ok());
      REQUIRE(!batch->empty());
      REQUIRE((*db)->Apply(*batch).ok());
      from = batch->back().position + 1;
    }
    for (const std::string& name : projections::ProjectionDb::ProjectionNames()) {
      auto checksum = (*db)->Checksum(name);
      REQUIRE(checksum.ok());
      CHECK((*db)->Checkpoint(name) == head);
      live[name] = std::to_string(head) + " " + *checksum;
    }
  }
  Run rebuild = Ledger({"rebuild", "--data", data});
  INFO(rebuild.err);
  REQUIRE(rebuild.exit_code == 0);
  CHECK(rebuild.err.find('\r') == std::string::npos);  // no progress bar when stderr is not a terminal
  CHECK(RebuildLines(rebuild.out) == live);
  CHECK(live.size() == projections::ProjectionDb::ProjectionNames().size());
  Run one = Ledger({"rebuild", "--data", data, "--projection", "claims"});
  REQUIRE(one.exit_code == 0);
  CHECK(one.out == "claims " + live["claims"] + "\n");
}

// The bytes RunReport + TableToCsv/TableToJsonText give for a report over <data>/projections.
std::string DirectReport(const std::string& data, const std::string& name, const projections::ReportParams& params,
                         const projections::AsOf& as_of, bool csv) {
  auto db = projections::ProjectionDb::Open(data + "/projections");
  REQUIRE(db.ok());
  auto table = projections::RunReport(**db, name, params, as_of);
  REQUIRE(table.ok());
  es::Options read_only;
  read_only.read_only = true;
  auto store = es::EventStore::Open(data + "/events", read_only);
  REQUIRE(store.ok());
  REQUIRE(app::StampLogHead(**store, &*table).ok());
  return csv ? projections::TableToCsv(*table) : projections::TableToJsonText(*table);
}

TEST_CASE("report prints the bytes of RunReport and TableToCsv or TableToJsonText") {
  testing::TempDir dir;
  std::string data = Fixture::Get().CopyTo(dir);
  Run csv = Ledger({"report", "claims", "--data", data, "--commissioner", "00L"});
  INFO(csv.err);
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.rfind("claim_id,", 0) == 0);
  CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') > 10);
  projections::ReportParams params;
  params.scope = "00L";
  CHECK(csv.out == DirectReport(data, "claims", params, {}, true));

  Run json = Ledger({"report", "claims", "--data", data, "--commissioner", "00L", "--format", "json"});
  REQUIRE(json.exit_code == 0);
  CHECK(json.err.empty());  // already caught up: nothing to say
  CHECK(json.out == DirectReport(data, "claims", params, {}, false));
  CHECK(boost::json::parse(json.out).at("report").as_string() == "claims");

  const uint64_t half = HeadPosition(Fixture::Get().head()) / 2;
  Run as_of = Ledger({"report", "spend", "--data", data, "--commissioner", "00L", "--as-of", std::to_string(half),
                      "--provider", "A84002"});
  REQUIRE(as_of.exit_code == 0);
  projections::ReportParams spend = params;
  spend.filters["provider"] = "A84002";
  CHECK(as_of.out == DirectReport(data, "spend", spend, projections::AsOf::Position(half), true));
  CHECK(as_of.err.find("computed as of log position ") != std::string::npos);
  // The JSON names the log it was computed from: the event hash at its position and the tree's root there.
  Run stamped = Ledger({"report", "spend", "--data", data, "--commissioner", "00L", "--as-of", std::to_string(half),
                        "--provider", "A84002", "--format", "json"});
  REQUIRE(stamped.exit_code == 0);
  boost::json::value stamp = boost::json::parse(stamped.out).at("as_of");
  CHECK(stamp.at("position").to_number<uint64_t>() <= half);
  CHECK(stamp.at("hash").as_string().size() == 64);
  CHECK(stamp.at("tree_root").as_string().size() == 64);

  Run statement = Ledger({"report", "statement", "--data", data, "--provider", "A84002", "--as-of", "2024-05-31"});
  REQUIRE(statement.exit_code == 0);
  projections::ReportParams provider;
  provider.scope = "A84002";
  CHECK(statement.out ==
        DirectReport(data, "statement", provider,
                     projections::AsOf::Time(
                         static_cast<int64_t>(core::Date::Parse("2024-06-01")->days) * 86'400'000'000 - 1),
                     true));
  CHECK(std::count(statement.out.begin(), statement.out.end(), '\n') > 1);
}

TEST_CASE("while another process holds the projection database, report still answers and rebuild refuses") {
  testing::TempDir dir;
  std::string data = Fixture::Get().CopyTo(dir);
  Run fresh = Ledger({"report", "held", "--data", data, "--commissioner", "00L"});
  REQUIRE(fresh.exit_code == 0);
  auto held = projections::ProjectionDb::Open(data + "/projections");
  REQUIRE(held.ok());
  Run report = Ledger({"report", "held", "--data", data, "--commissioner", "00L"});
  INFO(report.err);
  CHECK(report.exit_code == 0);
  CHECK(report.out == fresh.out);
  CHECK(report.err.find("in use") != std::string::npos);
  Run rebuild = Ledger({"rebuild", "--data", data});
  CHECK(rebuild.exit_code == 3);
  CHECK(rebuild.err.find("in use") != std::string::npos);
  CHECK(rebuild.out.empty());
}

}  // namespace
}  // namespace ledger::tools
