#include "ledger/eventstore/merkle.h"

#include <bit>
#include <string>

#include "ledger/base/sha256.h"

namespace ledger::es::merkle {
namespace {

std::string_view Bytes(const Hash& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }

// The largest power of two smaller than n (n >= 2): where MTH splits D[n].
uint64_t Split(uint64_t n) { return std::bit_floor(n - 1); }

// MTH(D[begin:end]), end > begin: a stored node when the range is one
// complete, aligned subtree, else split as RFC 9162 splits it.
Result<Hash> RangeHash(uint64_t begin, uint64_t end, const NodeReader& read) {
  const uint64_t n = end - begin;
  if (std::has_single_bit(n) && begin % n == 0) {
    return read(NodeId{static_cast<unsigned>(std::countr_zero(n)), begin / n});
  }
  const uint64_t k = Split(n);
  auto left = RangeHash(begin, begin + k, read);
  if (!left.ok()) return left.status();
  auto right = RangeHash(begin + k, end, read);
  if (!right.ok()) return right.status();
  return NodeHash(*left, *right);
}

// PATH(m, D[begin:end]) of RFC 9162 2.1.3.1, appended to *out.
Status Path(uint64_t m, uint64_t begin, uint64_t end, const NodeReader& read, std::vector<Hash>* out) {
  const uint64_t n = end - begin;
  if (n <= 1) return Status::Ok();
  const uint64_t k = Split(n);
  if (m < k) {
    if (Status s = Path(m, begin, begin + k, read, out); !s.ok()) return s;
    auto sibling = RangeHash(begin + k, end, read);
    if (!sibling.ok()) return sibling.status();
    out->push_back(*sibling);
  } else {
    if (Status s = Path(m - k, begin + k, end, read, out); !s.ok()) return s;
    auto sibling = RangeHash(begin, begin + k, read);
    if (!sibling.ok()) return sibling.status();
    out->push_back(*sibling);
  }
  return Status::Ok();
}

// SUBPROOF(m, D[begin:end], b) of RFC 9162 2.1.4.1, appended to *out.
Status SubProof(uint64_t m, uint64_t begin, uint64_t end, bool whole, const NodeReader& read, std::vector<Hash>* out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (whole) return Status::Ok();
    auto hash = RangeHash(begin, end, read);
    if (!hash.ok()) return hash.status();
    out->push_back(*hash);
    return Status::Ok();
  }
  const uint64_t k = Split(n);
  if (m <= k) {
    if (Status s = SubProof(m, begin, begin + k, whole, read, out); !s.ok()) return s;
    auto right = RangeHash(begin + k, end, read);
    if (!right.ok()) return right.status();
    out->push_back(*right);
  } else {
    if (Status s = SubProof(m - k, begin + k, end, false, read, out); !s.ok()) return s;
    auto left = RangeHash(begin, begin + k, read);
    if (!left.ok()) return left.status();
    out->push_back(*left);
  }
  return Status::Ok();
}

}  // namespace

std::string NodeName(NodeId id) { return "level " + std::to_string(id.level) + " index " + std::to_string(id.index); }

Hash LeafHash(std::string_view data) {
  base::Sha256Hasher sha;
  return sha.Digest(std::string_view("\x00", 1), data);
}

Hash NodeHash(const Hash& left, const Hash& right) {
  base::Sha256Hasher sha;
  sha.Update(std::string_view("\x01", 1));
  sha.Update(Bytes(left));
  sha.Update(Bytes(right));
  return sha.Finish();
}

Hash EmptyRoot() { return base::Sha256(""); }

Hash EventLeaf(const Hash& event_hash) { return LeafHash(Bytes(event_hash)); }

Result<Frontier> Frontier::Load(uint64_t size, const NodeReader& read) {
  Frontier f;
  f.size_ = size;
  for (unsigned level = 0; (size >> level) >= 1; ++level) {
    auto node = read(NodeId{level, (size >> level) - 1});
    if (!node.ok()) return node.status();
    f.last_.push_back(*node);
  }
  return f;
}

void Frontier::Add(const Hash& leaf, std::vector<std::pair<NodeId, Hash>>* completed) {
  AddSubtree(0, leaf, completed);
}

void Frontier::AddSubtree(unsigned from_level, const Hash& subtree, std::vector<std::pair<NodeId, Hash>>* completed) {
  Hash node = subtree;
  uint64_t index = size_ >> from_level;  // of `node` at its level
  for (unsigned level = from_level;; ++level) {
    completed->emplace_back(NodeId{level, index}, node);
    if (last_.size() <= level) last_.resize(level + 1);
    // When `node` is a right child, the last complete node of its level
    // until now is its left sibling.
    const Hash left = last_[level];
    last_[level] = node;
    if (index % 2 == 0) break;
    node = NodeHash(left, node);
    index /= 2;
  }
  size_ += uint64_t{1} << from_level;
}

std::vector<std::pair<NodeId, Hash>> Frontier::Peaks() const {
  std::vector<std::pair<NodeId, Hash>> peaks;
  for (unsigned level = last_.size(); level-- > 0;) {
    if (((size_ >> level) & 1) != 0) peaks.emplace_back(NodeId{level, (size_ >> level) - 1}, last_[level]);
  }
  return peaks;
}

Hash Frontier::Root() const {
  if (size_ == 0) return EmptyRoot();
  // The peaks are the nodes of the set bits of size_, largest leftmost.
  Hash root{};
  bool have = false;
  for (unsigned level = 0; level < last_.size(); ++level) {
    if (((size_ >> level) & 1) == 0) continue;
    root = have ? NodeHash(last_[level], root) : last_[level];
    have = true;
  }
  return root;
}

Result<Hash> Root(uint64_t size, const NodeReader& read) {
  if (size == 0) return EmptyRoot();
  return RangeHash(0, size, read);
}

Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, const NodeReader& read) {
  if (index >= size)
    return Status::Invalid("leaf " + std::to_string(index) + " is not in a tree of " + std::to_string(size) +
                           " leaves");
  std::vector<Hash> proof;
  if (Status s = Path(index, 0, size, read, &proof); !s.ok()) return s;
  return proof;
}

Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size, const NodeReader& read) {
  if (old_size > new_size) {
    return Status::Invalid("a tree of " + std::to_string(old_size) + " leaves cannot be extended by one of " +
                           std::to_string(new_size));
  }
  std::vector<Hash> proof;
  if (old_size == 0 || old_size == new_size) return proof;
  if (Status s = SubProof(old_size, 0, new_size, true, read, &proof); !s.ok()) return s;
  return proof;
}

bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf, std::span<const Hash> proof, const Hash& root) {
  if (index >= size) return false;
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root, const Hash& new_root,
                       std::span<const Hash> proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty();
  if (proof.empty()) return false;
  // With an old tree of a power-of-two size, its head is the path's first hash.
  std::vector<Hash> path;
  if (std::has_single_bit(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path.front();
  Hash sr = path.front();
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace ledger::es::merkle
