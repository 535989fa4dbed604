// Request tags on command records and the request records beside the log,
// on a real RocksDB.
#include <doctest/doctest.h>

#include "command_record.h"
#include "ledger/eventstore/event_store.h"
#include "raw_db.h"
#include "storage_format.h"
#include "store_test_util.h"
#include "support/temp_dir.h"

namespace ledger::es {
namespace {

using testing::OpenOrDie;
using testing::Simple;

AppendRequest Tagged(std::string command_id, std::string tag, const std::string& payload = "p") {
  AppendRequest req = Simple(std::move(command_id), "s1", ExpectedVersion::Any(), 1, payload);
  req.request_tag = std::move(tag);
  return req;
}

TEST_CASE("a command's request tag is kept, survives reopening, and another tag under its id writes nothing") {
  ledger::testing::TempDir dir;
  {
    auto store = OpenOrDie(dir.str());
    auto first = store->Append(Tagged("cmd-t", "tag-1"));
    REQUIRE(first.ok());
    CHECK(first->request_tag == "tag-1");
    // Inside one process: the writer's cache answers.
    CHECK(store->Append(Tagged("cmd-t", "tag-2")).status().code() == Status::Code::kIdempotencyMismatch);
  }
  auto store = OpenOrDie(dir.str());
  auto found = store->FindCommand("cmd-t");
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->request_tag == "tag-1");
  CHECK(store->Append(Tagged("cmd-t", "tag-2")).status().code() == Status::Code::kIdempotencyMismatch);
  auto retry = store->Append(Tagged("cmd-t", "tag-1"));
  REQUIRE(retry.ok());
  CHECK(retry->duplicate);
  CHECK(store->GetHead().position == 1);
  AppendRequest too_long = Tagged("cmd-long", std::string(format::kMaxRequestTagBytes + 1, 'x'));
  CHECK(store->Append(too_long).status().code() == Status::Code::kInvalid);
}

TEST_CASE("a command record without a tag keeps the version 1 bytes; a tagged one is version 2; both decode") {
  CommandRecord plain;
  plain.digest.fill(7);
  plain.result.first_position = 3;
  plain.result.last_position = 4;
  plain.result.stream_versions = {2, 9};
  std::string v1 = EncodeCommandRecord(plain);
  CHECK(static_cast<uint8_t>(v1[0]) == format::kCommandRecordVersion);
  CHECK(v1.size() == 1 + format::kHashSize + 8 + 8 + 4 + 2 * 8);
  auto decoded = DecodeCommandRecord(v1);
  REQUIRE(decoded.has_value());
  CHECK(decoded->result.request_tag.empty());
  CHECK(decoded->result.stream_versions == plain.result.stream_versions);

  CommandRecord tagged = plain;
  tagged.result.request_tag = "fingerprint";
  std::string v2 = EncodeCommandRecord(tagged);
  CHECK(static_cast<uint8_t>(v2[0]) == format::kCommandRecordTaggedVersion);
  CHECK(v2.substr(1, v1.size() - 1) == v1.substr(1));
  decoded = DecodeCommandRecord(v2);
  REQUIRE(decoded.has_value());
  CHECK(decoded->result.request_tag == "fingerprint");
  CHECK(decoded->result.last_position == 4);
  CHECK_FALSE(DecodeCommandRecord(v2.substr(0, v2.size() - 1)).has_value());
  CHECK_FALSE(DecodeCommandRecord(v1 + "x").has_value());
}

TEST_CASE("request records are kept synced across reopening, replaced by a later put, and refused read-only") {
  ledger::testing::TempDir dir;
  {
    auto store = OpenOrDie(dir.str());
    auto none = store->FindRequestRecord("key-1");
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
    REQUIRE(store->PutRequestRecord("key-1", std::string("first\0answer", 12)).ok());
    REQUIRE(store->PutRequestRecord("key-2", "other").ok());
    REQUIRE(store->PutRequestRecord("key-2", "replaced").ok());
    CHECK(store->PutRequestRecord("has space", "x").code() == Status::Code::kInvalid);
    CHECK(store->GetHead().position == 0);  // not events
  }
  {
    auto store = OpenOrDie(dir.str());
    CHECK(store->FindRequestRecord("key-1").value() == std::optional<std::string>(std::string("first\0answer", 12)));
    CHECK(store->FindRequestRecord("key-2").value() == std::optional<std::string>("replaced"));
  }
  Options read_only;
  read_only.read_only = true;
  auto store = OpenOrDie(dir.str(), read_only);
  CHECK(store->FindRequestRecord("key-2").value() == std::optional<std::string>("replaced"));
  CHECK(store->PutRequestRecord("key-3", "x").code() == Status::Code::kInvalid);
}

TEST_CASE("a store written before request records existed opens read-only, and read-write adds them") {
  ledger::testing::TempDir dir;
  {
    auto store = OpenOrDie(dir.str());
    REQUIRE(store->Append(Simple("cmd-old", "s1", ExpectedVersion::NoStream())).ok());
  }
  {
    testing::RawDb raw(dir.str());
    REQUIRE(raw.db()->DropColumnFamily(raw.cf(Cf::kRequests)).ok());
  }
  Options read_only;
  read_only.read_only = true;
  {
    auto store = OpenOrDie(dir.str(), read_only);
    CHECK(store->GetHead().position == 1);
    CHECK_FALSE(store->FindRequestRecord("key").value().has_value());
    auto report = store->Verify();
    REQUIRE(report.ok());
    CHECK(report->ok);
  }
  {
    auto store = OpenOrDie(dir.str());
    REQUIRE(store->PutRequestRecord("key", "kept").ok());
  }
  auto store = OpenOrDie(dir.str(), read_only);
  CHECK(store->FindRequestRecord("key").value() == std::optional<std::string>("kept"));
}

}  // namespace
}  // namespace ledger::es
