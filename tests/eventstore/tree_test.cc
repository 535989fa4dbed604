// The store's Merkle tree (RFC 9162): kept at append in the same batch as the
// events, its heads and proofs checked against a tree computed here from the
// event hashes alone; built for a store written before it; and every damage
// to it named by Verify and repaired by a rebuild.
#include <doctest/doctest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ledger/eventstore/event_store.h"
#include "ledger/eventstore/merkle.h"
#include "raw_db.h"
#include "storage_format.h"
#include "store_test_util.h"
#include "support/temp_dir.h"

namespace ledger::es {
namespace {

using testing::OpenOrDie;
using testing::Simple;

// The leaves of the log: RFC 9162 leaf hashes of the stored event hashes.
std::vector<Hash> Leaves(EventStore& store) {
  auto events = store.ReadAll(1, SIZE_MAX);
  REQUIRE(events.ok());
  std::vector<Hash> leaves;
  for (const Envelope& e : *events) leaves.push_back(merkle::EventLeaf(e.hash));
  return leaves;
}

// MTH(D[0:size]) by the definition, from the leaves alone.
Hash PlainRoot(const std::vector<Hash>& leaves, size_t begin, size_t end) {
  if (end == begin) return merkle::EmptyRoot();
  if (end - begin == 1) return leaves[begin];
  size_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  return merkle::NodeHash(PlainRoot(leaves, begin, begin + k), PlainRoot(leaves, begin + k, end));
}

Hash PlainRoot(const std::vector<Hash>& leaves) { return PlainRoot(leaves, 0, leaves.size()); }

// Commands of one to three events on a few streams: `count` of them.
void AppendCommands(EventStore& store, const std::string& prefix, int count) {
  for (int i = 0; i < count; ++i) {
    auto result = store.Append(
        Simple(prefix + std::to_string(i), "s" + std::to_string(i % 5), ExpectedVersion::Any(), 1 + i % 3, prefix));
    REQUIRE_MESSAGE(result.ok(), result.status().ToString());
  }
}

Hash TreeHeadRoot(EventStore& store) {
  auto tree = store.GetTreeHead();
  REQUIRE_MESSAGE(tree.ok(), tree.status().ToString());
  return tree->root;
}

VerifyReport VerifyDir(const std::string& dir, const Options& options = {}) {
  auto store = OpenOrDie(dir, options);
  auto report = store->Verify();
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  return *report;
}

Options ReadOnly() {
  Options options;
  options.read_only = true;
  options.create_if_missing = false;
  return options;
}

Options Rebuild() {
  Options options;
  options.rebuild_tree = true;
  return options;
}

TEST_CASE("every append extends the tree: its head is the RFC 9162 root of the event hashes, at every size") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  auto empty = store->GetTreeHead();
  REQUIRE(empty.ok());
  CHECK(empty->size == 0);
  CHECK(empty->root == merkle::EmptyRoot());
  for (int i = 0; i < 40; ++i) {
    AppendCommands(*store, "c" + std::to_string(i) + "-", 1);
    auto tree = store->GetTreeHead();
    REQUIRE(tree.ok());
    const Head head = store->GetHead();
    CHECK(tree->size == head.position);
    CHECK(tree->chain_hash == head.hash);
    CHECK(tree->root == PlainRoot(Leaves(*store)));
  }
  const std::vector<Hash> leaves = Leaves(*store);
  for (uint64_t size = 0; size <= leaves.size(); ++size) {
    CAPTURE(size);
    auto root = store->TreeRoot(size);
    REQUIRE(root.ok());
    CHECK(*root == PlainRoot(leaves, 0, size));
  }
}

TEST_CASE("concurrent appends, many to a group, keep one tree whose proofs verify against the heads") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  std::vector<std::thread> writers;
  std::atomic<int> failed{0};
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&store, &failed, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string id = "w" + std::to_string(t) + "-" + std::to_string(i);
        if (!store->Append(Simple(id, "s" + std::to_string(i % 5), ExpectedVersion::Any(), 1 + i % 3)).ok()) ++failed;
      }
    });
  }
  for (auto& w : writers) w.join();
  REQUIRE(failed == 0);
  const std::vector<Hash> leaves = Leaves(*store);
  REQUIRE(leaves.size() == store->GetHead().position);
  CHECK(TreeHeadRoot(*store) == PlainRoot(leaves));

  for (uint64_t size : {1ul, 2ul, 7ul, 64ul, 65ul, static_cast<uint64_t>(leaves.size())}) {
    const Hash root = PlainRoot(leaves, 0, size);
    for (uint64_t position = 1; position <= size; position += 1 + size / 9) {
      CAPTURE(size);
      CAPTURE(position);
      auto proof = store->InclusionProof(position, size);
      REQUIRE(proof.ok());
      CHECK(merkle::VerifyInclusion(position - 1, size, leaves[position - 1], *proof, root));
      if (size > 1) CHECK_FALSE(merkle::VerifyInclusion(position - 1, size, leaves[position % size], *proof, root));
    }
    for (uint64_t old_size : {1ul, 3ul, 32ul, 64ul}) {
      if (old_size > size) continue;
      CAPTURE(old_size);
      auto proof = store->ConsistencyProof(old_size, size);
      REQUIRE(proof.ok());
      CHECK(merkle::VerifyConsistency(old_size, size, PlainRoot(leaves, 0, old_size), root, *proof));
    }
  }
}

TEST_CASE("proofs of sizes and positions the log does not have are refused") {
  ledger::testing::TempDir dir;
  auto store = OpenOrDie(dir.str());
  AppendCommands(*store, "c", 6);
  const uint64_t n = store->GetHead().position;
  CHECK(store->TreeRoot(n + 1).status().code() == Status::Code::kInvalid);
  CHECK(store->InclusionProof(0, n).status().code() == Status::Code::kInvalid);
  CHECK(store->InclusionProof(n, n - 1).status().code() == Status::Code::kInvalid);
  CHECK(store->InclusionProof(n, n + 1).status().code() == Status::Code::kInvalid);
  CHECK(store->ConsistencyProof(5, 3).status().code() == Status::Code::kInvalid);
  CHECK(store->ConsistencyProof(3, n + 1).status().code() == Status::Code::kInvalid);
  CHECK(store->ConsistencyProof(0, n).value().empty());
  CHECK(store->InclusionProof(1, 1).value().empty());
}

TEST_CASE("the tree survives a reopen and grows on from where it was") {
  ledger::testing::TempDir dir;
  Hash before;
  {
    auto store = OpenOrDie(dir.str());
    AppendCommands(*store, "a", 23);
    before = TreeHeadRoot(*store);
  }
  auto store = OpenOrDie(dir.str());
  CHECK(TreeHeadRoot(*store) == before);
  AppendCommands(*store, "b", 19);
  CHECK(TreeHeadRoot(*store) == PlainRoot(Leaves(*store)));
  auto report = store->Verify();
  REQUIRE(report.ok());
  CHECK(report->ok);
  CHECK(report->tree_checked);
}

TEST_CASE("a store written before the tree gets it at its first open for writing; a read-only open says how") {
  ledger::testing::TempDir dir;
  Hash expected;
  {
    auto store = OpenOrDie(dir.str());
    AppendCommands(*store, "c", 30);
    expected = TreeHeadRoot(*store);
  }
  {
    testing::RawDb raw(dir.str());
    raw.Delete(Cf::kMeta, format::kMetaTreeKey);
    raw.DropFamily(Cf::kMerkle);
  }
  {
    auto store = OpenOrDie(dir.str(), ReadOnly());
    auto tree = store->GetTreeHead();
    CHECK(tree.status().code() == Status::Code::kUnavailable);
    CHECK(tree.status().message().find("start the ledger on it once") != std::string::npos);
    CHECK(store->InclusionProof(1, 1).status().code() == Status::Code::kUnavailable);
    auto report = store->Verify();
    REQUIRE(report.ok());
    CHECK(report->ok);
    CHECK_FALSE(report->tree_checked);
  }
  auto store = OpenOrDie(dir.str());
  CHECK(TreeHeadRoot(*store) == expected);
  auto report = store->Verify();
  REQUIRE(report.ok());
  CHECK(report->ok);
  CHECK(report->tree_checked);
}

TEST_CASE("a build that stopped part way resumes from the leaves it stored") {
  ledger::testing::TempDir dir;
  Hash expected;
  {
    auto store = OpenOrDie(dir.str());
    AppendCommands(*store, "c", 40);
    expected = TreeHeadRoot(*store);
  }
  {
    // What an interrupted build leaves: the nodes of the first 41 leaves and
    // no meta "tree".
    testing::RawDb raw(dir.str());
    raw.Delete(Cf::kMeta, format::kMetaTreeKey);
    std::vector<std::string> later;
    std::unique_ptr<rocksdb::Iterator> it(raw.db()->NewIterator(rocksdb::ReadOptions(), raw.cf(Cf::kMerkle)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const merkle::NodeId id{static_cast<uint8_t>(it->key()[0]), format::GetU64(it->key().data() + 1)};
      if (merkle::EndLeaf(id) > 41) later.push_back(it->key().ToString());
    }
    REQUIRE_FALSE(later.empty());
    for (const std::string& key : later) raw.Delete(Cf::kMerkle, key);
  }
  auto store = OpenOrDie(dir.str());
  CHECK(TreeHeadRoot(*store) == expected);
  CHECK(VerifyDir(dir.str(), ReadOnly()).ok);
}

TEST_CASE("the store keeps the nodes from level 3 up, and proofs hash the lower ones again from the events") {
  ledger::testing::TempDir dir;
  {
    auto store = OpenOrDie(dir.str());
    AppendCommands(*store, "c", 40);
    REQUIRE(store->GetHead().position == 79);
  }
  {
    testing::RawDb raw(dir.str());
    std::vector<merkle::NodeId> stored;
    std::unique_ptr<rocksdb::Iterator> it(raw.db()->NewIterator(rocksdb::ReadOptions(), raw.cf(Cf::kMerkle)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      stored.push_back({static_cast<uint8_t>(it->key()[0]), format::GetU64(it->key().data() + 1)});
    }
    // 79 leaves: 9 nodes of level 3, 4 of level 4, 2 of level 5, 1 of level 6; none below.
    CHECK(stored.size() == 16);
    for (const merkle::NodeId& id : stored) CHECK(id.level >= format::kMerkleLowestStoredLevel);
  }
  auto store = OpenOrDie(dir.str(), ReadOnly());
  const std::vector<Hash> leaves = Leaves(*store);
  for (uint64_t size : {1, 2, 7, 8, 9, 63, 79}) {
    auto root = store->TreeRoot(size);
    REQUIRE(root.ok());
    CHECK(*root == PlainRoot(leaves, 0, size));
    for (uint64_t position = 1; position <= size; ++position) {
      auto proof = store->InclusionProof(position, size);
      REQUIRE(proof.ok());
      CHECK(merkle::VerifyInclusion(position - 1, size, leaves[position - 1], *proof, *root));
    }
  }
}

TEST_CASE("a store opened without its tree, as the benchmark's baseline is, gets it back at the next open") {
  ledger::testing::TempDir dir;
  Options without;
  without.merkle_tree = false;
  {
    auto store = OpenOrDie(dir.str());
    AppendCommands(*store, "a", 7);
  }
  {
    auto store = OpenOrDie(dir.str(), without);
    AppendCommands(*store, "b", 9);
    CHECK(store->GetTreeHead().status().code() == Status::Code::kUnavailable);
    CHECK(store->InclusionProof(1, 1).status().code() == Status::Code::kUnavailable);
  }
  auto store = OpenOrDie(dir.str());
  CHECK(TreeHeadRoot(*store) == PlainRoot(Leaves(*store)));
  AppendCommands(*store, "c", 4);
  CHECK(TreeHeadRoot(*store) == PlainRoot(Leaves(*store)));
  auto report = store->Verify();
  REQUIRE(report.ok());
  CHECK(report->ok);
  CHECK(report->tree_checked);
}

// Appends the log of DamagedTree: 40 commands, 79 events.
void SmallLog(EventStore& store) {
  AppendCommands(store, "c", 40);
  REQUIRE(store.GetHead().position == 79);
}

// Verify checks the log in chunks of 4,096 events, hashing each chunk's part
// of the tree on a worker: 9,000 events make two whole chunks and a part.
void ChunkedLog(EventStore& store) {
  for (int i = 0; i < 90; ++i) {
    auto result = store.Append(
        Simple("big" + std::to_string(i), "s" + std::to_string(i % 7), ExpectedVersion::Any(), 100));
    REQUIRE_MESSAGE(result.ok(), result.status().ToString());
  }
  REQUIRE(store.GetHead().position == 9000);
}

// What Verify says of a store holding `log` changed by `damage` afterwards.
VerifyReport Damaged(const std::string& dir, const std::function<void(testing::RawDb&)>& damage,
                     const std::function<void(EventStore&)>& log) {
  {
    auto store = OpenOrDie(dir);
    log(*store);
  }
  {
    testing::RawDb raw(dir);
    damage(raw);
  }
  return VerifyDir(dir, ReadOnly());
}

// A store holding `log` whose tree is then changed by `damage`; returns what
// Verify says, after checking that a rebuild repairs it.
VerifyReport DamagedTree(const std::function<void(testing::RawDb&)>& damage,
                         const std::function<void(EventStore&)>& log = SmallLog) {
  ledger::testing::TempDir dir;
  Hash expected;
  VerifyReport report = Damaged(dir.str(), damage, [&](EventStore& store) {
    log(store);
    expected = TreeHeadRoot(store);
  });
  {
    auto store = OpenOrDie(dir.str(), Rebuild());
    CHECK(TreeHeadRoot(*store) == expected);
  }
  VerifyReport repaired = VerifyDir(dir.str(), ReadOnly());
  CHECK(repaired.ok);
  CHECK(repaired.tree_checked);
  return report;
}

std::string HashBytes(const Hash& h) { return std::string(reinterpret_cast<const char*>(h.data()), h.size()); }

TEST_CASE("verify names a changed, a missing, an extra and a malformed tree node, and a rebuild repairs each") {
  SUBCASE("a changed node: the position of the event that completes it") {
    VerifyReport report = DamagedTree([](testing::RawDb& raw) {
      std::string value = raw.Get(Cf::kMerkle, format::MerkleKey(3, 1));
      value[7] ^= 0x01;
      raw.Put(Cf::kMerkle, format::MerkleKey(3, 1), value);
    });
    CHECK_FALSE(report.ok);
    CHECK(report.column_family == "merkle");
    CHECK(report.key == "level 3 index 1");
    CHECK(report.first_bad_position == 16);
    CHECK(report.problem.find("differs from the one recomputed from the events at positions 9..16") !=
          std::string::npos);
  }
  SUBCASE("a missing node") {
    VerifyReport report = DamagedTree([](testing::RawDb& raw) { raw.Delete(Cf::kMerkle, format::MerkleKey(3, 2)); });
    CHECK_FALSE(report.ok);
    CHECK(report.key == "level 3 index 2");
    CHECK(report.first_bad_position == 24);
    CHECK(report.problem.find("merkle has no node level 3 index 2 (over positions 17..24)") != std::string::npos);
  }
  SUBCASE("a node beyond the tree") {
    VerifyReport report = DamagedTree(
        [](testing::RawDb& raw) { raw.Put(Cf::kMerkle, format::MerkleKey(4, 20), HashBytes(merkle::EmptyRoot())); });
    CHECK_FALSE(report.ok);
    CHECK(report.key == "level 4 index 20");
    CHECK(report.first_bad_position == 0);
    CHECK(report.problem.find("lies beyond the tree of the log's 79 events") != std::string::npos);
  }
  SUBCASE("a malformed key") {
    VerifyReport report = DamagedTree([](testing::RawDb& raw) { raw.Put(Cf::kMerkle, "\x01xyz", "abc"); });
    CHECK_FALSE(report.ok);
    CHECK(report.column_family == "merkle");
    CHECK(report.problem.find("is malformed") != std::string::npos);
  }
  SUBCASE("a node that is not a hash") {
    VerifyReport report = DamagedTree(
        [](testing::RawDb& raw) { raw.Put(Cf::kMerkle, format::MerkleKey(3, 8), "short"); });
    CHECK_FALSE(report.ok);
    CHECK(report.key == "level 3 index 8");
    CHECK(report.first_bad_position == 72);
  }
  SUBCASE("a node below the levels the store keeps") {
    VerifyReport report = DamagedTree(
        [](testing::RawDb& raw) { raw.Put(Cf::kMerkle, format::MerkleKey(1, 5), HashBytes(merkle::EmptyRoot())); });
    CHECK_FALSE(report.ok);
    CHECK(report.key == "level 1 index 5");
    CHECK(report.problem.find("lies below the levels the store keeps") != std::string::npos);
  }
}

TEST_CASE("verify hashes the tree chunk by chunk and names the same faults, within a chunk and above one") {
  auto changed = [](unsigned level, uint64_t index) {
    return [=](testing::RawDb& raw) {
      std::string value = raw.Get(Cf::kMerkle, format::MerkleKey(level, index));
      value[0] ^= 0x01;
      raw.Put(Cf::kMerkle, format::MerkleKey(level, index), value);
    };
  };
  SUBCASE("undamaged, every node is checked") {
    ledger::testing::TempDir dir;
    {
      auto store = OpenOrDie(dir.str());
      ChunkedLog(*store);
    }
    VerifyReport report = VerifyDir(dir.str(), ReadOnly());
    CHECK(report.ok);
    CHECK(report.tree_checked);
    CHECK(report.events_checked == 9000);
  }
  SUBCASE("a low node in the second chunk") {
    VerifyReport report = DamagedTree(changed(3, 600), ChunkedLog);
    CHECK_FALSE(report.ok);
    CHECK(report.key == "level 3 index 600");
    CHECK(report.first_bad_position == 4808);
  }
  SUBCASE("a chunk's own root") {
    VerifyReport report = DamagedTree(changed(12, 1), ChunkedLog);
    CHECK(report.key == "level 12 index 1");
    CHECK(report.first_bad_position == 8192);
  }
  SUBCASE("a node above the chunks, which the reading thread checks") {
    VerifyReport report = DamagedTree(changed(13, 0), ChunkedLog);
    CHECK(report.key == "level 13 index 0");
    CHECK(report.first_bad_position == 8192);
    CHECK(report.problem.find("positions 1..8192") != std::string::npos);
  }
  SUBCASE("a missing node in the last, partial chunk") {
    VerifyReport report = DamagedTree([](testing::RawDb& raw) { raw.Delete(Cf::kMerkle, format::MerkleKey(5, 270)); },
                                      ChunkedLog);
    CHECK(report.key == "level 5 index 270");
    CHECK(report.first_bad_position == 8672);
  }
  SUBCASE("the first fault by position wins, whichever part of the check finds it") {
    // Command big17 holds positions 1701..1800; its missing record is seen
    // when the next command starts, at 1801.
    ledger::testing::TempDir first, second;
    VerifyReport report = Damaged(
        first.str(),
        [&](testing::RawDb& raw) {
          changed(4, 100)(raw);  // completed at 1616
          raw.Delete(Cf::kCommands, "big17");
        },
        ChunkedLog);
    CHECK(report.key == "level 4 index 100");
    CHECK(report.first_bad_position == 1616);
    report = Damaged(
        second.str(),
        [&](testing::RawDb& raw) {
          changed(4, 115)(raw);  // completed at 1856
          raw.Delete(Cf::kCommands, "big17");
        },
        ChunkedLog);
    CHECK(report.column_family == "commands");
    CHECK(report.key == "big17");
    CHECK(report.first_bad_position == 1701);
  }
}

TEST_CASE("a tree whose last nodes are lost: read-only opens serve no proofs and say why, a writing open rebuilds it") {
  ledger::testing::TempDir dir;
  Hash expected;
  uint64_t n = 0;
  {
    auto store = OpenOrDie(dir.str());
    AppendCommands(*store, "c", 10);
    expected = TreeHeadRoot(*store);
    n = store->GetHead().position;
  }
  // The last complete node of the lowest stored level the frontier needs.
  unsigned level = format::kMerkleLowestStoredLevel;
  while (((n >> level) & 1) == 0) ++level;
  REQUIRE((n >> level) > 0);
  const uint64_t lost = (n >> level) - 1;
  {
    testing::RawDb raw(dir.str());
    raw.Delete(Cf::kMerkle, format::MerkleKey(level, lost));
  }
  {
    auto store = OpenOrDie(dir.str(), ReadOnly());
    REQUIRE(store->GetHead().position == n);
    auto tree = store->GetTreeHead();
    CHECK(tree.status().code() == Status::Code::kUnavailable);
    CHECK(tree.status().message().find("is damaged") != std::string::npos);
    CHECK(tree.status().message().find("level " + std::to_string(level) + " index " + std::to_string(lost)) !=
          std::string::npos);
  }
  auto store = OpenOrDie(dir.str());
  CHECK(TreeHeadRoot(*store) == expected);
  CHECK(store->Verify().value().ok);
}

}  // namespace
}  // namespace ledger::es
