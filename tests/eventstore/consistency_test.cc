// Verify over the whole log checks more than the hash chain: a changed byte in
// a table file of any column family, and any disagreement of stream_index,
// stream_heads or commands with the events, is reported with the first bad key.
#include <doctest/doctest.h>

#include <fstream>
#include <functional>

#include "command_record.h"
#include "ledger/eventstore/event_store.h"
#include "raw_db.h"
#include "storage_format.h"
#include "store_test_util.h"
#include "support/temp_dir.h"

namespace ledger::es {
namespace {

using testing::Command;
using testing::Event;
using testing::OpenOrDie;
using testing::Simple;
using testing::ToStream;

// 60 one-event commands c1..c60 on streams s0..s3 (command ci writes stream
// s<i % 4>), then command "pair" writing two events to s1 and two to s2
// (positions 61..64).
void Fill(const std::string& dir) {
  auto store = OpenOrDie(dir);
  for (int i = 1; i <= 60; ++i) {
    AppendRequest req = Simple("c" + std::to_string(i), "s" + std::to_string(i % 4), ExpectedVersion::Any());
    req.streams[0].events[0].payload = "payload-" + std::to_string(i);
    REQUIRE(store->Append(req).ok());
  }
  AppendRequest pair = Command("pair", {ToStream("s1", ExpectedVersion::Any(), {Event("A", "a1"), Event("A", "a2")}),
                                        ToStream("s2", ExpectedVersion::Any(), {Event("B", "b1"), Event("B", "b2")})});
  REQUIRE(store->Append(pair).ok());
}

VerifyReport VerifyDir(const std::string& dir) {
  Options options;
  options.read_only = true;
  auto store = OpenOrDie(dir, options);
  auto report = store->Verify();
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  return *report;
}

std::string IndexKey(const std::string& stream, uint64_t version) { return format::StreamIndexKey(stream, version); }

std::string HeadValue(uint64_t version, uint64_t position) {
  std::string v;
  format::PutU64(&v, version);
  format::PutU64(&v, position);
  return v;
}

TEST_CASE("an intact store with single- and multi-stream commands passes every check, before and after a flush") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  VerifyReport report = VerifyDir(dir.str());
  CHECK_MESSAGE(report.ok, report.problem);
  CHECK(report.events_checked == 64);
  { testing::RawDb(dir.str()).FlushAll(); }
  report = VerifyDir(dir.str());
  CHECK_MESSAGE(report.ok, report.problem);
}

TEST_CASE("one changed byte in a table file of any column family makes verify name that family and file") {
  for (auto [family, name] :
       {std::pair{Cf::kEvents, format::kEventsCf}, std::pair{Cf::kCommands, format::kCommandsCf},
        std::pair{Cf::kStreamIndex, format::kStreamIndexCf}, std::pair{Cf::kStreamHeads, format::kStreamHeadsCf}}) {
    CAPTURE(name);
    ledger::testing::TempDir dir;
    Fill(dir.str());
    std::string file;
    {
      testing::RawDb raw(dir.str());
      raw.FlushAll();
      std::vector<std::string> files = raw.TableFiles(family);
      REQUIRE_FALSE(files.empty());
      file = files.front();
    }
    REQUIRE(VerifyDir(dir.str()).ok);
    {
      // A byte inside the file's first data block (which starts at offset 0).
      std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
      REQUIRE(f.good());
      f.seekg(20);
      char c = 0;
      f.get(c);
      f.seekp(20);
      f.put(static_cast<char>(c ^ 0x01));
      REQUIRE(f.good());
    }
    VerifyReport report = VerifyDir(dir.str());
    CHECK_FALSE(report.ok);
    CHECK(report.column_family == name);
    CHECK(report.key == file.substr(file.rfind('/') + 1));
    CHECK(report.problem.find(std::string("column family ") + name) != std::string::npos);
    CHECK(report.problem.find("checksum") != std::string::npos);
  }
}

struct LogicalCase {
  const char* what;
  std::function<void(testing::RawDb&)> tamper;
  const char* family;
  std::string key;
  std::string problem;  // a part of the expected problem text
};

TEST_CASE("every disagreement of the indexes with the events is found, naming the first bad key") {
  // s1 holds positions 1, 5, ..., 57 (versions 1..15) then 61, 62 (versions 16, 17) of command "pair";
  // s2 holds 2, 6, ..., 58 (versions 1..15) then 63, 64 (16, 17); s0 holds 4, 8, ..., 60 (1..15).
  std::vector<LogicalCase> cases = {
      {"a missing index entry", [](testing::RawDb& raw) { raw.Delete(Cf::kStreamIndex, IndexKey("s1", 5)); },
       format::kStreamIndexCf, "s1 version 5", "no entry for stream s1 version 5"},
      {"the last index entry of a stream missing",
       [](testing::RawDb& raw) { raw.Delete(Cf::kStreamIndex, IndexKey("s2", 17)); }, format::kStreamIndexCf,
       "s2 version 17", "no entry for stream s2 version 17"},
      {"an index entry pointing at another stream's event",
       [](testing::RawDb& raw) { raw.Put(Cf::kStreamIndex, IndexKey("s1", 3), format::PositionKey(2)); },
       format::kStreamIndexCf, "s1 version 3", "points at position 2, which holds stream s2 version 1"},
      {"two index entries swapped",
       [](testing::RawDb& raw) {
         raw.Put(Cf::kStreamIndex, IndexKey("s0", 2), format::PositionKey(12));
         raw.Put(Cf::kStreamIndex, IndexKey("s0", 3), format::PositionKey(8));
       },
       format::kStreamIndexCf, "s0 version 2", "points at position 12, which holds stream s0 version 3"},
      {"an index entry past the stream's last version",
       [](testing::RawDb& raw) { raw.Put(Cf::kStreamIndex, IndexKey("s3", 16), format::PositionKey(59)); },
       format::kStreamIndexCf, "s3 version 16", "is not a version of stream s3"},
      {"an index entry of a stream that has no events",
       [](testing::RawDb& raw) { raw.Put(Cf::kStreamIndex, IndexKey("ghost", 1), format::PositionKey(3)); },
       format::kStreamIndexCf, "ghost version 1", "no stored event belongs to"},
      {"a stream head one version behind",
       [](testing::RawDb& raw) { raw.Put(Cf::kStreamHeads, "s2", HeadValue(16, 63)); }, format::kStreamHeadsCf, "s2",
       "says version 16 at position 63, but the stream's last event is version 17 at position 64"},
      {"a stream head naming the wrong position",
       [](testing::RawDb& raw) { raw.Put(Cf::kStreamHeads, "s0", HeadValue(15, 59)); }, format::kStreamHeadsCf, "s0",
       "at position 59"},
      {"a missing stream head", [](testing::RawDb& raw) { raw.Delete(Cf::kStreamHeads, "s3"); }, format::kStreamHeadsCf,
       "s3", "no entry for stream s3"},
      {"a stream head of a stream that has no events",
       [](testing::RawDb& raw) { raw.Put(Cf::kStreamHeads, "ghost", HeadValue(1, 1)); }, format::kStreamHeadsCf,
       "ghost", "no stored event belongs to"},
      {"a command record pointing at another command's events",
       [](testing::RawDb& raw) { raw.Put(Cf::kCommands, "c7", raw.Get(Cf::kCommands, "c8")); }, format::kCommandsCf,
       "c7", "the record says positions 8..8"},
      {"a command record with a wrong stream version",
       [](testing::RawDb& raw) {
         std::optional<CommandRecord> record = DecodeCommandRecord(raw.Get(Cf::kCommands, "pair"));
         REQUIRE(record);
         REQUIRE(record->result.stream_versions == std::vector<uint64_t>{17, 17});
         record->result.stream_versions[1] = 16;
         raw.Put(Cf::kCommands, "pair", EncodeCommandRecord(*record));
       },
       format::kCommandsCf, "pair", "stream versions [17,16]"},
      {"a missing command record", [](testing::RawDb& raw) { raw.Delete(Cf::kCommands, "c9"); }, format::kCommandsCf,
       "c9", "no record of command c9"},
      {"a command record no event carries",
       [](testing::RawDb& raw) { raw.Put(Cf::kCommands, "c0-ghost", raw.Get(Cf::kCommands, "c10")); },
       format::kCommandsCf, "c0-ghost", "no stored event carries the command"},
      {"a malformed command record", [](testing::RawDb& raw) { raw.Put(Cf::kCommands, "c11", "x"); },
       format::kCommandsCf, "c11", "malformed record"},
  };
  for (const LogicalCase& c : cases) {
    CAPTURE(c.what);
    ledger::testing::TempDir dir;
    Fill(dir.str());
    {
      testing::RawDb raw(dir.str());
      c.tamper(raw);
    }
    VerifyReport report = VerifyDir(dir.str());
    CHECK_FALSE(report.ok);
    CHECK(report.column_family == c.family);
    CHECK(report.key == c.key);
    CHECK_MESSAGE(report.problem.find(c.problem) != std::string::npos, report.problem);
    CHECK(report.events_checked == 64);  // the chain itself is intact
  }
}

TEST_CASE("a partial verify checks the chain only; a whole verify of a store open for appends passes") {
  ledger::testing::TempDir dir;
  Fill(dir.str());
  {
    auto store = OpenOrDie(dir.str());
    REQUIRE(store->Append(Simple("c-new", "s9", ExpectedVersion::Any(), 3)).ok());
    auto whole = store->Verify();
    REQUIRE(whole.ok());
    CHECK_MESSAGE(whole->ok, whole->problem);
    CHECK(whole->events_checked == 67);
  }
  {
    testing::RawDb raw(dir.str());
    raw.Delete(Cf::kStreamHeads, "s3");
  }
  auto store = OpenOrDie(dir.str());
  auto partial = store->Verify(2, 0);
  REQUIRE(partial.ok());
  CHECK(partial->ok);
  auto whole = store->Verify();
  REQUIRE(whole.ok());
  CHECK_FALSE(whole->ok);
  CHECK(whole->key == "s3");
}

}  // namespace
}  // namespace ledger::es
