// The log's Merkle tree against RFC 9162: the Certificate Transparency
// reference vectors, and every proof of every small tree against a plain
// recursive MTH, with every flipped bit refused.
#include "ledger/eventstore/merkle.h"

#include <doctest/doctest.h>

#include <bit>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ledger/base/hex.h"

namespace ledger::es::merkle {
namespace {

Hash FromHex(std::string_view hex) {
  Hash h{};
  REQUIRE(base::FromHex(hex, std::span<uint8_t>(h)));
  return h;
}

// A tree kept as its complete nodes, grown leaf by leaf as a store grows it.
struct MemoryTree {
  std::map<std::pair<unsigned, uint64_t>, Hash> nodes;
  std::vector<Hash> leaves;
  int reads = 0;

  NodeReader Reader() {
    return [this](NodeId id) -> Result<Hash> {
      ++reads;
      auto it = nodes.find({id.level, id.index});
      if (it == nodes.end()) return Status::Corruption("no node " + std::to_string(id.level));
      return it->second;
    };
  }
  Frontier frontier;

  void Append(const Hash& leaf) {
    std::vector<std::pair<NodeId, Hash>> completed;
    frontier.Add(leaf, &completed);
    for (const auto& [id, hash] : completed) nodes[{id.level, id.index}] = hash;
    leaves.push_back(leaf);
  }
};

// MTH(D[begin:end]) by the definition, from the leaves alone.
Hash PlainRoot(const std::vector<Hash>& leaves, size_t begin, size_t end) {
  if (end == begin) return EmptyRoot();
  if (end - begin == 1) return leaves[begin];
  size_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  return NodeHash(PlainRoot(leaves, begin, begin + k), PlainRoot(leaves, begin + k, end));
}

Hash Flipped(Hash h, size_t bit) {
  h[(bit / 8) % 32] ^= static_cast<uint8_t>(1u << (bit % 8));
  return h;
}

const char* const kReferenceLeaves[] = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
const char* const kReferenceRoots[] = {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                                       "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                                       "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                                       "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                                       "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                                       "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                                       "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                                       "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                                       "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

MemoryTree ReferenceTree() {
  MemoryTree t;
  for (const char* hex : kReferenceLeaves) {
    std::string data;
    REQUIRE(base::FromHex(hex, &data));
    t.Append(LeafHash(data));
  }
  return t;
}

std::vector<Hash> Hashes(std::initializer_list<const char*> hexes) {
  std::vector<Hash> out;
  for (const char* h : hexes) out.push_back(FromHex(h));
  return out;
}

TEST_CASE("tree heads, inclusion and consistency proofs are those of the RFC 6962/9162 reference vectors") {
  MemoryTree t = ReferenceTree();
  for (uint64_t size = 0; size <= 8; ++size) {
    CAPTURE(size);
    auto root = Root(size, t.Reader());
    REQUIRE(root.ok());
    CHECK(base::ToHex(std::span<const uint8_t>(*root)) == kReferenceRoots[size]);
  }
  const Hash root8 = FromHex(kReferenceRoots[8]);

  const std::vector<Hash> inclusion_0 = Hashes({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                                                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                                                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"});
  const std::vector<Hash> inclusion_5 = Hashes({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                                                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                                                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"});
  CHECK(*InclusionProof(0, 8, t.Reader()) == inclusion_0);
  CHECK(*InclusionProof(5, 8, t.Reader()) == inclusion_5);
  CHECK(VerifyInclusion(0, 8, t.leaves[0], inclusion_0, root8));
  CHECK(VerifyInclusion(5, 8, t.leaves[5], inclusion_5, root8));

  const std::vector<Hash>& consistency_1_8 = inclusion_0;  // the same path
  const std::vector<Hash> consistency_6_8 = Hashes(
      {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
       "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
       "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"});
  const std::vector<Hash> consistency_2_5 = Hashes(
      {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
       "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"});
  CHECK(ConsistencyProof(1, 1, t.Reader())->empty());
  CHECK(*ConsistencyProof(1, 8, t.Reader()) == consistency_1_8);
  CHECK(*ConsistencyProof(6, 8, t.Reader()) == consistency_6_8);
  CHECK(*ConsistencyProof(2, 5, t.Reader()) == consistency_2_5);
  CHECK(VerifyConsistency(6, 8, FromHex(kReferenceRoots[6]), root8, consistency_6_8));
  CHECK(VerifyConsistency(2, 5, FromHex(kReferenceRoots[2]), FromHex(kReferenceRoots[5]), consistency_2_5));
}

TEST_CASE("a tree grown leaf by leaf keeps its complete nodes and reads O(log n) of them for a head or a proof") {
  MemoryTree t;
  for (int i = 0; i < 1000; ++i) t.Append(LeafHash(std::to_string(i)));
  CHECK(t.nodes.size() == 2 * 1000 - 6);  // 2n less one per set bit of n (1000 = 1111101000b)
  t.reads = 0;
  REQUIRE(Root(1000, t.Reader()).ok());
  CHECK(t.reads == 6);  // one per set bit of 1000
  t.reads = 0;
  REQUIRE(InclusionProof(517, 1000, t.Reader()).ok());
  CHECK(t.reads <= 2 * 10);
  t.reads = 0;
  REQUIRE(ConsistencyProof(333, 1000, t.Reader()).ok());
  CHECK(t.reads <= 2 * 10);
}

TEST_CASE("every inclusion and consistency proof of trees up to 40 leaves verifies, and no altered one does") {
  MemoryTree t;
  for (int i = 0; i < 40; ++i) t.Append(LeafHash("leaf " + std::to_string(i)));
  for (uint64_t size = 1; size <= 40; ++size) {
    const Hash root = PlainRoot(t.leaves, 0, size);
    REQUIRE(*Root(size, t.Reader()) == root);
    for (uint64_t index = 0; index < size; ++index) {
      CAPTURE(size);
      CAPTURE(index);
      auto proof = InclusionProof(index, size, t.Reader());
      REQUIRE(proof.ok());
      CHECK(VerifyInclusion(index, size, t.leaves[index], *proof, root));
      CHECK_FALSE(VerifyInclusion(index, size, Flipped(t.leaves[index], index), *proof, root));
      CHECK_FALSE(VerifyInclusion(index, size, t.leaves[index], *proof, Flipped(root, size)));
      // (The size is not bound by the proof alone: a signed head binds it to its root.)
      if (size > 1) CHECK_FALSE(VerifyInclusion((index + 1) % size, size, t.leaves[index], *proof, root));
      for (size_t i = 0; i < proof->size(); ++i) {
        std::vector<Hash> altered = *proof;
        altered[i] = Flipped(altered[i], i * 7 + index);
        CHECK_FALSE(VerifyInclusion(index, size, t.leaves[index], altered, root));
      }
      if (!proof->empty()) {
        std::vector<Hash> shorter(proof->begin(), proof->end() - 1);
        CHECK_FALSE(VerifyInclusion(index, size, t.leaves[index], shorter, root));
      }
    }
    for (uint64_t old_size = 1; old_size <= size; ++old_size) {
      CAPTURE(size);
      CAPTURE(old_size);
      const Hash old_root = PlainRoot(t.leaves, 0, old_size);
      auto proof = ConsistencyProof(old_size, size, t.Reader());
      REQUIRE(proof.ok());
      CHECK(VerifyConsistency(old_size, size, old_root, root, *proof));
      if (old_size == size) continue;
      CHECK_FALSE(VerifyConsistency(old_size, size, Flipped(old_root, old_size), root, *proof));
      CHECK_FALSE(VerifyConsistency(old_size, size, old_root, Flipped(root, size), *proof));
      for (size_t i = 0; i < proof->size(); ++i) {
        std::vector<Hash> altered = *proof;
        altered[i] = Flipped(altered[i], i * 5 + old_size);
        CHECK_FALSE(VerifyConsistency(old_size, size, old_root, root, altered));
      }
    }
  }
}

TEST_CASE("the frontier gives every tree's head, and one loaded from stored nodes grows the same tree") {
  MemoryTree t;
  for (int i = 0; i < 70; ++i) {
    t.Append(LeafHash("leaf " + std::to_string(i)));
    CAPTURE(i);
    REQUIRE(t.frontier.size() == t.leaves.size());
    CHECK(t.frontier.Root() == PlainRoot(t.leaves, 0, t.leaves.size()));
  }
  CHECK(Frontier().Root() == EmptyRoot());
  for (uint64_t size : {0, 1, 2, 3, 31, 32, 33, 64, 69, 70}) {
    CAPTURE(size);
    t.reads = 0;
    auto loaded = Frontier::Load(size, t.Reader());
    REQUIRE(loaded.ok());
    CHECK(t.reads == static_cast<int>(std::bit_width(size)));  // one node per level
    CHECK(loaded->Root() == PlainRoot(t.leaves, 0, size));
    // Growing the loaded frontier completes exactly the stored nodes.
    for (uint64_t i = size; i < t.leaves.size(); ++i) {
      std::vector<std::pair<NodeId, Hash>> completed;
      loaded->Add(t.leaves[i], &completed);
      for (const auto& [id, hash] : completed) {
        CHECK(EndLeaf(id) == i + 1);
        CHECK(t.nodes.at({id.level, id.index}) == hash);
      }
    }
    CHECK(loaded->Root() == t.frontier.Root());
  }
  CHECK(Frontier::Load(71, t.Reader()).status().code() == Status::Code::kCorruption);
}

TEST_CASE("a tree hashed in aligned parts and joined by its peaks is the tree hashed leaf by leaf") {
  MemoryTree whole;
  for (int i = 0; i < 53; ++i) whole.Append(LeafHash("leaf " + std::to_string(i)));
  for (uint64_t part : {1, 4, 8, 16, 32, 64}) {
    CAPTURE(part);
    Frontier joined;
    std::map<std::pair<unsigned, uint64_t>, Hash> nodes;
    for (uint64_t begin = 0; begin < whole.leaves.size(); begin += part) {
      const uint64_t end = std::min<uint64_t>(begin + part, whole.leaves.size());
      Frontier alone;  // this part's leaves as a tree of their own
      std::vector<std::pair<NodeId, Hash>> completed;
      for (uint64_t i = begin; i < end; ++i) alone.Add(whole.leaves[i], &completed);
      for (const auto& [id, hash] : completed) nodes[{id.level, id.index + (begin >> id.level)}] = hash;
      std::vector<std::pair<NodeId, Hash>> peaks = alone.Peaks();
      REQUIRE(peaks.size() == static_cast<size_t>(std::popcount(end - begin)));
      for (size_t k = 1; k < peaks.size(); ++k) CHECK(peaks[k].first.level < peaks[k - 1].first.level);
      for (const auto& [id, hash] : peaks) {
        completed.clear();
        joined.AddSubtree(id.level, hash, &completed);
        REQUIRE_FALSE(completed.empty());
        CHECK(completed.front().first == NodeId{id.level, id.index + (begin >> id.level)});
        for (const auto& [above, h] : completed) nodes[{above.level, above.index}] = h;
      }
      CHECK(joined.size() == end);
      CHECK(joined.Root() == PlainRoot(whole.leaves, 0, end));
    }
    CHECK(nodes == whole.nodes);
    // Leaves added one by one after the parts go on as the whole tree does.
    Frontier grown = whole.frontier;
    std::vector<std::pair<NodeId, Hash>> completed;
    for (int i = 0; i < 11; ++i) {
      joined.Add(LeafHash("more " + std::to_string(i)), &completed);
      grown.Add(LeafHash("more " + std::to_string(i)), &completed);
      CHECK(joined.Root() == grown.Root());
    }
  }
}

TEST_CASE("a proof for a leaf or a size the tree does not have is refused, and a missing node is reported") {
  MemoryTree t = ReferenceTree();
  CHECK(InclusionProof(8, 8, t.Reader()).status().code() == Status::Code::kInvalid);
  CHECK(ConsistencyProof(5, 3, t.Reader()).status().code() == Status::Code::kInvalid);
  CHECK(Root(9, t.Reader()).status().code() == Status::Code::kCorruption);
  CHECK_FALSE(VerifyConsistency(5, 3, t.leaves[0], t.leaves[0], {}));
  CHECK_FALSE(VerifyConsistency(3, 5, *Root(3, t.Reader()), *Root(5, t.Reader()), {}));
  CHECK(VerifyConsistency(0, 5, EmptyRoot(), *Root(5, t.Reader()), {}));
}

}  // namespace
}  // namespace ledger::es::merkle
